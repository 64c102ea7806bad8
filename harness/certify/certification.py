"""One certification run: the suite's results, its verdict and the requirement traceability."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from harness.certify.traceability import Traceability, build_traceability
from harness.report.result import ScenarioResult, Verdict
from harness.runner.execute import RunSettings
from harness.runner.suite import SuiteOptions, collect, open_target, run_all
from harness.scenario.model import Scenario, ScenarioError

logger = logging.getLogger(__name__)


@dataclass
class Certification:
    """The outcome of a certification. It passes when the verdict passes, every scenario file
    loaded and the coverage gate passes.

    `secrets` contains the target's tokens, for redacting reports; it is never written.
    """

    settings: RunSettings
    scenarios: list[Scenario]
    results: list[ScenarioResult]
    verdict: Verdict
    traceability: Traceability
    load_errors: list[ScenarioError] = field(default_factory=list)
    target_description: str = ""
    secrets: set[str] = field(default_factory=set, repr=False)

    @property
    def passed(self) -> bool:
        return self.verdict.passed and self.traceability.gate_passed and not self.load_errors

    def summary(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "verdict_passed": self.verdict.passed,
            "coverage_gate_passed": self.traceability.gate_passed,
            "invalid_scenario_files": len(self.load_errors),
        }


def run_certification(options: SuiteOptions) -> Certification:
    """Run the suite `options` describe and trace its results to the contract's requirements.

    Raises SuiteError when there is nothing to run, as `run_suite` does.
    """
    scenarios, errors = collect(options)
    contract = options.settings.contract
    with open_target(options) as target:
        results = run_all(scenarios, target, options.settings)
        secrets = set(target.secrets) | {
            value for name, value in target.variables.items() if name.startswith("tokens.") and value
        }
        description = target.description
    verdict = Verdict.from_results(results, contract)
    traceability = build_traceability(scenarios, results, contract)
    logger.info("certification of %s: verdict %s, coverage gate %s", description,
                "passed" if verdict.passed else "failed",
                "passed" if traceability.gate_passed else "failed")
    return Certification(options.settings, scenarios, results, verdict, traceability, errors,
                         description, secrets)
