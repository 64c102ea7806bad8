"""Named faults: deliberate contract violations that the reference server makes on request.

A fault lets the harness prove that its scenarios and checker catch a server that breaks
the contract. There are two kinds:

- response transforms, functions from Reply to Reply that run on every response after the
  handler and change only the responses they are about. A transform must return a changed
  copy and leave the Reply it receives, and the objects inside its payload, unmodified,
  because those objects may be shared;
- behaviours, which change what the handler does: the order of the checks, a check that
  is skipped, a default that is not filled in. `ReferenceApp` reads them from
  `resolve_behaviours`.

`hook-harness serve --fault NAME` switches faults on and `fault_listing()` describes them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from harness.contract.facts import JSON_MEDIA_TYPE
from harness.contract.problems import PROBLEMS
from harness.server.responses import Reply, encode_json

Fault = Callable[[Reply], Reply]


@dataclass(frozen=True)
class Behaviours:
    """Handler changes that faults switch on.

    `body_before_auth`: the body's syntax and schema are checked before authentication.
    `duplicate_names`: a name already in use is accepted. `skipped_problems`: checks whose
    problem type is never sent. `omitted_defaults`: 201 keys left out when the request
    left them out.
    """

    body_before_auth: bool = False
    duplicate_names: bool = False
    skipped_problems: frozenset[int] = frozenset()
    omitted_defaults: frozenset[str] = frozenset()

    def merge(self, other: Behaviours) -> Behaviours:
        return Behaviours(
            self.body_before_auth or other.body_before_auth,
            self.duplicate_names or other.duplicate_names,
            self.skipped_problems | other.skipped_problems,
            self.omitted_defaults | other.omitted_defaults,
        )


@dataclass(frozen=True)
class FaultSpec:
    """One named fault: a one-line description and a transform, behaviours or both."""

    name: str
    description: str
    transform: Fault | None = None
    behaviours: Behaviours = field(default_factory=Behaviours)


def _is_created(reply: Reply) -> bool:
    return reply.status == 201 and isinstance(reply.payload, dict)


def _is_problem(reply: Reply, number: int | None = None) -> bool:
    if reply.problem is None or not isinstance(reply.payload, dict):
        return False
    return number is None or reply.problem == number


def _with_payload(reply: Reply, **changes: Any) -> Reply:
    """Return a copy of `reply` whose payload has `changes` applied; None removes a key."""
    payload = dict(reply.payload)
    for key, value in changes.items():
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    return dataclasses.replace(reply, payload=payload, raw_body=None)


def _with_metadata(reply: Reply, **changes: Any) -> Reply:
    metadata = dict(reply.payload.get("metadata", {}))
    for key, value in changes.items():
        if value is None:
            metadata.pop(key, None)
        else:
            metadata[key] = value
    return _with_payload(reply, metadata=metadata)


def _missing_location(reply: Reply) -> Reply:
    if reply.status != 201:
        return reply
    headers = {name: value for name, value in reply.headers.items() if name.lower() != "location"}
    return dataclasses.replace(reply, headers=headers)


def _integer_status(reply: Reply) -> Reply:
    if not _is_problem(reply):
        return reply
    return _with_payload(reply, status=int(reply.payload["status"]))


def _missing_id(reply: Reply) -> Reply:
    return _with_payload(reply, id=None) if _is_created(reply) else reply


def _missing_problem_detail(reply: Reply) -> Reply:
    return _with_payload(reply, detail=None) if _is_problem(reply) else reply


def _extra_created_key(reply: Reply) -> Reply:
    return _with_payload(reply, internalRevision=1) if _is_created(reply) else reply


def _boolean_enabled(reply: Reply) -> Reply:
    if not _is_created(reply) or "enabled" not in reply.payload:
        return reply
    return _with_payload(reply, enabled=reply.payload["enabled"] == "true")


def _uppercase_stage(reply: Reply) -> Reply:
    if not _is_created(reply) or not isinstance(reply.payload.get("stage"), str):
        return reply
    return _with_payload(reply, stage=reply.payload["stage"].upper())


def _created_as_200(reply: Reply) -> Reply:
    return dataclasses.replace(reply, status=200) if reply.status == 201 else reply


def _invalid_token_as_missing(reply: Reply) -> Reply:
    if not _is_problem(reply, 4):
        return reply
    missing = PROBLEMS[3]
    changed = _with_payload(reply, type=missing.uri, title=missing.title, detail=missing.detail)
    return dataclasses.replace(changed, problem=3)


def _created_content_type_json(reply: Reply) -> Reply:
    return dataclasses.replace(reply, content_type=JSON_MEDIA_TYPE) if reply.status == 201 else reply


def _problem_content_type_json(reply: Reply) -> Reply:
    return dataclasses.replace(reply, content_type=JSON_MEDIA_TYPE) if _is_problem(reply) else reply


def _quoted_etag(reply: Reply) -> Reply:
    if not reply.add_etag:
        return reply
    body = reply.raw_body if reply.raw_body is not None else encode_json(reply.payload)
    headers = {**reply.headers, "Etag": f'"{hashlib.md5(body).hexdigest()}"'}
    return dataclasses.replace(reply, headers=headers, add_etag=False)


def _offset_timestamps(reply: Reply) -> Reply:
    if not _is_created(reply):
        return reply
    metadata = reply.payload.get("metadata", {})
    changes = {
        key: metadata[key][:-1] + "+00:00"
        for key in ("creationTimestamp", "modificationTimestamp")
        if isinstance(metadata.get(key), str) and metadata[key].endswith("Z")
    }
    return _with_metadata(reply, **changes)


def _id_not_uuid(reply: Reply) -> Reply:
    if not _is_created(reply) or not isinstance(reply.payload.get("id"), str):
        return reply
    old_id = reply.payload["id"]
    new_id = old_id.replace("-", "")
    headers = {name: value.replace(old_id, new_id) for name, value in reply.headers.items()}
    return dataclasses.replace(_with_payload(reply, id=new_id), headers=headers)


def _short_matching_containers(reply: Reply) -> Reply:
    if not _is_created(reply):
        return reply
    containers = reply.payload.get("matchingContainers")
    if not isinstance(containers, list) or not containers:
        return reply
    return _with_payload(reply, matchingContainers=containers[:-1])


def _conflict_title(reply: Reply) -> Reply:
    return _with_payload(reply, title="Conflict") if _is_problem(reply, 10) else reply


def _correlation_id_not_uuid(reply: Reply) -> Reply:
    if not _is_problem(reply) or not reply.correlation_id:
        return reply
    return _with_payload(reply, correlationID="req-" + reply.correlation_id.replace("-", "")[:16])


def _version_not_echoed(reply: Reply) -> Reply:
    return _with_payload(reply, version="1.3") if _is_created(reply) else reply


def _created_by_not_uuid(reply: Reply) -> Reply:
    return _with_metadata(reply, createdBy="owner") if _is_created(reply) else reply


def _location_zero_account(reply: Reply) -> Reply:
    location = reply.headers.get("Location")
    if reply.status != 201 or location is None:
        return reply
    prefix, _, rest = location.partition("/accounts/")
    _, _, tail = rest.partition("/")
    wrong = f"{prefix}/accounts/00000000-0000-0000-0000-000000000000/{tail}"
    return dataclasses.replace(reply, headers={**reply.headers, "Location": wrong})


def _conflict_status_text(reply: Reply) -> Reply:
    if not _is_problem(reply) or reply.status != 409:
        return reply
    return _with_payload(reply, status="400")


def _missing_labels(reply: Reply) -> Reply:
    return _with_metadata(reply, labels=None) if _is_created(reply) else reply


def _not_found_as_400(reply: Reply) -> Reply:
    return dataclasses.replace(reply, status=400) if _is_problem(reply, 2) else reply


def _missing_invalid_fields(reply: Reply) -> Reply:
    return _with_payload(reply, invalidFields=None) if _is_problem(reply, 9) else reply


_SPECS = (
    FaultSpec("missing-location", "201 responses lack the Location header.", _missing_location),
    FaultSpec("integer-status", "Problem bodies carry status as a JSON number, not a string.",
              _integer_status),
    FaultSpec("missing-id", "201 bodies lack the required id key.", _missing_id),
    FaultSpec("missing-problem-detail", "Problem bodies lack the required detail key.",
              _missing_problem_detail),
    FaultSpec("extra-created-key", "201 bodies carry the undocumented key internalRevision.",
              _extra_created_key),
    FaultSpec("boolean-enabled", 'enabled in 201 bodies is a JSON boolean, not "true" or "false".',
              _boolean_enabled),
    FaultSpec("uppercase-stage", "stage in 201 bodies is upper case (PRE, POST), outside the enum.",
              _uppercase_stage),
    FaultSpec("created-as-200", "Successful creates get status 200 instead of 201.",
              _created_as_200),
    FaultSpec("invalid-token-as-missing",
              "An invalid bearer token gets 401 problem 3 (missing token) instead of problem 4.",
              _invalid_token_as_missing),
    FaultSpec("created-content-type-json",
              "201 responses are application/json even when Accept names the resource type.",
              _created_content_type_json),
    FaultSpec("problem-content-type-json",
              "Problem responses are application/json instead of application/problem+json.",
              _problem_content_type_json),
    FaultSpec("quoted-etag", "201 Etag values are quoted instead of the bare hex MD5.", _quoted_etag),
    FaultSpec("offset-timestamps", "201 metadata timestamps end in +00:00 instead of Z.",
              _offset_timestamps),
    FaultSpec("id-not-uuid", "201 ids, and the Location naming them, are 32 hex digits, not a UUID.",
              _id_not_uuid),
    FaultSpec("enabled-not-defaulted", "A body without enabled gets a 201 body without enabled.",
              behaviours=Behaviours(omitted_defaults=frozenset({"enabled"}))),
    FaultSpec("criteria-not-defaulted",
              "A body without matchingCriteria gets a 201 body without matchingCriteria.",
              behaviours=Behaviours(omitted_defaults=frozenset({"matchingCriteria"}))),
    FaultSpec("short-matching-containers",
              "201 bodies list matchingContainers without their last entry.",
              _short_matching_containers),
    FaultSpec("body-before-auth",
              "The body is checked before authentication, so a bad body without a valid token "
              "gets 400, not 401.",
              behaviours=Behaviours(body_before_auth=True)),
    FaultSpec("duplicate-name-accepted",
              "A name another hook of the account has is accepted instead of 409 problem 10.",
              behaviours=Behaviours(duplicate_names=True)),
    FaultSpec("conflict-title", 'Problem 10 bodies carry the title "Conflict".', _conflict_title),
    FaultSpec("correlation-id-not-uuid", "Problem correlationID values are req-<hex>, not a UUID.",
              _correlation_id_not_uuid),
    FaultSpec("version-not-echoed",
              'version in 201 bodies is "1.3" whatever version the request declared.',
              _version_not_echoed),
    FaultSpec("created-by-not-uuid", 'metadata.createdBy in 201 bodies is "owner", not a UUID.',
              _created_by_not_uuid),
    FaultSpec("location-zero-account", "201 Location names the nil account id, not the caller's.",
              _location_zero_account),
    FaultSpec("conflict-status-text", '409 problem bodies carry status "400".',
              _conflict_status_text),
    FaultSpec("missing-labels", "201 bodies lack metadata.labels.", _missing_labels),
    FaultSpec("not-found-as-400", "Problem 2 is sent with HTTP status 400 instead of 404.",
              _not_found_as_400),
    FaultSpec("missing-invalid-fields", "Problem 9 bodies lack invalidFields.",
              _missing_invalid_fields),
    FaultSpec("viewer-may-create", "Viewers may create hooks: the role check (problem 11) is skipped.",
              behaviours=Behaviours(skipped_problems=frozenset({11}))),
    FaultSpec("netapp-hooks-writable",
              "hookType netapp is created instead of 403 problem 73.",
              behaviours=Behaviours(skipped_problems=frozenset({73}))),
    FaultSpec("hooks-switch-ignored",
              "Accounts with execution hooks disabled may create hooks (problem 168 skipped).",
              behaviours=Behaviours(skipped_problems=frozenset({168}))),
    FaultSpec("failover-always-allowed",
              "Failover hooks are created on apps without post-failover support (problem 162 "
              "skipped).",
              behaviours=Behaviours(skipped_problems=frozenset({162}))),
)

FAULTS: dict[str, FaultSpec] = {spec.name: spec for spec in _SPECS}


def _check_names(names: Sequence[str]) -> list[str]:
    """Return `names` as a list, raising ValueError that lists the known names for unknown ones."""
    if isinstance(names, str):
        names = [names]
    unknown = [name for name in names if name not in FAULTS]
    if unknown:
        known = ", ".join(sorted(FAULTS))
        raise ValueError(
            f"unknown fault {', '.join(repr(name) for name in unknown)}: use one of {known}, "
            "or `--fault list` to see what each one does"
        )
    return list(names)


def resolve_faults(names: Sequence[str]) -> tuple[Fault, ...]:
    """Return the response transforms of the faults called `names`, in the order given."""
    specs = [FAULTS[name] for name in _check_names(names)]
    return tuple(spec.transform for spec in specs if spec.transform is not None)


def resolve_behaviours(names: Sequence[str]) -> Behaviours:
    """Return the handler changes of the faults called `names`, merged."""
    merged = Behaviours()
    for name in _check_names(names):
        merged = merged.merge(FAULTS[name].behaviours)
    return merged


def apply_faults(reply: Reply, faults: tuple[Fault, ...]) -> Reply:
    for fault in faults:
        reply = fault(reply)
    return reply


def omit_defaults(hook: dict[str, Any], payload: dict[str, Any], behaviours: Behaviours) -> dict[str, Any]:
    """Return `hook` without the defaulted keys that `behaviours` omits and the body left out."""
    dropped = {key for key in behaviours.omitted_defaults if key not in payload}
    if not dropped:
        return hook
    return {key: value for key, value in hook.items() if key not in dropped}


def fault_listing() -> str:
    """Return one line per fault, its name and description, for `--fault list`."""
    width = max(len(name) for name in FAULTS)
    return "\n".join(f"{name.ljust(width)}  {spec.description}" for name, spec in FAULTS.items())
