"""A trivial ASGI application under uvicorn: the baseline of the throughput benchmark.

It reads the request body and responds 201 with a fixed two-byte JSON body, under the
settings a plain uvicorn deployment uses: httptools, uvloop, no access log.

    python benchmarks/server/trivial_app.py PORT
"""

from __future__ import annotations

import sys
from typing import Any, Awaitable, Callable

import uvicorn

_HEADERS = [(b"content-type", b"application/json"), (b"content-length", b"2")]


async def trivial_app(
    scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]],
    send: Callable[[dict[str, Any]], Awaitable[None]],
) -> None:
    """Read the whole body, then respond 201 with `{}`."""
    if scope["type"] != "http":
        return
    more_body = True
    while more_body:
        message = await receive()
        more_body = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 201, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": b"{}"})


def main() -> None:
    port = int(sys.argv[1])
    uvicorn.run(
        trivial_app, host="127.0.0.1", port=port, http="httptools", loop="uvloop",
        lifespan="off", access_log=False, log_level="warning",
    )


if __name__ == "__main__":
    main()
