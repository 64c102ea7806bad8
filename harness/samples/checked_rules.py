"""Rules checked outside the request schema: request line and headers, body syntax, meaning.

In the server's check order, authentication (3, 4), collection (2), permission (11, 168),
query (5, 6) and body syntax (7) come before the schema. NetApp hook type (73), extended
validation (9), conflicts (10) and failover support (162) come after it. Each breaker
keeps everything else valid, so the rule's check is the only one that fails.
"""

from __future__ import annotations

import base64
import json
import random

from harness.samples import text
from harness.samples.payloads import BodyBuilder
from harness.samples.rule import Breaker, Rule
from harness.samples.sample import Draft, encode_json

# Byte sequences that are not UTF-8, each with the mistake that typically produces it.
NOT_UTF8_SEQUENCES = (
    b"\xe9",              # Latin-1 e-acute, as in "Caf\xe9"
    b"\xfc",              # Latin-1 u-umlaut
    b"\xff\xfe",          # a UTF-16 byte order mark in the middle of the text
    b"\xc0\xaf",          # an overlong encoding of "/"
    b"\xed\xa0\x80",      # an encoded UTF-16 surrogate (CESU-8)
    b"\x80",              # a continuation byte without a lead byte
    b"\xe3\x81",          # a three-byte sequence cut short
)
_MARKER = "\u2063\u2063"  # two invisible separators, replaced by the invalid bytes

WRONG_CONTENT_TYPES = (
    "text/plain", "application/xml", "application/x-www-form-urlencoded",
    "application/astra-executionHook", "application/json; charset=iso-8859-1",
    "multipart/form-data; boundary=hook", None,
)

MALFORMED_QUERIES = (("limit", "ten"), ("limit", "-1"), ("skip", "first"), ("count", "yes"))
UNSUPPORTED_QUERIES = (("limit", "25"), ("skip", "0"), ("count", "true"), ("orderBy", "name desc"),
                       ("dryRun", "true"), ("force", "1"), ("pretty", "true"))


def _compact(body: object) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _malformed_variants(body: dict, rng: random.Random) -> list[str]:
    """Return texts of `body` with one syntax error each; the caller drops any that parse."""
    compact = _compact(body)
    spaced = json.dumps(body, ensure_ascii=False, indent=2)
    first_key = next(iter(body))
    cut = rng.randint(1, len(compact) - 1)
    return [
        compact[:cut],                                             # truncated upload
        compact[:-1] + ",}",                                       # trailing comma
        compact.replace(f'"{first_key}"', f"'{first_key}'", 1),    # single-quoted key
        compact.replace(f'"{first_key}"', first_key, 1),           # unquoted key
        compact.replace('","', '" "', 1),                          # missing comma
        "// execution hook\n" + spaced,                            # comment
        compact + "}",                                             # extra closing brace
        compact.replace('"custom"', "True", 1),                    # Python literal
        compact.replace('"hookType":"custom"', '"hookType":"cus\ttom"', 1),  # raw tab in a string
        compact.replace('"custom"', "NaN", 1),                     # NaN is not JSON
    ]


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _malformed_json(draft: Draft, builder: BodyBuilder) -> None:
    candidates = []
    for variant in _malformed_variants(draft.body, builder.rng):
        try:
            json.loads(variant, parse_constant=_reject_constant)
        except ValueError:
            candidates.append(variant)
    draft.body = builder.rng.choice(candidates)


def _not_utf8(draft: Draft, builder: BodyBuilder) -> None:
    rng = builder.rng
    field = rng.choice(("name", "description"))
    original = draft.body.get(field) or "Caf"
    cut = rng.randint(0, min(len(original), 40))
    draft.body[field] = original[:cut] + _MARKER + original[cut:]
    sequence = rng.choice(NOT_UTF8_SEQUENCES)
    encoded = encode_json(draft.body).replace(_MARKER.encode("utf-8"), sequence)
    try:
        encoded.decode("utf-8")
    except UnicodeDecodeError:
        draft.body = encoded
        return
    raise RuntimeError(
        f"the body with the byte sequence {sequence!r} decoded as UTF-8, so it breaks no rule"
    )


def _wrong_content_type(draft: Draft, builder: BodyBuilder) -> None:
    draft.headers["Content-Type"] = builder.rng.choice(WRONG_CONTENT_TYPES)


def _unchanged(draft: Draft, builder: BodyBuilder) -> None:
    """Leave the draft as built: the rule's variables (account, app) already break it."""


def _missing_token(draft: Draft, builder: BodyBuilder) -> None:
    rng = builder.rng
    draft.token = None
    login = f"{text.user_name(builder.fake)}:{builder.fake.word()}"
    credentials = base64.b64encode(login.encode("utf-8")).decode("ascii")
    draft.headers["Authorization"] = rng.choice(
        (None, f"Basic {credentials}", "Bearer", f"Token {builder.fake.uuid4()}")
    )


def _invalid_token(draft: Draft, builder: BodyBuilder) -> None:
    draft.token = "tokens.invalid"


