"""Conversion of OpenAPI 3.0 schema objects to JSON Schema draft 7, and `$ref` resolution."""

from __future__ import annotations

from typing import Any

import pytest

from harness.contract.datafile import ContractFileError
from harness.contract.facts import UUID_PATTERN
from harness.contract.openapi_schema import merge_object_schemas

from .openapi_helpers import convert_schema


def messages_at(warnings: list[tuple[str, str]], json_path: str) -> list[str]:
    return [message for path, message in warnings if path == json_path]


@pytest.mark.parametrize(
    ("schema", "expected_type"),
    [
        pytest.param({"type": "string", "nullable": True}, ["string", "null"], id="string"),
        pytest.param({"type": ["integer"], "nullable": True}, ["integer", "null"], id="type-list"),
        pytest.param(
            {"type": ["string", "null"], "nullable": True}, ["string", "null"], id="null-present"
        ),
    ],
)
def test_nullable_true_adds_null(schema: dict[str, Any], expected_type: list[str]) -> None:
    converted, warnings = convert_schema(schema)

    assert converted == {"type": expected_type}
    assert any("type list" in m for m in messages_at(warnings, "$.schema.nullable"))


def test_nullable_false_dropped() -> None:
    converted, warnings = convert_schema({"type": "string", "nullable": False})

    assert converted == {"type": "string"}
    assert messages_at(warnings, "$.schema.nullable") == ["nullable: false is the default; dropped"]


def test_nullable_without_type_dropped() -> None:
    converted, warnings = convert_schema({"nullable": True})

    assert converted == {}
    assert "allows null already" in messages_at(warnings, "$.schema.nullable")[0]


def test_nullable_not_boolean_rejected() -> None:
    with pytest.raises(ContractFileError) as raised:
        convert_schema({"type": "string", "nullable": "yes"})

    assert raised.value.json_path == "$.schema.nullable"
    assert raised.value.value == "yes"
    assert raised.value.fix == "Write true or false."


def test_format_uuid_becomes_pattern() -> None:
    converted, warnings = convert_schema({"type": "string", "format": "uuid"})

    assert converted == {"type": "string", "pattern": UUID_PATTERN}
    assert "UUID pattern" in messages_at(warnings, "$.schema.format")[0]


def test_format_uuid_keeps_explicit_pattern() -> None:
    converted, warnings = convert_schema(
        {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"}
    )

    assert converted == {"type": "string", "pattern": "^[0-9a-f-]{36}$"}
    assert "the pattern is kept" in messages_at(warnings, "$.schema.format")[0]


def test_other_format_kept_silently() -> None:
    converted, warnings = convert_schema({"type": "string", "format": "date-time"})

    assert converted == {"type": "string", "format": "date-time"}
    assert warnings == []


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        pytest.param(
            {"maximum": 10, "exclusiveMaximum": True}, {"exclusiveMaximum": 10}, id="max-true"
        ),
        pytest.param(
            {"minimum": 0, "exclusiveMinimum": True}, {"exclusiveMinimum": 0}, id="min-true"
        ),
        pytest.param({"maximum": 10, "exclusiveMaximum": False}, {"maximum": 10}, id="max-false"),
        pytest.param({"exclusiveMaximum": True}, {}, id="max-true-alone"),
    ],
)
def test_boolean_exclusive_bounds_converted(
    schema: dict[str, Any], expected: dict[str, Any]
) -> None:
    converted, warnings = convert_schema({"type": "number", **schema})

    assert converted == {"type": "number", **expected}
    assert len(warnings) == 1


def test_numeric_exclusive_bound_kept() -> None:
    converted, warnings = convert_schema({"type": "number", "exclusiveMaximum": 5})

    assert converted == {"type": "number", "exclusiveMaximum": 5}
    assert warnings == []


def test_media_type_type_with_properties_becomes_object() -> None:
    schema = {"type": "application/astra-executionHook", "properties": {"name": {"type": "string"}}}

    converted, warnings = convert_schema(schema)

    assert converted == {"type": "object", "properties": {"name": {"type": "string"}}}
    assert "replaced by 'object'" in messages_at(warnings, "$.schema.type")[0]


