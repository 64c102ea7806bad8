"""The machine-readable report of a run: one JSON file, written atomically, without secrets.

Before writing, `redaction.redact` replaces every credential in the document, because a
deviating server may echo a token into a body that then appears in a deviation.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit, urlunsplit

from harness.contract import Contract
from harness.report.files import write_atomically
from harness.report.redaction import redact
from harness.report.result import ScenarioResult, Verdict

logger = logging.getLogger(__name__)

REPORT_FORMAT = "hook-harness-report"
REPORT_FORMAT_VERSION = 1


def build_meta(
    contract: Contract, *, base_url: str, record_mode: str, now: datetime | None = None
) -> dict[str, Any]:
    """Return the run metadata: tool and contract versions, contract digest, target, mode, time.

    User names and passwords in `base_url` are dropped.
    """
    moment = now or datetime.now(timezone.utc)
    return {
        "tool": "hook-harness",
        "tool_version": _tool_version(),
        "contract_version": contract.version,
        "contract_digest": contract.digest(),
        "base_url": strip_credentials(base_url),
        "record_mode": record_mode,
        "timestamp": moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
    }


def _tool_version() -> str:
    try:
        return metadata.version("hook-harness")
    except metadata.PackageNotFoundError:
        return "unknown"


def strip_credentials(url: str) -> str:
    """Return `url` without the `user:password@` part of its authority."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def build_report(
    results: list[ScenarioResult],
    verdict: Verdict,
    meta: dict[str, Any],
    secrets: Iterable[str] = (),
) -> dict[str, Any]:
    """Return the report document with every credential replaced by "<redacted>"."""
    document = {
        "format": REPORT_FORMAT,
        "format_version": REPORT_FORMAT_VERSION,
        "meta": dict(meta),
        "verdict": verdict.to_dict(),
        "results": [result.to_dict() for result in results],
    }
    return redact(document, secrets)


def write_json_report(
    path: str | Path,
    results: list[ScenarioResult],
    verdict: Verdict,
    meta: dict[str, Any],
    *,
    secrets: Iterable[str] = (),
) -> Path:
    """Write the report to `path` through a temporary file and os.replace, and return the path.

    A reader never sees a half-written report: the old file stays until the new one is
    complete. `secrets` are extra strings, such as the bearer tokens of the run, to redact.
    """
    target = Path(path)
    document = build_report(results, verdict, meta, secrets)
    # default=str writes values such as Path objects in `meta` as text.
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    write_atomically(target, text)
    logger.info("wrote JSON report of %d scenarios to %s", len(results), target)
    return target
