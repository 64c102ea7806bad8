"""Compare two cassette sets, recorded before and after an upgrade, scenario by scenario.

Cassettes pair up by their path inside their folder, a name made from the scenario id.
Within a pair, exchanges pair up by position. For each pair the diff compares the request,
then the status, the problem type and the Content-Type of the response. Response headers and body
are compared only when status and problem type are equal, because a body of another
status or problem type differs in every field and listing them would hide the cause.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deepdiff import DeepDiff

from harness.exchange import Exchange
from harness.recording import CassetteError, read_interactions
from harness.report.deviation import json_path
from harness.upgrade.difference import (
    ABSENT,
    ADDED_FIELD,
    ADDED_INTERACTION,
    CHANGED_TYPE,
    CHANGED_VALUE,
    CONTENT_TYPE,
    ONLY_IN_A,
    ONLY_IN_B,
    PROBLEM_TYPE,
    REMOVED_FIELD,
    REMOVED_INTERACTION,
    STATUS,
    Difference,
)
from harness.upgrade.ignore import IgnoreRules
from harness.upgrade.normalize import ComparableExchange, Substitution, comparable_exchange, same_media_type

logger = logging.getLogger(__name__)

CASSETTE_SUFFIXES = (".yaml", ".yml")

# DeepDiff's report types, by the difference kind each one becomes.
_DEEPDIFF_KINDS = {
    "dictionary_item_added": ADDED_FIELD,
    "iterable_item_added": ADDED_FIELD,
    "dictionary_item_removed": REMOVED_FIELD,
    "iterable_item_removed": REMOVED_FIELD,
    "values_changed": CHANGED_VALUE,
    "type_changes": CHANGED_TYPE,
}


class CassetteSetError(Exception):
    """A cassette folder that cannot be compared: missing, empty, or with an unreadable file."""


@dataclass
class CassetteSetDiff:
    """The differences between cassette set A (before) and B (after), sorted by cassette."""

    folder_a: Path
    folder_b: Path
    cassettes_a: int
    cassettes_b: int
    differences: list[Difference]
    ignore: IgnoreRules
    substitutions: tuple[Substitution, ...] = field(default=())

    @property
    def cassettes_with_differences(self) -> int:
        return len({difference.cassette for difference in self.differences})


def diff_cassette_sets(
    folder_a: Path,
    folder_b: Path,
    ignore: IgnoreRules | None = None,
    substitutions: Sequence[Substitution] = (),
) -> CassetteSetDiff:
    """Compare every cassette of `folder_a` with the one of the same name in `folder_b`.

    `substitutions` are (old, new) texts replaced in A's strings before comparing. Raises
    CassetteSetError naming the folder or file that cannot be read.
    """
    ignore = ignore or IgnoreRules.build()
    files_a = list_cassettes(Path(folder_a), "DIR_A")
    files_b = list_cassettes(Path(folder_b), "DIR_B")
    differences: list[Difference] = []
    for name in sorted(files_a.keys() | files_b.keys()):
        if name not in files_b:
            differences.append(Difference(name, ONLY_IN_A, a=_final_outcome(files_a[name])))
        elif name not in files_a:
            differences.append(Difference(name, ONLY_IN_B, b=_final_outcome(files_b[name])))
        else:
            found = diff_cassettes(name, files_a[name], files_b[name], substitutions)
            # Whole-interaction differences have no path, so no pattern can hide them.
            differences.extend(d for d in found if not (d.path and ignore.ignores(d.path)))
    logger.info("compared %d and %d cassettes: %d differences", len(files_a), len(files_b), len(differences))
    return CassetteSetDiff(
        Path(folder_a), Path(folder_b), len(files_a), len(files_b), differences, ignore, tuple(substitutions)
    )


def list_cassettes(folder: Path, label: str) -> dict[str, Path]:
    """Return the cassette files under `folder` by their POSIX path relative to it."""
    if not folder.exists():
        raise CassetteSetError(
            f"{label} {folder} does not exist: give the folder that `hook-harness run --cassette-dir` recorded into"
        )
    if not folder.is_dir():
        raise CassetteSetError(f"{label} {folder} is a file, not a folder: give the folder of a cassette set")
    found = {
        path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in CASSETTE_SUFFIXES and not path.name.startswith(".")
    }
    if not found:
        raise CassetteSetError(
            f"{label} {folder} contains no cassette files (*.yaml, *.yml): give the folder that"
            " `hook-harness run --cassette-dir` recorded into"
        )
    return found


def diff_cassettes(
    name: str, path_a: Path, path_b: Path, substitutions: Sequence[Substitution] = ()
) -> list[Difference]:
    """Return the differences between two recordings of one scenario, ignoring nothing."""
    exchanges_a = [comparable_exchange(e, substitutions) for e in _read(path_a)]
    exchanges_b = [comparable_exchange(e) for e in _read(path_b)]
    differences: list[Difference] = []
    for index, (a, b) in enumerate(zip(exchanges_a, exchanges_b)):
        differences.extend(diff_exchanges(name, index, a, b))
    for index in range(len(exchanges_b), len(exchanges_a)):
        differences.append(Difference(name, REMOVED_INTERACTION, interaction=index, a=request_line(exchanges_a[index])))
    for index in range(len(exchanges_a), len(exchanges_b)):
        differences.append(Difference(name, ADDED_INTERACTION, interaction=index, b=request_line(exchanges_b[index])))
    return differences


def diff_exchanges(name: str, index: int, a: ComparableExchange, b: ComparableExchange) -> list[Difference]:
    """Return the differences between two comparable exchanges, ignoring nothing."""
    differences = _deep_differences(name, index, {"request": a.request}, {"request": b.request})
    if a.status != b.status:
        differences.append(Difference(name, STATUS, "response.status", index, a.status, b.status))
    if a.problem_type != b.problem_type:
        differences.append(Difference(name, PROBLEM_TYPE, "response.body['type']", index, a.problem_type, b.problem_type))
    if not same_media_type(a.content_type, b.content_type):
        differences.append(
            Difference(name, CONTENT_TYPE, "response.headers.content-type", index,
                       _present(a.content_type), _present(b.content_type))
        )
    if a.status == b.status and a.problem_type == b.problem_type:
        differences.extend(_deep_differences(name, index, {"response": a.response}, {"response": b.response}))
    return differences


def request_line(exchange: ComparableExchange) -> str:
    """Return "METHOD /path?query" of the exchange's request."""
    query = exchange.request["query"]
    return f"{exchange.request['method']} {exchange.request['path']}" + (f"?{query}" if query else "")


