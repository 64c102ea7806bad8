"""Durable state: `--state FILE` keeps hooks across restarts and loses no committed create."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest
import requests

from harness.server.running import ReferenceServer
from harness.server.sqlite_store import SqliteHookStore
from harness.server.world import load_world

from .conftest import example_body, unique_name, wait_for_port

VARIABLES = load_world().variables
HEADERS = {"Authorization": f"Bearer {VARIABLES['tokens.owner']}", "Content-Type": "application/json"}
CORE_PATH = f"/accounts/{VARIABLES['account_id']}/core/v1/executionHooks"
# The kill comes once this many creates got their 201, while the threads go on sending.
CREATES_BEFORE_KILL = 200
MAX_REQUESTS_PER_THREAD = 2000


def serve_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "harness.cli.main", "serve", "--port", "0", *arguments]


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, int, Path]]:
    """`hook-harness serve --state FILE` in a child process; yields it, its port and FILE."""
    state = tmp_path / "state.db"
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(serve_command("--state", str(state)), stderr=log, env=os.environ.copy())
    try:
        port = wait_for_port(process, log_path)
        assert port is not None, log_path.read_text()
        yield process, port, state
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def test_kept_across_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    body = example_body()
    with ReferenceServer(state=state) as first:
        created = requests.post(first.base_url + CORE_PATH, json=body, headers=HEADERS)
    with ReferenceServer(state=state) as second:
        again = requests.post(second.base_url + CORE_PATH, json=body, headers=HEADERS)
        stored = second.store.get(VARIABLES["account_id"], created.json()["id"])
    assert created.status_code == 201
    assert again.status_code == 409
    assert stored == created.json()


@dataclass
class Sent:
    """What the sending threads saw: the 201 bodies, and how many requests they sent."""

    created: list[bytes] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    enough: threading.Event = field(default_factory=threading.Event)


def send_until_refused(port: int, sent: Sent) -> None:
    """Create hooks until the server refuses connections, or MAX_REQUESTS_PER_THREAD are sent."""
    with requests.Session() as session:
        for _ in range(MAX_REQUESTS_PER_THREAD):
            with sent.lock:
                sent.attempts += 1
            try:
                response = session.post(
                    f"http://127.0.0.1:{port}{CORE_PATH}", data=orjson.dumps(example_body()),
                    headers=HEADERS, timeout=60,
                )
            except requests.ConnectionError:
                return
            assert response.status_code == 201, response.text
            with sent.lock:
                sent.created.append(response.content)
                if len(sent.created) >= CREATES_BEFORE_KILL:
                    sent.enough.set()


def test_kill_loses_no_create(serving: tuple[subprocess.Popen, int, Path]) -> None:
    """SIGKILL while 8 threads create hooks: every 201 is stored, and no row is partial."""
    process, port, state = serving
    sent = Sent()
    threads = [threading.Thread(target=send_until_refused, args=(port, sent)) for _ in range(8)]
    for thread in threads:
        thread.start()
    while not sent.enough.wait(0.05) and any(thread.is_alive() for thread in threads):
        pass
    process.send_signal(signal.SIGKILL)
    for thread in threads:
        thread.join()
    process.wait()

    with sqlite3.connect(state) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        rows = connection.execute("SELECT account_id, hook_id, name, document FROM hooks").fetchall()
    documents = {hook_id: json.loads(document) for _, hook_id, _, document in rows}
    created = [json.loads(body) for body in sent.created]
    assert process.returncode == -signal.SIGKILL
    assert len(created) >= CREATES_BEFORE_KILL
    assert integrity == "ok"
    assert all(documents.get(hook["id"]) == hook for hook in created)
    assert len(created) <= len(rows) <= sent.attempts
    assert all(account == VARIABLES["account_id"] for account, _, _, _ in rows)
    assert all(documents[hook_id]["name"] == name for _, hook_id, name, _ in rows)


def test_restart_after_kill(serving: tuple[subprocess.Popen, int, Path]) -> None:
    """A server started on the state file of a killed one returns 409 for a name it stored."""
    process, port, state = serving
    body = example_body(name=unique_name("kept"))
    created = requests.post(f"http://127.0.0.1:{port}{CORE_PATH}", json=body, headers=HEADERS)
    process.send_signal(signal.SIGKILL)
    process.wait()
    with ReferenceServer(state=state) as restarted:
        again = requests.post(restarted.base_url + CORE_PATH, json=body, headers=HEADERS)
        other = requests.post(restarted.base_url + CORE_PATH, json=example_body(), headers=HEADERS)
    assert created.status_code == 201
    assert again.status_code == 409
    assert other.status_code == 201


def test_serve_state_unusable(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a database\n" * 200)
    result = subprocess.run(serve_command("--state", str(bad)), capture_output=True, text=True,
                            env=os.environ.copy())
    assert result.returncode == 2
    assert "Invalid value for --state" in result.stderr
    assert f"cannot use {bad} as a state file" in result.stderr


def test_state_store_reopens(tmp_path: Path) -> None:
    """The store of a ReferenceServer is closed on exit, so the file opens again at once."""
    state = tmp_path / "state.db"
    with ReferenceServer(state=state) as running:
        requests.post(running.base_url + CORE_PATH, json=example_body(), headers=HEADERS)
    reopened = SqliteHookStore(state)
    try:
        assert reopened.count() == 1
    finally:
        reopened.close()
    assert not Path(f"{state}-wal").exists()
