"""load_yaml gives what PyYAML's safe loader gives, on the YAML features a cassette may contain."""

from __future__ import annotations

import pytest
import yaml

from harness.recording.cassette_yaml import CassetteLoader, dump_yaml, load_yaml

DOCUMENTS = {
    "plain": "a: b\nc: [1, 2.5, true, null, ~, '', 'null']\n",
    "quoted-numbers": "code: '201'\nother: 201\nhex: 0x1F\n",
    "binary": "body: !!binary aGVsbG8=\n",
    "anchors": "base: &b {x: 1}\nuse: *b\n",
    "merge": "base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n",
    "non-string-key": "1: one\ntrue: yes\n",
    "python-str": "a: !!python/str text\n",
    "python-tuple": "a: !!python/tuple [1, 2]\n",
    "timestamp": "when: 2024-01-02T03:04:05Z\n",
    "nested": "interactions:\n- request: {headers: {A: [x, y]}, body: null}\nversion: 1\n",
    "multiline": "s: |\n  line one\n  line two\n",
    "empty": "",
}


@pytest.mark.parametrize("text", list(DOCUMENTS.values()), ids=list(DOCUMENTS))
def test_load_yaml_equals_safe_loader(text):
    assert load_yaml(text) == yaml.load(text, Loader=CassetteLoader)


def test_python_object_tag_rejected():
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: !!python/object/apply:os.system ['true']\n")


def test_invalid_yaml_raises():
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: [1, 2\n")


def test_dump_keeps_non_ascii_and_sorts_keys():
    text = dump_yaml({"z": "é", "a": b"\xff"})
    assert text.index("a:") < text.index("z:")
    assert "é" in text
    assert load_yaml(text) == {"z": "é", "a": b"\xff"}