def outcome_text(status: int, problem_type: int | str | None) -> str:
    """Return a response's outcome as "201" or "403 problem 168"."""
    return str(status) if problem_type is None else f"{status} problem {problem_type}"


def _read(path: Path) -> list[Exchange]:
    try:
        return read_interactions(path)
    except CassetteError as error:
        raise CassetteSetError(str(error)) from None
    except OSError as error:
        raise CassetteSetError(f"cannot read cassette {path}: {error.strerror}. Check its permissions.") from None


def _final_outcome(path: Path) -> str:
    exchanges = [comparable_exchange(e) for e in _read(path)]
    if not exchanges:
        return "no interactions"
    last = exchanges[-1]
    return outcome_text(last.status, last.problem_type)


def _present(value: Any) -> Any:
    return ABSENT if value is None else value


def _deep_differences(name: str, index: int, a: dict[str, Any], b: dict[str, Any]) -> list[Difference]:
    tree = DeepDiff(a, b, view="tree", verbose_level=2)
    differences = []
    for report_type, kind in _DEEPDIFF_KINDS.items():
        for item in tree.get(report_type, ()):
            before = ABSENT if kind == ADDED_FIELD else item.t1
            after = ABSENT if kind == REMOVED_FIELD else item.t2
            differences.append(Difference(name, kind, difference_path(item.path(output_format="list")), index, before, after))
    return sorted(differences, key=lambda difference: difference.path)


def difference_path(parts: list[Any]) -> str:
    """Return the display path of a DeepDiff path list [side, section, *rest].

    Bodies keep DeepDiff's notation (`response.body['metadata']['labels'][0]`), headers
    are dotted (`response.headers.location.id`), and the other request parts are dotted too
    (`request.path`).
    """
    if len(parts) < 2:
        return ".".join(str(part) for part in parts)
    side, section, rest = parts[0], parts[1], parts[2:]
    if section == "headers" and rest:
        return f"{side}.headers." + ".".join(str(part) for part in rest)
    return f"{side}.{section}" + json_path(rest)[len("root"):]
