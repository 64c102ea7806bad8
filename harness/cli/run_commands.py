"""`hook-harness run` and `hook-harness certify`.

Settings come from, in this order of priority: the command-line flags, then the target
profile file (`--profile`), then the defaults shown in `--help`.
"""

from __future__ import annotations

import datetime
import functools
import sys
from pathlib import Path
from typing import Any, Callable

import click

from harness import __version__
from harness.contract.facts import API_VERSIONS, LATEST_VERSION
from harness.recording.cassette import RecordMode
from harness.runner.execute import RunSettings
from harness.runner.suite import SuiteError, SuiteOptions, SuiteResult, run_suite

DEFAULT_SCENARIOS = Path("scenarios")
DEFAULT_CASSETTES = Path("cassettes")
RECORD_MODES = [mode.value for mode in RecordMode]


def _target_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--profile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Target profile YAML of a live server. Default: the bundled reference server."),
        click.option("--world", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="World file for the bundled reference server. Default: the bundled world."),
        click.option("--api-version", type=click.Choice(API_VERSIONS), default=LATEST_VERSION,
                     show_default=True, help="Resource version of the contract to check against."),
        click.option("--lenient", is_flag=True,
                     help="Do not report keys the contract forbids. Default: strict."),
        click.option("--select", multiple=True, metavar="GLOB",
                     help="Run only scenario ids matching GLOB; repeat for several. Default: all."),
        click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Also write the JSON report to this file."),
        click.option("--color/--no-color", default=None,
                     help="Colour the terminal view. Default: when standard output is a terminal."),
    ]
    for option in reversed(options):
        command = option(command)
    return functools.wraps(command)(command)


def _scenario_paths(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATHS")
        return list(paths)
    if not DEFAULT_SCENARIOS.is_dir():
        raise click.UsageError(
            f"no scenario folder at {DEFAULT_SCENARIOS.resolve()}: run from the repository root"
            " or give scenario files or folders as arguments"
        )
    return [DEFAULT_SCENARIOS]


@click.command()
@_target_options
@click.option("--record-mode", type=click.Choice(RECORD_MODES), default="once", show_default=True,
              help="none: replay only, no network; once: record cassettes that do not exist; "
                   "new_episodes: also record requests a cassette lacks; all: re-record everything.")
@click.option("--cassette-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CASSETTES,
              show_default=True, help="Folder of the cassettes, one per scenario.")
def run(paths: tuple[Path, ...], record_mode: str, cassette_dir: Path, **common: Any) -> None:
    """Run scenarios against a target, recording or replaying cassettes.

    Exits 0 when no scenario failed and at least one passed; `certify` also checks
    that every documented response is covered.
    """
    settings = RunSettings(cassette_dir, record_mode, common["api_version"], not common["lenient"])
    outcome = _run(paths, settings, common)
    checked = sum(1 for result in outcome.results if result.outcome == "passed")
    if checked == 0 and outcome.passed:
        click.echo("No scenario was checked: every one was skipped (see the reasons above).", err=True)
    sys.exit(0 if outcome.passed and checked > 0 else 1)


@click.command()
@_target_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the certification's cassettes and reports; must be new or empty. "
                   "Default: .hook-harness/certify-<UTC time>-<process id>.")
@click.option("--archive", is_flag=True,
              help="Also pack the bundle as <out>.tar.gz beside the folder; that file must not "
                   "exist yet.")
def certify(paths: tuple[Path, ...], out: Path | None, archive: bool, **common: Any) -> None:
    """Run the whole suite live against a target and print a verdict per status and problem type.

    Writes the bundle into --out: cassettes, report.json, report.xml, report.html and
    manifest.json. Fails when the verdict fails or the coverage gate finds a documented
    status or problem type without a passing scenario on one of the two paths.
    """
    from harness.cli.certify_extras import certify_bundle, claimed_out_folder, default_out_folder

    _reject_world_with_profile(common)
    out = out or default_out_folder()
    settings = RunSettings(out / "cassettes", "all", common["api_version"], not common["lenient"])
    with claimed_out_folder(out, archive=archive):
        passed = certify_bundle(paths, out, settings, common, archive=archive)
    sys.exit(0 if passed else 1)


def _reject_world_with_profile(common: dict[str, Any]) -> None:
    if common["profile"] is not None and common["world"] is not None:
        raise click.UsageError(
            "--world applies to the bundled reference server and --profile to a live server:"
            " give one of them"
        )


def _run(paths: tuple[Path, ...], settings: RunSettings, common: dict[str, Any]) -> SuiteResult:
    from harness.report.json_report import write_json_report
    from harness.report.terminal import render_results

    _reject_world_with_profile(common)
    options = SuiteOptions(_scenario_paths(paths), settings, common["profile"], common["world"],
                           tuple(common["select"]))
    try:
        outcome = run_suite(options)
    except SuiteError as error:
        raise click.UsageError(str(error)) from None
    except (ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None

    for load_error in outcome.load_errors:
        click.echo(f"invalid scenario: {load_error}", err=True)
    color = sys.stdout.isatty() if common["color"] is None else common["color"]
    click.echo(render_results(outcome.results, outcome.verdict, color=color))
    if common["report_path"] is not None:
        write_json_report(common["report_path"], outcome.results, outcome.verdict, _meta(settings, outcome))
        click.echo(f"JSON report: {common['report_path']}")
    return outcome


def _meta(settings: RunSettings, outcome: SuiteResult) -> dict[str, Any]:
    contract = settings.contract
    return {
        "tool": f"hook-harness {__version__}",
        "contract_version": contract.version,
        "contract_sha256": contract.digest(),
        "target": outcome.target_description,
        "record_mode": settings.record_mode,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "invalid_scenarios": [str(error) for error in outcome.load_errors],
    }
