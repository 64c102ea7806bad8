"""JUnit XML of a run, for CI systems that show test results: one testcase per scenario.

The layout follows the common JUnit XML form that Jenkins, GitLab and GitHub readers take:
`testsuites > testsuite > testcase`, with `failure`, `error` or `skipped` inside a testcase.
A failure's message attribute gives the first deviation and its text lists them all.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Iterable

from harness.report.deviation import Deviation
from harness.report.files import write_atomically
from harness.report.redaction import redact_text
from harness.report.result import ERROR, FAILED, SKIPPED, ScenarioResult

logger = logging.getLogger(__name__)

SUITE_NAME = "hook-harness"

# Characters XML 1.0 forbids even when escaped: C0 controls other than tab, LF and CR,
# lone surrogates, and U+FFFE and U+FFFF.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write_junit(path: str | Path, results: list[ScenarioResult], *, secrets: Iterable[str] = ()) -> Path:
    """Write the results as JUnit XML to `path` atomically and return the path.

    Characters that XML cannot carry are replaced by U+FFFD, and credentials by "<redacted>".
    """
    target = Path(path)
    document = build_junit(results, secrets)
    text = ElementTree.tostring(document, encoding="unicode", xml_declaration=False)
    write_atomically(target, '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n")
    logger.info("wrote JUnit XML of %d scenarios to %s", len(results), target)
    return target


def build_junit(results: list[ScenarioResult], secrets: Iterable[str] = ()) -> ElementTree.Element:
    """Return the `testsuites` element of the results."""
    secret_list = list(secrets)
    counts = _counts(results)
    total_time = f"{sum(result.duration for result in results):.3f}"
    root = ElementTree.Element("testsuites", {"name": SUITE_NAME, **counts, "time": total_time})
    suite = ElementTree.SubElement(root, "testsuite", {"name": SUITE_NAME, **counts, "time": total_time})
    for result in results:
        suite.append(_testcase(result, secret_list))
    return root


def _counts(results: list[ScenarioResult]) -> dict[str, str]:
    return {
        "tests": str(len(results)),
        "failures": str(sum(1 for result in results if result.outcome == FAILED)),
        "errors": str(sum(1 for result in results if result.outcome == ERROR)),
        "skipped": str(sum(1 for result in results if result.outcome == SKIPPED)),
    }


def _clean(text: str, secrets: list[str]) -> str:
    return _INVALID_XML.sub("\ufffd", redact_text(text, secrets))


def _testcase(result: ScenarioResult, secrets: list[str]) -> ElementTree.Element:
    attributes = {
        "classname": f"{SUITE_NAME}.{result.operation}",
        "name": _clean(result.scenario_id, secrets),
        "time": f"{result.duration:.3f}",
    }
    if result.source:
        attributes["file"] = _clean(str(result.source), secrets)
    case = ElementTree.Element("testcase", attributes)
    if result.outcome == FAILED:
        failure = ElementTree.SubElement(case, "failure", {
            "message": _clean(_failure_message(result), secrets),
            "type": "deviation",
        })
        failure.text = _clean(_failure_text(result), secrets)
    elif result.outcome == ERROR:
        message = _clean(result.message, secrets)
        error = ElementTree.SubElement(case, "error", {"message": message, "type": "error"})
        error.text = message
    elif result.outcome == SKIPPED:
        ElementTree.SubElement(case, "skipped", {"message": _clean(result.message, secrets)})
    return case


def _failure_message(result: ScenarioResult) -> str:
    if not result.deviations:
        return result.message or "failed"
    count = len(result.deviations)
    first = result.deviations[0].message
    return first if count == 1 else f"{count} deviations, first: {first}"


def _failure_text(result: ScenarioResult) -> str:
    lines = [_deviation_line(deviation) for deviation in result.deviations]
    if result.message:
        lines.append(result.message)
    return "\n".join(lines)


def _deviation_line(deviation: Deviation) -> str:
    return f"{deviation.path} [{deviation.source} {deviation.kind}]: {deviation.message}"
