"""`hook-harness run --api-version`: the server it starts, the contract it checks, the suite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.contract.facts import API_VERSIONS
from harness.recording.paths import cassette_file_name
from harness.scenario.loader import load_scenarios

from .conftest import DRILL_SCENARIOS, SHIPPED_SCENARIOS, Recordings, invoke


def results_by_id(report: Path) -> dict[str, dict]:
    return {result["scenario_id"]: result for result in json.loads(report.read_text())["results"]}


@pytest.mark.parametrize("version", API_VERSIONS, ids=[f"v{version}" for version in API_VERSIONS])
def test_suite_passes_at_version(recordings: Recordings, version: str) -> None:
    recording = recordings.get(version)

    assert recording.run.exit_code == 0, recording.run.output
    assert "0 failed" in recording.run.output


@pytest.mark.parametrize("version", API_VERSIONS, ids=[f"v{version}" for version in API_VERSIONS])
def test_suite_records_scenarios_of_version(recordings: Recordings, version: str) -> None:
    loaded = load_scenarios([SHIPPED_SCENARIOS])
    expected = {
        cassette_file_name(scenario.id)
        for scenario in loaded.scenarios
        if scenario.versions is None or version in scenario.versions
    }

    recording = recordings.get(version)

    assert loaded.errors == []
    assert expected
    assert {path.name for path in recording.folder.iterdir()} == expected


@pytest.mark.parametrize("version", API_VERSIONS, ids=[f"v{version}" for version in API_VERSIONS])
def test_report_names_contract_version(recordings: Recordings, version: str) -> None:
    recording = recordings.get(version)

    meta = json.loads(recording.report.read_text())["meta"]

    assert meta["contract_version"] == version
    assert meta["record_mode"] == "all"


def test_every_version_skips_only_other_versions(recordings: Recordings) -> None:
    for version in API_VERSIONS:
        results = results_by_id(recordings.get(version).report)
        for scenario_id, result in results.items():
            if result["outcome"] == "skipped":
                assert f"not {version}" in result["message"], scenario_id
            else:
                assert result["outcome"] == "passed", scenario_id


@pytest.mark.parametrize(
    ("version", "status", "problem"),
    [("1.2", 400, 8), ("1.3", 201, None)],
    ids=["v1.2-rejects-failover", "v1.3-creates-failover"],
)
def test_server_emulates_api_version(recordings: Recordings, version: str, status: int, problem: int | None) -> None:
    recording = recordings.get(version, scenarios=DRILL_SCENARIOS)

    actual = results_by_id(recording.report)["drill-failover-post"]["actual"]

    assert actual["status"] == status
    assert actual["problem"] == problem


def test_checker_uses_api_version_contract(recordings: Recordings, tmp_path: Path) -> None:
    recorded = recordings.get("1.3", scenarios=DRILL_SCENARIOS)
    report = tmp_path / "replay-1.2.json"

    replay = invoke("run", DRILL_SCENARIOS, "--record-mode", "none", "--cassette-dir", recorded.folder,
                    "--api-version", "1.2", "--select", "drill-failover-post", "--report", report)

    result = results_by_id(report)["drill-failover-post"]
    found = {(deviation["path"], deviation["kind"], deviation["source"]) for deviation in result["deviations"]}
    assert replay.exit_code == 1
    assert result["replayed"] is True
    assert result["actual"]["status"] == 201
    assert found == {("root['version']", "enum", "contract"), ("root['action']", "enum", "contract")}


def test_replay_at_recorded_version_passes(recordings: Recordings) -> None:
    recorded = recordings.get("1.3", scenarios=DRILL_SCENARIOS)

    replay = invoke("run", DRILL_SCENARIOS, "--record-mode", "none", "--cassette-dir", recorded.folder,
                    "--api-version", "1.3", "--select", "drill-failover-post")

    assert replay.exit_code == 0, replay.output
