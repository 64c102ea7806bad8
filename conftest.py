"""Shared fixtures of the project's own test suite."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def reference_server() -> Iterator[Any]:
    """The bundled reference server with its default world, one per test process.

    Its state lasts the whole session, so tests that create hooks give them unique names.
    """
    from harness.server.running import ReferenceServer

    with ReferenceServer() as server:
        yield server