def test_media_type_type_alone_dropped() -> None:
    converted, warnings = convert_schema(
        {"type": "application/astra-executionHook", "maxLength": 3}
    )

    assert converted == {"maxLength": 3}
    assert messages_at(warnings, "$.schema.type")[0].endswith("not a JSON type; dropped")


def test_invalid_type_rejected() -> None:
    with pytest.raises(ContractFileError) as raised:
        convert_schema({"properties": {"name": {"type": "strng"}}})

    assert raised.value.json_path == "$.schema.properties.name.type"
    assert raised.value.value == "strng"
    assert "string" in raised.value.fix


@pytest.mark.parametrize(
    ("keyword", "fragment"),
    [
        pytest.param("x-internal", "OpenAPI extension 'x-internal'", id="extension"),
        pytest.param("example", "OpenAPI example is an annotation", id="example"),
        pytest.param("examples", "not a keyword of an OpenAPI 3.0 schema", id="examples"),
        pytest.param("discriminator", "no JSON Schema equivalent", id="discriminator"),
    ],
)
def test_openapi_only_keyword_dropped_with_warning(keyword: str, fragment: str) -> None:
    converted, warnings = convert_schema({"type": "object", keyword: {"any": "value"}})

    assert converted == {"type": "object"}
    assert (
        fragment
        in messages_at(
            warnings, f"$.schema['{keyword}']" if "-" in keyword else f"$.schema.{keyword}"
        )[0]
    )


def test_annotations_dropped_silently() -> None:
    schema = {
        "type": "string",
        "description": "d",
        "title": "t",
        "default": "x",
        "deprecated": False,
    }

    converted, warnings = convert_schema(schema)

    assert converted == {"type": "string"}
    assert warnings == []


def test_ref_resolved_and_inlined() -> None:
    converted, warnings = convert_schema(
        {"type": "array", "items": {"$ref": "#/components/schemas/name"}},
        {"name": {"type": "string", "maxLength": 63}},
    )

    assert converted == {"type": "array", "items": {"type": "string", "maxLength": 63}}
    assert warnings == []


def test_ref_sibling_ignored_with_warning() -> None:
    converted, warnings = convert_schema(
        {"$ref": "#/components/schemas/name", "maxLength": 10, "description": "quiet"},
        {"name": {"type": "string"}},
    )

    assert converted == {"type": "string"}
    assert messages_at(warnings, "$.schema.maxLength") != []
    assert messages_at(warnings, "$.schema.description") == []


def test_ref_pointer_escapes_decoded() -> None:
    converted, _ = convert_schema(
        {"$ref": "#/components/schemas/a~1b~0c%7Bx%7D"}, {"a/b~c{x}": {"type": "integer"}}
    )

    assert converted == {"type": "integer"}


def test_shared_ref_is_not_a_cycle() -> None:
    converted, _ = convert_schema(
        {
            "type": "object",
            "properties": {
                "a": {"$ref": "#/components/schemas/id"},
                "b": {"$ref": "#/components/schemas/id"},
            },
        },
        {"id": {"type": "string"}},
    )

    assert converted["properties"] == {"a": {"type": "string"}, "b": {"type": "string"}}


def test_recursive_schema_rejected_with_chain() -> None:
    schemas = {
        "node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/link"}}},
        "link": {"type": "array", "items": {"$ref": "#/components/schemas/node"}},
    }

    with pytest.raises(ContractFileError) as raised:
        convert_schema({"$ref": "#/components/schemas/node"}, schemas)

    error = raised.value
    assert error.json_path == "$.components.schemas.link.items['$ref']"
    assert (
        "#/components/schemas/node -> #/components/schemas/link -> #/components/schemas/node"
        in error.problem
    )


def test_ref_chain_loop_rejected() -> None:
    schemas = {"a": {"$ref": "#/components/schemas/b"}, "b": {"$ref": "#/components/schemas/a"}}

    with pytest.raises(ContractFileError) as raised:
        convert_schema({"$ref": "#/components/schemas/a"}, schemas)

    assert "leads back to itself" in raised.value.problem


