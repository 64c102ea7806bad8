"""Contract diff: the 1.1 to 1.3 history, the breaking rules, and the reports."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.contract.changes import ChangeKind, Effect, Side, breaking_for, combine
from harness.contract.diff import diff_contracts, failing_changes, render_json, render_text
from harness.contract.document import contract_document
from harness.contract.model import Contract
from harness.contract.versions import VERSIONS

UPGRADES_DOC = Path(__file__).resolve().parents[2] / "docs" / "upgrades.md"

REQUEST = "$.request.schema.properties"
CREATED = "$.responses['201'].schema.properties"
NEW_CRITERIA = ("containerName", "podName", "podLabel", "namespaceName")

# The version history of harness/contract/versions.py between 1.1 and 1.3, one row per change:
# (history entry, path, kind, new value, breaks clients, breaks servers).
HISTORY_1_1_TO_1_3 = [
    ("version 1.2 accepted", "$.acceptedVersions", ChangeKind.ADDED_VERSION, "1.2", False, True),
    ("version 1.3 accepted", "$.acceptedVersions", ChangeKind.ADDED_VERSION, "1.3", False, True),
    (
        "action failover",
        f"{REQUEST}.action.enum",
        ChangeKind.ADDED_ENUM_VALUE,
        "failover",
        False,
        True,
    ),
    *[
        (
            "criteria types",
            f"{REQUEST}.matchingCriteria.items.properties.type.enum",
            ChangeKind.ADDED_ENUM_VALUE,
            criteria,
            False,
            True,
        )
        for criteria in NEW_CRITERIA
    ],
    (
        "action failover",
        f"{CREATED}.action.enum",
        ChangeKind.ADDED_ENUM_VALUE,
        "failover",
        True,
        False,
    ),
    *[
        (
            "criteria types",
            f"{CREATED}.matchingCriteria.items.properties.type.enum",
            ChangeKind.ADDED_ENUM_VALUE,
            criteria,
            True,
            False,
        )
        for criteria in NEW_CRITERIA
    ],
    (
        "matchingContainers",
        f"{CREATED}.matchingContainers",
        ChangeKind.ADDED_FIELD,
        None,
        True,
        False,
    ),
    ("problem 162", "$.problems['162']", ChangeKind.ADDED_PROBLEM, 162, True, False),
    ("problem 168", "$.problems['168']", ChangeKind.ADDED_PROBLEM, 168, True, False),
    (
        "failover post only",
        "$.stages.failover",
        ChangeKind.STAGE_RULE_CHANGED,
        ["post"],
        False,
        True,
    ),
]


def document(version: str = "1.3") -> dict[str, Any]:
    return copy.deepcopy(contract_document(Contract(version)))


def change_value(change: Any) -> Any:
    if change.kind is ChangeKind.ADDED_PROBLEM:
        return change.new["number"]
    if change.kind is ChangeKind.ADDED_FIELD:
        return None
    return change.new


def test_diff_1_1_to_1_3_history() -> None:
    changes = diff_contracts(document("1.1"), document("1.3"))

    found = [
        (c.path, c.kind, change_value(c), c.breaking_for_clients, c.breaking_for_servers)
        for c in changes
    ]
    expected = [row[1:] for row in HISTORY_1_1_TO_1_3]
    assert found == expected


def test_diff_1_1_to_1_3_descriptions() -> None:
    descriptions = [c.description for c in diff_contracts(document("1.1"), document("1.3"))]

    assert "requests may declare body version 1.2" in descriptions
    assert "request body field matchingCriteria[].type: enum value 'podLabel' added" in descriptions
    assert "201 body field matchingContainers: optional field added" in descriptions
    assert (
        "problem type 162 (409 Post-failover execution hooks not supported) added" in descriptions
    )
    assert "action failover: allowed stages (action not allowed) -> post" in descriptions


def test_diff_1_3_to_1_1_reverses_flags() -> None:
    forward = diff_contracts(document("1.1"), document("1.3"))
    backward = diff_contracts(document("1.3"), document("1.1"))

    assert len(backward) == len(forward)
    for old_change, new_change in zip(forward, backward):
        assert new_change.path == old_change.path
        assert new_change.breaking_for_clients == old_change.breaking_for_servers, new_change
        assert new_change.breaking_for_servers == old_change.breaking_for_clients, new_change


@pytest.mark.parametrize("version", list(VERSIONS))
def test_same_contract_has_no_changes(version: str) -> None:
    assert diff_contracts(document(version), document(version)) == []


def test_operation_not_compared() -> None:
    new = document()
    new["operation"] = "POST /accounts/{account_id}/k8s/v1/apps/{app_id}/executionHooks"

    assert diff_contracts(document(), new) == []


def test_version_enum_reported_when_not_folded() -> None:
    new = document()
    new["request"]["schema"]["properties"]["version"]["enum"] = ["1.3"]

    changes = diff_contracts(document(), new)

    assert [(c.kind, c.old) for c in changes] == [
        (ChangeKind.REMOVED_ENUM_VALUE, "1.0"),
        (ChangeKind.REMOVED_ENUM_VALUE, "1.1"),
        (ChangeKind.REMOVED_ENUM_VALUE, "1.2"),
    ]


def request_props(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["request"]["schema"]["properties"]


def created_schema(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["responses"]["201"]["schema"]


def _add_required_request_field(doc: dict[str, Any]) -> None:
    request_props(doc)["owner"] = {"type": "string"}
    doc["request"]["schema"]["required"].append("owner")


def _add_unconstrained_problem_field(doc: dict[str, Any]) -> None:
    doc["responses"]["409"]["schema"]["properties"]["hint"] = {}


Mutation = Callable[[dict[str, Any]], Any]

# (id, change to the 1.3 document, expected kind, breaks clients, breaks servers)
RULE_CASES: list[tuple[str, Mutation, ChangeKind, bool, bool]] = [
    (
        "request-enum-removed",
        lambda d: request_props(d)["action"]["enum"].remove("failover"),
        ChangeKind.REMOVED_ENUM_VALUE,
        True,
        False,
    ),
    (
        "request-enum-added",
        lambda d: request_props(d)["hookType"]["enum"].append("vendor"),
        ChangeKind.ADDED_ENUM_VALUE,
        False,
        True,
    ),
    (
        "response-enum-added",
        lambda d: created_schema(d)["properties"]["hookType"]["enum"].append("vendor"),
        ChangeKind.ADDED_ENUM_VALUE,
        True,
        False,
    ),
    (
        "response-enum-removed",
        lambda d: created_schema(d)["properties"]["hookType"]["enum"].remove("netapp"),
        ChangeKind.REMOVED_ENUM_VALUE,
        False,
        True,
    ),
    (
        "request-required-field-added",
        _add_required_request_field,
        ChangeKind.ADDED_FIELD,
        True,
        True,
    ),
    (
        "request-optional-field-added",
        lambda d: request_props(d).update(owner={"type": "string"}),
        ChangeKind.ADDED_FIELD,
        False,
        True,
    ),
    (
        "response-optional-field-added",
        lambda d: created_schema(d)["properties"].update(owner={"type": "string"}),
        ChangeKind.ADDED_FIELD,
        True,
        False,
    ),
    (
        "open-object-field-constrained",
        lambda d: d["responses"]["409"]["schema"]["properties"].update(hint={"type": "string"}),
        ChangeKind.ADDED_FIELD,
        False,
        True,
    ),
    (
        "open-object-field-unconstrained",
        _add_unconstrained_problem_field,
        ChangeKind.ADDED_FIELD,
        False,
        False,
    ),
    (
        "request-optional-field-removed",
        lambda d: request_props(d).pop("description"),
        ChangeKind.REMOVED_FIELD,
        True,
        False,
    ),
    (
        "response-required-field-removed",
        lambda d: (
            created_schema(d)["properties"].pop("enabled"),
            created_schema(d)["required"].remove("enabled"),
        ),
        ChangeKind.REMOVED_FIELD,
        True,
        True,
    ),
    (
        "open-object-field-removed",
        lambda d: d["responses"]["409"]["schema"]["properties"].pop("correlationID"),
        ChangeKind.REMOVED_FIELD,
        True,
        False,
    ),
    (
        "request-field-became-required",
        lambda d: d["request"]["schema"]["required"].append("description"),
        ChangeKind.FIELD_REQUIRED,
        True,
        False,
    ),
    (
        "request-field-became-optional",
        lambda d: d["request"]["schema"]["required"].remove("appID"),
        ChangeKind.FIELD_OPTIONAL,
        False,
        True,
    ),
    (
        "response-field-became-optional",
        lambda d: created_schema(d)["required"].remove("id"),
        ChangeKind.FIELD_OPTIONAL,
        True,
        False,
    ),
    (
        "response-field-became-required",
        lambda d: created_schema(d)["required"].append("appID"),
        ChangeKind.FIELD_REQUIRED,
        False,
        True,
    ),
    (
        "request-limit-relaxed",
        lambda d: request_props(d)["name"].update(maxLength=127),
        ChangeKind.CHANGED_LIMIT,
        False,
        True,
    ),
    (
        "request-limit-tightened",
        lambda d: request_props(d)["name"].update(maxLength=32),
        ChangeKind.CHANGED_LIMIT,
        True,
        False,
    ),
    (
        "request-min-limit-raised",
        lambda d: request_props(d)["name"].update(minLength=3),
        ChangeKind.CHANGED_LIMIT,
        True,
        False,
    ),
    (
        "request-limit-removed",
        lambda d: request_props(d)["arguments"].pop("maxItems"),
        ChangeKind.CHANGED_LIMIT,
        False,
        True,
    ),
    (
        "request-limit-added",
        lambda d: request_props(d)["matchingCriteria"]["items"]["properties"]["value"].update(
            maxLength=255
        ),
        ChangeKind.CHANGED_LIMIT,
        True,
        False,
    ),
    (
        "response-limit-relaxed",
        lambda d: created_schema(d)["properties"]["matchingImages"].update(maxItems=9999),
        ChangeKind.CHANGED_LIMIT,
        True,
        False,
    ),
    (
        "response-limit-tightened",
        lambda d: created_schema(d)["properties"]["matchingImages"].update(maxItems=100),
        ChangeKind.CHANGED_LIMIT,
        False,
        True,
    ),
    (
        "request-pattern-changed",
        lambda d: request_props(d)["appID"].update(pattern="^[0-9a-f-]{36}$"),
        ChangeKind.CHANGED_PATTERN,
        True,
        True,
    ),
    (
        "request-pattern-removed",
        lambda d: request_props(d)["appID"].pop("pattern"),
        ChangeKind.CHANGED_PATTERN,
        False,
        True,
    ),
    (
        "response-pattern-added",
        lambda d: created_schema(d)["properties"]["name"].update(pattern="^[a-z]+$"),
        ChangeKind.CHANGED_PATTERN,
        False,
        True,
    ),
    (
        "request-type-replaced",
        lambda d: request_props(d)["enabled"].update(type="boolean"),
        ChangeKind.CHANGED_TYPE,
        True,
        True,
    ),
    (
        "request-type-widened",
        lambda d: request_props(d)["description"].update(type=["string", "null"]),
        ChangeKind.CHANGED_TYPE,
        False,
        True,
    ),
    (
        "request-object-opened",
        lambda d: d["request"]["schema"].update(additionalProperties=True),
        ChangeKind.CHANGED_KEYWORD,
        False,
        True,
    ),
    (
        "response-object-closed",
        lambda d: d["responses"]["400"]["schema"].update(additionalProperties=False),
        ChangeKind.CHANGED_KEYWORD,
        False,
        True,
    ),
    (
        "response-unique-items-dropped",
        lambda d: created_schema(d)["properties"]["arguments"].pop("uniqueItems"),
        ChangeKind.CHANGED_KEYWORD,
        True,
        False,
    ),
    (
        "request-format-added",
        lambda d: request_props(d)["description"].update(format="email"),
        ChangeKind.CHANGED_KEYWORD,
        True,
        False,
    ),
    (
        "request-combinator-added",
        lambda d: request_props(d)["description"].update(allOf=[{"minLength": 1}]),
        ChangeKind.CHANGED_KEYWORD,
        True,
        True,
    ),
    (
        "request-enum-introduced",
        lambda d: request_props(d)["description"].update(enum=["a"]),
        ChangeKind.CHANGED_KEYWORD,
        True,
        False,
    ),
    (
        "problem-added",
        lambda d: d["problems"].update(
            {"500": {"number": 500, "status": 409, "title": "t", "detail": "d", "extraField": None}}
        ),
        ChangeKind.ADDED_PROBLEM,
        True,
        False,
    ),
    ("problem-removed", lambda d: d["problems"].pop("73"), ChangeKind.REMOVED_PROBLEM, False, True),
    (
        "problem-title-changed",
        lambda d: d["problems"]["10"].update(title="Conflict"),
        ChangeKind.CHANGED_PROBLEM,
        True,
        True,
    ),
    (
        "problem-extra-field-changed",
        lambda d: d["problems"]["8"].update(extraField=None),
        ChangeKind.CHANGED_PROBLEM,
        True,
        True,
    ),
    (
        "status-added",
        lambda d: d["responses"].update({"500": copy.deepcopy(d["responses"]["409"])}),
        ChangeKind.ADDED_STATUS,
        True,
        False,
    ),
    ("status-removed", lambda d: d["responses"].pop("404"), ChangeKind.REMOVED_STATUS, False, True),
    (
        "stage-added-to-action",
        lambda d: d["stages"]["restore"].insert(0, "pre"),
        ChangeKind.STAGE_RULE_CHANGED,
        False,
        True,
    ),
    (
        "stage-removed-from-action",
        lambda d: d["stages"]["snapshot"].remove("pre"),
        ChangeKind.STAGE_RULE_CHANGED,
        True,
        False,
    ),
    (
        "stage-swapped",
        lambda d: d["stages"].update(restore=["pre"]),
        ChangeKind.STAGE_RULE_CHANGED,
        True,
        True,
    ),
    (
        "action-rule-removed",
        lambda d: d["stages"].pop("failover"),
        ChangeKind.STAGE_RULE_CHANGED,
        True,
        False,
    ),
    (
        "request-content-type-removed",
        lambda d: d["request"]["contentTypes"].remove("application/json"),
        ChangeKind.REMOVED_CONTENT_TYPE,
        True,
        False,
    ),
    (
        "request-content-type-added",
        lambda d: d["request"]["contentTypes"].append("application/yaml"),
        ChangeKind.ADDED_CONTENT_TYPE,
        False,
        True,
    ),
    (
        "response-content-type-added",
        lambda d: d["responses"]["201"]["contentTypes"].append("text/plain"),
        ChangeKind.ADDED_CONTENT_TYPE,
        True,
        False,
    ),
    (
        "response-header-required",
        lambda d: d["responses"]["201"]["requiredHeaders"].append("x-request-id"),
        ChangeKind.ADDED_HEADER,
        False,
        True,
    ),
    (
        "response-header-dropped",
        lambda d: d["responses"]["201"]["requiredHeaders"].remove("etag"),
        ChangeKind.REMOVED_HEADER,
        True,
        False,
    ),
    (
        "request-header-required",
        lambda d: d["request"]["requiredHeaders"].append("x-tenant"),
        ChangeKind.ADDED_HEADER,
        True,
        False,
    ),
    (
        "version-removed",
        lambda d: (
            d["acceptedVersions"].remove("1.0"),
            request_props(d)["version"]["enum"].remove("1.0"),
            created_schema(d)["properties"]["version"]["enum"].remove("1.0"),
        ),
        ChangeKind.REMOVED_VERSION,
        True,
        False,
    ),
]


@pytest.mark.parametrize(
    ("mutate", "kind", "clients", "servers"),
    [pytest.param(*case[1:], id=case[0]) for case in RULE_CASES],
)
def test_breaking_rule(mutate: Mutation, kind: ChangeKind, clients: bool, servers: bool) -> None:
    new = document()
    mutate(new)

    changes = diff_contracts(document(), new)

    assert len(changes) == 1, changes
    assert changes[0].kind is kind
    assert changes[0].breaking_for_clients is clients
    assert changes[0].breaking_for_servers is servers


@pytest.mark.parametrize(
    ("side", "effect", "expected"),
    [
        pytest.param(Side.REQUEST, Effect.WIDEN, (False, True), id="request-widen"),
        pytest.param(Side.REQUEST, Effect.NARROW, (True, False), id="request-narrow"),
        pytest.param(Side.RESPONSE, Effect.WIDEN, (True, False), id="response-widen"),
        pytest.param(Side.RESPONSE, Effect.NARROW, (False, True), id="response-narrow"),
        pytest.param(Side.RESPONSE, Effect.BOTH, (True, True), id="both"),
        pytest.param(Side.REQUEST, Effect.NONE, (False, False), id="none"),
    ],
)
def test_breaking_for_table(side: Side, effect: Effect, expected: tuple[bool, bool]) -> None:
    assert breaking_for(side, effect) == expected


@pytest.mark.parametrize(
    ("effects", "expected"),
    [
        pytest.param((Effect.WIDEN, Effect.NARROW), Effect.BOTH, id="widen-narrow"),
        pytest.param((Effect.WIDEN, Effect.NONE), Effect.WIDEN, id="widen-none"),
        pytest.param((Effect.NONE, Effect.NONE), Effect.NONE, id="none"),
        pytest.param((Effect.BOTH, Effect.NARROW), Effect.BOTH, id="both-wins"),
    ],
)
def test_combine_effects(effects: tuple[Effect, ...], expected: Effect) -> None:
    assert combine(*effects) is expected


def test_every_kind_in_upgrades_doc() -> None:
    text = UPGRADES_DOC.read_text(encoding="utf-8")

    for kind in ChangeKind:
        assert f"`{kind.value}" in text, kind


def _mixed_changes() -> list[Any]:
    new = document()
    request_props(new)["hookType"]["enum"].append("vendor")
    new["responses"]["409"]["schema"]["properties"]["hint"] = {}
    new["problems"].pop("73")
    new["request"]["requiredHeaders"].append("x-tenant")
    return diff_contracts(document(), new)


@pytest.mark.parametrize(
    ("fail_on", "kinds"),
    [
        pytest.param("none", [], id="none"),
        pytest.param(
            "any",
            [
                ChangeKind.ADDED_HEADER,
                ChangeKind.ADDED_ENUM_VALUE,
                ChangeKind.ADDED_FIELD,
                ChangeKind.REMOVED_PROBLEM,
            ],
            id="any",
        ),
        pytest.param(
            "breaking",
            [ChangeKind.ADDED_HEADER, ChangeKind.ADDED_ENUM_VALUE, ChangeKind.REMOVED_PROBLEM],
            id="breaking",
        ),
        pytest.param("breaking-clients", [ChangeKind.ADDED_HEADER], id="clients"),
        pytest.param(
            "breaking-servers",
            [ChangeKind.ADDED_ENUM_VALUE, ChangeKind.REMOVED_PROBLEM],
            id="servers",
        ),
    ],
)
def test_failing_changes(fail_on: str, kinds: list[ChangeKind]) -> None:
    assert [c.kind for c in failing_changes(_mixed_changes(), fail_on)] == kinds


def test_failing_changes_rejects_unknown_rule() -> None:
    with pytest.raises(ValueError) as raised:
        failing_changes([], "some")

    assert "use one of breaking, breaking-clients" in str(raised.value)


def test_render_text_lists_changes() -> None:
    changes = diff_contracts(document("1.1"), document("1.3"))

    text = render_text(changes, "1.1", "1.3")

    lines = text.splitlines()
    assert lines[0] == "16 changes from 1.1 to 1.3: 8 break clients, 8 break servers."
    assert "- added-problem [breaks clients] $.problems['168']" in lines
    assert "    problem type 168 (403 Execution hook action not permitted) added" in lines
    assert len(lines) == 1 + 2 * len(changes)


def test_render_text_without_changes() -> None:
    assert render_text([], "1.3", "copy.json") == "No changes from 1.3 to copy.json.\n"


def test_render_json_report() -> None:
    changes = diff_contracts(document("1.1"), document("1.3"))

    report = json.loads(render_json(changes, "1.1", "1.3"))

    assert report["old"] == "1.1"
    assert report["new"] == "1.3"
    assert report["summary"] == {"changes": 16, "breakingForClients": 8, "breakingForServers": 8}
    assert report["changes"][-1] == {
        "path": "$.stages.failover",
        "kind": "stage-rule-changed",
        "description": "action failover: allowed stages (action not allowed) -> post",
        "breakingForClients": False,
        "breakingForServers": True,
        "side": "request",
        "effect": "widen",
        "old": None,
        "new": ["post"],
    }


def test_odd_version_enum_reported_as_enum_change() -> None:
    new = document()
    new["request"]["schema"]["properties"]["version"]["enum"].append("latest")

    changes = diff_contracts(document(), new)

    assert [(c.kind, c.new) for c in changes] == [(ChangeKind.ADDED_ENUM_VALUE, "latest")]
