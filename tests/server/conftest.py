"""Fixtures of the reference server tests: running servers and a small client for them."""

from __future__ import annotations

import copy
import itertools
import json
import re
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from harness.contract.examples import EXAMPLE_REQUEST
from harness.server.running import ReferenceServer

_NAMES = itertools.count()


def unique_name(prefix: str = "hook") -> str:
    """Return a hook name that no other request of this test process uses."""
    return f"{prefix}-{next(_NAMES)}-{uuid.uuid4().hex[:8]}"


LISTENING = re.compile(r"reference server listening on http://127\.0\.0\.1:(\d+) ")


def connects(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            return True
    except OSError:
        return False


def wait_for_port(process: subprocess.Popen, log_path: Path) -> int | None:
    """Return the port that a serving process logs, or None if it exits first."""
    while process.poll() is None:
        found = LISTENING.search(log_path.read_text())
        if found and connects(int(found.group(1))):
            return int(found.group(1))
        time.sleep(0.05)
    return None


def example_body(**changes: Any) -> dict[str, Any]:
    """Return the documented example request with a unique name and `changes` applied."""
    body = copy.deepcopy(EXAMPLE_REQUEST)
    body["name"] = unique_name()
    body.update(changes)
    return body


@dataclass
class Client:
    """Sends create requests to one reference server; `variables` are the world's."""

    server: ReferenceServer
    session: requests.Session

    @property
    def variables(self) -> dict[str, str]:
        return self.server.variables

    def core_path(self, account: str = "account_id") -> str:
        return f"/accounts/{self.variables[account]}/core/v1/executionHooks"

    def app_path(self, app: str = "app_id", account: str = "account_id") -> str:
        return f"/accounts/{self.variables[account]}/k8s/v1/apps/{self.variables[app]}/executionHooks"

    def headers(self, token: str | None = "owner", **extra: str) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {self.variables[f'tokens.{token}']}"
        headers.update(extra)
        return headers

    def post(
        self, path: str, body: Any = None, *, token: str | None = "owner", data: Any = None,
        headers: dict[str, str] | None = None, params: Any = None,
    ) -> requests.Response:
        """POST `body` as JSON (or `data` as is) with the bearer token of user `token`."""
        sent_headers = self.headers(token) if headers is None else headers
        if data is None and body is not None:
            data = json.dumps(body).encode("utf-8")
        return self.session.post(
            self.server.base_url + path, data=data, headers=sent_headers, params=params,
            allow_redirects=False,
        )


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer() as running:
        yield running


@pytest.fixture
def client(server: ReferenceServer) -> Iterator[Client]:
    with requests.Session() as session:
        yield Client(server, session)
