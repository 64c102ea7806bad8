"""Cassette file names from scenario ids, and ids that would share a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.recording.paths import cassette_file_name, cassette_path, find_path_collisions


@pytest.mark.parametrize(
    ("scenario_id", "expected"),
    [
        ("create-hook_owner.v1", "create-hook_owner.v1.yaml"),
        ("create/owner hook", "create_owner_hook.yaml"),
        ("../../etc/passwd", "_.._.._etc_passwd.yaml"),
        (".hidden", "_.hidden.yaml"),
        ("CON", "_CON.yaml"),
        ("nul.create", "_nul.create.yaml"),
        ("créer", "cr_er.yaml"),
        ("a::b[1]", "a__b_1_.yaml"),
    ],
    ids=["plain", "slash-space", "traversal", "leading-dot", "windows-device", "device-with-dot", "non-ascii", "pytest-like"],
)
def test_cassette_file_name_sanitised(scenario_id, expected):
    assert cassette_file_name(scenario_id) == expected


def test_cassette_path_stays_in_folder(tmp_path):
    path = cassette_path(tmp_path, "../outside/x")
    assert path.parent == tmp_path
    assert path.resolve().is_relative_to(tmp_path.resolve())


def test_cassette_path_accepts_str_folder(tmp_path):
    assert cassette_path(str(tmp_path), "a") == Path(tmp_path) / "a.yaml"


def test_long_id_is_cut_with_digest():
    first = cassette_file_name("x" * 300 + "1")
    second = cassette_file_name("x" * 300 + "2")
    assert len(first.encode("utf-8")) < 255
    assert first != second


@pytest.mark.parametrize("scenario_id", ["", "   ", None], ids=["empty", "blank", "none"])
def test_invalid_id_rejected(scenario_id):
    with pytest.raises(ValueError, match="non-empty id"):
        cassette_file_name(scenario_id)


def test_collisions_found_after_sanitising():
    assert find_path_collisions(["a b", "a_b", "c"]) == [("a b", "a_b")]


def test_collisions_found_case_insensitively():
    assert find_path_collisions(["Create", "create"]) == [("Create", "create")]


def test_duplicate_id_collides_with_itself():
    assert find_path_collisions(["x", "x"]) == [("x", "x")]


def test_distinct_ids_do_not_collide():
    assert find_path_collisions(["create/a", "create/b", "create-a"]) == []


def test_collisions_accept_generator():
    assert find_path_collisions(scenario for scenario in ["q?", "q*"]) == [("q?", "q*")]
