"""Generated payloads: valid ones keep every rule, invalid ones break exactly their own."""

from __future__ import annotations

import uuid

import jsonschema
import pytest

from harness.contract import PROBLEMS, Contract, facts
from harness.contract.versions import ACTION_STAGES, VERSIONS
from harness.samples import Container, generate_payloads, rules_for
from harness.samples.regexes import matches
from harness.server.matching import match_containers
from harness.server.world import World

from .oracle import broken_rules

VERSION_IDS = list(VERSIONS)
LOCALES = ("en_US", "ja_JP", "de_DE", "zh_CN")
VALID_PER_CASE = 300
INVALID_PER_RULE = 15


def _rule_cases() -> list:
    return [
        pytest.param(version, rule.id, id=f"{version}-{rule.id}")
        for version in VERSIONS for rule in rules_for(version)
    ]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("version", VERSION_IDS)
def test_valid_payloads_match_schema(version: str, locale: str) -> None:
    validator = jsonschema.Draft7Validator(Contract(version).request_schema(version))
    samples = generate_payloads(VALID_PER_CASE, 101, locale=locale, version=version)
    failures = [
        (sample.index, error.message) for sample in samples for error in validator.iter_errors(sample.body)
    ]
    assert failures == []


@pytest.mark.parametrize("version", VERSION_IDS)
def test_valid_payloads_break_no_rule(version: str, world: World, variables: dict[str, str]) -> None:
    samples = generate_payloads(VALID_PER_CASE, 202, locale="fr_FR", version=version)
    broken = [(sample.index, broken_rules(sample, world, variables)) for sample in samples]
    assert [item for item in broken if item[1]] == []


@pytest.mark.parametrize("version, rule_id", _rule_cases())
def test_invalid_payloads_break_exactly_their_rule(
    version: str, rule_id: str, world: World, variables: dict[str, str]
) -> None:
    samples = generate_payloads(INVALID_PER_RULE, 303, locale="ja_JP", version=version, invalid_rule=rule_id)
    wrong = [(s.index, broken_rules(s, world, variables)) for s in samples]
    assert [item for item in wrong if item[1] != [rule_id]] == []


@pytest.mark.parametrize("version, rule_id", _rule_cases())
def test_invalid_payloads_state_rule_problem(version: str, rule_id: str) -> None:
    sample = generate_payloads(1, 4, version=version, invalid_rule=rule_id)[0]
    assert sample.rule == rule_id
    assert sample.expected_status == PROBLEMS[sample.expected_problem].status
    assert sample.expected_problem in Contract(version).problems


@pytest.mark.parametrize("version", VERSION_IDS)
def test_valid_criteria_match_a_container(version: str, world: World, variables: dict[str, str]) -> None:
    account = world.accounts[variables["account_id"]]
    samples = generate_payloads(VALID_PER_CASE, 404, version=version)
    with_criteria = [s for s in samples if s.body.get("matchingCriteria")]
    unmatched = [
        s.index for s in with_criteria
        if not match_containers(account.apps[s.body["appID"]], s.body["matchingCriteria"])
    ]
    assert with_criteria or version == "1.0"
    assert unmatched == []


def test_names_unique_within_a_run() -> None:
    names = [sample.body["name"] for sample in generate_payloads(2000, 5)]
    assert len(set(names)) == len(names)


def test_names_counted_in_characters() -> None:
    names = [sample.body["name"] for sample in generate_payloads(1000, 6, locale="ja_JP")]
    assert max(len(name) for name in names) == facts.NAME_MAX_LENGTH
    assert max(len(name.encode("utf-8")) for name in names) > facts.NAME_MAX_LENGTH


def test_boundary_lengths_occur() -> None:
    bodies = [sample.body for sample in generate_payloads(2000, 7)]
    assert any(len(b.get("description", "")) == facts.DESCRIPTION_MAX_LENGTH for b in bodies)
    assert any(len(b.get("arguments", [])) == facts.ARGUMENTS_MAX_ITEMS for b in bodies)
    assert any(len(b.get("matchingCriteria", [])) == facts.MATCHING_CRITERIA_MAX_ITEMS for b in bodies)
    assert any(
        len(item) == facts.ARGUMENT_MAX_LENGTH for b in bodies for item in b.get("arguments", [])
    )


@pytest.mark.parametrize("action", ["snapshot", "backup", "restore", "failover"])
def test_action_option_fixes_action(action: str, variables: dict[str, str]) -> None:
    samples = generate_payloads(100, 8, action=action)
    assert {s.body["action"] for s in samples} == {action}
    assert {s.body["stage"] for s in samples} <= set(ACTION_STAGES[action])


def test_failover_hooks_use_failover_app(variables: dict[str, str]) -> None:
    samples = generate_payloads(50, 9, action="failover")
    assert {s.body["appID"] for s in samples} == {variables["failover_app_id"]}


def test_variables_fill_ids_and_path() -> None:
    names = ("account_id", "app_id", "failover_app_id", "hook_source_id")
    custom = {name: str(uuid.UUID(int=number + 1, version=4)) for number, name in enumerate(names)}
    samples = generate_payloads(50, 10, variables=custom)
    assert {s.body["hookSourceID"] for s in samples} == {custom["hook_source_id"]}
    assert {s.body["appID"] for s in samples} <= {custom["app_id"], custom["failover_app_id"]}
    assert all(s.path.startswith(f"/accounts/{custom['account_id']}/") for s in samples)


def test_missing_variable_names_rule() -> None:
    with pytest.raises(ValueError, match="unknown_hook_source_id, needed by rule hookSourceID.unknown"):
        generate_payloads(1, 0, invalid_rule="hookSourceID.unknown",
                          variables={"account_id": "a", "app_id": "b", "hook_source_id": "c",
                                     "failover_app_id": "b"})


def test_containers_feed_criteria() -> None:
    containers = [Container("vault", "hashicorp/vault:1.15.2", "vault-0", "secrets", (("app", "vault"),))]
    samples = generate_payloads(300, 11, version="1.1", containers=containers)
    values = [c["value"] for s in samples for c in s.body.get("matchingCriteria", [])]
    assert values
    assert [value for value in values if not matches(value, "hashicorp/vault:1.15.2")] == []


@pytest.mark.parametrize(
    "options, message",
    [
        pytest.param({"count": -1}, "--count must be a non-negative integer, got -1", id="count"),
        pytest.param({"seed": "seven"}, "--seed must be a non-negative integer, got 'seven'", id="seed"),
        pytest.param({"version": "1.5"}, "--version '1.5' is not a resource version: use one of 1.0",
                     id="version"),
        pytest.param({"locale": "xx_XX"}, "--locale 'xx_XX' is not a Faker", id="locale"),
        pytest.param({"action": "clone"}, "--action 'clone' is not an action of resource version 1.3",
                     id="action"),
        pytest.param({"invalid_rule": "name.bad"}, "--invalid 'name.bad' is not a rule id", id="rule"),
        pytest.param({"invalid_rule": "hookType.netapp", "version": "1.0"},
                     "--invalid hookType.netapp needs resource version 1.1 or later", id="rule-version"),
        pytest.param({"invalid_rule": "stage.not-allowed-for-action", "action": "backup"},
                     "needs --action restore or failover, got --action backup", id="rule-action"),
    ],
)
def test_bad_options_raise(options: dict, message: str) -> None:
    arguments = {"count": 1, "seed": 0, **options}
    with pytest.raises(ValueError) as raised:
        generate_payloads(arguments.pop("count"), arguments.pop("seed"), **arguments)
    assert message in str(raised.value)
