"""The HTTP protocol of the reference server: uvicorn's httptools protocol with two changes.

- Header values may contain control characters, so that such requests reach the checks
  and get their documented problem instead of llhttp's plain-text 400.
- The writes of one event loop iteration go to the socket as one write, so that a
  response costs one system call instead of two.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class CoalescingTransport:
    """A transport that joins the writes of one event loop iteration into one write.

    uvicorn writes the status line and headers, then the body, with two calls, and each
    write to a socket is a system call. On loopback that call also runs the receiver's
    TCP processing, so it costs more than the reference server's own work on a create.
    Pending bytes go out at the end of the current loop iteration (`call_soon`), and
    before the transport closes. Every other method is the wrapped transport's.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(bytes(data))

    def writelines(self, lines: Any) -> None:
        for data in lines:
            self.write(data)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(len(data) for data in self._pending)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)

    def _flush(self) -> None:
        if not self._pending:
            return
        data = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending.clear()
        # A transport that closed since, for example because the client went away, takes
        # no more data, and asyncio would only log a warning for it.
        if not self._transport.is_closing():
            self._transport.write(data)


class ReferenceProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with lenient header values and coalesced writes.

    llhttp rejects control characters in header values with a plain-text 400 before the
    application receives the request. With lenient header values the request reaches the
    checks and gets its documented problem, for example 401 problem 4 for a control
    character inside a bearer token. CR and LF still end a header line, so requests
    cannot be split differently than a strict parser would split them.

    NOTE: a request that is not valid HTTP for other reasons, such as a broken request
    line, still gets uvicorn's plain-text 400 and no problem body.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parser.set_dangerous_leniencies(lenient_headers=True)
        # The app logs each request itself, with tokens redacted. uvicorn decides from the
        # handlers of its access logger, which a test's log capture or an application's
        # logging setup can add, so its access log (raw paths included) is switched off here.
        self.access_log = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(CoalescingTransport(transport, self.loop))  # type: ignore[arg-type]