def _viewer(draft: Draft, builder: BodyBuilder) -> None:
    draft.token = "tokens.viewer"


def _hooks_disabled(draft: Draft, builder: BodyBuilder) -> None:
    draft.token = "tokens.disabled_owner"


def _query(choices: tuple[tuple[str, str], ...]) -> Breaker:
    def apply(draft: Draft, builder: BodyBuilder) -> None:
        draft.query.append(builder.rng.choice(choices))
    return apply


def _unknown_app_in_path(draft: Draft, builder: BodyBuilder) -> None:
    draft.path_app_variable = "unknown_app_id"


def _netapp(draft: Draft, builder: BodyBuilder) -> None:
    draft.body["hookType"] = "netapp"


def _stage_not_allowed(draft: Draft, builder: BodyBuilder) -> None:
    draft.body["stage"] = "pre"


def _not_re2(draft: Draft, builder: BodyBuilder) -> None:
    app = builder.apps.app(draft.app_variable)
    criteria = [dict(item) for item in draft.body.get("matchingCriteria") or []]
    if not criteria:
        criteria = builder.criteria(app, builder.rng.randint(1, 3))
    position = builder.rng.randrange(len(criteria))
    criterion_type = criteria[position]["type"]
    criteria[position] = {"type": criterion_type, "value": builder.invalid_pattern(app, criterion_type)}
    draft.body["matchingCriteria"] = criteria


def _set_variable(field: str, variable: str) -> Breaker:
    def apply(draft: Draft, builder: BodyBuilder) -> None:
        draft.body[field] = draft.variables[variable]
    return apply


def _duplicate_name(draft: Draft, builder: BodyBuilder) -> None:
    """Send a first hook with the same name as setup, then a second, otherwise different, hook."""
    draft.setup.append(dict(draft.body))
    stage = builder.stage_for(draft.action)
    draft.body = builder.build(draft.action, stage, draft.app_variable, name=draft.body["name"])


def _differs_from_path(draft: Draft, builder: BodyBuilder) -> None:
    draft.path_app_variable = draft.app_variable
    draft.body["appID"] = draft.variables["no_failover_app_id"]


_NOT_FAILOVER = ("snapshot", "backup", "restore")

CHECKED_RULES: tuple[Rule, ...] = (
    Rule("auth.missing-token", 3, "no Authorization header, or one without a bearer token",
         _missing_token),
    Rule("auth.invalid-token", 4, "a bearer token no user has", _invalid_token),
    Rule("path.unknown-account", 2, "the path names an account that does not exist", _unchanged,
         account_variable="unknown_account_id"),
    Rule("path.unknown-app", 2, "the app-scoped path names an app the account does not have",
         _unknown_app_in_path, operation="app", variables=("unknown_app_id",)),
    Rule("auth.role-not-permitted", 11, "the caller has the viewer role", _viewer, min_version="1.1"),
    Rule("account.hooks-disabled", 168, "the account has execution hooks disabled", _hooks_disabled,
         min_version="1.3", app_variable="disabled_app_id",
         hook_source_variable="disabled_hook_source_id", account_variable="disabled_account_id"),
    Rule("query.invalid-value", 5, "a standard query parameter has a malformed value",
         _query(MALFORMED_QUERIES)),
    Rule("query.not-supported", 6, "a query parameter this operation does not take",
         _query(UNSUPPORTED_QUERIES)),
    Rule("body.malformed-json", 7, "the body is not valid JSON", _malformed_json),
    Rule("body.not-utf8", 7, "the body is not UTF-8", _not_utf8),
    Rule("header.content-type", 7, "the Content-Type is missing or not a JSON type this operation takes",
         _wrong_content_type),
    Rule("hookType.netapp", 73, "hookType is netapp, which is read-only", _netapp),
    Rule("stage.not-allowed-for-action", 9, "stage pre with an action that allows only post",
         _stage_not_allowed, actions=("restore", "failover")),
    Rule("matchingCriteria[].value.not-re2", 9, "a criterion value is not an RE2 pattern", _not_re2,
         min_version="1.1"),
    Rule("hookSourceID.unknown", 9, "hookSourceID names no hook source of the account",
         _set_variable("hookSourceID", "unknown_hook_source_id"), variables=("unknown_hook_source_id",)),
    Rule("appID.unknown", 9, "appID (core path) names no app of the account",
         _set_variable("appID", "unknown_app_id"), operation="core", variables=("unknown_app_id",)),
    Rule("name.duplicate", 10, "another hook of the account has the name (sent first as setup)",
         _duplicate_name),
    Rule("appID.differs-from-path", 10, "the body's appID is not the app of the app-scoped path",
         _differs_from_path, actions=_NOT_FAILOVER, operation="app", variables=("no_failover_app_id",)),
    Rule("action.failover-app-not-eligible", 162,
         "action failover for an app that takes no post-failover hooks", _unchanged,
         min_version="1.3", actions=("failover",), app_variable="no_failover_app_id"),
)
