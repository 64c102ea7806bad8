"""Tests of the validation proxy between a real client and real reference servers."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from harness.certify.proxy import ProxyServer, ValidationProxy
from harness.certify.proxy_log import (
    CONFORMS,
    DEVIATES,
    NOT_CHECKED,
    UPSTREAM_ERROR,
    ProxyEntry,
    ProxyLog,
    describe_entry,
)
from harness.cli.certify_extras import COMMANDS
from harness.contract import load_contract
from harness.contract.examples import EXAMPLE_REQUEST
from harness.recording import read_interactions, scan_cassettes
from harness.server.running import ReferenceServer

PROXY = next(command for command in COMMANDS if command.name == "proxy")


def placeholders(server: ReferenceServer) -> dict[str, str]:
    return {value: name for name, value in server.variables.items() if name.startswith("tokens.")}


def start_proxy(upstream: ReferenceServer, folder: Path, seen: list[ProxyEntry]) -> ProxyServer:
    log = ProxyLog(folder / "cassettes", folder / "report.json", load_contract("1.3"),
                   upstream.base_url, placeholders(upstream))
    return ProxyServer(ValidationProxy(upstream.base_url, log, on_entry=seen.append))


def send_create(proxy: ProxyServer, upstream: ReferenceServer, name: str, **headers: str) -> requests.Response:
    variables = upstream.variables
    body = dict(EXAMPLE_REQUEST)
    body.update(name=name, hookSourceID=variables["hook_source_id"], appID=variables["app_id"])
    sent_headers = {"Authorization": f"Bearer {variables['tokens.owner']}",
                    "Content-Type": "application/astra-executionHook+json", **headers}
    path = f"/accounts/{variables['account_id']}/core/v1/executionHooks"
    return requests.post(proxy.base_url + path, json=body, headers=sent_headers, timeout=30)


@pytest.fixture()
def clean_run(tmp_path: Path) -> Iterator[tuple[list[ProxyEntry], list[requests.Response], ReferenceServer]]:
    seen: list[ProxyEntry] = []
    with ReferenceServer() as upstream, start_proxy(upstream, tmp_path, seen) as proxy:
        answers = [
            send_create(proxy, upstream, "through-proxy-1"),
            send_create(proxy, upstream, "through-proxy-2",
                        Accept="application/astra-executionHook+json"),
            send_create(proxy, upstream, "through-proxy-1"),
            requests.get(proxy.base_url + "/healthz", timeout=30),
        ]
        yield seen, answers, upstream


def test_forwards_answers(clean_run: tuple) -> None:
    _, answers, _ = clean_run

    assert [answer.status_code for answer in answers[:3]] == [201, 201, 409]
    assert answers[1].headers["Content-Type"] == "application/astra-executionHook+json"
    assert answers[0].json()["name"] == "through-proxy-1"
    assert answers[2].json()["type"] == "https://astra.netapp.io/problems/10"


def test_clean_upstream_conforms(clean_run: tuple) -> None:
    seen, _, _ = clean_run

    assert [entry.state for entry in seen] == [CONFORMS, CONFORMS, CONFORMS, NOT_CHECKED]
    assert seen[2].problem == 10
    assert all(entry.deviations == () for entry in seen)


def test_records_scrubbed_cassettes(clean_run: tuple, tmp_path: Path) -> None:
    seen, _, upstream = clean_run
    cassettes = sorted((tmp_path / "cassettes").glob("*.yaml"))

    assert [path.name for path in cassettes] == [entry.cassette for entry in seen]
    exchanges = read_interactions(cassettes[0])
    assert len(exchanges) == 1
    assert exchanges[0].request.headers.get_ci("Authorization") == "Bearer <tokens.owner>"
    assert exchanges[0].response.status == 201
    assert upstream.variables["tokens.owner"] not in cassettes[0].read_text(encoding="utf-8")
    assert scan_cassettes([tmp_path / "cassettes"], secrets=[upstream.variables["tokens.owner"]]) == []


def test_report_file(clean_run: tuple, tmp_path: Path) -> None:
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))

    assert report["format"] == "hook-harness-proxy-report"
    assert report["counts"] == {CONFORMS: 3, DEVIATES: 0, NOT_CHECKED: 1, UPSTREAM_ERROR: 0}
    assert [item["index"] for item in report["exchanges"]] == [1, 2, 3, 4]


def test_faulty_upstream_flagged(tmp_path: Path) -> None:
    seen: list[ProxyEntry] = []
    with ReferenceServer(faults=("missing-location", "integer-status")) as upstream, \
            start_proxy(upstream, tmp_path, seen) as proxy:
        created = send_create(proxy, upstream, "faulty-1")
        rejected = send_create(proxy, upstream, "faulty-2", Authorization="Bearer nope-nope-nope")

    assert created.status_code == 201
    assert rejected.status_code == 401
    assert [entry.state for entry in seen] == [DEVIATES, DEVIATES]
    assert [d.path for d in seen[0].deviations] == ["header Location"]
    assert [d.kind for d in seen[1].deviations] == ["wrong-type"]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["counts"][DEVIATES] == 2
    assert report["exchanges"][0]["deviations"][0]["kind"] == "missing-header"
    assert "header Location [missing-header]" in describe_entry(seen[0])


def test_upstream_down(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    upstream = f"http://127.0.0.1:{closed_port}"
    log = ProxyLog(tmp_path / "c", tmp_path / "r.json", load_contract("1.3"), upstream)

    with ProxyServer(ValidationProxy(upstream, log, timeout=5)) as proxy:
        answer = requests.post(proxy.base_url + "/accounts/a/core/v1/executionHooks", json={},
                               timeout=30)

    assert answer.status_code == 502
    assert [entry.state for entry in log.entries] == [UPSTREAM_ERROR]
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("upstream", ["ftp://127.0.0.1", "127.0.0.1:8080", "http://127.0.0.1/?q=1"])
def test_cli_rejects_upstream(upstream: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(PROXY, ["--upstream", upstream, "--cassette-dir", str(tmp_path / "c")])

    assert result.exit_code == 2
    assert upstream in result.output


def test_cli_requires_upstream() -> None:
    result = CliRunner().invoke(PROXY, [])

    assert result.exit_code == 2
    assert "--upstream" in result.output


def test_cli_rejects_used_folder(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text("x", encoding="utf-8")

    result = CliRunner().invoke(PROXY, ["--upstream", "http://127.0.0.1:1", "--cassette-dir",
                                        str(tmp_path)])

    assert result.exit_code == 2
    assert "already contains files" in result.output
