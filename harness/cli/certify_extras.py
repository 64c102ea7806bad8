"""`hook-harness verify`, `mutation` and `proxy`, and the bundle writing of `certify`.

`COMMANDS` lists the click commands of this module for the command group to register.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from harness.contract.facts import API_VERSIONS, LATEST_VERSION
from harness.runner.execute import RunSettings

DEFAULT_PROXY_PORT = 8081


def _utc_stamp() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# Created inside --out for the duration of a certify run, so a second run cannot share the folder.
RUN_MARKER = ".certify-running"


def default_out_folder() -> Path:
    """Return .hook-harness/certify-<UTC time with microseconds>-<process id>."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    return Path(".hook-harness") / f"certify-{stamp}-{os.getpid()}"


@contextmanager
def claimed_out_folder(out: Path, *, archive: bool) -> Iterator[Path]:
    """Claim `out` for one certify run and yield it; remove the claim when the run ends.

    The claim is a folder RUN_MARKER made with os.mkdir, which fails if it exists, so of
    two runs started together only one gets the folder. Raises click.UsageError, before
    anything runs, when `out` contains files, another run has claimed it, or `--archive`
    would overwrite an existing archive.
    """
    from harness.certify.bundle import archive_path_for

    if archive and archive_path_for(out).exists():
        raise click.UsageError(
            f"--archive: {archive_path_for(out)} already exists and certification never "
            "overwrites an earlier archive: move or delete it, or give another --out"
        )
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"--out {out} is a file: give a new or empty folder")
    out.mkdir(parents=True, exist_ok=True)
    marker = out / RUN_MARKER
    try:
        os.mkdir(marker)
    except FileExistsError:
        raise click.UsageError(
            f"--out {out} is in use by another certify run ({marker} exists): give another "
            f"folder. If no run is active, an earlier run was interrupted: delete {out}"
        ) from None
    try:
        others = sorted(path.name for path in out.iterdir() if path.name != RUN_MARKER)
        if others:
            raise click.UsageError(
                f"--out {out} already contains files ({', '.join(others[:3])}). Certification "
                "never overwrites earlier recordings: give a new or empty folder"
            )
        yield out
    finally:
        os.rmdir(marker)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _color(flag: bool | None) -> bool:
    return sys.stdout.isatty() if flag is None else flag


def certify_bundle(
    paths: tuple[Path, ...], out: Path, settings: RunSettings, common: dict[str, Any],
    *, archive: bool = False, seed: int | None = None,
) -> bool:
    """Run a certification, print it, write the bundle into `out`; return whether it passed."""
    from harness.certify.bundle import write_bundle
    from harness.cli.run_commands import _meta
    from harness.runner.suite import SuiteResult

    certification = _run_certification(paths, settings, common)
    _print_certification(certification, _color(common["color"]))

    suite = SuiteResult(certification.results, certification.verdict, certification.load_errors,
                        certification.target_description)
    meta = _meta(settings, suite)
    try:
        written = write_bundle(out, certification, meta, seed=seed, archive=archive)
    except FileExistsError as error:
        # Another process created the archive while this run was going on.
        raise click.ClickException(f"{error}. The bundle folder {out} is complete.") from None
    extra_report = common.get("report_path")
    if extra_report is not None and Path(extra_report) != written.json_report:
        _write_extra_report(Path(extra_report), certification, meta)
    click.echo(f"Bundle: {out} (report.json, report.xml, report.html, manifest.json, cassettes/)")
    if written.archive is not None:
        click.echo(f"Archive: {written.archive}")
    click.echo(f"CERTIFICATION: {'PASSED' if certification.passed else 'FAILED'}")
    return certification.passed


