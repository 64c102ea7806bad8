"""Seeded sample payloads of create-execution-hook, valid or breaking one documented rule."""

from harness.samples.generator import SampleGenerator, generate_payloads
from harness.samples.rules import RULES, get_rule, rule_table, rules_for
from harness.samples.sample import Sample
from harness.samples.world import Container

__all__ = [
    "RULES",
    "Container",
    "Sample",
    "SampleGenerator",
    "generate_payloads",
    "get_rule",
    "rule_table",
    "rules_for",
]
