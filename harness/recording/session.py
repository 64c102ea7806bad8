"""The cassette session interface that the runner uses, whichever way a session is served."""

from __future__ import annotations

import abc
import logging
from pathlib import Path
from types import TracebackType

from harness.exchange import Exchange, HttpRequest
from harness.recording.miss_report import request_line
from harness.recording.modes import RecordMode
from harness.recording.scrub import Scrubber

logger = logging.getLogger(__name__)


class CassetteSession(abc.ABC):
    """One scenario's cassette, open as a context manager; `send` returns one exchange.

    `Exchange.request` is the request as the cassette stores it, scrubbed, so that reports
    built from exchanges never hold a token. `Exchange.response` is the stored response too
    (gzip and deflate bodies decoded), so a recorded and a replayed run return equal
    exchanges, and `Exchange.replayed` distinguishes them.
    """

    def __init__(self, path: Path, mode: RecordMode, scrubber: Scrubber) -> None:
        self.path = path
        self.mode = mode
        self.scrubber = scrubber
        self.interactions_played = 0
        self.recorded_count = 0

    def __enter__(self) -> CassetteSession:
        self._open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close(exc_type, exc, traceback)

    @abc.abstractmethod
    def _open(self) -> None:
        """Load the cassette, or prepare to record it."""

    @abc.abstractmethod
    def _close(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Save what was recorded, unless the `with` block raised."""

    @abc.abstractmethod
    def send(self, request: HttpRequest) -> Exchange:
        """Return the recorded response to `request`, or send it and record the response."""

    @property
    @abc.abstractmethod
    def interactions_unused(self) -> int:
        """Loaded interactions that this session has not replayed (yet)."""

    def _log(self, exchange: Exchange) -> None:
        if not logger.isEnabledFor(logging.INFO):
            return
        request = exchange.request
        logger.info(
            "%s %d %s cassette=%s",
            request_line(request.method, request.url),
            exchange.response.status,
            "replayed" if exchange.replayed else "recorded",
            self.path,
        )
