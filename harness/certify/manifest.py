"""The manifest of a certification bundle: what was certified, with which tools, and file hashes.

`manifest.json` sits at the top of the bundle folder. It lists the SHA-256 of every other
file of the bundle, so `verify` can tell an untouched bundle from an altered one.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable

from harness import __version__
from harness.contract import Contract
from harness.report.files import write_atomically
from harness.report.redaction import redact_text

MANIFEST_NAME = "manifest.json"
BUNDLE_FORMAT = "hook-harness-bundle"
BUNDLE_FORMAT_VERSION = 2

# Distributions whose versions can change a verdict or a recording.
LIBRARIES = (
    "vcrpy", "deepdiff", "faker", "pytest", "pytest-xdist", "uvicorn", "jsonschema",
    "fastjsonschema", "pyyaml", "requests", "urllib3", "click", "google-re2",
)
_CHUNK_BYTES = 1 << 20
# The `user:password@` part of any URL in a text.
_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")


class BundleError(ValueError):
    """A bundle that cannot be read, with the file and the fix."""


def library_versions() -> dict[str, str]:
    """Return the Python version and the installed version of each of LIBRARIES."""
    versions = {"python": f"{platform.python_implementation()} {platform.python_version()}"}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(_CHUNK_BYTES), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundle_files(folder: Path) -> list[str]:
    """Return the POSIX paths, relative to `folder`, of every file but the manifest, sorted."""
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() or path.is_symlink()
        if path.relative_to(folder).as_posix() != MANIFEST_NAME
    )


def build_manifest(
    folder: Path,
    contract: Contract,
    *,
    target: str,
    strict: bool,
    certification: dict[str, Any],
    seed: int | None = None,
    secrets: Iterable[str] = (),
) -> dict[str, Any]:
    """Return the manifest of the files now in `folder`.

    Tokens and URL user info in `target` are redacted. Only `target` is redacted, because
    file names such as `core-problem-4-invalid-token.yaml` look like credential keys.
    """
    files = {name: sha256_file(folder / name) for name in bundle_files(folder)}
    document = {
        "format": BUNDLE_FORMAT,
        "format_version": BUNDLE_FORMAT_VERSION,
        "created": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        "tool": {"name": "hook-harness", "version": __version__},
        "libraries": library_versions(),
        "contract": {"version": contract.version, "sha256": contract.digest()},
        "strict": strict,
        "seed": seed,
        "target": redact_text(_USERINFO.sub("", target), secrets),
        "certification": certification,
        "files": files,
    }
    return document


def write_manifest(folder: Path, manifest: dict[str, Any]) -> Path:
    path = folder / MANIFEST_NAME
    write_atomically(path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path


def read_manifest(folder: Path) -> dict[str, Any]:
    """Return the manifest of the bundle in `folder`, raising BundleError if it is unusable."""
    path = folder / MANIFEST_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(
            f"{path} not found: give the folder or .tar.gz that `hook-harness certify --out` wrote"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleError(f"{path} cannot be read as JSON ({error}): the bundle is damaged") from None
    if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
        found = document.get("format") if isinstance(document, dict) else type(document).__name__
        raise BundleError(
            f"{path} is not a bundle manifest: format is {found!r}, expected {BUNDLE_FORMAT!r}"
        )
    if not isinstance(document.get("files"), dict) or not isinstance(document.get("contract"), dict):
        raise BundleError(f"{path} lacks the 'files' or 'contract' mapping: the bundle is damaged")
    return document
