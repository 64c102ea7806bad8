"""OpenAPI documents for the import tests: the shipped test documents and small or large variants."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

from harness.contract.datafile import load_data_file
from harness.contract.openapi_refs import ImportLog, RefResolver
from harness.contract.openapi_schema import Context, SchemaConverter

DATA = Path(__file__).parent / "data"
OPENAPI_1_3 = DATA / "openapi-1.3.yaml"
OPENAPI_1_1 = DATA / "openapi-1.1.yaml"
CORE_PATH = "/accounts/{account_id}/core/v1/executionHooks"


@functools.lru_cache(maxsize=None)
def _parsed(path: Path) -> Any:
    return load_data_file(path)


def openapi_document(path: Path = OPENAPI_1_3) -> dict[str, Any]:
    """Return a fresh copy of a parsed test document, safe to change."""
    return copy.deepcopy(_parsed(path))


def create_operation(document: dict[str, Any]) -> dict[str, Any]:
    return document["paths"][CORE_PATH]["post"]


def minimal_openapi(
    request_schema: Any = None,
    responses: dict[str, Any] | None = None,
    schemas: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build a small OpenAPI 3.0 document with one create operation."""
    if request_schema is None:
        request_schema = {
            "type": "object",
            "properties": {
                "version": {"type": "string", "enum": ["1.0"]},
                "action": {"type": "string", "enum": ["snapshot"]},
                "stage": {"type": "string", "enum": ["pre", "post"]},
            },
        }
    if responses is None:
        responses = {
            "201": {
                "description": "Created.",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "minimal", "version": "1"},
        "paths": {
            CORE_PATH: {
                "post": {
                    "x-allowed-stages": {"snapshot": ["pre", "post"]},
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": request_schema}},
                    },
                    "responses": responses,
                }
            }
        },
        "components": {"schemas": schemas or {}},
    }


def problem_response(media: dict[str, Any]) -> dict[str, Any]:
    """Build an error Response Object with one application/problem+json media type."""
    return {"description": "Error.", "content": {"application/problem+json": media}}


def convert_schema(
    schema: Any, schemas: dict[str, Any] | None = None, context: Context = "request"
) -> tuple[Any, list[tuple[str, str]]]:
    """Convert one schema placed at $.schema, with `schemas` under #/components/schemas."""
    root = {"schema": schema, "components": {"schemas": schemas or {}}}
    log = ImportLog("test.yaml")
    converted = SchemaConverter(RefResolver(root, log), log).convert(schema, ("schema",), context)
    return converted, log.warnings


def large_openapi(base: dict[str, Any], items: int) -> dict[str, Any]:
    """Add `items` unrelated paths and schemas, and one recursive schema, to a copy of `base`."""
    document = copy.deepcopy(base)
    schemas = document["components"]["schemas"]
    for index in range(items):
        name = f"inventoryItem{index}"
        schemas[name] = {
            "type": "object",
            "description": f"Inventory item {index}, unrelated to execution hooks.",
            "required": ["field0"],
            "properties": {
                f"field{field}": {
                    "type": "string",
                    "maxLength": 255,
                    "description": f"Field {field} of inventory item {index}.",
                }
                for field in range(12)
            },
        }
        document["paths"][f"/accounts/{{account_id}}/inventory/v1/items{index}"] = {
            "get": {
                "summary": f"List inventory items of kind {index}",
                "operationId": f"listInventoryItems{index}",
                "responses": {
                    "200": {
                        "description": "The items.",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    }
                },
            }
        }
    schemas["treeNode"] = {
        "type": "object",
        "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/treeNode"}}
        },
    }
    return document
