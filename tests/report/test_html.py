"""write_html: a standalone page with the verdict table and escaped, coloured diffs."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from harness.contract import load_contract
from harness.report.deviation import Deviation
from harness.report.html import render_html, write_html
from harness.report.result import ScenarioResult, Verdict

CONTRACT = load_contract("1.3")
TOKEN = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu"
STATUS_TYPE = Deviation(
    "root['status']", "wrong-type", "contract", "string", 404,
    "root['status'] is the integer 404, but the contract requires the string \"404\".",
)
SCRIPT = Deviation(
    "root['name']", "value", "expectation", "payroll", "<script>alert(1)</script>",
    "root['name'] is the string \"<script>alert(1)</script>\", but the scenario expects \"payroll\".",
)
STAGE_MISSING = Deviation(
    "root['stage']", "missing-key", "contract", "present", None, "root['stage'] is missing.",
)
NESTED = Deviation(
    "root['metadata']", "value", "expectation", {"labels": [], "createdBy": "a"},
    {"labels": [], "createdBy": "b"}, "root['metadata'] differs.",
)


def _results() -> list[ScenarioResult]:
    return [
        ScenarioResult("core-created", "", "core", 201, None, "passed", 201),
        ScenarioResult("core-not-found", f"token Bearer {TOKEN}", "core", 404, 2, "failed", 404, 2,
                       deviations=[STATUS_TYPE, SCRIPT, STAGE_MISSING, NESTED]),
        ScenarioResult("app-skip", "", "app", 409, 10, "skipped", message="no app"),
    ]


def _page() -> str:
    results = _results()
    meta = {"contract_version": "1.3", "base_url": "http://127.0.0.1:9/<b>"}
    return render_html(results, Verdict.from_results(results, CONTRACT), meta)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


@pytest.fixture()
def parsed() -> _Collector:
    collector = _Collector()
    collector.feed(_page())
    return collector


def test_no_script_element(parsed):
    assert "script" not in parsed.tags


def test_no_external_assets(parsed):
    assert "src" not in parsed.attributes
    assert "href" not in parsed.attributes
    assert "link" not in parsed.tags


def test_style_inline(parsed):
    assert "style" in parsed.tags


def test_response_text_escaped():
    page = _page()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_meta_escaped():
    assert "http://127.0.0.1:9/&lt;b&gt;" in _page()


def test_failed_scenario_shown_with_path():
    page = _page()

    assert "FAILED core-not-found" in page
    assert "root[&#x27;status&#x27;]" in page


def test_diff_marks_expected_and_actual():
    page = _page()

    assert '<span class="expected">− &quot;string&quot;</span>' in page
    assert '<span class="actual">+ 404</span>' in page


def test_missing_value_shown_absent():
    assert '<span class="actual">+ (absent)</span>' in _page()


def test_nested_diff_keeps_equal_lines():
    page = _page()

    assert '<span class="same">    &quot;labels&quot;: [],</span>' in page
    assert '<span class="actual">+   &quot;createdBy&quot;: &quot;b&quot;</span>' in page


def test_verdict_table_cells():
    page = _page()

    assert '<td class="failed"' in page
    assert '<td class="certified"' in page
    assert "404 problem 2" in page


def test_badge_failed():
    assert '<span class="badge failed">FAILED</span>' in _page()


def test_token_not_written(tmp_path):
    path = tmp_path / "report.html"
    results = _results()

    write_html(path, results, Verdict.from_results(results, CONTRACT), {})

    assert TOKEN not in path.read_text(encoding="utf-8")


def test_skipped_listed():
    assert "<li>app-skip: no app</li>" in _page()
