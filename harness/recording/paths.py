"""Cassette file names: one file per scenario, named after the scenario id."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

CASSETTE_SUFFIX = ".yaml"

# Characters kept as they are in a file name; any other character becomes "_".
_UNSAFE_CHARACTER = re.compile(r"[^A-Za-z0-9._-]")
# File names that Windows reserves for devices, whatever their extension.
_WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{digit}" for digit in range(1, 10)]
    + [f"lpt{digit}" for digit in range(1, 10)]
)
# Longer ids are cut and given a digest, so that the name stays under the 255-byte limit
# of common file systems.
_MAX_STEM_LENGTH = 150
_DIGEST_LENGTH = 16


def cassette_file_name(scenario_id: str) -> str:
    """Return the cassette file name for `scenario_id`.

    Letters, digits, ".", "_" and "-" are kept, every other character becomes "_", and a
    leading "." or a Windows device name gets a "_" in front. Two ids may therefore share
    a name: `find_path_collisions` finds them.
    """
    if not isinstance(scenario_id, str) or not scenario_id.strip():
        raise ValueError(f"invalid scenario id {scenario_id!r}: a cassette needs a non-empty id")
    stem = _UNSAFE_CHARACTER.sub("_", scenario_id.strip())
    if stem.startswith(".") or stem.split(".")[0].lower() in _WINDOWS_DEVICE_NAMES:
        stem = "_" + stem
    if len(stem) > _MAX_STEM_LENGTH:
        digest = hashlib.sha256(scenario_id.encode("utf-8")).hexdigest()[:_DIGEST_LENGTH]
        stem = f"{stem[: _MAX_STEM_LENGTH - _DIGEST_LENGTH - 1]}-{digest}"
    return stem + CASSETTE_SUFFIX


def cassette_path(cassette_dir: Path, scenario_id: str) -> Path:
    """Return the path of the cassette of `scenario_id` inside `cassette_dir`."""
    return Path(cassette_dir) / cassette_file_name(scenario_id)


def find_path_collisions(ids: Iterable[str]) -> list[tuple[str, str]]:
    """Return pairs of ids whose cassettes would be one file.

    Names compare case-insensitively too, because macOS and Windows file systems do. Each
    pair is (first id with that name, later id), in input order; an id given twice pairs
    with itself.
    """
    first_by_name: dict[str, str] = {}
    collisions: list[tuple[str, str]] = []
    for scenario_id in ids:
        name = cassette_file_name(scenario_id).casefold()
        if name in first_by_name:
            collisions.append((first_by_name[name], scenario_id))
        else:
            first_by_name[name] = scenario_id
    return collisions
