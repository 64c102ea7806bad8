"""Storage of created execution hooks, behind a small interface.

The reference server keeps hooks in memory for the life of the server, or with a state
file in SQLite (`sqlite_store`). `HookStore` is the interface the app uses. Hooks are
stored as their JSON documents: a bytes object per hook costs the garbage collector
nothing, where nested dicts and lists of many thousand hooks would lengthen every full
collection.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Protocol

from harness.server.sqlite_store import SqliteHookStore


class HookStore(Protocol):
    """Created hooks by account, stored as the JSON documents of their 201 bodies."""

    def name_in_use(self, account_id: str, name: str) -> bool:
        """Return whether a hook of the account has this name."""
        ...

    def insert(
        self, account_id: str, hook_id: str, name: str, document: bytes, unique_name: bool
    ) -> bool:
        """Store the JSON `document` of a hook and return True.

        With `unique_name`, store nothing and return False when a hook of the account
        already has `name`, as one atomic step.
        """
        ...

    def get(self, account_id: str, hook_id: str) -> dict[str, Any] | None:
        """Return the stored hook, or None if the account has no hook with that id."""
        ...

    def hooks(self, account_id: str) -> list[dict[str, Any]]:
        """Return the account's hooks in creation order."""
        ...

    def count(self) -> int:
        """Return the number of stored hooks of every account."""
        ...

    def clear(self) -> None:
        """Remove every hook."""
        ...

    def close(self) -> None:
        """Release the store's resources. The store cannot be used afterwards."""
        ...


class MemoryHookStore:
    """A HookStore in dicts, safe for use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._documents: dict[str, dict[str, bytes]] = {}
        # Account id -> hook name -> number of hooks with that name. A count above 1 is
        # possible only where names need not be unique (resource version 1.0).
        self._names: dict[str, dict[str, int]] = {}

    def name_in_use(self, account_id: str, name: str) -> bool:
        with self._lock:
            return name in self._names.get(account_id, {})

    def insert(
        self, account_id: str, hook_id: str, name: str, document: bytes, unique_name: bool
    ) -> bool:
        with self._lock:
            names = self._names.setdefault(account_id, {})
            if unique_name and name in names:
                return False
            self._documents.setdefault(account_id, {})[hook_id] = document
            names[name] = names.get(name, 0) + 1
            return True

    def get(self, account_id: str, hook_id: str) -> dict[str, Any] | None:
        with self._lock:
            document = self._documents.get(account_id, {}).get(hook_id)
        return json.loads(document) if document is not None else None

    def hooks(self, account_id: str) -> list[dict[str, Any]]:
        with self._lock:
            documents = list(self._documents.get(account_id, {}).values())
        return [json.loads(document) for document in documents]

    def count(self) -> int:
        with self._lock:
            return sum(len(documents) for documents in self._documents.values())

    def clear(self) -> None:
        with self._lock:
            self._documents.clear()
            self._names.clear()

    def close(self) -> None:
        """Do nothing: the hooks stay in memory until the store is garbage-collected."""


def open_store(state_path: str | Path | None) -> HookStore:
    """Return a SqliteHookStore on `state_path`, or a MemoryHookStore when it is None.

    Raises StateFileError naming the file when it cannot be used.
    """
    if state_path is None:
        return MemoryHookStore()
    return SqliteHookStore(state_path)
