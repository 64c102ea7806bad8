"""Tests of the scenario files shipped in scenarios/: they load, cover the contract, and pass
against the reference server with its default world."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests

from harness.contract.examples import EXAMPLE_REQUEST
from harness.contract.problems import PROBLEMS
from harness.exchange import Headers, HttpResponse
from harness.report.expectation import check_expectation
from harness.scenario.loader import load_scenarios
from harness.scenario.matchers import Matcher
from harness.scenario.model import Scenario
from harness.scenario.variables import referenced_in_value, resolve_request, resolve_value
from harness.server.running import ReferenceServer
from harness.server.world import load_world

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
LOADED = load_scenarios([SCENARIOS])
BY_ID = {scenario.id: scenario for scenario in LOADED.scenarios}
WORLD_VARIABLES = load_world().variables


def problem_keys() -> set[tuple[str, int]]:
    return {
        (scenario.operation, scenario.expect.problem_number)
        for scenario in LOADED.scenarios
        if scenario.expect.problem_number is not None
    }


def request_names(scenario: Scenario) -> set[str]:
    names = set()
    for spec in [*scenario.setup, scenario.request]:
        if isinstance(spec.body, dict) and isinstance(spec.body.get("name"), str):
            names.add(spec.body["name"])
    return names


def test_all_load() -> None:
    assert [str(error) for error in LOADED.errors] == []
    assert len(LOADED.scenarios) >= 60


@pytest.mark.parametrize("operation", ["core", "app"])
@pytest.mark.parametrize("number", sorted(PROBLEMS))
def test_problem_on_path(number: int, operation: str) -> None:
    assert (operation, number) in problem_keys()


def test_variables_known() -> None:
    used = set()
    for scenario in LOADED.scenarios:
        used |= scenario.variables
        used |= referenced_in_value(scenario.expect.headers)
        used |= referenced_in_value(scenario.expect.body)
    assert used - set(WORLD_VARIABLES) == set()


def test_names_prefixed() -> None:
    unprefixed = [
        (scenario.id, name) for scenario in LOADED.scenarios for name in request_names(scenario)
        if not name.startswith("${name_prefix}")
    ]
    assert unprefixed == []


def test_names_unique() -> None:
    owners = Counter(name for scenario in LOADED.scenarios for name in request_names(scenario))
    shared = sorted(name for name, count in owners.items() if count > 1)
    assert shared == []


def test_example_is_documented() -> None:
    spec = BY_ID["core-created-documented-example"].request
    request = resolve_request(spec, WORLD_VARIABLES, "http://127.0.0.1")
    assert json.loads(request.body) == EXAMPLE_REQUEST


def test_problem_bodies_documented() -> None:
    wrong = []
    for scenario in LOADED.scenarios:
        number = scenario.expect.problem_number
        if number is None:
            continue
        problem = PROBLEMS[number]
        body = scenario.expect.body
        documented = {"type": problem.uri, "title": problem.title, "detail": problem.detail,
                      "status": problem.status_text}
        if {key: body.get(key) for key in documented} != documented:
            wrong.append((scenario.id, "documented fields"))
        if scenario.expect.status != problem.status or scenario.expect.body_match != "exact":
            wrong.append((scenario.id, "status or body_match"))
        if problem.extra_field is not None and not isinstance(body.get(problem.extra_field), Matcher):
            wrong.append((scenario.id, problem.extra_field))
        if set(body) - set(documented) - {"correlationID", problem.extra_field}:
            wrong.append((scenario.id, "extra keys"))
    assert wrong == []


def applies(scenario: Scenario, version: str) -> bool:
    return scenario.versions is None or version in scenario.versions


RUNS = [
    pytest.param(version, scenario.id, id=f"{version}-{scenario.id}")
    for version in ("1.3", "1.2", "1.1", "1.0")
    for scenario in LOADED.scenarios
    if applies(scenario, version)
]


class ServersByVersion(dict):
    """Reference servers by resource version, each started on first use."""

    def __init__(self, stack: ExitStack):
        super().__init__()
        self.stack = stack

    def __missing__(self, version: str) -> Any:
        server = self.stack.enter_context(ReferenceServer(api_version=version))
        self[version] = server
        return server


@pytest.fixture(scope="module")
def servers() -> Iterator[ServersByVersion]:
    with ExitStack() as stack:
        yield ServersByVersion(stack)


def send(scenario: Scenario, server: Any) -> HttpResponse:
    """Send the setup requests, then the request under test, and return the last response."""
    response = None
    with requests.Session() as session:
        for spec in [*scenario.setup, scenario.request]:
            request = resolve_request(spec, server.variables, server.base_url)
            response = session.request(request.method, request.url, headers=dict(request.headers),
                                       data=request.body, allow_redirects=False)
    return HttpResponse(response.status_code, Headers(response.headers), response.content)


@pytest.mark.parametrize(("version", "scenario_id"), RUNS)
def test_against_reference(servers: ServersByVersion, version: str, scenario_id: str) -> None:
    scenario = BY_ID[scenario_id]
    server = servers[version]
    response = send(scenario, server)
    expected = replace(
        scenario.expect,
        headers=resolve_value(scenario.expect.headers, server.variables),
        body=resolve_value(scenario.expect.body, server.variables),
    )
    assert response.status == expected.status, response.body[:300]
    if expected.problem_number is not None:
        assert response.json()["type"] == PROBLEMS[expected.problem_number].uri
    assert [deviation.message for deviation in check_expectation(expected, response)] == []
