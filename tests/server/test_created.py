"""Tests of a successful create: body, defaults, headers and container matching."""

from __future__ import annotations

import hashlib
import re

import jsonschema
import pytest
from deepdiff import DeepDiff

from harness.contract import load_contract
from harness.contract.examples import EXAMPLE_REQUEST, EXAMPLE_RESPONSE, SERVER_CHOSEN_PATHS
from harness.contract.facts import TIMESTAMP_PATTERN

from .conftest import Client, example_body

CONTRACT = load_contract("1.3")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
MICROSECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")

PAYROLL_IMAGES = [
    "docker.io/library/mysql:8.0.36",
    "quay.io/prometheus/mysqld-exporter:v0.15.1",
    "registry.example.com/payroll/web:2.4.1",
    "docker.io/library/redis:7.2.4",
]


def create(client: Client, **changes: object) -> dict:
    response = client.post(client.core_path(), example_body(**changes))
    assert response.status_code == 201, response.text
    return response.json()


def test_example_response(client: Client) -> None:
    response = client.post(client.core_path(), EXAMPLE_REQUEST)
    if response.status_code == 409:
        pytest.fail("the example name Payroll was created earlier in this module's server")
    assert response.status_code == 201
    diff = DeepDiff(EXAMPLE_RESPONSE, response.json(), exclude_paths=list(SERVER_CHOSEN_PATHS))
    assert diff == {}
    changed = DeepDiff(EXAMPLE_RESPONSE, response.json())["values_changed"]
    assert set(changed) <= set(SERVER_CHOSEN_PATHS)
    assert "root['id']" in changed


def test_body_matches_schema(client: Client) -> None:
    body = create(client, matchingCriteria=[{"type": "podName", "value": "db"}],
                  metadata={"labels": [{"name": "team", "value": "payroll"}]})
    jsonschema.validate(body, CONTRACT.response_shape(201, body_version="1.2").body_schema)


def test_server_chosen_values(client: Client) -> None:
    body = create(client)
    metadata = body["metadata"]
    assert UUID4.match(body["id"])
    assert MICROSECONDS.match(metadata["creationTimestamp"])
    assert re.match(TIMESTAMP_PATTERN, metadata["creationTimestamp"])
    assert metadata["modificationTimestamp"] == metadata["creationTimestamp"]
    assert metadata["createdBy"] == "8f84cf09-8036-51e4-b579-bd30cb07b269"


def test_created_by_caller(client: Client) -> None:
    response = client.post(client.core_path(), example_body(), token="member")
    assert response.json()["metadata"]["createdBy"] == "6eb20e76-5f9c-4cbf-baa9-642fb71d5fb1"


def test_ids_unique(client: Client) -> None:
    assert create(client)["id"] != create(client)["id"]


def test_defaults(client: Client) -> None:
    body = example_body()
    for key in ("enabled", "arguments", "description"):
        del body[key]
    created = client.post(client.core_path(), body).json()
    assert created["enabled"] == "true"
    assert created["matchingCriteria"] == []
    assert created["metadata"]["labels"] == []
    assert "arguments" not in created
    assert "description" not in created


def test_client_metadata_ignored(client: Client) -> None:
    metadata = {
        "labels": [{"name": "a", "value": "b"}],
        "creationTimestamp": "2020-01-01T00:00:00Z",
        "modificationTimestamp": "2020-01-01T00:00:00Z",
        "createdBy": "e975be1f-ff4b-424b-9a65-da22d016384d",
        "modifiedBy": "e975be1f-ff4b-424b-9a65-da22d016384d",
    }
    created = create(client, metadata=metadata)["metadata"]
    assert created["labels"] == [{"name": "a", "value": "b"}]
    assert created["creationTimestamp"] != "2020-01-01T00:00:00Z"
    assert created["createdBy"] == "8f84cf09-8036-51e4-b579-bd30cb07b269"
    assert "modifiedBy" not in created


def test_disabled_kept(client: Client) -> None:
    assert create(client, enabled="false")["enabled"] == "false"


def test_location(client: Client) -> None:
    response = client.post(client.core_path(), example_body())
    hook_id = response.json()["id"]
    expected = f"{client.server.base_url}/accounts/{client.variables['account_id']}/core/v1/executionHooks/{hook_id}"
    assert response.headers["Location"] == expected


def test_location_app_path(client: Client) -> None:
    response = client.post(client.app_path(), example_body())
    assert "/core/v1/executionHooks/" in response.headers["Location"]
    assert response.headers["Location"].endswith(response.json()["id"])


