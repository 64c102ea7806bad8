"""Offline verification of a certification bundle: file hashes, then every recorded response.

A bundle is intact when all of these hold:

- it contains the three reports and at least one cassette;
- every file the manifest lists is present with its SHA-256, and no other file is there;
- the manifest's strict, contract and certification fields equal the copies in report.json;
- the contract of this installation has the digest report.json records;
- every response in the cassettes conforms to that contract.

NOTE: nothing protects the manifest itself. Someone who rewrites report.json, the cassettes
and the manifest consistently produces a bundle that verifies; only a signature could tell.
"""

from __future__ import annotations

import json
import logging
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from harness.certify.bundle import CASSETTE_FOLDER, HTML_REPORT, JSON_REPORT, JUNIT_REPORT
from harness.certify.manifest import (
    MANIFEST_NAME,
    BundleError,
    bundle_files,
    read_manifest,
    sha256_file,
)
from harness.contract import Contract, load_contract
from harness.recording import CassetteError, read_interactions
from harness.report.conformance import check_contract
from harness.report.terminal import format_deviation

logger = logging.getLogger(__name__)

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")
# Files every bundle that certify writes contains, besides at least one cassette.
REQUIRED_FILES = (JSON_REPORT, JUNIT_REPORT, HTML_REPORT)
MISSING_FIELD = object()