def _run_certification(paths: tuple[Path, ...], settings: RunSettings, common: dict[str, Any]) -> Any:
    from harness.certify.certification import run_certification
    from harness.cli.run_commands import _scenario_paths
    from harness.runner.suite import SuiteError, SuiteOptions

    options = SuiteOptions(_scenario_paths(paths), settings, common["profile"], common["world"],
                           tuple(common["select"]))
    try:
        return run_certification(options)
    except SuiteError as error:
        raise click.UsageError(str(error)) from None
    except (ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None


def _print_certification(certification: Any, color: bool) -> None:
    from harness.certify.traceability import render_traceability
    from harness.report.terminal import render_results

    for load_error in certification.load_errors:
        click.echo(f"invalid scenario: {load_error}", err=True)
    click.echo(render_results(certification.results, certification.verdict, color=color))
    click.echo("")
    click.echo(render_traceability(certification.traceability, color=color))


def _write_extra_report(path: Path, certification: Any, meta: dict[str, Any]) -> None:
    """Write the bundle's JSON report to the --report file too."""
    from harness.certify.bundle import certification_report
    from harness.report.files import write_atomically

    write_atomically(path, _json_text(certification_report(certification, meta)))
    click.echo(f"JSON report: {path}")


def _json_text(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


@click.command()
@click.argument("bundle", type=click.Path(exists=True, path_type=Path))
def verify(bundle: Path) -> None:
    """Check a certification bundle offline: file hashes and every recorded response.

    BUNDLE is the folder `hook-harness certify --out` wrote, or its .tar.gz archive.
    Exits 1 when a file is missing, altered or added, the manifest disagrees with
    report.json, a recorded response deviates, or the bundle records a failed certification.
    """
    from harness.certify.manifest import BundleError
    from harness.certify.verify import verify_bundle

    try:
        result = verify_bundle(bundle)
    except BundleError as error:
        raise click.ClickException(str(error)) from None
    for problem in result.problems:
        click.echo(f"FAILED {problem}")
    click.echo(
        f"{result.files_checked} files, {result.cassettes_checked} cassettes and "
        f"{result.interactions_checked} recorded responses checked against contract version "
        f"{result.contract_version or 'unknown'}."
    )
    click.echo(f"recorded verdict: {_verdict_word(result.recorded_passed)}")
    if not result.passed:
        click.echo(f"VERIFY FAILED: {bundle} has {_count(len(result.problems), 'problem')}.")
        sys.exit(1)
    if result.recorded_passed is not True:
        click.echo(f"INTACT BUT FAILED: {bundle} is unaltered and every recorded response "
                   "conforms, but it certifies a failed certification, not conformance.")
        sys.exit(1)
    click.echo(f"VERIFIED: {bundle} is unaltered, every recorded response conforms and it "
               "certifies a passed certification.")


def _verdict_word(passed: bool | None) -> str:
    if passed is None:
        return "unknown (neither report.json nor manifest.json records it)"
    return "PASSED" if passed else "FAILED"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fault", "faults", multiple=True, metavar="NAME",
              help="Seed only this fault; repeat for several. `--fault list` lists them. "
                   "Default: every fault.")
@click.option("--world", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="World file for the reference servers. Default: the bundled world.")
@click.option("--api-version", type=click.Choice(API_VERSIONS), default=LATEST_VERSION,
              show_default=True, help="Resource version the servers emulate and the contract checks.")
@click.option("--lenient", is_flag=True, help="Do not report keys the contract forbids. Default: strict.")
@click.option("--all-scenarios", is_flag=True,
              help="Run every scenario against each fault instead of stopping at the first "
                   "that detects it, to list all detecting scenarios.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the mutation report as JSON to this file.")
def mutation(
    paths: tuple[Path, ...], faults: tuple[str, ...], world: Path | None, api_version: str,
    lenient: bool, all_scenarios: bool, report_path: Path | None,
) -> None:
    """Seed each fault into a fresh reference server and report the share the scenarios detect.

    Exits 1 when a fault survived or a scenario fails on the server without faults.
    """
    from harness.certify.mutation import fault_names, run_mutation
    from harness.server.faults import fault_listing
    from harness.server.world import load_world

    if "list" in faults:
        click.echo(fault_listing())
        return
    try:
        names = fault_names(faults)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--fault") from None
    scenarios = _load_scenarios(paths, api_version)
    try:
        loaded_world = load_world(world)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--world") from None
    report = run_mutation(
        scenarios, names, world=loaded_world, api_version=api_version, strict=not lenient,
        stop_at_first=not all_scenarios, on_outcome=lambda outcome: click.echo(_outcome_line(outcome)),
    )
    _print_mutation(report)
    if report_path is not None:
        from harness.report.files import write_atomically

        write_atomically(report_path, _json_text(report.to_dict()))
        click.echo(f"JSON report: {report_path}")
    sys.exit(0 if report.passed else 1)


def _print_mutation(report: Any) -> None:
    for result in report.baseline_failures:
        reason = result.message or (result.deviations[0].message if result.deviations else "")
        click.echo(f"baseline {result.outcome}: {result.scenario_id} fails on the server without "
                   f"faults, so it was left out: {reason}")
    detected = len(report.outcomes) - len(report.survivors)
    click.echo(f"Mutation score: {detected} of {len(report.outcomes)} faults detected "
               f"({report.score:.1%}).")
    if report.survivors:
        click.echo("Survived: " + ", ".join(outcome.fault for outcome in report.survivors))


def _load_scenarios(paths: tuple[Path, ...], api_version: str) -> list[Any]:
    from harness.cli.run_commands import _scenario_paths
    from harness.runner.suite import SuiteError, SuiteOptions, collect

    options = SuiteOptions(_scenario_paths(paths), RunSettings(Path("."), "all", api_version))
    try:
        scenarios, errors = collect(options)
    except SuiteError as error:
        raise click.UsageError(str(error)) from None
    for error in errors:
        click.echo(f"invalid scenario: {error}", err=True)
    return scenarios


def _outcome_line(outcome: Any) -> str:
    if not outcome.detected:
        return f"SURVIVED  {outcome.fault}: {outcome.description}"
    others = len(outcome.detected_by) - 1
    more = f" and {others} more" if others > 0 else ""
    return (f"detected  {outcome.fault} by {outcome.detected_by[0]}{more} "
            f"({_count(outcome.scenarios_run, 'scenario')} run)")


@click.command()
@click.option("--upstream", metavar="URL",
              help="Server to forward to, as http(s)://host[:port][/prefix]. Default: the "
                   "profile's base_url.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PROXY_PORT, show_default=True,
              help="Port on 127.0.0.1 to listen on; 0 picks a free one.")
@click.option("--cassette-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for one cassette per exchange; must be empty or new. "
                   "Default: .hook-harness/proxy-<UTC time>.")
@click.option("--profile", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Target profile: its tokens are scrubbed by role name, its TLS settings "
                   "apply, and its base_url is the default upstream.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON report, rewritten after each exchange. Default: proxy-report.json "
                   "in the cassette folder.")
@click.option("--api-version", type=click.Choice(API_VERSIONS), default=LATEST_VERSION,
              show_default=True, help="Resource version of the contract to check against.")
@click.option("--lenient", is_flag=True, help="Do not report keys the contract forbids. Default: strict.")
def proxy(
    upstream: str | None, port: int, cassette_dir: Path | None, profile: Path | None,
    report_path: Path | None, api_version: str, lenient: bool,
) -> None:
    """Forward traffic on 127.0.0.1 to an upstream server, recording and checking each exchange."""
    import uvicorn

    from harness.certify.proxy import ValidationProxy, proxy_config
    from harness.server.running import LOCALHOST, bind_listener
    from harness.certify.proxy_log import REPORT_NAME, ProxyLog, describe_entry
    from harness.contract import load_contract

    secrets, verify_tls, profile_url = _profile_settings(profile)
    upstream = _upstream_url(upstream or profile_url)
    folder = cassette_dir or Path(".hook-harness") / f"proxy-{_utc_stamp()}"
    if folder.exists() and any(folder.iterdir()):
        raise click.BadParameter(f"{folder} already contains files; give an empty or new folder",
                                 param_hint="--cassette-dir")
    log = ProxyLog(folder, report_path or folder / REPORT_NAME, load_contract(api_version),
                   upstream, secrets, strict=not lenient)
    app = ValidationProxy(upstream, log, verify=verify_tls,
                          on_entry=lambda entry: click.echo(describe_entry(entry)))
    try:
        listener = bind_listener(LOCALHOST, port)
    except OSError as error:
        raise click.BadParameter(str(error), param_hint="--port") from None
    bound = listener.getsockname()[1]
    click.echo(f"Validation proxy on http://127.0.0.1:{bound} forwarding to {upstream}. "
               f"Cassettes: {folder}. Report: {log.report_path}. Stop with Ctrl+C.")
    try:
        uvicorn.Server(proxy_config(app, bound)).run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()
    counts = log.report()["counts"]
    click.echo("Exchanges: " + ", ".join(f"{count} {state}" for state, count in counts.items()))
    sys.exit(1 if counts["deviates"] or counts["upstream error"] else 0)


def _profile_settings(profile: Path | None) -> tuple[dict[str, str], bool | str, str | None]:
    """Return the token placeholders, TLS setting and base URL of `profile`, or defaults."""
    if profile is None:
        return {}, True, None
    from harness.scenario.profile import ProfileError, load_profile

    try:
        loaded = load_profile(profile, os.environ)
    except ProfileError as error:
        raise click.BadParameter(str(error), param_hint="--profile") from None
    secrets = {value: name for name, value in loaded.variables.items() if name.startswith("tokens.")}
    return secrets, loaded.verify, loaded.base_url


def _upstream_url(value: str | None) -> str:
    if not value:
        raise click.UsageError("no upstream: give --upstream http://host:port, or a --profile "
                               "with base_url")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise click.BadParameter(
            f"{value!r} is not an http or https URL with a host and without query or fragment; "
            "write for example http://127.0.0.1:8080", param_hint="--upstream",
        )
    return value.rstrip("/")


COMMANDS = [verify, mutation, proxy]
