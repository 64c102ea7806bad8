"""`hook-harness cassettes diff` on real recordings of the reference server, some of them edited."""

from __future__ import annotations

import importlib.resources
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.recording.cassette_file import dump_interactions, load_cassette_file, write_atomically
from harness.server.world import DEFAULT_WORLD_RESOURCE

from .conftest import DRILL_SCENARIOS, Recordings, copy_recording, invoke

CREATED = "core-created-snapshot-pre.yaml"
CONFLICT = "core-problem-10-name-in-use.yaml"
FAKE_TOKEN = "abcdefghijklmnopqrstuvwxyz0123456789ABCD"


def diff_json(folder_a: Path, folder_b: Path, *options: str) -> tuple[int, dict]:
    run = invoke("cassettes", "diff", folder_a, folder_b, "--format", "json", *options)
    return run.exit_code, json.loads(run.output)


def as_tuples(document: dict) -> list[tuple]:
    return sorted(
        (item["cassette"], item["kind"], item["interaction"], item["path"], item.get("a"), item.get("b"))
        for item in document["differences"]
    )


def edit_cassette(path: Path, change: Callable[[list[tuple[dict, dict]]], None]) -> None:
    interactions = load_cassette_file(path)
    change(interactions)
    write_atomically(path, dump_interactions(interactions))


