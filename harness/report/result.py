"""Scenario results and the verdict over every documented response of the contract.

The verdict has one cell per operation (core path, app path) and documented response (201,
and each problem type of the contract's version). A cell is certified when at least one
scenario expecting that response passed and none failed or broke.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.contract import Contract
from harness.report.deviation import Deviation

PASSED = "passed"
FAILED = "failed"
SKIPPED = "skipped"
ERROR = "error"
OUTCOMES = (PASSED, FAILED, SKIPPED, ERROR)

OPERATIONS = ("core", "app")

CERTIFIED = "certified"
CELL_FAILED = "failed"
NOT_COVERED = "not covered"
CELL_STATES = (CERTIFIED, CELL_FAILED, NOT_COVERED)

CREATED_TITLE = "Created"


@dataclass
class ScenarioResult:
    """The outcome of one scenario run.

    `outcome` is passed, failed (deviations found), skipped or error (the scenario could not
    run, for example because the target refused the connection). `message` gives the reason
    for the last two. The default outcome is error, so a result that is never completed cannot
    certify anything. `duration` is in seconds. `actual_status` is None when no response
    came back.
    """

    scenario_id: str
    description: str
    operation: str
    expected_status: int
    expected_problem: int | None
    outcome: str = ERROR
    actual_status: int | None = None
    actual_problem: int | None = None
    deviations: list[Deviation] = field(default_factory=list)
    message: str = ""
    source: Path | str | None = None
    cassette: Path | str | None = None
    replayed: bool = False
    duration: float = 0.0

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, got {self.outcome!r}")
        if self.operation not in OPERATIONS:
            raise ValueError(f"operation must be one of {', '.join(OPERATIONS)}, got {self.operation!r}")

    @property
    def is_blocking(self) -> bool:
        """Whether this result keeps the verdict from passing (failed or error)."""
        return self.outcome in (FAILED, ERROR)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario_id": self.scenario_id,
            "description": self.description,
            "source": None if self.source is None else str(self.source),
            "operation": self.operation,
            "expected": {"status": self.expected_status, "problem": self.expected_problem},
            "actual": {"status": self.actual_status, "problem": self.actual_problem},
            "outcome": self.outcome,
            "deviations": [deviation.to_dict() for deviation in self.deviations],
            "message": self.message,
            "cassette": None if self.cassette is None else str(self.cassette),
            "replayed": self.replayed,
            "duration_seconds": round(self.duration, 6),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioResult:
        """Rebuild a result from `to_dict()` output, for results sent between processes."""
        expected = data.get("expected", {})
        actual = data.get("actual", {})
        return cls(
            scenario_id=data["scenario_id"],
            description=data.get("description", ""),
            operation=data["operation"],
            expected_status=expected["status"],
            expected_problem=expected.get("problem"),
            outcome=data["outcome"],
            actual_status=actual.get("status"),
            actual_problem=actual.get("problem"),
            deviations=[Deviation.from_dict(item) for item in data.get("deviations", [])],
            message=data.get("message", ""),
            source=data.get("source"),
            cassette=data.get("cassette"),
            replayed=bool(data.get("replayed", False)),
            duration=float(data.get("duration_seconds", 0.0)),
        )


@dataclass(frozen=True)
class VerdictCell:
    """The state of one documented response on one operation, and the scenarios behind it."""

    operation: str
    status: int
    problem: int | None
    title: str
    state: str
    scenario_ids: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(self.status) if self.problem is None else f"{self.status} problem {self.problem}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "status": self.status,
            "problem": self.problem,
            "title": self.title,
            "state": self.state,
            "scenarios": list(self.scenario_ids),
        }


@dataclass(frozen=True)
class Verdict:
    """Cells of the contract's documented responses and the outcome counts of a run."""

    contract_version: str
    cells: tuple[VerdictCell, ...]
    counts: dict[str, int]

    @classmethod
    def from_results(cls, results: list[ScenarioResult], contract: Contract) -> Verdict:
        cells = tuple(
            _cell(operation, status, problem, title, results)
            for status, problem, title in documented_responses(contract)
            for operation in OPERATIONS
        )
        counts = {outcome: 0 for outcome in OUTCOMES}
        for result in results:
            counts[result.outcome] += 1
        return cls(contract.version, cells, counts)

    @property
    def passed(self) -> bool:
        """True when no scenario failed or broke and every cell is certified.

        Skipped scenarios neither certify nor fail a cell.
        """
        no_failures = self.counts[FAILED] == 0 and self.counts[ERROR] == 0
        return no_failures and all(cell.state == CERTIFIED for cell in self.cells)

    def cell(self, operation: str, status: int, problem: int | None = None) -> VerdictCell:
        """Return the cell of one operation and documented response, raising KeyError if none."""
        for cell in self.cells:
            if (cell.operation, cell.status, cell.problem) == (operation, status, problem):
                return cell
        raise KeyError(f"no verdict cell for {operation} {status} problem {problem}")

    def rows(self) -> list[tuple[VerdictCell, ...]]:
        """Return the cells grouped by documented response, in the order of OPERATIONS."""
        width = len(OPERATIONS)
        return [self.cells[i:i + width] for i in range(0, len(self.cells), width)]

    def cell_counts(self) -> dict[str, int]:
        counts = {state: 0 for state in CELL_STATES}
        for cell in self.cells:
            counts[cell.state] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "contract_version": self.contract_version,
            "passed": self.passed,
            "counts": dict(self.counts),
            "cell_counts": self.cell_counts(),
            "cells": [cell.to_dict() for cell in self.cells],
        }


def documented_responses(contract: Contract) -> list[tuple[int, int | None, str]]:
    """Return (status, problem number, title) of 201 and of each documented problem type."""
    problems = sorted(contract.problems.values(), key=lambda p: (p.status, p.number))
    return [(201, None, CREATED_TITLE)] + [(p.status, p.number, p.title) for p in problems]


def _cell(
    operation: str, status: int, problem: int | None, title: str, results: list[ScenarioResult]
) -> VerdictCell:
    matching = [
        result for result in results
        if (result.operation, result.expected_status, result.expected_problem)
        == (operation, status, problem)
    ]
    if any(result.is_blocking for result in matching):
        state = CELL_FAILED
    elif any(result.outcome == PASSED for result in matching):
        state = CERTIFIED
    else:
        state = NOT_COVERED
    ids = tuple(result.scenario_id for result in matching)
    return VerdictCell(operation, status, problem, title, state, ids)
