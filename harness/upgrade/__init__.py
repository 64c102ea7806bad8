"""Compare cassette sets recorded before and after an API upgrade.

The layer may import contract, exchange, recording, report and scenario.
"""

from harness.upgrade.compare import CassetteSetDiff, CassetteSetError, diff_cassette_sets
from harness.upgrade.difference import ABSENT, FAIL_ON_CHOICES, KINDS, Difference, failing_differences
from harness.upgrade.ignore import DEFAULT_IGNORE_RULES, IgnoreRule, IgnoreRules
from harness.upgrade.render import render_json, render_text

__all__ = [
    "ABSENT",
    "DEFAULT_IGNORE_RULES",
    "FAIL_ON_CHOICES",
    "KINDS",
    "CassetteSetDiff",
    "CassetteSetError",
    "Difference",
    "IgnoreRule",
    "IgnoreRules",
    "diff_cassette_sets",
    "failing_differences",
    "render_json",
    "render_text",
]
