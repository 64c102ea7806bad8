"""Run a whole set of scenario files and sum the results into a verdict."""

from __future__ import annotations

import contextlib
import fnmatch
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from harness.recording.cassette import find_path_collisions
from harness.report.result import ScenarioResult, Verdict
from harness.runner.execute import RunSettings, run_scenario
from harness.runner.targets import Target, profile_target, reference_target
from harness.scenario.loader import load_scenarios
from harness.scenario.model import Scenario, ScenarioError

logger = logging.getLogger(__name__)


@dataclass
class SuiteOptions:
    """Everything a run needs, after flags, profile file and defaults have been merged."""

    scenario_paths: list[Path]
    settings: RunSettings
    profile: Path | None = None
    world: Path | None = None
    select: tuple[str, ...] = ()


@dataclass
class SuiteResult:
    results: list[ScenarioResult]
    verdict: Verdict
    load_errors: list[ScenarioError] = field(default_factory=list)
    target_description: str = ""

    @property
    def passed(self) -> bool:
        """True when every scenario passed or was skipped and every file loaded."""
        return not any(r.is_blocking for r in self.results) and not self.load_errors

    @property
    def certified(self) -> bool:
        """True when `passed` and every documented response is certified on both paths."""
        return self.passed and self.verdict.passed


class SuiteError(Exception):
    """The suite cannot run at all: no scenarios, or scenarios that collide on one cassette."""


def collect(options: SuiteOptions) -> tuple[list[Scenario], list[ScenarioError]]:
    """Load the scenarios, keep the selected ones, and reject cassette path collisions."""
    loaded = load_scenarios(options.scenario_paths)
    scenarios = [s for s in loaded.scenarios if _selected(s.id, options.select)]
    collisions = find_path_collisions([s.id for s in scenarios])
    if collisions:
        pairs = "; ".join(f"{a!r} and {b!r}" for a, b in collisions)
        raise SuiteError(
            f"scenario ids that resolve to one cassette file: {pairs}. Rename one of each pair"
            " so that every scenario records to its own cassette."
        )
    if not scenarios and not loaded.errors:
        where = ", ".join(str(p) for p in options.scenario_paths)
        if loaded.scenarios:
            patterns = " ".join(repr(p) for p in options.select)
            raise SuiteError(
                f"no scenario id in {where} matches --select {patterns}: {len(loaded.scenarios)}"
                " scenarios were loaded; check the pattern, or leave --select out to run them all"
            )
        raise SuiteError(f"no scenarios found in {where}: give a file or folder of scenario YAML files")
    return scenarios, list(loaded.errors)


@contextlib.contextmanager
def open_target(options: SuiteOptions) -> Iterator[Target]:
    """Yield the target the options name: a profile's live server or the reference server."""
    if options.profile is not None:
        with profile_target(options.profile) as target:
            yield target
        return
    start = options.settings.record_mode != "none"
    with reference_target(options.world, options.settings.contract_version, start=start) as target:
        yield target


def run_suite(options: SuiteOptions) -> SuiteResult:
    scenarios, errors = collect(options)
    with open_target(options) as target:
        results = run_all(scenarios, target, options.settings)
    verdict = Verdict.from_results(results, options.settings.contract)
    return SuiteResult(results, verdict, errors, target.description)


def run_all(scenarios: Iterable[Scenario], target: Target, settings: RunSettings) -> list[ScenarioResult]:
    results = []
    for scenario in scenarios:
        result = run_scenario(scenario, target, settings)
        logger.info("%s %s", scenario.id, result.outcome)
        results.append(result)
    return results


def _selected(scenario_id: str, patterns: tuple[str, ...]) -> bool:
    return not patterns or any(fnmatch.fnmatchcase(scenario_id, p) for p in patterns)
