"""Loading JSON and YAML data files, and JSON paths in errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.contract import datafile
from harness.contract.datafile import (
    ContractFileError,
    format_json_path,
    load_data_file,
    short_repr,
)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        pytest.param((), "$", id="root"),
        pytest.param(
            ("components", "schemas", "uuid"), "$.components.schemas.uuid", id="identifiers"
        ),
        pytest.param(("paths", "/a/{id}", "post"), "$.paths['/a/{id}'].post", id="path-key"),
        pytest.param(("responses", "201"), "$.responses['201']", id="status-key"),
        pytest.param(("allOf", 0, "type"), "$.allOf[0].type", id="index"),
        pytest.param(("x-it's",), "$['x-it\\'s']", id="quote-escaped"),
    ],
)
def test_format_json_path(parts: tuple[str | int, ...], expected: str) -> None:
    assert format_json_path(parts) == expected


def test_short_repr_cuts_long_values() -> None:
    text = short_repr("x" * 1000)

    assert len(text) == 200
    assert text.endswith("...")


def test_error_message_has_place_value_and_fix() -> None:
    error = ContractFileError("api.yaml", "$.paths", "operation not found", "GET /x", "Use POST.")

    assert str(error) == "api.yaml: $.paths: operation not found (found 'GET /x'). Use POST."


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param("doc.json", '{"a": [1, 2]}', id="json-suffix"),
        pytest.param("doc.yaml", "a: [1, 2]\n", id="yaml-suffix"),
        pytest.param("doc.txt", '  {"a": [1, 2]}', id="json-sniffed"),
        pytest.param("doc", "a:\n  - 1\n  - 2\n", id="yaml-sniffed"),
    ],
)
def test_load_json_or_yaml(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")

    assert load_data_file(path) == {"a": [1, 2]}


def test_invalid_json_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "a": 1,\n  "b": \n}', encoding="utf-8")

    with pytest.raises(ContractFileError) as raised:
        load_data_file(path)

    assert raised.value.file == str(path)
    assert "invalid JSON at line 4" in raised.value.problem


def test_invalid_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [1, 2\nc: 3\n", encoding="utf-8")

    with pytest.raises(ContractFileError) as raised:
        load_data_file(path)

    assert raised.value.problem.startswith("invalid YAML at line")


def test_non_utf8_file_rejected(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))

    with pytest.raises(ContractFileError) as raised:
        load_data_file(path)

    assert "UTF-8" in raised.value.problem


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
def test_yaml_loader_prefers_c_loader() -> None:
    assert datafile.yaml_loader() is yaml.CSafeLoader


def test_yaml_loader_falls_back_without_libyaml(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    path = tmp_path / "doc.yaml"
    path.write_text("a: 1\n", encoding="utf-8")

    assert datafile.yaml_loader() is yaml.SafeLoader
    assert load_data_file(path) == {"a": 1}
