"""A deliberately wrong HTTP server for the report tests, on 127.0.0.1 in a thread.

The server responds to every POST according to the `X-Case` request header: each case is a
documented response with one known fault, so a test can check that the checker reports
exactly that fault.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

from harness.contract.examples import EXAMPLE_PROBLEMS, EXAMPLE_RESPONSE
from harness.exchange import Exchange, Headers, HttpRequest, HttpResponse

ACCOUNT_ID = "29e1f39f-2bf4-44e6-8c2b-9e5e8f9a1a11"
APP_ID = EXAMPLE_RESPONSE["appID"]
CORE_PATH = f"/accounts/{ACCOUNT_ID}/core/v1/executionHooks"
APP_PATH = f"/accounts/{ACCOUNT_ID}/k8s/v1/apps/{APP_ID}/executionHooks"
TOKEN = "test-token-0123456789abcdef"

PROBLEM_8 = {
    "type": "https://astra.netapp.io/problems/8",
    "title": "Invalid JSON resource",
    "detail": "The supplied JSON resource doesn't conform to the schema.",
    "status": "400",
}

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Created:
    """A 201 reply under construction: body, and header overrides (None drops a header)."""

    body: dict[str, Any]
    headers: dict[str, str | None]


def created_reply(account: str, change: Callable[[Created], None] = lambda created: None) -> Reply:
    """Return a correct 201 reply, after `change` has broken one thing in it."""
    created = Created(copy.deepcopy(EXAMPLE_RESPONSE), {})
    change(created)
    body = json.dumps(created.body).encode()
    headers: dict[str, str | None] = {
        "Content-Type": "application/json",
        "Location": f"/accounts/{account}/core/v1/executionHooks/{created.body.get('id')}",
        "Etag": hashlib.md5(body).hexdigest(),
    }
    headers.update(created.headers)
    return 201, {name: value for name, value in headers.items() if value is not None}, body


def problem_reply(status: int, body: dict[str, Any], content_type: str = "application/problem+json") -> Reply:
    return status, {"Content-Type": content_type}, json.dumps(body).encode()


def _set(path: list[str], value: Any) -> Callable[[Created], None]:
    def change(created: Created) -> None:
        target = created.body
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _drop(key: str) -> Callable[[Created], None]:
    return lambda created: created.body.pop(key)


def _header(name: str, value: str | None) -> Callable[[Created], None]:
    return lambda created: created.headers.__setitem__(name, value)


def _problem(number: int, **changes: Any) -> dict[str, Any]:
    body = dict(EXAMPLE_PROBLEMS[number]) if number in EXAMPLE_PROBLEMS else dict(PROBLEM_8)
    body.update(changes)
    return body


CASES: dict[str, Callable[[str], Reply]] = {
    "valid-created": lambda account: created_reply(account),
    "missing-stage": lambda account: created_reply(account, _drop("stage")),
    "extra-key": lambda account: created_reply(account, _set(["foo"], "bar")),
    "text-plain": lambda account: created_reply(account, _header("Content-Type", "text/plain")),
    "no-location": lambda account: created_reply(account, _header("Location", None)),
    "wrong-location": lambda account: created_reply(
        account, _header("Location", f"/accounts/{account}/core/v1/executionHooks/other")),
    "wrong-etag": lambda account: created_reply(account, _header("Etag", hashlib.md5(b"x").hexdigest())),
    "no-etag": lambda account: created_reply(account, _header("Etag", None)),
    "bad-action": lambda account: created_reply(account, _set(["action"], "delete")),
    "bad-timestamp": lambda account: created_reply(
        account, _set(["metadata", "creationTimestamp"], "2022-10-06 20:58:16")),
    "id-not-uuid": lambda account: created_reply(account, _set(["id"], "hook-1")),
    "long-name": lambda account: created_reply(account, _set(["name"], "n" * 64)),
    "duplicate-arguments": lambda account: created_reply(account, _set(["arguments"], ["a", "a"])),
    "problem-integer-status": lambda account: problem_reply(404, _problem(2, status=404)),
    "problem-other-title": lambda account: problem_reply(409, _problem(10, title="Name conflict")),
    "problem-8": lambda account: problem_reply(400, _problem(8)),
    "problem-json-media-type": lambda account: problem_reply(400, _problem(8), "application/json"),
    "problem-not-for-status": lambda account: problem_reply(409, _problem(2, status="409")),
    "problem-unknown-type": lambda account: problem_reply(400, _problem(8, type="about:blank")),
    "not-json": lambda account: (400, {"Content-Type": "application/problem+json"}, b"<html>oops</html>"),
    "undocumented-500": lambda account: problem_reply(500, {"title": "Internal error"}),
}

_ACCOUNT = re.compile(r"/accounts/([^/]+)/")


class _DeviatingHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        account = _ACCOUNT.search(self.path)
        case = CASES.get(self.headers.get("X-Case", ""))
        if case is None or account is None:
            self.send_error(404, "unknown case")
            return
        status, headers, body = case(account.group(1))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class DeviatingServer:
    """The running server: `base_url` and `create()` to send a create request to a case."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        host, port = server.server_address[:2]
        self.base_url = f"http://{host}:{port}"

    def create(self, case: str, *, path: str = CORE_PATH, accept: str | None = None) -> Exchange:
        """POST the documented example create body to the case and return the Exchange."""
        headers = {"Authorization": f"Bearer {TOKEN}", "X-Case": case}
        if accept is not None:
            headers["Accept"] = accept
        body = {key: value for key, value in EXAMPLE_RESPONSE.items()
                if key not in ("id", "metadata", "matchingCriteria")}
        reply = requests.post(self.base_url + path, json=body, headers=headers, timeout=60)
        request = HttpRequest(
            reply.request.method or "POST", reply.request.url or "",
            Headers(reply.request.headers), reply.request.body or b"",
        )
        return Exchange(request, HttpResponse(reply.status_code, Headers(reply.headers), reply.content))


def _wait_until_listening(port: int) -> None:
    for _ in range(500):
        try:
            with socket.create_connection(("127.0.0.1", port)):
                return
        except OSError:
            threading.Event().wait(0.01)
    raise RuntimeError(f"the deviating test server on port {port} never started listening")


@pytest.fixture(scope="module")
def deviating_server() -> Iterator[DeviatingServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DeviatingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        _wait_until_listening(server.server_address[1])
        yield DeviatingServer(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
