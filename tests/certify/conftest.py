"""Fixtures of the certification tests: shipped scenarios, profiles and a certified bundle."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from harness.scenario.loader import load_scenarios
from harness.scenario.model import Scenario
from harness.server.running import ReferenceServer

REPO = Path(__file__).resolve().parents[2]
SHIPPED_SCENARIOS = REPO / "scenarios"


@pytest.fixture(scope="session")
def shipped_scenarios() -> list[Scenario]:
    loaded = load_scenarios([SHIPPED_SCENARIOS])
    assert not loaded.errors, [str(error) for error in loaded.errors]
    return loaded.scenarios


@pytest.fixture(scope="session")
def scenario_by_id(shipped_scenarios: list[Scenario]) -> dict[str, Scenario]:
    return {scenario.id: scenario for scenario in shipped_scenarios}


@pytest.fixture()
def fresh_server() -> Iterator[ReferenceServer]:
    """A reference server of this test alone, so hook names never clash with other tests."""
    with ReferenceServer() as server:
        yield server


def write_profile(folder: Path, server: ReferenceServer, token_env: dict[str, str]) -> Path:
    """Write a target profile for `server` that reads the tokens of `token_env` roles."""
    variables = {
        name: value for name, value in server.variables.items() if not name.startswith("tokens.")
    }
    document = {"base_url": server.base_url, "variables": variables, "token_env": token_env}
    path = folder / "profile.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