def test_etag_md5(client: Client) -> None:
    response = client.post(client.core_path(), example_body())
    assert response.headers["Etag"] == hashlib.md5(response.content).hexdigest()


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        (None, "application/json"),
        ("application/json", "application/json"),
        ("application/astra-executionHook+json", "application/astra-executionHook+json"),
        ("application/astra-executionHook+json, application/json;q=0.5", "application/astra-executionHook+json"),
        ("*/*", "application/json"),
    ],
    ids=["none", "json", "resource", "both", "any"],
)
def test_content_type_by_accept(client: Client, accept: str | None, content_type: str) -> None:
    headers = client.headers()
    if accept is not None:
        headers["Accept"] = accept
    response = client.post(client.core_path(), example_body(), headers=headers)
    assert response.headers["Content-Type"] == content_type


def test_stored(client: Client) -> None:
    body = create(client)
    assert client.server.store.get(client.variables["account_id"], body["id"]) == body


# Container matching: the default world's payroll app has four containers in three pods.

@pytest.mark.parametrize(
    ("criteria", "containers"),
    [
        ([], ["mysql", "metrics-exporter", "web", "redis"]),
        ([{"type": "containerImage", "value": "mysql"}], ["mysql", "metrics-exporter"]),
        ([{"type": "containerImage", "value": "^docker\\.io/"}], ["mysql", "redis"]),
        ([{"type": "containerName", "value": "^web$"}], ["web"]),
        ([{"type": "podName", "value": "cache"}], ["redis"]),
        ([{"type": "namespaceName", "value": "^payroll$"}], ["mysql", "metrics-exporter", "web"]),
        ([{"type": "podLabel", "value": "tier=frontend"}], ["web"]),
        ([{"type": "podLabel", "value": "^app=payroll$"}], ["mysql", "metrics-exporter", "web", "redis"]),
        ([{"type": "podLabel", "value": "tier=data"}], ["mysql", "metrics-exporter"]),
        ([{"type": "containerImage", "value": "nothing-like-this"}], []),
        (
            [{"type": "namespaceName", "value": "payroll"}, {"type": "containerImage", "value": "redis"}],
            ["redis"],
        ),
        (
            [{"type": "podName", "value": "db"}, {"type": "containerName", "value": "exporter"}],
            ["metrics-exporter"],
        ),
        (
            [{"type": "podName", "value": "db"}, {"type": "containerName", "value": "web"}],
            [],
        ),
    ],
    ids=[
        "none", "image", "image-anchored", "container-name", "pod-name", "namespace",
        "label", "label-anchored", "label-prefix", "no-match", "and-namespace-image",
        "and-pod-container", "and-disjoint",
    ],
)
def test_matching(client: Client, criteria: list, containers: list) -> None:
    body = create(client, matchingCriteria=criteria)
    assert [c["containerName"] for c in body["matchingContainers"]] == containers
    images = [c["containerImage"] for c in body["matchingContainers"]]
    assert body["matchingImages"] == list(dict.fromkeys(images))
    assert body["matchingCriteria"] == criteria


def test_matching_container_fields(client: Client) -> None:
    body = create(client, matchingCriteria=[{"type": "containerName", "value": "^redis$"}])
    assert body["matchingContainers"] == [{
        "podName": "payroll-cache-0",
        "podLabels": [{"name": "app", "value": "payroll"}, {"name": "tier", "value": "cache"}],
        "containerImage": "docker.io/library/redis:7.2.4",
        "containerName": "redis",
        "namespaceName": "payroll-cache",
    }]


def test_matching_app_path(client: Client) -> None:
    body = example_body(appID=client.variables["no_failover_app_id"], matchingCriteria=[])
    created = client.post(client.app_path("no_failover_app_id"), body).json()
    assert created["matchingImages"] == [
        "registry.example.com/inventory/api:1.9.0", "docker.io/library/postgres:16.2",
    ]


def test_no_criteria_no_matches(client: Client) -> None:
    body = create(client)
    assert "matchingImages" not in body
    assert "matchingContainers" not in body


def test_images_version_1_1(client: Client) -> None:
    body = create(client, version="1.1", matchingCriteria=[{"type": "containerImage", "value": "redis"}])
    assert body["matchingImages"] == ["docker.io/library/redis:7.2.4"]
    assert "matchingContainers" not in body


def test_unicode_name(client: Client) -> None:
    name = "hook-" + "é" * 20 + "-" + example_body()["name"]
    assert create(client, name=name)["name"] == name