@dataclass(frozen=True)
class BundleProblem:
    """One reason a bundle fails, at a path relative to the bundle folder."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass
class VerifyResult:
    """The outcome of verifying one bundle."""

    bundle: Path
    contract_version: str = ""
    files_checked: int = 0
    cassettes_checked: int = 0
    interactions_checked: int = 0
    problems: list[BundleProblem] = field(default_factory=list)
    # Whether the bundle records a passed certification. None means no file records it.
    recorded_passed: bool | None = None

    @property
    def passed(self) -> bool:
        """Whether the bundle is intact and its responses conform, whatever verdict it records."""
        return not self.problems


@dataclass(frozen=True)
class RecheckSettings:
    """The settings the recorded responses are re-checked with."""

    strict: bool
    contract_version: str
    contract_sha256: str


def verify_bundle(path: Path) -> VerifyResult:
    """Verify the bundle folder or `.tar.gz` archive at `path`.

    Raises BundleError when `path` is no bundle at all (no manifest, unreadable archive).
    """
    path = Path(path)
    if path.is_dir():
        return verify_folder(path, path)
    if path.is_file() and path.name.endswith(ARCHIVE_SUFFIXES):
        with tempfile.TemporaryDirectory(prefix="hook-harness-verify-") as scratch:
            folder = _extract(path, Path(scratch))
            return verify_folder(folder, path)
    raise BundleError(
        f"{path} is neither a bundle folder nor a .tar.gz archive: give the folder that "
        "`hook-harness certify --out` wrote, or the archive that --archive wrote"
    )


def _extract(archive: Path, scratch: Path) -> Path:
    """Extract `archive` under `scratch` and return its single top-level folder."""
    try:
        with tarfile.open(archive, "r:gz") as bundle:
            members = bundle.getmembers()
            for member in members:
                if not (member.isfile() or member.isdir()):
                    raise BundleError(
                        f"{archive}: member {member.name!r} is not a regular file or folder; "
                        "bundles hold only files, so this archive was not written by certify"
                    )
            # The "data" filter rejects absolute names, ".." and special files.
            bundle.extractall(scratch, members=members, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BundleError(f"{archive} cannot be read as a .tar.gz archive ({error})") from None
    tops = sorted(item for item in scratch.iterdir())
    if len(tops) != 1 or not tops[0].is_dir():
        names = ", ".join(item.name for item in tops) or "nothing"
        raise BundleError(
            f"{archive} must contain one top-level bundle folder, found {names}"
        )
    return tops[0]


def verify_folder(folder: Path, shown_as: Path) -> VerifyResult:
    """Verify the bundle in `folder`; `shown_as` is the path to report (folder or archive)."""
    manifest = read_manifest(folder)
    result = VerifyResult(shown_as)
    listed = _listed_files(manifest, result)
    _check_required_files(listed, result)
    _check_hashes(folder, listed, result)
    report = _read_report(folder, listed, result)
    _check_reported_cassettes(report, listed, result)
    settings = _recheck_settings(manifest, report, result)
    result.recorded_passed = _recorded_verdict(manifest, report)
    contract = _contract(settings, manifest, result)
    if contract is not None:
        cassettes = [name for name in sorted(listed) if _is_cassette(name) and (folder / name).is_file()]
        for name in cassettes:
            _check_cassette(folder, name, contract, settings.strict, result)
    logger.info("verified bundle %s: %d files, %d interactions, %d problems", shown_as,
                result.files_checked, result.interactions_checked, len(result.problems))
    return result


def _check_required_files(listed: dict[str, str], result: VerifyResult) -> None:
    """Report each of REQUIRED_FILES the manifest does not list, and a bundle without cassettes."""
    for name in REQUIRED_FILES:
        if name not in listed:
            result.problems.append(BundleProblem(
                name, "missing: every bundle contains it, but the manifest does not list it"
            ))
    if not any(_is_cassette(name) for name in listed):
        result.problems.append(BundleProblem(
            f"{CASSETTE_FOLDER}/", "missing: every bundle contains at least one cassette, but "
            "the manifest lists none"
        ))


def _check_reported_cassettes(
    report: dict[str, Any] | None, listed: dict[str, str], result: VerifyResult
) -> None:
    """Report each cassette that report.json names but the manifest does not list.

    report.json is hashed, so a cassette removed together with its manifest entry still
    shows here as evidence the certification had and the bundle lost.
    """
    if report is None or not isinstance(report.get("results"), list):
        return
    for entry in report["results"]:
        if not isinstance(entry, dict) or entry.get("outcome") not in ("passed", "failed"):
            continue
        cassette = entry.get("cassette")
        if not isinstance(cassette, str) or not cassette:
            continue
        name = f"{CASSETTE_FOLDER}/{PurePosixPath(cassette.replace(chr(92), '/')).name}"
        if name not in listed:
            result.problems.append(BundleProblem(
                name, f"missing: report.json records scenario {entry.get('scenario_id')!r}"
                " with this cassette, but the manifest does not list it; the bundle was altered"
            ))


def _read_report(folder: Path, listed: dict[str, str], result: VerifyResult) -> dict[str, Any] | None:
    """Return report.json as a mapping, or None when it is missing or unreadable."""
    path = folder / JSON_REPORT
    if JSON_REPORT not in listed or not path.is_file() or path.is_symlink():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        result.problems.append(BundleProblem(
            JSON_REPORT, f"cannot be read as JSON ({error}): the bundle is damaged"
        ))
        return None
    if not isinstance(document, dict):
        result.problems.append(BundleProblem(
            JSON_REPORT, f"is a JSON {type(document).__name__}, not an object: the bundle is damaged"
        ))
        return None
    return document


def _recheck_settings(
    manifest: dict[str, Any], report: dict[str, Any] | None, result: VerifyResult
) -> RecheckSettings:
    """Cross-check the manifest's settings against report.json and return those to re-check with.

    The manifest hashes report.json, so report.json's values win. Without a readable
    report.json, which is already a problem, the manifest's values are used.
    """
    manifest_values = {
        "strict": manifest.get("strict"),
        "contract.version": manifest["contract"].get("version"),
        "contract.sha256": manifest["contract"].get("sha256"),
    }
    certification = manifest.get("certification")
    if isinstance(certification, dict):
        for key, value in certification.items():
            manifest_values[f"certification.{key}"] = value
    if report is None:
        return _settings_from(manifest_values)
    recorded = report.get("settings")
    if not isinstance(recorded, dict) or not isinstance(recorded.get("contract"), dict):
        result.problems.append(BundleProblem(
            JSON_REPORT, "lacks the 'settings' object with 'strict' and 'contract', so the "
            "manifest cannot be cross-checked: certify the target again with this hook-harness"
        ))
        return _settings_from(manifest_values)
    report_values = {
        "strict": recorded.get("strict"),
        "contract.version": recorded["contract"].get("version"),
        "contract.sha256": recorded["contract"].get("sha256"),
    }
    report_certification = report.get("certification")
    if isinstance(report_certification, dict):
        for key, value in report_certification.items():
            report_values[f"certification.{key}"] = value
    for name in sorted(set(manifest_values) | set(report_values)):
        in_manifest = manifest_values.get(name, MISSING_FIELD)
        in_report = report_values.get(name, MISSING_FIELD)
        if in_manifest != in_report:
            result.problems.append(BundleProblem(
                MANIFEST_NAME, f"field {name!r} is {_shown(in_manifest)}, but report.json "
                f"records {_shown(in_report)}: the manifest was altered"
            ))
    return _settings_from(report_values)


def _settings_from(values: dict[str, Any]) -> RecheckSettings:
    # Anything but an explicit false re-checks strictly, so a damaged field never relaxes the check.
    return RecheckSettings(
        strict=values.get("strict") is not False,
        contract_version=str(values.get("contract.version")),
        contract_sha256=str(values.get("contract.sha256")),
    )


def _shown(value: Any) -> str:
    return "missing" if value is MISSING_FIELD else json.dumps(value)


def _recorded_verdict(manifest: dict[str, Any], report: dict[str, Any] | None) -> bool | None:
    """Return whether the bundle records a passed certification: report.json first, then manifest."""
    for document in (report, manifest):
        certification = document.get("certification") if document is not None else None
        if isinstance(certification, dict) and isinstance(certification.get("passed"), bool):
            return certification["passed"]
    return None


def _listed_files(manifest: dict[str, Any], result: VerifyResult) -> dict[str, str]:
    listed: dict[str, str] = {}
    for name, digest in manifest["files"].items():
        pure = PurePosixPath(str(name))
        if pure.is_absolute() or ".." in pure.parts or not isinstance(digest, str):
            result.problems.append(BundleProblem(
                "manifest.json", f"invalid entry {name!r}: {digest!r}; the manifest was altered"
            ))
            continue
        listed[str(name)] = digest
    return listed


def _check_hashes(folder: Path, listed: dict[str, str], result: VerifyResult) -> None:
    present = set(bundle_files(folder))
    for name, expected in sorted(listed.items()):
        path = folder / name
        if name not in present:
            result.problems.append(BundleProblem(name, "missing: the manifest lists it"))
            continue
        if path.is_symlink():
            result.problems.append(BundleProblem(name, "is a symbolic link, not a file"))
            continue
        result.files_checked += 1
        actual = sha256_file(path)
        if actual != expected:
            result.problems.append(BundleProblem(
                name, f"SHA-256 is {actual}, the manifest records {expected}: the file was altered"
            ))
    for name in sorted(present - set(listed)):
        result.problems.append(BundleProblem(name, "extra file: the manifest does not list it"))


def _contract(
    settings: RecheckSettings, manifest: dict[str, Any], result: VerifyResult
) -> Contract | None:
    version = settings.contract_version
    recorded = settings.contract_sha256
    result.contract_version = version
    try:
        contract = load_contract(version)
    except ValueError as error:
        result.problems.append(BundleProblem(JSON_REPORT, f"contract version: {error}"))
        return None
    if contract.digest() != recorded:
        result.problems.append(BundleProblem(
            JSON_REPORT,
            f"contract {version} of this hook-harness has SHA-256 {contract.digest()}, but the "
            f"bundle was certified against {recorded}. Verify with the hook-harness version "
            f"the manifest names ({manifest.get('tool', {}).get('version', 'unknown')})",
        ))
    return contract


def _is_cassette(name: str) -> bool:
    pure = PurePosixPath(name)
    return pure.parts[:1] == (CASSETTE_FOLDER,) and pure.suffix in (".yaml", ".yml")


def _check_cassette(
    folder: Path, name: str, contract: Contract, strict: bool, result: VerifyResult
) -> None:
    try:
        exchanges = read_interactions(folder / name)
    except CassetteError as error:
        # The recorder's own message advises re-recording, which cannot repair a bundle.
        detail = getattr(error, "detail", None) or str(error)
        result.problems.append(BundleProblem(
            name, f"cannot be read ({detail}): the bundle is damaged; use an undamaged copy of "
            "the bundle or certify the target again"
        ))
        return
    result.cassettes_checked += 1
    for index, exchange in enumerate(exchanges):
        result.interactions_checked += 1
        request = exchange.request
        where = (f"interaction {index} ({request.method} {urlsplit(request.url).path} -> "
                 f"{exchange.response.status})")
        for deviation in check_contract(contract, exchange, strict=strict):
            result.problems.append(BundleProblem(name, f"{where}: {format_deviation(deviation)}"))
