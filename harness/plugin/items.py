"""Collector and test items for scenario files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness.plugin import session_state
from harness.report.result import ScenarioResult
from harness.runner.execute import run_scenario
from harness.scenario.loader import load_scenario_file
from harness.scenario.model import Scenario, ScenarioError


class ScenarioFile(pytest.File):
    """One scenario YAML file: a test per scenario, and a failing item per invalid entry."""

    def collect(self) -> Iterator[pytest.Item]:
        loaded = load_scenario_file(self.path)
        for scenario in loaded.scenarios:
            yield ScenarioItem.from_parent(self, name=scenario.id, scenario=scenario)
        for index, error in enumerate(loaded.errors):
            name = f"invalid[{error.key_path or index}]"
            yield InvalidScenarioItem.from_parent(self, name=name, error=error)


class ScenarioFailure(Exception):
    """A scenario whose response deviates from the contract or from its expectations."""


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.hook_result: ScenarioResult | None = None
        self.add_marker("hook_scenario")
        for tag in scenario.tags:
            if tag.isidentifier():
                self.config.addinivalue_line("markers", f"{tag}: scenarios tagged {tag}")
                self.add_marker(tag)

    def runtest(self) -> None:
        current = session_state.state(self.config)
        try:
            target = session_state.target(self.config)
        except (ValueError, OSError) as error:
            pytest.fail(f"cannot open the target: {error}", pytrace=False)
        result = run_scenario(self.scenario, target, current.settings)
        self.hook_result = result
        if result.outcome == "skipped":
            pytest.skip(result.message)
        if result.outcome in ("failed", "error"):
            raise ScenarioFailure(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailure):
            from harness.report.terminal import render_result

            return render_result(excinfo.value.args[0], color=False)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"scenario {self.scenario.id}"


class InvalidScenarioItem(pytest.Item):
    """Fails with the loader's message, so one bad entry never hides the other scenarios."""

    def __init__(self, *, error: ScenarioError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise ScenarioFailure(str(self.error))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return f"invalid scenario: {self.error}"

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, f"invalid scenario {self.error.key_path}"
