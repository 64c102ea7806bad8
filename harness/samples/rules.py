"""Every documented rule of the create request, each with its expected status and problem type.

A rule id is `<field or part>.<how it is broken>` and stays stable across releases. The
server's documented check order is authentication, collection, permission, query, body
syntax (7), schema (8), NetApp hook type (73), extended validation (9), conflicts (10) and
failover support (162). Each invalid sample breaks exactly one rule, so a server that
follows this order must respond with the rule's problem type. "Since" is the oldest resource version that has the rule's
fields and its problem type.

| rule | status | problem | check | since | broken by |
|---|---|---|---|---|---|
| `auth.missing-token` | 401 | 3 | authentication | 1.0 | no Authorization header, or one without a bearer token |
| `auth.invalid-token` | 401 | 4 | authentication | 1.0 | a bearer token no user has |
| `path.unknown-account` | 404 | 2 | collection | 1.0 | the path names an account that does not exist |
| `path.unknown-app` | 404 | 2 | collection | 1.0 | the app-scoped path names an app the account does not have |
| `auth.role-not-permitted` | 403 | 11 | permission | 1.1 | the caller has the viewer role |
| `account.hooks-disabled` | 403 | 168 | permission | 1.3 | the account has execution hooks disabled |
| `query.invalid-value` | 400 | 5 | query | 1.0 | a standard query parameter has a malformed value |
| `query.not-supported` | 400 | 6 | query | 1.0 | a query parameter this operation does not take |
| `body.malformed-json` | 400 | 7 | body syntax | 1.0 | the body is not valid JSON |
| `body.not-utf8` | 400 | 7 | body syntax | 1.0 | the body is not UTF-8 |
| `header.content-type` | 400 | 7 | body syntax | 1.0 | the Content-Type is missing or not a JSON type this operation takes |
| `type.missing` | 400 | 8 | schema | 1.0 | required field type is missing |
| `version.missing` | 400 | 8 | schema | 1.0 | required field version is missing |
| `name.missing` | 400 | 8 | schema | 1.0 | required field name is missing |
| `hookType.missing` | 400 | 8 | schema | 1.0 | required field hookType is missing |
| `action.missing` | 400 | 8 | schema | 1.0 | required field action is missing |
| `stage.missing` | 400 | 8 | schema | 1.0 | required field stage is missing |
| `hookSourceID.missing` | 400 | 8 | schema | 1.0 | required field hookSourceID is missing |
| `appID.missing` | 400 | 8 | schema | 1.0 | required field appID is missing |
| `type.wrong-type` | 400 | 8 | schema | 1.0 | type has the wrong JSON type |
| `version.wrong-type` | 400 | 8 | schema | 1.0 | version has the wrong JSON type |
| `name.wrong-type` | 400 | 8 | schema | 1.0 | name has the wrong JSON type |
| `hookType.wrong-type` | 400 | 8 | schema | 1.0 | hookType has the wrong JSON type |
| `action.wrong-type` | 400 | 8 | schema | 1.0 | action has the wrong JSON type |
| `stage.wrong-type` | 400 | 8 | schema | 1.0 | stage has the wrong JSON type |
| `hookSourceID.wrong-type` | 400 | 8 | schema | 1.0 | hookSourceID has the wrong JSON type |
| `appID.wrong-type` | 400 | 8 | schema | 1.0 | appID has the wrong JSON type |
| `enabled.wrong-type` | 400 | 8 | schema | 1.0 | enabled has the wrong JSON type |
| `description.wrong-type` | 400 | 8 | schema | 1.0 | description has the wrong JSON type |
| `arguments.wrong-type` | 400 | 8 | schema | 1.0 | arguments has the wrong JSON type |
| `matchingCriteria.wrong-type` | 400 | 8 | schema | 1.1 | matchingCriteria has the wrong JSON type |
| `metadata.wrong-type` | 400 | 8 | schema | 1.0 | metadata has the wrong JSON type |
| `type.not-in-enum` | 400 | 8 | schema | 1.0 | type is outside its enum |
| `version.not-in-enum` | 400 | 8 | schema | 1.0 | version is outside its enum |
| `hookType.not-in-enum` | 400 | 8 | schema | 1.0 | hookType is outside its enum |
| `action.not-in-enum` | 400 | 8 | schema | 1.0 | action is outside its enum |
| `stage.not-in-enum` | 400 | 8 | schema | 1.0 | stage is outside its enum |
| `enabled.not-in-enum` | 400 | 8 | schema | 1.0 | enabled is outside its enum |
| `name.empty` | 400 | 8 | schema | 1.0 | name is empty (minimum 1 character) |
| `name.too-long` | 400 | 8 | schema | 1.0 | name has more than 63 characters |
| `description.too-long` | 400 | 8 | schema | 1.0 | description has more than 511 characters |
| `arguments.too-many` | 400 | 8 | schema | 1.0 | arguments has more than 16 items |
| `arguments.duplicate` | 400 | 8 | schema | 1.0 | arguments has a repeated item |
| `arguments[].too-long` | 400 | 8 | schema | 1.0 | an argument has more than 127 characters |
| `arguments[].wrong-type` | 400 | 8 | schema | 1.0 | an argument is not a string |
| `matchingCriteria.too-many` | 400 | 8 | schema | 1.1 | matchingCriteria has more than 10 items |
| `matchingCriteria.duplicate` | 400 | 8 | schema | 1.1 | matchingCriteria has a repeated item |
| `matchingCriteria[].unknown-key` | 400 | 8 | schema | 1.1 | a criterion has a key other than type and value |
| `matchingCriteria[].wrong-type` | 400 | 8 | schema | 1.1 | a criterion is not an object |
| `matchingCriteria[].type.not-in-enum` | 400 | 8 | schema | 1.1 | a criterion type is outside the version's types |
| `matchingCriteria[].value.missing` | 400 | 8 | schema | 1.1 | a criterion has no value |
| `matchingCriteria[].value.wrong-type` | 400 | 8 | schema | 1.1 | a criterion value is not a string |
| `body.not-object` | 400 | 8 | schema | 1.0 | the body is JSON but not an object |
| `body.unknown-key` | 400 | 8 | schema | 1.0 | the body has a key the schema does not define |
| `metadata.unknown-key` | 400 | 8 | schema | 1.0 | metadata has a key the schema does not define |
| `metadata.labels.duplicate` | 400 | 8 | schema | 1.0 | metadata.labels has a repeated label |
| `metadata.creationTimestamp.not-timestamp` | 400 | 8 | schema | 1.0 | metadata.creationTimestamp is not a UTC timestamp |
| `hookSourceID.not-uuid` | 400 | 8 | schema | 1.0 | hookSourceID is not a lowercase UUID |
| `appID.not-uuid` | 400 | 8 | schema | 1.0 | appID is not a lowercase UUID |
| `metadata.createdBy.not-uuid` | 400 | 8 | schema | 1.0 | metadata.createdBy is not a lowercase UUID |
| `metadata.modifiedBy.not-uuid` | 400 | 8 | schema | 1.0 | metadata.modifiedBy is not a lowercase UUID |
| `hookType.netapp` | 403 | 73 | netapp hook type | 1.1 | hookType is netapp, which is read-only |
| `stage.not-allowed-for-action` | 400 | 9 | extended validation | 1.0 | stage pre with an action that allows only post |
| `matchingCriteria[].value.not-re2` | 400 | 9 | extended validation | 1.1 | a criterion value is not an RE2 pattern |
| `hookSourceID.unknown` | 400 | 9 | extended validation | 1.0 | hookSourceID names no hook source of the account |
| `appID.unknown` | 400 | 9 | extended validation | 1.0 | appID (core path) names no app of the account |
| `name.duplicate` | 409 | 10 | conflicts | 1.1 | another hook of the account has the name (sent first as setup) |
| `appID.differs-from-path` | 409 | 10 | conflicts | 1.1 | the body's appID is not the app of the app-scoped path |
| `action.failover-app-not-eligible` | 409 | 162 | failover support | 1.3 | action failover for an app that takes no post-failover hooks |
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
    """Return the rules as a Markdown table: id, status, problem type, check, since and summary."""
    rows = ["| rule | status | problem | check | since | broken by |", "|---|---|---|---|---|---|"]
    chosen = RULES.values() if version is None else rules_for(version)
    for rule in chosen:
        rows.append(
            f"| `{rule.id}` | {rule.status} | {rule.problem} | {rule.check} | {rule.first_version}"
            f" | {rule.summary} |"
        )
    return "\n".join(rows)
