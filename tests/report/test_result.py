"""ScenarioResult and Verdict: cell states, counts and the overall outcome."""

from __future__ import annotations

import json

import pytest

from harness.contract import load_contract
from harness.report.deviation import Deviation
from harness.report.result import (
    CERTIFIED,
    CELL_FAILED,
    NOT_COVERED,
    ScenarioResult,
    Verdict,
    documented_responses,
)

CONTRACT = load_contract("1.3")


def result(
    scenario_id: str, outcome: str, status: int = 201, problem: int | None = None, operation: str = "core"
) -> ScenarioResult:
    return ScenarioResult(scenario_id, f"{scenario_id} description", operation, status, problem, outcome)


def all_cells_passed() -> list[ScenarioResult]:
    return [
        result(f"{operation}-{status}-{problem}", "passed", status, problem, operation)
        for status, problem, _ in documented_responses(CONTRACT)
        for operation in ("core", "app")
    ]


CELL_CASES = [
    ("one-passed", ["passed"], CERTIFIED),
    ("passed-and-failed", ["passed", "failed"], CELL_FAILED),
    ("passed-and-error", ["passed", "error"], CELL_FAILED),
    ("only-skipped", ["skipped"], NOT_COVERED),
    ("passed-and-skipped", ["passed", "skipped"], CERTIFIED),
    ("none", [], NOT_COVERED),
]


@pytest.mark.parametrize(
    ("outcomes", "state"), [case[1:] for case in CELL_CASES], ids=[case[0] for case in CELL_CASES]
)
def test_cell_state(outcomes, state):
    results = [result(f"s{i}", outcome, 409, 10) for i, outcome in enumerate(outcomes)]

    verdict = Verdict.from_results(results, CONTRACT)

    assert verdict.cell("core", 409, 10).state == state


def test_cell_belongs_to_operation():
    verdict = Verdict.from_results([result("a", "passed", 409, 10, "app")], CONTRACT)

    assert verdict.cell("app", 409, 10).state == CERTIFIED
    assert verdict.cell("core", 409, 10).state == NOT_COVERED


def test_cell_lists_its_scenarios():
    verdict = Verdict.from_results([result("x", "passed"), result("y", "failed")], CONTRACT)

    assert verdict.cell("core", 201).scenario_ids == ("x", "y")


def test_cells_cover_contract_problems():
    verdict = Verdict.from_results([], CONTRACT)

    keys = {(cell.status, cell.problem) for cell in verdict.cells}

    assert keys == {(201, None)} | {(p.status, p.number) for p in CONTRACT.problems.values()}
    assert len(verdict.cells) == 2 * len(keys)


def test_older_version_has_fewer_cells():
    verdict = Verdict.from_results([], load_contract("1.0"))

    problems = {cell.problem for cell in verdict.cells}

    assert 168 not in problems
    assert 10 not in problems
    assert 8 in problems


def test_verdict_passes_when_every_cell_certified():
    verdict = Verdict.from_results(all_cells_passed(), CONTRACT)

    assert verdict.passed


def test_skipped_scenario_does_not_fail_verdict():
    verdict = Verdict.from_results(all_cells_passed() + [result("s", "skipped")], CONTRACT)

    assert verdict.passed
    assert verdict.counts["skipped"] == 1


def test_uncovered_cell_fails_verdict():
    results = [r for r in all_cells_passed() if r.scenario_id != "app-403-168"]

    verdict = Verdict.from_results(results, CONTRACT)

    assert not verdict.passed
    assert verdict.cell("app", 403, 168).state == NOT_COVERED


def test_failed_scenario_outside_cells_fails_verdict():
    stray = result("stray", "failed", 400, None)

    verdict = Verdict.from_results(all_cells_passed() + [stray], CONTRACT)

    assert not verdict.passed


def test_error_scenario_fails_verdict():
    verdict = Verdict.from_results(all_cells_passed() + [result("e", "error", 400, None)], CONTRACT)

    assert not verdict.passed


def test_counts_by_outcome():
    outcomes = ["passed", "passed", "failed", "skipped", "error"]
    results = [result(f"s{i}", outcome) for i, outcome in enumerate(outcomes)]

    counts = Verdict.from_results(results, CONTRACT).counts

    assert counts == {"passed": 2, "failed": 1, "skipped": 1, "error": 1}


def test_rows_group_operations():
    verdict = Verdict.from_results([], CONTRACT)

    first = verdict.rows()[0]

    assert [cell.operation for cell in first] == ["core", "app"]
    assert first[0].status == 201


def test_unknown_cell_raises_key_error():
    verdict = Verdict.from_results([], CONTRACT)

    with pytest.raises(KeyError):
        verdict.cell("core", 500)


@pytest.mark.parametrize(
    ("field", "value"), [("outcome", "done"), ("operation", "other")], ids=["outcome", "operation"]
)
def test_invalid_result_field_raises(field, value):
    arguments = {"outcome": "passed", "operation": "core"} | {field: value}

    with pytest.raises(ValueError, match=field):
        ScenarioResult("s", "", arguments["operation"], 201, None, arguments["outcome"])


def test_default_outcome_cannot_certify():
    pending = ScenarioResult("s", "", "core", 201, None)

    assert pending.outcome == "error"


def test_result_dict_round_trip():
    deviation = Deviation("root['stage']", "missing-key", "contract", "present", None, "missing")
    original = ScenarioResult(
        "s", "desc", "app", 409, 10, "failed", 400, 8, [deviation], "", "a.yaml", "c.yaml", True, 0.25
    )

    data = json.loads(json.dumps(original.to_dict()))

    assert ScenarioResult.from_dict(data) == original


def test_verdict_dict_is_json():
    verdict = Verdict.from_results([result("x", "passed")], CONTRACT)

    data = json.loads(json.dumps(verdict.to_dict()))

    assert data["passed"] is False
    assert data["cell_counts"]["certified"] == 1
