"""The world of the reference server: accounts, users and tokens, hook sources and apps.

A world file is YAML. `load_world` validates it completely before the server starts, so a
request never meets a half-valid world, and every error names the file and the key path.
The format is described in docs/reference-server.md.
"""

from __future__ import annotations

import importlib.resources
import logging
from pathlib import Path

import yaml

from harness.server.world_model import (
    INVALID_TOKEN, Account, App, Container, Pod, User, World, WorldError,
)
from harness.server.world_reader import WorldReader

__all__ = [
    "INVALID_TOKEN",
    "Account",
    "App",
    "Container",
    "Pod",
    "User",
    "World",
    "WorldError",
    "load_world",
    "parse_world",
]

logger = logging.getLogger(__name__)

DEFAULT_WORLD_RESOURCE = "default_world.yaml"


def load_world(path: Path | None = None) -> World:
    """Load and validate a world file, raising WorldError that names the file and key path.

    Without `path`, load the default world bundled with the package.
    """
    if path is None:
        resource = importlib.resources.files("harness.server").joinpath(DEFAULT_WORLD_RESOURCE)
        source = f"{DEFAULT_WORLD_RESOURCE} (bundled with harness.server)"
        text = resource.read_text(encoding="utf-8")
    else:
        source = str(path)
        text = _read_file(path)
    world = parse_world(text, source)
    logger.debug("loaded world %s with %d accounts", source, len(world.accounts))
    return world


def parse_world(text: str, source: str) -> World:
    """Validate the YAML text of a world file; `source` names the file in errors."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise WorldError(
            source, where, f"invalid YAML: {problem}", "correct the YAML syntax at that position"
        ) from None
    return WorldReader(source).read(document)


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorldError(
            str(path), "", "world file not found", "pass the path of an existing world file"
        ) from None
    except UnicodeDecodeError as error:
        raise WorldError(
            str(path), "", f"world file is not UTF-8 text ({error.reason} at byte {error.start})",
            "save the file as UTF-8",
        ) from None
    except OSError as error:
        raise WorldError(
            str(path), "", f"world file cannot be read: {error.strerror}",
            "check that the path is a readable file",
        ) from None
