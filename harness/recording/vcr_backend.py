"""The vcrpy side of recording: an indexed cassette class, a matcher and a persister.

Used for the modes that may record: `once` on a missing cassette, `new_episodes` and `all`.
Three things differ from a plain `vcr.use_cassette`:
- `IndexedCassette` finds recorded responses through a dict keyed by the normalised request,
  not by calling the matchers on every recorded request.
- A response recorded in this session is never replayed to a later identical request (vcrpy
  9.4.2 would replay it in `new_episodes`): the later request is recorded too.
- `AtomicPersister` reads cassettes strictly (a corrupt file is an error, not an empty
  cassette) and writes them scrubbed, as UTF-8, through a renamed temporary file.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vcr.cassette import Cassette
from vcr.errors import UnhandledHTTPRequestError
from vcr.persisters.filesystem import CassetteNotFoundError
from vcr.record_mode import RecordMode as VcrRecordMode
from vcr.request import Request as VcrRequest

from harness.recording.cassette_file import dump_interactions, load_cassette_file, write_atomically
from harness.recording.errors import CassetteError, CassetteWriteError
from harness.recording.matching import RequestKey, lowercase_headers, request_key
from harness.recording.miss_report import differences
from harness.recording.scrub import Scrubber
from harness.recording.stored import scrub_request_dict, scrub_response_dict

MATCHER_NAME = "harness_request"

# vcrpy 9.4.2 logs each recorded response in full, and each request URI unscrubbed, at INFO
# level on the "vcr" loggers. Unless the application set a level for them, keep them at
# WARNING so that no token reaches a log.
_vcr_logger = logging.getLogger("vcr")
if _vcr_logger.level == logging.NOTSET:
    _vcr_logger.setLevel(logging.WARNING)

# vcrpy patches http.client and urllib3 for the whole process, so two recording sessions at
# once would record each other's requests.
recording_lock = threading.Lock()


def vcr_request_dict(request: VcrRequest) -> dict[str, Any]:
    """Return a vcrpy request in the stored dict shape, its body as bytes."""
    body = request.body
    if hasattr(body, "read"):
        body = body.read()
    elif isinstance(body, str):
        body = body.encode("utf-8")
    headers = {name: [value] for name, value in request.headers.items()}
    return {"method": request.method, "uri": request.uri, "body": body, "headers": headers}


def vcr_request_key(request: VcrRequest) -> RequestKey:
    stored = vcr_request_dict(request)
    return request_key(stored["method"], stored["uri"], lowercase_headers(stored["headers"]), stored["body"])


def match_requests(sent: VcrRequest, recorded: VcrRequest) -> None:
    """vcrpy matcher: raise AssertionError naming the parts in which two requests differ."""
    sent_key, recorded_key = vcr_request_key(sent), vcr_request_key(recorded)
    if sent_key != recorded_key:
        raise AssertionError("; ".join(differences(recorded_key, sent_key)))


class IndexedCassette(Cassette):
    """A vcrpy cassette that finds the next unplayed response for a request in constant time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._positions: dict[RequestKey, list[int]] = {}
        self._next_position: dict[RequestKey, int] = {}
        self._loading = False
        # (index in self.data, whether it was replayed) of the last interaction used.
        self.last_interaction: tuple[int, bool] | None = None

    def _load(self) -> None:
        if self.record_mode == VcrRecordMode.ALL:
            # Re-recording replaces the whole file, so its old content is not read, and a
            # corrupt file can be re-recorded.
            return
        self._loading = True
        try:
            super()._load()
        finally:
            self._loading = False

    def append(self, request: VcrRequest, response: dict[str, Any]) -> None:
        index = len(self.data)
        super().append(request, response)
        if len(self.data) == index:
            return
        key = vcr_request_key(self.data[index][0])
        positions = self._positions.setdefault(key, [])
        positions.append(index)
        if not self._loading:
            # Recorded just now: mark it played, so an identical request is recorded again.
            self._next_position[key] = len(positions)
            self.last_interaction = (index, False)

    def _next_unplayed(self, request: VcrRequest) -> tuple[RequestKey | None, int | None]:
        filtered = self._before_record_request(request)
        if not filtered:
            return None, None
        key = vcr_request_key(filtered)
        positions = self._positions.get(key, [])
        position = self._next_position.get(key, 0)
        return key, (positions[position] if position < len(positions) else None)

    def can_play_response_for(self, request: VcrRequest) -> bool:
        if self.record_mode == VcrRecordMode.ALL or not self.rewound:
            return False
        return self._next_unplayed(request)[1] is not None

    def play_response(self, request: VcrRequest) -> dict[str, Any]:
        key, index = self._next_unplayed(request)
        if key is None or index is None:
            raise UnhandledHTTPRequestError(f"cassette {self._path} has no unplayed response for {request!r}")
        self._next_position[key] = self._next_position.get(key, 0) + 1
        self.play_counts[index] += 1
        if index < self._loaded_count:
            self._played_interactions.append(self.data[index])
        self.last_interaction = (index, True)
        return self.data[index][1]

    def _responses(self, request: VcrRequest) -> Iterator[tuple[int, dict[str, Any]]]:
        filtered = self._before_record_request(request)
        if filtered:
            for index in self._positions.get(vcr_request_key(filtered), []):
                yield index, self.data[index][1]

    def __contains__(self, request: VcrRequest) -> bool:
        return self._next_unplayed(request)[1] is not None


class AtomicPersister:
    """vcrpy persister: strict UTF-8 YAML reads, scrubbed atomic writes.

    Save errors are kept in `error` instead of raised, because vcrpy saves before it removes
    its patches, and an exception there would leave http.client patched.
    """

    def __init__(self, scrubber: Scrubber) -> None:
        self.scrubber = scrubber
        self.error: CassetteError | None = None

    def load_cassette(self, cassette_path: str, serializer: Any) -> tuple[list[VcrRequest], list[dict[str, Any]]]:
        try:
            interactions = load_cassette_file(Path(cassette_path))
        except FileNotFoundError:
            raise CassetteNotFoundError() from None
        requests_ = [
            VcrRequest(request["method"], request["uri"], request["body"], request["headers"])
            for request, _ in interactions
        ]
        return requests_, [response for _, response in interactions]

    def save_cassette(self, cassette_path: str, cassette_dict: dict[str, Any], serializer: Any) -> None:
        # NOTE: the serializer vcrpy passes is ignored: cassettes are always YAML.
        path = Path(cassette_path)
        try:
            interactions = [
                (scrub_request_dict(self.scrubber, vcr_request_dict(request)),
                 scrub_response_dict(self.scrubber, response))
                for request, response in zip(cassette_dict["requests"], cassette_dict["responses"], strict=True)
            ]
            write_atomically(path, dump_interactions(interactions, cassette_dict.get("metadata")))
        except OSError as error:
            self.error = CassetteWriteError(path, error)
        except Exception as error:
            # Any failure, such as a body PyYAML cannot represent, is raised after vcrpy unpatches.
            self.error = CassetteError(f"cannot save cassette {path}: {error}", path)
