"""Unit tests of the SQLite hook store behind `--state FILE`."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.server.sqlite_store import STATE_FORMAT, SqliteHookStore, StateFileError
from harness.server.store import MemoryHookStore, open_store

ACCOUNT = "f92c7bbf-cf45-401d-8e1c-d7ac4822de56"
OTHER = "ea722987-07db-40a6-82fb-1900a3ca009d"


def document(hook_id: str, name: str) -> bytes:
    return json.dumps({"id": hook_id, "name": name}).encode()


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / "hooks.db"


@pytest.fixture
def store(state_path: Path) -> Iterator[SqliteHookStore]:
    opened = SqliteHookStore(state_path)
    yield opened
    opened.close()


def test_insert_get(store: SqliteHookStore) -> None:
    assert store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    assert store.get(ACCOUNT, "id-1") == {"id": "id-1", "name": "a"}


def test_get_other_account(store: SqliteHookStore) -> None:
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    assert store.get(OTHER, "id-1") is None


def test_unique_name_rejected(store: SqliteHookStore) -> None:
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    assert not store.insert(ACCOUNT, "id-2", "a", document("id-2", "a"), unique_name=True)
    assert store.get(ACCOUNT, "id-2") is None


def test_names_case_sensitive(store: SqliteHookStore) -> None:
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    assert store.insert(ACCOUNT, "id-2", "A", document("id-2", "A"), unique_name=True)
    assert not store.name_in_use(ACCOUNT, "b")


def test_names_per_account(store: SqliteHookStore) -> None:
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    assert store.insert(OTHER, "id-2", "a", document("id-2", "a"), unique_name=True)
    assert not store.name_in_use(OTHER, "b")


def test_duplicates_when_allowed(store: SqliteHookStore) -> None:
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=False)
    assert store.insert(ACCOUNT, "id-2", "a", document("id-2", "a"), unique_name=False)
    assert [hook["id"] for hook in store.hooks(ACCOUNT)] == ["id-1", "id-2"]


def test_creation_order(store: SqliteHookStore) -> None:
    for index in (3, 1, 2):
        store.insert(ACCOUNT, f"id-{index}", f"n{index}", document(f"id-{index}", "n"), True)
    assert [hook["id"] for hook in store.hooks(ACCOUNT)] == ["id-3", "id-1", "id-2"]


def test_count_and_clear(store: SqliteHookStore) -> None:
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    store.insert(OTHER, "id-2", "a", document("id-2", "a"), unique_name=True)
    assert store.count() == 2
    store.clear()
    assert store.count() == 0
    assert not store.name_in_use(ACCOUNT, "a")


def test_kept_after_reopen(state_path: Path) -> None:
    first = SqliteHookStore(state_path)
    first.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    first.close()
    second = SqliteHookStore(state_path)
    try:
        assert second.get(ACCOUNT, "id-1") == {"id": "id-1", "name": "a"}
        assert not second.insert(ACCOUNT, "id-2", "a", document("id-2", "a"), unique_name=True)
    finally:
        second.close()


def test_wal_mode(store: SqliteHookStore, state_path: Path) -> None:
    with sqlite3.connect(state_path) as connection:
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    assert mode == "wal"
    assert version == STATE_FORMAT


def test_two_stores_one_file(store: SqliteHookStore, state_path: Path) -> None:
    """Two servers sharing a state file see each other's names."""
    other = SqliteHookStore(state_path)
    try:
        assert store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
        assert not other.insert(ACCOUNT, "id-2", "a", document("id-2", "a"), unique_name=True)
        assert other.name_in_use(ACCOUNT, "a")
    finally:
        other.close()


def test_concurrent_same_name(store: SqliteHookStore) -> None:
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def insert(index: int) -> None:
        barrier.wait()
        results.append(store.insert(ACCOUNT, f"id-{index}", "same", document(f"id-{index}", "same"), True))

    threads = [threading.Thread(target=insert, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    assert store.count() == 1


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are notes, not a database\n" * 200)
    with pytest.raises(StateFileError, match=f"cannot use {path} as a state file: file is not a database"):
        SqliteHookStore(path)


def test_other_database(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(StateFileError, match=r"is not a state file of this server \(format 0, expected 1\)"):
        SqliteHookStore(path)


def test_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "hooks.db"
    with pytest.raises(StateFileError, match=f"cannot open the state file {path}"):
        SqliteHookStore(path)


def test_open_store_kinds(state_path: Path) -> None:
    memory = open_store(None)
    persistent = open_store(state_path)
    try:
        assert isinstance(memory, MemoryHookStore)
        assert isinstance(persistent, SqliteHookStore)
    finally:
        persistent.close()
