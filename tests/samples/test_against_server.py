"""End to end: the reference server responds to every generated payload as its sample expects.

Across the four versions this sends over 2,000 payloads (test_plan_sends_enough_payloads
checks the count): every valid one must get a 201 whose body fits the contract, and every
invalid one exactly its rule's problem type. A generated scenario suite also runs through
the pytest plugin against the server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import requests

from harness.contract import PROBLEMS, Contract, problem_number
from harness.contract.versions import VERSIONS
from harness.samples import Sample, generate_payloads, rules_for
from harness.samples.sample import encode_json
from harness.samples.suite import SuiteOptions, write_suite
from harness.server.running import ReferenceServer

VALID_PER_VERSION = 150
INVALID_PER_RULE = 6
LOCALES = {"1.0": "en_US", "1.1": "de_DE", "1.2": "ja_JP", "1.3": "zh_CN"}
MIN_TOTAL = 2000
SUITE_SIZE = 150


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer() as running:
        yield running


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with requests.Session() as opened:
        yield opened


def _samples(version: str) -> list[Sample]:
    version_number = list(VERSIONS).index(version)
    samples = generate_payloads(VALID_PER_VERSION, 31, locale=LOCALES[version], version=version,
                                name_prefix=f"v{version_number}-ok-")
    for number, rule in enumerate(rules_for(version)):
        samples += generate_payloads(INVALID_PER_RULE, 32, locale=LOCALES[version], version=version,
                                     invalid_rule=rule.id, name_prefix=f"v{version_number}r{number}-")
    return samples


def _send(server: ReferenceServer, session: requests.Session, sample: Sample) -> requests.Response:
    headers = sample.request_headers(server.variables)
    for setup in sample.setup:
        answer = session.post(server.base_url + sample.path, data=encode_json(setup), headers=headers)
        assert answer.status_code == 201, (sample.index, sample.rule, answer.text)
    return session.post(server.base_url + sample.path, params=list(sample.query),
                        data=sample.encoded_body(), headers=headers)


def _deviation(sample: Sample, response: requests.Response) -> str | None:
    """Return how the response differs from what the sample expects, None if it does not."""
    body = response.json()
    if sample.expected_problem is None:
        if response.status_code != 201:
            return f"status {response.status_code}: {response.text[:200]}"
        schema = Contract("1.3").response_shape(201, body_version=sample.version).body_schema
        errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(body)]
        if sample.body.get("matchingCriteria") and not body.get("matchingImages"):
            errors.append("criteria matched no container")
        return "; ".join(errors) or None
    problem = PROBLEMS[sample.expected_problem]
    got = (response.status_code, problem_number(body.get("type")), body.get("title"), body.get("detail"))
    expected = (problem.status, problem.number, problem.title, problem.detail)
    return None if got == expected else f"got {got[:2]}, expected {expected[:2]}"


def test_plan_sends_enough_payloads() -> None:
    total = sum(VALID_PER_VERSION + INVALID_PER_RULE * len(rules_for(v)) for v in VERSIONS)
    assert total >= MIN_TOTAL


@pytest.mark.parametrize("version", list(VERSIONS))
def test_server_answers_as_expected(
    version: str, server: ReferenceServer, session: requests.Session
) -> None:
    samples = _samples(version)
    deviations = []
    for sample in samples:
        deviation = _deviation(sample, _send(server, session, sample))
        if deviation is not None:
            deviations.append((sample.rule or "valid", sample.index, deviation))
    assert deviations == []
    assert sum(1 for s in samples if s.is_valid) == VALID_PER_VERSION


def test_generated_suite_passes_in_plugin(pytester: pytest.Pytester, tmp_path: Path) -> None:
    suite = pytester.path / "generated"
    write_suite(SuiteOptions(count=SUITE_SIZE, seed=21, per_file=50), suite)
    result = pytester.runpytest_subprocess(
        str(suite), "-p", "no:cacheprovider", "--record-mode", "all",
        "--cassette-dir", str(tmp_path / "cassettes"),
    )
    result.assert_outcomes(passed=SUITE_SIZE)
