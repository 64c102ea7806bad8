"""Import of the create operation from OpenAPI 3.0 documents into contract documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from deepdiff import DeepDiff

from harness.contract.datafile import ContractFileError
from harness.contract.document import APP_OPERATION, contract_document
from harness.contract.model import Contract
from harness.contract.openapi_import import import_operation

from .openapi_helpers import (
    CORE_PATH,
    OPENAPI_1_1,
    OPENAPI_1_3,
    create_operation,
    large_openapi,
    minimal_openapi,
    openapi_document,
    problem_response,
)

REQUEST_SCHEMA = "$.components.schemas['executionHook_1.3_post_request_body']"
RESPONSE_SCHEMA = "$.components.schemas['executionHook_1.3_get_response_body']"
CORE_POST = f"$.paths['{CORE_PATH}'].post"

# Every warning the 1.3 test document must give: its JSON path and a part of its message.
EXPECTED_1_3_WARNINGS = [
    (
        f"{CORE_POST}.requestBody.content['application/astra-executionHook+json'].schema.type",
        "names a media type, not a JSON type, and sits beside a $ref",
    ),
    (f"{RESPONSE_SCHEMA}.type", "replaced by 'object'"),
    (f"{REQUEST_SCHEMA}.properties.description.nullable", "nullable: false"),
    (f"{REQUEST_SCHEMA}.properties.action['x-ntap-long-description']", "OpenAPI extension"),
    (f"{REQUEST_SCHEMA}.properties.name.example", "OpenAPI example is an annotation"),
    ("$.components.schemas.uuid.example", "OpenAPI example is an annotation"),
    (f"{RESPONSE_SCHEMA}.example", "OpenAPI example is an annotation"),
    (
        "$.components.schemas.type_astra_metadata.properties.createdBy.example",
        "beside $ref is ignored",
    ),
    (f"{REQUEST_SCHEMA}.properties.hookSourceID.format", "format 'uuid'"),
    (f"{REQUEST_SCHEMA}.properties.appID.format", "format 'uuid'"),
    ("$.components.schemas.uuid.format", "format 'uuid'"),
    (
        "$.components.responses.forbidden.content['application/problem+json'].examples",
        "examples is a list",
    ),
    (
        "$.components.responses.forbidden.content['application/problem+json'].schema",
        "problem 168 has no documented title or detail",
    ),
]


@pytest.fixture(scope="module")
def large_yaml_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 1.3 test document with 2000 unrelated paths and schemas, as YAML of about 4 MB."""
    document = large_openapi(openapi_document(), 2000)
    path = tmp_path_factory.mktemp("large") / "openapi-large.yaml"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(document, stream, Dumper=dumper, sort_keys=False)
    return path


def test_import_1_3_equals_builtin() -> None:
    result = import_operation(OPENAPI_1_3)

    assert DeepDiff(contract_document(Contract("1.3")), result.document) == {}


def test_import_app_operation_equals_builtin() -> None:
    result = import_operation(OPENAPI_1_3, APP_OPERATION)

    assert DeepDiff(contract_document(Contract("1.3"), APP_OPERATION), result.document) == {}


def test_import_1_1_equals_builtin() -> None:
    result = import_operation(OPENAPI_1_1)

    assert DeepDiff(contract_document(Contract("1.1")), result.document) == {}


@pytest.mark.parametrize(
    ("json_path", "fragment"),
    [
        pytest.param(path, fragment, id=path.rsplit(".", 1)[-1])
        for path, fragment in EXPECTED_1_3_WARNINGS
    ],
)
def test_import_1_3_warns_at_path(json_path: str, fragment: str) -> None:
    warnings = import_operation(OPENAPI_1_3).warnings

    messages = [message for path, message in warnings if path == json_path]
    assert any(fragment in message for message in messages), warnings


def test_import_1_3_has_no_other_warnings() -> None:
    warnings = import_operation(OPENAPI_1_3).warnings

    assert sorted(path for path, _ in warnings) == sorted(path for path, _ in EXPECTED_1_3_WARNINGS)


def test_import_1_1_warns_about_stages_and_default() -> None:
    warnings = import_operation(OPENAPI_1_1).warnings
    post = f"$.paths['{CORE_PATH}'].post"

    assert (f"{post}.responses.default", "only explicit status codes are read; skipped") in warnings
    assert any(
        path == post and "built-in contract's rules" in message for path, message in warnings
    )
    assert len(warnings) == 2


