"""Open a scenario's cassette for replay or recording: the entry point of the recording layer.

    with open_cassette(cassette_path(folder, scenario.id), mode, secrets) as session:
        for request in [*setup, request_under_test]:
            exchange = session.send(request)

Replay-only sessions (`none`, and `once` on an existing file) are served from an index of
the file and never patch HTTP code, so they need no server. The other modes send requests
with `requests` through vcrpy, which records them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from harness.recording.errors import (
    CassetteCorruptError,
    CassetteError,
    CassetteMissingError,
    CassetteWriteError,
    InteractionsExhaustedError,
    ReplayMissError,
)
from harness.recording.modes import RecordMode, parse_record_mode
from harness.recording.paths import cassette_path, find_path_collisions
from harness.recording.replay import ReplaySession
from harness.recording.scan import Finding, read_interactions, scan_cassettes
from harness.recording.scrub import ScrubConfig, Scrubber
from harness.recording.session import CassetteSession

__all__ = [
    "CassetteCorruptError",
    "CassetteError",
    "CassetteMissingError",
    "CassetteSession",
    "CassetteWriteError",
    "Finding",
    "InteractionsExhaustedError",
    "RecordMode",
    "ReplayMissError",
    "ScrubConfig",
    "cassette_path",
    "find_path_collisions",
    "open_cassette",
    "parse_record_mode",
    "read_interactions",
    "scan_cassettes",
]

DEFAULT_TIMEOUT_SECONDS = 30.0


def open_cassette(
    path: Path,
    mode: RecordMode | str,
    secrets: Mapping[str, str],
    *,
    verify: bool | str = True,
    scrub: ScrubConfig | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> CassetteSession:
    """Return a session on the cassette at `path`, to be used as a context manager.

    `secrets` maps each secret value (a bearer token) to the placeholder name stored in its
    place, e.g. {"eyJ...": "tokens.owner"} stores `Bearer <tokens.owner>`. `verify` is the
    TLS setting of `requests` (a bool or a CA bundle path). `timeout` is the number of
    seconds to wait for a server. Both apply only when recording. Raises ValueError for an
    unknown mode or an invalid secret. Entering the session raises CassetteMissingError or
    CassetteCorruptError.
    """
    record_mode = parse_record_mode(mode)
    path = Path(path)
    scrubber = Scrubber(secrets, scrub)
    if record_mode is RecordMode.NONE or (record_mode is RecordMode.ONCE and path.exists()):
        return ReplaySession(path, record_mode, scrubber)
    # Imported here: vcrpy and requests take a fifth of a second to import, and replay-only
    # runs need neither.
    from harness.recording.recorder import RecordingSession

    return RecordingSession(path, record_mode, scrubber, verify=verify, timeout=timeout)
