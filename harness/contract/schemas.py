"""JSON Schemas (draft 7) of the request body, the 201 body and each problem body.

The schemas are built from the facts in `facts`, `problems` and `versions`, so one edit there
changes what the reference server enforces and what the checker expects.
"""

from __future__ import annotations

from typing import Any

from harness.contract import facts
from harness.contract.problems import NAMED_REASON_FIELDS, PROBLEMS, ProblemType
from harness.contract.versions import VersionFeatures, features

Schema = dict[str, Any]

DRAFT = "http://json-schema.org/draft-07/schema#"


def _string(**constraints: Any) -> Schema:
    return {"type": "string", **constraints}


def _uuid() -> Schema:
    return _string(pattern=facts.UUID_PATTERN)


def _timestamp() -> Schema:
    return _string(pattern=facts.TIMESTAMP_PATTERN)


def _closed_object(properties: Schema, required: list[str] | tuple[str, ...] = ()) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _name_value_pairs() -> Schema:
    pair = _closed_object({"name": _string(), "value": _string()}, ("name", "value"))
    return {"type": "array", "uniqueItems": True, "items": pair}


def _request_metadata() -> Schema:
    return _closed_object({
        "labels": _name_value_pairs(),
        "creationTimestamp": _timestamp(),
        "modificationTimestamp": _timestamp(),
        "createdBy": _uuid(),
        "modifiedBy": _uuid(),
    })


def _response_metadata() -> Schema:
    schema = _request_metadata()
    schema["required"] = ["labels", "creationTimestamp", "modificationTimestamp", "createdBy"]
    return schema


def _matching_criteria(feature_set: VersionFeatures) -> Schema:
    criterion = _closed_object(
        {"type": _string(enum=list(feature_set.criteria_types)), "value": _string()},
        ("type", "value"),
    )
    return {
        "type": "array",
        "maxItems": facts.MATCHING_CRITERIA_MAX_ITEMS,
        "uniqueItems": True,
        "items": criterion,
    }


def _common_properties(feature_set: VersionFeatures, accepted_versions: tuple[str, ...]) -> Schema:
    properties: Schema = {
        "type": _string(enum=[facts.RESOURCE_MEDIA_TYPE]),
        "version": _string(enum=list(accepted_versions)),
        "name": _string(minLength=facts.NAME_MIN_LENGTH, maxLength=facts.NAME_MAX_LENGTH),
        "hookType": _string(enum=list(facts.HOOK_TYPES)),
        "action": _string(enum=list(feature_set.actions)),
        "stage": _string(enum=list(facts.STAGES)),
        "hookSourceID": _uuid(),
        "arguments": {
            "type": "array",
            "maxItems": facts.ARGUMENTS_MAX_ITEMS,
            "uniqueItems": True,
            "items": _string(maxLength=facts.ARGUMENT_MAX_LENGTH),
        },
        "appID": _uuid(),
        "enabled": _string(enum=list(facts.ENABLED_VALUES)),
        "description": _string(maxLength=facts.DESCRIPTION_MAX_LENGTH),
    }
    if feature_set.has_matching_criteria:
        properties["matchingCriteria"] = _matching_criteria(feature_set)
    return properties


REQUEST_REQUIRED = ("type", "version", "name", "hookType", "action", "stage", "hookSourceID", "appID")
RESPONSE_REQUIRED = (
    "type", "version", "id", "name", "hookType", "action", "stage", "hookSourceID", "enabled",
    "metadata",
)


def request_schema(body_version: str, server_version: str | None = None) -> Schema:
    """Schema of a create body that declares `body_version`, as a `server_version` server takes it.

    The body's own version decides its fields and enums. The `version` enum lists every
    version the server accepts, which is the body's version and all older ones by default.
    """
    feature_set = features(body_version)
    accepted = features(server_version or body_version).accepted_body_versions
    properties = _common_properties(feature_set, accepted)
    properties["metadata"] = _request_metadata()
    schema = _closed_object(properties, REQUEST_REQUIRED)
    schema["$schema"] = DRAFT
    return schema


def _matching_images() -> Schema:
    return {
        "type": "array",
        "maxItems": facts.MATCHING_IMAGES_MAX_ITEMS,
        "uniqueItems": True,
        "items": _string(
            minLength=facts.MATCHING_IMAGE_MIN_LENGTH,
            maxLength=facts.MATCHING_IMAGE_MAX_LENGTH,
        ),
    }


def _matching_containers() -> Schema:
    container = _closed_object({
        "podName": _string(),
        "podLabels": _name_value_pairs(),
        "containerImage": _string(),
        "containerName": _string(),
        "namespaceName": _string(),
    })
    return {"type": "array", "uniqueItems": True, "items": container}


def created_schema(body_version: str, server_version: str | None = None) -> Schema:
    """Schema of a 201 body for a resource of `body_version`."""
    feature_set = features(body_version)
    accepted = features(server_version or body_version).accepted_body_versions
    properties = _common_properties(feature_set, accepted)
    properties["id"] = _uuid()
    properties["metadata"] = _response_metadata()

    required = list(RESPONSE_REQUIRED)
    if feature_set.has_matching_criteria:
        required.insert(5, "matchingCriteria")
    if feature_set.has_matching_images:
        properties["matchingImages"] = _matching_images()
    if feature_set.has_matching_containers:
        properties["matchingContainers"] = _matching_containers()

    schema = _closed_object(properties, required)
    schema["$schema"] = DRAFT
    return schema


def _named_reasons() -> Schema:
    item = _closed_object({"name": _string(), "reason": _string()}, ("name", "reason"))
    return {"type": "array", "minItems": 1, "uniqueItems": True, "items": item}


def problem_schema(problem: ProblemType | None = None) -> Schema:
    """Schema of a problem body: of one documented type, or of any type when `problem` is None.

    Problem bodies may carry keys beyond the documented ones, so the object stays open.
    """
    properties: Schema = {
        "type": _string(),
        "title": _string(),
        "detail": _string(),
        "status": _string(pattern="^[1-5][0-9]{2}$"),
        "correlationID": _uuid(),
        "schemaValidationFailure": _string(),
    }
    for field in NAMED_REASON_FIELDS:
        properties[field] = _named_reasons()
    if problem is not None:
        properties["type"] = _string(enum=[problem.uri])
        properties["title"] = _string(enum=[problem.title])
        properties["detail"] = _string(enum=[problem.detail])
        properties["status"] = _string(enum=[problem.status_text])
    return {
        "$schema": DRAFT,
        "type": "object",
        "properties": properties,
        "required": ["type", "title", "detail", "status"],
        "additionalProperties": True,
    }


def all_problem_schemas() -> dict[int, Schema]:
    return {number: problem_schema(problem) for number, problem in PROBLEMS.items()}
