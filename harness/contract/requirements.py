"""The contract's requirements as a flat list with stable ids, for traceability reports.

Every requirement is generated from the contract data, so a change to a schema, a problem
type or a header rule changes the list with it. Ids are dotted words:

- `request.<field>.<rule>`: a constraint of the create body, where `<rule>` is one of
  required, json-type, enum, length, pattern, items, unique, additionalProperties, and
  array items are written `<field>[]` (`request.matchingCriteria[].type.enum`);
- `created.<field>.<rule>`: the same for the 201 body;
- `problem-body.<field>.<rule>`: the same for every problem body;
- `status.<code>`: a documented status;
- `problem.<number>`: a documented problem type;
- `header.<rule>`: a documented response header rule;
- `default.<field>`: a value the server fills in when the body leaves it out;
- `echo.<field>`: a request value the 201 body repeats;
- `stage.<action>`: the stages an action allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from harness.contract import facts
from harness.contract.model import Contract
from harness.contract.schemas import Schema, created_schema, problem_schema
from harness.contract.versions import ACTION_STAGES, VERSIONS

REQUEST = "request"
CREATED = "created"
PROBLEM_BODY = "problem-body"
STATUS = "status"
PROBLEM = "problem"
HEADER = "header"
DEFAULT = "default"
ECHO = "echo"
STAGE = "stage"
CATEGORIES = (STATUS, PROBLEM, HEADER, REQUEST, CREATED, PROBLEM_BODY, DEFAULT, ECHO, STAGE)

CONTENT_TYPE_RESOURCE = "header.content-type.created-resource"
CONTENT_TYPE_JSON = "header.content-type.created-json"
CONTENT_TYPE_PROBLEM = "header.content-type.problem"
LOCATION = "header.location"
ETAG = "header.etag"

# Keys of the 201 body the server chooses itself, so they are neither defaults nor echoes.
_SERVER_CHOSEN = frozenset({"id", "metadata", "matchingImages", "matchingContainers"})

_PATTERN_NAMES = {
    facts.UUID_PATTERN: "a lowercase UUID (version 4, version 5 or the nil UUID)",
    facts.TIMESTAMP_PATTERN: "a UTC timestamp YYYY-MM-DDTHH:MM:SS[.fraction]Z",
    "^[1-5][0-9]{2}$": "a three-digit HTTP status code",
}

_WHERE = {
    REQUEST: "the create body",
    CREATED: "the 201 body",
    PROBLEM_BODY: "every problem body",
}


@dataclass(frozen=True)
class Requirement:
    """One checkable rule of the contract: a stable id, its category and one sentence.

    `status` and `problem` are set for the requirements of one documented response.
    """

    id: str
    category: str
    description: str
    status: int | None = None
    problem: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "description": self.description,
            "status": self.status,
            "problem": self.problem,
        }


def requirements(contract: Contract) -> tuple[Requirement, ...]:
    """Return every requirement of `contract`, in a fixed order, without duplicate ids."""
    return _requirements(contract.version)


def requirement_index(contract: Contract) -> dict[str, Requirement]:
    """Return the requirements of `contract` by id."""
    return {requirement.id: requirement for requirement in requirements(contract)}


@lru_cache(maxsize=None)
def known_requirement_ids() -> frozenset[str]:
    """Return the ids of every resource version, for checking ids that scenario files name."""
    ids: set[str] = set()
    for version in VERSIONS:
        ids.update(requirement.id for requirement in _requirements(version))
    return frozenset(ids)


@lru_cache(maxsize=None)
def _requirements(version: str) -> tuple[Requirement, ...]:
    contract = Contract(version)
    found: list[Requirement] = []
    found += _status_requirements(contract)
    found += _problem_requirements(contract)
    found += _header_requirements(contract)
    found += schema_requirements(REQUEST, contract.request_schema())
    found += schema_requirements(CREATED, created_schema(version, version))
    found += schema_requirements(PROBLEM_BODY, problem_schema(None))
    found += _default_requirements(contract)
    found += _echo_requirements(contract)
    found += _stage_requirements(contract)
    unique: dict[str, Requirement] = {}
    for requirement in found:
        unique.setdefault(requirement.id, requirement)
    return tuple(unique.values())


def _status_requirements(contract: Contract) -> list[Requirement]:
    found = []
    for status in contract.statuses:
        if status == 201:
            text = "A valid create request by a permitted caller gets 201 Created."
        else:
            numbers = sorted(p.number for p in contract.problems.values() if p.status == status)
            listed = ", ".join(str(number) for number in numbers)
            text = f"Status {status} is documented, with problem types {listed}."
        found.append(Requirement(f"{STATUS}.{status}", STATUS, text, status=status))
    return found


def _problem_requirements(contract: Contract) -> list[Requirement]:
    problems = sorted(contract.problems.values(), key=lambda p: (p.status, p.number))
    return [
        Requirement(
            f"{PROBLEM}.{problem.number}", PROBLEM,
            f"{problem.status} problem {problem.number}, \"{problem.title}\". Trigger: "
            f"{problem.trigger}.",
            status=problem.status, problem=problem.number,
        )
        for problem in problems
    ]


def _header_requirements(contract: Contract) -> list[Requirement]:
    created = contract.response_shape(201)
    found = [
        Requirement(
            CONTENT_TYPE_RESOURCE, HEADER,
            f"A 201 to a request whose Accept names {facts.REQUEST_MEDIA_TYPE} has that "
            "Content-Type.",
            status=201,
        ),
        Requirement(
            CONTENT_TYPE_JSON, HEADER,
            f"A 201 to a request whose Accept does not name {facts.REQUEST_MEDIA_TYPE} has "
            f"Content-Type {facts.JSON_MEDIA_TYPE}.",
            status=201,
        ),
        Requirement(
            CONTENT_TYPE_PROBLEM, HEADER,
            f"Every problem response has Content-Type {facts.PROBLEM_MEDIA_TYPE}.",
        ),
    ]
    if "Location" in created.required_headers:
        found.append(Requirement(
            LOCATION, HEADER,
            f"A 201 has a Location header whose path is {facts.RESOURCE_PATH} of the new hook.",
            status=201,
        ))
    if "Etag" in created.required_headers:
        found.append(Requirement(
            ETAG, HEADER, "A 201 has an Etag header that is the hex MD5 of the body bytes.",
            status=201,
        ))
    return found


def schema_requirements(prefix: str, schema: Schema) -> list[Requirement]:
    """Return one requirement per constraint of a JSON Schema, ids starting with `prefix`."""
    return [
        Requirement(_join(prefix, field, rule), prefix, f"In {_WHERE[prefix]}, {text}")
        for field, rule, text in _constraints(schema, "")
    ]


def _join(prefix: str, field: str, rule: str) -> str:
    return ".".join(part for part in (prefix, field, rule) if part)


def _constraints(schema: Schema, field: str) -> Iterator[tuple[str, str, str]]:
    """Yield (field path, rule, sentence) for each constraint of `schema` at `field`."""
    subject = field or "the body"
    if field and "type" in schema:
        yield field, "json-type", f"{subject} is a JSON {schema['type']}."
    if field and "enum" in schema:
        values = ", ".join(f'"{value}"' for value in schema["enum"])
        yield field, "enum", f"{subject} is one of {values}."
    length = _bounds(schema, "minLength", "maxLength", "characters")
    if field and length:
        yield field, "length", f"{subject} has {length}."
    if field and "pattern" in schema:
        shape = _PATTERN_NAMES.get(schema["pattern"], f"a match of {schema['pattern']}")
        yield field, "pattern", f"{subject} is {shape}."
    count = _bounds(schema, "minItems", "maxItems", "items")
    if field and count:
        yield field, "items", f"{subject} has {count}."
    if field and schema.get("uniqueItems"):
        yield field, "unique", f"the items of {subject} are unique."
    yield from _object_constraints(schema, field, subject)
    if isinstance(schema.get("items"), dict):
        yield from _constraints(schema["items"], f"{field}[]")


def _object_constraints(schema: Schema, field: str, subject: str) -> Iterator[tuple[str, str, str]]:
    for key in schema.get("required", ()):
        yield _child(field, key), "required", f"{_child(field, key)} is present."
    if schema.get("additionalProperties") is False:
        listed = ", ".join(schema.get("properties", {}))
        where = f"in {field}" if field else "at the top level"
        yield field, "additionalProperties", f"no keys other than {listed} are allowed {where}."
    for key, child in schema.get("properties", {}).items():
        yield from _constraints(child, _child(field, key))


def _child(field: str, key: str) -> str:
    return f"{field}.{key}" if field else key


def _bounds(schema: Schema, low_key: str, high_key: str, unit: str) -> str:
    low, high = schema.get(low_key), schema.get(high_key)
    if low is not None and high is not None:
        return f"{low} to {high} {unit}"
    if high is not None:
        return f"at most {high} {unit}"
    if low is not None:
        return f"at least {low} {unit.rstrip('s') if low == 1 else unit}"
    return ""


def _default_requirements(contract: Contract) -> list[Requirement]:
    """Return a requirement per key the request may leave out but the 201 body must carry."""
    request = contract.request_schema()
    created = created_schema(contract.version, contract.version)
    optional = set(request["properties"]) - set(request["required"])
    found = []
    for key in created["required"]:
        if key not in optional:
            continue
        found.append(Requirement(
            f"{DEFAULT}.{key}", DEFAULT,
            f"A body without {key} gets {_default_text(key, created['properties'][key])} in "
            "the 201 body.",
            status=201,
        ))
    return found


def _default_text(key: str, schema: Schema) -> str:
    if key == "enabled":
        return f'{key} "{facts.DEFAULT_ENABLED}"'
    if schema.get("type") == "array":
        return f"an empty {key} list"
    return f"{key} filled in by the server"


def _echo_requirements(contract: Contract) -> list[Requirement]:
    request = contract.request_schema()
    created = created_schema(contract.version, contract.version)
    shared = [
        key for key in request["properties"]
        if key in created["properties"] and key not in _SERVER_CHOSEN
    ]
    return [
        Requirement(
            f"{ECHO}.{key}", ECHO, f"The 201 body repeats the {key} value the request sent.",
            status=201,
        )
        for key in shared
    ]


def _stage_requirements(contract: Contract) -> list[Requirement]:
    found = []
    for action in contract.features.actions:
        allowed = ACTION_STAGES[action]
        others = [stage for stage in facts.STAGES if stage not in allowed]
        text = f"Action {action} allows stage {' or '.join(allowed)}"
        if others:
            text = f"Action {action} allows only stage {' or '.join(allowed)}, so stage "
            text += f"{' or '.join(others)} is problem 9"
        found.append(Requirement(f"{STAGE}.{action}", STAGE, text + "."))
    return found
