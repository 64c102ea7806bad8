"""Record and replay HTTP exchanges in vcrpy cassettes, one cassette per scenario.

The layer imports nothing of the harness but `harness.exchange`.
"""

from harness.recording.cassette import open_cassette
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
from harness.recording.scan import Finding, read_interactions, scan_cassettes
from harness.recording.scrub import ScrubConfig
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
