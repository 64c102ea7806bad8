"""Tests of the requirements a scenario covers, inferred and declared."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from harness.certify.coverage import DECLARED, INFERRED, request_violations, scenario_requirements
from harness.contract import load_contract
from harness.scenario.loader import load_scenarios
from harness.scenario.model import Scenario

CONTRACT = load_contract("1.3")

CASES = [
    pytest.param(
        "core-created-minimal-body",
        {"status.201", "header.location", "header.etag", "header.content-type.created-json",
         "default.enabled", "default.matchingCriteria", "default.metadata", "echo.name",
         "stage.snapshot", "created.id.pattern", "created.metadata.createdBy.pattern",
         "created.additionalProperties"},
        {"echo.enabled", "problem.8", "header.content-type.created-resource",
         "created.matchingContainers.json-type"},
        id="201-minimal",
    ),
    pytest.param(
        "core-created-accept-resource-type",
        {"header.content-type.created-resource", "echo.version"},
        {"header.content-type.created-json"},
        id="201-accept-resource",
    ),
    pytest.param(
        "core-problem-8-name-too-long",
        {"status.400", "problem.8", "request.name.length", "header.content-type.problem",
         "problem-body.status.pattern", "problem-body.schemaValidationFailure.json-type"},
        {"request.name.required", "problem-body.invalidFields.items", "header.location"},
        id="problem-8-length",
    ),
    pytest.param(
        "core-problem-8-missing-name", {"request.name.required"}, {"request.name.length"},
        id="problem-8-required",
    ),
    pytest.param(
        "core-problem-8-unknown-key", {"request.additionalProperties"}, set(),
        id="problem-8-extra-key",
    ),
    pytest.param(
        "core-problem-9-restore-pre",
        {"problem.9", "stage.restore", "problem-body.invalidFields.items",
         "problem-body.invalidFields[].name.required"},
        {"stage.snapshot", "problem-body.invalidParams.items"},
        id="problem-9-stage",
    ),
    pytest.param(
        "core-problem-9-unknown-hook-source", {"problem.9"}, {"stage.snapshot", "stage.restore"},
        id="problem-9-other",
    ),
]


@pytest.mark.parametrize(("scenario_id", "included", "excluded"), CASES)
def test_inferred_requirements(
    scenario_by_id: dict[str, Scenario], scenario_id: str, included: set[str], excluded: set[str]
) -> None:
    found = scenario_requirements(scenario_by_id[scenario_id], CONTRACT)

    assert included <= set(found), sorted(included - set(found))
    assert not excluded & set(found), sorted(excluded & set(found))
    assert set(found.values()) == {INFERRED}


@pytest.mark.parametrize(("body", "expected"), [
    pytest.param({"name": "${name_prefix}" + "x" * 64}, {"request.name.length"}, id="long-literal"),
    pytest.param({"name": "${name_prefix}short"}, set(), id="short-literal"),
    pytest.param({"hookSourceID": "${hook_source_id}"}, set(), id="variable-pattern"),
    pytest.param({"hookSourceID": "not-a-uuid"}, {"request.hookSourceID.pattern"}, id="bad-pattern"),
    pytest.param({"arguments": ["a", "a"]}, {"request.arguments.unique"}, id="duplicate-items"),
    pytest.param({"matchingCriteria": [{"type": "pod", "value": "x"}]},
                 {"request.matchingCriteria[].type.enum"}, id="nested-enum"),
    pytest.param({"metadata": {"labels": [{"name": "a"}]}},
                 {"request.metadata.labels[].value.required"}, id="nested-required"),
    pytest.param({"enabled": True}, {"request.enabled.json-type"}, id="json-type"),
])
def test_request_violations(body: dict, expected: set[str]) -> None:
    complete = {
        "type": "application/astra-executionHook", "version": "1.3", "name": "n",
        "hookType": "custom", "action": "snapshot", "stage": "pre",
        "hookSourceID": "50e89023-ba84-435d-bb47-1833f4c250ff",
        "appID": "7be5ae7c-151d-4230-ac39-ac1d0b33c2a9",
    }
    complete.update(body)

    assert set(request_violations(complete, CONTRACT)) == expected


def test_declared_covers(tmp_path: Path) -> None:
    source = tmp_path / "declared.yaml"
    source.write_text(dedent("""\
        scenarios:
          - id: core-created-with-description
            covers: [request.description.length, echo.description]
            request:
              method: POST
              path: /accounts/${account_id}/core/v1/executionHooks
              body: {name: x}
            expect:
              status: 201
        """), encoding="utf-8")
    loaded = load_scenarios([source])
    assert not loaded.errors, [str(error) for error in loaded.errors]

    found = scenario_requirements(loaded.scenarios[0], CONTRACT)

    assert found["request.description.length"] == DECLARED
    assert found["echo.description"] == DECLARED
    assert found["status.201"] == INFERRED


def test_unknown_covers_id_rejected(tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text(dedent("""\
        scenarios:
          - id: core-bad-covers
            covers: [request.name.lenght]
            request: {path: /accounts/x/core/v1/executionHooks}
            expect: {status: 201}
        """), encoding="utf-8")

    loaded = load_scenarios([source])

    assert not loaded.scenarios
    assert len(loaded.errors) == 1
    assert "request.name.lenght" in str(loaded.errors[0])
    assert "request.name.length" in str(loaded.errors[0])
