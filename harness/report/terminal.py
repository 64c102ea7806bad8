"""Plain-text rendering of a run for a terminal: failures first, then the verdict table.

Colors are ANSI escape codes and appear only when the caller asks for them, so the text can
go to files and CI logs unchanged.
"""

from __future__ import annotations

from typing import Callable

from harness.report.deviation import Deviation
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

RESET = "\x1b[0m"
RED = "\x1b[31m"
GREEN = "\x1b[32m"
YELLOW = "\x1b[33m"
MAGENTA = "\x1b[35m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"

_CELL_TEXT = {CERTIFIED: "certified", CELL_FAILED: "FAILED", NOT_COVERED: "not covered"}
_CELL_COLOR = {CERTIFIED: GREEN, CELL_FAILED: RED, NOT_COVERED: YELLOW}
_OPERATION_HEADINGS = {"core": "core path", "app": "app path"}

Painter = Callable[[str, str], str]


def render_results(results: list[ScenarioResult], verdict: Verdict, *, color: bool) -> str:
    """Return the report as text: failed and broken scenarios, the verdict table, a summary.

    Like the other render functions, it returns no final newline, so `click.echo` and
    pytest's `write_line` print it without a blank line after it.
    """
    paint = _painter(color)
    lines: list[str] = []
    for result in results:
        if result.outcome in (FAILED, ERROR):
            lines += _problem_lines(result, paint)
    for result in results:
        if result.outcome == SKIPPED:
            lines.append(paint(f"skipped {result.scenario_id}: {result.message}", DIM))
    passed = sum(1 for result in results if result.outcome == PASSED)
    lines.append(paint(f"{passed} scenarios passed.", GREEN))
    lines.append("")
    lines.append(render_verdict(verdict, color=color))
    return "\n".join(lines)


def render_result(result: ScenarioResult, *, color: bool) -> str:
    """Return one scenario's outcome: a heading line, then its deviations or message indented."""
    paint = _painter(color)
    if result.outcome in (FAILED, ERROR):
        return "\n".join(_problem_lines(result, paint))
    text = f"{result.outcome} {result.scenario_id}{_source(result)}"
    if result.message:
        text += f": {result.message}"
    return text


def render_verdict(verdict: Verdict, *, color: bool) -> str:
    """Return the verdict table followed by the outcome counts and the overall verdict."""
    paint = _painter(color)
    lines = render_verdict_table(verdict, color=color)
    lines.append("")
    lines += _summary_lines(verdict, paint)
    return "\n".join(lines)


def _painter(color: bool) -> Painter:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if color else text
    return paint


def _source(result: ScenarioResult) -> str:
    return f" ({result.source})" if result.source else ""


def _problem_lines(result: ScenarioResult, paint: Painter) -> list[str]:
    """Return the lines of a failed or broken scenario: heading, then indented details."""
    if result.outcome == ERROR:
        heading = f"{paint('ERROR', MAGENTA + BOLD)} {result.scenario_id}{_source(result)}"
    else:
        heading = f"{paint('FAILED', RED + BOLD)} {result.scenario_id}{_source(result)}"
    expected = _label(result.expected_status, result.expected_problem)
    if result.actual_status is not None:
        actual = _label(result.actual_status, result.actual_problem)
        if actual != expected:
            heading += f": expected {expected}, got {actual}"
    if result.replayed:
        heading += " [replayed]"
    lines = [heading]
    for deviation in result.deviations:
        lines.append(f"    {format_deviation(deviation)}")
    if result.message:
        lines.append(f"    {result.message}")
    return lines


def _label(status: int, problem: int | None) -> str:
    return str(status) if problem is None else f"{status} problem {problem}"


def format_deviation(deviation: Deviation) -> str:
    """Return one line naming the path, kind and source of a deviation and its message."""
    tag = f"[{deviation.source} {deviation.kind}]"
    if deviation.message.startswith(deviation.path):
        return f"{deviation.path} {tag}{deviation.message[len(deviation.path):]}"
    return f"{deviation.path} {tag}: {deviation.message}"


def render_verdict_table(verdict: Verdict, *, color: bool) -> list[str]:
    """Return the verdict table: one row per documented response, one column per operation."""
    paint = _painter(color)
    headings = ["response", "title", *(_OPERATION_HEADINGS[op] for op in OPERATIONS)]
    rows = [
        [row[0].label, row[0].title, *(_CELL_TEXT[cell.state] for cell in row)]
        for row in verdict.rows()
    ]
    widths = [max(len(line[i]) for line in [headings, *rows]) for i in range(len(headings))]
    lines = [paint(_join(headings, widths), BOLD)]
    for row, cells in zip(rows, verdict.rows()):
        padded = [text.ljust(width) for text, width in zip(row[:-1], widths)] + [row[-1]]
        for index, cell in enumerate(cells, start=2):
            padded[index] = paint(padded[index], _CELL_COLOR[cell.state])
        lines.append("  ".join(padded))
    return lines


def _join(texts: list[str], widths: list[int]) -> str:
    return "  ".join(text.ljust(width) for text, width in zip(texts, widths)).rstrip()


def _summary_lines(verdict: Verdict, paint: Painter) -> list[str]:
    counts = verdict.counts
    summary = f"{counts[PASSED]} passed, {counts[FAILED]} failed, {counts[SKIPPED]} skipped"
    if counts[ERROR]:
        summary += f", {counts[ERROR]} error" + ("s" if counts[ERROR] > 1 else "")
    cells = verdict.cell_counts()
    cell_summary = (
        f"{cells[CERTIFIED]} of {len(verdict.cells)} cells certified, "
        f"{cells[CELL_FAILED]} failed, {cells[NOT_COVERED]} not covered"
    )
    if verdict.passed:
        outcome = paint("VERDICT: PASSED", GREEN + BOLD)
    else:
        outcome = paint("VERDICT: FAILED", RED + BOLD)
    return [summary, cell_summary, f"{outcome} (contract version {verdict.contract_version})"]
