"""The `hook-harness` command, run in-process with click's runner and as a real process."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from harness.cli.main import cli
from harness.contract.examples import EXAMPLE_REQUEST
from harness.server.world import load_world

REPO = Path(__file__).resolve().parents[2]
SHIPPED_SCENARIOS = REPO / "scenarios"


@pytest.fixture()
def small_suite(tmp_path: Path) -> Path:
    """A copy of two shipped scenario files, so runs stay short and write only into tmp_path."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    picked = sorted(SHIPPED_SCENARIOS.rglob("*.yaml"))[:2]
    for index, path in enumerate(picked):
        shutil.copy(path, folder / f"{index}-{path.name}")
    return folder


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_run_records_then_replays_offline(small_suite: Path, tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"

    code, output = invoke("run", str(small_suite), "--record-mode", "once", "--cassette-dir", str(cassettes))
    assert code == 0, output
    recorded = sorted(p.name for p in cassettes.iterdir())
    assert recorded

    code, output = invoke("run", str(small_suite), "--record-mode", "none", "--cassette-dir", str(cassettes))
    assert code == 0, output


def test_run_replay_without_cassettes_says_how(small_suite: Path, tmp_path: Path) -> None:
    code, output = invoke("run", str(small_suite), "--record-mode", "none",
                          "--cassette-dir", str(tmp_path / "empty"))

    assert code == 1
    assert "--record-mode" in output


def test_run_writes_json_report(small_suite: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"

    code, output = invoke("run", str(small_suite), "--record-mode", "once",
                          "--cassette-dir", str(tmp_path / "c"), "--report", str(report))

    assert code == 0, output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["results"]
    assert "hh-owner" not in report.read_text(encoding="utf-8")


def test_run_missing_path_is_usage_error(tmp_path: Path) -> None:
    code, output = invoke("run", str(tmp_path / "nowhere"))

    assert code == 2
    assert "nowhere" in output


def test_run_unknown_option_is_usage_error() -> None:
    code, output = invoke("run", "--record-mod", "all")

    assert code == 2
    assert "--record-mod" in output


def test_certify_shipped_suite_passes(tmp_path: Path) -> None:
    out = tmp_path / "cert"

    code, output = invoke("certify", str(SHIPPED_SCENARIOS), "--out", str(out), "--no-color")

    assert code == 0, output
    assert "problem 168" in output or "168" in output
    assert (out / "report.json").is_file()
    assert any((out / "cassettes").iterdir())


def test_certify_refuses_existing_folder(small_suite: Path, tmp_path: Path) -> None:
    out = tmp_path / "cert"
    out.mkdir()
    (out / "keep.txt").write_text("earlier work", encoding="utf-8")

    code, output = invoke("certify", str(small_suite), "--out", str(out))

    assert code == 2
    assert "never overwrites" in output
    assert (out / "keep.txt").read_text(encoding="utf-8") == "earlier work"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def served() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "harness.cli.main", "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(process.stdout.read().decode()) from None
                time.sleep(0.05)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_answers_example_request(served: str) -> None:
    world = load_world()
    account = world.variables["account_id"]
    token = world.variables["tokens.owner"]

    response = requests.post(
        f"{served}/accounts/{account}/core/v1/executionHooks",
        json=EXAMPLE_REQUEST,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )

    assert response.status_code == 201
    assert response.json()["name"] == "Payroll"


def test_serve_busy_port_is_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        code, output = invoke("serve", "--port", str(port))

    assert code == 1
    assert f"127.0.0.1:{port}" in output
    assert "Traceback" not in output


def test_run_all_skipped_exits_nonzero(small_suite: Path, tmp_path: Path) -> None:
    code, output = invoke("run", str(small_suite), "--record-mode", "once",
                          "--cassette-dir", str(tmp_path / "c"), "--api-version", "1.0",
                          "--select", "*failover*")

    assert code == 1
    assert "skipped" in output


def test_run_world_with_profile_is_usage_error(small_suite: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("base_url: http://127.0.0.1:9\nvariables: {}\n", encoding="utf-8")
    world = REPO / "harness" / "server" / "default_world.yaml"

    code, output = invoke("run", str(small_suite), "--profile", str(profile), "--world", str(world))

    assert code == 2
    assert "--world" in output


def test_select_matching_nothing_names_pattern(small_suite: Path, tmp_path: Path) -> None:
    code, output = invoke("run", str(small_suite), "--select", "nothing*",
                          "--cassette-dir", str(tmp_path / "c"))

    assert code == 2
    assert "'nothing*'" in output
    assert "scenarios were loaded" in output


def test_certify_world_with_profile_is_usage_error(small_suite: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("base_url: http://127.0.0.1:9\nvariables: {}\n", encoding="utf-8")
    world = REPO / "harness" / "server" / "default_world.yaml"

    code, output = invoke("certify", str(small_suite), "--profile", str(profile), "--world", str(world),
                          "--out", str(tmp_path / "cert"))

    assert code == 2
    assert "--world" in output
    assert not (tmp_path / "cert").exists()
