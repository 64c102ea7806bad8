"""The rule registry covers the whole contract, and its documentation table matches it."""

from __future__ import annotations

import re

import pytest

from harness.contract import PROBLEMS, Contract
from harness.contract.schemas import REQUEST_REQUIRED
from harness.contract.versions import VERSIONS
from harness.samples import rules as rules_module
from harness.samples.rules import RULES, get_rule, rule_table, rules_for

RULE_ID = re.compile(r"[a-z][A-Za-z]*(?:\[\])?(?:\.[a-zA-Z][A-Za-z0-9-]*)+")


def test_docstring_table_matches_registry() -> None:
    assert rule_table() in rules_module.__doc__


def test_every_problem_type_has_a_rule() -> None:
    covered = {rule.problem for rule in RULES.values()}
    assert set(PROBLEMS) - covered == set()


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_id_and_status(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert RULE_ID.fullmatch(rule_id)
    assert rule.status == PROBLEMS[rule.problem].status
    assert rule.problem in Contract(rule.first_version).problems


def test_every_required_field_has_missing_rule() -> None:
    assert {f"{field}.missing" for field in REQUEST_REQUIRED} <= set(RULES)


def test_every_property_has_wrong_type_rule() -> None:
    properties = Contract("1.3").request_schema("1.3")["properties"]
    assert {f"{name}.wrong-type" for name in properties} <= set(RULES)


def test_every_enum_has_not_in_enum_rule() -> None:
    properties = Contract("1.3").request_schema("1.3")["properties"]
    enums = {name for name, schema in properties.items() if "enum" in schema}
    assert {f"{name}.not-in-enum" for name in enums} - {"hookType.not-in-enum"} <= set(RULES)
    assert "hookType.not-in-enum" in RULES
    assert "hookType.netapp" in RULES


def test_every_uuid_field_has_not_uuid_rule() -> None:
    schema = Contract("1.3").request_schema("1.3")["properties"]
    uuid_fields = [name for name, item in schema.items() if "pattern" in item]
    uuid_fields += [f"metadata.{name}" for name, item in schema["metadata"]["properties"].items()
                    if "pattern" in item and not name.endswith("Timestamp")]
    assert {f"{name}.not-uuid" for name in uuid_fields} <= set(RULES)


def test_version_one_zero_rules() -> None:
    ids = {rule.id for rule in rules_for("1.0")}
    assert not any(rule_id.startswith("matchingCriteria") for rule_id in ids)
    assert {rule.problem for rule in rules_for("1.0")} == {2, 3, 4, 5, 6, 7, 8, 9}


def test_latest_version_has_every_rule() -> None:
    assert [rule.id for rule in rules_for("1.3")] == list(RULES)


@pytest.mark.parametrize("version", list(VERSIONS))
def test_rules_follow_check_order(version: str) -> None:
    order = (3, 4, 2, 11, 168, 5, 6, 7, 8, 73, 9, 10, 162)
    positions = [order.index(rule.problem) for rule in rules_for(version)]
    assert positions == sorted(positions)


def test_unknown_rule_lists_rules() -> None:
    with pytest.raises(ValueError) as raised:
        get_rule("name.tooo-long", "1.2")
    assert "'name.tooo-long' is not a rule id" in str(raised.value)
    assert "name.too-long" in str(raised.value)


def test_rule_of_newer_version_names_version() -> None:
    with pytest.raises(ValueError, match="needs resource version 1.3 or later, got --version 1.2"):
        get_rule("account.hooks-disabled", "1.2")
