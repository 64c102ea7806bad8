"""Tests of the ASGI application driven directly: chunked bodies, disconnects, lifespan and
internal errors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from harness.server.app import create_app
from harness.server.store import MemoryHookStore
from harness.server.world import load_world

from .conftest import example_body

WORLD = load_world()
TOKEN = WORLD.variables["tokens.owner"].encode()
PATH = f"/accounts/{WORLD.variables['account_id']}/core/v1/executionHooks"


def scope(path: str = PATH) -> dict[str, Any]:
    return {
        "type": "http", "method": "POST", "path": path, "query_string": b"", "scheme": "http",
        "server": ("127.0.0.1", 8080),
        "headers": [(b"authorization", b"Bearer " + TOKEN), (b"content-type", b"application/json")],
    }


def call(app: Any, request_scope: dict[str, Any], messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run one request through the ASGI app and return the messages it sent."""
    sent: list[dict[str, Any]] = []
    incoming = list(messages)

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(request_scope, receive, send))
    return sent


def test_chunked_body() -> None:
    body = json.dumps(example_body()).encode()
    middle = len(body) // 2
    sent = call(create_app(WORLD), scope(), [
        {"type": "http.request", "body": body[:middle], "more_body": True},
        {"type": "http.request", "body": body[middle:], "more_body": False},
    ])
    assert sent[0]["status"] == 201


def test_disconnect_no_response() -> None:
    sent = call(create_app(WORLD), scope(), [{"type": "http.disconnect"}])
    assert sent == []


def test_location_from_server_address() -> None:
    body = json.dumps(example_body()).encode()
    request_scope = dict(scope(), server=("::1", 9000))
    sent = call(create_app(WORLD), request_scope, [{"type": "http.request", "body": body}])
    headers = dict(sent[0]["headers"])
    assert headers[b"location"].startswith(b"http://[::1]:9000/accounts/")


def test_lifespan() -> None:
    sent = call(create_app(WORLD), {"type": "lifespan"}, [
        {"type": "lifespan.startup"}, {"type": "lifespan.shutdown"},
    ])
    assert [message["type"] for message in sent] == [
        "lifespan.startup.complete", "lifespan.shutdown.complete",
    ]


class BrokenStore(MemoryHookStore):
    """A store that fails, standing in for a server bug."""

    def name_in_use(self, account_id: str, name: str) -> bool:
        raise RuntimeError("store failed")


def test_internal_error_500(caplog: Any) -> None:
    body = json.dumps(example_body()).encode()
    sent = call(create_app(WORLD, store=BrokenStore()), scope(), [{"type": "http.request", "body": body}])
    payload = json.loads(sent[1]["body"])
    assert sent[0]["status"] == 500
    assert payload["status"] == "500"
    assert "internal error on POST" in caplog.text
