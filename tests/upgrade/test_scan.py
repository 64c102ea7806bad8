"""`hook-harness cassettes scan` over real recordings, the repository's cassettes, and leaks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harness.recording.cassette_file import dump_interactions, load_cassette_file, write_atomically

from .conftest import REPO, Recordings, copy_recording, invoke

CASSETTE = "core-created-snapshot-pre.yaml"
FAKE_TOKEN = "k3PqZ8wX2mN7vB4tR9yL5sD1fG6hJ0aC"
FAKE_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvd25lciJ9.c2lnbmF0dXJlLXRleHQ"


def committed_cassettes() -> list[Path]:
    folder = REPO / "cassettes"
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.suffix in (".yaml", ".yml") and not path.name.startswith("."))


def test_recorded_and_committed_clean(recordings: Recordings) -> None:
    recorded = recordings.get("1.3").folder
    committed = committed_cassettes()
    recorded_count = len(list(recorded.glob("*.yaml")))

    run = invoke("cassettes", "scan", recorded, *committed)

    assert recorded_count > 100
    assert run.output == f"{recorded_count + len(committed)} cassettes scanned: no token-like values.\n"
    assert run.exit_code == 0


def test_default_folder_is_scanned(recordings: Recordings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_recording(recordings.get("1.0"), tmp_path / "cassettes")
    count = len(list((tmp_path / "cassettes").glob("*.yaml")))
    monkeypatch.chdir(tmp_path)

    run = invoke("cassettes", "scan")

    assert run.output == f"{count} cassettes scanned: no token-like values.\n"
    assert run.exit_code == 0


def test_default_folder_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    run = invoke("cassettes", "scan")

    assert run.exit_code == 2
    assert f"no cassette folder at {tmp_path / 'cassettes'}" in run.output


def test_missing_path(tmp_path: Path) -> None:
    run = invoke("cassettes", "scan", tmp_path / "absent")

    assert run.exit_code == 2
    assert f"no such file or folder: {tmp_path / 'absent'}" in run.output


def set_response_body_text(interactions: list[tuple[dict, dict]]) -> None:
    interactions[0][1]["body"]["string"] = f'{{"description": "Bearer {FAKE_TOKEN}"}}'.encode()


def set_response_header(interactions: list[tuple[dict, dict]]) -> None:
    interactions[0][1]["headers"]["X-Debug"] = [FAKE_JWT]


def set_authorization(interactions: list[tuple[dict, dict]]) -> None:
    interactions[0][0]["headers"]["Authorization"] = [f"Bearer {FAKE_TOKEN}"]


def set_query(interactions: list[tuple[dict, dict]]) -> None:
    interactions[0][0]["uri"] += f"?access_token={FAKE_TOKEN}"


@pytest.mark.parametrize(
    ("change", "location", "reason"),
    [
        (set_response_body_text, "response.body", "bearer token"),
        (set_response_header, "response.headers.X-Debug", "JWT-like string"),
        (set_authorization, "request.headers.Authorization", "header value is not a placeholder"),
        (set_query, "request.uri query access_token", "query parameter value is not a placeholder"),
    ],
    ids=["bearer-in-body", "jwt-in-header", "authorization-header", "token-in-query"],
)
def test_leftover_token_reported(
    recordings: Recordings, tmp_path: Path, change: Callable[[list[tuple[dict, dict]]], None],
    location: str, reason: str,
) -> None:
    folder = copy_recording(recordings.get("1.3"), tmp_path / "cassettes")
    path = folder / CASSETTE
    interactions = load_cassette_file(path)
    change(interactions)
    write_atomically(path, dump_interactions(interactions))

    run = invoke("cassettes", "scan", folder)

    assert run.exit_code == 1
    assert f"{path}: interaction 0, {location}: {reason}" in run.output
    assert "token-like values in 1 of" in run.output
    assert FAKE_TOKEN not in run.output
    assert FAKE_JWT not in run.output


def test_secret_env_value_reported(recordings: Recordings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_recording(recordings.get("1.3"), tmp_path / "cassettes")
    path = folder / CASSETTE
    secret = "short-secret-42"
    path.write_text(path.read_text().replace("stage-snapshot-pre", secret))
    monkeypatch.setenv("HOOK_HARNESS_TEST_SECRET", secret)

    run = invoke("cassettes", "scan", folder, "--secret-env", "HOOK_HARNESS_TEST_SECRET")

    assert run.exit_code == 1
    assert f"{path}: interaction 0, request.body: listed secret" in run.output
    assert secret not in run.output


def test_secret_env_unset(recordings: Recordings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOOK_HARNESS_TEST_SECRET", raising=False)

    run = invoke("cassettes", "scan", recordings.get("1.0").folder, "--secret-env", "HOOK_HARNESS_TEST_SECRET")

    assert run.exit_code == 2
    assert "--secret-env HOOK_HARNESS_TEST_SECRET: the environment variable is unset or empty" in run.output


def test_unreadable_cassette_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("interactions: [\n")

    run = invoke("cassettes", "scan", tmp_path)

    assert run.exit_code == 1
    assert f"{broken}: file: cannot be scanned" in run.output
