"""Tests of running the server: the ReferenceServer context manager, serve() and the request log."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from harness.server.running import ReferenceServer, serve
from harness.server.world import WorldError, load_world

from .conftest import Client, connects, example_body, wait_for_port


def test_base_url(server: ReferenceServer) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}"
    assert server.port > 0


def test_variables_and_secrets(server: ReferenceServer) -> None:
    world = load_world()
    assert server.variables == world.variables
    assert server.secrets == world.secrets


def test_variables_copy(server: ReferenceServer) -> None:
    server.variables["account_id"] = "changed"
    assert server.variables["account_id"] != "changed"


def test_port_before_start() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        ReferenceServer().port


def test_stops_on_error() -> None:
    with pytest.raises(KeyError):
        with ReferenceServer() as running:
            port = running.port
            assert connects(port)
            raise KeyError("boom")
    assert not connects(port)


def test_start_twice() -> None:
    with ReferenceServer() as running:
        with pytest.raises(RuntimeError, match="already running"):
            running.start()


def test_stop_idempotent() -> None:
    running = ReferenceServer()
    running.start()
    running.stop()
    running.stop()


def test_port_in_use(server: ReferenceServer) -> None:
    with pytest.raises(OSError, match=f"cannot bind the reference server to 127.0.0.1:{server.port}"):
        ReferenceServer(port=server.port).start()


def test_two_servers(server: ReferenceServer) -> None:
    with ReferenceServer(api_version="1.1") as other:
        assert other.port != server.port
        assert connects(other.port)


def test_log_line(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="harness.server.app")
    response = client.post(client.core_path(), example_body(), params={"limit": "secret-value"})
    correlation = response.json()["correlationID"]
    lines = [record.getMessage() for record in caplog.records if record.name == "harness.server.app"]
    assert len(lines) == 1
    assert lines[0].startswith(f"POST {client.core_path()}?limit 400 problem=5 ")
    assert lines[0].endswith(f" ms correlation={correlation}")
    assert "secret-value" not in lines[0]


def test_log_never_token(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client.post(client.core_path(), example_body())
    client.post(client.core_path(), example_body(), token="invalid")
    client.post(client.core_path(), example_body(), token="viewer")
    text = "\n".join(record.getMessage() for record in caplog.records)
    for secret in client.server.secrets | {client.variables["tokens.invalid"]}:
        assert secret not in text


def test_log_escapes_path(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="harness.server.app")
    client.session.post(f"{client.server.base_url}/accounts/%0Afake%20line", headers=client.headers())
    lines = [record.getMessage() for record in caplog.records if record.name == "harness.server.app"]
    assert "\n" not in lines[0]
    assert "\\nfake line" in lines[0]


def test_serve_bad_world(tmp_path: Path) -> None:
    with pytest.raises(WorldError, match="world file not found"):
        serve("127.0.0.1", 0, tmp_path / "absent.yaml", "1.3", ())


def test_serve_bad_fault() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        serve("127.0.0.1", 0, None, "1.3", ["no-such"])


def test_serve_process(tmp_path: Path) -> None:
    code = "from harness.server import serve; serve('127.0.0.1', 0, None, '1.2', ())"
    stderr_path = tmp_path / "stderr.txt"
    variables = load_world().variables
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, "-c", code], stderr=stderr, env=os.environ.copy())
        try:
            port = wait_for_port(process, stderr_path)
            assert port is not None, stderr_path.read_text()
            response = requests.post(
                f"http://127.0.0.1:{port}/accounts/{variables['account_id']}/core/v1/executionHooks",
                data=json.dumps(example_body()), headers={
                    "Authorization": f"Bearer {variables['tokens.owner']}",
                    "Content-Type": "application/json",
                },
            )
        finally:
            process.send_signal(signal.SIGINT)
            process.wait()
    log = stderr_path.read_text()
    assert response.status_code == 201
    assert process.returncode == 0
    assert "(resource version 1.2, world default_world.yaml" in log
    assert " 201 problem=- " in log
    assert "reference server stopped" in log
    assert variables["tokens.owner"] not in log


def test_serve_port_in_use(server: ReferenceServer) -> None:
    with pytest.raises(OSError, match=f"cannot bind the reference server to 127.0.0.1:{server.port}"):
        serve("127.0.0.1", server.port, None, "1.3", ())
