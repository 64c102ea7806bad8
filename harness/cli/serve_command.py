"""`hook-harness serve`: the reference server alone, in the foreground."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from harness.contract.facts import API_VERSIONS, LATEST_VERSION


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="TCP port to listen on; 0 picks a free one.")
@click.option("--world", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="World YAML file (accounts, tokens, apps, hook sources). Default: the bundled world.")
@click.option("--api-version", type=click.Choice(API_VERSIONS), default=LATEST_VERSION, show_default=True,
              help="Resource version the server emulates.")
@click.option("--fault", "faults", multiple=True, metavar="NAME",
              help="Switch on a named contract violation; repeat for several. `--fault list` lists them.")
@click.option("--state", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="SQLite file that keeps the created hooks across restarts. It is created if "
                   "missing. Default: hooks live in memory until the server stops.")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="Log one line per request at INFO. Errors are logged either way.")
def serve(
    host: str, port: int, world: Path | None, api_version: str, faults: tuple[str, ...],
    state: Path | None, access_log: bool,
) -> None:
    """Serve the reference server until interrupted."""
    from harness.server.faults import fault_listing
    from harness.server.running import serve as serve_forever
    from harness.server.sqlite_store import StateFileError

    if "list" in faults:
        click.echo(fault_listing())
        return
    if logging.getLogger().level > logging.INFO:
        logging.getLogger().setLevel(logging.INFO)
    try:
        serve_forever(host, port, world, api_version, faults, state, access_log)
    except StateFileError as error:
        raise click.BadParameter(str(error), param_hint="--state") from None
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        raise click.ClickException(
            f"{error}. Check also that --host {host} is an address of this machine."
        ) from None
