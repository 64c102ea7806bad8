"""A real HTTP server on 127.0.0.1 for the recording tests, started and stopped per test."""

from __future__ import annotations

import gzip
import http.client
import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from harness.exchange import Headers, HttpRequest

HOOK_MEDIA_TYPE = "application/astra-executionHook+json"
HOOKS_PATH = "/accounts/acc-1/core/v1/executionHooks"
OWNER_TOKEN = "owner-token-5b1d9c0e7a2f4e61"
VIEWER_TOKEN = "viewer-token-3f8b6d2a9c4e1b57"
SECRETS = {OWNER_TOKEN: "tokens.owner", VIEWER_TOKEN: "tokens.viewer"}


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class ServerState:
    """What the test server received, and the hook names it has created."""

    received: list[ReceivedRequest] = field(default_factory=list)
    hook_names: set[str] = field(default_factory=set)
    serial: itertools.count = field(default_factory=itertools.count)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    """Routes:
    - POST .../executionHooks: 201 for a new name, 409 problem for a name seen before;
      403 for the viewer token.
    - GET /gzip: a gzip-compressed JSON body.
    - GET /cookie: a Set-Cookie header and a body with an access_token field.
    - GET /redirect: 302 to /plain.
    - POST /login: a fixed response that does not echo the request.
    - GET /echo-authorization: the Authorization header echoed in the body.
    - anything else: 200 with a JSON echo of the request and a serial number.
    """

    state: ServerState
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without this, Nagle and delayed ACKs add 40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, document: object, media_type: str = "application/json") -> None:
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        self._reply(status, body, {"Content-Type": media_type})

    def _handle(self) -> None:
        body = self._read_body()
        with self.state.lock:
            serial = next(self.state.serial)
            self.state.received.append(ReceivedRequest(self.command, self.path, dict(self.headers), body))
        path = urlsplit(self.path).path
        if self.command == "POST" and path.endswith("/executionHooks"):
            self._create(body, serial)
        elif path == "/gzip":
            payload = json.dumps({"serial": serial, "text": "gzip ünïcode " * 20}).encode("utf-8")
            self._reply(200, gzip.compress(payload), {"Content-Type": "application/json", "Content-Encoding": "gzip"})
        elif path == "/cookie":
            self._reply(
                200,
                json.dumps({"access_token": "issued-access-token-0a1b2c3d4e", "serial": serial}).encode(),
                {"Content-Type": "application/json", "Set-Cookie": "session=cookie-secret-9f8e7d; Path=/"},
            )
        elif path == "/redirect":
            self._reply(302, b"", {"Location": "/plain"})
        elif path == "/login":
            self._json(200, {"logged_in": True, "serial": serial})
        elif path == "/echo-authorization":
            self._json(200, {"authorization": self.headers.get("Authorization"), "serial": serial})
        else:
            echo = {"serial": serial, "method": self.command, "path": self.path, "body": body.decode("utf-8", "replace")}
            self._json(200, echo)

    def _create(self, body: bytes, serial: int) -> None:
        if self.headers.get("Authorization") == f"Bearer {VIEWER_TOKEN}":
            self._json(403, {"title": "forbidden", "serial": serial}, "application/problem+json")
            return
        name = json.loads(body).get("name")
        with self.state.lock:
            conflict = name in self.state.hook_names
            self.state.hook_names.add(name)
        if conflict:
            self._json(409, {"title": "conflict", "name": name, "serial": serial}, "application/problem+json")
        else:
            self._json(201, {"id": f"hook-{serial}", "name": name, "serial": serial}, HOOK_MEDIA_TYPE)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


@dataclass
class LocalServer:
    base_url: str
    state: ServerState

    def request(self, method: str, path: str, *, token: str | None = OWNER_TOKEN,
                body: bytes = b"", headers: dict[str, str] | None = None) -> HttpRequest:
        """Build a request to this server, with a bearer token unless `token` is None."""
        all_headers = Headers(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        return HttpRequest(method, self.base_url + path, all_headers, body)

    def create_hook(self, document: dict, *, token: str = OWNER_TOKEN) -> HttpRequest:
        body = json.dumps(document).encode("utf-8")
        return self.request("POST", HOOKS_PATH, token=token, body=body, headers={"Content-Type": HOOK_MEDIA_TYPE})


def _wait_until_ready(host: str, port: int) -> None:
    for _ in range(200):
        connection = http.client.HTTPConnection(host, port)
        try:
            connection.request("GET", "/ready")
            connection.getresponse().read()
            return
        except OSError:
            continue
        finally:
            connection.close()
    raise RuntimeError(f"test server on {host}:{port} never responded")


@pytest.fixture
def server() -> Iterator[LocalServer]:
    state = ServerState()
    handler = type("Handler", (_Handler,), {"state": state})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    try:
        _wait_until_ready(host, port)
        state.received.clear()
        yield LocalServer(f"http://{host}:{port}", state)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
