"""Per-run state of the pytest plugin, kept in the config's stash.

Holds the merged settings, the target (started on first use, stopped at the end), and on the
controller the results that the JSON report and the verdict are built from.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness.recording.cassette import find_path_collisions
from harness.runner.execute import RunSettings
from harness.runner.targets import Target, profile_target, reference_target


@dataclass
class PluginState:
    settings: RunSettings
    profile: Path | None
    world: Path | None
    report_path: Path | None
    scenario_roots: list[Path]
    named_paths: list[Path]
    is_worker: bool
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    target: Target | None = None


STATE_KEY = pytest.StashKey[PluginState]()


def configure(config: pytest.Config) -> None:
    rootdir = Path(config.rootpath)
    option = config.option
    cassette_dir = Path(option.cassette_dir) if option.cassette_dir else rootdir / "cassettes"
    settings = RunSettings(
        cassette_dir=cassette_dir,
        record_mode=option.record_mode or "none",
        contract_version=option.api_version or "1.3",
        strict=not option.lenient,
    )
    roots, named = _scenario_roots(config, rootdir)
    try:
        settings.contract
    except ValueError as error:
        raise pytest.UsageError(f"--api-version: {error}") from None
    if option.target_profile and option.world:
        raise pytest.UsageError(
            "--world applies to the bundled reference server and --target-profile to a live"
            " server: give one of them"
        )
    config.stash[STATE_KEY] = PluginState(
        settings=settings,
        profile=Path(option.target_profile) if option.target_profile else None,
        world=Path(option.world) if option.world else None,
        report_path=Path(option.hook_report) if option.hook_report else None,
        scenario_roots=roots,
        named_paths=named,
        is_worker=hasattr(config, "workerinput"),
    )
    config.pluginmanager.register(ResultCollector(config), "hook-harness-results")


def state(config: pytest.Config) -> PluginState:
    return config.stash[STATE_KEY]


def _scenario_roots(config: pytest.Config, rootdir: Path) -> tuple[list[Path], list[Path]]:
    """Return the configured scenario folders and the paths named on the command line."""
    configured = [Path(p).resolve() for p in config.getini("hook_scenario_dirs")]
    named: list[Path] = []
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        for arg in config.args:
            candidate = Path(arg.split("::")[0])
            if not candidate.is_absolute():
                candidate = Path(config.invocation_params.dir) / candidate
            named.append(candidate.resolve())
    return configured, named


# A scenario file is a mapping with a top-level `scenarios:` key.
_SCENARIO_FILE_MARK = re.compile(rb"^scenarios\s*:", re.MULTILINE)


def is_scenario_file(config: pytest.Config, path: Path) -> bool:
    """Tell whether `path` is collected as a scenario file.

    Every YAML file under a configured scenario folder is, so that an invalid one fails
    loudly. Under a path named on the command line, only files with a top-level `scenarios:`
    key are, so that YAML data files beside tests are left alone.
    """
    current = state(config)
    resolved = path.resolve()
    if resolved in current.named_paths:
        return True
    if any(_is_within(resolved, root) for root in current.scenario_roots):
        return True
    if any(_is_within(resolved, root) for root in current.named_paths):
        try:
            return _SCENARIO_FILE_MARK.search(resolved.read_bytes()) is not None
        except OSError:
            return False
    return False


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def target(config: pytest.Config) -> Target:
    """Return this process's target, starting it on first use."""
    current = state(config)
    if current.target is None:
        if current.profile is not None:
            manager = profile_target(current.profile)
        else:
            start = current.settings.record_mode != "none"
            manager = reference_target(current.world, current.settings.contract_version, start=start)
        current.target = current.stack.enter_context(manager)
    return current.target


def reject_cassette_collisions(config: pytest.Config, items: list[pytest.Item]) -> None:
    from harness.plugin.items import ScenarioItem

    scenario_items = [item for item in items if isinstance(item, ScenarioItem)]
    collisions = find_path_collisions([item.scenario.id for item in scenario_items])
    if not collisions:
        return
    sources: dict[str, list[str]] = {}
    for item in scenario_items:
        sources.setdefault(item.scenario.id, []).append(str(item.path))
    pairs = "; ".join(
        f"{first!r} ({', '.join(sources[first])}) and {second!r} ({', '.join(sources[second])})"
        for first, second in collisions
    )
    raise pytest.UsageError(
        f"scenario ids that resolve to one cassette file: {pairs}. Rename one of each pair"
        " so that every scenario records to its own cassette."
    )


class ResultCollector:
    """Gathers each scenario's result from the test reports, also those of xdist workers."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.results: list[dict[str, Any]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for name, value in report.user_properties:
            if name == "hook_result":
                self.results.append(value)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        current = state(self.config)
        if current.is_worker or not self.results:
            return
        from harness.report.result import ScenarioResult, Verdict
        from harness.report.terminal import render_verdict

        results = [ScenarioResult.from_dict(value) for value in self.results]
        verdict = Verdict.from_results(results, current.settings.contract)
        terminalreporter.write_sep("-", "hook-harness verdict")
        terminalreporter.write_line(render_verdict(verdict, color=terminalreporter.hasmarkup))
        if current.report_path is not None:
            _write_report(current, results, verdict)
            terminalreporter.write_line(f"JSON report: {current.report_path}")


def _write_report(current: PluginState, results: list[Any], verdict: Any) -> None:
    from harness import __version__
    from harness.report.json_report import write_json_report

    contract = current.settings.contract
    meta = {
        "tool": f"hook-harness {__version__}",
        "contract_version": contract.version,
        "contract_sha256": contract.digest(),
        "record_mode": current.settings.record_mode,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(),
    }
    write_json_report(current.report_path, results, verdict, meta)


def close(config: pytest.Config) -> None:
    current = config.stash.get(STATE_KEY, None)
    if current is not None:
        current.stack.close()
