"""The contract as a portable JSON document, for saving, importing and comparing.

A contract document is plain JSON data:

- `documentFormat`: always "hook-harness-contract/1";
- `version`: the resource version; `acceptedVersions`: the body versions the server takes;
- `operation`: "METHOD /path" of the create operation the document describes;
- `request`: `contentTypes`, `requiredHeaders` and the body `schema`;
- `responses`: per status ("201", "400", ...) `contentTypes`, `requiredHeaders` and the body
  `schema` (for error statuses, the schema of any problem body of that status);
- `problems`: per problem number, `number`, `status`, `title`, `detail` and `extraField`;
- `stages`: per action, the stages a hook of that action may run at.

Schemas are JSON Schema draft 7 in canonical form (see `canonical_schema`). Header names
are lowercase and lists of names are sorted, so equal contracts give equal documents.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema

from harness.contract import facts
from harness.contract.datafile import ContractFileError, format_json_path, load_data_file
from harness.contract.model import Contract
from harness.contract.versions import ACTION_STAGES, version_key

DOCUMENT_FORMAT = "hook-harness-contract/1"
DEFAULT_OPERATION = f"POST {facts.CORE_PATH}"
APP_OPERATION = f"POST {facts.APP_PATH}"

# A create request carries a bearer token (problems 3 and 4 when it does not) and a body
# with a JSON Content-Type (problem 7 otherwise).
REQUEST_REQUIRED_HEADERS = ("authorization", "content-type")

_STRING_LIST = {"type": "array", "items": {"type": "string"}}
_MESSAGE = {
    "type": "object",
    "required": ["contentTypes", "requiredHeaders", "schema"],
    "properties": {
        "contentTypes": _STRING_LIST,
        "requiredHeaders": _STRING_LIST,
        "schema": {"type": ["object", "boolean"]},
    },
}
_PROBLEM = {
    "type": "object",
    "required": ["number", "status", "title", "detail", "extraField"],
    "properties": {
        "number": {"type": "integer"},
        "status": {"type": "integer"},
        "title": {"type": ["string", "null"]},
        "detail": {"type": ["string", "null"]},
        "extraField": {"type": ["string", "null"]},
    },
}

# JSON Schema of a contract document, checked by `validate_contract_document`.
DOCUMENT_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": [
        "documentFormat",
        "version",
        "acceptedVersions",
        "operation",
        "request",
        "responses",
        "problems",
        "stages",
    ],
    "properties": {
        "documentFormat": {"const": DOCUMENT_FORMAT},
        "version": {"type": "string"},
        "acceptedVersions": _STRING_LIST,
        "operation": {"type": "string"},
        "request": _MESSAGE,
        "responses": {
            "type": "object",
            "propertyNames": {"pattern": "^[1-5][0-9]{2}$"},
            "additionalProperties": _MESSAGE,
        },
        "problems": {
            "type": "object",
            "propertyNames": {"pattern": "^[0-9]+$"},
            "additionalProperties": _PROBLEM,
        },
        "stages": {"type": "object", "additionalProperties": _STRING_LIST},
    },
}


def canonical_schema(schema: Any) -> Any:
    """Return a copy of a JSON Schema with every `required` list sorted, and empty ones removed.

    `required` is a set, so its order carries no meaning. Other lists, enums included, keep
    their order.
    """
    if isinstance(schema, list):
        return [canonical_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return copy.deepcopy(schema)
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "required" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            if value:
                result[key] = sorted(set(value))
            continue
        result[key] = canonical_schema(value)
    return result


def message_entry(content_types: Any, required_headers: Any, schema: Any) -> dict[str, Any]:
    """Build the `request` or a `responses` entry of a document in canonical form."""
    return {
        "contentTypes": sorted(set(content_types)),
        "requiredHeaders": sorted({header.lower() for header in required_headers}),
        "schema": canonical_schema(schema),
    }


def problem_entry(
    number: int, status: int, title: str | None, detail: str | None, extra_field: str | None
) -> dict[str, Any]:
    return {
        "number": number,
        "status": status,
        "title": title,
        "detail": detail,
        "extraField": extra_field,
    }


def sorted_versions(versions: Any) -> list[str]:
    """Sort version names such as "1.10" and "1.2" by their numbers, oldest first."""
    return sorted(set(versions), key=version_key)


def contract_document(contract: Contract, operation: str = DEFAULT_OPERATION) -> dict[str, Any]:
    """Build the portable document of a built-in contract.

    `stages` lists only the actions that the version's request schema accepts.
    """
    responses: dict[str, Any] = {}
    for status in contract.statuses:
        shape = contract.response_shape(status)
        responses[str(status)] = message_entry(
            shape.content_types, shape.required_headers, shape.body_schema
        )
    problems = {
        str(number): problem_entry(number, p.status, p.title, p.detail, p.extra_field)
        for number, p in sorted(contract.problems.items())
    }
    document = {
        "documentFormat": DOCUMENT_FORMAT,
        "version": contract.version,
        "acceptedVersions": sorted_versions(contract.features.accepted_body_versions),
        "operation": operation,
        "request": message_entry(
            facts.ACCEPTED_REQUEST_MEDIA_TYPES, REQUEST_REQUIRED_HEADERS, contract.request_schema()
        ),
        "responses": responses,
        "problems": problems,
        "stages": {action: list(ACTION_STAGES[action]) for action in contract.features.actions},
    }
    # A JSON round trip turns tuples into lists, so the result equals a document read back
    # from a file.
    return json.loads(json.dumps(document))


def validate_contract_document(data: Any, source: str) -> dict[str, Any]:
    """Return `data` if it is a contract document, else raise ContractFileError naming the place."""
    if isinstance(data, dict) and "openapi" in data:
        raise ContractFileError(
            source,
            "$.openapi",
            "this is an OpenAPI document, not a contract document",
            data["openapi"],
            "Convert it first with `hook-harness contract import FILE`.",
        )
    validator = jsonschema.Draft7Validator(DOCUMENT_SCHEMA)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        raise ContractFileError(
            source,
            format_json_path(error.absolute_path),
            f"invalid contract document: {error.message}",
            error.instance,
            "Write the document with `hook-harness contract show` or `contract import` and edit "
            "only its values.",
        )
    for key, problem in data["problems"].items():
        if str(problem["number"]) != key:
            raise ContractFileError(
                source,
                format_json_path(["problems", key, "number"]),
                "problem number differs from its key",
                problem["number"],
                f"Set number to {key} or move the entry under the key {problem['number']}.",
            )
    return data


def load_contract_document(path: str | Path) -> dict[str, Any]:
    """Read a contract document from a JSON or YAML file and validate it."""
    return validate_contract_document(load_data_file(path), str(path))
