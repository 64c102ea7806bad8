"""Offline verification of a certification bundle: file hashes, then every recorded response.

A bundle passes when every file the manifest lists is present with its SHA-256, no other
file is there, the contract of this installation has the digest the manifest records, and
every response in the cassettes conforms to that contract.
"""

from __future__ import annotations

import logging
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from harness.certify.bundle import CASSETTE_FOLDER
from harness.certify.manifest import BundleError, bundle_files, read_manifest, sha256_file
from harness.contract import Contract, load_contract
from harness.recording import CassetteError, read_interactions
from harness.report.conformance import check_contract
from harness.report.terminal import format_deviation

logger = logging.getLogger(__name__)

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")


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

    @property
    def passed(self) -> bool:
        return not self.problems


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
    _check_hashes(folder, listed, result)
    contract = _contract(manifest, result)
    if contract is not None:
        strict = manifest.get("strict", True) is not False
        cassettes = [name for name in sorted(listed) if _is_cassette(name) and (folder / name).is_file()]
        for name in cassettes:
            _check_cassette(folder, name, contract, strict, result)
    logger.info("verified bundle %s: %d files, %d interactions, %d problems", shown_as,
                result.files_checked, result.interactions_checked, len(result.problems))
    return result


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


def _contract(manifest: dict[str, Any], result: VerifyResult) -> Contract | None:
    version = manifest["contract"].get("version")
    recorded = manifest["contract"].get("sha256")
    result.contract_version = str(version)
    try:
        contract = load_contract(str(version))
    except ValueError as error:
        result.problems.append(BundleProblem("manifest.json", f"contract version: {error}"))
        return None
    if contract.digest() != recorded:
        result.problems.append(BundleProblem(
            "manifest.json",
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
        result.problems.append(BundleProblem(name, f"cannot be read: {error}"))
        return
    result.cassettes_checked += 1
    for index, exchange in enumerate(exchanges):
        result.interactions_checked += 1
        request = exchange.request
        where = (f"interaction {index} ({request.method} {urlsplit(request.url).path} -> "
                 f"{exchange.response.status})")
        for deviation in check_contract(contract, exchange, strict=strict):
            result.problems.append(BundleProblem(name, f"{where}: {format_deviation(deviation)}"))
