"""RE2 patterns built from container strings: valid ones match, invalid ones are Perl-only."""

from __future__ import annotations

import random
import re

import pytest
import re2

from harness.samples import regexes
from harness.samples.world import default_world

CRITERION_TYPES = ("containerImage", "containerName", "podName", "namespaceName", "podLabel")
PERL_ONLY_SAMPLES = 300


def _containers():
    return [c for app in default_world().apps.values() for c in app.containers]


@pytest.mark.parametrize("criterion_type", CRITERION_TYPES)
def test_valid_patterns_match_source(criterion_type: str) -> None:
    rng = random.Random(1)
    containers = _containers()
    others = regexes.source_strings(criterion_type, containers)
    misses = []
    for container in containers:
        for source in regexes.container_strings(criterion_type, container):
            for _ in range(50):
                pattern = regexes.valid_pattern(rng, criterion_type, source, others)
                if re2.search(pattern, source) is None:
                    misses.append((pattern, source))
    assert misses == []


def test_patterns_vary() -> None:
    rng = random.Random(2)
    source = "docker.io/library/mysql:8.0.36"
    patterns = {regexes.valid_pattern(rng, "containerImage", source, [source]) for _ in range(200)}
    assert len(patterns) > 20


def test_not_re2_patterns_are_rejected_by_re2() -> None:
    rng = random.Random(3)
    sources = regexes.source_strings("containerImage", _containers())
    patterns = [regexes.not_re2_pattern(rng, sources) for _ in range(PERL_ONLY_SAMPLES)]
    assert [p for p in patterns if regexes.compiles_in_re2(p)] == []


def test_not_re2_patterns_compile_in_python() -> None:
    rng = random.Random(4)
    sources = regexes.source_strings("podName", _containers())
    failures = []
    for _ in range(PERL_ONLY_SAMPLES):
        pattern = regexes.not_re2_pattern(rng, sources)
        try:
            re.compile(pattern)
        except re.error as error:
            failures.append((pattern, str(error)))
    assert failures == []


@pytest.mark.parametrize(
    "text", ["a.b", "x+y*z?", "(g)|[h]", "{1}^$", "back\\slash", "payroll-web-7d9f8c6b5-x2k4q", "給与.db"],
)
def test_escape_matches_literally(text: str) -> None:
    pattern = "^" + regexes.escape(text) + "$"
    assert re2.fullmatch(pattern, text) is not None
    assert re2.search(pattern, text + "!") is None


def test_prefix_patterns_distinct() -> None:
    patterns = regexes.prefix_patterns("redis:7.2.4")
    assert len(set(patterns)) == len("redis:7.2.4")
    assert all(re2.search(p, "redis:7.2.4") for p in patterns)