@pytest.mark.parametrize(
    ("ref", "problem", "fix_fragment"),
    [
        pytest.param(
            "common.yaml#/components/schemas/a",
            "external $ref is not supported",
            "Copy",
            id="external",
        ),
        pytest.param(
            "#/components/schemas/missing",
            "$ref target not found",
            "Fix the reference",
            id="missing",
        ),
        pytest.param("#components", "$ref is not a JSON pointer", "#/components", id="not-pointer"),
        pytest.param(12, "$ref is not a string", "as a string", id="not-string"),
    ],
)
def test_bad_ref_rejected(ref: Any, problem: str, fix_fragment: str) -> None:
    with pytest.raises(ContractFileError) as raised:
        convert_schema({"$ref": ref})

    assert raised.value.problem == problem
    assert fix_fragment in raised.value.fix
    assert raised.value.file == "test.yaml"


def test_missing_ref_names_deepest_found_path() -> None:
    with pytest.raises(ContractFileError) as raised:
        convert_schema({"$ref": "#/components/schemas/missing"})

    assert raised.value.json_path == "$.components.schemas.missing"


def test_read_only_removed_from_request() -> None:
    schema = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
    }

    converted, _ = convert_schema(schema, context="request")

    assert converted["properties"] == {"name": {"type": "string"}}
    assert converted["required"] == ["name"]


def test_read_only_kept_in_response() -> None:
    schema = {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}}}

    converted, _ = convert_schema(schema, context="response")

    assert converted["properties"] == {"id": {"type": "string"}}


def test_write_only_removed_from_response() -> None:
    schema = {"type": "object", "properties": {"secret": {"$ref": "#/components/schemas/secret"}}}

    converted, _ = convert_schema(
        schema, {"secret": {"type": "string", "writeOnly": True}}, "response"
    )

    assert converted["properties"] == {}


def test_all_of_closed_members_merged_with_warning() -> None:
    schema = {
        "allOf": [
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["a"],
                "properties": {"a": {"type": "string"}},
            },
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["b"],
                "properties": {"b": {"type": "integer"}},
            },
        ]
    }

    converted, warnings = convert_schema(schema)

    assert converted == {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        "required": ["a", "b"],
        "additionalProperties": False,
    }
    assert "merged into one object schema" in messages_at(warnings, "$.schema.allOf")[0]


def test_all_of_open_members_merged_silently() -> None:
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/base"},
            {"type": "object", "properties": {"kind": {"enum": ["x"]}}},
        ]
    }

    converted, warnings = convert_schema(
        schema, {"base": {"type": "object", "properties": {"kind": {"type": "string"}}}}
    )

    assert converted == {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": ["x"]}},
    }
    assert warnings == []


def test_all_of_conflict_kept_with_warning() -> None:
    schema = {
        "allOf": [
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {"a": {"type": "string"}},
            },
            {"type": "object", "properties": {"a": {"type": "integer"}}},
        ]
    }

    converted, warnings = convert_schema(schema)

    assert "allOf" in converted
    assert "kept as allOf" in messages_at(warnings, "$.schema.allOf")[0]


def test_all_of_non_object_kept() -> None:
    schema = {"allOf": [{"type": "string"}, {"maxLength": 3}]}

    converted, warnings = convert_schema(schema)

    assert converted == schema
    assert warnings == []


def test_merge_rejects_schema_valued_additional_properties() -> None:
    members = [{"additionalProperties": {"type": "string"}}, {"properties": {"a": {}}}]

    assert merge_object_schemas(members) is None


def test_combinator_not_list_rejected() -> None:
    with pytest.raises(ContractFileError) as raised:
        convert_schema({"oneOf": {"type": "string"}})

    assert raised.value.json_path == "$.schema.oneOf"


def test_properties_not_mapping_rejected() -> None:
    with pytest.raises(ContractFileError) as raised:
        convert_schema({"type": "object", "properties": ["a", "b"]})

    assert raised.value.json_path == "$.schema.properties"


def test_schema_not_mapping_rejected() -> None:
    with pytest.raises(ContractFileError) as raised:
        convert_schema({"type": "array", "items": "string"})

    assert raised.value.json_path == "$.schema.items"
    assert raised.value.problem == "schema is not an object"
