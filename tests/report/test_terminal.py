"""render_results: failures with their paths, the verdict table, summary and colors."""

from __future__ import annotations

import pytest

from harness.contract import load_contract
from harness.report.deviation import Deviation
from harness.report.result import ScenarioResult, Verdict
from harness.report.terminal import render_result, render_results, render_verdict

CONTRACT = load_contract("1.3")
STAGE_MISSING = Deviation(
    "root['stage']", "missing-key", "contract", "present", None,
    "root['stage'] is missing, but the contract requires it in a 201 body.",
)


def _results() -> list[ScenarioResult]:
    return [
        ScenarioResult("core-created", "", "core", 201, None, "passed", 201),
        ScenarioResult("app-created", "", "app", 201, None, "passed", 201),
        ScenarioResult("core-missing-stage", "", "core", 201, None, "failed", 201,
                       deviations=[STAGE_MISSING], source="scenarios/create.yaml"),
        ScenarioResult("core-conflict", "", "core", 409, 10, "skipped",
                       message="the target lacks the variables app_id"),
        ScenarioResult("core-unreachable", "", "core", 400, 8, "error", message="could not reach the target"),
    ]


def _render(color: bool) -> str:
    results = _results()
    return render_results(results, Verdict.from_results(results, CONTRACT), color=color)


def test_failed_scenario_line_shows_id():
    lines = _render(False).splitlines()

    assert "FAILED core-missing-stage (scenarios/create.yaml)" in lines


def test_failed_scenario_shows_path_indented():
    lines = _render(False).splitlines()

    assert any(line.startswith("    root['stage'] [contract missing-key] is missing") for line in lines)


def test_error_scenario_shows_message():
    text = _render(False)

    assert "ERROR core-unreachable" in text
    assert "    could not reach the target" in text


def test_passed_scenarios_counted_in_one_line():
    text = _render(False)

    assert "2 scenarios passed." in text
    assert "core-created" not in text


def test_skipped_scenario_shows_reason():
    assert "skipped core-conflict: the target lacks the variables app_id" in _render(False)


def test_no_ansi_without_color():
    assert "\x1b[" not in _render(False)


def test_ansi_with_color():
    assert "\x1b[31m" in _render(True)


def test_table_row_per_response():
    lines = _render(False).splitlines()

    [created] = [line for line in lines if line.startswith("201 ")]
    [conflict] = [line for line in lines if line.startswith("409 problem 10 ")]

    assert created.split() == ["201", "Created", "FAILED", "certified"]
    assert conflict.endswith("not covered  not covered")


def test_table_columns_align():
    lines = render_verdict(Verdict.from_results(_results(), CONTRACT), color=False).splitlines()
    header = lines[0]

    core_column = header.index("core path")
    rows = [line for line in lines[1:] if line[:3].isdigit()]

    assert all(row[core_column - 2:core_column] == "  " for row in rows)
    assert len(rows) == 1 + len(CONTRACT.problems)


def test_summary_line_counts_outcomes():
    assert "2 passed, 1 failed, 1 skipped, 1 error" in _render(False)


def test_verdict_failed_line():
    assert "VERDICT: FAILED (contract version 1.3)" in _render(False)


def test_verdict_passed_line():
    results = [
        ScenarioResult(f"{op}-{p.number}", "", op, p.status, p.number, "passed")
        for p in CONTRACT.problems.values() for op in ("core", "app")
    ] + [ScenarioResult(f"{op}-201", "", op, 201, None, "passed") for op in ("core", "app")]

    text = render_results(results, Verdict.from_results(results, CONTRACT), color=False)

    assert "VERDICT: PASSED" in text


@pytest.mark.parametrize(
    ("outcome", "start"),
    [("failed", "FAILED core-missing-stage"), ("passed", "passed core-missing-stage")],
    ids=["failed", "passed"],
)
def test_render_single_result(outcome, start):
    result = ScenarioResult("core-missing-stage", "", "core", 201, None, outcome, 201,
                            deviations=[STAGE_MISSING] if outcome == "failed" else [])

    assert render_result(result, color=False).startswith(start)


def test_failed_heading_names_statuses():
    result = ScenarioResult("c", "", "core", 409, 10, "failed", 400, 8)

    heading = render_result(result, color=False).splitlines()[0]

    assert heading == "FAILED c: expected 409 problem 10, got 400 problem 8"