def edit_response_body(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    def apply(interactions: list[tuple[dict, dict]]) -> None:
        response = interactions[-1][1]
        body = json.loads(response["body"]["string"])
        change(body)
        response["body"]["string"] = json.dumps(body).encode()

    edit_cassette(path, apply)


def copy_recording_folder(source: Path, destination: Path) -> Path:
    destination.mkdir()
    for path in source.iterdir():
        (destination / path.name).write_bytes(path.read_bytes())
    return destination


@pytest.fixture
def edited_pair(recordings: Recordings, tmp_path: Path) -> tuple[Path, Path]:
    """The 1.3 recording as A, and a copy of it to edit as B."""
    recording = recordings.get("1.3")
    return recording.folder, copy_recording(recording, tmp_path / "b")


def test_repeat_recording_no_differences(recordings: Recordings) -> None:
    first = recordings.get("1.3")
    second = recordings.get("1.3", label="second")

    code, document = diff_json(first.folder, second.folder)

    ignored = {rule["pattern"]: rule["differences"] for rule in document["ignored"]}
    assert document["differences"] == []
    assert ignored[r"^response\.body\['id'\]$"] > 0
    assert ignored[r"^response\.headers\.location\.id$"] > 0
    assert ignored[r"^response\.body\['correlationID'\]$"] > 0
    assert code == 0


def test_no_default_ignores_server_values(recordings: Recordings) -> None:
    first = recordings.get("1.3")
    second = recordings.get("1.3", label="second")

    code, document = diff_json(first.folder, second.folder, "--no-default-ignores")

    assert {(item["kind"], item["path"]) for item in document["differences"]} == {
        ("changed-value", "response.body['id']"),
        ("changed-value", "response.body['metadata']['creationTimestamp']"),
        ("changed-value", "response.body['metadata']['modificationTimestamp']"),
        ("changed-value", "response.body['correlationID']"),
        ("changed-value", "response.headers.etag"),
        ("changed-value", "response.headers.location.id"),
        ("changed-value", "response.headers.date"),
    }
    assert document["ignored"] == []
    assert code == 1


def test_ignore_option_drops_paths(recordings: Recordings) -> None:
    before = recordings.get("1.2")
    after = recordings.get("1.3")

    code, document = diff_json(before.folder, after.folder, "--ignore", "schemaValidationFailure")

    kinds = {item["kind"] for item in document["differences"]}
    added_rules = [rule for rule in document["ignored"] if rule["reason"] == "given with --ignore"]
    assert kinds == {"only-in-a", "only-in-b"}
    assert added_rules == [{"pattern": "schemaValidationFailure", "reason": "given with --ignore", "differences": 1}]
    assert code == 1


def test_body_changes_by_kind(edited_pair: tuple[Path, Path]) -> None:
    folder_a, folder_b = edited_pair

    def change(body: dict[str, Any]) -> None:
        body["extra"] = {"nested": True}
        del body["enabled"]
        body["hookType"] = "netapp"
        body["stage"] = 1
        body["arguments"].append("thaw")

    edit_response_body(folder_b / CREATED, change)
    code, document = diff_json(folder_a, folder_b)

    assert as_tuples(document) == [
        (CREATED, "added-field", 0, "response.body['arguments'][1]", None, "thaw"),
        (CREATED, "added-field", 0, "response.body['extra']", None, {"nested": True}),
        (CREATED, "changed-type", 0, "response.body['stage']", "pre", 1),
        (CREATED, "changed-value", 0, "response.body['hookType']", "custom", "netapp"),
        (CREATED, "removed-field", 0, "response.body['enabled']", "true", None),
    ]
    assert code == 1


def test_header_changes(edited_pair: tuple[Path, Path]) -> None:
    folder_a, folder_b = edited_pair

    def change(interactions: list[tuple[dict, dict]]) -> None:
        headers = interactions[-1][1]["headers"]
        headers["content-type"] = ["application/astra-executionHook"]
        headers["X-Trace"] = ["on"]
        location = headers.pop("location")[0]
        headers["location"] = [location.replace("/core/v1/", "/core/v2/")]

    edit_cassette(folder_b / CREATED, change)
    code, document = diff_json(folder_a, folder_b)

    paths = {item["path"]: item["kind"] for item in document["differences"]}
    assert paths == {
        "response.headers.content-type": "content-type",
        "response.headers.x-trace": "added-field",
        "response.headers.location.url": "changed-value",
    }
    assert code == 1


def test_location_on_other_host(edited_pair: tuple[Path, Path]) -> None:
    folder_a, folder_b = edited_pair

    def change(interactions: list[tuple[dict, dict]]) -> None:
        headers = interactions[-1][1]["headers"]
        headers["location"] = [headers["location"][0].replace("127.0.0.1", "astra.invalid")]

    edit_cassette(folder_b / CREATED, change)
    _, document = diff_json(folder_a, folder_b)

    [difference] = document["differences"]
    assert difference["path"] == "response.headers.location.url"
    assert difference["a"].startswith("/accounts/")
    assert difference["b"].startswith("http://astra.invalid:")


def test_request_change_reported(edited_pair: tuple[Path, Path]) -> None:
    folder_a, folder_b = edited_pair

    def change(interactions: list[tuple[dict, dict]]) -> None:
        request = interactions[-1][0]
        body = json.loads(request["body"])
        body["name"] = "renamed"
        request["body"] = json.dumps(body).encode()
        request["uri"] += "?trace=1"

    edit_cassette(folder_b / CREATED, change)
    _, document = diff_json(folder_a, folder_b)

    assert as_tuples(document) == [
        (CREATED, "changed-value", 0, "request.body['name']", "stage-snapshot-pre", "renamed"),
        (CREATED, "changed-value", 0, "request.query", "", "trace=1"),
    ]


@pytest.mark.parametrize("removed_from", ["a", "b"], ids=["removed-in-b", "added-in-b"])
def test_interaction_count_change(recordings: Recordings, tmp_path: Path, removed_from: str) -> None:
    recording = recordings.get("1.3")
    folder_a = copy_recording(recording, tmp_path / "a")
    folder_b = copy_recording(recording, tmp_path / "b")
    edited = folder_b if removed_from == "b" else folder_a

    edit_cassette(edited / CONFLICT, lambda interactions: interactions.pop(0))
    _, document = diff_json(folder_a, folder_b)

    kinds = [item["kind"] for item in document["differences"]]
    expected_kind = "removed-interaction" if removed_from == "b" else "added-interaction"
    line = document["differences"][-1].get("a" if removed_from == "b" else "b")
    assert kinds[-1] == expected_kind
    assert document["differences"][-1]["interaction"] == 1
    assert line.startswith("POST /accounts/")
    assert line.endswith("/core/v1/executionHooks")


def test_substitute_equates_prefixes(recordings: Recordings, tmp_path: Path) -> None:
    default_world = importlib.resources.files("harness.server").joinpath(DEFAULT_WORLD_RESOURCE).read_text()
    worlds = {}
    for prefix in ("run-1-", "run-2-"):
        worlds[prefix] = tmp_path / f"world-{prefix}yaml"
        worlds[prefix].write_text(default_world.replace('name_prefix: ""', f'name_prefix: "{prefix}"'))
    first = recordings.get("1.3", "prefix-1", DRILL_SCENARIOS, world=worlds["run-1-"])
    second = recordings.get("1.3", "prefix-2", DRILL_SCENARIOS, world=worlds["run-2-"])

    code_plain, plain = diff_json(first.folder, second.folder)
    code_substituted, substituted = diff_json(first.folder, second.folder, "--substitute", "run-1-=run-2-")

    assert ("drill-failover-post.yaml", "changed-value", 0, "response.body['name']",
            "run-1-drill-failover-post", "run-2-drill-failover-post") in as_tuples(plain)
    assert code_plain == 1
    assert substituted["differences"] == []
    assert substituted["substitutions"] == [{"a": "run-1-", "b": "run-2-"}]
    assert code_substituted == 0


def add_bearer_description(path: Path) -> None:
    edit_response_body(path, lambda body: body.update(description=f"Bearer {FAKE_TOKEN}"))


def add_token_field(path: Path) -> None:
    edit_response_body(path, lambda body: body.update(extra={"token": FAKE_TOKEN}))


def set_basic_authorization(path: Path) -> None:
    def change(interactions: list[tuple[dict, dict]]) -> None:
        interactions[-1][0]["headers"]["Authorization"] = [f"Basic {FAKE_TOKEN}"]

    edit_cassette(path, change)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (add_bearer_description, "response.body['description']"),
        (add_token_field, "response.body['extra']"),
        (set_basic_authorization, "request.headers.authorization"),
    ],
    ids=["bearer-in-text", "token-key", "authorization-header"],
)
def test_credentials_are_redacted(edited_pair: tuple[Path, Path], change: Callable[[Path], None], path: str) -> None:
    folder_a, folder_b = edited_pair
    change(folder_b / CREATED)

    text = invoke("cassettes", "diff", folder_a, folder_b)
    as_json = invoke("cassettes", "diff", folder_a, folder_b, "--format", "json")

    [difference] = json.loads(as_json.output)["differences"]
    assert difference["path"] == path
    assert "<redacted>" in json.dumps(difference["b"])
    assert path in text.output
    assert FAKE_TOKEN not in text.output
    assert FAKE_TOKEN not in as_json.output


