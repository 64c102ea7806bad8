"""Every documented rule of the create request, each with its expected status and problem type.

A rule id is `<field or part>.<how it is broken>` and stays stable across releases. Each
invalid sample breaks exactly one rule, so a server that follows the documented check
order (authentication, collection, permission, query, body syntax 7, schema 8, NetApp
hook type 73, extended validation 9, conflicts 10, failover support 162) must answer
with the rule's problem type. "Since" is the oldest resource version that has the rule's
fields and its problem type.

TABLE
"""

from __future__ import annotations

from harness.contract.versions import VERSIONS
from harness.samples.checked_rules import CHECKED_RULES
from harness.samples.rule import Rule
from harness.samples.schema_rules import SCHEMA_RULES

_CHECK_ORDER = (3, 4, 2, 11, 168, 5, 6, 7, 8, 73, 9, 10, 162)


def _ordered(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return tuple(sorted(rules, key=lambda rule: _CHECK_ORDER.index(rule.problem)))


RULES: dict[str, Rule] = {rule.id: rule for rule in _ordered(CHECKED_RULES + SCHEMA_RULES)}


def rules_for(version: str) -> list[Rule]:
    """Return the rules that apply to bodies of resource `version`, in check order."""
    return [rule for rule in RULES.values() if rule.applies_to(version)]


def get_rule(rule_id: str, version: str) -> Rule:
    """Return the rule `rule_id`, raising ValueError that lists the rules valid at `version`."""
    rule = RULES.get(rule_id)
    if rule is None:
        known = ", ".join(rule.id for rule in rules_for(version))
        raise ValueError(
            f"--invalid {rule_id!r} is not a rule id: use one of {known}, or `--invalid list`"
            " to see each rule's expected status and problem type"
        )
    if not rule.applies_to(version):
        newer = ", ".join(v for v in VERSIONS if rule.applies_to(v))
        raise ValueError(
            f"--invalid {rule_id} needs resource version {rule.first_version} or later, got"
            f" --version {version}: use --version {newer.split(', ')[0]} or later"
        )
    return rule


def rule_table(version: str | None = None) -> str:
    """Return the rules as a Markdown table: id, status, problem type, since and summary."""
    rows = ["| rule | status | problem | since | broken by |", "|---|---|---|---|---|"]
    chosen = RULES.values() if version is None else rules_for(version)
    for rule in chosen:
        rows.append(
            f"| `{rule.id}` | {rule.status} | {rule.problem} | {rule.first_version} | {rule.summary} |"
        )
    return "\n".join(rows)
