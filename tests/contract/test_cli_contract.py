"""The `contract` command group: show, import and diff, run with click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from deepdiff import DeepDiff

from harness.cli.contract import command
from harness.contract.document import APP_OPERATION, contract_document
from harness.contract.model import Contract

from .openapi_helpers import CORE_PATH, OPENAPI_1_1, OPENAPI_1_3


def invoke(*args: str) -> Result:
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


def test_show_json_is_builtin_document() -> None:
    result = invoke("show")

    assert result.exit_code == 0
    assert json.loads(result.stdout) == contract_document(Contract("1.3"))


def test_show_yaml_of_version() -> None:
    result = invoke("show", "--version", "1.1", "--format", "yaml")

    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout) == contract_document(Contract("1.1"))


def test_show_unknown_version_is_usage_error() -> None:
    result = invoke("show", "--version", "2.0")

    assert result.exit_code == 2
    assert "'2.0' is not one of '1.0', '1.1', '1.2', '1.3'" in result.stderr


def test_import_prints_document_and_warnings() -> None:
    result = invoke("import", str(OPENAPI_1_3))

    assert result.exit_code == 0
    assert DeepDiff(json.loads(result.stdout), contract_document(Contract("1.3"))) == {}
    assert (
        f"warning: {OPENAPI_1_3}: $.components.schemas.uuid.format: format 'uuid'" in result.stderr
    )


def test_import_app_operation() -> None:
    result = invoke("import", str(OPENAPI_1_3), "--operation", APP_OPERATION)

    assert result.exit_code == 0
    assert json.loads(result.stdout)["operation"] == APP_OPERATION


@pytest.mark.parametrize(
    ("name", "output_format", "parse"),
    [
        pytest.param("contract.yaml", None, yaml.safe_load, id="yaml-from-suffix"),
        pytest.param("contract.json", None, json.loads, id="json-from-suffix"),
        pytest.param("contract.txt", "yaml", yaml.safe_load, id="yaml-option"),
    ],
)
def test_import_writes_output_file(
    tmp_path: Path, name: str, output_format: str | None, parse: object
) -> None:
    output = tmp_path / name
    args = ["import", str(OPENAPI_1_1), "--output", str(output)]
    if output_format:
        args += ["--format", output_format]

    result = invoke(*args)

    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"wrote {output} (2 warnings)" in result.stderr
    assert parse(output.read_text(encoding="utf-8")) == contract_document(Contract("1.1"))  # type: ignore[operator]


def test_import_unknown_operation_exits_2() -> None:
    result = invoke("import", str(OPENAPI_1_3), "--operation", "POST /nowhere")

    assert result.exit_code == 2
    assert f"{OPENAPI_1_3}: $.paths: operation not found (found 'POST /nowhere')" in result.stderr
    assert f"POST {CORE_PATH}" in result.stderr


def test_import_missing_file_exits_2(tmp_path: Path) -> None:
    result = invoke("import", str(tmp_path / "absent.yaml"))

    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_import_unwritable_output_exits_2(tmp_path: Path) -> None:
    result = invoke("import", str(OPENAPI_1_1), "--output", str(tmp_path / "no-folder" / "c.json"))

    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def test_diff_versions_fails_on_breaking() -> None:
    result = invoke("diff", "1.1", "1.3")

    assert result.exit_code == 1
    assert result.stdout.startswith("16 changes from 1.1 to 1.3")
    assert "- added-problem [breaks clients] $.problems['162']" in result.stdout


def test_diff_json_format() -> None:
    result = invoke("diff", "1.1", "1.3", "--format", "json", "--fail-on", "none")

    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["summary"]["changes"] == 16
    assert report["changes"][0]["kind"] == "added-version"


@pytest.mark.parametrize(
    ("fail_on", "exit_code"),
    [
        pytest.param("any", 1, id="any"),
        pytest.param("breaking", 1, id="breaking"),
        pytest.param("breaking-clients", 0, id="clients"),
        pytest.param("breaking-servers", 1, id="servers"),
        pytest.param("none", 0, id="none"),
    ],
)
def test_diff_fail_on(tmp_path: Path, fail_on: str, exit_code: int) -> None:
    new = contract_document(Contract("1.3"))
    new["stages"]["restore"] = ["pre", "post"]
    path = tmp_path / "relaxed.json"
    path.write_text(json.dumps(new), encoding="utf-8")

    result = invoke("diff", "1.3", str(path), "--fail-on", fail_on)

    assert result.exit_code == exit_code
    assert "stage-rule-changed [breaks servers] $.stages.restore" in result.stdout


def test_diff_identical_exits_0() -> None:
    result = invoke("diff", "1.2", "1.2", "--fail-on", "any")

    assert result.exit_code == 0
    assert result.stdout == "No changes from 1.2 to 1.2.\n"


def test_diff_builtin_with_openapi_file() -> None:
    result = invoke("diff", "1.1", str(OPENAPI_1_1))

    assert result.exit_code == 0
    assert result.stdout == f"No changes from 1.1 to {OPENAPI_1_1}.\n"
    assert "x-allowed-stages" in result.stderr


def test_diff_saved_document(tmp_path: Path) -> None:
    saved = tmp_path / "saved.yaml"
    assert invoke("import", str(OPENAPI_1_3), "--output", str(saved)).exit_code == 0

    result = invoke("diff", str(saved), "1.3", "--fail-on", "any")

    assert result.exit_code == 0


def test_diff_unknown_source_exits_2() -> None:
    result = invoke("diff", "1.9", "1.3")

    assert result.exit_code == 2
    assert (
        "OLD '1.9' is neither a known version (1.0, 1.1, 1.2, 1.3) nor an existing file"
        in result.stderr
    )


def test_diff_invalid_document_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"documentFormat": "hook-harness-contract/1"}), encoding="utf-8")

    result = invoke("diff", "1.3", str(path))

    assert result.exit_code == 2
    assert f"{path}: $: invalid contract document" in result.stderr


def test_diff_invalid_yaml_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("a: [1\n", encoding="utf-8")

    result = invoke("diff", str(path), "1.3")

    assert result.exit_code == 2
    assert "invalid YAML at line" in result.stderr


def test_diff_bad_fail_on_is_usage_error() -> None:
    result = invoke("diff", "1.1", "1.3", "--fail-on", "sometimes")

    assert result.exit_code == 2
