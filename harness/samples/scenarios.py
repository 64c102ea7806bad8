"""Turning a sample into a scenario of the project's YAML format, with its expected response.

Samples for scenarios are generated with placeholder variables ("${app_id}" and so on),
so the scenario runs against any target whose profile defines those variables. Each
hook name starts with `${name_prefix}`, the target's prefix for names it may create.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from harness.contract import facts
from harness.contract.problems import PROBLEMS
from harness.contract.versions import features, version_key
from harness.samples.sample import Sample
from harness.samples.world import default_variables
from harness.scenario.matchers import Absent, AnyString, AnyTimestamp, AnyUuid, Regex

# Characters of a name kept free for a target's `${name_prefix}`.
NAME_PREFIX_RESERVE = 16
NAME_PREFIX_REFERENCE = "${name_prefix}"
_ID_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def placeholder_variables() -> dict[str, str]:
    """Return each variable of the bundled world mapped to its own `${name}` reference."""
    return {name: "${" + name + "}" for name in default_variables()}


def scenario_id(seed: int, index: int, rule: str | None) -> str:
    """Return `gen-s<seed>-<index>-<rule>`: fixed by seed, index and rule, never by values."""
    label = "valid" if rule is None else _ID_UNSAFE.sub("-", rule.replace("[]", "-item").lower())
    return f"gen-s{seed}-{index:05d}-{label}"


def sample_name_prefix(seed: int, index: int) -> str:
    """Return the literal start of sample `index`'s names, unique across the suite."""
    return f"gen-s{seed}-{index:05d}-"


def _escape_references(value: Any, keep: frozenset[str]) -> Any:
    """Write `${` in generated text as `$${`, except in the placeholder values themselves."""
    if isinstance(value, str):
        return value if value in keep else value.replace("${", "$${")
    if isinstance(value, dict):
        return {key: _escape_references(item, keep) for key, item in value.items()}
    if isinstance(value, list):
        return [_escape_references(item, keep) for item in value]
    return value


def _with_prefix(body: Any) -> Any:
    """Return the body with `${name_prefix}` before a non-empty string name."""
    if isinstance(body, dict) and isinstance(body.get("name"), str) and body["name"]:
        return {**body, "name": NAME_PREFIX_REFERENCE + body["name"]}
    return body


def _headers(sample: Sample) -> dict[str, str]:
    headers = {name: value for name, value in sample.headers.items() if value is not None}
    if sample.token is not None:
        headers["Authorization"] = "Bearer ${" + sample.token + "}"
    return headers


def request_spec(sample: Sample, body: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"method": sample.method, "path": sample.path}
    if sample.query:
        spec["query"] = [list(pair) for pair in sample.query]
    spec["headers"] = _headers(sample)
    if isinstance(body, bytes):
        spec["raw_body_base64"] = base64.b64encode(body).decode("ascii")
    elif isinstance(body, str):
        spec["raw_body"] = body
    else:
        spec["body"] = body
    return spec


def created_body(body: dict[str, Any]) -> dict[str, Any]:
    """Return the expected 201 body (compared as a subset): the request's fields echoed,
    server-chosen values as matchers, `enabled` defaulted and criteria listed from 1.1 on."""
    feature_set = features(body["version"])
    expected: dict[str, Any] = {
        "type": body["type"], "version": body["version"], "id": AnyUuid(),
        "name": body["name"], "hookType": body["hookType"],
    }
    if feature_set.has_matching_criteria:
        expected["matchingCriteria"] = body.get("matchingCriteria", [])
    else:
        expected["matchingCriteria"] = Absent()
    for key in ("action", "stage", "hookSourceID", "arguments", "appID"):
        if key in body:
            expected[key] = body[key]
    expected["enabled"] = body.get("enabled", facts.DEFAULT_ENABLED)
    if "description" in body:
        expected["description"] = body["description"]
    expected["metadata"] = {
        "labels": body.get("metadata", {}).get("labels", []),
        "creationTimestamp": AnyTimestamp(), "modificationTimestamp": AnyTimestamp(),
        "createdBy": AnyUuid(),
    }
    return expected


def expectation(sample: Sample, body: Any) -> dict[str, Any]:
    if sample.expected_problem is None:
        return {
            "status": 201,
            "headers": {
                "Content-Type": facts.JSON_MEDIA_TYPE, "Location": AnyString(),
                "Etag": Regex(facts.ETAG_PATTERN),
            },
            "body_match": "subset",
            "body": created_body(body),
        }
    problem = PROBLEMS[sample.expected_problem]
    return {
        "status": problem.status,
        "headers": {"Content-Type": facts.PROBLEM_MEDIA_TYPE},
        "body_match": "subset",
        "body": {"type": problem.uri, "title": problem.title, "detail": problem.detail,
                 "status": problem.status_text},
    }


def _description(sample: Sample, summary: str | None) -> str:
    where = f"version {sample.version}, locale {sample.locale}"
    if sample.rule is None:
        return f"Generated valid create ({where}): expects 201"
    problem = PROBLEMS[sample.expected_problem]
    return f"Generated: {summary} ({where}): expects {problem.status} problem {problem.number}"


def scenario_for(sample: Sample, seed: int, summary: str | None = None) -> dict[str, Any]:
    """Return the scenario mapping of `sample`, ready for YAML output."""
    keep = frozenset(placeholder_variables().values())
    if isinstance(sample.body, str):
        # A cut can leave half a reference such as "${hook_sou", which would not load.
        body: Any = sample.body.replace("${", "$${")
    elif isinstance(sample.body, bytes):
        body = sample.body
    else:
        body = _with_prefix(_escape_references(sample.body, keep))
    scenario: dict[str, Any] = {
        "id": scenario_id(seed, sample.index, sample.rule),
        "description": _description(sample, summary),
        "versions": [v for v in facts.API_VERSIONS if version_key(v) >= version_key(sample.version)],
        "tags": _tags(sample),
    }
    if sample.setup:
        scenario["setup"] = [
            request_spec(sample, _with_prefix(_escape_references(item, keep))) for item in sample.setup
        ]
    scenario["request"] = request_spec(sample, body)
    scenario["expect"] = expectation(sample, body)
    return scenario


def _tags(sample: Sample) -> list[str]:
    # Tags that are not Python identifiers do not become pytest markers.
    if sample.rule is None:
        return ["generated-valid"]
    return ["generated-invalid", f"problem-{sample.expected_problem}"]

