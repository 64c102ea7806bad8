"""The validation proxy's record of traffic: one cassette per exchange and a JSON report.

Each exchange is stored as its own vcrpy cassette, scrubbed with the recorder's
`Scrubber`, so `read_interactions` reads it like any scenario cassette. Create requests
are checked against the contract; other traffic is forwarded and recorded but not checked.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness.contract import Contract
from harness.contract.problems import problem_number
from harness.exchange import Exchange, HttpRequest, HttpResponse
from harness.recording.cassette_file import dump_interactions, write_atomically
from harness.recording.scrub import Scrubber
from harness.recording.stored import scrub_request_dict, scrub_response_dict, to_http_request
from harness.report.conformance import check_contract
from harness.report.deviation import Deviation
from harness.report.files import write_atomically as write_text_atomically
from harness.report.redaction import redact
from harness.server.checks import parse_route

logger = logging.getLogger(__name__)

REPORT_FORMAT = "hook-harness-proxy-report"
REPORT_FORMAT_VERSION = 1
REPORT_NAME = "proxy-report.json"

CONFORMS = "conforms"
DEVIATES = "deviates"
NOT_CHECKED = "not checked"
UPSTREAM_ERROR = "upstream error"


@dataclass(frozen=True)
class ProxyEntry:
    """One exchange through the proxy: the request line, the response and the check's findings."""

    index: int
    method: str
    path: str
    status: int | None
    problem: int | None
    state: str
    cassette: str | None
    deviations: tuple[Deviation, ...] = ()
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "problem": self.problem,
            "state": self.state,
            "cassette": self.cassette,
            "deviations": [deviation.to_dict() for deviation in self.deviations],
            "message": self.message,
        }


@dataclass
class ProxyLog:
    """Records exchanges into `cassette_dir` and keeps the JSON report at `report_path` current.

    `secrets` maps token values to the placeholder names cassettes store in their place.
    Safe to call from several threads.
    """

    cassette_dir: Path
    report_path: Path
    contract: Contract
    upstream: str
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    strict: bool = True
    entries: list[ProxyEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._scrubber = Scrubber(self.secrets)
        self._lock = threading.Lock()
        self.cassette_dir = Path(self.cassette_dir)
        self.report_path = Path(self.report_path)

    def record(self, request: HttpRequest, response: HttpResponse, reason: str = "") -> ProxyEntry:
        """Store one exchange as a cassette, check it, rewrite the report; return the entry."""
        with self._lock:
            index = len(self.entries) + 1
            path = urlsplit(request.url).path
            name = _cassette_name(index, request.method, path)
            stored_request, stored_response = self._store(name, request, response, reason)
            exchange = Exchange(to_http_request(stored_request), response)
            entry = self._checked_entry(index, request.method, path, exchange, name)
            self.entries.append(entry)
            self._write_report()
        return entry

    def record_failure(self, request: HttpRequest, message: str) -> ProxyEntry:
        """Note a request the upstream sent no response to; no cassette is recorded for it."""
        with self._lock:
            index = len(self.entries) + 1
            clean = self._scrubber.text(message)
            entry = ProxyEntry(index, request.method, urlsplit(request.url).path, None, None,
                               UPSTREAM_ERROR, None, message=clean)
            self.entries.append(entry)
            self._write_report()
        return entry

    def _store(
        self, name: str, request: HttpRequest, response: HttpResponse, reason: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        raw_request = {
            "method": request.method,
            "uri": request.url,
            "body": request.body or None,
            "headers": {key: [value] for key, value in request.headers.items()},
        }
        raw_response = {
            "status": {"code": response.status, "message": reason},
            "headers": {key: [value] for key, value in response.headers.items()},
            "body": {"string": response.body},
        }
        stored_request = scrub_request_dict(self._scrubber, raw_request)
        stored_response = scrub_response_dict(self._scrubber, raw_response)
        write_atomically(self.cassette_dir / name, dump_interactions([(stored_request, stored_response)]))
        return stored_request, stored_response

    def _checked_entry(
        self, index: int, method: str, path: str, exchange: Exchange, cassette: str
    ) -> ProxyEntry:
        response = exchange.response
        problem = _problem(response)
        if parse_route(method, path) is None:
            return ProxyEntry(index, method, path, response.status, problem, NOT_CHECKED, cassette,
                              message="not a create-execution-hook request")
        deviations = tuple(check_contract(self.contract, exchange, strict=self.strict))
        state = DEVIATES if deviations else CONFORMS
        return ProxyEntry(index, method, path, response.status, problem, state, cassette, deviations)

    def report(self) -> dict[str, Any]:
        counts = {state: 0 for state in (CONFORMS, DEVIATES, NOT_CHECKED, UPSTREAM_ERROR)}
        for entry in self.entries:
            counts[entry.state] += 1
        document = {
            "format": REPORT_FORMAT,
            "format_version": REPORT_FORMAT_VERSION,
            "updated": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
            "upstream": self.upstream,
            "contract_version": self.contract.version,
            "cassette_dir": str(self.cassette_dir),
            "counts": counts,
            "exchanges": [entry.to_dict() for entry in self.entries],
        }
        return redact(document, self.secrets.keys())

    def _write_report(self) -> None:
        text = json.dumps(self.report(), indent=2, ensure_ascii=False) + "\n"
        write_text_atomically(self.report_path, text)


def describe_entry(entry: ProxyEntry) -> str:
    """Return the terminal lines of one exchange: the request line, the response, deviations."""
    outcome = "no response" if entry.status is None else str(entry.status)
    if entry.problem is not None:
        outcome += f" problem {entry.problem}"
    line = f"#{entry.index} {entry.method} {entry.path} -> {outcome}: {entry.state}"
    if entry.deviations:
        line += f", {len(entry.deviations)} deviation" + ("s" if len(entry.deviations) > 1 else "")
    lines = [line]
    lines += [f"    {deviation.path} [{deviation.kind}]: {deviation.message}" for deviation in entry.deviations]
    if entry.message and entry.state != NOT_CHECKED:
        lines.append(f"    {entry.message}")
    return "\n".join(lines)


def _cassette_name(index: int, method: str, path: str) -> str:
    """Return `0001-post-core.yaml`-style names: order, method and which operation."""
    route = parse_route(method, path)
    if route is None:
        kind = "other"
    else:
        kind = "app" if route.app_id is not None else "core"
    return f"{index:04d}-{method.lower()}-{kind}.yaml"


def _problem(response: HttpResponse) -> int | None:
    if response.status < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return problem_number(body.get("type")) if isinstance(body, dict) else None

