"""The `sample` and `generate` commands: output, files, and errors that list allowed values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.generate import command as generate
from harness.cli.sample import command as sample
from harness.samples.rules import RULES


def _invoke(command, arguments: list[str]):
    return CliRunner().invoke(command, arguments)


def test_sample_writes_jsonl() -> None:
    result = _invoke(sample, ["--count", "3", "--seed", "1"])
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert len(lines) == 4
    assert "_generator" in json.loads(lines[0])
    assert json.loads(lines[1])["expected_status"] == 201


def test_sample_invalid_rule() -> None:
    result = _invoke(sample, ["--count", "2", "--invalid", "hookType.netapp"])
    records = [json.loads(line) for line in result.stdout.splitlines()[1:]]
    assert result.exit_code == 0
    assert {record["expected_problem"] for record in records} == {73}
    assert {record["body"]["hookType"] for record in records} == {"netapp"}


def test_sample_not_utf8_as_base64() -> None:
    result = _invoke(sample, ["--count", "1", "--invalid", "body.not-utf8"])
    record = json.loads(result.stdout.splitlines()[1])
    assert result.exit_code == 0
    assert "raw_body_base64" in record
    assert "body" not in record


@pytest.mark.parametrize("arguments", [["--invalid", "list"], ["--list-rules"]], ids=["invalid-list", "flag"])
def test_sample_lists_rules(arguments: list[str]) -> None:
    result = _invoke(sample, arguments)
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(RULES) + 2
    assert "| `hookType.netapp` | 403 | 73 | netapp hook type | 1.1 |" in result.stdout


def test_rule_list_follows_version() -> None:
    result = _invoke(sample, ["--list-rules", "--version", "1.0"])
    assert result.exit_code == 0
    assert "hookType.netapp" not in result.stdout
    assert "hookType.not-in-enum" in result.stdout


def test_sample_writes_output_file(tmp_path: Path) -> None:
    target = tmp_path / "payloads.json"
    result = _invoke(sample, ["--count", "4", "--format", "json", "--output", str(target)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(json.loads(target.read_text(encoding="utf-8"))["samples"]) == 4


def test_sample_reads_variables_file(tmp_path: Path) -> None:
    variables = tmp_path / "variables.yaml"
    variables.write_text(
        "account_id: 11111111-1111-4111-8111-111111111111\n"
        "app_id: 22222222-2222-4222-8222-222222222222\n"
        "failover_app_id: 22222222-2222-4222-8222-222222222222\n"
        "hook_source_id: 33333333-3333-4333-8333-333333333333\n"
    )
    result = _invoke(sample, ["--count", "5", "--variables", str(variables)])
    records = [json.loads(line) for line in result.stdout.splitlines()[1:]]
    assert result.exit_code == 0
    assert {r["body"]["hookSourceID"] for r in records} == {"33333333-3333-4333-8333-333333333333"}


@pytest.mark.parametrize(
    "arguments, expected",
    [
        pytest.param(["--version", "1.9"], "'1.9' is not one of '1.0', '1.1', '1.2', '1.3'", id="version"),
        pytest.param(["--action", "clone"], "'clone' is not one of 'snapshot', 'backup', 'restore', 'failover'",
                     id="action"),
        pytest.param(["--format", "xml"], "'xml' is not one of 'jsonl', 'json'", id="format"),
        pytest.param(["--count", "-2"], "-2 is not in the range x>=0", id="count"),
        pytest.param(["--locale", "xx_YY"], "--locale 'xx_YY' is not a Faker", id="locale"),
        pytest.param(["--invalid", "nope"], "--invalid 'nope' is not a rule id: use one of", id="rule"),
        pytest.param(["--invalid", "account.hooks-disabled", "--version", "1.2"],
                     "needs resource version 1.3 or later", id="rule-version"),
        pytest.param(["--version", "1.2", "--action", "failover"],
                     "--action 'failover' is not an action of resource version 1.2", id="action-version"),
    ],
)
def test_sample_rejects_bad_options(arguments: list[str], expected: str) -> None:
    result = _invoke(sample, arguments)
    assert result.exit_code == 2
    assert expected in result.output


def test_generate_writes_files(tmp_path: Path) -> None:
    result = _invoke(generate, ["--count", "25", "--seed", "4", "--per-file", "10", "--output", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen-s4-001.yaml", "gen-s4-002.yaml", "gen-s4-003.yaml"]
    assert "wrote 25 scenarios in 3 files" in result.stdout


def test_generate_repeats_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        _invoke(generate, ["--count", "40", "--seed", "6", "--locale", "ko_KR", "--output", str(folder)])
    assert (first / "gen-s6-001.yaml").read_bytes() == (second / "gen-s6-001.yaml").read_bytes()


def test_generate_refuses_existing_suite(tmp_path: Path) -> None:
    _invoke(generate, ["--count", "5", "--output", str(tmp_path)])
    result = _invoke(generate, ["--count", "5", "--output", str(tmp_path)])
    assert result.exit_code == 2
    assert "pass --overwrite" in result.output


@pytest.mark.parametrize(
    "arguments, expected",
    [
        pytest.param(["--invalid-share", "2"], "2.0 is not in the range 0.0<=x<=1.0", id="share"),
        pytest.param(["--version", "0.1"], "'0.1' is not one of '1.0', '1.1', '1.2', '1.3'", id="version"),
        pytest.param(["--locale", "en_US", "--locale", "zz"], "--locale 'zz' is not a Faker", id="locale"),
        pytest.param(["--per-file", "0"], "0 is not in the range x>=1", id="per-file"),
    ],
)
def test_generate_rejects_bad_options(tmp_path: Path, arguments: list[str], expected: str) -> None:
    result = _invoke(generate, ["--count", "5", "--output", str(tmp_path), *arguments])
    assert result.exit_code == 2
    assert expected in result.output
