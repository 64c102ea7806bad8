"""The contract requirements a scenario covers: inferred from the scenario, plus its `covers:`.

Inference reads only the scenario, never a response:

- the expected status and problem type cover `status.<code>` and `problem.<number>`;
- a 201 scenario covers the header rules the checker applies to every 201: Content-Type
  by the request's Accept, Location and Etag. It also covers the 201 body constraints of
  the body's version, a default for each optional key the body leaves out, an echo for
  each key it sends, and the stage rule of its action;
- a problem scenario covers the problem Content-Type and the problem body constraints of
  the keys every problem has and of its type's extra field;
- a problem 8 scenario covers each create body constraint its body breaks;
- a problem 9 scenario whose stage the action does not allow covers that stage rule.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

from jsonschema import Draft7Validator, ValidationError

from harness.contract import Contract, facts
from harness.contract.problems import PROBLEMS
from harness.contract.requirements import (
    CONTENT_TYPE_JSON,
    CONTENT_TYPE_PROBLEM,
    CONTENT_TYPE_RESOURCE,
    CREATED,
    DEFAULT,
    ECHO,
    ETAG,
    LOCATION,
    PROBLEM,
    PROBLEM_BODY,
    STAGE,
    STATUS,
    requirement_index,
    schema_requirements,
)
from harness.contract.schemas import created_schema
from harness.contract.versions import ACTION_STAGES
from harness.scenario.model import NOT_GIVEN, Scenario

INFERRED = "inferred"
DECLARED = "declared"

# Keys of every problem body, whatever its type.
_PROBLEM_KEYS = ("type", "title", "detail", "status", "correlationID")
# Keys of the 201 body that are present only when the request sends matchingCriteria.
_CRITERIA_RESULTS = ("matchingImages", "matchingContainers")

_RULE_OF_KEYWORD = {
    "type": "json-type",
    "enum": "enum",
    "minLength": "length",
    "maxLength": "length",
    "pattern": "pattern",
    "minItems": "items",
    "maxItems": "items",
    "uniqueItems": "unique",
    "additionalProperties": "additionalProperties",
}
# Keywords whose verdict on a string with an unresolved ${variable} is meaningless.
_VALUE_KEYWORDS = frozenset({"enum", "minLength", "pattern"})
_REFERENCE = re.compile(r"\$\{[^}]*\}")


def scenario_requirements(scenario: Scenario, contract: Contract) -> dict[str, str]:
    """Return the ids of the requirements `scenario` covers, each mapped to how it was found.

    Declared ids that the contract's version does not have are left out.
    """
    known = requirement_index(contract)
    found: dict[str, str] = {}
    for requirement_id in _inferred(scenario, contract):
        if requirement_id in known:
            found.setdefault(requirement_id, INFERRED)
    for requirement_id in scenario.covers:
        if requirement_id in known:
            found[requirement_id] = DECLARED
    return found


def _inferred(scenario: Scenario, contract: Contract) -> Iterator[str]:
    status = scenario.expect.status
    problem = scenario.expect.problem_number
    body = request_body(scenario)
    yield f"{STATUS}.{status}"
    if status == 201:
        yield from _created(scenario, body, contract)
    if problem is not None:
        yield f"{PROBLEM}.{problem}"
        yield from _problem_body(problem)
    if problem == 8 and isinstance(body, dict):
        yield from request_violations(body, contract)
    if problem == 9 and isinstance(body, dict) and _stage_not_allowed(body):
        yield f"{STAGE}.{body['action']}"


def request_body(scenario: Scenario) -> Any:
    """Return the request body as JSON with ${variables} unresolved, or None if it is not JSON."""
    spec = scenario.request
    if spec.body is not NOT_GIVEN:
        return spec.body
    if spec.raw_body is not None:
        try:
            return json.loads(spec.raw_body)
        except ValueError:
            return None
    return None


def _created(scenario: Scenario, body: Any, contract: Contract) -> Iterator[str]:
    accept = _header(scenario.request.headers, "Accept")
    if accept and facts.REQUEST_MEDIA_TYPE.lower() in accept.lower():
        yield CONTENT_TYPE_RESOURCE
    else:
        yield CONTENT_TYPE_JSON
    yield LOCATION
    yield ETAG
    sent = body if isinstance(body, dict) else {}
    yield from _created_body(sent, contract)
    request_keys = contract.request_schema()["properties"]
    for key in request_keys:
        yield f"{ECHO}.{key}" if key in sent else f"{DEFAULT}.{key}"
    if sent.get("action") in ACTION_STAGES:
        yield f"{STAGE}.{sent['action']}"


def _created_body(sent: dict[str, Any], contract: Contract) -> Iterator[str]:
    """Yield the 201 body constraints the checker applies to the response to this body."""
    version = sent.get("version")
    if not contract.accepts_body_version(version):
        version = contract.version
    schema = created_schema(version, contract.version)
    present = set(schema["required"]) | set(sent)
    if "matchingCriteria" in sent:
        present |= set(_CRITERIA_RESULTS)
    for requirement in schema_requirements(CREATED, schema):
        top = requirement.id.split(".")[1].split("[")[0]
        if top in present or top == "additionalProperties":
            yield requirement.id


def _problem_body(problem: int) -> Iterator[str]:
    yield CONTENT_TYPE_PROBLEM
    keys = set(_PROBLEM_KEYS)
    problem_type = PROBLEMS.get(problem)
    if problem_type is not None and problem_type.extra_field is not None:
        keys.add(problem_type.extra_field)
    for key in sorted(keys):
        for rule in ("required", "json-type", "pattern", "items", "unique"):
            yield f"{PROBLEM_BODY}.{key}.{rule}"
        for rule in ("json-type", "additionalProperties", "name.required", "reason.required",
                     "name.json-type", "reason.json-type"):
            yield f"{PROBLEM_BODY}.{key}[].{rule}"


def _stage_not_allowed(body: dict[str, Any]) -> bool:
    allowed = ACTION_STAGES.get(body.get("action"))  # type: ignore[arg-type]
    return allowed is not None and body.get("stage") not in allowed


def request_violations(body: dict[str, Any], contract: Contract) -> Iterator[str]:
    """Yield the `request.*` ids of every create body constraint `body` breaks.

    A string holding a ${variable} is not judged by its value, because that depends on the
    target.
    """
    version = body.get("version")
    schema = contract.request_schema(version if isinstance(version, str) else None)
    found: list[str] = []
    for error in Draft7Validator(schema).iter_errors(body):
        found.extend(_violation_ids(error))
    # A value of the wrong JSON type breaks its enum, pattern or length too, as a consequence.
    wrong_type = {requirement_id[: -len(".json-type")] for requirement_id in found
                  if requirement_id.endswith(".json-type")}
    for requirement_id in dict.fromkeys(found):
        field, _, rule = requirement_id.rpartition(".")
        if field in wrong_type and rule in ("enum", "pattern", "length"):
            continue
        yield requirement_id


def _violation_ids(error: ValidationError) -> Iterator[str]:
    field = _field_path(error.absolute_path)
    keyword = str(error.validator)
    if isinstance(error.instance, str) and "${" in error.instance:
        if keyword in _VALUE_KEYWORDS:
            return
        # A variable only adds characters, so the text around it alone must be too long.
        if keyword == "maxLength" and len(_REFERENCE.sub("", error.instance)) <= error.validator_value:
            return
    if keyword == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in error.validator_value:
            if key not in instance:
                yield ".".join(part for part in ("request", field, key, "required") if part)
        return
    rule = _RULE_OF_KEYWORD.get(keyword)
    if rule is not None:
        yield ".".join(part for part in ("request", field, rule) if part)


def _field_path(parts: Any) -> str:
    field = ""
    for part in parts:
        if isinstance(part, int):
            field += "[]"
        else:
            field = f"{field}.{part}" if field else str(part)
    return field


def _header(headers: dict[str, str], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None
