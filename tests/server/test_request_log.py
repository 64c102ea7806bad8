"""The log line per request: its fields, and that no bearer token ever reaches the log."""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from harness.server.log_redaction import REDACTED, redact_tokens
from harness.server.openapi import OPENAPI_PATH

from .conftest import Client, example_body, wait_for_port

REQUEST_LOGGER = "harness.server.app"
LINE = re.compile(
    r"^(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) problem=(?P<problem>\d+|-) "
    r"(?P<ms>\d+\.\d\d) ms correlation=(?P<correlation>[0-9a-f-]{36})$"
)


def request_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage() for record in caplog.records
        if record.name == REQUEST_LOGGER and record.levelno == logging.INFO
    ]


def server_log(caplog: pytest.LogCaptureFixture) -> str:
    """Return every message of the server's loggers; the test's HTTP client logs its URLs."""
    return "\n".join(
        record.getMessage() for record in caplog.records
        if record.name.startswith(("harness.", "uvicorn"))
    )


def test_line_created(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    client.post(client.core_path(), example_body())
    lines = request_lines(caplog)
    fields = LINE.match(lines[0])
    assert len(lines) == 1
    assert fields is not None
    assert fields["method"] == "POST"
    assert fields["path"] == client.core_path()
    assert fields["status"] == "201"
    assert fields["problem"] == "-"


def test_line_problem(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    response = client.post(client.app_path(), example_body(), token=None)
    lines = request_lines(caplog)
    fields = LINE.match(lines[0])
    assert len(lines) == 1
    assert fields is not None
    assert fields["path"] == client.app_path()
    assert fields["status"] == "401"
    assert fields["problem"] == "3"
    assert fields["correlation"] == response.json()["correlationID"]


def test_line_per_request(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=REQUEST_LOGGER)
    for _ in range(5):
        client.post(client.core_path(), example_body())
    client.session.get(client.server.base_url + OPENAPI_PATH)
    lines = request_lines(caplog)
    assert len(lines) == 6
    assert all(LINE.match(line) for line in lines)


def token_requests(client: Client) -> dict[str, dict[str, object]]:
    """Return requests that each carry the owner's token in another place."""
    token = client.variables["tokens.owner"]
    account = client.variables["account_id"]
    return {
        "authorization": {"path": client.core_path()},
        "path": {"path": f"/accounts/{token}/core/v1/executionHooks"},
        "query-value": {"path": client.core_path(), "params": {"limit": token}},
        "query-name": {"path": client.core_path(), "params": {token: "1"}},
        "other-header": {"path": client.core_path(), "headers": {"X-Token": token}},
        "body": {"path": client.core_path(), "body": example_body(description=token)},
        "unknown-route": {"path": f"/accounts/{account}/{token}"},
    }


@pytest.mark.parametrize(
    "place", ["authorization", "path", "query-value", "query-name", "other-header", "body", "unknown-route"]
)
def test_token_never_logged(client: Client, caplog: pytest.LogCaptureFixture, place: str) -> None:
    caplog.set_level(logging.DEBUG)
    request = token_requests(client)[place]
    headers = {**client.headers(), **request.get("headers", {})}  # type: ignore[dict-item]
    client.session.post(
        client.server.base_url + str(request["path"]), json=request.get("body", example_body()),
        headers=headers, params=request.get("params"),
    )
    assert len(request_lines(caplog)) == 1
    assert client.variables["tokens.owner"] not in server_log(caplog)


def test_unknown_token_in_path(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    """A token that no user has is redacted too when the request sends it as its bearer token."""
    caplog.set_level(logging.DEBUG)
    token = client.variables["tokens.invalid"]
    headers = {**client.headers(), "Authorization": f"Bearer {token}"}
    client.session.post(f"{client.server.base_url}/accounts/{token}/core/v1/executionHooks",
                        json=example_body(), headers=headers)
    lines = request_lines(caplog)
    assert token not in server_log(caplog)
    assert lines[0].startswith(f"POST /accounts/{REDACTED}/core/v1/executionHooks 401 problem=4 ")


@pytest.mark.parametrize(
    ("text", "headers", "expected"),
    [
        ("/a/secret-token-1/b", [], f"/a/{REDACTED}/b"),
        ("/a/bearer-token-2", [(b"authorization", b"Bearer bearer-token-2")], f"/a/{REDACTED}"),
        ("/a/short", [(b"authorization", b"Bearer short")], "/a/short"),
        ("/a/raw-token-3", [(b"authorization", b"raw-token-3")], f"/a/{REDACTED}"),
        ("/a/header-token", [(b"x-token", b"header-token")], "/a/header-token"),
    ],
    ids=["world-secret", "bearer-token", "short-part-kept", "no-scheme", "other-header"],
)
def test_redact_tokens(text: str, headers: list[tuple[bytes, bytes]], expected: str) -> None:
    assert redact_tokens(text, {"secret-token-1"}, headers) == expected


def test_no_access_log(tmp_path: Path, client: Client) -> None:
    """`serve --no-access-log` drops the line per request but keeps the start and stop lines."""
    log_path = tmp_path / "serve.log"
    command = [sys.executable, "-m", "harness.cli.main", "serve", "--port", "0", "--no-access-log"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stderr=log, env=os.environ.copy())
    try:
        port = wait_for_port(process, log_path)
        assert port is not None, log_path.read_text()
        response = requests.post(
            f"http://127.0.0.1:{port}{client.core_path()}", json=example_body(), headers=client.headers(),
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.wait()
    log = log_path.read_text()
    assert response.status_code == 201
    assert "reference server listening on" in log
    assert "reference server stopped" in log
    assert " 201 problem=-" not in log
