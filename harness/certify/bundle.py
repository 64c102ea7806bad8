"""The certification bundle: reports, cassettes and a manifest of hashes in one folder.

    out/
      cassettes/      one cassette per scenario, recorded during the run
      report.json     results, verdict, traceability and the certification summary
      report.xml      JUnit XML
      report.html     standalone page with each deviation as a coloured diff
      manifest.json   versions, contract digest, target, seed and the SHA-256 of each file

With `archive`, the folder is also packed as `out.tar.gz` beside it.
"""

from __future__ import annotations

import json
import logging
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.certify.certification import Certification
from harness.certify.manifest import build_manifest, write_manifest
from harness.report.files import write_atomically
from harness.report.html import write_html
from harness.report.json_report import build_report
from harness.report.junit import write_junit
from harness.report.redaction import redact

logger = logging.getLogger(__name__)

CASSETTE_FOLDER = "cassettes"
JSON_REPORT = "report.json"
JUNIT_REPORT = "report.xml"
HTML_REPORT = "report.html"
ARCHIVE_SUFFIX = ".tar.gz"


@dataclass(frozen=True)
class BundlePaths:
    """The files a bundle consists of; `archive` is None unless one was asked for."""

    folder: Path
    json_report: Path
    junit_report: Path
    html_report: Path
    manifest: Path
    archive: Path | None = None


def certification_report(certification: Certification, meta: dict[str, Any]) -> dict[str, Any]:
    """Return the JSON report of a certification: the run report, the settings and traceability.

    `settings` repeats the manifest fields that `verify` re-checks with, because the manifest
    hashes report.json but nothing hashes the manifest.
    """
    document = build_report(certification.results, certification.verdict, meta,
                            certification.secrets)
    document["settings"] = certification_settings(certification)
    document["certification"] = certification.summary()
    document["traceability"] = certification.traceability.to_dict()
    return redact(document, certification.secrets)


def certification_settings(certification: Certification) -> dict[str, Any]:
    """Return the settings a recorded response is re-checked with: strictness and contract."""
    contract = certification.settings.contract
    return {
        "strict": certification.settings.strict,
        "contract": {"version": contract.version, "sha256": contract.digest()},
    }


def write_bundle(
    folder: Path,
    certification: Certification,
    meta: dict[str, Any],
    *,
    seed: int | None = None,
    archive: bool = False,
) -> BundlePaths:
    """Write the reports and the manifest into `folder`, which already contains the cassettes.

    The manifest is written last, so it hashes the final reports.
    """
    folder = Path(folder)
    secrets = certification.secrets
    json_path = folder / JSON_REPORT
    text = json.dumps(certification_report(certification, meta), indent=2, ensure_ascii=False,
                      default=str)
    write_atomically(json_path, text + "\n")
    junit_path = write_junit(folder / JUNIT_REPORT, certification.results, secrets=secrets)
    html_path = write_html(folder / HTML_REPORT, certification.results, certification.verdict,
                           meta, secrets=secrets)
    manifest = build_manifest(
        folder, certification.settings.contract,
        target=certification.target_description, strict=certification.settings.strict,
        certification=certification.summary(), seed=seed, secrets=secrets,
    )
    manifest_path = write_manifest(folder, manifest)
    logger.info("wrote certification bundle %s with %d files", folder, len(manifest["files"]) + 1)
    archive_path = write_archive(folder) if archive else None
    return BundlePaths(folder, json_path, junit_path, html_path, manifest_path, archive_path)


def archive_path_for(folder: Path) -> Path:
    return folder.with_name(folder.name + ARCHIVE_SUFFIX)


def write_archive(folder: Path) -> Path:
    """Pack `folder` as `<folder>.tar.gz` beside it, files sorted, owners and modes neutral.

    Raises FileExistsError when the archive already exists, because it may be an earlier
    certification. The empty archive file is created exclusively first, so of two runs only
    one can claim the name.
    """
    folder = Path(folder)
    target = archive_path_for(folder)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    try:
        target.open("xb").close()
    except FileExistsError:
        raise FileExistsError(
            f"archive {target} already exists, and certify never overwrites an earlier archive: "
            "move or delete it, or give another --out"
        ) from None
    try:
        with tarfile.open(temporary, "w:gz") as archive:
            for path in files:
                name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
                archive.add(path, arcname=name, recursive=False, filter=_neutral)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        raise
    logger.info("wrote bundle archive %s", target)
    return target


def _neutral(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o644
    return info
