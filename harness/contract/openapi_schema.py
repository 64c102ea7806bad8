"""Conversion of OpenAPI 3.0 schema objects into JSON Schema draft 7, with warnings.

Constructs that JSON Schema does not have, or that a vendor document uses loosely, are
normalised and reported as (JSON path, message) warnings instead of failing the import:

- `$ref` with sibling keys: the siblings are ignored, as OpenAPI 3.0 requires;
- `type` naming a media type ("application/astra-executionHook"): replaced by "object"
  when the schema lists properties, else dropped;
- `nullable`: `true` adds "null" to `type`, `false` is dropped;
- `format: uuid`: replaced by the contract's UUID pattern;
- boolean `exclusiveMaximum` and `exclusiveMinimum`: turned into the numeric draft 7 form;
- `x-` extensions, `example`, `examples` and `discriminator`: dropped;
- `allOf` of object schemas: merged into one object schema. The merge warns when a member
  is closed with `additionalProperties: false`, because JSON Schema would then reject the
  properties of the other members, which such documents never mean.

Pure annotations (description, title, default, deprecated, externalDocs, xml) are dropped
without a warning. In a request schema, properties marked readOnly are removed, and in a
response schema those marked writeOnly, as OpenAPI 3.0 defines.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

from harness.contract.facts import UUID_PATTERN
from harness.contract.openapi_refs import ImportLog, JsonPath, RefResolver, is_media_type

Context = Literal["request", "response"]

JSON_TYPES = frozenset({"object", "array", "string", "number", "integer", "boolean", "null"})
_SILENT_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "default",
        "deprecated",
        "externalDocs",
        "xml",
        "readOnly",
        "writeOnly",
        "$comment",
    }
)
_DROPPED_WITH_WARNING = {
    "example": "OpenAPI example is an annotation, not part of the contract; dropped",
    "examples": "examples is not a keyword of an OpenAPI 3.0 schema; dropped",
    "discriminator": "OpenAPI discriminator has no JSON Schema equivalent; dropped",
}
_HANDLED_AFTER = frozenset({"nullable", "format", "exclusiveMaximum", "exclusiveMinimum"})
_OBJECT_KEYWORDS = frozenset(
    {"properties", "required", "additionalProperties", "minProperties", "maxProperties"}
)
_SUBSCHEMA_KEYWORDS = frozenset({"items", "additionalProperties", "not"})
_COMBINATORS = frozenset({"allOf", "oneOf", "anyOf"})
_MERGEABLE_KEYWORDS = frozenset({"type", "properties", "required", "additionalProperties"})


class SchemaConverter:
    """Converts schema objects of one OpenAPI document, following and inlining `$ref`s."""

    def __init__(self, resolver: RefResolver, log: ImportLog) -> None:
        self.resolver = resolver
        self.log = log
        self._active_refs: list[str] = []

    def convert(self, node: Any, path: JsonPath, context: Context) -> Any:
        """Return the draft 7 form of the schema at `path`, for a request or a response body."""
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            raise self.log.fail(
                path,
                "schema is not an object",
                node,
                "Write the schema as a mapping of JSON Schema keywords.",
            )
        if "$ref" in node:
            return self._convert_ref(node, path, context)

        result: dict[str, Any] = {}
        dropped_properties: list[str] = []
        for key, value in node.items():
            key_path = path + (key,)
            if key == "properties":
                result[key] = self._convert_properties(value, key_path, context, dropped_properties)
            else:
                self._convert_keyword(key, value, node, key_path, context, result)
        if dropped_properties and isinstance(result.get("required"), list):
            result["required"] = [
                name for name in result["required"] if name not in dropped_properties
            ]

        self._apply_nullable(node, path, result)
        self._apply_format(node, path, result)
        self._apply_exclusive_bounds(node, path, result)
        if "allOf" in result:
            return self._merge_all_of(result, path)
        return result

    def _convert_ref(self, node: dict[str, Any], path: JsonPath, context: Context) -> Any:
        target, target_path, refs = self.resolver.follow(node, path)
        for ref in refs:
            if ref in self._active_refs:
                chain = " -> ".join(self._active_refs[self._active_refs.index(ref) :] + [ref])
                raise self.log.fail(
                    path + ("$ref",),
                    f"recursive schema cannot be inlined: {chain}",
                    ref,
                    "A contract document needs finite schemas: replace the inner reference by "
                    "a schema without it.",
                )
        self._active_refs.extend(refs)
        try:
            return self.convert(target, target_path, context)
        finally:
            del self._active_refs[len(self._active_refs) - len(refs) :]

    def _convert_keyword(
        self,
        key: str,
        value: Any,
        node: dict[str, Any],
        key_path: JsonPath,
        context: Context,
        result: dict[str, Any],
    ) -> None:
        if key.startswith("x-"):
            self.log.warn(
                key_path, f"OpenAPI extension {key!r} is not part of the contract; dropped"
            )
        elif key in _DROPPED_WITH_WARNING:
            self.log.warn(key_path, _DROPPED_WITH_WARNING[key])
        elif key in _SILENT_ANNOTATIONS or key in _HANDLED_AFTER:
            return
        elif key == "type":
            json_type = self._convert_type(value, node, key_path)
            if json_type is not None:
                result["type"] = json_type
        elif key in _SUBSCHEMA_KEYWORDS or (key == "items" and isinstance(value, list)):
            result[key] = self._convert_subschemas(value, key_path, context)
        elif key in _COMBINATORS:
            if not isinstance(value, list):
                raise self.log.fail(
                    key_path, f"{key} is not a list", value, f"Write {key} as a list of schemas."
                )
            result[key] = self._convert_subschemas(value, key_path, context)
        else:
            result[key] = copy.deepcopy(value)

    def _convert_subschemas(self, value: Any, key_path: JsonPath, context: Context) -> Any:
        if isinstance(value, list):
            return [
                self.convert(item, key_path + (index,), context) for index, item in enumerate(value)
            ]
        return self.convert(value, key_path, context)

    def _convert_properties(
        self, value: Any, key_path: JsonPath, context: Context, dropped: list[str]
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.log.fail(
                key_path,
                "properties is not a mapping",
                value,
                "Write properties as a mapping from property name to schema.",
            )
        hidden_flag = "readOnly" if context == "request" else "writeOnly"
        properties: dict[str, Any] = {}
        for name, schema in value.items():
            target, _, _ = self.resolver.follow(schema, key_path + (name,))
            if isinstance(target, dict) and target.get(hidden_flag) is True:
                dropped.append(name)
                continue
            properties[name] = self.convert(schema, key_path + (name,), context)
        return properties

    def _convert_type(self, value: Any, node: dict[str, Any], key_path: JsonPath) -> Any:
        if isinstance(value, str) and value in JSON_TYPES:
            return value
        if (
            isinstance(value, list)
            and value
            and all(isinstance(t, str) and t in JSON_TYPES for t in value)
        ):
            return list(value)
        if is_media_type(value):
            if _OBJECT_KEYWORDS & node.keys():
                self.log.warn(
                    key_path,
                    f"type {value!r} names a media type, not a JSON type; replaced by "
                    "'object' because the schema lists object keywords",
                )
                return "object"
            self.log.warn(key_path, f"type {value!r} names a media type, not a JSON type; dropped")
            return None
        raise self.log.fail(
            key_path,
            "type is not a JSON type",
            value,
            f"Use one of {', '.join(sorted(JSON_TYPES))}.",
        )

    def _apply_nullable(self, node: dict[str, Any], path: JsonPath, result: dict[str, Any]) -> None:
        if "nullable" not in node:
            return
        key_path = path + ("nullable",)
        nullable = node["nullable"]
        if not isinstance(nullable, bool):
            raise self.log.fail(
                key_path, "nullable is not a boolean", nullable, "Write true or false."
            )
        if not nullable:
            self.log.warn(key_path, "nullable: false is the default; dropped")
            return
        json_type = result.get("type")
        if json_type is None:
            self.log.warn(key_path, "nullable: true without a type allows null already; dropped")
            return
        types = [json_type] if isinstance(json_type, str) else list(json_type)
        if "null" not in types:
            types.append("null")
        result["type"] = types
        self.log.warn(key_path, f"nullable: true converted to the JSON Schema type list {types!r}")

    def _apply_format(self, node: dict[str, Any], path: JsonPath, result: dict[str, Any]) -> None:
        value = node.get("format")
        if value is None:
            return
        if value != "uuid":
            result["format"] = value
            return
        key_path = path + ("format",)
        if "pattern" in result and result["pattern"] != UUID_PATTERN:
            self.log.warn(
                key_path, "format 'uuid' beside a pattern: the pattern is kept, the format dropped"
            )
            return
        result["pattern"] = UUID_PATTERN
        self.log.warn(
            key_path,
            "format 'uuid' is not a JSON Schema draft 7 format; replaced by the contract's "
            "UUID pattern (lowercase, version 4 or 5, or all zeros)",
        )

    def _apply_exclusive_bounds(
        self, node: dict[str, Any], path: JsonPath, result: dict[str, Any]
    ) -> None:
        for flag, bound in (("exclusiveMaximum", "maximum"), ("exclusiveMinimum", "minimum")):
            if flag not in node:
                continue
            value = node[flag]
            key_path = path + (flag,)
            if value is False:
                self.log.warn(key_path, f"{flag}: false is the default; dropped")
            elif value is True and bound in result:
                result[flag] = result.pop(bound)
                self.log.warn(
                    key_path,
                    f"{flag}: true with {bound} {result[flag]!r} converted to {flag}: {result[flag]!r}",
                )
            elif value is True:
                self.log.warn(key_path, f"{flag}: true without {bound} has no effect; dropped")
            elif isinstance(value, (int, float)):
                result[flag] = value
            else:
                raise self.log.fail(
                    key_path, f"{flag} is neither a boolean nor a number", value, "Write a number."
                )

    def _merge_all_of(self, schema: dict[str, Any], path: JsonPath) -> dict[str, Any]:
        members = [{k: v for k, v in schema.items() if k != "allOf"}] + list(schema["allOf"])
        if not all(isinstance(m, dict) and m.keys() <= _MERGEABLE_KEYWORDS for m in members):
            return schema
        if any(m.get("type", "object") != "object" for m in members):
            return schema
        merged = merge_object_schemas(members)
        if merged is None:
            self.log.warn(
                path + ("allOf",), "allOf members define one property differently; kept as allOf"
            )
            return schema
        # Merging open object schemas changes nothing they accept, so only closed ones warn.
        if any(m.get("additionalProperties") is False for m in members):
            self.log.warn(
                path + ("allOf",),
                "allOf of object schemas with additionalProperties: false "
                "merged into one object schema, because JSON Schema would reject the properties "
                "of the other members",
            )
        return merged


def merge_object_schemas(members: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Merge object schemas into one, or return None when a property is defined two ways."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for member in members:
        for name, schema in member.get("properties", {}).items():
            merged = _merge_property(properties[name], schema) if name in properties else schema
            if merged is None:
                return None
            properties[name] = merged
        required.extend(name for name in member.get("required", []) if name not in required)
    result: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        result["required"] = required
    closings = [m["additionalProperties"] for m in members if "additionalProperties" in m]
    if any(value is False for value in closings):
        result["additionalProperties"] = False
    elif any(isinstance(value, dict) for value in closings):
        return None
    elif closings:
        result["additionalProperties"] = True
    return result


def _merge_property(first: Any, second: Any) -> Any:
    if first == second:
        return first
    if not isinstance(first, dict) or not isinstance(second, dict):
        return None
    shared = first.keys() & second.keys()
    if any(first[key] != second[key] for key in shared):
        return None
    return {**first, **second}
