"""`hook-harness cassettes`: compare cassette sets and scan cassettes for tokens.

Exit codes: 0 when `diff` finds no difference that --fail-on counts or `scan` finds nothing,
1 when it does, 2 for usage errors and folders or files that cannot be read.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from harness.recording import scan_cassettes
from harness.recording.cassette_file import find_cassette_files
from harness.report.files import write_atomically
from harness.upgrade import (
    DEFAULT_IGNORE_RULES,
    FAIL_ON_CHOICES,
    CassetteSetError,
    IgnoreRules,
    diff_cassette_sets,
    failing_differences,
    render_json,
    render_text,
)
from harness.upgrade.normalize import Substitution

DEFAULT_CASSETTES = Path("cassettes")


class InputError(click.ClickException):
    """A folder, file or option value that cannot be used; exits with status 2 like usage errors."""

    exit_code = 2


@click.group(name="cassettes")
def command() -> None:
    """Compare recorded cassette sets and scan cassettes for tokens."""


def _default_ignores_help() -> str:
    patterns = "; ".join(rule.pattern for rule in DEFAULT_IGNORE_RULES)
    return f"Do not use the default ignored paths ({patterns})."


@command.command("diff", short_help="Compare two cassette sets, recorded before and after an upgrade.")
@click.argument("dir_a", type=click.Path(path_type=Path))
@click.argument("dir_b", type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default="any", show_default=True,
              help="Exit with 1 when there are differences of this kind: any, status (changed "
                   "status codes and problem types only), or none (always exit 0).")
@click.option("--ignore", "ignore_patterns", multiple=True, metavar="PATH_REGEX",
              help="Also ignore differences whose path matches this Python regular expression "
                   r"(re.search), such as 'response\.body\['name'\]'. Repeat for several.")
@click.option("--no-default-ignores", is_flag=True, help=_default_ignores_help())
@click.option("--substitute", "substitutions", multiple=True, metavar="A_TEXT=B_TEXT",
              help="Replace A_TEXT with B_TEXT in every string of DIR_A before comparing, for values "
                   "that differ by design, such as the name prefix of each run. Repeat for several.")
def diff(dir_a: Path, dir_b: Path, output_format: str, output: Path | None, fail_on: str,
         ignore_patterns: tuple[str, ...], no_default_ignores: bool, substitutions: tuple[str, ...]) -> None:
    """Compare cassette set DIR_A (before an upgrade) with DIR_B (after it), scenario by scenario.

    Cassettes pair up by file name. Reported: cassettes in one folder only, status, problem
    type and Content-Type changes, and added, removed and changed fields of requests and
    responses. Values each server chooses anew, such as ids and timestamps, are ignored.
    """
    try:
        ignore = IgnoreRules.build(ignore_patterns, defaults=not no_default_ignores)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--ignore") from None
    pairs = [_parse_substitution(text) for text in substitutions]
    try:
        result = diff_cassette_sets(dir_a, dir_b, ignore, pairs)
    except CassetteSetError as error:
        raise InputError(str(error)) from None

    failing = failing_differences(result.differences, fail_on)
    render = render_json if output_format == "json" else render_text
    report = render(result, failing, fail_on)
    if output is None:
        click.echo(report.rstrip("\n"))
    else:
        _write_report(output, report)
        click.echo(f"{len(result.differences)} differences, {len(failing)} counted by --fail-on {fail_on}."
                   f" Report: {output}")
    sys.exit(1 if failing else 0)


def _parse_substitution(text: str) -> Substitution:
    old, separator, new = text.partition("=")
    if not separator or not old:
        raise click.BadParameter(
            f"{text!r} is not A_TEXT=B_TEXT: give the text of DIR_A, '=', and the text of DIR_B"
            " that replaces it, such as run-41-=run-42-",
            param_hint="--substitute",
        )
    return old, new


def _write_report(output: Path, report: str) -> None:
    try:
        write_atomically(output, report if report.endswith("\n") else report + "\n")
    except OSError as error:
        raise InputError(
            f"cannot write --output {output}: {error.strerror or error}. Check that the folder is writable."
        ) from None


@command.command("scan", short_help="Report token-like values left in cassettes.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--secret-env", "secret_envs", multiple=True, metavar="NAME",
              help="Also report the value of this environment variable, such as a token used for "
                   "recording, wherever it appears. Repeat for several.")
def scan(paths: tuple[Path, ...], secret_envs: tuple[str, ...]) -> None:
    """Report token-like values left in cassettes: PATHS are files or folders (default: cassettes/).

    Exits with 1 when anything is found, naming the file, interaction and location of each.
    Values are shown as their first 4 characters and their length.
    """
    targets = _scan_targets(paths)
    secrets = [_secret_from_env(name) for name in secret_envs]
    files = find_cassette_files(targets)
    findings = scan_cassettes(targets, secrets=secrets)
    for finding in findings:
        click.echo(str(finding))
    if findings:
        files_with_findings = len({finding.path for finding in findings})
        click.echo(
            f"{len(findings)} token-like values in {files_with_findings} of {len(files)} cassettes."
            " Revoke any real token among them, then re-record those cassettes or replace the"
            " values with placeholders such as <tokens.owner>."
        )
        sys.exit(1)
    click.echo(f"{len(files)} cassettes scanned: no token-like values.")


def _scan_targets(paths: tuple[Path, ...]) -> list[Path]:
    if not paths:
        if not DEFAULT_CASSETTES.is_dir():
            raise InputError(
                f"no cassette folder at {DEFAULT_CASSETTES.resolve()}: run from the repository root"
                " or give cassette files or folders as arguments"
            )
        return [DEFAULT_CASSETTES]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}. Give existing cassette files or folders.")
    return list(paths)


def _secret_from_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise InputError(f"--secret-env {name}: the environment variable is unset or empty. Set it or drop the option.")
    return value
