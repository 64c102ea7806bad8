"""Unit tests of the ids and timestamps the server chooses."""

from __future__ import annotations

import os
import re
import uuid

from harness.contract.facts import TIMESTAMP_PATTERN, UUID_PATTERN
from harness.server.stamps import new_uuid4, utc_timestamp


def test_uuid_version_4() -> None:
    for _ in range(1000):
        value = uuid.UUID(new_uuid4())
        assert value.version == 4
        assert value.variant == uuid.RFC_4122


def test_uuid_contract_pattern() -> None:
    assert re.match(UUID_PATTERN, new_uuid4())


def test_uuid_unique() -> None:
    assert len({new_uuid4() for _ in range(10_000)}) == 10_000


def test_uuid_differs_after_fork() -> None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(write_end, new_uuid4().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read_end, 64).decode()
    os.close(read_end)
    os.close(write_end)
    assert child != new_uuid4()


def test_timestamp_value() -> None:
    assert utc_timestamp(1_700_000_000_123_456_789) == "2023-11-14T22:13:20.123456Z"


def test_timestamp_whole_second() -> None:
    assert utc_timestamp(1_700_000_000_000_000_000) == "2023-11-14T22:13:20.000000Z"


def test_timestamp_now_pattern() -> None:
    assert re.match(TIMESTAMP_PATTERN, utc_timestamp())
