"""The `hook-harness` command: run, certify and serve, plus the commands of other modules."""

from __future__ import annotations

import importlib
import logging
import sys

import click

from harness import __version__
from harness.cli import certify_extras, run_commands, serve_command

# Modules that each define one click command or group named `command`.
EXTRA_COMMAND_MODULES: tuple[str, ...] = (
    "harness.cli.sample",
    "harness.cli.generate",
    "harness.cli.contract",
    "harness.cli.cassettes",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hook-harness")
@click.option("-v", "--verbose", count=True, help="Log more: -v for INFO, -vv for DEBUG. Default: warnings only.")
def cli(verbose: int) -> None:
    """Contract test harness for Astra Control's create-execution-hook API."""
    level = logging.DEBUG
    if verbose == 0:
        level = logging.WARNING
    elif verbose == 1:
        level = logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


cli.add_command(run_commands.run)
cli.add_command(run_commands.certify)
cli.add_command(serve_command.serve)
for extra_command in certify_extras.COMMANDS:
    cli.add_command(extra_command)
for module_name in EXTRA_COMMAND_MODULES:
    cli.add_command(importlib.import_module(module_name).command)


def main() -> None:
    cli.main(prog_name="hook-harness", standalone_mode=True)


if __name__ == "__main__":
    sys.exit(main())