def test_import_result_names_source() -> None:
    assert import_operation(OPENAPI_1_1).source == str(OPENAPI_1_1)


def test_large_yaml_document_is_several_mb(large_yaml_file: Path) -> None:
    assert large_yaml_file.stat().st_size > 3_000_000


def test_large_yaml_document_equals_builtin(large_yaml_file: Path) -> None:
    result = import_operation(large_yaml_file)

    assert DeepDiff(contract_document(Contract("1.3")), result.document) == {}
    assert len(result.warnings) == len(EXPECTED_1_3_WARNINGS)


def test_large_json_document_equals_builtin(tmp_path: Path) -> None:
    path = tmp_path / "openapi-large.json"
    path.write_text(json.dumps(large_openapi(openapi_document(), 1000)), encoding="utf-8")

    result = import_operation(path)

    assert DeepDiff(contract_document(Contract("1.3")), result.document) == {}


def test_import_parsed_document() -> None:
    result = import_operation(openapi_document(), source="in-memory")

    assert result.source == "in-memory"
    assert DeepDiff(contract_document(Contract("1.3")), result.document) == {}


def test_unknown_operation_lists_operations() -> None:
    with pytest.raises(ContractFileError) as raised:
        import_operation(OPENAPI_1_3, "POST /accounts/{account_id}/core/v1/executionHook")

    error = raised.value
    assert error.file == str(OPENAPI_1_3)
    assert error.json_path == "$.paths"
    assert error.problem == "operation not found"
    assert f"Did you mean POST {CORE_PATH}" in error.fix
    assert f"GET {CORE_PATH}/{{executionHook_id}}" in error.fix
    assert f"DELETE {CORE_PATH}/{{executionHook_id}}" in error.fix


def test_unknown_operation_list_is_cut() -> None:
    document = large_openapi(openapi_document(), 1000)

    with pytest.raises(ContractFileError) as raised:
        import_operation(document, "PUT /nothing")

    assert raised.value.fix.endswith("and 965 more.")
    assert f"POST {CORE_PATH}," in raised.value.fix


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param("POST", id="no-path"),
        pytest.param("SEND /accounts", id="unknown-method"),
        pytest.param("POST accounts", id="relative-path"),
    ],
)
def test_malformed_operation_rejected(operation: str) -> None:
    with pytest.raises(ContractFileError) as raised:
        import_operation(OPENAPI_1_3, operation)

    assert raised.value.problem == "operation is not of the form 'METHOD /path'"
    assert raised.value.value == operation


def test_lowercase_method_accepted() -> None:
    result = import_operation(OPENAPI_1_3, f"post {CORE_PATH}")

    assert result.document["operation"] == f"POST {CORE_PATH}"


def test_swagger_document_rejected() -> None:
    with pytest.raises(ContractFileError) as raised:
        import_operation({"swagger": "2.0", "paths": {}})

    assert raised.value.json_path == "$.openapi"
    assert raised.value.value == "2.0"
    assert "convert Swagger 2.0" in raised.value.fix


def test_openapi_3_1_read_with_warning() -> None:
    document = minimal_openapi()
    document["openapi"] = "3.1.0"

    warnings = import_operation(document).warnings

    assert ("$.openapi", "OpenAPI 3.1.0 is read with the rules of OpenAPI 3.0") in warnings


def test_missing_request_body_rejected() -> None:
    document = minimal_openapi()
    del create_operation(document)["requestBody"]

    with pytest.raises(ContractFileError) as raised:
        import_operation(document)

    assert raised.value.json_path == f"{CORE_POST}.requestBody"
    assert "requestBody.content" in raised.value.fix


def test_missing_version_enum_rejected() -> None:
    document = minimal_openapi({"type": "object", "properties": {"version": {"type": "string"}}})

    with pytest.raises(ContractFileError) as raised:
        import_operation(document)

    assert raised.value.problem == "the request schema has no version enum of strings"
    assert "enum: ['1.0', '1.1']" in raised.value.fix


def test_unquoted_versions_rejected() -> None:
    document = minimal_openapi({"type": "object", "properties": {"version": {"enum": [1.0, 1.1]}}})

    with pytest.raises(ContractFileError) as raised:
        import_operation(document)

    assert raised.value.value == [1.0, 1.1]


