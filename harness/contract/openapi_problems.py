"""Problem types read from the error responses of an OpenAPI operation.

The importer finds problem types in three places. The first is the `enum` or `const` of the
`type` property of a converted response schema. When that schema fixes one type, its
`title`, `detail` and `status` belong to it. The second is each variant of a `oneOf` or
`anyOf`, read the same way. The third is the response examples: `example`, or `examples`
with inline or referenced Example Objects. Where the document
names a type but not its title or detail, the built-in contract's wording is used, with a
warning.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from harness.contract.datafile import format_json_path
from harness.contract.document import problem_entry
from harness.contract.openapi_refs import ImportLog, JsonPath, RefResolver
from harness.contract.problems import PROBLEMS, problem_number

STANDARD_FIELDS = ("type", "title", "detail", "status", "correlationID")
_FIXED_FIELDS = ("type", "title", "detail", "status")


@dataclass
class _FoundProblem:
    number: int
    status: int
    path: JsonPath
    title: str | None = None
    detail: str | None = None
    extra_field: str | None = None


class ProblemCollector:
    """Collects the problem types of several error responses and checks them against each other."""

    def __init__(self, resolver: RefResolver, log: ImportLog) -> None:
        self.resolver = resolver
        self.log = log
        self._found: dict[int, _FoundProblem] = {}

    def add_from_schema(self, schema: Any, status: int, path: JsonPath) -> None:
        """Record the problem types that a converted response schema fixes."""
        for variant in _variants(schema):
            properties = variant.get("properties", {})
            uris = _fixed_values(properties.get("type"))
            single = len(uris) == 1
            for uri in uris:
                values = {
                    "title": _single_value(properties.get("title")) if single else None,
                    "detail": _single_value(properties.get("detail")) if single else None,
                    "status": _single_value(properties.get("status")) if single else None,
                    "extra": (
                        _extra_field(variant.get("required", []), path, self.log)
                        if single
                        else None
                    ),
                }
                self._record(uri, values, status, path)

    def add_from_examples(self, media: dict[str, Any], status: int, path: JsonPath) -> None:
        """Record the problem types of the examples of one media type object."""
        for example_path, value in self._example_values(media, path):
            if not isinstance(value, dict) or "type" not in value:
                self.log.warn(example_path, "example is not a problem body with a type; skipped")
                continue
            extra = [key for key in value if key not in STANDARD_FIELDS]
            values = {
                "title": value.get("title"),
                "detail": value.get("detail"),
                "status": value.get("status"),
                "extra": _extra_field(extra, example_path, self.log),
            }
            self._record(value["type"], values, status, example_path)

    def problems(self) -> dict[str, dict[str, Any]]:
        """Return the `problems` part of a contract document, filling gaps from the built-in contract."""
        result: dict[str, dict[str, Any]] = {}
        for number in sorted(self._found):
            found = self._found[number]
            if found.title is None or found.detail is None:
                self._fill_from_builtin(found)
            result[str(number)] = problem_entry(
                number, found.status, found.title, found.detail, found.extra_field
            )
        return result

    def _example_values(self, media: dict[str, Any], path: JsonPath) -> list[tuple[JsonPath, Any]]:
        values: list[tuple[JsonPath, Any]] = []
        if "example" in media:
            values.append((path + ("example",), media["example"]))
        examples = media.get("examples")
        if isinstance(examples, list):
            self.log.warn(
                path + ("examples",),
                "examples is a list; OpenAPI 3.0 expects a map of Example "
                "Objects, so each item is read as an example value",
            )
            values.extend((path + ("examples", i), item) for i, item in enumerate(examples))
        elif isinstance(examples, dict):
            for name, entry in examples.items():
                values.extend(self._example_object_value(entry, path + ("examples", name)))
        return values

    def _example_object_value(self, entry: Any, path: JsonPath) -> list[tuple[JsonPath, Any]]:
        target, target_path, _ = self.resolver.follow(entry, path)
        if isinstance(target, dict) and "value" in target:
            return [(target_path + ("value",), target["value"])]
        if isinstance(target, dict) and "externalValue" in target:
            self.log.warn(target_path, "externalValue examples are not read; skipped")
            return []
        self.log.warn(
            target_path,
            "Example Object without value; read as the example value itself, "
            "wrap it in {value: ...} to follow OpenAPI 3.0",
        )
        return [(target_path, target)]

    def _record(self, uri: Any, values: dict[str, Any], status: int, path: JsonPath) -> None:
        number = problem_number(uri)
        if number is None:
            self.log.warn(path, f"problem type {uri!r} is not an Astra problem URI; skipped")
            return
        if values["status"] is not None and str(values["status"]) != str(status):
            self.log.warn(
                path,
                f"problem {number} gives status {values['status']!r} but is documented "
                f"under the response {status}; the response status is kept",
            )
        found = self._found.get(number)
        if found is None:
            found = self._found[number] = _FoundProblem(number, status, path)
        elif found.status != status:
            self.log.warn(
                path,
                f"problem {number} is documented under the responses {found.status} and "
                f"{status}; the first, {found.status}, is kept",
            )
            return
        found.title = self._merge_value(found, "title", values["title"], path)
        found.detail = self._merge_value(found, "detail", values["detail"], path)
        found.extra_field = self._merge_value(found, "extra_field", values["extra"], path)

    def _merge_value(self, found: _FoundProblem, name: str, value: Any, path: JsonPath) -> Any:
        current = getattr(found, name)
        if value is None or value == current:
            return current
        if current is None:
            return value
        self.log.warn(
            path,
            f"problem {found.number} has the {name} {value!r} here but {current!r} "
            f"at {format_json_path(found.path)}; the first is kept",
        )
        return current

    def _fill_from_builtin(self, found: _FoundProblem) -> None:
        builtin = PROBLEMS.get(found.number)
        if builtin is None or builtin.status != found.status:
            self.log.warn(
                found.path,
                f"problem {found.number} has no documented title or detail and the "
                "built-in contract has none for it; left empty",
            )
            return
        self.log.warn(
            found.path,
            f"problem {found.number} has no documented title or detail; the "
            "built-in contract's wording is used",
        )
        found.title = found.title if found.title is not None else builtin.title
        found.detail = found.detail if found.detail is not None else builtin.detail


def generic_problem_schema(schema: Any, path: JsonPath, log: ImportLog) -> Any:
    """Return the schema of any problem body of a response, without the fixed type values.

    For a `oneOf` or `anyOf` of problem types the variants must agree once their fixed values
    are removed. If they do not, the first variant is used, with a warning.
    """
    variants = _variants(schema)
    if variants == [schema]:
        return _strip_fixed_values(schema)
    stripped = [_strip_fixed_values(variant) for variant in variants]
    shared_required = set.intersection(*(set(v.get("required", [])) for v in stripped))
    for variant in stripped:
        if "required" in variant:
            variant["required"] = [name for name in variant["required"] if name in shared_required]
    if any(variant != stripped[0] for variant in stripped[1:]):
        log.warn(
            path, "the problem variants differ beyond their fixed values; the first variant is used"
        )
    return stripped[0]


def _variants(schema: Any) -> list[dict[str, Any]]:
    if not isinstance(schema, dict):
        return []
    for keyword in ("oneOf", "anyOf"):
        if isinstance(schema.get(keyword), list):
            return [variant for variant in schema[keyword] if isinstance(variant, dict)]
    return [schema]


def _strip_fixed_values(schema: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(schema)
    for name in _FIXED_FIELDS:
        prop = result.get("properties", {}).get(name)
        if isinstance(prop, dict):
            prop.pop("enum", None)
            prop.pop("const", None)
    return result


def _fixed_values(prop: Any) -> list[Any]:
    if not isinstance(prop, dict):
        return []
    if "const" in prop:
        return [prop["const"]]
    return list(prop.get("enum", []))


def _single_value(prop: Any) -> Any:
    values = _fixed_values(prop)
    return values[0] if len(values) == 1 else None


def _extra_field(names: Any, path: JsonPath, log: ImportLog) -> str | None:
    extra = [name for name in names if name not in STANDARD_FIELDS]
    if len(extra) > 1:
        log.warn(path, f"problem body has several extra fields {extra!r}; the first is recorded")
    return extra[0] if extra else None
