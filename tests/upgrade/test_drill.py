"""The upgrade drill: record against a 1.2 server, then a 1.3 server, and diff the cassettes.

The expected differences come from the version history of the resource. Version 1.3 adds
the action failover, allowed at the post stage only, and the body version 1.3 that carries
it. It also adds problem 168 for accounts whose feature settings disable execution hooks.
Problem 162 dates from 1.2, but only a failover request can trigger it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import DRILL_SCENARIOS, Recordings, invoke

# (cassette, kind, path, value in A, value in B) for the shipped suite.
SUITE_DIFFERENCES = [
    # Body version 1.3 is accepted from 1.3 on.
    ("app-created-body-version-1.3.yaml", "only-in-b", "", None, "201"),
    # The failover action, post stage only.
    ("app-created-failover-post.yaml", "only-in-b", "", None, "201"),
    ("app-precedence-conflict-before-failover.yaml", "only-in-b", "", None, "409 problem 10"),
    ("app-problem-162-app-without-failover.yaml", "only-in-b", "", None, "409 problem 162"),
    # Problem 168.
    ("app-problem-168-hooks-disabled.yaml", "only-in-b", "", None, "403 problem 168"),
    ("app-problem-9-failover-pre.yaml", "only-in-b", "", None, "400 problem 9"),
    ("core-created-failover-post.yaml", "only-in-b", "", None, "201"),
    ("core-precedence-hooks-disabled-before-bad-body.yaml", "only-in-b", "", None, "403 problem 168"),
    ("core-problem-162-app-without-failover.yaml", "only-in-b", "", None, "409 problem 162"),
    ("core-problem-168-hooks-disabled.yaml", "only-in-b", "", None, "403 problem 168"),
    # A 1.2 server rejects failover as an unknown action.
    ("core-problem-8-failover-before-1.3.yaml", "only-in-a", "", "400 problem 8", None),
    # The schema failure names the accepted body versions, and 1.3 joined them.
    (
        "core-problem-8-unknown-version.yaml", "changed-value", "response.body['schemaValidationFailure']",
        "version: must be one of 1.0, 1.1, 1.2 (enum)", "version: must be one of 1.0, 1.1, 1.2, 1.3 (enum)",
    ),
    ("core-problem-9-failover-pre.yaml", "only-in-b", "", None, "400 problem 9"),
]

# The drill scenarios send the same requests to both servers, so outcomes change.
DRILL_DIFFERENCES = [
    # Failover on an app that takes no failover hooks: the body first, then problem 162.
    ("drill-failover-app-not-eligible.yaml", "status", "response.status", 400, 409),
    ("drill-failover-app-not-eligible.yaml", "problem-type", "response.body['type']", 8, 162),
    # Failover at the post stage: unknown action at 1.2, created at 1.3.
    ("drill-failover-post.yaml", "status", "response.status", 400, 201),
    ("drill-failover-post.yaml", "problem-type", "response.body['type']", 8, None),
    ("drill-failover-post.yaml", "content-type", "response.headers.content-type",
     "application/problem+json", "application/json"),
    # An account with execution hooks disabled: created at 1.2, problem 168 at 1.3.
    ("drill-hooks-disabled.yaml", "status", "response.status", 201, 403),
    ("drill-hooks-disabled.yaml", "problem-type", "response.body['type']", None, 168),
    ("drill-hooks-disabled.yaml", "content-type", "response.headers.content-type",
     "application/json", "application/problem+json"),
]


def diff_json(folder_a: Path, folder_b: Path, *options: str) -> tuple[int, dict]:
    run = invoke("cassettes", "diff", folder_a, folder_b, "--format", "json", *options)
    return run.exit_code, json.loads(run.output)


def as_tuples(document: dict) -> list[tuple]:
    return sorted(
        (item["cassette"], item["kind"], item["path"], item.get("a"), item.get("b"))
        for item in document["differences"]
    )


def test_suite_drill_documented_differences(recordings: Recordings) -> None:
    before = recordings.get("1.2")
    after = recordings.get("1.3")

    code, document = diff_json(before.folder, after.folder)

    assert before.run.exit_code == 0, before.run.output
    assert after.run.exit_code == 0, after.run.output
    assert as_tuples(document) == sorted(SUITE_DIFFERENCES)
    assert code == 1


def test_suite_drill_has_no_status_change(recordings: Recordings) -> None:
    code, document = diff_json(recordings.get("1.2").folder, recordings.get("1.3").folder, "--fail-on", "status")

    assert document["summary"]["failing"] == 0
    assert code == 0


def test_request_drill_changed_outcomes(recordings: Recordings) -> None:
    before = recordings.get("1.2", scenarios=DRILL_SCENARIOS)
    after = recordings.get("1.3", scenarios=DRILL_SCENARIOS)

    code, document = diff_json(before.folder, after.folder)

    assert after.run.exit_code == 0, after.run.output
    assert sorted(path.name for path in before.folder.iterdir()) == sorted(path.name for path in after.folder.iterdir())
    assert as_tuples(document) == sorted(DRILL_DIFFERENCES)
    assert code == 1


@pytest.mark.parametrize(
    ("fail_on", "exit_code", "failing"),
    [("any", 1, 8), ("status", 1, 6), ("none", 0, 0)],
    ids=["any", "status", "none"],
)
def test_request_drill_fail_on(recordings: Recordings, fail_on: str, exit_code: int, failing: int) -> None:
    before = recordings.get("1.2", scenarios=DRILL_SCENARIOS)
    after = recordings.get("1.3", scenarios=DRILL_SCENARIOS)

    code, document = diff_json(before.folder, after.folder, "--fail-on", fail_on)

    assert document["summary"]["failing"] == failing
    assert document["fail_on"] == fail_on
    assert code == exit_code


def test_request_drill_text_view(recordings: Recordings) -> None:
    before = recordings.get("1.2", scenarios=DRILL_SCENARIOS)
    after = recordings.get("1.3", scenarios=DRILL_SCENARIOS)

    run = invoke("cassettes", "diff", before.folder, after.folder, "--fail-on", "status")
    lines = run.output.splitlines()

    assert lines[0] == f"A: {before.folder} (4 cassettes)"
    assert lines[1] == f"B: {after.folder} (4 cassettes)"
    assert lines[4:] == [
        "drill-failover-app-not-eligible.yaml",
        "  interaction 0: status 400 -> 409",
        "  interaction 0: problem type 8 -> 162",
        "drill-failover-post.yaml",
        "  interaction 0: status 400 -> 201",
        "  interaction 0: problem type 8 -> none",
        '  interaction 0: Content-Type "application/problem+json" -> "application/json"',
        "drill-hooks-disabled.yaml",
        "  interaction 0: status 201 -> 403",
        "  interaction 0: problem type none -> 168",
        '  interaction 0: Content-Type "application/json" -> "application/problem+json"',
        "8 differences in 3 cassettes; 6 counted by --fail-on status.",
    ]
    assert run.exit_code == 1
