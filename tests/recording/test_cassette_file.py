"""The cassette file: strict reads, atomic UTF-8 writes, vcrpy's format."""

from __future__ import annotations

import os

import pytest
import yaml

from harness.recording.cassette_file import dump_interactions, load_cassette_file, write_atomically
from harness.recording.errors import CassetteCorruptError


def interaction(body: bytes | None = b'{"name": "a"}', response_body: bytes = b'{"id": "1"}', status: int = 201):
    request = {
        "method": "POST",
        "uri": "http://127.0.0.1:1/hooks",
        "body": body,
        "headers": {"Content-Type": ["application/json"]},
    }
    response = {
        "status": {"code": status, "message": "Created"},
        "headers": {"Content-Type": ["application/json"]},
        "body": {"string": response_body},
    }
    return request, response


def write_valid(path, count=2):
    path.write_bytes(dump_interactions([interaction(response_body=str(i).encode()) for i in range(count)]))


def test_round_trip(tmp_path):
    path = tmp_path / "c.yaml"
    write_valid(path, 3)
    loaded = load_cassette_file(path)
    assert len(loaded) == 3
    assert [response["body"]["string"] for _, response in loaded] == [b"0", b"1", b"2"]
    assert loaded[0][0]["headers"] == {"Content-Type": ["application/json"]}


@pytest.mark.parametrize(
    "body",
    [
        "héllo wörld ✓ 日本".encode(),
        b"\x00\x01\xff\xfe binary",
        b"line1\r\nline2\n\ttab  ",
        "\u2028\u0085\ufeff".encode(),
        b"",
        b"   leading and trailing spaces   ",
        b"- looks: like yaml\n",
    ],
    ids=["non-ascii", "binary", "crlf-tab", "unicode-breaks", "empty", "spaces", "yaml-like"],
)
def test_bodies_round_trip_exactly(tmp_path, body):
    path = tmp_path / "c.yaml"
    path.write_bytes(dump_interactions([interaction(body=body, response_body=body)]))
    request, response = load_cassette_file(path)[0]
    assert request["body"] == body
    assert response["body"]["string"] == body


def test_non_ascii_written_as_utf8(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(dump_interactions([interaction(response_body="café".encode())]))
    assert "café" in path.read_bytes().decode("utf-8")


def test_version_written_last(tmp_path):
    path = tmp_path / "c.yaml"
    write_valid(path)
    assert path.read_text(encoding="utf-8").rstrip().endswith("version: 1")


def test_plain_vcrpy_reads_file(tmp_path):
    from vcr.persisters.filesystem import FilesystemPersister
    from vcr.serializers import yamlserializer

    path = tmp_path / "c.yaml"
    write_valid(path, 2)
    requests_, responses = FilesystemPersister.load_cassette(path, yamlserializer)
    assert [request.method for request in requests_] == ["POST", "POST"]
    assert responses[1]["body"]["string"] == b"1"


def _truncated(path):
    write_valid(path, 3)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _cut_at_interaction(path):
    write_valid(path, 3)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.rindex("- request:")], encoding="utf-8")


CORRUPTIONS = {
    "empty": (lambda path: path.write_bytes(b""), "empty"),
    "whitespace": (lambda path: path.write_bytes(b"  \n"), "empty"),
    "truncated-mid": (_truncated, ""),
    "truncated-at-item": (_cut_at_interaction, "truncated"),
    "invalid-yaml": (lambda path: path.write_text("interactions: [\n  - {", encoding="utf-8"), "invalid YAML"),
    "not-utf8": (lambda path: path.write_bytes(b"interactions: []\nversion: 1\n# \xff\xfe\n"), "UTF-8"),
    "list-top": (lambda path: path.write_text("- a\n- b\n", encoding="utf-8"), "not a mapping"),
    "wrong-version": (lambda path: path.write_text("interactions: []\nversion: 2\n", encoding="utf-8"), "version"),
    "interactions-not-list": (lambda path: path.write_text("interactions: 3\nversion: 1\n", encoding="utf-8"), "not a list"),
    "no-status": (
        lambda path: path.write_text(
            "interactions:\n- request: {method: GET, uri: 'http://h/', body: null, headers: {}}\n"
            "  response: {headers: {}, body: {string: ''}}\nversion: 1\n",
            encoding="utf-8",
        ),
        "interaction 0: response.status.code",
    ),
    "python-object-tag": (
        lambda path: path.write_text("interactions: !!python/object/apply:os.system ['true']\nversion: 1\n", encoding="utf-8"),
        "invalid YAML",
    ),
}


@pytest.mark.parametrize("corrupt", list(CORRUPTIONS.values()), ids=list(CORRUPTIONS))
def test_corrupt_file_raises_naming_path(tmp_path, corrupt):
    make, detail = corrupt
    path = tmp_path / "broken.yaml"
    make(path)
    with pytest.raises(CassetteCorruptError) as caught:
        load_cassette_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert detail in message
    assert "--record-mode all" in message


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_cassette_file(tmp_path / "absent.yaml")


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "sub" / "c.yaml"
    write_atomically(path, b"first")
    write_atomically(path, b"second")
    assert path.read_bytes() == b"second"
    assert sorted(p.name for p in path.parent.iterdir()) == ["c.yaml"]


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"old content")

    def failing_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_atomically(path, b"new content")
    assert path.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]


def test_atomic_write_fsyncs_before_rename(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b))[1])
    write_atomically(tmp_path / "c.yaml", b"data")
    assert calls.index("fsync") < calls.index("replace")


def test_dumped_file_is_safe_yaml(tmp_path):
    path = tmp_path / "c.yaml"
    write_valid(path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert set(document["interactions"][0]) == {"request", "response"}
