"""Run one scenario: resolve it, send or replay it through its cassette, and check the response.

`run_scenario` is the single path both the CLI and the pytest plugin take, so the same
options give the same result in both.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path

import requests

from harness.contract import Contract, load_contract
from harness.contract.problems import problem_number
from harness.exchange import Exchange
from harness.recording.cassette import CassetteError, cassette_path, open_cassette
from harness.report.conformance import check_contract
from harness.report.expectation import check_expectation
from harness.report.result import ScenarioResult
from harness.runner.targets import Target
from harness.scenario.model import ExpectedResponse, Scenario
from harness.scenario.variables import MissingVariableError, resolve_request, resolve_value

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunSettings:
    """How to run scenarios: where cassettes live, the record mode, the contract, strictness."""

    cassette_dir: Path
    record_mode: str = "none"
    contract_version: str = "1.3"
    strict: bool = True

    @property
    def contract(self) -> Contract:
        return load_contract(self.contract_version)


def run_scenario(scenario: Scenario, target: Target, settings: RunSettings) -> ScenarioResult:
    """Run `scenario` against `target` (or its cassette) and return its checked result."""
    started = time.perf_counter()
    result = _new_result(scenario, settings)

    reason = _skip_reason(scenario, target, settings)
    if reason:
        return replace(result, outcome="skipped", message=reason)

    try:
        exchange = _exchange(scenario, target, settings, result.cassette)
    except (CassetteError, MissingVariableError) as error:
        return _finish(replace(result, outcome="error", message=str(error)), started)
    except requests.RequestException as error:
        message = f"could not reach the target {target.base_url}: {error}"
        return _finish(replace(result, outcome="error", message=message), started)

    response = exchange.response
    expected = _resolved_expectation(scenario.expect, target)
    deviations = check_contract(settings.contract, exchange, strict=settings.strict)
    deviations += check_expectation(expected, response)
    result = replace(
        result,
        actual_status=response.status,
        actual_problem=_response_problem(exchange),
        deviations=deviations,
        replayed=exchange.replayed,
        outcome="failed" if deviations else "passed",
    )
    return _finish(result, started)


def _new_result(scenario: Scenario, settings: RunSettings) -> ScenarioResult:
    return ScenarioResult(
        scenario_id=scenario.id,
        description=scenario.description,
        source=str(scenario.source) if scenario.source else "",
        operation=scenario.operation,
        expected_status=scenario.expect.status,
        expected_problem=scenario.expect.problem_number,
        cassette=str(cassette_path(settings.cassette_dir, scenario.id)),
    )


def _skip_reason(scenario: Scenario, target: Target, settings: RunSettings) -> str:
    if scenario.versions is not None and settings.contract_version not in scenario.versions:
        applies = ", ".join(scenario.versions)
        return f"applies to resource versions {applies}, not {settings.contract_version}"
    missing = sorted(name for name in scenario.variables if name not in target.variables)
    if missing:
        named = [
            f"{name} ({target.missing_reasons[name]})" if name in target.missing_reasons else name
            for name in missing
        ]
        return "the target lacks the variables " + ", ".join(named)
    return ""


def _exchange(scenario: Scenario, target: Target, settings: RunSettings, cassette: str) -> Exchange:
    """Send the setup requests, then the request under test; return the last exchange."""
    specs = [*scenario.setup, scenario.request]
    placeholders = target.secret_placeholders()
    with open_cassette(Path(cassette), settings.record_mode, placeholders, verify=target.verify) as session:
        exchange = None
        for spec in specs:
            request = resolve_request(spec, target.variables, target.base_url)
            exchange = session.send(request)
            logger.debug("scenario %s: %s %s -> %s", scenario.id, request.method,
                         spec.path, exchange.response.status)
    return exchange


def _resolved_expectation(expect: ExpectedResponse, target: Target) -> ExpectedResponse:
    return replace(
        expect,
        headers=resolve_value(expect.headers, target.variables),
        body=resolve_value(expect.body, target.variables),
    )


def _response_problem(exchange: Exchange) -> int | None:
    if exchange.response.status < 400:
        return None
    try:
        body = exchange.response.json()
    except ValueError:
        return None
    return problem_number(body.get("type")) if isinstance(body, dict) else None


def _finish(result: ScenarioResult, started: float) -> ScenarioResult:
    return replace(result, duration=time.perf_counter() - started)
