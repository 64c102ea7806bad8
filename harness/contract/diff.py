"""Comparison of two contract documents, with text and JSON reports.

`diff_contracts(old, new)` lists each change with the side it breaks; `changes.py` contains the
rule and docs/upgrades.md the table of rules.

The `version` enum of the request and 201 schemas lists the accepted body versions. When it
equals `acceptedVersions` in both documents, its changes are reported once, as
added-version or removed-version changes, and not again as enum changes of each schema.
"""

from __future__ import annotations

import json
from typing import Any

from harness.contract.changes import Change, ChangeKind, Effect, Side, make_change
from harness.contract.datafile import format_json_path
from harness.contract.schema_diff import SchemaDiff
from harness.contract.versions import version_key

# breaking: breaks clients or servers. Nearly every change narrows or widens what one side
# may send, so the per-side choices are what a client or a server project usually wants.
FAIL_ON_CHOICES = ("breaking", "breaking-clients", "breaking-servers", "any", "none")

__all__ = [
    "FAIL_ON_CHOICES",
    "Change",
    "ChangeKind",
    "diff_contracts",
    "failing_changes",
    "render_json",
    "render_text",
]


def diff_contracts(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """List the changes from contract document `old` to `new`, in document order."""
    ignored = _folded_version_enums(old, new)
    changes = _diff_versions(old["acceptedVersions"], new["acceptedVersions"])
    changes += _diff_message(
        ("request",), old["request"], new["request"], Side.REQUEST, "request body", ignored
    )
    changes += _diff_responses(old["responses"], new["responses"], ignored)
    changes += _diff_problems(old["problems"], new["problems"])
    changes += _diff_stages(old["stages"], new["stages"])
    return changes


def failing_changes(changes: list[Change], fail_on: str) -> list[Change]:
    """Return the changes that fail a check run with `--fail-on` `fail_on`, one of FAIL_ON_CHOICES."""
    if fail_on == "any":
        return list(changes)
    if fail_on == "breaking":
        return [change for change in changes if change.breaking]
    if fail_on == "breaking-clients":
        return [change for change in changes if change.breaking_for_clients]
    if fail_on == "breaking-servers":
        return [change for change in changes if change.breaking_for_servers]
    if fail_on == "none":
        return []
    raise ValueError(f"invalid fail-on value {fail_on!r}: use one of {', '.join(FAIL_ON_CHOICES)}")


def _folded_version_enums(old: dict[str, Any], new: dict[str, Any]) -> frozenset[str]:
    messages = [("request",)] + [
        ("responses", status) for status in old["responses"] if status in new["responses"]
    ]
    folded = set()
    for parts in messages:
        old_enum = _version_enum(old, parts)
        new_enum = _version_enum(new, parts)
        if old_enum == old["acceptedVersions"] and new_enum == new["acceptedVersions"]:
            folded.add(format_json_path(parts + ("schema", "properties", "version", "enum")))
    return frozenset(folded)


def _version_enum(document: dict[str, Any], parts: tuple[str, ...]) -> Any:
    message = document
    for part in parts:
        message = message[part]
    schema = message.get("schema")
    if not isinstance(schema, dict):
        return None
    version = schema.get("properties", {}).get("version")
    if not isinstance(version, dict) or not isinstance(version.get("enum"), list):
        return None
    try:
        return sorted(version["enum"], key=version_key)
    except (AttributeError, ValueError):
        # Values that are not "MAJOR.MINOR" strings never equal acceptedVersions.
        return None


def _diff_versions(old: list[str], new: list[str]) -> list[Change]:
    path = format_json_path(["acceptedVersions"])
    changes = [
        make_change(
            path,
            ChangeKind.ADDED_VERSION,
            f"requests may declare body version {v}",
            Side.REQUEST,
            Effect.WIDEN,
            None,
            v,
        )
        for v in new
        if v not in old
    ]
    changes += [
        make_change(
            path,
            ChangeKind.REMOVED_VERSION,
            f"requests may no longer declare body version {v}",
            Side.REQUEST,
            Effect.NARROW,
            v,
            None,
        )
        for v in old
        if v not in new
    ]
    return changes


def _diff_message(
    parts: tuple[str, ...],
    old: dict[str, Any],
    new: dict[str, Any],
    side: Side,
    where: str,
    ignored: frozenset[str],
) -> list[Change]:
    changes = []
    path = format_json_path(parts + ("contentTypes",))
    for value in new["contentTypes"]:
        if value not in old["contentTypes"]:
            changes.append(
                make_change(
                    path,
                    ChangeKind.ADDED_CONTENT_TYPE,
                    f"{where}: Content-Type {value} added",
                    side,
                    Effect.WIDEN,
                    None,
                    value,
                )
            )
    for value in old["contentTypes"]:
        if value not in new["contentTypes"]:
            changes.append(
                make_change(
                    path,
                    ChangeKind.REMOVED_CONTENT_TYPE,
                    f"{where}: Content-Type {value} removed",
                    side,
                    Effect.NARROW,
                    value,
                    None,
                )
            )
    # A required header is one more thing the sender must send, so adding one narrows.
    path = format_json_path(parts + ("requiredHeaders",))
    for value in new["requiredHeaders"]:
        if value not in old["requiredHeaders"]:
            changes.append(
                make_change(
                    path,
                    ChangeKind.ADDED_HEADER,
                    f"{where}: header {value} now required",
                    side,
                    Effect.NARROW,
                    None,
                    value,
                )
            )
    for value in old["requiredHeaders"]:
        if value not in new["requiredHeaders"]:
            changes.append(
                make_change(
                    path,
                    ChangeKind.REMOVED_HEADER,
                    f"{where}: header {value} no longer required",
                    side,
                    Effect.WIDEN,
                    value,
                    None,
                )
            )
    changes += SchemaDiff(side, where, ignored).diff(
        old["schema"], new["schema"], parts + ("schema",)
    )
    return changes


def _diff_responses(
    old: dict[str, Any], new: dict[str, Any], ignored: frozenset[str]
) -> list[Change]:
    changes = []
    for status in sorted(old.keys() | new.keys()):
        path = format_json_path(["responses", status])
        if status not in old:
            changes.append(
                make_change(
                    path,
                    ChangeKind.ADDED_STATUS,
                    f"status {status} added",
                    Side.RESPONSE,
                    Effect.WIDEN,
                    None,
                    int(status),
                )
            )
        elif status not in new:
            changes.append(
                make_change(
                    path,
                    ChangeKind.REMOVED_STATUS,
                    f"status {status} removed",
                    Side.RESPONSE,
                    Effect.NARROW,
                    int(status),
                    None,
                )
            )
        else:
            where = f"{status} problem body" if int(status) >= 400 else f"{status} body"
            changes += _diff_message(
                ("responses", status), old[status], new[status], Side.RESPONSE, where, ignored
            )
    return changes


def _diff_problems(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    for key in sorted(old.keys() | new.keys(), key=int):
        path = format_json_path(["problems", key])
        if key not in old:
            problem = new[key]
            detail = f"problem type {key} ({problem['status']} {problem['title']}) added"
            changes.append(
                make_change(
                    path,
                    ChangeKind.ADDED_PROBLEM,
                    detail,
                    Side.RESPONSE,
                    Effect.WIDEN,
                    None,
                    problem,
                )
            )
        elif key not in new:
            problem = old[key]
            detail = f"problem type {key} ({problem['status']} {problem['title']}) removed"
            changes.append(
                make_change(
                    path,
                    ChangeKind.REMOVED_PROBLEM,
                    detail,
                    Side.RESPONSE,
                    Effect.NARROW,
                    problem,
                    None,
                )
            )
        else:
            for name in ("status", "title", "detail", "extraField"):
                if old[key][name] != new[key][name]:
                    detail = f"problem type {key}: {name} changed from {old[key][name]!r} to {new[key][name]!r}"
                    changes.append(
                        make_change(
                            format_json_path(["problems", key, name]),
                            ChangeKind.CHANGED_PROBLEM,
                            detail,
                            Side.RESPONSE,
                            Effect.BOTH,
                            old[key][name],
                            new[key][name],
                        )
                    )
    return changes


def _diff_stages(old: dict[str, list[str]], new: dict[str, list[str]]) -> list[Change]:
    changes = []
    actions = list(old) + [action for action in new if action not in old]
    for action in actions:
        old_stages, new_stages = set(old.get(action, [])), set(new.get(action, []))
        if old_stages == new_stages and (action in old) == (action in new):
            continue
        if new_stages > old_stages or action not in old:
            effect = Effect.WIDEN
        elif new_stages < old_stages or action not in new:
            effect = Effect.NARROW
        else:
            effect = Effect.BOTH
        detail = f"action {action}: allowed stages {_stage_text(old, action)} -> {_stage_text(new, action)}"
        changes.append(
            make_change(
                format_json_path(["stages", action]),
                ChangeKind.STAGE_RULE_CHANGED,
                detail,
                Side.REQUEST,
                effect,
                old.get(action),
                new.get(action),
            )
        )
    return changes


def _stage_text(stages: dict[str, list[str]], action: str) -> str:
    if action not in stages:
        return "(action not allowed)"
    return ", ".join(stages[action]) or "(none)"


def _breaks_label(change: Change) -> str:
    sides = [
        name
        for name, broken in (
            ("clients", change.breaking_for_clients),
            ("servers", change.breaking_for_servers),
        )
        if broken
    ]
    return f"breaks {' and '.join(sides)}" if sides else "compatible"


def render_text(changes: list[Change], old_label: str, new_label: str) -> str:
    """Format changes for a terminal: a summary line, then two lines per change."""
    if not changes:
        return f"No changes from {old_label} to {new_label}.\n"
    clients = sum(change.breaking_for_clients for change in changes)
    servers = sum(change.breaking_for_servers for change in changes)
    lines = [
        f"{len(changes)} changes from {old_label} to {new_label}: "
        f"{clients} break clients, {servers} break servers."
    ]
    for change in changes:
        lines.append(f"- {change.kind.value} [{_breaks_label(change)}] {change.path}")
        lines.append(f"    {change.description}")
    return "\n".join(lines) + "\n"


def render_json(changes: list[Change], old_label: str, new_label: str) -> str:
    """Format changes as a JSON object with the labels, counts and the list of changes."""
    report = {
        "old": old_label,
        "new": new_label,
        "summary": {
            "changes": len(changes),
            "breakingForClients": sum(change.breaking_for_clients for change in changes),
            "breakingForServers": sum(change.breaking_for_servers for change in changes),
        },
        "changes": [change.to_json() for change in changes],
    }
    return json.dumps(report, indent=2) + "\n"
