"""Problem types read from the error responses of an OpenAPI operation."""

from __future__ import annotations

from typing import Any

import pytest

from harness.contract.openapi_import import ImportResult, import_operation
from harness.contract.problems import PROBLEMS

from .openapi_helpers import minimal_openapi, problem_response

URI = "https://astra.netapp.io/problems/"
CREATED = {
    "description": "Created.",
    "content": {"application/json": {"schema": {"type": "object"}}},
}
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "detail", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "detail": {"type": "string"},
        "status": {"type": "string"},
    },
}


def example(number: int, **fields: Any) -> dict[str, Any]:
    problem = PROBLEMS[number]
    body = {
        "type": f"{URI}{number}",
        "title": problem.title,
        "detail": problem.detail,
        "status": str(problem.status),
    }
    return {**body, **fields}


def import_errors(responses: dict[str, Any], schemas: dict[str, Any] | None = None) -> ImportResult:
    return import_operation(
        minimal_openapi(responses={"201": CREATED, **responses}, schemas=schemas)
    )


def warning_messages(result: ImportResult) -> list[str]:
    return [message for _, message in result.warnings]


def test_problem_from_single_example() -> None:
    result = import_errors(
        {"404": problem_response({"schema": PROBLEM_SCHEMA, "example": example(2)})}
    )

    assert result.document["problems"] == {
        "2": {
            "number": 2,
            "status": 404,
            "title": "Collection not found",
            "detail": "The collection specified in the request URI wasn't found.",
            "extraField": None,
        }
    }
    assert result.warnings == []


def test_extra_field_from_example() -> None:
    media = {
        "schema": PROBLEM_SCHEMA,
        "examples": {"p8": {"value": example(8, schemaValidationFailure="x")}},
    }

    result = import_errors({"400": problem_response(media)})

    assert result.document["problems"]["8"]["extraField"] == "schemaValidationFailure"


def test_correlation_id_is_not_extra_field() -> None:
    media = {
        "schema": PROBLEM_SCHEMA,
        "example": example(7, correlationID="5a4dd1a2-7cd0-4f5e-a3b5-b8b1f4f6c3f1"),
    }

    result = import_errors({"400": problem_response(media)})

    assert result.document["problems"]["7"]["extraField"] is None


def test_problem_from_const_schema() -> None:
    schema = {
        **PROBLEM_SCHEMA,
        "required": ["type", "title", "detail", "status", "invalidFields"],
        "properties": {
            **PROBLEM_SCHEMA["properties"],
            "type": {"type": "string", "const": f"{URI}10"},
            "title": {"type": "string", "enum": [PROBLEMS[10].title]},
            "detail": {"type": "string", "enum": [PROBLEMS[10].detail]},
            "invalidFields": {"type": "array"},
        },
    }

    result = import_errors({"409": problem_response({"schema": schema})})

    problem = result.document["problems"]["10"]
    assert problem["title"] == PROBLEMS[10].title
    assert problem["detail"] == PROBLEMS[10].detail
    assert problem["extraField"] == "invalidFields"
    assert result.warnings == []


def test_generic_schema_drops_fixed_values() -> None:
    schema = {
        **PROBLEM_SCHEMA,
        "properties": {
            **PROBLEM_SCHEMA["properties"],
            "type": {"type": "string", "enum": [f"{URI}11"]},
        },
    }

    result = import_errors({"403": problem_response({"schema": schema, "example": example(11)})})

    generic = result.document["responses"]["403"]["schema"]
    assert generic["properties"]["type"] == {"type": "string"}
    assert generic["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_type_enum_without_wording_uses_builtin() -> None:
    schema = {
        **PROBLEM_SCHEMA,
        "properties": {**PROBLEM_SCHEMA["properties"], "type": {"enum": [f"{URI}11", f"{URI}73"]}},
    }

    result = import_errors({"403": problem_response({"schema": schema})})

    assert result.document["problems"]["73"]["title"] == PROBLEMS[73].title
    assert result.document["problems"]["11"]["detail"] == PROBLEMS[11].detail
    assert (
        "problem 73 has no documented title or detail; the built-in contract's wording is used"
        in warning_messages(result)
    )


def test_unknown_problem_without_wording_left_empty() -> None:
    schema = {
        **PROBLEM_SCHEMA,
        "properties": {**PROBLEM_SCHEMA["properties"], "type": {"enum": [f"{URI}999"]}},
    }

    result = import_errors({"409": problem_response({"schema": schema})})

    assert result.document["problems"]["999"]["title"] is None
    assert result.document["problems"]["999"]["detail"] is None
    assert any(
        "problem 999" in message and "left empty" in message for message in warning_messages(result)
    )


def test_builtin_wording_needs_same_status() -> None:
    schema = {
        **PROBLEM_SCHEMA,
        "properties": {**PROBLEM_SCHEMA["properties"], "type": {"enum": [f"{URI}11"]}},
    }

    result = import_errors({"409": problem_response({"schema": schema})})

    assert result.document["problems"]["11"]["status"] == 409
    assert result.document["problems"]["11"]["title"] is None


def test_conflicting_titles_keep_first() -> None:
    media = {
        "schema": PROBLEM_SCHEMA,
        "examples": {
            "first": {"value": example(3)},
            "second": {"value": example(3, title="Token missing")},
        },
    }

    result = import_errors({"401": problem_response(media)})

    assert result.document["problems"]["3"]["title"] == PROBLEMS[3].title
    assert any(
        "has the title 'Token missing' here" in message for message in warning_messages(result)
    )


def test_example_status_mismatch_warns() -> None:
    media = {"schema": PROBLEM_SCHEMA, "example": example(2, status="400")}

    result = import_errors({"404": problem_response(media)})

    assert result.document["problems"]["2"]["status"] == 404
    assert any("gives status '400'" in message for message in warning_messages(result))


def test_problem_under_two_statuses_keeps_first() -> None:
    result = import_errors(
        {
            "400": problem_response({"schema": PROBLEM_SCHEMA, "example": example(7)}),
            "409": problem_response(
                {"schema": PROBLEM_SCHEMA, "example": example(7, status="409")}
            ),
        }
    )

    assert result.document["problems"]["7"]["status"] == 400
    assert any("responses 400 and 409" in message for message in warning_messages(result))


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param(
            {"type": "about:blank", "title": "x"}, "not an Astra problem URI", id="foreign-uri"
        ),
        pytest.param({"title": "no type"}, "not a problem body with a type", id="no-type"),
        pytest.param("text", "not a problem body with a type", id="not-object"),
    ],
)
def test_unusable_example_skipped(value: Any, fragment: str) -> None:
    result = import_errors({"400": problem_response({"schema": PROBLEM_SCHEMA, "example": value})})

    assert result.document["problems"] == {}
    assert any(fragment in message for message in warning_messages(result))


