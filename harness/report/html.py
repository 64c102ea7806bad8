"""A standalone HTML page of a run: verdict table and each failure as an expected/actual diff.

The page has inline CSS and no scripts, links or other external assets, so it opens from a
CI artifact store or an e-mail as it is. Every value taken from a result is HTML-escaped,
because response bodies come from the server under test.
"""

from __future__ import annotations

import difflib
import json
import logging
from html import escape
from pathlib import Path
from typing import Any, Iterable

from harness.report.deviation import Deviation, json_safe
from harness.report.files import write_atomically
from harness.report.redaction import redact, redact_text
from harness.report.result import (
    CELL_FAILED,
    CERTIFIED,
    ERROR,
    FAILED,
    NOT_COVERED,
    OPERATIONS,
    PASSED,
    SKIPPED,
    ScenarioResult,
    Verdict,
)

logger = logging.getLogger(__name__)

# Kinds whose `actual` None means "not there" rather than the JSON value null.
_ABSENT_ACTUAL = {"missing-key", "missing-header", "missing-item"}
# Kinds whose `expected` None means "must not be there".
_ABSENT_EXPECTED = {"forbidden-key", "unexpected-key", "unexpected-item"}
_ABSENT = "(absent)"

_CELL_TEXT = {CERTIFIED: "certified", CELL_FAILED: "FAILED", NOT_COVERED: "not covered"}
_CELL_CLASS = {CERTIFIED: "certified", CELL_FAILED: "failed", NOT_COVERED: "uncovered"}

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
h1 .badge { font-size: 0.6em; padding: 0.2em 0.6em; border-radius: 0.3em; color: #fff; }
.badge.passed { background: #1a7f37; } .badge.failed { background: #cf222e; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
td.certified { background: #dafbe1; } td.failed { background: #ffebe9; font-weight: bold; }
td.uncovered { background: #fff8c5; }
section.scenario { border-left: 4px solid #cf222e; padding-left: 1em; margin: 1.5em 0; }
section.scenario.error { border-color: #8250df; }
.deviation { margin: 0.8em 0; } .path { font-family: monospace; font-weight: bold; }
.kind { font-family: monospace; color: #57606a; margin-left: 0.5em; }
pre.diff { background: #f6f8fa; padding: 0.5em; margin: 0.3em 0; white-space: pre-wrap; }
pre.diff .expected { background: #dafbe1; color: #116329; display: block; }
pre.diff .actual { background: #ffebe9; color: #82071e; display: block; }
pre.diff .same { display: block; color: #57606a; }
.muted { color: #57606a; }
"""


def write_html(
    path: str | Path,
    results: list[ScenarioResult],
    verdict: Verdict,
    meta: dict[str, Any],
    *,
    secrets: Iterable[str] = (),
) -> Path:
    """Write the HTML report to `path` atomically and return the path."""
    target = Path(path)
    write_atomically(target, render_html(results, verdict, meta, secrets=secrets))
    logger.info("wrote HTML report of %d scenarios to %s", len(results), target)
    return target


def render_html(
    results: list[ScenarioResult], verdict: Verdict, meta: dict[str, Any], *, secrets: Iterable[str] = ()
) -> str:
    """Return the report as one HTML document with credentials replaced by "<redacted>"."""
    secret_list = list(secrets)
    outcome = "passed" if verdict.passed else "failed"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>hook-harness report</title>",
        f"<style>{_STYLE}</style></head><body>",
        f'<h1>Execution hook contract report <span class="badge {outcome}">{outcome.upper()}</span></h1>',
        f"<p>{escape(_summary(verdict))}</p>",
        _meta_table(redact(json_safe(meta), secret_list)),
        "<h2>Verdict</h2>",
        _verdict_table(verdict),
        *_failure_sections(results, secret_list),
        *_other_lists(results, secret_list),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _summary(verdict: Verdict) -> str:
    counts = verdict.counts
    cells = verdict.cell_counts()
    return (
        f"{counts[PASSED]} passed, {counts[FAILED]} failed, {counts[SKIPPED]} skipped, "
        f"{counts[ERROR]} errors. {cells[CERTIFIED]} of {len(verdict.cells)} cells certified "
        f"at contract version {verdict.contract_version}."
    )


def _meta_table(meta: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{escape(str(key))}</th><td>{escape(_text(value))}</td></tr>"
        for key, value in meta.items()
    )
    return f'<table class="meta">{rows}</table>'


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _verdict_table(verdict: Verdict) -> str:
    heading = "".join(f"<th>{escape(operation)} path</th>" for operation in OPERATIONS)
    rows = [f"<tr><th>response</th><th>title</th>{heading}</tr>"]
    for cells in verdict.rows():
        first = cells[0]
        columns = "".join(
            f'<td class="{_CELL_CLASS[cell.state]}" title="{escape(", ".join(cell.scenario_ids))}">'
            f"{_CELL_TEXT[cell.state]}</td>"
            for cell in cells
        )
        rows.append(f"<tr><td>{escape(first.label)}</td><td>{escape(first.title)}</td>{columns}</tr>")
    return '<table class="verdict">' + "".join(rows) + "</table>"


def _failure_sections(results: list[ScenarioResult], secrets: list[str]) -> list[str]:
    failed = [result for result in results if result.outcome in (FAILED, ERROR)]
    if not failed:
        return []
    return ["<h2>Failed scenarios</h2>", *(_scenario_section(result, secrets) for result in failed)]


def _scenario_section(result: ScenarioResult, secrets: list[str]) -> str:
    css = "scenario error" if result.outcome == ERROR else "scenario"
    source = f' <span class="muted">{escape(str(result.source))}</span>' if result.source else ""
    status = f"expected {_label(result.expected_status, result.expected_problem)}"
    if result.actual_status is not None:
        status += f", got {_label(result.actual_status, result.actual_problem)}"
    parts = [
        f'<section class="{css}">',
        f"<h3>{escape(result.outcome.upper())} {escape(result.scenario_id)}{source}</h3>",
        f"<p>{escape(redact_text(result.description, secrets))} "
        f'<span class="muted">{escape(status)}</span></p>',
    ]
    if result.message:
        parts.append(f"<p>{escape(redact_text(result.message, secrets))}</p>")
    parts += [_deviation_block(deviation, secrets) for deviation in result.deviations]
    parts.append("</section>")
    return "\n".join(parts)


def _label(status: int, problem: int | None) -> str:
    return str(status) if problem is None else f"{status} problem {problem}"


def _deviation_block(deviation: Deviation, secrets: list[str]) -> str:
    clean = redact(deviation.to_dict(), secrets)
    return (
        '<div class="deviation">'
        f'<p><span class="path">{escape(clean["path"])}</span>'
        f'<span class="kind">{escape(clean["kind"])} · {escape(clean["source"])}</span></p>'
        f"<p>{escape(clean['message'])}</p>"
        f"{_diff(deviation.kind, clean['expected'], clean['actual'])}"
        "</div>"
    )


def _diff(kind: str, expected: Any, actual: Any) -> str:
    """Return a line diff of the expected and actual values: − expected, + actual."""
    expected_lines = _value_lines(expected, absent=expected is None and kind in _ABSENT_EXPECTED)
    actual_lines = _value_lines(actual, absent=actual is None and kind in _ABSENT_ACTUAL)
    classes = {"- ": ("expected", "−"), "+ ": ("actual", "+"), "  ": ("same", " ")}
    lines = []
    for line in difflib.ndiff(expected_lines, actual_lines):
        css, sign = classes.get(line[:2], (None, ""))
        if css is not None:
            lines.append(f'<span class="{css}">{sign} {escape(line[2:])}</span>')
    return '<pre class="diff">' + "".join(lines) + "</pre>"


def _value_lines(value: Any, *, absent: bool) -> list[str]:
    if absent:
        return [_ABSENT]
    return json.dumps(value, indent=2, ensure_ascii=False).splitlines()


def _other_lists(results: list[ScenarioResult], secrets: list[str]) -> list[str]:
    parts = []
    skipped = [result for result in results if result.outcome == SKIPPED]
    if skipped:
        items = "".join(
            f"<li>{escape(result.scenario_id)}: {escape(redact_text(result.message, secrets))}</li>"
            for result in skipped
        )
        parts.append(f"<h2>Skipped scenarios</h2><ul>{items}</ul>")
    passed = [result for result in results if result.outcome == PASSED]
    if passed:
        items = "".join(f"<li>{escape(result.scenario_id)}</li>" for result in passed)
        parts.append(f"<h2>Passed scenarios</h2><ul>{items}</ul>")
    return parts
