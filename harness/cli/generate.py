"""`hook-harness generate`: write a seeded suite of valid and invalid scenarios as YAML files."""

from __future__ import annotations

from pathlib import Path

import click

from harness.contract.facts import API_VERSIONS
from harness.samples.fakers import check_locale
from harness.samples.suite import DEFAULT_LOCALES, SCENARIOS_PER_FILE, SuiteOptions, write_suite


def _check_locales(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    try:
        return tuple(check_locale(value) for value in values)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


@click.command("generate")
@click.option("--count", type=click.IntRange(min=1), required=True, help="Number of scenarios.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed; the same seed and options write the same scenarios.")
@click.option("--invalid-share", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="Share of scenarios that break one documented rule, from 0 to 1.")
@click.option("--version", "versions", type=click.Choice(API_VERSIONS), multiple=True,
              help="Resource version of the bodies; repeat for several. Default: all versions.")
@click.option("--locale", "locales", multiple=True, callback=_check_locales,
              help=f"Faker locale; repeat for several. Default: {', '.join(DEFAULT_LOCALES)}.")
@click.option("--per-file", type=click.IntRange(min=1), default=SCENARIOS_PER_FILE, show_default=True,
              help="Scenarios per YAML file.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder of the scenario files; created if missing.")
@click.option("--overwrite", is_flag=True, help="Replace generated files already in the folder.")
def command(
    count: int, seed: int, invalid_share: float, versions: tuple[str, ...], locales: tuple[str, ...],
    per_file: int, output: Path, overwrite: bool,
) -> None:
    """Generate scenario files of seeded create requests, each with its documented response."""
    options = SuiteOptions(
        count=count, seed=seed, invalid_share=invalid_share,
        versions=versions or API_VERSIONS, locales=locales or DEFAULT_LOCALES, per_file=per_file,
    )
    try:
        written = write_suite(options, output, overwrite=overwrite)
    except (ValueError, FileExistsError) as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        raise click.BadParameter(f"cannot write to {output}: {error.strerror}", param_hint="--output") from None
    click.echo(f"wrote {count} scenarios in {len(written)} files to {output}")
