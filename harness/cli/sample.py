"""`hook-harness sample`: print seeded create payloads, valid or breaking one documented rule."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from harness.contract.facts import API_VERSIONS, LATEST_VERSION
from harness.contract.versions import ACTION_STAGES
from harness.samples.fakers import check_locale
from harness.samples.generator import generate_payloads
from harness.samples.output import FORMATS, render
from harness.samples.rules import get_rule, rule_table

logger = logging.getLogger(__name__)

LIST_RULES = "list"


def _check_locale(ctx: click.Context, param: click.Parameter, value: str) -> str:
    try:
        return check_locale(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


def read_variables(path: Path) -> dict[str, str]:
    """Return the name-to-value mapping of a YAML or JSON file, raising click.BadParameter."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise click.BadParameter(f"cannot read {path}: {error}", param_hint="--variables") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise click.BadParameter(
            f"{path} must map variable names to strings, as in `account_id: f92c7bbf-...`",
            param_hint="--variables",
        )
    return {str(name): value for name, value in data.items()}


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return
    try:
        output.write_bytes(text.encode("utf-8"))
    except OSError as error:
        raise click.BadParameter(f"cannot write {output}: {error.strerror}", param_hint="--output") from None


@click.command("sample")
@click.option("--count", type=click.IntRange(min=0), default=10, show_default=True,
              help="Number of payloads to generate.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed; the same seed and options give byte-identical output.")
@click.option("--locale", default="en_US", show_default=True, callback=_check_locale,
              help="Faker locale of names and text, such as en_US, de_DE or ja_JP.")
@click.option("--version", "version", type=click.Choice(API_VERSIONS), default=LATEST_VERSION,
              show_default=True, help="Resource version the payloads declare.")
@click.option("--action", type=click.Choice(tuple(ACTION_STAGES)), default=None,
              help="Action of every payload. Default: drawn from the version's actions.")
@click.option("--invalid", "invalid_rule", default=None, metavar="RULE",
              help="Break this rule in every payload. `--invalid list` prints the rules of --version.")
@click.option("--list-rules", is_flag=True, help="Print the rules with their expected status and problem type.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="jsonl: a header line, then one payload per line. json: one document.")
@click.option("--variables", "variables_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="YAML file of ids by variable name (account_id, app_id, ...)."
              " Default: the bundled world's variables.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write. Default: standard output.")
def command(
    count: int, seed: int, locale: str, version: str, action: str | None, invalid_rule: str | None,
    list_rules: bool, output_format: str, variables_file: Path | None, output: Path | None,
) -> None:
    """Generate seeded create-execution-hook payloads with their expected responses."""
    if list_rules or invalid_rule == LIST_RULES:
        _write(rule_table(version) + "\n", output)
        return
    variables = read_variables(variables_file) if variables_file is not None else None
    try:
        if invalid_rule is not None:
            get_rule(invalid_rule, version)
        samples = generate_payloads(
            count, seed, locale=locale, version=version, action=action,
            invalid_rule=invalid_rule, variables=variables,
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    options: dict[str, Any] = {
        "seed": seed, "count": count, "locale": locale, "version": version, "action": action,
        "invalid_rule": invalid_rule, "variables": variables,
    }
    _write(render(samples, options, output_format), output)
    logger.info("wrote %d payloads (seed %d, rule %s)", count, seed, invalid_rule or "none")
