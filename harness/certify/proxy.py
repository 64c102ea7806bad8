"""The validation proxy: forwards any client's traffic to an upstream server and checks it.

The proxy listens on 127.0.0.1. Each request goes to the upstream unchanged except for
hop-by-hop headers. Each response goes back to the client with its body decoded (gzip and
deflate), and `ProxyLog` records the exchange as a cassette and checks create requests
against the contract. Exchanges are forwarded one at a time, so the numbering of
cassettes follows the order of the responses.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import logging
import threading
from types import TracebackType
from typing import Any, Awaitable, Callable

import requests
import uvicorn

from harness.certify.proxy_log import ProxyEntry, ProxyLog
from harness.exchange import Headers, HttpRequest, HttpResponse
from harness.server.running import (
    LOCALHOST,
    STARTUP_TIMEOUT_SECONDS,
    bind_listener,
    start_in_thread,
    uvicorn_config,
    wait_until_accepting,
)

logger = logging.getLogger(__name__)

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DEFAULT_TIMEOUT_SECONDS = 30.0
# Larger request bodies get 413 without reaching the upstream; create bodies are a few KB.
MAX_BODY_BYTES = 16 * 1024 * 1024

# Headers that describe one connection, not the message (RFC 9110 section 7.6.1).
HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
    "te", "trailer", "transfer-encoding", "upgrade",
})
_REQUEST_DROPPED = HOP_BY_HOP | {"host", "content-length"}
# NOTE: requests decodes gzip and deflate, and br or zstd only with their optional packages.
# A body in an encoding it cannot decode goes to the client still encoded but without its
# Content-Encoding header.
_RESPONSE_DROPPED = HOP_BY_HOP | {"content-length", "content-encoding"}


class ValidationProxy:
    """The ASGI application of the proxy. `on_entry` is called after each exchange."""

    def __init__(
        self, upstream: str, log: ProxyLog, *, verify: bool | str = True,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        on_entry: Callable[[ProxyEntry], None] | None = None,
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.log = log
        self.timeout = timeout
        self.on_entry = on_entry
        self._session = _http_session(verify)
        self._lock = threading.Lock()

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = await _read_body(receive)
        if body is None:
            await _send(send, 413, [(b"content-type", b"text/plain")],
                        f"request body over {MAX_BODY_BYTES} bytes\n".encode())
            return
        request = HttpRequest(scope["method"], self._upstream_url(scope), _request_headers(scope), body)
        status, headers, content = await asyncio.to_thread(self._exchange, request)
        await _send(send, status, headers, content)

    def _upstream_url(self, scope: dict[str, Any]) -> str:
        path = scope.get("raw_path") or scope["path"].encode("utf-8")
        url = self.upstream + path.decode("latin-1")
        if scope.get("query_string"):
            url += "?" + scope["query_string"].decode("latin-1")
        return url

    def _exchange(self, request: HttpRequest) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        with self._lock:
            try:
                response = self._session.request(
                    request.method, request.url, headers=dict(request.headers),
                    data=request.body or None, allow_redirects=False, timeout=self.timeout,
                )
            except requests.RequestException as error:
                logger.error("upstream %s sent no response to %s %s: %s", self.upstream, request.method,
                             request.url, error)
                entry = self.log.record_failure(request, f"upstream sent no response: {error}")
                self._notify(entry)
                message = f"hook-harness proxy: upstream {self.upstream} sent no response\n"
                return 502, [(b"content-type", b"text/plain")], message.encode()
            content = response.content
            forwarded = [
                (name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in response.raw.headers.items()
                if name.lower() not in _RESPONSE_DROPPED
            ]
            recorded = HttpResponse(response.status_code, _merged(forwarded), content)
            entry = self.log.record(request, recorded, response.reason or "")
            self._notify(entry)
        forwarded.append((b"content-length", str(len(content)).encode("ascii")))
        return response.status_code, forwarded, content

    def _notify(self, entry: ProxyEntry) -> None:
        if self.on_entry is not None:
            self.on_entry(entry)


def _http_session(verify: bool | str) -> requests.Session:
    """Return a session that sends each request with the client's headers only."""
    session = requests.Session()
    session.trust_env = False
    session.verify = verify
    session.headers.clear()
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    return session


def _request_headers(scope: dict[str, Any]) -> Headers:
    """Return the client's headers to forward; a repeated header's values are joined by ", "."""
    headers = Headers()
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1")
        if name.lower() in _REQUEST_DROPPED:
            continue
        value = raw_value.decode("latin-1")
        existing = headers.get_ci(name)
        headers[name] = value if existing is None else f"{existing}, {value}"
    return headers


def _merged(pairs: list[tuple[bytes, bytes]]) -> Headers:
    headers = Headers()
    for raw_name, raw_value in pairs:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        existing = headers.get(name)
        headers[name] = value if existing is None else f"{existing}, {value}"
    return headers


async def _read_body(receive: Receive) -> bytes | None:
    """Return the request body, or None when it exceeds MAX_BODY_BYTES."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    if not any(name == b"content-length" for name, _ in headers):
        headers = [*headers, (b"content-length", str(len(body)).encode("ascii"))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class ProxyServer:
    """The proxy on 127.0.0.1 in a daemon thread, as a context manager; `port=0` picks a free port."""

    def __init__(self, proxy: ValidationProxy, port: int = 0) -> None:
        self.proxy = proxy
        self._requested_port = port
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{LOCALHOST}:{self.port}"

    def __enter__(self) -> ProxyServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Bind the port, start uvicorn in a thread and wait until it serves."""
        listener = bind_listener(LOCALHOST, self._requested_port)
        self.port = listener.getsockname()[1]
        self._server = uvicorn.Server(proxy_config(self.proxy, self.port))
        self._thread = start_in_thread(self._server, listener, f"validation-proxy-{self.port}")
        try:
            wait_until_accepting(self._server, self._thread, self.port, "the validation proxy")
        except BaseException:
            self.stop()
            raise
        logger.info("validation proxy on %s forwarding to %s", self.base_url, self.proxy.upstream)

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(STARTUP_TIMEOUT_SECONDS)
        self._server = None
        self._thread = None


def proxy_config(proxy: ValidationProxy, port: int) -> uvicorn.Config:
    """Return the uvicorn settings of the proxy: the reference server's, without uvicorn's
    own Date header, because the upstream's Date is forwarded."""
    return uvicorn_config(proxy, LOCALHOST, port, date_header=False)
