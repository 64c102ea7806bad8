"""The server's HTTP protocol: coalesced writes, and responses whole and in order on the wire."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import pytest

from harness.server.openapi import OPENAPI_PATH
from harness.server.protocol import CoalescingTransport

from .conftest import Client, example_body


class RecordingTransport:
    """A stand-in transport that records its writes."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 8080) if name == "sockname" else default


def run_in_loop(steps: Any) -> None:
    async def main() -> None:
        await steps(asyncio.get_running_loop())

    asyncio.run(main())


def test_writes_joined() -> None:
    recording = RecordingTransport()

    async def steps(loop: asyncio.AbstractEventLoop) -> None:
        transport = CoalescingTransport(recording, loop)  # type: ignore[arg-type]
        transport.write(b"HTTP/1.1 201 Created\r\n\r\n")
        transport.write(b"{}")
        assert recording.writes == []
        await asyncio.sleep(0)

    run_in_loop(steps)
    assert recording.writes == [b"HTTP/1.1 201 Created\r\n\r\n{}"]


def test_close_flushes_first() -> None:
    recording = RecordingTransport()

    async def steps(loop: asyncio.AbstractEventLoop) -> None:
        transport = CoalescingTransport(recording, loop)  # type: ignore[arg-type]
        transport.write(b"last words")
        transport.close()
        await asyncio.sleep(0)

    run_in_loop(steps)
    assert recording.writes == [b"last words"]
    assert recording.closed


def test_closed_transport_gets_nothing() -> None:
    recording = RecordingTransport()

    async def steps(loop: asyncio.AbstractEventLoop) -> None:
        transport = CoalescingTransport(recording, loop)  # type: ignore[arg-type]
        transport.write(b"too late")
        recording.closed = True
        await asyncio.sleep(0)

    run_in_loop(steps)
    assert recording.writes == []


def test_buffer_size_and_passthrough() -> None:
    recording = RecordingTransport()
    sizes: list[int] = []

    async def steps(loop: asyncio.AbstractEventLoop) -> None:
        transport = CoalescingTransport(recording, loop)  # type: ignore[arg-type]
        transport.writelines([b"abc", b"de"])
        sizes.append(transport.get_write_buffer_size())
        sizes.append(transport.get_extra_info("sockname")[1])
        await asyncio.sleep(0)

    run_in_loop(steps)
    assert sizes == [5, 8080]
    assert recording.writes == [b"abcde"]


def read_responses(connection: socket.socket, count: int) -> list[tuple[int, bytes]]:
    """Read `count` responses with Content-Length from `connection`."""
    buffer = b""
    responses = []
    while len(responses) < count:
        while b"\r\n\r\n" not in buffer:
            chunk = connection.recv(65536)
            assert chunk, f"connection closed after {len(responses)} responses"
            buffer += chunk
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")))
        while len(buffer) < length:
            buffer += connection.recv(65536)
        responses.append((int(head.split(b" ")[1]), buffer[:length]))
        buffer = buffer[length:]
    return responses


def create_request(client: Client, name: str, close: bool = False) -> bytes:
    body = json.dumps(example_body(name=name)).encode()
    lines = [
        f"POST {client.core_path()} HTTP/1.1", f"Host: 127.0.0.1:{client.server.port}",
        f"Authorization: Bearer {client.variables['tokens.owner']}",
        "Content-Type: application/json", f"Content-Length: {len(body)}",
    ]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_pipelined_in_order(client: Client) -> None:
    names = [f"pipelined-{index}-{id(client)}" for index in range(3)]
    with socket.create_connection(("127.0.0.1", client.server.port), timeout=30) as connection:
        connection.sendall(b"".join(create_request(client, name) for name in names))
        responses = read_responses(connection, 3)
    assert [status for status, _ in responses] == [201, 201, 201]
    assert [json.loads(body)["name"] for _, body in responses] == names


def test_connection_close(client: Client) -> None:
    with socket.create_connection(("127.0.0.1", client.server.port), timeout=30) as connection:
        connection.sendall(create_request(client, f"closing-{id(client)}", close=True))
        responses = read_responses(connection, 1)
        rest = connection.recv(65536)
    assert responses[0][0] == 201
    assert rest == b""


def test_large_response_whole(client: Client) -> None:
    request = f"GET {OPENAPI_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", client.server.port), timeout=30) as connection:
        connection.sendall(request)
        status, body = read_responses(connection, 1)[0]
    assert status == 200
    assert len(body) > 16_384
    assert json.loads(body)["openapi"] == "3.0.3"


@pytest.mark.parametrize("request_line", [b"NOT HTTP AT ALL", b"POST /\x01 HTTP/1.1"], ids=["garbage", "control-in-target"])
def test_invalid_request_answered(client: Client, request_line: bytes) -> None:
    """uvicorn responds to a request that is not HTTP with its plain-text 400, then closes
    the connection. The coalescing transport must send the response before the close."""
    with socket.create_connection(("127.0.0.1", client.server.port), timeout=30) as connection:
        connection.sendall(request_line + b"\r\nHost: x\r\n\r\n")
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    assert received.startswith(b"HTTP/1.1 400 ")
