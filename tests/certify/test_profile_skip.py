"""Tests of a target profile that lacks a token: its scenarios are skipped, counted, explained."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.report.result import NOT_COVERED
from harness.runner.execute import RunSettings
from harness.runner.suite import SuiteOptions, run_suite
from harness.scenario.model import Scenario
from harness.server.running import ReferenceServer

from .conftest import SHIPPED_SCENARIOS, write_profile

ROLES = ("owner", "admin", "member", "viewer", "disabled_owner", "invalid")
VIEWER_ENV = "HH_CERTIFY_TEST_VIEWER_TOKEN"


def token_env() -> dict[str, str]:
    return {role: f"HH_CERTIFY_TEST_{role.upper()}_TOKEN" for role in ROLES}


@pytest.fixture()
def viewerless_profile(
    tmp_path: Path, fresh_server: ReferenceServer, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A profile for `fresh_server` whose viewer token variable is unset."""
    for role, env_name in token_env().items():
        if role == "viewer":
            monkeypatch.delenv(env_name, raising=False)
        else:
            monkeypatch.setenv(env_name, fresh_server.variables[f"tokens.{role}"])
    return write_profile(tmp_path, fresh_server, token_env())


def viewer_scenarios(scenarios: list[Scenario]) -> set[str]:
    return {scenario.id for scenario in scenarios if "tokens.viewer" in scenario.variables}


def test_missing_token_skips(
    viewerless_profile: Path, tmp_path: Path, shipped_scenarios: list[Scenario]
) -> None:
    settings = RunSettings(tmp_path / "cassettes", "all")
    options = SuiteOptions([SHIPPED_SCENARIOS], settings, profile=viewerless_profile)

    outcome = run_suite(options)

    expected_skips = viewer_scenarios(shipped_scenarios)
    skipped = {r.scenario_id: r.message for r in outcome.results if r.outcome == "skipped"}
    assert expected_skips
    assert expected_skips <= set(skipped)
    for scenario_id in expected_skips:
        assert "tokens.viewer" in skipped[scenario_id]
        assert VIEWER_ENV in skipped[scenario_id]
    assert outcome.verdict.counts["skipped"] == len(skipped)
    assert outcome.verdict.counts["failed"] == 0
    assert outcome.verdict.counts["error"] == 0


def test_missing_token_leaves_cell_uncovered(viewerless_profile: Path, tmp_path: Path) -> None:
    options = SuiteOptions([SHIPPED_SCENARIOS], RunSettings(tmp_path / "c", "all"),
                           profile=viewerless_profile)

    verdict = run_suite(options).verdict

    assert verdict.cell("core", 403, 11).state == NOT_COVERED
    assert verdict.cell("app", 403, 11).state == NOT_COVERED
    assert not verdict.passed


def test_cli_prints_skip_reason(viewerless_profile: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [
        "run", str(SHIPPED_SCENARIOS / "problems" / "permission.yaml"), "--profile",
        str(viewerless_profile), "--record-mode", "all", "--cassette-dir", str(tmp_path / "c"),
        "--no-color",
    ])

    assert "skipped core-problem-11-viewer: the target lacks the variables tokens.viewer" in result.output
    assert VIEWER_ENV in result.output
    assert "2 skipped" in result.output
