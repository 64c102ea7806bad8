"""Tests of the requirement-to-scenario map and the coverage gate, on real scenario results."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness.certify.traceability import BROKEN, COVERED, build_traceability, render_traceability
from harness.contract import load_contract
from harness.report.result import ScenarioResult
from harness.scenario.model import Scenario

CONTRACT = load_contract("1.3")


def without_problem_8(scenarios: list[Scenario]) -> list[Scenario]:
    """Drop the only scenarios that cover create body constraints."""
    return [s for s in scenarios if s.expect.problem_number != 8]


def passing(scenarios: list[Scenario]) -> list[ScenarioResult]:
    return [
        ScenarioResult(s.id, s.description, s.operation, s.expect.status, s.expect.problem_number,
                       outcome="passed")
        for s in scenarios
    ]


def test_full_suite_passes_gate(shipped_scenarios: list[Scenario]) -> None:
    traceability = build_traceability(shipped_scenarios, passing(shipped_scenarios), CONTRACT)

    assert traceability.gate_passed
    assert traceability.gaps == ()


def test_state_per_requirement(shipped_scenarios: list[Scenario]) -> None:
    results = passing(shipped_scenarios)
    results = [
        replace(r, outcome="failed") if r.scenario_id == "core-problem-8-name-too-long" else r
        for r in results
    ]

    traces = {t.requirement.id: t for t in build_traceability(shipped_scenarios, results, CONTRACT).traces}

    assert traces["request.name.length"].state == BROKEN
    assert traces["request.name.required"].state == COVERED
    ids = [item.scenario_id for item in traces["request.name.length"].coverage]
    assert "core-problem-8-name-too-long" in ids


def test_uncovered_without_scenarios(shipped_scenarios: list[Scenario]) -> None:
    remaining = without_problem_8(shipped_scenarios)

    traceability = build_traceability(remaining, passing(remaining), CONTRACT)

    uncovered = {trace.requirement.id for trace in traceability.uncovered()}
    assert "request.name.length" in uncovered
    assert "request.name.required" in uncovered
    assert "header.location" not in uncovered


@pytest.mark.parametrize(("problem", "operation"), [
    pytest.param(168, "app", id="problem-168-app"),
    pytest.param(73, "core", id="problem-73-core"),
    pytest.param(2, "app", id="problem-2-app"),
])
def test_gate_gap_when_path_skipped(
    shipped_scenarios: list[Scenario], problem: int, operation: str
) -> None:
    requirement_id = f"problem.{problem}"
    results = [
        replace(r, outcome="skipped") if (r.expected_problem, r.operation) == (problem, operation) else r
        for r in passing(shipped_scenarios)
    ]

    traceability = build_traceability(shipped_scenarios, results, CONTRACT)

    gaps = {(gap.requirement_id, gap.operation) for gap in traceability.gaps}
    assert not traceability.gate_passed
    assert (requirement_id, operation) in gaps
    assert (requirement_id, "app" if operation == "core" else "core") not in gaps


def test_gate_gap_when_scenario_fails(shipped_scenarios: list[Scenario]) -> None:
    results = [
        replace(r, outcome="failed") if r.expected_problem == 162 and r.operation == "core" else r
        for r in passing(shipped_scenarios)
    ]

    traceability = build_traceability(shipped_scenarios, results, CONTRACT)

    assert ("problem.162", "core") in {(g.requirement_id, g.operation) for g in traceability.gaps}


def test_to_dict_lists_uncovered(shipped_scenarios: list[Scenario]) -> None:
    remaining = without_problem_8(shipped_scenarios)
    document = build_traceability(remaining, passing(remaining), CONTRACT).to_dict()

    assert document["gate"]["passed"] is False
    assert "request.name.length" in document["uncovered"]
    entry = next(item for item in document["requirements"] if item["id"] == "problem.2")
    operations = {scenario["operation"] for scenario in entry["scenarios"]}
    assert operations == {"core", "app"}
    assert document["counts"]["requirements"] == len(document["requirements"])


def test_render_names_gaps(shipped_scenarios: list[Scenario]) -> None:
    remaining = [
        s for s in without_problem_8(shipped_scenarios)
        if (s.expect.problem_number, s.operation) != (11, "app")
    ]
    results = passing(remaining)

    text = render_traceability(build_traceability(remaining, results, CONTRACT), color=False)

    assert "Coverage gate: FAILED" in text
    assert "problem.11 has no passing scenario on the app-scoped path" in text
    assert "not covered request.name.length" in text
