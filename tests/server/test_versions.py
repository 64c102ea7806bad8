"""Tests of resource version emulation: enums, accepted body versions and problem types."""

from __future__ import annotations

from collections.abc import Iterator

import jsonschema
import pytest
import requests

from harness.contract import load_contract
from harness.server.app import create_app
from harness.server.running import ReferenceServer
from harness.server.world import load_world

from .conftest import Client, example_body


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, ReferenceServer]]:
    started = {version: ReferenceServer(api_version=version) for version in ("1.0", "1.1", "1.2")}
    for server in started.values():
        server.start()
    try:
        yield started
    finally:
        for server in started.values():
            server.stop()


@pytest.fixture
def clients(servers: dict[str, ReferenceServer]) -> Iterator[dict[str, Client]]:
    with requests.Session() as session:
        yield {version: Client(server, session) for version, server in servers.items()}


def problem_of(response: requests.Response) -> tuple[int, int | None]:
    if response.status_code == 201:
        return 201, None
    return response.status_code, int(response.json()["type"].rsplit("/", 1)[1])


def body_of(version: str, **changes: object) -> dict:
    body = example_body(version=version, **changes)
    if version == "1.0":
        body.pop("matchingCriteria", None)
    return body


def test_unknown_version() -> None:
    with pytest.raises(ValueError, match="unknown resource version '2.0': use one of 1.0, 1.1, 1.2, 1.3"):
        create_app(load_world(), api_version="2.0")


@pytest.mark.parametrize(
    ("server_version", "body_version", "expected"),
    [
        ("1.0", "1.0", 201), ("1.0", "1.1", 400),
        ("1.1", "1.0", 201), ("1.1", "1.1", 201), ("1.1", "1.2", 400),
        ("1.2", "1.2", 201), ("1.2", "1.3", 400),
    ],
    ids=lambda value: str(value),
)
def test_accepted_body_versions(
    clients: dict[str, Client], server_version: str, body_version: str, expected: int
) -> None:
    client = clients[server_version]
    response = client.post(client.core_path(), body_of(body_version))
    assert response.status_code == expected


def test_version_failure_text(clients: dict[str, Client]) -> None:
    client = clients["1.1"]
    body = client.post(client.core_path(), body_of("1.2")).json()
    assert body["schemaValidationFailure"] == "version: must be one of 1.0, 1.1 (enum)"


def test_1_0_no_criteria_field(clients: dict[str, Client]) -> None:
    client = clients["1.0"]
    created = client.post(client.core_path(), body_of("1.0")).json()
    assert "matchingCriteria" not in created
    assert "matchingImages" not in created
    jsonschema.validate(created, load_contract("1.0").response_shape(201).body_schema)


def test_1_0_rejects_criteria(clients: dict[str, Client]) -> None:
    client = clients["1.0"]
    body = body_of("1.0")
    body["matchingCriteria"] = []
    assert problem_of(client.post(client.core_path(), body)) == (400, 8)


def test_1_0_viewer_creates(clients: dict[str, Client]) -> None:
    client = clients["1.0"]
    assert client.post(client.core_path(), body_of("1.0"), token="viewer").status_code == 201


def test_1_0_netapp_created(clients: dict[str, Client]) -> None:
    client = clients["1.0"]
    assert client.post(client.core_path(), body_of("1.0", hookType="netapp")).status_code == 201


def test_1_0_duplicate_names(clients: dict[str, Client]) -> None:
    client = clients["1.0"]
    body = body_of("1.0")
    assert client.post(client.core_path(), body).status_code == 201
    assert client.post(client.core_path(), body).status_code == 201


def test_1_0_app_mismatch_allowed(clients: dict[str, Client]) -> None:
    client = clients["1.0"]
    body = body_of("1.0", appID=client.variables["no_failover_app_id"])
    assert client.post(client.app_path(), body).status_code == 201


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_no_failover_action(clients: dict[str, Client], version: str) -> None:
    client = clients[version]
    body = body_of(version, action="failover", stage="post")
    response = client.post(client.core_path(), body)
    assert problem_of(response) == (400, 8)
    assert response.json()["schemaValidationFailure"].startswith("action: must be one of")


def test_1_1_only_image_criteria(clients: dict[str, Client]) -> None:
    client = clients["1.1"]
    body = body_of("1.1", matchingCriteria=[{"type": "podName", "value": "db"}])
    assert problem_of(client.post(client.core_path(), body)) == (400, 8)


def test_1_2_rejects_1_1_criteria(clients: dict[str, Client]) -> None:
    client = clients["1.2"]
    body = body_of("1.1", matchingCriteria=[{"type": "podName", "value": "db"}])
    assert problem_of(client.post(client.core_path(), body)) == (400, 8)


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_disabled_switch_absent(clients: dict[str, Client], version: str) -> None:
    client = clients[version]
    body = body_of(
        version, appID=client.variables["disabled_app_id"],
        hookSourceID=client.variables["disabled_hook_source_id"],
    )
    response = client.post(client.core_path("disabled_account_id"), body, token="disabled_owner")
    assert response.status_code == 201


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_viewer_rejected(clients: dict[str, Client], version: str) -> None:
    client = clients[version]
    assert problem_of(client.post(client.core_path(), body_of(version), token="viewer")) == (403, 11)


def test_names_per_account(clients: dict[str, Client]) -> None:
    client = clients["1.2"]
    body = body_of("1.2")
    assert client.post(client.core_path(), body).status_code == 201
    other = dict(
        body, appID=client.variables["disabled_app_id"],
        hookSourceID=client.variables["disabled_hook_source_id"],
    )
    response = client.post(client.core_path("disabled_account_id"), other, token="disabled_owner")
    assert response.status_code == 201


def test_1_3_accepts_1_0_body(client: Client) -> None:
    created = client.post(client.core_path(), body_of("1.0")).json()
    assert created["version"] == "1.0"
    assert "matchingCriteria" not in created


def test_1_3_failover(client: Client) -> None:
    response = client.post(client.core_path(), body_of("1.3", action="failover", stage="post"))
    assert response.status_code == 201
    assert response.json()["action"] == "failover"


def test_statuses_documented(clients: dict[str, Client]) -> None:
    client = clients["1.0"]
    response = client.post(client.core_path("unknown_account_id"), body_of("1.0"))
    assert response.status_code in load_contract("1.0").statuses
