"""Recordings of the shipped suite against the reference server, made once per test process.

Each recording runs `hook-harness run` in-process against a fresh reference server on a free
port of 127.0.0.1. Tests that change cassettes copy a recording into their own tmp_path.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from harness.cli.main import cli

# The drill's scenario files fail against a 1.2 server on purpose; only the drill runs them.
collect_ignore_glob = ["data/*"]

REPO = Path(__file__).resolve().parents[2]
SHIPPED_SCENARIOS = REPO / "scenarios"
DRILL_SCENARIOS = Path(__file__).resolve().parent / "data" / "drill-scenarios.yaml"


@dataclass(frozen=True)
class Invocation:
    exit_code: int
    output: str


def invoke(*args: str | Path) -> Invocation:
    """Run `hook-harness ARGS` in-process; standard error is part of the output."""
    result = CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)
    return Invocation(result.exit_code, result.output)


@dataclass(frozen=True)
class Recording:
    folder: Path
    report: Path
    run: Invocation


class Recordings:
    """Suite recordings by (scenarios, version, label), made on first request."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: dict[tuple[Path, str, str], Recording] = {}

    def get(self, version: str, label: str = "first", scenarios: Path = SHIPPED_SCENARIOS,
            world: Path | None = None) -> Recording:
        key = (scenarios, version, label)
        if key not in self._made:
            folder = self.root / f"{scenarios.stem}-{version}-{label}"
            report = self.root / f"{folder.name}.json"
            args: list[str | Path] = ["run", scenarios, "--record-mode", "all", "--cassette-dir", folder,
                                      "--api-version", version, "--report", report, "--no-color"]
            if world is not None:
                args += ["--world", world]
            self._made[key] = Recording(folder, report, invoke(*args))
        return self._made[key]


@pytest.fixture(scope="session")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> Recordings:
    return Recordings(tmp_path_factory.mktemp("recordings"))


def copy_recording(recording: Recording, destination: Path) -> Path:
    """Copy a recording's cassettes to `destination`, for a test that changes them."""
    shutil.copytree(recording.folder, destination)
    return destination
