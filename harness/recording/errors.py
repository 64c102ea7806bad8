"""Errors of the cassette layer. Each message names the cassette and how to fix the problem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RECORD_ONCE_HINT = "`hook-harness run --record-mode once` or `pytest --record-mode=once`"
RECORD_NEW_EPISODES_HINT = (
    "`hook-harness run --record-mode new_episodes` or `pytest --record-mode=new_episodes`"
)
RECORD_ALL_HINT = "`hook-harness run --record-mode all` or `pytest --record-mode=all`"


class CassetteError(Exception):
    """A cassette cannot be used as asked: missing, unreadable, or without a recorded response."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class CassetteMissingError(CassetteError):
    """A replay-only session was opened on a cassette file that does not exist."""

    def __init__(self, path: Path, mode: str) -> None:
        super().__init__(
            f"cassette {path} does not exist, and record mode {mode!r} only replays. "
            f"Record it against a server with {RECORD_ONCE_HINT}, or check --cassette-dir.",
            path,
        )


class CassetteCorruptError(CassetteError):
    """A cassette file exists but cannot be read: not UTF-8, invalid YAML, truncated or malformed."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"cassette {path} is unreadable: {detail}. The file was left unchanged. "
            f"Repair it, or re-record it with {RECORD_ALL_HINT}.",
            path,
        )
        self.detail = detail


class CassetteWriteError(CassetteError):
    """Saving a cassette failed; the previous file, if any, is unchanged."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(
            f"cannot write cassette {path}: {error.strerror or error}. The previous file, if any, "
            "is unchanged. Check that the folder is writable and the disk is not full.",
            path,
        )


class InteractionsExhaustedError(CassetteError):
    """A request matches recorded interactions that were all replayed already in this session."""

    def __init__(self, path: Path, mode: str, request_line: str, recorded: int) -> None:
        super().__init__(
            f"recorded interactions exhausted: cassette {path} (record mode {mode!r}) has "
            f"{recorded} interaction(s) for {request_line}, and this session replayed all of "
            "them. A replay never repeats a response. If the scenario now sends this request "
            f"once more, record the extra one with {RECORD_NEW_EPISODES_HINT}, or re-record "
            f"the cassette with {RECORD_ALL_HINT}.",
            path,
        )
        self.recorded = recorded


@dataclass(frozen=True)
class NearMatch:
    """A recorded request close to the one that found no match, and how the two differ."""

    index: int
    request_line: str
    differences: tuple[str, ...]


class ReplayMissError(CassetteError):
    """No recorded interaction matches a request, and the record mode does not record it."""

    def __init__(
        self, path: Path, mode: str, request_lines: Sequence[str], nearest: Sequence[NearMatch]
    ) -> None:
        lines = [
            f"no recorded interaction matches this request in cassette {path} "
            f"(record mode {mode!r}):",
            *(f"  {line}" for line in request_lines),
        ]
        if nearest:
            lines.append("nearest recorded requests:")
            for match in nearest:
                lines.append(f"  interaction {match.index}: {match.request_line}")
                lines.extend(f"    {difference}" for difference in match.differences)
        else:
            lines.append("the cassette has no recorded requests.")
        lines.append(
            "Requests match on method, path, query, Authorization (scrubbed), Content-Type, "
            "Accept and body. If the request changed on purpose, record it with "
            f"{RECORD_NEW_EPISODES_HINT}, or re-record the cassette with {RECORD_ALL_HINT}."
        )
        super().__init__("\n".join(lines), path)
        self.nearest = tuple(nearest)
