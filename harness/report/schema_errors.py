"""Translate JSON Schema validation errors of a response body into deviations.

Every error of a Draft 7 validation becomes one deviation at the JSON path of the offending
value, with a kind code a tester can filter on and a sentence that names the actual value
and what the contract allows.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Callable

from jsonschema import Draft7Validator, ValidationError

from harness.contract import facts
from harness.contract.schemas import Schema
from harness.report.deviation import CONTRACT, Deviation, describe_value, json_path, short_json

logger = logging.getLogger(__name__)

# Descriptions of the patterns the contract uses, for messages a tester can read.
_PATTERN_NAMES = {
    facts.UUID_PATTERN: "a lowercase UUID (version 4, version 5 or the nil UUID)",
    facts.TIMESTAMP_PATTERN: "a UTC timestamp of the form YYYY-MM-DDTHH:MM:SS[.fraction]Z",
    facts.ETAG_PATTERN: "32 lowercase hexadecimal digits",
    "^[1-5][0-9]{2}$": "a three-digit HTTP status code",
}

_Translator = Callable[[ValidationError, str, str], list[Deviation]]


def schema_deviations(schema: Schema, body: Any, *, label: str, strict: bool = True) -> list[Deviation]:
    """Validate `body` against `schema` and return one deviation per violation.

    `label` names the response in messages ("201", "400 problem 8"). With `strict` False,
    keys the schema does not list are not reported. Duplicates of one path and kind (one
    `required` error fires per missing key) are dropped.
    """
    validator = Draft7Validator(schema)
    deviations: list[Deviation] = []
    seen: set[tuple[str, str]] = set()
    for error in validator.iter_errors(body):
        if error.validator == "additionalProperties" and not strict:
            continue
        translate = _TRANSLATORS.get(str(error.validator), _other)
        for deviation in translate(error, json_path(error.absolute_path), label):
            key = (deviation.path, deviation.kind)
            if key not in seen:
                seen.add(key)
                deviations.append(deviation)
    deviations = _drop_consequences(deviations)
    logger.debug("schema check of a %s body found %d deviations", label, len(deviations))
    return deviations


def _drop_consequences(deviations: list[Deviation]) -> list[Deviation]:
    """Drop enum and value deviations at a path that already has the wrong type.

    The integer 404 where the contract requires the string "404" breaks both `type` and
    `enum`, and the type is the one cause worth reporting.
    """
    wrong_type = {d.path for d in deviations if d.kind == "wrong-type"}
    return [d for d in deviations if not (d.path in wrong_type and d.kind in ("enum", "value"))]


def _deviation(path: str, kind: str, expected: Any, actual: Any, message: str) -> Deviation:
    return Deviation(path, kind, CONTRACT, expected, actual, message)


def _required(error: ValidationError, path: str, label: str) -> list[Deviation]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    deviations = []
    for key in error.validator_value:
        if key in instance:
            continue
        key_path = json_path([*error.absolute_path, key])
        deviations.append(_deviation(
            key_path, "missing-key", "present", None,
            f"{key_path} is missing, but the contract requires it in a {label} body.",
        ))
    return deviations


def _additional_properties(error: ValidationError, path: str, label: str) -> list[Deviation]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    extras = _extra_keys(instance, error.schema)
    deviations = []
    for key in extras:
        key_path = json_path([*error.absolute_path, key])
        deviations.append(_deviation(
            key_path, "forbidden-key", None, instance[key],
            f"{key_path} is not documented in a {label} body, and the contract allows no "
            f"other keys in {path}.",
        ))
    return deviations


def _extra_keys(instance: dict[str, Any], schema: Schema) -> list[str]:
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key for key in instance
        if key not in properties and not any(re.search(pattern, key) for pattern in patterns)
    ]


def _type(error: ValidationError, path: str, label: str) -> list[Deviation]:
    allowed = error.validator_value
    expected = " or ".join(allowed) if isinstance(allowed, list) else str(allowed)
    fixed = error.schema.get("enum")
    if isinstance(fixed, list) and len(fixed) == 1:
        required_text = describe_value(fixed[0])
    else:
        required_text = f"{'an' if expected[:1] in 'aeiou' else 'a'} {expected}"
    return [_deviation(
        path, "wrong-type", expected, error.instance,
        f"{path} is {describe_value(error.instance)}, but the contract requires {required_text} "
        f"in a {label} body.",
    )]


def _enum(error: ValidationError, path: str, label: str) -> list[Deviation]:
    allowed = list(error.validator_value)
    if len(allowed) == 1:
        return [_deviation(
            path, "value", allowed[0], error.instance,
            f"{path} is {describe_value(error.instance)}, but a {label} body must carry "
            f"{short_json(allowed[0], 200)}.",
        )]
    listed = ", ".join(short_json(value) for value in allowed)
    return [_deviation(
        path, "enum", allowed, error.instance,
        f"{path} is {describe_value(error.instance)}, but the contract allows only {listed}.",
    )]


def _const(error: ValidationError, path: str, label: str) -> list[Deviation]:
    return [_deviation(
        path, "value", error.validator_value, error.instance,
        f"{path} is {describe_value(error.instance)}, but a {label} body must carry "
        f"{short_json(error.validator_value, 200)}.",
    )]


def _pattern(error: ValidationError, path: str, label: str) -> list[Deviation]:
    pattern = str(error.validator_value)
    description = _PATTERN_NAMES.get(pattern, f"a string matching /{pattern}/")
    return [_deviation(
        path, "pattern", pattern, error.instance,
        f"{path} is {describe_value(error.instance)}, but the contract requires {description}.",
    )]


def _length(error: ValidationError, path: str, label: str) -> list[Deviation]:
    limit = error.validator_value
    bound = "at most" if error.validator == "maxLength" else "at least"
    size = len(error.instance) if isinstance(error.instance, str) else 0
    return [_deviation(
        path, "length", f"{bound} {limit} characters", error.instance,
        f"{path} has {size} characters, but the contract allows {bound} {limit}.",
    )]


def _items(error: ValidationError, path: str, label: str) -> list[Deviation]:
    limit = error.validator_value
    bound = "at most" if error.validator == "maxItems" else "at least"
    size = len(error.instance) if isinstance(error.instance, list) else 0
    return [_deviation(
        path, "items", f"{bound} {limit} items", error.instance,
        f"{path} has {size} items, but the contract allows {bound} {limit}.",
    )]


def _unique(error: ValidationError, path: str, label: str) -> list[Deviation]:
    return [_deviation(
        path, "unique", "unique items", error.instance,
        f"{path} contains duplicate items, but the contract requires every item to be unique.",
    )]


def _other(error: ValidationError, path: str, label: str) -> list[Deviation]:
    return [_deviation(
        path, "schema", error.validator_value, error.instance,
        f"{path} violates the contract's {error.validator} rule: {error.message}.",
    )]


_TRANSLATORS: dict[str, _Translator] = {
    "required": _required,
    "additionalProperties": _additional_properties,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "maxLength": _length,
    "minLength": _length,
    "maxItems": _items,
    "minItems": _items,
    "uniqueItems": _unique,
}
