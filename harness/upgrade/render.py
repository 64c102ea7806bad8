"""Text and JSON views of a cassette diff. Both views pass through credential redaction."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from typing import Any

from harness.report.deviation import describe_value, json_safe, short_json
from harness.report.redaction import REDACTED, redact, redact_text
from harness.upgrade.compare import CassetteSetDiff
from harness.upgrade.difference import (
    ABSENT,
    ADDED_FIELD,
    ADDED_INTERACTION,
    CHANGED_TYPE,
    CHANGED_VALUE,
    CONTENT_TYPE,
    ONLY_IN_A,
    ONLY_IN_B,
    PROBLEM_TYPE,
    REMOVED_FIELD,
    REMOVED_INTERACTION,
    STATUS,
    Difference,
)

DIFF_FORMAT = "hook-harness-cassette-diff"
DIFF_FORMAT_VERSION = 1

# Maximum length, in characters, of a value in a text line. Longer values are cut with "…".
MAX_VALUE_CHARS = 120

_PATH_WORD = re.compile(r"[A-Za-z0-9_-]+")


# One line per kind. Fields: cassette, path, a and b (values as compact JSON), a_raw and b_raw
# (values as they are), a_type and b_type (values with their JSON type), a_problem, b_problem.
_TEMPLATES = {
    ONLY_IN_A: "only in A: {cassette} ({a_raw})",
    ONLY_IN_B: "only in B: {cassette} ({b_raw})",
    REMOVED_INTERACTION: "interaction only in A: {a_raw}",
    ADDED_INTERACTION: "interaction only in B: {b_raw}",
    STATUS: "status {a_raw} -> {b_raw}",
    PROBLEM_TYPE: "problem type {a_problem} -> {b_problem}",
    CONTENT_TYPE: "Content-Type {a} -> {b}",
    ADDED_FIELD: "added {path}: {b}",
    REMOVED_FIELD: "removed {path}: {a}",
    CHANGED_VALUE: "changed {path}: {a} -> {b}",
    CHANGED_TYPE: "changed type of {path}: {a_type} -> {b_type}",
}


def describe_difference(difference: Difference) -> str:
    """Return one line describing what differs, for the text view and the JSON `message`."""
    return _TEMPLATES[difference.kind].format(
        cassette=difference.cassette,
        path=difference.path,
        a=_show(difference.a),
        b=_show(difference.b),
        a_raw=difference.a,
        b_raw=difference.b,
        a_type=describe_value(difference.a),
        b_type=describe_value(difference.b),
        a_problem=_problem(difference.a),
        b_problem=_problem(difference.b),
    )


def render_text(result: CassetteSetDiff, failing: list[Difference], fail_on: str) -> str:
    """Return the text view: the folders, the differences by cassette, then a summary line.

    Like the run report, it has no final newline.
    """
    lines = [
        f"A: {result.folder_a} ({result.cassettes_a} cassettes)",
        f"B: {result.folder_b} ({result.cassettes_b} cassettes)",
        _ignored_line(result),
        "",
    ]
    current = None
    for difference in map(redact_difference, result.differences):
        if difference.kind in (ONLY_IN_A, ONLY_IN_B):
            lines.append(describe_difference(difference))
            current = None
            continue
        if difference.cassette != current:
            lines.append(difference.cassette)
            current = difference.cassette
        lines.append(f"  interaction {difference.interaction}: {describe_difference(difference)}")
    lines.append(_summary(result, failing, fail_on))
    return "\n".join(redact_text(line) for line in lines)


def render_json(result: CassetteSetDiff, failing: list[Difference], fail_on: str) -> str:
    """Return the JSON view, with a final newline."""
    kinds = Counter(difference.kind for difference in result.differences)
    document = {
        "format": DIFF_FORMAT,
        "format_version": DIFF_FORMAT_VERSION,
        "a": {"folder": str(result.folder_a), "cassettes": result.cassettes_a},
        "b": {"folder": str(result.folder_b), "cassettes": result.cassettes_b},
        "ignored": [
            {"pattern": rule.pattern, "reason": rule.reason, "differences": result.ignore.counts[rule.pattern]}
            for rule in result.ignore.rules
        ],
        "substitutions": [{"a": old, "b": new} for old, new in result.substitutions],
        "fail_on": fail_on,
        "summary": {
            "differences": len(result.differences),
            "cassettes_with_differences": result.cassettes_with_differences,
            "failing": len(failing),
            "by_kind": dict(sorted(kinds.items())),
        },
        "differences": [difference_to_dict(redact_difference(d)) for d in result.differences],
    }
    return json.dumps(redact(document), indent=2, ensure_ascii=False) + "\n"


def redact_difference(difference: Difference) -> Difference:
    """Return `difference` with credentials in its values replaced by "<redacted>".

    The values at a path with a credential word in it (authorization, token, cookie and the
    other keys the run report redacts) are replaced whole.
    """
    words = _PATH_WORD.findall(difference.path)
    if any(redact({word: ""})[word] == REDACTED for word in words):
        return replace(difference, a=_mask(difference.a), b=_mask(difference.b))
    return replace(difference, a=_redact_value(difference.a), b=_redact_value(difference.b))


def _mask(value: Any) -> Any:
    return value if value is ABSENT else REDACTED


def _redact_value(value: Any) -> Any:
    return value if value is ABSENT else redact(value)


def difference_to_dict(difference: Difference) -> dict[str, Any]:
    """Return a difference as JSON. `a` or `b` is left out on a side that has no value."""
    data: dict[str, Any] = {
        "cassette": difference.cassette,
        "kind": difference.kind,
        "interaction": difference.interaction,
        "path": difference.path,
    }
    if difference.a is not ABSENT:
        data["a"] = json_safe(difference.a)
    if difference.b is not ABSENT:
        data["b"] = json_safe(difference.b)
    data["message"] = describe_difference(difference)
    return data


def _show(value: Any) -> str:
    return "(absent)" if value is ABSENT else short_json(value, MAX_VALUE_CHARS)


def _problem(value: Any) -> str:
    return "none" if value is None else str(value)


def _ignored_line(result: CassetteSetDiff) -> str:
    total = sum(result.ignore.counts.values())
    return f"Ignored: {total} differences at {len(result.ignore.rules)} ignored path patterns"


def _summary(result: CassetteSetDiff, failing: list[Difference], fail_on: str) -> str:
    if not result.differences:
        return "No differences."
    return (
        f"{len(result.differences)} differences in {result.cassettes_with_differences} cassettes;"
        f" {len(failing)} counted by --fail-on {fail_on}."
    )
