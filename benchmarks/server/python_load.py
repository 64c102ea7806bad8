"""A closed-loop HTTP/1.1 load generator in Python, for machines without wrk.

Each connection sends one create request with a unique name, waits for the whole response,
and sends the next, until the duration is over. It prints one JSON line with the same keys
as `create.lua`.

    python benchmarks/server/python_load.py PORT SECONDS CONNECTIONS TAG ACCOUNT_ID TOKEN \\
        HOOK_SOURCE_ID APP_ID

NOTE: one Python process sends and parses every request, so on a 2-core machine it can be
slower than the server it measures. Numbers from it are lower bounds, and wrk is preferred.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Totals:
    """Counts and latencies (microseconds) over every connection."""

    latencies: list[int] = field(default_factory=list)
    non_2xx: int = 0
    errors_read: int = 0


def request_bytes(port: int, path: str, token: str, body: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


async def read_response(reader: asyncio.StreamReader) -> int:
    """Read one response with a Content-Length and return its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def connection(number: int, port: int, deadline: float, argv: list[str], totals: Totals) -> None:
    tag, account_id, token, hook_source_id, app_id = argv
    path = f"/accounts/{account_id}/core/v1/executionHooks"
    reader, writer = await asyncio.open_connection(HOST, port)
    counter = 0
    try:
        while time.monotonic() < deadline:
            counter += 1
            body = json.dumps({
                "type": "application/astra-executionHook", "version": "1.2",
                "name": f"{tag}-{number}-{counter}", "hookType": "custom", "action": "snapshot",
                "stage": "pre", "hookSourceID": hook_source_id, "arguments": ["freeze"],
                "appID": app_id, "enabled": "true", "description": "Payroll production hook",
            }, separators=(",", ":")).encode()
            started = time.perf_counter_ns()
            writer.write(request_bytes(port, path, token, body))
            status = await read_response(reader)
            totals.latencies.append((time.perf_counter_ns() - started) // 1000)
            if not 200 <= status < 300:
                totals.non_2xx += 1
    except (OSError, asyncio.IncompleteReadError):
        totals.errors_read += 1
    finally:
        writer.close()


def percentile(sorted_values: list[int], fraction: float) -> int:
    if not sorted_values:
        return 0
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


async def run(port: int, seconds: float, connections: int, argv: list[str]) -> dict[str, int]:
    totals = Totals()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(
        connection(number, port, deadline, argv, totals) for number in range(1, connections + 1)
    ))
    duration_us = int((time.monotonic() - started) * 1_000_000)
    latencies = sorted(totals.latencies)
    return {
        "requests": len(latencies), "duration_us": duration_us,
        "p50_us": percentile(latencies, 0.50), "p99_us": percentile(latencies, 0.99),
        "max_us": latencies[-1] if latencies else 0, "errors_connect": 0,
        "errors_read": totals.errors_read, "errors_write": 0, "errors_timeout": 0,
        "non_2xx": totals.non_2xx,
    }


def main() -> None:
    port, seconds, connections = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    result = asyncio.run(run(port, seconds, connections, sys.argv[4:9]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
