"""The portable contract document: building, validating and loading it."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from deepdiff import DeepDiff

from harness.contract import facts
from harness.contract.datafile import ContractFileError
from harness.contract.document import (
    APP_OPERATION,
    DEFAULT_OPERATION,
    DOCUMENT_FORMAT,
    canonical_schema,
    contract_document,
    load_contract_document,
    validate_contract_document,
)
from harness.contract.model import Contract
from harness.contract.problems import PROBLEMS
from harness.contract.versions import VERSIONS


@pytest.mark.parametrize("version", list(VERSIONS))
def test_document_survives_json_round_trip(version: str) -> None:
    document = contract_document(Contract(version))

    assert json.loads(json.dumps(document)) == document


@pytest.mark.parametrize("version", list(VERSIONS))
def test_document_is_valid(version: str) -> None:
    document = contract_document(Contract(version))

    assert validate_contract_document(document, "built-in") is document


def test_document_top_level_fields() -> None:
    document = contract_document(Contract("1.3"))

    assert document["documentFormat"] == DOCUMENT_FORMAT
    assert document["version"] == "1.3"
    assert document["acceptedVersions"] == ["1.0", "1.1", "1.2", "1.3"]
    assert document["operation"] == DEFAULT_OPERATION


def test_document_request_entry() -> None:
    request = contract_document(Contract("1.3"))["request"]

    assert request["contentTypes"] == sorted(facts.ACCEPTED_REQUEST_MEDIA_TYPES)
    assert request["requiredHeaders"] == ["authorization", "content-type"]
    assert DeepDiff(request["schema"], canonical_schema(Contract("1.3").request_schema())) == {}


def test_document_created_entry() -> None:
    created = contract_document(Contract("1.3"))["responses"]["201"]

    assert created["contentTypes"] == sorted([facts.JSON_MEDIA_TYPE, facts.REQUEST_MEDIA_TYPE])
    assert created["requiredHeaders"] == ["content-type", "etag", "location"]
    expected = canonical_schema(Contract("1.3").response_shape(201).body_schema)
    assert DeepDiff(created["schema"], expected) == {}


@pytest.mark.parametrize("version", list(VERSIONS))
def test_document_statuses_match_contract(version: str) -> None:
    document = contract_document(Contract(version))

    assert sorted(document["responses"]) == [str(s) for s in Contract(version).statuses]


def test_document_error_entries() -> None:
    responses = contract_document(Contract("1.3"))["responses"]

    for status in ("400", "401", "403", "404", "409"):
        assert responses[status]["contentTypes"] == [facts.PROBLEM_MEDIA_TYPE], status
        assert responses[status]["requiredHeaders"] == ["content-type"], status
        assert responses[status]["schema"]["required"] == ["detail", "status", "title", "type"]


@pytest.mark.parametrize("version", list(VERSIONS))
def test_document_problems_match_contract(version: str) -> None:
    problems = contract_document(Contract(version))["problems"]

    assert sorted(problems, key=int) == [str(n) for n in sorted(Contract(version).problems)]
    for key, entry in problems.items():
        builtin = PROBLEMS[int(key)]
        assert entry == {
            "number": builtin.number,
            "status": builtin.status,
            "title": builtin.title,
            "detail": builtin.detail,
            "extraField": builtin.extra_field,
        }


@pytest.mark.parametrize(
    ("version", "stages"),
    [
        pytest.param(
            "1.1",
            {"snapshot": ["pre", "post"], "backup": ["pre", "post"], "restore": ["post"]},
            id="1.1-no-failover",
        ),
        pytest.param(
            "1.3",
            {
                "snapshot": ["pre", "post"],
                "backup": ["pre", "post"],
                "restore": ["post"],
                "failover": ["post"],
            },
            id="1.3-failover-post",
        ),
    ],
)
def test_document_stages_follow_actions(version: str, stages: dict[str, list[str]]) -> None:
    assert contract_document(Contract(version))["stages"] == stages


def test_document_app_operation() -> None:
    core = contract_document(Contract("1.3"))
    app = contract_document(Contract("1.3"), APP_OPERATION)

    assert app["operation"] == APP_OPERATION
    assert DeepDiff(core, app) == {
        "values_changed": {
            "root['operation']": {"new_value": APP_OPERATION, "old_value": DEFAULT_OPERATION}
        }
    }


def test_canonical_schema_sorts_required() -> None:
    schema = {
        "type": "object",
        "required": ["b", "a"],
        "properties": {"x": {"required": ["z", "y"]}},
    }

    result = canonical_schema(schema)

    assert result["required"] == ["a", "b"]
    assert result["properties"]["x"]["required"] == ["y", "z"]
    assert schema["required"] == ["b", "a"]


def test_canonical_schema_drops_empty_required() -> None:
    assert canonical_schema({"type": "object", "required": []}) == {"type": "object"}


def test_canonical_schema_keeps_enum_order() -> None:
    assert canonical_schema({"enum": ["b", "a"]}) == {"enum": ["b", "a"]}


def test_canonical_schema_keeps_property_named_required() -> None:
    schema = {"properties": {"required": {"type": "string"}}}

    assert canonical_schema(schema) == schema


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_load_document_round_trip(tmp_path: Path, suffix: str) -> None:
    document = contract_document(Contract("1.2"))
    path = tmp_path / f"contract{suffix}"
    text = json.dumps(document) if suffix == ".json" else yaml.safe_dump(document)
    path.write_text(text, encoding="utf-8")

    assert load_contract_document(path) == document


def _broken(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(contract_document(Contract("1.3")))
    change(document)
    return document


@pytest.mark.parametrize(
    ("document", "json_path"),
    [
        pytest.param(_broken(lambda d: d.pop("stages")), "$", id="missing-stages"),
        pytest.param(
            _broken(lambda d: d.update(documentFormat="other/2")), "$.documentFormat", id="format"
        ),
        pytest.param(
            _broken(lambda d: d["responses"].update({"2xx": d["responses"]["201"]})),
            "$.responses",
            id="bad-status-key",
        ),
        pytest.param(
            _broken(lambda d: d["problems"]["10"].update(status="409")),
            "$.problems['10'].status",
            id="status-as-string",
        ),
        pytest.param(
            _broken(lambda d: d["problems"]["10"].update(number=11)),
            "$.problems['10'].number",
            id="number-differs-from-key",
        ),
        pytest.param(
            _broken(lambda d: d["request"].pop("schema")), "$.request", id="request-without-schema"
        ),
    ],
)
def test_invalid_document_names_path(document: dict[str, Any], json_path: str) -> None:
    with pytest.raises(ContractFileError) as raised:
        validate_contract_document(document, "saved.json")

    assert raised.value.file == "saved.json"
    assert raised.value.json_path == json_path
    assert str(raised.value).startswith(f"saved.json: {json_path}: ")


def test_openapi_document_rejected_with_fix() -> None:
    with pytest.raises(ContractFileError) as raised:
        validate_contract_document({"openapi": "3.0.3", "paths": {}}, "api.yaml")

    assert raised.value.json_path == "$.openapi"
    assert "contract import" in raised.value.fix


def test_load_missing_document_file(tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"

    with pytest.raises(ContractFileError) as raised:
        load_contract_document(missing)

    assert raised.value.problem == "file not found"
    assert raised.value.file == str(missing)