def test_output_file(recordings: Recordings, tmp_path: Path) -> None:
    report = tmp_path / "reports" / "diff.json"

    run = invoke("cassettes", "diff", recordings.get("1.2").folder, recordings.get("1.3").folder,
                 "--format", "json", "--output", report)

    document = json.loads(report.read_text())
    assert run.output == f"13 differences, 13 counted by --fail-on any. Report: {report}\n"
    assert document["summary"]["differences"] == 13
    assert document["summary"]["by_kind"] == {"changed-value": 1, "only-in-a": 1, "only-in-b": 11}
    assert run.exit_code == 1


@pytest.fixture
def one_cassette(recordings: Recordings, tmp_path: Path) -> Path:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / CREATED).write_bytes((recordings.get("1.3").folder / CREATED).read_bytes())
    return folder


def test_missing_folder_usage_error(one_cassette: Path, tmp_path: Path) -> None:
    missing = tmp_path / "not-there"

    run = invoke("cassettes", "diff", missing, one_cassette)

    assert run.exit_code == 2
    assert f"DIR_A {missing} does not exist" in run.output
    assert "--cassette-dir" in run.output


def test_file_as_folder_usage_error(one_cassette: Path) -> None:
    run = invoke("cassettes", "diff", one_cassette, one_cassette / CREATED)

    assert run.exit_code == 2
    assert f"DIR_B {one_cassette / CREATED} is a file, not a folder" in run.output


def test_empty_folder_usage_error(one_cassette: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()

    run = invoke("cassettes", "diff", one_cassette, empty)

    assert run.exit_code == 2
    assert f"DIR_B {empty} contains no cassette files" in run.output


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"", "the file is empty"),
        (b"interactions: [\n", "invalid YAML"),
        (b"interactions: []\n", "the final 'version: 1' line is missing"),
    ],
    ids=["empty", "invalid-yaml", "truncated"],
)
def test_corrupt_cassette_names_file(one_cassette: Path, tmp_path: Path, content: bytes, detail: str) -> None:
    folder_b = tmp_path / "b"
    folder_b.mkdir()
    broken = folder_b / CREATED
    broken.write_bytes(content)

    run = invoke("cassettes", "diff", one_cassette, folder_b)

    assert run.exit_code == 2
    assert f"cassette {broken} is unreadable" in run.output
    assert detail in run.output


def test_corrupt_cassette_in_b_only(one_cassette: Path, tmp_path: Path) -> None:
    folder_b = copy_recording_folder(one_cassette, tmp_path / "b")
    broken = folder_b / "extra.yaml"
    broken.write_bytes(b"interactions: [\n")

    run = invoke("cassettes", "diff", one_cassette, folder_b)

    assert run.exit_code == 2
    assert f"cassette {broken} is unreadable" in run.output


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--ignore", "response[", "invalid --ignore pattern 'response['"),
        ("--substitute", "no-equals-sign", "'no-equals-sign' is not A_TEXT=B_TEXT"),
        ("--substitute", "=run-2-", "'=run-2-' is not A_TEXT=B_TEXT"),
        ("--fail-on", "breaking", "'breaking' is not one of 'any', 'status', 'none'"),
    ],
    ids=["bad-regex", "substitute-without-equals", "substitute-empty-text", "unknown-fail-on"],
)
def test_invalid_option_usage_error(one_cassette: Path, option: str, value: str, expected: str) -> None:
    run = invoke("cassettes", "diff", one_cassette, one_cassette, option, value)

    assert run.exit_code == 2
    assert expected in run.output
