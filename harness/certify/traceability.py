"""Requirement traceability: each contract requirement, the scenarios that cover it, their results.

The coverage gate fails when a documented status or problem type has no passing scenario
on the core path or on the app-scoped path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from harness.certify.coverage import scenario_requirements
from harness.contract import Contract
from harness.contract.requirements import PROBLEM, STATUS, Requirement, requirements
from harness.report.result import ERROR, FAILED, OPERATIONS, PASSED, ScenarioResult
from harness.report.terminal import BOLD, DIM, GREEN, RED, RESET, YELLOW
from harness.scenario.model import Scenario

COVERED = "passed"
BROKEN = "failed"
UNCOVERED = "not covered"
TRACE_STATES = (COVERED, BROKEN, UNCOVERED)

GATED_CATEGORIES = (STATUS, PROBLEM)
_OPERATION_NAMES = {"core": "core path", "app": "app-scoped path"}


@dataclass(frozen=True)
class Coverage:
    """One scenario covering a requirement, and how that scenario ended."""

    scenario_id: str
    operation: str
    outcome: str
    basis: str

    def to_dict(self) -> dict[str, str]:
        return {
            "scenario": self.scenario_id,
            "operation": self.operation,
            "outcome": self.outcome,
            "basis": self.basis,
        }


@dataclass(frozen=True)
class RequirementTrace:
    """A requirement and the scenarios that cover it.

    The state is `passed` when a covering scenario passed and none failed or broke,
    `failed` when one failed or broke, and `not covered` when none ran (skipped ones
    do not count).
    """

    requirement: Requirement
    coverage: tuple[Coverage, ...]

    @property
    def state(self) -> str:
        outcomes = {item.outcome for item in self.coverage}
        if outcomes & {FAILED, ERROR}:
            return BROKEN
        if PASSED in outcomes:
            return COVERED
        return UNCOVERED

    def passes_on(self, operation: str) -> bool:
        return any(item.operation == operation and item.outcome == PASSED for item in self.coverage)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.requirement.to_dict(),
            "state": self.state,
            "scenarios": [item.to_dict() for item in self.coverage],
        }


@dataclass(frozen=True)
class GateGap:
    """A documented status or problem type without a passing scenario on one operation."""

    requirement_id: str
    operation: str

    def __str__(self) -> str:
        return f"{self.requirement_id} has no passing scenario on the {_OPERATION_NAMES[self.operation]}"


@dataclass(frozen=True)
class Traceability:
    """Every requirement of one contract version with its coverage, and the gate's gaps."""

    contract_version: str
    traces: tuple[RequirementTrace, ...]
    gaps: tuple[GateGap, ...]

    @property
    def gate_passed(self) -> bool:
        return not self.gaps

    def uncovered(self) -> list[RequirementTrace]:
        return [trace for trace in self.traces if trace.state == UNCOVERED]

    def state_counts(self) -> dict[str, int]:
        counts = {state: 0 for state in TRACE_STATES}
        for trace in self.traces:
            counts[trace.state] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "contract_version": self.contract_version,
            "counts": {"requirements": len(self.traces), **self.state_counts()},
            "gate": {"passed": self.gate_passed, "gaps": [_gap_dict(gap) for gap in self.gaps]},
            "uncovered": [trace.requirement.id for trace in self.uncovered()],
            "requirements": [trace.to_dict() for trace in self.traces],
        }


def _gap_dict(gap: GateGap) -> dict[str, str]:
    return {"requirement": gap.requirement_id, "operation": gap.operation, "message": str(gap)}


def build_traceability(
    scenarios: Iterable[Scenario], results: Iterable[ScenarioResult], contract: Contract
) -> Traceability:
    """Map each requirement of `contract` to the scenarios covering it and their outcomes.

    Scenarios without a result (not run) are left out.
    """
    outcomes = {result.scenario_id: result.outcome for result in results}
    covering: dict[str, list[Coverage]] = {}
    for scenario in scenarios:
        outcome = outcomes.get(scenario.id)
        if outcome is None:
            continue
        for requirement_id, basis in scenario_requirements(scenario, contract).items():
            covering.setdefault(requirement_id, []).append(
                Coverage(scenario.id, scenario.operation, outcome, basis)
            )
    traces = tuple(
        RequirementTrace(requirement, tuple(covering.get(requirement.id, ())))
        for requirement in requirements(contract)
    )
    return Traceability(contract.version, traces, _gate_gaps(traces))


def _gate_gaps(traces: tuple[RequirementTrace, ...]) -> tuple[GateGap, ...]:
    return tuple(
        GateGap(trace.requirement.id, operation)
        for trace in traces
        if trace.requirement.category in GATED_CATEGORIES
        for operation in OPERATIONS
        if not trace.passes_on(operation)
    )


def render_traceability(traceability: Traceability, *, color: bool) -> str:
    """Return the terminal section: coverage counts, uncovered requirements, the gate."""

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if color else text

    counts = traceability.state_counts()
    total = len(traceability.traces)
    lines = [
        paint(f"Requirement coverage (contract version {traceability.contract_version})", BOLD),
        f"{total - counts[UNCOVERED]} of {total} requirements covered: {counts[COVERED]} passed, "
        f"{counts[BROKEN]} failed, {counts[UNCOVERED]} not covered.",
    ]
    failed = [trace for trace in traceability.traces if trace.state == BROKEN]
    for trace in failed:
        ids = ", ".join(item.scenario_id for item in trace.coverage if item.outcome in (FAILED, ERROR))
        lines.append(f"  {paint('failed', RED)} {trace.requirement.id}: {ids}")
    for trace in traceability.uncovered():
        lines.append(paint(f"  not covered {trace.requirement.id}: {trace.requirement.description}", DIM))
    if traceability.gate_passed:
        lines.append(paint("Coverage gate: PASSED", GREEN + BOLD)
                     + " (every documented status and problem type passed on both paths)")
    else:
        lines.append(paint("Coverage gate: FAILED", RED + BOLD))
        lines += [paint(f"  {gap}", YELLOW) for gap in traceability.gaps]
    return "\n".join(lines)
