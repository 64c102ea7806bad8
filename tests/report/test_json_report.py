"""write_json_report: atomic file, metadata, results and no bearer token."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import pytest

from harness.contract import load_contract
from harness.report import files
from harness.report.deviation import Deviation
from harness.report.json_report import build_meta, strip_credentials, write_json_report
from harness.report.result import ScenarioResult, Verdict

CONTRACT = load_contract("1.3")
TOKEN = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl"
SHORT_TOKEN = "abc123"


def _results() -> list[ScenarioResult]:
    echoed = Deviation(
        "root['detail']", "value", "expectation", "The supplied bearer token is invalid.",
        f"token Bearer {TOKEN} rejected",
        f"root['detail'] is the string \"token Bearer {TOKEN} rejected\", but ...",
    )
    header_echo = Deviation(
        "root['echo']", "unexpected-key", "expectation", None,
        {"Authorization": f"Bearer {SHORT_TOKEN}", "note": f"raw {SHORT_TOKEN}"}, "echoed",
    )
    return [
        ScenarioResult("core-created", "create a hook", "core", 201, None, "passed", 201),
        ScenarioResult("core-bad-token", "bad token", "core", 401, 4, "failed", 401, 4,
                       deviations=[echoed, header_echo], cassette="cassettes/core-bad-token.yaml"),
    ]


def _meta() -> dict:
    moment = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    return build_meta(CONTRACT, base_url="https://user:pw@astra.example/", record_mode="none", now=moment)


@pytest.fixture()
def written(tmp_path):
    results = _results()
    path = tmp_path / "out" / "report.json"
    write_json_report(path, results, Verdict.from_results(results, CONTRACT), _meta(), secrets=[SHORT_TOKEN])
    return path


def test_report_is_json_document(written):
    document = json.loads(written.read_text(encoding="utf-8"))

    assert document["format"] == "hook-harness-report"
    assert [r["scenario_id"] for r in document["results"]] == ["core-created", "core-bad-token"]


def test_meta_written(written):
    meta = json.loads(written.read_text(encoding="utf-8"))["meta"]

    assert meta["contract_version"] == "1.3"
    assert meta["contract_digest"] == CONTRACT.digest()
    assert meta["record_mode"] == "none"
    assert meta["timestamp"] == "2024-05-01T12:00:00Z"
    assert meta["tool"] == "hook-harness"
    assert meta["tool_version"]


def test_base_url_without_credentials(written):
    meta = json.loads(written.read_text(encoding="utf-8"))["meta"]

    assert meta["base_url"] == "https://astra.example/"


def test_verdict_written(written):
    verdict = json.loads(written.read_text(encoding="utf-8"))["verdict"]

    assert verdict["passed"] is False
    assert verdict["counts"]["failed"] == 1


def test_deviation_paths_written(written):
    results = json.loads(written.read_text(encoding="utf-8"))["results"]

    assert results[1]["deviations"][0]["path"] == "root['detail']"


def test_bearer_token_never_written(written):
    text = written.read_text(encoding="utf-8")

    assert TOKEN not in text
    assert SHORT_TOKEN not in text


def test_authorization_value_redacted(written):
    results = json.loads(written.read_text(encoding="utf-8"))["results"]

    assert results[1]["deviations"][1]["actual"]["Authorization"] == "<redacted>"


def test_prose_about_tokens_kept(written):
    results = json.loads(written.read_text(encoding="utf-8"))["results"]

    assert results[1]["deviations"][0]["expected"] == "The supplied bearer token is invalid."


def test_meta_authorization_redacted(tmp_path):
    path = tmp_path / "report.json"
    meta = {"Authorization": f"Bearer {TOKEN}", "target": "x"}

    write_json_report(path, [], Verdict.from_results([], CONTRACT), meta)

    assert json.loads(path.read_text(encoding="utf-8"))["meta"]["Authorization"] == "<redacted>"


def test_no_temporary_file_left(written):
    assert sorted(os.listdir(written.parent)) == ["report.json"]


def test_failed_write_keeps_old_report(tmp_path, monkeypatch):
    path = tmp_path / "report.json"
    path.write_text("old", encoding="utf-8")

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)

    with pytest.raises(OSError, match="disk full"):
        write_json_report(path, [], Verdict.from_results([], CONTRACT), {})

    assert path.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.json"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://astra.example/", "https://astra.example/"),
        ("https://user:pw@astra.example:8443/api", "https://astra.example:8443/api"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ],
    ids=["plain", "user-and-port", "no-credentials-with-port"],
)
def test_strip_credentials(url, expected):
    assert strip_credentials(url) == expected