def test_referenced_example_object() -> None:
    responses = {
        "409": problem_response(
            {"schema": PROBLEM_SCHEMA, "examples": {"c": {"$ref": "#/components/examples/c"}}}
        )
    }
    document = minimal_openapi(responses={"201": CREATED, **responses})
    document["components"]["examples"] = {"c": {"summary": "conflict", "value": example(10)}}

    result = import_operation(document)

    assert result.document["problems"]["10"]["title"] == PROBLEMS[10].title


def test_example_object_without_value_read_with_warning() -> None:
    media = {"schema": PROBLEM_SCHEMA, "examples": {"bare": example(4)}}

    result = import_errors({"401": problem_response(media)})

    assert result.document["problems"]["4"]["title"] == PROBLEMS[4].title
    assert any("Example Object without value" in message for message in warning_messages(result))


def test_external_example_skipped() -> None:
    media = {
        "schema": PROBLEM_SCHEMA,
        "examples": {"ext": {"externalValue": "https://example.test/p.json"}},
    }

    result = import_errors({"401": problem_response(media)})

    assert result.document["problems"] == {}
    assert any("externalValue" in message for message in warning_messages(result))


def test_several_extra_fields_keep_first() -> None:
    media = {"schema": PROBLEM_SCHEMA, "example": example(9, invalidFields=[], other=[])}

    result = import_errors({"400": problem_response(media)})

    assert result.document["problems"]["9"]["extraField"] == "invalidFields"
    assert any("several extra fields" in message for message in warning_messages(result))


def test_one_of_variants_read_per_type() -> None:
    variant_3 = {
        **PROBLEM_SCHEMA,
        "properties": {
            **PROBLEM_SCHEMA["properties"],
            "type": {"type": "string", "const": f"{URI}3"},
            "title": {"const": PROBLEMS[3].title},
            "detail": {"const": PROBLEMS[3].detail},
        },
    }
    variant_4 = {
        **PROBLEM_SCHEMA,
        "properties": {
            **PROBLEM_SCHEMA["properties"],
            "type": {"type": "string", "const": f"{URI}4"},
            "title": {"const": PROBLEMS[4].title},
            "detail": {"const": PROBLEMS[4].detail},
        },
    }

    result = import_errors({"401": problem_response({"schema": {"oneOf": [variant_3, variant_4]}})})

    assert sorted(result.document["problems"]) == ["3", "4"]
    assert result.document["responses"]["401"]["schema"]["properties"]["type"] == {"type": "string"}
    assert result.warnings == []


def test_differing_variants_use_first_with_warning() -> None:
    variant_a = {
        **PROBLEM_SCHEMA,
        "properties": {**PROBLEM_SCHEMA["properties"], "type": {"const": f"{URI}3"}},
    }
    variant_b = {
        "type": "object",
        "properties": {"type": {"const": f"{URI}4"}, "extra": {"type": "integer"}},
    }

    result = import_errors({"401": problem_response({"schema": {"anyOf": [variant_a, variant_b]}})})

    assert "extra" not in result.document["responses"]["401"]["schema"]["properties"]
    assert any("variants differ" in message for message in warning_messages(result))
