"""`hook-harness contract`: show, import and compare contract documents.

Exit codes: 0 when the command succeeded (for `diff`, no change that fails per --fail-on),
1 when `diff` found failing changes, 2 for usage errors and unreadable input files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from harness.contract.datafile import ContractFileError, load_data_file
from harness.contract.diff import (
    FAIL_ON_CHOICES,
    diff_contracts,
    failing_changes,
    render_json,
    render_text,
)
from harness.contract.document import (
    DEFAULT_OPERATION,
    contract_document,
    validate_contract_document,
)
from harness.contract.facts import LATEST_VERSION
from harness.contract.model import load_contract
from harness.contract.openapi_import import ImportResult, import_operation
from harness.contract.versions import VERSIONS

_OPERATION_HELP = "Operation to read from OpenAPI documents, as 'METHOD /path'."


class InputError(click.ClickException):
    """An input file or argument that cannot be used; exits with status 2 like usage errors."""

    exit_code = 2


@click.group(name="contract")
def command() -> None:
    """Show, import and compare contract documents.

    A contract document is the portable JSON form of the create-execution-hook contract:
    request and response schemas, problem types, and the stages each action allows.
    """


@command.command("show")
@click.option(
    "--version",
    "version",
    type=click.Choice(list(VERSIONS)),
    default=LATEST_VERSION,
    show_default=True,
    help="Resource version of the built-in contract.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
    help="Output format.",
)
def show(version: str, output_format: str) -> None:
    """Print the built-in contract of a version as a contract document."""
    click.echo(_dump(contract_document(load_contract(version)), output_format), nl=False)


@command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--operation", default=DEFAULT_OPERATION, show_default=True, help=_OPERATION_HELP)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the document to this file instead of standard output.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    default=None,
    help="Output format. Default: yaml for an --output ending in .yaml or .yml, else json.",
)
def import_command(
    file: Path, operation: str, output: Path | None, output_format: str | None
) -> None:
    """Convert one operation of an OpenAPI 3.0 document (JSON or YAML) into a contract document.

    Warnings about constructs that were normalised go to standard error.
    """
    result = _import(file, operation)
    if output_format is None:
        output_format = (
            "yaml" if output is not None and output.suffix.lower() in (".yaml", ".yml") else "json"
        )
    text = _dump(result.document, output_format)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(
            f"cannot write {output}: {error.strerror}. Check the folder exists and is writable."
        ) from None
    click.echo(f"wrote {output} ({len(result.warnings)} warnings)", err=True)


@command.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default="breaking",
    show_default=True,
    help="Exit with 1 when there are changes of this kind: breaking (for clients or "
    "servers), breaking-clients, breaking-servers, any, or none (always exit 0).",
)
@click.option("--operation", default=DEFAULT_OPERATION, show_default=True, help=_OPERATION_HELP)
def diff(old: str, new: str, output_format: str, fail_on: str, operation: str) -> None:
    """Compare two contracts and list the changes, with whom each one breaks.

    OLD and NEW are each a built-in version (such as 1.1), a contract document file, or an
    OpenAPI 3.0 document, from which --operation is imported.
    """
    old_document = _load_source(old, operation, "OLD")
    new_document = _load_source(new, operation, "NEW")
    changes = diff_contracts(old_document, new_document)
    render = render_json if output_format == "json" else render_text
    click.echo(render(changes, old, new), nl=False)
    sys.exit(1 if failing_changes(changes, fail_on) else 0)


def _load_source(name: str, operation: str, label: str) -> dict[str, Any]:
    if name in VERSIONS:
        return contract_document(load_contract(name), operation)
    path = Path(name)
    if not path.is_file():
        known = ", ".join(VERSIONS)
        raise InputError(
            f"{label} {name!r} is neither a known version ({known}) nor an existing file. "
            "Give a version or the path of a contract document or OpenAPI document."
        )
    try:
        data = load_data_file(path)
        if isinstance(data, dict) and "openapi" in data:
            return _report_warnings(import_operation(data, operation, source=str(path))).document
        return validate_contract_document(data, str(path))
    except ContractFileError as error:
        raise InputError(str(error)) from None


def _import(file: Path, operation: str) -> ImportResult:
    try:
        return _report_warnings(import_operation(file, operation))
    except ContractFileError as error:
        raise InputError(str(error)) from None


def _report_warnings(result: ImportResult) -> ImportResult:
    for json_path, message in result.warnings:
        click.echo(f"warning: {result.source}: {json_path}: {message}", err=True)
    return result


def _dump(document: dict[str, Any], output_format: str) -> str:
    if output_format == "yaml":
        return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    return json.dumps(document, indent=2) + "\n"
