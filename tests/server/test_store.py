"""Unit tests of the in-memory hook store."""

from __future__ import annotations

import json
import threading

from harness.server.store import MemoryHookStore

ACCOUNT = "f92c7bbf-cf45-401d-8e1c-d7ac4822de56"
OTHER = "ea722987-07db-40a6-82fb-1900a3ca009d"


def document(hook_id: str, name: str) -> bytes:
    return json.dumps({"id": hook_id, "name": name}).encode()


def test_insert_get() -> None:
    store = MemoryHookStore()
    assert store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    assert store.get(ACCOUNT, "id-1") == {"id": "id-1", "name": "a"}


def test_get_other_account() -> None:
    store = MemoryHookStore()
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    assert store.get(OTHER, "id-1") is None


def test_unique_name_rejected() -> None:
    store = MemoryHookStore()
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    assert not store.insert(ACCOUNT, "id-2", "a", document("id-2", "a"), unique_name=True)
    assert store.get(ACCOUNT, "id-2") is None


def test_names_per_account() -> None:
    store = MemoryHookStore()
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    assert store.insert(OTHER, "id-2", "a", document("id-2", "a"), unique_name=True)


def test_duplicates_when_allowed() -> None:
    store = MemoryHookStore()
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=False)
    assert store.insert(ACCOUNT, "id-2", "a", document("id-2", "a"), unique_name=False)
    assert [hook["id"] for hook in store.hooks(ACCOUNT)] == ["id-1", "id-2"]


def test_name_in_use() -> None:
    store = MemoryHookStore()
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    assert store.name_in_use(ACCOUNT, "a")
    assert not store.name_in_use(ACCOUNT, "A")
    assert not store.name_in_use(OTHER, "a")


def test_clear() -> None:
    store = MemoryHookStore()
    store.insert(ACCOUNT, "id-1", "a", document("id-1", "a"), unique_name=True)
    store.clear()
    assert store.hooks(ACCOUNT) == []
    assert not store.name_in_use(ACCOUNT, "a")


def test_concurrent_same_name() -> None:
    store = MemoryHookStore()
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
    assert len(store.hooks(ACCOUNT)) == 1
