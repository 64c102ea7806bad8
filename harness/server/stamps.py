"""Values the server chooses for each request: UUIDs and timestamps."""

from __future__ import annotations

import os
import random
import time
from functools import lru_cache

# Ids and correlation ids only need to be unique, not unpredictable, so a Mersenne Twister
# seeded from the OS replaces uuid.uuid4(), which costs a system call per id.
_RANDOM = random.Random()
# A forked child would otherwise repeat its parent's sequence of ids.
os.register_at_fork(after_in_child=_RANDOM.seed)
_VERSION_4_MASK = 0xFFFFFFFF_FFFF_0FFF_3FFF_FFFFFFFFFFFF
_VERSION_4_BITS = 0x00000000_0000_4000_8000_000000000000


def new_uuid4() -> str:
    """Return a random lowercase UUID of version 4 (RFC 4122 variant)."""
    text = "%032x" % ((_RANDOM.getrandbits(128) & _VERSION_4_MASK) | _VERSION_4_BITS)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def utc_timestamp(nanoseconds: int | None = None) -> str:
    """Return a UTC timestamp with microseconds and a final Z, such as
    2024-01-31T12:00:00.123456Z, for `nanoseconds` since the epoch (default: now)."""
    if nanoseconds is None:
        nanoseconds = time.time_ns()
    seconds, remainder = divmod(nanoseconds, 1_000_000_000)
    return f"{_seconds_text(seconds)}.{remainder // 1000:06d}Z"


@lru_cache(maxsize=4)
def _seconds_text(seconds: int) -> str:
    """Return the date and time of `seconds` since the epoch, cached because creates within
    one second share it and strftime is the slow part of a timestamp."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
