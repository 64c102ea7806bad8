"""The cassette file: vcrpy's YAML format (version 1), read strictly and written atomically.

A file contains `{"interactions": [{"request": ..., "response": ...}, ...], "version": 1}`. In
memory a request is `{"method", "uri", "body": bytes | None, "headers": {name: [values]}}` and
a response is `{"status": {"code", "message"}, "headers": {name: [values]}, "body":
{"string": bytes}}`, as vcrpy keeps them. Files are read and written as UTF-8 whatever the
locale, and parsed with libyaml's C parser when PyYAML has it (see cassette_yaml).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from harness.recording.cassette_yaml import dump_yaml, garbage_collection_paused, load_yaml
from harness.recording.errors import CassetteCorruptError

CASSETTE_FORMAT_VERSION = 1

Interaction = tuple[dict[str, Any], dict[str, Any]]


def read_cassette_file(file: BinaryIO, path: Path) -> list[Interaction]:
    """Parse and check an open cassette file; raise CassetteCorruptError naming `path`."""
    data = file.read()
    if not data.strip():
        raise CassetteCorruptError(path, "the file is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CassetteCorruptError(path, f"byte {error.start} is not valid UTF-8") from None
    # Checking copies every interaction; with the collector running it would scan the whole
    # freshly parsed document again (twice the time per interaction at 1,000 interactions).
    with garbage_collection_paused():
        try:
            document = load_yaml(text)
        except yaml.YAMLError as error:
            raise CassetteCorruptError(path, f"invalid YAML ({_yaml_problem(error)})") from None
        return _check_document(document, path)


def load_cassette_file(path: Path) -> list[Interaction]:
    """Read the cassette at `path`. FileNotFoundError if it is missing."""
    with open(path, "rb") as file:
        return read_cassette_file(file, path)


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    if mark is None:
        return problem
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"


def _check_document(document: Any, path: Path) -> list[Interaction]:
    if not isinstance(document, dict):
        raise CassetteCorruptError(
            path, f"the top level is {type(document).__name__}, not a mapping with 'interactions'"
        )
    if "version" not in document:
        # yaml.dump sorts keys, so vcrpy and this module write `version` last. A file without
        # it was cut short.
        raise CassetteCorruptError(path, "the final 'version: 1' line is missing, so the file looks truncated")
    if document["version"] != CASSETTE_FORMAT_VERSION:
        raise CassetteCorruptError(
            path, f"version is {document['version']!r}, and only version 1 cassettes can be read"
        )
    interactions = document.get("interactions")
    if not isinstance(interactions, list):
        raise CassetteCorruptError(path, f"'interactions' is {type(interactions).__name__}, not a list")
    return [_check_interaction(item, index, path) for index, item in enumerate(interactions)]


def _check_interaction(item: Any, index: int, path: Path) -> Interaction:
    def fail(detail: str) -> CassetteCorruptError:
        return CassetteCorruptError(path, f"interaction {index}: {detail}")

    if not isinstance(item, dict) or not isinstance(item.get("request"), dict):
        raise fail("'request' is missing or not a mapping")
    if not isinstance(item.get("response"), dict):
        raise fail("'response' is missing or not a mapping")
    request, response = item["request"], item["response"]
    for key in ("method", "uri"):
        if not isinstance(request.get(key), str):
            raise fail(f"request.{key} is {_short(request.get(key))}, not a string")
    status = response.get("status")
    if not isinstance(status, dict) or not isinstance(status.get("code"), int):
        raise fail(f"response.status.code is missing or not an integer: {_short(status)}")
    body = response.get("body")
    if not isinstance(body, dict) or not isinstance(body.get("string"), (str, bytes, type(None))):
        raise fail(f"response.body.string is missing or not text: {_short(body)}")
    request_body = request.get("body")
    if not isinstance(request_body, (str, bytes, type(None))):
        raise fail(f"request.body is {type(request_body).__name__}, not text")
    request_headers = _check_headers(request.get("headers"))
    response_headers = _check_headers(response.get("headers"))
    if request_headers is None or response_headers is None:
        which = "request" if request_headers is None else "response"
        raise fail(f"{which}.headers is not a mapping of names to lists of strings")
    checked_request = {
        "method": request["method"],
        "uri": request["uri"],
        "body": _to_bytes(request_body),
        "headers": request_headers,
    }
    checked_response = {
        "status": {"code": status["code"], "message": str(status.get("message") or "")},
        "headers": response_headers,
        "body": {"string": _to_bytes(body["string"]) or b""},
    }
    return checked_request, checked_response


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _to_bytes(value: str | bytes | None) -> bytes | None:
    if isinstance(value, str):
        return value.encode("utf-8")
    return value


def _check_headers(headers: Any) -> dict[str, list[str]] | None:
    """Return headers as {name: [values]}, or None when they are malformed."""
    if headers is None:
        return {}
    if not isinstance(headers, dict):
        return None
    checked: dict[str, list[str]] = {}
    for name, values in headers.items():
        if not isinstance(values, list):
            values = [values]
        if not isinstance(name, str) or not all(isinstance(value, (str, int)) for value in values):
            return None
        checked[name] = [str(value) for value in values]
    return checked


def _to_text(value: bytes | None) -> str | bytes | None:
    """Store UTF-8 bodies as text, as vcrpy does, and others as `!!binary`."""
    if value is None:
        return None
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value


def dump_interactions(interactions: Iterable[Interaction], metadata: dict[str, Any] | None = None) -> bytes:
    """Serialise interactions in vcrpy's YAML cassette format, encoded as UTF-8."""
    items = []
    for request, response in interactions:
        items.append(
            {
                "request": {
                    "method": request["method"],
                    "uri": request["uri"],
                    "body": _to_text(request.get("body")),
                    "headers": request.get("headers") or {},
                },
                "response": {
                    "status": response["status"],
                    "headers": response.get("headers") or {},
                    "body": {"string": _to_text(response["body"]["string"])},
                },
            }
        )
    document: dict[str, Any] = {"interactions": items, "version": CASSETTE_FORMAT_VERSION}
    if metadata:
        document["metadata"] = metadata
    return dump_yaml(document).encode("utf-8")


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, fsync it, and rename it over `path`.

    A reader sees the old file or the new one, never a part. The temporary name contains the
    process id and a random part, so processes writing into one folder never share one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable; platforms that cannot open a folder skip this."""
    try:
        descriptor = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def header_value(headers: dict[str, list[str]], name: str) -> str | None:
    """Return the values of header `name` (any case) joined with ", ", or None."""
    lowered = name.lower()
    for key, values in headers.items():
        if key.lower() == lowered:
            return ", ".join(values)
    return None


def find_cassette_files(paths: Sequence[Path]) -> list[Path]:
    """Expand folders to the `.yaml` and `.yml` files under them; keep files as given."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
            )
        else:
            found.append(path)
    return found
