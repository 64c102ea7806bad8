"""Shared fixtures of the sample tests: the bundled world as the reference server reads it."""

from __future__ import annotations

import pytest

from harness.server.world import World, load_world


@pytest.fixture(scope="session")
def world() -> World:
    return load_world()


@pytest.fixture(scope="session")
def variables(world: World) -> dict[str, str]:
    """The bundled world's variables, bearer-token variables included."""
    return dict(world.variables)
