"""Schema validation of create bodies with validators compiled once per version pair.

A body is validated against `Contract(server_version).request_schema(body_version)`, where
the body declares its own version. Failures raise Rejection(8) whose
schemaValidationFailure names the field and the JSON Schema rule.

Each body first meets jsonschema-rs, which only returns valid or invalid but takes about a
fifth of the time. Only a body it finds invalid meets fastjsonschema, whose exception
names the failing field and rule.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Callable

import fastjsonschema
import jsonschema_rs

from harness.contract.facts import TIMESTAMP_PATTERN, UUID_PATTERN
from harness.contract.model import Contract
from harness.server.problems import Rejection

logger = logging.getLogger(__name__)

Validator = Callable[[Any], Any]

# Readable replacements for the schema's long regular expressions in failure messages.
_PATTERN_NAMES = {
    UUID_PATTERN: "must be a lowercase UUID of version 4 or 5",
    TIMESTAMP_PATTERN: "must be a UTC timestamp such as 2024-01-31T12:00:00.000000Z",
}
_MAX_SHOWN_KEY = 60


@lru_cache(maxsize=None)
def compiled_validator(server_version: str, body_version: str) -> Validator:
    """Return the fastjsonschema validator of `body_version` bodies on a `server_version`
    server; it is compiled on first use and shared afterwards."""
    schema = Contract(server_version).request_schema(body_version)
    return fastjsonschema.compile(schema)


@lru_cache(maxsize=None)
def fast_validator(server_version: str, body_version: str) -> Any:
    """Return the jsonschema-rs validator of `body_version` bodies on a `server_version`
    server; it is built on first use and shared afterwards."""
    return jsonschema_rs.validator_for(Contract(server_version).request_schema(body_version))


class SchemaValidator:
    """Validates create bodies for one emulated server version."""

    def __init__(self, contract: Contract) -> None:
        self.accepted_versions = contract.features.accepted_body_versions
        self._validators = {
            version: compiled_validator(contract.version, version)
            for version in self.accepted_versions
        }
        self._fast_validators = {
            version: fast_validator(contract.version, version)
            for version in self.accepted_versions
        }

    def validate(self, payload: Any) -> str:
        """Return the body's version, raising Rejection(8) if the body breaks the schema."""
        if not isinstance(payload, dict):
            raise Rejection(8, "body: must be a JSON object (type)", reason="body not an object")
        version = payload.get("version")
        validator = self._validators.get(version) if isinstance(version, str) else None
        if validator is None:
            raise Rejection(8, self._version_failure(payload), reason="version not accepted")
        if self._fast_validators[version].is_valid(payload):
            return version
        try:
            validator(payload)
        except fastjsonschema.JsonSchemaValueException as error:
            failure = describe_failure(error)
            raise Rejection(8, failure, reason=f"schema rule {error.rule}") from None
        # Reached only when the two validators disagree. fastjsonschema decides, as it did
        # before jsonschema-rs was added.
        logger.warning("jsonschema-rs rejected a version %s body that fastjsonschema accepts", version)
        return version

    def _version_failure(self, payload: dict[str, Any]) -> str:
        if "version" not in payload:
            return "version: required field is missing (required)"
        accepted = ", ".join(self.accepted_versions)
        return f"version: must be one of {accepted} (enum)"


def describe_failure(error: fastjsonschema.JsonSchemaValueException) -> str:
    """Return `field: problem (rule)` for a fastjsonschema failure, such as
    "name: must be shorter than or equal to 63 characters (maxLength)"."""
    field = _field_name(error.path)
    definition = error.definition if isinstance(error.definition, dict) else {}
    if error.rule == "required" and isinstance(error.value, dict):
        missing = [key for key in definition.get("required", []) if key not in error.value]
        if missing:
            return f"{_join(field, missing[0])}: required field is missing (required)"
    if error.rule == "additionalProperties" and isinstance(error.value, dict):
        known = definition.get("properties", {})
        unknown = [key for key in error.value if key not in known]
        if unknown:
            return f"{_join(field, _shorten(unknown[0]))}: unknown field (additionalProperties)"
    if error.rule == "pattern" and definition.get("pattern") in _PATTERN_NAMES:
        return f"{field or 'body'}: {_PATTERN_NAMES[definition['pattern']]} (pattern)"
    text = error.message
    if text.startswith(error.name):
        text = text[len(error.name):].strip()
    return f"{field or 'body'}: {text} ({error.rule})"


def _field_name(path: list[str]) -> str:
    """Return a dotted field name such as "metadata.labels[0].name" for a fastjsonschema path."""
    name = ""
    for part in path[1:]:
        if part.isdigit():
            name += f"[{part}]"
        else:
            name = _join(name, part)
    return name


def _join(field: str, key: str) -> str:
    return f"{field}.{key}" if field else key


def _shorten(key: str) -> str:
    return key if len(key) <= _MAX_SHOWN_KEY else key[: _MAX_SHOWN_KEY - 3] + "..."
