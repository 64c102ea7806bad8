"""The `hook_samples` fixture in a user's test run, seeded by --sample-seed."""

from __future__ import annotations

import pytest

CONFTEST = """
import harness.samples.fixtures as fixtures


def pytest_configure(config):
    if not config.pluginmanager.is_registered(fixtures):
        config.pluginmanager.register(fixtures, "harness.samples.fixtures")
"""

TESTS = """
from harness.samples import generate_payloads


def test_default_count(hook_samples):
    assert len(hook_samples()) == 1


def test_seed_from_option(hook_samples, request):
    seed = request.config.getoption("--sample-seed")
    expected = [s.body for s in generate_payloads(3, seed)]
    assert [s.body for s in hook_samples(count=3)] == expected


def test_explicit_seed_wins(hook_samples):
    expected = [s.body for s in generate_payloads(2, 99, version="1.1")]
    assert [s.body for s in hook_samples(count=2, seed=99, version="1.1")] == expected


def test_invalid_rule(hook_samples):
    samples = hook_samples(count=4, invalid_rule="name.empty")
    assert {s.expected_problem for s in samples} == {8}
    assert {s.body["name"] for s in samples} == {""}
"""


@pytest.mark.parametrize("arguments", [[], ["--sample-seed", "17"]], ids=["default-seed", "seed-option"])
def test_fixture_in_user_tests(pytester: pytest.Pytester, arguments: list[str]) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_user=TESTS)
    result = pytester.runpytest("-p", "no:xdist", *arguments)
    result.assert_outcomes(passed=4)
