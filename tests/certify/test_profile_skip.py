"""Tests of a target profile that lacks a token: its scenarios are skipped, counted, explained."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli
from harness.report.result import NOT_COVERED
from harness.runner.execute import RunSettings
from harness.runner.suite import SuiteOptions, SuiteResult, run_suite
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
    set_tokens(monkeypatch, fresh_server)
    return write_profile(tmp_path, fresh_server, token_env())


def set_tokens(monkeypatch: pytest.MonkeyPatch, server: ReferenceServer) -> None:
    for role, env_name in token_env().items():
        if role == "viewer":
            monkeypatch.delenv(env_name, raising=False)
        else:
            monkeypatch.setenv(env_name, server.variables[f"tokens.{role}"])


@pytest.fixture(scope="module")
def viewerless_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteResult:
    """The shipped suite run through a profile without the viewer token."""
    folder = tmp_path_factory.mktemp("viewerless")
    with ReferenceServer() as server, pytest.MonkeyPatch.context() as monkeypatch:
        set_tokens(monkeypatch, server)
        profile = write_profile(folder, server, token_env())
        options = SuiteOptions([SHIPPED_SCENARIOS], RunSettings(folder / "cassettes", "all"),
                               profile=profile)
        return run_suite(options)


def viewer_scenarios(scenarios: list[Scenario]) -> set[str]:
    return {scenario.id for scenario in scenarios if "tokens.viewer" in scenario.variables}


def test_missing_token_skips(viewerless_run: SuiteResult, shipped_scenarios: list[Scenario]) -> None:
    expected_skips = viewer_scenarios(shipped_scenarios)
    skipped = {r.scenario_id: r.message for r in viewerless_run.results if r.outcome == "skipped"}

    assert expected_skips
    assert expected_skips <= set(skipped)
    for scenario_id in expected_skips:
        assert "tokens.viewer" in skipped[scenario_id]
        assert VIEWER_ENV in skipped[scenario_id]


def test_missing_token_counted(viewerless_run: SuiteResult) -> None:
    counts = viewerless_run.verdict.counts

    assert counts["skipped"] == sum(1 for r in viewerless_run.results if r.outcome == "skipped")
    assert counts["skipped"] > 1
    assert counts["failed"] == 0
    assert counts["error"] == 0
    assert counts["passed"] == len(viewerless_run.results) - counts["skipped"]


def test_missing_token_leaves_cell_uncovered(viewerless_run: SuiteResult) -> None:
    verdict = viewerless_run.verdict

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
