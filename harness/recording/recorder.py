"""The recording session: sends requests through vcrpy and `requests`, and saves the cassette."""

from __future__ import annotations

import http.cookiejar
from pathlib import Path
from types import TracebackType
from typing import Any, Callable

import requests
import vcr
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.request import Request as VcrRequest

from harness.exchange import Exchange, HttpRequest
from harness.recording.errors import CassetteError
from harness.recording.modes import RecordMode
from harness.recording.scrub import Scrubber
from harness.recording.session import CassetteSession
from harness.recording.stored import scrub_request_dict, scrub_response_dict, to_http_response
from harness.recording.vcr_backend import (
    MATCHER_NAME,
    AtomicPersister,
    IndexedCassette,
    match_requests,
    recording_lock,
    vcr_request_dict,
)

# The only Content-Encodings that requests can decode without optional packages. Cassettes
# store them decoded. A request that sets Accept-Encoding itself overrides this.
ACCEPT_ENCODING = "gzip, deflate"
# Headers that `requests` adds, with the values it adds. A cassette leaves them out, so that
# it does not change when requests is upgraded. A request that sets another value keeps it.
# Content-Length is always left out, because requests computes it from the body.
CLIENT_HEADERS = {
    "user-agent": requests.utils.default_user_agent(),
    "connection": "keep-alive",
    "accept-encoding": ACCEPT_ENCODING,
    "accept": "*/*",
}


def _request_scrubber(scrubber: Scrubber) -> Callable[[VcrRequest], VcrRequest]:
    """Return vcrpy's before_record_request hook. vcrpy hands it a copy it may change."""

    def scrub(request: VcrRequest) -> VcrRequest:
        stored = scrub_request_dict(scrubber, vcr_request_dict(request))
        request.uri = stored["uri"]
        request.body = stored["body"]
        request.headers = {
            name: values[0] for name, values in stored["headers"].items() if not _added_by_client(name, values[0])
        }
        return request

    return scrub


def _added_by_client(name: str, value: str) -> bool:
    lowered = name.lower()
    return lowered == "content-length" or CLIENT_HEADERS.get(lowered) == value


def _vcr_config(path: Path, mode: RecordMode, persister: AtomicPersister, scrubber: Scrubber) -> dict[str, Any]:
    recorder = vcr.VCR(
        record_mode=mode.value,
        match_on=(MATCHER_NAME,),
        before_record_request=_request_scrubber(scrubber),
        before_record_response=lambda response: scrub_response_dict(scrubber, response),
        # A scenario that raised leaves the cassette as it was.
        record_on_exception=False,
    )
    recorder.register_matcher(MATCHER_NAME, match_requests)
    recorder.register_persister(persister)
    return recorder.get_merged_config(path=str(path), allow_playback_repeats=False)


def _http_session(verify: bool | str) -> requests.Session:
    """Return a requests session that sends each request exactly as given."""
    session = requests.Session()
    # No proxies, netrc credentials or CA bundle from the environment.
    session.trust_env = False
    session.verify = verify
    # Cookies a server sets are not sent back: each request carries only its own headers.
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    session.headers["Accept-Encoding"] = ACCEPT_ENCODING
    return session


class RecordingSession(CassetteSession):
    """Replays what the mode allows and records the rest, saving the cassette on exit."""

    def __init__(
        self, path: Path, mode: RecordMode, scrubber: Scrubber, *, verify: bool | str, timeout: float
    ) -> None:
        super().__init__(path, mode, scrubber)
        self._verify = verify
        self._timeout = timeout
        self._persister = AtomicPersister(scrubber)

    def _open(self) -> None:
        if not recording_lock.acquire(blocking=False):
            raise CassetteError(
                f"cannot record cassette {self.path}: another cassette is recording in this process, "
                "and vcrpy patches HTTP for the whole process. Record scenarios one at a time per "
                "process (pytest-xdist workers are separate processes).",
                self.path,
            )
        try:
            config = _vcr_config(self.path, self.mode, self._persister, self.scrubber)
            self._context = IndexedCassette.use(**config)
            self._cassette: IndexedCassette = self._context.__enter__()
            self._http = _http_session(self._verify)
        except BaseException:
            recording_lock.release()
            raise

    def _close(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self._http.close()
            self._context.__exit__(exc_type, exc, traceback)
        finally:
            recording_lock.release()
        if self._persister.error is not None and exc_type is None:
            raise self._persister.error

    @property
    def interactions_unused(self) -> int:
        return self._cassette._loaded_count - len(self._cassette._played_interactions)

    def send(self, request: HttpRequest) -> Exchange:
        scrubbed = self.scrubber.request(request)
        self._cassette.last_interaction = None

        outgoing = requests.Request(
            request.method, request.url, headers=dict(request.headers), data=request.body or None
        )
        try:
            # stream=True: the exchange is built from what vcrpy stored, so the body is not read
            # or decoded here.
            response = self._http.send(
                self._http.prepare_request(outgoing), allow_redirects=False, stream=True, timeout=self._timeout
            )
        except CannotOverwriteExistingCassetteException as error:
            # Not expected in the modes that record; reported with vcrpy's explanation.
            raise CassetteError(f"cassette {self.path}: {error}", self.path) from None
        response.close()

        if self._cassette.last_interaction is None:
            raise CassetteError(
                f"cassette {self.path}: vcrpy neither replayed nor recorded "
                f"{request.method} {request.url}; is another HTTP patch active?",
                self.path,
            )
        index, replayed = self._cassette.last_interaction

        if replayed:
            self.interactions_played += 1
        else:
            self.recorded_count += 1
        stored_response = self._cassette.data[index][1]
        exchange = Exchange(scrubbed, to_http_response(stored_response), replayed=replayed)
        self._log(exchange)
        return exchange
