"""Concurrent creates: one winner per name, unique ids, and a store that is never half-written."""

from __future__ import annotations

import asyncio
import re
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
import requests

from harness.contract import load_contract
from harness.contract.facts import UUID_PATTERN
from harness.contract.problems import problem_number
from harness.server.app import create_app
from harness.server.running import ReferenceServer
from harness.server.world import load_world

from .conftest import example_body, unique_name

CONTRACT = load_contract("1.3")
UUID = re.compile(UUID_PATTERN)
STORES = ["memory", "sqlite"]


@pytest.fixture(params=STORES)
def fresh_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReferenceServer]:
    """A server of its own, so that the store holds only this test's hooks."""
    state = tmp_path / "state.db" if request.param == "sqlite" else None
    with ReferenceServer(state=state) as running:
        yield running


def run_together(count: int, work: Any) -> list[Any]:
    """Run `work(index)` in `count` threads released together; return results by index."""
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = work(index)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def poster(server: ReferenceServer) -> Any:
    """Return a function that POSTs a body on the core path with the owner's token."""
    variables = server.variables
    url = f"{server.base_url}/accounts/{variables['account_id']}/core/v1/executionHooks"
    headers = {"Authorization": f"Bearer {variables['tokens.owner']}",
               "Content-Type": "application/json"}

    def post(body: dict[str, Any], session: requests.Session | None = None) -> requests.Response:
        sender = session or requests
        return sender.post(url, data=orjson.dumps(body), headers=headers, timeout=60)

    return post


def test_same_name_50_threads(fresh_server: ReferenceServer) -> None:
    post = poster(fresh_server)
    body = example_body(name=unique_name("race"))
    responses = run_together(50, lambda index: post(body))
    statuses = Counter(response.status_code for response in responses)
    conflicts = [response.json() for response in responses if response.status_code == 409]
    stored = fresh_server.store.hooks(fresh_server.variables["account_id"])
    assert statuses == {201: 1, 409: 49}
    assert {problem_number(problem["type"]) for problem in conflicts} == {10}
    assert all(problem["invalidFields"][0]["name"] == "name" for problem in conflicts)
    assert [hook["name"] for hook in stored] == [body["name"]]


def test_concurrent_creates_consistent(fresh_server: ReferenceServer) -> None:
    """16 threads create 640 hooks, every name sent twice, while a reader checks the store."""
    post = poster(fresh_server)
    account_id = fresh_server.variables["account_id"]
    names = [unique_name("mix") for _ in range(320)]
    done = threading.Event()
    reader_problems: list[str] = []
    reader = threading.Thread(target=read_store, args=(fresh_server, done, reader_problems))
    reader.start()

    def create_batch(index: int) -> list[tuple[str, requests.Response]]:
        # Threads 2k and 2k+1 send the same 40 names, in opposite orders.
        batch = names[(index // 2) * 40:(index // 2 + 1) * 40]
        if index % 2:
            batch = batch[::-1]
        with requests.Session() as session:
            return [(name, post(example_body(name=name), session)) for name in batch]

    try:
        results = [pair for batch in run_together(16, create_batch) for pair in batch]
    finally:
        done.set()
        reader.join()
    created = {name: response for name, response in results if response.status_code == 201}
    stored = {hook["id"]: hook for hook in fresh_server.store.hooks(account_id)}
    assert reader_problems == []
    assert Counter(response.status_code for _, response in results) == {201: 320, 409: 320}
    assert sorted(created) == sorted(names)
    assert len(stored) == 320
    assert all(stored[response.json()["id"]] == response.json() for response in created.values())


def read_store(server: ReferenceServer, done: threading.Event, problems: list[str]) -> None:
    """Read every stored hook until `done`, noting any that is not a whole, valid 201 body.

    The loop also ends after 2,000 reads, so a writer that hangs cannot keep it running.
    """
    account_id = server.variables["account_id"]
    schema = CONTRACT.response_shape(201, body_version="1.2").body_schema
    validator = jsonschema.Draft7Validator(schema)
    for _ in range(2000):
        if done.is_set():
            return
        hooks = server.store.hooks(account_id)
        names = Counter(hook["name"] for hook in hooks)
        problems += [f"name {name} stored {count} times" for name, count in names.items() if count > 1]
        problems += [error.message for hook in hooks for error in validator.iter_errors(hook)]


def test_ids_unique_100000_creates() -> None:
    """100,000 creates through the ASGI app in one process: every id differs."""
    world = load_world()
    app = create_app(world)
    bodies = [orjson.dumps(example_body(name=f"bulk-{index}")) for index in range(100_000)]
    replies = asyncio.run(create_all(app, world, bodies))
    statuses = Counter(status for status, _ in replies)
    ids = [orjson.loads(body)["id"] for _, body in replies]
    assert statuses == {201: 100_000}
    assert len(set(ids)) == 100_000
    assert app.store.count() == 100_000
    assert all(UUID.match(hook_id) for hook_id in ids)


async def create_all(app: Any, world: Any, bodies: list[bytes]) -> list[tuple[int, bytes]]:
    """Send each body through `app` as an HTTP request; return each status and body."""
    variables = world.variables
    path = f"/accounts/{variables['account_id']}/core/v1/executionHooks"
    base_headers = [
        (b"authorization", f"Bearer {variables['tokens.owner']}".encode()),
        (b"content-type", b"application/json"),
    ]
    replies: list[tuple[int, bytes]] = []
    for body in bodies:
        messages: list[dict[str, Any]] = []
        scope = {
            "type": "http", "method": "POST", "path": path, "query_string": b"", "scheme": "http",
            "server": ("127.0.0.1", 8080),
            "headers": base_headers + [(b"content-length", str(len(body)).encode())],
        }

        async def receive(body: bytes = body) -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)

        await app(scope, receive, send)
        replies.append((messages[0]["status"], messages[1]["body"]))
    return replies
