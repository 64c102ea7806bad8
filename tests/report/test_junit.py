"""write_junit: parseable JUnit XML, one testcase per scenario, deviations in failures."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from harness.report.deviation import Deviation
from harness.report.junit import write_junit
from harness.report.result import ScenarioResult

TOKEN = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu"
STAGE_MISSING = Deviation(
    "root['stage']", "missing-key", "contract", "present", None,
    "root['stage'] is missing, but the contract requires it in a 201 body.",
)
ODD_TEXT = Deviation(
    "root['detail']", "value", "expectation", "x", "a\x00b <&>",
    f"root['detail'] is \"a\x00b <&>\" from Bearer {TOKEN}.",
)


def _results() -> list[ScenarioResult]:
    return [
        ScenarioResult("core-created", "", "core", 201, None, "passed", 201, duration=0.5),
        ScenarioResult("core-missing-stage", "", "core", 201, None, "failed", 201,
                       deviations=[STAGE_MISSING, ODD_TEXT], source="scenarios/create.yaml"),
        ScenarioResult("app-conflict", "", "app", 409, 10, "skipped", message="no app_id variable"),
        ScenarioResult("core-down", "", "core", 400, 8, "error", message="connection refused"),
    ]


@pytest.fixture()
def tree(tmp_path) -> ElementTree.Element:
    path = tmp_path / "junit.xml"
    write_junit(path, _results())
    return ElementTree.parse(path).getroot()


def _case(tree: ElementTree.Element, name: str) -> ElementTree.Element:
    [case] = [case for case in tree.iter("testcase") if case.get("name") == name]
    return case


def test_one_testcase_per_scenario(tree):
    names = [case.get("name") for case in tree.iter("testcase")]

    assert names == ["core-created", "core-missing-stage", "app-conflict", "core-down"]


def test_suite_counts(tree):
    suite = tree.find("testsuite")

    assert suite.get("tests") == "4"
    assert suite.get("failures") == "1"
    assert suite.get("errors") == "1"
    assert suite.get("skipped") == "1"


def test_passed_case_has_no_children(tree):
    assert list(_case(tree, "core-created")) == []


def test_failure_lists_deviations(tree):
    failure = _case(tree, "core-missing-stage").find("failure")

    assert failure.get("message").startswith("2 deviations, first: root['stage'] is missing")
    assert "root['stage'] [contract missing-key]" in failure.text
    assert "root['detail'] [expectation value]" in failure.text


def test_invalid_xml_characters_replaced(tree):
    failure = _case(tree, "core-missing-stage").find("failure")

    assert "a\ufffdb <&>" in failure.text


def test_token_not_written(tmp_path):
    path = tmp_path / "junit.xml"

    write_junit(path, _results())

    assert TOKEN not in path.read_text(encoding="utf-8")


def test_skipped_and_error_elements(tree):
    assert _case(tree, "app-conflict").find("skipped").get("message") == "no app_id variable"
    assert _case(tree, "core-down").find("error").get("message") == "connection refused"


def test_classname_names_operation(tree):
    assert _case(tree, "app-conflict").get("classname") == "hook-harness.app"


def test_file_attribute_from_source(tree):
    assert _case(tree, "core-missing-stage").get("file") == "scenarios/create.yaml"
