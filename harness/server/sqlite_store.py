"""A HookStore in an SQLite database file, so created hooks outlive the server process.

`hook-harness serve --state FILE` and `ReferenceServer(state=FILE)` use it. The database
runs in WAL mode with `synchronous=NORMAL`. Each create commits before its 201 is sent,
and a commit survives the server process being killed, because SQLite has already written
it to the WAL file. A power failure may still lose the last commits, since the WAL is
synced to disk only at checkpoints. SQLite's transactions also mean that a kill never
leaves half a hook in the file.

Several server processes may share one file: each insert runs in a `BEGIN IMMEDIATE`
transaction, so the name check and the insert are one step across processes too.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# PRAGMA user_version of the files this module writes. Raise it when the table changes.
STATE_FORMAT = 1
# How long a write waits for another process that holds the database lock.
BUSY_TIMEOUT_MILLISECONDS = 10_000

# The sequence column keeps the creation order that `hooks()` returns.
_SCHEMA = (
    """CREATE TABLE hooks (
        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        hook_id TEXT NOT NULL,
        name TEXT NOT NULL,
        document BLOB NOT NULL,
        UNIQUE (account_id, hook_id)
    )""",
    "CREATE INDEX hooks_by_name ON hooks (account_id, name)",
)


class StateFileError(ValueError):
    """The state file cannot be opened, or is not a state file of this server."""


class SqliteHookStore:
    """A HookStore in the SQLite database at `path`, created when it does not exist.

    Raises StateFileError naming the file when it cannot be opened or contains something
    else.
    The store is safe for use from several threads.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self._connection = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False,
                timeout=BUSY_TIMEOUT_MILLISECONDS / 1000,
            )
        except sqlite3.Error as error:
            raise StateFileError(
                f"cannot open the state file {self.path}: {error}. "
                "Pass --state a path in a folder that exists and is writable."
            ) from None
        try:
            self._prepare()
        except sqlite3.DatabaseError as error:
            self._connection.close()
            raise StateFileError(
                f"cannot use {self.path} as a state file: {error}. Pass --state the path of "
                "a state file that this server wrote, or of a file that does not exist yet."
            ) from None
        except StateFileError:
            self._connection.close()
            raise
        logger.info("hook state in %s: %d hooks stored", self.path, self.count())

    def _prepare(self) -> None:
        """Switch to WAL mode and create the table, or check the format of an existing file."""
        connection = self._connection
        mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StateFileError(
                f"the state file {self.path} cannot use write-ahead logging (journal mode "
                f"{mode}). Put it on a local file system."
            )
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("BEGIN IMMEDIATE")
        try:
            self._create_or_check_table()
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _create_or_check_table(self) -> None:
        connection = self._connection
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and tables == 0:
            # One statement at a time: executescript() would commit the open transaction.
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {STATE_FORMAT}")
        elif version != STATE_FORMAT:
            raise StateFileError(
                f"{self.path} is not a state file of this server (format {version}, expected "
                f"{STATE_FORMAT}). Pass --state a new path or a state file this server wrote."
            )

    def name_in_use(self, account_id: str, name: str) -> bool:
        with self._lock:
            row = self._connection.execute(
                "SELECT 1 FROM hooks WHERE account_id = ? AND name = ? LIMIT 1", (account_id, name)
            ).fetchone()
        return row is not None

    def insert(
        self, account_id: str, hook_id: str, name: str, document: bytes, unique_name: bool
    ) -> bool:
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                name_taken = unique_name and connection.execute(
                    "SELECT 1 FROM hooks WHERE account_id = ? AND name = ? LIMIT 1",
                    (account_id, name),
                ).fetchone() is not None
                if not name_taken:
                    connection.execute(
                        "INSERT INTO hooks (account_id, hook_id, name, document) VALUES (?, ?, ?, ?)",
                        (account_id, hook_id, name, document),
                    )
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        return not name_taken

    def get(self, account_id: str, hook_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._connection.execute(
                "SELECT document FROM hooks WHERE account_id = ? AND hook_id = ?",
                (account_id, hook_id),
            ).fetchone()
        return json.loads(row[0]) if row is not None else None

    def hooks(self, account_id: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._connection.execute(
                "SELECT document FROM hooks WHERE account_id = ? ORDER BY sequence", (account_id,)
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def count(self) -> int:
        """Return the number of stored hooks of every account."""
        with self._lock:
            return self._connection.execute("SELECT count(*) FROM hooks").fetchone()[0]

    def clear(self) -> None:
        with self._lock:
            self._connection.execute("DELETE FROM hooks")

    def close(self) -> None:
        """Close the database. SQLite then folds the WAL file into the database file."""
        with self._lock:
            self._connection.close()
