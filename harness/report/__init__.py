"""Deviations of responses from the contract and from scenarios, and the views of a run."""

from harness.report.conformance import check_contract
from harness.report.deviation import Deviation
from harness.report.expectation import check_expectation
from harness.report.result import ScenarioResult, Verdict

__all__ = ["Deviation", "ScenarioResult", "Verdict", "check_contract", "check_expectation"]
