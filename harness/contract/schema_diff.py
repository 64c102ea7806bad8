"""Changes between two JSON Schemas (draft 7) of one message, keyword by keyword.

The comparison understands the keywords that the contract's schemas use: type, enum and
const, properties with required and additionalProperties, items, the length, size and range
limits, pattern, uniqueItems and format. A change of any other keyword (allOf, oneOf, not,
...) is reported as one `changed-keyword` change that both widens and narrows, because this
module does not work out its direction. Annotations such as description are ignored.
"""

from __future__ import annotations

from typing import Any

from harness.contract.changes import Change, ChangeKind, Effect, Side, combine, make_change
from harness.contract.datafile import format_json_path

Parts = tuple[str | int, ...]

_ANNOTATIONS = frozenset({"$schema", "$comment", "description", "title", "examples", "default"})
_UPPER_LIMITS = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
_LOWER_LIMITS = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")
_HANDLED = frozenset(
    {
        "type",
        "enum",
        "const",
        "properties",
        "required",
        "items",
        "additionalProperties",
        "pattern",
        "uniqueItems",
        "format",
    }
    | set(_UPPER_LIMITS)
    | set(_LOWER_LIMITS)
    | _ANNOTATIONS
)


class SchemaDiff:
    """Compares the old and new schema of one message (the request body or one response body).

    `where` names the message in descriptions ("request body"). `ignored` contains the JSON paths of
    enums that another change already reports.
    """

    def __init__(self, side: Side, where: str, ignored: frozenset[str] = frozenset()) -> None:
        self.side = side
        self.where = where
        self.ignored = ignored

    def diff(self, old: Any, new: Any, parts: Parts, field: str = "") -> list[Change]:
        if old == new:
            return []
        if not isinstance(old, dict) or not isinstance(new, dict):
            return [
                self._change(
                    parts,
                    ChangeKind.CHANGED_KEYWORD,
                    field,
                    "schema replaced",
                    Effect.BOTH,
                    old,
                    new,
                )
            ]
        changes: list[Change] = []
        changes += self._types(old, new, parts, field)
        changes += self._enums(old, new, parts, field)
        changes += self._properties(old, new, parts, field)
        changes += self._items(old, new, parts, field)
        changes += self._additional_properties(old, new, parts, field)
        changes += self._limits(old, new, parts, field)
        changes += self._optional_keyword(
            old, new, parts, field, "pattern", ChangeKind.CHANGED_PATTERN
        )
        changes += self._optional_keyword(
            old, new, parts, field, "format", ChangeKind.CHANGED_KEYWORD
        )
        changes += self._unique_items(old, new, parts, field)
        for key in sorted((old.keys() | new.keys()) - _HANDLED):
            if old.get(key) != new.get(key):
                changes.append(
                    self._change(
                        parts + (key,),
                        ChangeKind.CHANGED_KEYWORD,
                        field,
                        f"{key} changed",
                        Effect.BOTH,
                        old.get(key),
                        new.get(key),
                    )
                )
        return changes

    def _change(
        self,
        parts: Parts,
        kind: ChangeKind,
        field: str,
        detail: str,
        effect: Effect,
        old: Any = None,
        new: Any = None,
    ) -> Change:
        subject = f"{self.where} field {field}" if field else self.where
        return make_change(
            format_json_path(parts), kind, f"{subject}: {detail}", self.side, effect, old, new
        )

    def _types(
        self, old: dict[str, Any], new: dict[str, Any], parts: Parts, field: str
    ) -> list[Change]:
        old_types, new_types = _type_set(old), _type_set(new)
        if old_types == new_types:
            return []
        if old_types is None or (new_types is not None and new_types < old_types):
            effect = Effect.NARROW
        elif new_types is None or new_types > old_types:
            effect = Effect.WIDEN
        else:
            effect = Effect.BOTH
        detail = f"type changed from {old.get('type')!r} to {new.get('type')!r}"
        return [
            self._change(
                parts + ("type",),
                ChangeKind.CHANGED_TYPE,
                field,
                detail,
                effect,
                old.get("type"),
                new.get("type"),
            )
        ]

    def _enums(
        self, old: dict[str, Any], new: dict[str, Any], parts: Parts, field: str
    ) -> list[Change]:
        old_values, new_values = _allowed_values(old), _allowed_values(new)
        keyword = "const" if "const" in old or "const" in new else "enum"
        key_path = parts + (keyword,)
        if old_values == new_values or format_json_path(key_path) in self.ignored:
            return []
        if old_values is None or new_values is None:
            effect = Effect.NARROW if old_values is None else Effect.WIDEN
            detail = f"{keyword} {'added' if old_values is None else 'removed'}"
            return [
                self._change(
                    key_path,
                    ChangeKind.CHANGED_KEYWORD,
                    field,
                    detail,
                    effect,
                    old_values,
                    new_values,
                )
            ]
        changes = [
            self._change(
                key_path,
                ChangeKind.ADDED_ENUM_VALUE,
                field,
                f"enum value {value!r} added",
                Effect.WIDEN,
                None,
                value,
            )
            for value in new_values
            if value not in old_values
        ]
        changes += [
            self._change(
                key_path,
                ChangeKind.REMOVED_ENUM_VALUE,
                field,
                f"enum value {value!r} removed",
                Effect.NARROW,
                value,
                None,
            )
            for value in old_values
            if value not in new_values
        ]
        return changes

    def _properties(
        self, old: dict[str, Any], new: dict[str, Any], parts: Parts, field: str
    ) -> list[Change]:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        changes: list[Change] = []
        for name in new_props:
            if name in old_props:
                changes += self.diff(
                    old_props[name],
                    new_props[name],
                    parts + ("properties", name),
                    _child(field, name),
                )
                continue
            required = name in new_required
            effect = combine(
                _added_field_effect(old, new_props[name]),
                Effect.NARROW if required else Effect.NONE,
            )
            detail = f"{'required' if required else 'optional'} field added"
            changes.append(
                self._change(
                    parts + ("properties", name),
                    ChangeKind.ADDED_FIELD,
                    _child(field, name),
                    detail,
                    effect,
                    None,
                    new_props[name],
                )
            )
        for name in old_props:
            if name in new_props:
                continue
            effect = combine(
                Effect.NARROW if new.get("additionalProperties") is False else Effect.WIDEN,
                Effect.WIDEN if name in old_required else Effect.NONE,
            )
            changes.append(
                self._change(
                    parts + ("properties", name),
                    ChangeKind.REMOVED_FIELD,
                    _child(field, name),
                    "field removed",
                    effect,
                    old_props[name],
                    None,
                )
            )
        moved = (new_props.keys() - old_props.keys()) | (old_props.keys() - new_props.keys())
        for name in sorted((old_required ^ new_required) - moved):
            if name in new_required:
                kind, effect, detail = (
                    ChangeKind.FIELD_REQUIRED,
                    Effect.NARROW,
                    "field became required",
                )
            else:
                kind, effect, detail = (
                    ChangeKind.FIELD_OPTIONAL,
                    Effect.WIDEN,
                    "field became optional",
                )
            changes.append(
                self._change(
                    parts + ("required",),
                    kind,
                    _child(field, name),
                    detail,
                    effect,
                    name in old_required,
                    name in new_required,
                )
            )
        return changes

    def _items(
        self, old: dict[str, Any], new: dict[str, Any], parts: Parts, field: str
    ) -> list[Change]:
        old_items, new_items = old.get("items"), new.get("items")
        if old_items == new_items:
            return []
        if isinstance(old_items, dict) and isinstance(new_items, dict):
            return self.diff(old_items, new_items, parts + ("items",), f"{field}[]")
        if old_items is None or new_items is None:
            effect = Effect.NARROW if old_items is None else Effect.WIDEN
        else:
            effect = Effect.BOTH
        return [
            self._change(
                parts + ("items",),
                ChangeKind.CHANGED_KEYWORD,
                field,
                "items changed",
                effect,
                old_items,
                new_items,
            )
        ]

    def _additional_properties(
        self, old: dict[str, Any], new: dict[str, Any], parts: Parts, field: str
    ) -> list[Change]:
        old_value, new_value = old.get("additionalProperties", True), new.get(
            "additionalProperties", True
        )
        key_path = parts + ("additionalProperties",)
        if old_value == new_value:
            return []
        if isinstance(old_value, dict) and isinstance(new_value, dict):
            return self.diff(old_value, new_value, key_path, f"{field}.*")
        effect = Effect.WIDEN if _openness(new_value) > _openness(old_value) else Effect.NARROW
        detail = f"additionalProperties changed from {old_value!r} to {new_value!r}"
        return [
            self._change(
                key_path, ChangeKind.CHANGED_KEYWORD, field, detail, effect, old_value, new_value
            )
        ]

    def _limits(
        self, old: dict[str, Any], new: dict[str, Any], parts: Parts, field: str
    ) -> list[Change]:
        changes = []
        for key in _UPPER_LIMITS + _LOWER_LIMITS:
            old_value, new_value = old.get(key), new.get(key)
            if old_value == new_value:
                continue
            upper = key in _UPPER_LIMITS
            if old_value is None or new_value is None:
                relaxed = new_value is None
            else:
                relaxed = new_value > old_value if upper else new_value < old_value
            effect = Effect.WIDEN if relaxed else Effect.NARROW
            detail = (
                f"{key} {'relaxed' if relaxed else 'tightened'} from {old_value} to {new_value}"
            )
            changes.append(
                self._change(
                    parts + (key,),
                    ChangeKind.CHANGED_LIMIT,
                    field,
                    detail,
                    effect,
                    old_value,
                    new_value,
                )
            )
        return changes

    def _optional_keyword(
        self,
        old: dict[str, Any],
        new: dict[str, Any],
        parts: Parts,
        field: str,
        key: str,
        kind: ChangeKind,
    ) -> list[Change]:
        old_value, new_value = old.get(key), new.get(key)
        if old_value == new_value:
            return []
        if old_value is None:
            effect, detail = Effect.NARROW, f"{key} {new_value!r} added"
        elif new_value is None:
            effect, detail = Effect.WIDEN, f"{key} {old_value!r} removed"
        else:
            effect, detail = Effect.BOTH, f"{key} changed from {old_value!r} to {new_value!r}"
        return [self._change(parts + (key,), kind, field, detail, effect, old_value, new_value)]

    def _unique_items(
        self, old: dict[str, Any], new: dict[str, Any], parts: Parts, field: str
    ) -> list[Change]:
        old_value, new_value = bool(old.get("uniqueItems")), bool(new.get("uniqueItems"))
        if old_value == new_value:
            return []
        effect = Effect.NARROW if new_value else Effect.WIDEN
        detail = "items must now be unique" if new_value else "items may now repeat"
        return [
            self._change(
                parts + ("uniqueItems",),
                ChangeKind.CHANGED_KEYWORD,
                field,
                detail,
                effect,
                old_value,
                new_value,
            )
        ]


def _added_field_effect(old: dict[str, Any], field_schema: Any) -> Effect:
    """Return the effect of a new optional field on the values that object accepts.

    A closed old object rejected the field, so the change widens. An open old object
    allowed any value of it, so a constrained new field narrows and an unconstrained one
    ({} or true) changes nothing.
    """
    if old.get("additionalProperties") is False:
        return Effect.WIDEN
    if field_schema in ({}, True):
        return Effect.NONE
    return Effect.NARROW


def _child(field: str, name: str) -> str:
    return f"{field}.{name}" if field else name


def _type_set(schema: dict[str, Any]) -> frozenset[str] | None:
    value = schema.get("type")
    if value is None:
        return None
    return frozenset([value] if isinstance(value, str) else value)


def _allowed_values(schema: dict[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    if "enum" in schema:
        return list(schema["enum"])
    return None


def _openness(value: Any) -> int:
    """Rank additionalProperties: false allows nothing, a schema allows some, true allows all."""
    if value is False:
        return 0
    if isinstance(value, dict):
        return 1
    return 2
