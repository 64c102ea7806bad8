"""pytest plugin: collect scenario YAML files and run each scenario as a test.

Registered through the `pytest11` entry point. A YAML file is collected when it lies under
one of the `hook_scenario_dirs` ini folders. The default list is empty, so installing the
package changes no other project. A YAML file under a path given on the command line is
collected when it has a top-level `scenarios:` key. Each worker of pytest-xdist runs its own target; only the controller (or
a run without xdist) writes the JSON report.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from harness.plugin import items as scenario_items
from harness.plugin import session_state
from harness.recording.cassette import RecordMode

logger = logging.getLogger(__name__)

# The `hook_samples` fixture, for users who write their own tests.
pytest_plugins = ["harness.samples.fixtures"]

def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hook-harness", "hook-harness scenarios")
    group.addoption(
        "--record-mode", choices=[mode.value for mode in RecordMode], default=None,
        help="Cassette record mode: none (replay only, the default), once, new_episodes or all.",
    )
    group.addoption("--cassette-dir", default=None,
                    help="Folder of the cassettes, one per scenario. Default: <rootdir>/cassettes.")
    group.addoption("--target-profile", default=None,
                    help="Target profile YAML of a live server. Default: the bundled reference server.")
    group.addoption("--world", default=None,
                    help="World file for the bundled reference server. Default: the bundled world.")
    group.addoption("--api-version", default=None,
                    help="Resource version of the contract to check against. Default: 1.3.")
    group.addoption("--lenient", action="store_true", default=False,
                    help="Do not report keys the contract forbids. Default: strict.")
    group.addoption("--hook-report", default=None,
                    help="Write the JSON deviation report to this file. Default: no report.")
    group.addoption("--sample-seed", type=int, default=0,
                    help="Seed of the hook_samples fixture. Default: 0.")
    parser.addini("hook_scenario_dirs",
                  "Folders whose YAML files are all scenario files. Default: none.",
                  type="paths", default=[])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "hook_scenario: a scenario collected from a YAML file")
    session_state.configure(config)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    if not session_state.is_scenario_file(parent.config, file_path):
        return None
    return scenario_items.ScenarioFile.from_parent(parent, path=file_path)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    session_state.reject_cassette_collisions(config, items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    report = yield
    result = getattr(item, "hook_result", None)
    if result is not None and call.when == "call":
        report.user_properties.append(("hook_result", result.to_dict()))
    return report


def pytest_unconfigure(config: pytest.Config) -> None:
    session_state.close(config)
