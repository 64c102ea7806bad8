"""The OpenAPI 3.0 document of the reference server, generated from the contract.

`GET /openapi.json` serves it, so that generic tools such as Schemathesis or an OpenAPI
viewer can read the operation. It describes the create operation on both of its paths and
nothing else, because the server serves nothing else. The schemas are the contract's own
(`harness.contract.schemas`), converted from JSON Schema draft 7 to OpenAPI schema objects.
"""

from __future__ import annotations

import copy
from typing import Any

from harness.contract import facts
from harness.contract.model import Contract
from harness.contract.problems import ProblemType
from harness.contract.schemas import created_schema, problem_schema, request_schema

OPENAPI_PATH = "/openapi.json"
OPENAPI_VERSION = "3.0.3"
SECURITY_SCHEME = "bearer"

_REQUEST_MEDIA_TYPES = (facts.REQUEST_MEDIA_TYPE, facts.JSON_MEDIA_TYPE)
_STATUS_DESCRIPTIONS = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
}


def openapi_document(contract: Contract) -> dict[str, Any]:
    """Return the OpenAPI 3.0 document of the create operation at `contract.version`."""
    schemas: dict[str, Any] = {}
    for version in contract.features.accepted_body_versions:
        schemas[f"createRequest-{version}"] = _pinned(request_schema(version, contract.version), version)
        schemas[f"executionHook-{version}"] = _pinned(created_schema(version, contract.version), version)
    for problem in contract.problems.values():
        schemas[f"problem-{problem.number}"] = openapi_schema(problem_schema(problem))
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Astra Control execution hooks: reference server",
            "version": contract.version,
            "description": (
                "The create-execution-hook operation as the hook-harness reference server "
                f"serves it, at resource version {contract.version}."
            ),
        },
        "paths": {
            facts.CORE_PATH: {"post": _operation(contract, "createExecutionHook", ("account_id",))},
            facts.APP_PATH: {
                "post": _operation(contract, "createAppExecutionHook", ("account_id", "app_id"))
            },
        },
        "components": {
            "securitySchemes": {SECURITY_SCHEME: {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
        "security": [{SECURITY_SCHEME: []}],
    }


def openapi_schema(schema: Any) -> Any:
    """Return a copy of a draft 7 JSON Schema as an OpenAPI 3.0 schema object.

    OpenAPI 3.0 has no `$schema` keyword and requires `required` to list at least one
    name, so both are dropped where they occur.
    """
    converted = copy.deepcopy(schema)
    _convert_in_place(converted)
    return converted


def _convert_in_place(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _convert_in_place(item)
        return
    if not isinstance(node, dict):
        return
    node.pop("$schema", None)
    if node.get("required") == []:
        del node["required"]
    for key, value in node.items():
        if key != "enum":
            _convert_in_place(value)


def _pinned(schema: dict[str, Any], version: str) -> dict[str, Any]:
    """Return `schema` with its `version` property fixed to `version`.

    The server validates a body against the schema of the version the body declares, so
    the variants of the document's oneOf differ in exactly that property.
    """
    converted = openapi_schema(schema)
    converted["properties"]["version"] = {"type": "string", "enum": [version]}
    return converted


def _reference(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _one_of(names: list[str]) -> dict[str, Any]:
    if len(names) == 1:
        return _reference(names[0])
    return {"oneOf": [_reference(name) for name in names]}


def _operation(contract: Contract, operation_id: str, path_names: tuple[str, ...]) -> dict[str, Any]:
    versions = contract.features.accepted_body_versions
    request = _one_of([f"createRequest-{version}" for version in versions])
    return {
        "operationId": operation_id,
        "summary": "Create a new execution hook",
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in path_names
        ],
        "requestBody": {
            "required": True,
            "content": {media_type: {"schema": request} for media_type in _REQUEST_MEDIA_TYPES},
        },
        "responses": _responses(contract),
    }


def _responses(contract: Contract) -> dict[str, Any]:
    versions = contract.features.accepted_body_versions
    created = _one_of([f"executionHook-{version}" for version in versions])
    responses: dict[str, Any] = {
        "201": {
            "description": "The execution hook was created.",
            "headers": {
                "Location": {"required": True, "schema": {"type": "string"}},
                "Etag": {"required": True, "schema": {"type": "string", "pattern": facts.ETAG_PATTERN}},
            },
            "content": {
                media_type: {"schema": created}
                for media_type in (facts.JSON_MEDIA_TYPE, facts.REQUEST_MEDIA_TYPE)
            },
        }
    }
    by_status: dict[int, list[ProblemType]] = {}
    for problem in contract.problems.values():
        by_status.setdefault(problem.status, []).append(problem)
    for status in sorted(by_status):
        problems = by_status[status]
        responses[str(status)] = {
            "description": _problem_description(status, problems),
            "content": {
                facts.PROBLEM_MEDIA_TYPE: {
                    "schema": _one_of([f"problem-{problem.number}" for problem in problems])
                }
            },
        }
    return responses


def _problem_description(status: int, problems: list[ProblemType]) -> str:
    titles = "; ".join(f"problem {problem.number}: {problem.title}" for problem in problems)
    return f"{_STATUS_DESCRIPTIONS.get(status, 'Error')}. {titles}."
