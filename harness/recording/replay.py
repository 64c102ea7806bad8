"""Replay-only sessions, served from an index of the cassette file without patching any HTTP code.

vcrpy 9.4.2 compares a request with every recorded one, so replaying n interactions costs
O(n^2) matcher calls. Here the recorded requests are grouped by their normalised key once,
and each lookup is one dict access whatever the cassette's size. Parsed cassettes are kept
per path, modification time, size and inode, so opening the same file again skips YAML.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from harness.exchange import Exchange, Headers, HttpRequest, HttpResponse
from harness.recording.cassette_file import Interaction, read_cassette_file
from harness.recording.cassette_yaml import garbage_collection_paused
from harness.recording.errors import (
    CassetteError,
    CassetteMissingError,
    InteractionsExhaustedError,
    ReplayMissError,
)
from harness.recording.matching import RequestKey
from harness.recording.miss_report import describe_request, nearest_matches, request_line
from harness.recording.scrub import Scrubber
from harness.recording.session import CassetteSession
from harness.recording.stored import (
    decode_content,
    key_of_http_request,
    key_of_request_dict,
    scrub_request_dict,
    to_http_response,
)

# Parsed cassettes kept in memory; the least recently used goes first.
MAX_CACHED_CASSETTES = 128


@dataclass(frozen=True)
class ReplayTable:
    """A cassette's interactions, keyed for lookup. Shared between sessions, never changed."""

    keys: tuple[RequestKey, ...]
    lines: tuple[str, ...]
    responses: tuple[HttpResponse, ...]
    positions: dict[RequestKey, tuple[int, ...]]


def build_table(interactions: list[Interaction], scrubber: Scrubber) -> ReplayTable:
    """Index interactions by the key of their scrubbed request, keeping recorded order per key.

    Recorded requests are scrubbed again, so that a cassette recorded with fewer scrubbing
    rules still matches requests scrubbed with the current ones.
    """
    keys, lines, responses = [], [], []
    positions: dict[RequestKey, list[int]] = {}
    for index, (request, response) in enumerate(interactions):
        scrubbed = scrub_request_dict(scrubber, request)
        key = key_of_request_dict(scrubbed)
        keys.append(key)
        lines.append(request_line(scrubbed["method"], scrubbed["uri"]))
        responses.append(to_http_response(decode_content(response)))
        positions.setdefault(key, []).append(index)
    frozen = {key: tuple(indexes) for key, indexes in positions.items()}
    return ReplayTable(tuple(keys), tuple(lines), tuple(responses), frozen)


_tables: OrderedDict[tuple[object, ...], ReplayTable] = OrderedDict()
_tables_lock = threading.Lock()


def load_table(path: Path, scrubber: Scrubber) -> ReplayTable:
    """Return the replay table of the cassette at `path`, parsing the file only when it changed.

    FileNotFoundError when there is no file; CassetteCorruptError when it cannot be read.
    """
    with open(path, "rb") as file:
        status = os.fstat(file.fileno())
        cache_key = (os.path.abspath(path), status.st_mtime_ns, status.st_size, status.st_ino, scrubber.fingerprint)
        with _tables_lock:
            table = _tables.get(cache_key)
            if table is not None:
                _tables.move_to_end(cache_key)
                return table
        with garbage_collection_paused():
            table = build_table(read_cassette_file(file, path), scrubber)
    with _tables_lock:
        _tables[cache_key] = table
        while len(_tables) > MAX_CACHED_CASSETTES:
            _tables.popitem(last=False)
    return table


def clear_table_cache() -> None:
    with _tables_lock:
        _tables.clear()


class ReplaySession(CassetteSession):
    """Session that serves every request from the cassette: identical requests get their
    recorded responses in order, each response once."""

    def _open(self) -> None:
        try:
            self._table = load_table(self.path, self.scrubber)
        except FileNotFoundError:
            raise CassetteMissingError(self.path, self.mode.value) from None
        except IsADirectoryError:
            raise CassetteError(
                f"cassette {self.path} is a folder, not a file: remove or rename the folder", self.path
            ) from None
        self._played: dict[RequestKey, int] = {}

    def _close(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Nothing to save: a replay-only session never writes the cassette."""

    @property
    def interactions_unused(self) -> int:
        return len(self._table.keys) - self.interactions_played

    def send(self, request: HttpRequest) -> Exchange:
        scrubbed = self.scrubber.request(request)
        key = key_of_http_request(scrubbed)
        positions = self._table.positions.get(key)
        if positions is None:
            raise self._miss(scrubbed, key)
        played = self._played.get(key, 0)
        if played >= len(positions):
            line = request_line(scrubbed.method, scrubbed.url)
            raise InteractionsExhaustedError(self.path, self.mode.value, line, len(positions))
        self._played[key] = played + 1
        self.interactions_played += 1
        stored = self._table.responses[positions[played]]
        # A copy per send, because the table is shared and callers may change what they get.
        response = HttpResponse(stored.status, Headers(stored.headers), stored.body)
        exchange = Exchange(scrubbed, response, replayed=True)
        self._log(exchange)
        return exchange

    def _miss(self, scrubbed: HttpRequest, key: RequestKey) -> ReplayMissError:
        recorded = list(zip(self._table.keys, self._table.lines))
        nearest = nearest_matches(key, recorded)
        return ReplayMissError(self.path, self.mode.value, describe_request(scrubbed), nearest)