def test_versions_sorted_and_newest_chosen() -> None:
    document = minimal_openapi(
        {
            "type": "object",
            "properties": {"version": {"type": "string", "enum": ["1.10", "1.2", "1.0"]}},
        }
    )

    result = import_operation(document)

    assert result.document["acceptedVersions"] == ["1.0", "1.2", "1.10"]
    assert result.document["version"] == "1.10"


def test_malformed_stage_extension_rejected() -> None:
    document = minimal_openapi()
    create_operation(document)["x-allowed-stages"] = ["pre", "post"]

    with pytest.raises(ContractFileError) as raised:
        import_operation(document)

    assert raised.value.json_path == f"{CORE_POST}['x-allowed-stages']"
    assert "{snapshot: [pre, post], restore: [post]}" in raised.value.fix


def test_stage_extension_checked_against_enums() -> None:
    document = minimal_openapi()
    create_operation(document)["x-allowed-stages"] = {"snapshot": ["during"], "clone": ["pre"]}

    result = import_operation(document)

    assert result.document["stages"] == {"snapshot": ["during"], "clone": ["pre"]}
    messages = [message for _, message in result.warnings]
    assert "stage 'during' is not in the request's stage enum" in messages
    assert "action 'clone' is not in the request's action enum" in messages


def test_stage_fallback_for_unknown_action() -> None:
    document = minimal_openapi(
        {
            "type": "object",
            "properties": {
                "version": {"type": "string", "enum": ["1.0"]},
                "action": {"type": "string", "enum": ["restore", "clone"]},
                "stage": {"type": "string", "enum": ["pre", "post"]},
            },
        }
    )
    del create_operation(document)["x-allowed-stages"]

    result = import_operation(document)

    assert result.document["stages"] == {"restore": ["post"], "clone": ["pre", "post"]}
    assert any(
        "'clone' is unknown to the built-in rules" in message for _, message in result.warnings
    )


def test_request_headers_from_security_and_parameters() -> None:
    document = minimal_openapi()
    document["security"] = [{"key": []}]
    document["components"]["securitySchemes"] = {
        "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
    }
    create_operation(document)["parameters"] = [
        {"name": "X-Trace", "in": "header", "required": True, "schema": {"type": "string"}},
        {"name": "X-Optional", "in": "header", "schema": {"type": "string"}},
    ]

    headers = import_operation(document).document["request"]["requiredHeaders"]

    assert headers == ["content-type", "x-api-key", "x-trace"]


def test_optional_security_requires_no_header() -> None:
    document = minimal_openapi()
    document["security"] = [{"bearer": []}, {}]
    document["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}

    headers = import_operation(document).document["request"]["requiredHeaders"]

    assert headers == ["content-type"]


def test_differing_media_type_schemas_warn() -> None:
    document = minimal_openapi()
    content = create_operation(document)["requestBody"]["content"]
    content["application/astra-executionHook+json"] = {
        "schema": {
            "type": "object",
            "properties": {"version": {"type": "string", "enum": ["1.0", "1.1"]}},
        }
    }

    result = import_operation(document)

    assert result.document["request"]["schema"]["properties"]["version"]["enum"] == ["1.0", "1.1"]
    assert any("schema differs" in message for _, message in result.warnings)


def test_response_without_content() -> None:
    responses: dict[str, Any] = {
        "201": {"description": "Created."},
        "404": problem_response(
            {
                "schema": {"type": "object"},
                "example": {
                    "type": "https://astra.netapp.io/problems/2",
                    "title": "Collection not found",
                    "detail": "The collection specified in the request URI wasn't found.",
                    "status": "404",
                },
            }
        ),
    }

    document = import_operation(minimal_openapi(responses=responses)).document

    assert document["responses"]["201"] == {"contentTypes": [], "requiredHeaders": [], "schema": {}}
    assert document["problems"]["2"]["title"] == "Collection not found"


def test_boolean_request_schema_rejected() -> None:
    with pytest.raises(ContractFileError) as raised:
        import_operation(minimal_openapi(True))

    assert raised.value.problem == "the request schema has no version enum of strings"


def test_malformed_security_rejected() -> None:
    document = minimal_openapi()
    document["security"] = {"BearerAuth": []}

    with pytest.raises(ContractFileError) as raised:
        import_operation(document)

    assert raised.value.json_path == "$.security"
    assert "[{BearerAuth: []}]" in raised.value.fix
