"""An independent judge of samples: every documented rule a request breaks, not only the first.

It reads the world through the server's world loader, and validates with jsonschema where
the server uses fastjsonschema. Each broken rule is named with the rule ids of
`harness.samples.rules`, so a test can assert that a sample breaks exactly its own rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import jsonschema
import re2

from harness.contract import Contract, facts
from harness.contract.versions import ACTION_STAGES
from harness.samples.sample import Sample
from harness.server.world import World

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False
_KEYWORDS = {
    "type": "wrong-type", "enum": "not-in-enum", "minLength": "empty", "maxLength": "too-long",
    "maxItems": "too-many", "uniqueItems": "duplicate", "additionalProperties": "unknown-key",
}
_REQUIRED = re.compile(r"'(?P<name>[^']+)' is a required property")
_DIGITS = re.compile(r"[0-9]{1,9}")
_STANDARD_QUERY = {"limit": _DIGITS, "skip": _DIGITS, "count": re.compile("true|false")}
_SERVER = Contract(facts.LATEST_VERSION)


def _reject_constant(name: str) -> None:
    raise ValueError(name)


def _field_path(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += "[]"
        else:
            text += ("." if text else "") + part
    return text or "body"


def _schema_rule(error: jsonschema.ValidationError) -> str:
    path = tuple(error.absolute_path)
    field = _field_path(path)
    if error.validator == "required":
        missing = _REQUIRED.search(error.message).group("name")
        return f"{missing}.missing" if field == "body" else f"{field}.{missing}.missing"
    if error.validator == "pattern":
        return f"{field}.not-timestamp" if path[-1].endswith("Timestamp") else f"{field}.not-uuid"
    if error.validator == "type" and field == "body":
        return "body.not-object"
    return f"{field}.{_KEYWORDS.get(error.validator, error.validator)}"


def schema_rules(body: Any) -> list[str]:
    """Return the rules a body breaks in the schema, one per field (a type error hides the
    enum error at the same field)."""
    version = body.get("version") if isinstance(body, dict) else None
    accepted = isinstance(version, str) and _SERVER.accepts_body_version(version)
    schema = _SERVER.request_schema(version if accepted else None)
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(body))
    typed = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    rules = [
        _schema_rule(e) for e in errors
        if e.validator == "type" or tuple(e.absolute_path) not in typed
    ]
    return sorted(set(rules))


def _authorization(sample: Sample, variables: Mapping[str, str]) -> str | None:
    if sample.token is not None:
        return f"Bearer {variables[sample.token]}"
    return sample.headers.get("Authorization")


def request_rules(sample: Sample, world: World, variables: Mapping[str, str]) -> list[str]:
    """Return what the request line and headers break: token, path, role, account, query."""
    rules = []
    header = _authorization(sample, variables)
    scheme, _, token = (header or "").partition(" ")
    found = world.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if not header or scheme.lower() != "bearer" or not token.strip():
        rules.append("auth.missing-token")
    elif found is None:
        rules.append("auth.invalid-token")
    parts = sample.path.split("/")
    account = world.accounts.get(parts[2])
    if found is not None and account is not found[0]:
        rules.append("path.unknown-account")
    if account is not None and len(parts) == 8 and parts[6] not in account.apps:
        rules.append("path.unknown-app")
    if found is not None and found[1].role == "viewer":
        rules.append("auth.role-not-permitted")
    if account is not None and not account.execution_hooks_enabled:
        rules.append("account.hooks-disabled")
    for name, value in sample.query:
        pattern = _STANDARD_QUERY.get(name)
        malformed = pattern is not None and pattern.fullmatch(value) is None
        rules.append("query.invalid-value" if malformed else "query.not-supported")
    return rules


def syntax_rules(sample: Sample) -> tuple[list[str], Any]:
    """Return what the Content-Type and body syntax break, and the parsed body (None if not JSON)."""
    rules = []
    content_type = sample.headers.get("Content-Type")
    media_type, *parameters = (content_type or "").split(";")
    charsets = [p.split("=", 1)[1].strip().lower() for p in parameters if p.strip().startswith("charset=")]
    accepted = [t.lower() for t in facts.ACCEPTED_REQUEST_MEDIA_TYPES]
    if media_type.strip().lower() not in accepted or any(c not in ("utf-8", "utf8") for c in charsets):
        rules.append("header.content-type")
    try:
        text = sample.encoded_body().decode("utf-8")
    except UnicodeDecodeError:
        return rules + ["body.not-utf8"], None
    try:
        return rules, json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return rules + ["body.malformed-json"], None


def _compiles(pattern: str) -> bool:
    try:
        re2.compile(pattern, _RE2_OPTIONS)
    except re2.error:
        return False
    return True


def meaning_rules(
    sample: Sample, body: dict[str, Any], world: World, variables: Mapping[str, str]
) -> list[str]:
    """Return what a schema-valid body breaks after the schema, in the server's check order.

    A path whose account or app does not exist is judged as the caller's account and the
    core path, because only the path breaks a rule then.
    """
    parts = sample.path.split("/")
    account = world.accounts.get(parts[2]) or world.accounts[variables["account_id"]]
    path_app = parts[6] if len(parts) == 8 and parts[6] in account.apps else None
    rules = []
    if body["hookType"] == "netapp":
        rules.append("hookType.netapp")
    if body["stage"] not in ACTION_STAGES[body["action"]]:
        rules.append("stage.not-allowed-for-action")
    if not all(_compiles(item["value"]) for item in body.get("matchingCriteria", [])):
        rules.append("matchingCriteria[].value.not-re2")
    if body["hookSourceID"] not in account.hook_sources:
        rules.append("hookSourceID.unknown")
    if path_app is None and body["appID"] not in account.apps:
        rules.append("appID.unknown")
    if path_app is not None and body["appID"] != path_app:
        rules.append("appID.differs-from-path")
    if any(item.get("name") == body["name"] for item in sample.setup):
        rules.append("name.duplicate")
    app = account.apps.get(path_app or body["appID"])
    if body["action"] == "failover" and app is not None and not app.post_failover_hooks:
        rules.append("action.failover-app-not-eligible")
    return rules


def broken_rules(sample: Sample, world: World, variables: Mapping[str, str]) -> list[str]:
    """Return every rule the sample breaks; later checks are skipped where they cannot apply."""
    rules = request_rules(sample, world, variables)
    syntax, body = syntax_rules(sample)
    rules += syntax
    if body is None and syntax:
        return rules
    schema = schema_rules(body)
    if schema:
        return rules + schema
    return rules + meaning_rules(sample, body, world, variables)
