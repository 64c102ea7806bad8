"""The `hook_samples` fixture, registered by the plugin for users' own tests."""

from __future__ import annotations

import pytest


def test_fixture_available_in_user_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_payloads(hook_samples):
            samples = hook_samples(count=3, seed=7)
            assert len(samples) == 3
            assert all(s.expected_status == 201 for s in samples)

        def test_invalid(hook_samples):
            (sample,) = hook_samples(count=1, invalid_rule="hookType.netapp")
            assert sample.expected_problem == 73
        """
    )

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(passed=2)


def test_fixture_seed_option_changes_payloads(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import json

        def test_dump(hook_samples):
            print("BODY", json.dumps(hook_samples(count=1)[0].body, sort_keys=True))
        """
    )

    first = pytester.runpytest("-s", "--sample-seed=1", "-p", "no:cacheprovider")
    second = pytester.runpytest("-s", "--sample-seed=2", "-p", "no:cacheprovider")
    again = pytester.runpytest("-s", "--sample-seed=1", "-p", "no:cacheprovider")

    bodies = [
        next(line.split("BODY", 1)[1] for line in run.outlines if "BODY {" in line)
        for run in (first, second, again)
    ]
    assert bodies[0] != bodies[1]
    assert bodies[0] == bodies[2]
