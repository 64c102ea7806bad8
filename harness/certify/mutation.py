"""Mutation score: how many seeded server faults the scenario suite detects.

The suite first runs against a reference server without faults. Scenarios that fail there
are left out of the fault runs, because they would "detect" every fault. Then each fault
gets a fresh reference server with only that fault switched on, and the suite runs live
against it, recording into a scratch folder. A fault is detected when a scenario fails or
errors; by default its run stops at the first such scenario.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from harness.report.result import ERROR, FAILED, PASSED, ScenarioResult
from harness.runner.execute import RunSettings, run_scenario
from harness.runner.suite import run_all
from harness.runner.targets import Target
from harness.scenario.model import Scenario
from harness.server.faults import FAULTS, resolve_faults
from harness.server.running import ReferenceServer
from harness.server.world import World, load_world

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FaultOutcome:
    """The run of the suite against one fault: the scenarios that detected it, if any."""

    fault: str
    description: str
    detected_by: tuple[str, ...]
    scenarios_run: int

    @property
    def detected(self) -> bool:
        return bool(self.detected_by)

    def to_dict(self) -> dict[str, object]:
        return {
            "fault": self.fault,
            "description": self.description,
            "detected": self.detected,
            "detected_by": list(self.detected_by),
            "scenarios_run": self.scenarios_run,
        }


@dataclass
class MutationReport:
    """The baseline run without faults and one outcome per fault."""

    baseline: list[ScenarioResult]
    outcomes: list[FaultOutcome] = field(default_factory=list)

    @property
    def baseline_failures(self) -> list[ScenarioResult]:
        return [result for result in self.baseline if result.outcome in (FAILED, ERROR)]

    @property
    def survivors(self) -> list[FaultOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.detected]

    @property
    def score(self) -> float:
        """The share of faults detected, from 0.0 to 1.0; 0.0 when no fault ran."""
        if not self.outcomes:
            return 0.0
        return (len(self.outcomes) - len(self.survivors)) / len(self.outcomes)

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and not self.survivors and not self.baseline_failures

    def to_dict(self) -> dict[str, object]:
        return {
            "score": self.score,
            "faults": len(self.outcomes),
            "detected": len(self.outcomes) - len(self.survivors),
            "survivors": [outcome.fault for outcome in self.survivors],
            "baseline_failures": [result.scenario_id for result in self.baseline_failures],
            "outcomes": [outcome.to_dict() for outcome in self.outcomes],
        }


def fault_names(selected: Sequence[str] = ()) -> list[str]:
    """Return `selected`, or every known fault when it is empty; ValueError for unknown names."""
    names = list(selected) or list(FAULTS)
    resolve_faults(names)
    return names


def run_mutation(
    scenarios: Sequence[Scenario],
    faults: Sequence[str] = (),
    *,
    world: World | None = None,
    api_version: str = "1.3",
    strict: bool = True,
    stop_at_first: bool = True,
    on_outcome: Callable[[FaultOutcome], None] | None = None,
) -> MutationReport:
    """Run `scenarios` against a clean reference server, then once per fault.

    `faults` defaults to every known fault. `on_outcome` is called after each fault, for
    progress output. Cassettes go to a temporary folder that is removed afterwards.
    """
    names = fault_names(faults)
    world = world if world is not None else load_world()
    with tempfile.TemporaryDirectory(prefix="hook-harness-mutation-") as scratch:
        settings = RunSettings(Path(scratch) / "baseline", "all", api_version, strict)
        with _server(world, api_version, ()) as target:
            baseline = run_all(scenarios, target, settings)
        report = MutationReport(baseline)
        usable = _passing(scenarios, baseline)
        for name in names:
            settings = RunSettings(Path(scratch) / name, "all", api_version, strict)
            outcome = _run_fault(name, usable, world, settings, stop_at_first)
            report.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
    logger.info("mutation score %.3f over %d faults", report.score, len(report.outcomes))
    return report


def _passing(scenarios: Iterable[Scenario], baseline: list[ScenarioResult]) -> list[Scenario]:
    passed = {result.scenario_id for result in baseline if result.outcome == PASSED}
    return [scenario for scenario in scenarios if scenario.id in passed]


def _run_fault(
    name: str, scenarios: list[Scenario], world: World, settings: RunSettings, stop_at_first: bool
) -> FaultOutcome:
    detected: list[str] = []
    run = 0
    with _server(world, settings.contract_version, (name,)) as target:
        for scenario in scenarios:
            result = run_scenario(scenario, target, settings)
            run += 1
            if result.outcome in (FAILED, ERROR):
                detected.append(scenario.id)
                if stop_at_first:
                    break
    logger.info("fault %s: %s", name, f"detected by {detected[0]}" if detected else "survived")
    return FaultOutcome(name, FAULTS[name].description, tuple(detected), run)


@contextlib.contextmanager
def _server(world: World, api_version: str, faults: tuple[str, ...]) -> Iterator[Target]:
    """Yield a runner target for a fresh reference server with `faults` switched on."""
    with ReferenceServer(world, api_version=api_version, faults=faults) as server:
        label = f" with fault {', '.join(faults)}" if faults else ""
        yield Target(server.base_url, server.variables, server.secrets,
                     description=f"reference server {server.base_url}{label}")
