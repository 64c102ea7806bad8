"""Tests of the fault seam: named faults change responses after the handler, not the store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
import requests

from harness.server.faults import FAULTS, resolve_faults
from harness.server.running import ReferenceServer

from .conftest import Client, example_body


@pytest.fixture(scope="module")
def faulty() -> Iterator[ReferenceServer]:
    with ReferenceServer(faults=["missing-location", "integer-status"]) as running:
        yield running


@pytest.fixture
def faulty_client(faulty: ReferenceServer) -> Iterator[Client]:
    with requests.Session() as session:
        yield Client(faulty, session)


def test_unknown_fault() -> None:
    with pytest.raises(ValueError, match="unknown fault 'no-such': use one of ") as raised:
        resolve_faults(["missing-location", "no-such"])
    assert "integer-status" in str(raised.value)
    assert "missing-location" in str(raised.value)


def test_unknown_fault_server() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        ReferenceServer(faults=["no-such"])


def test_registry_names() -> None:
    assert set(FAULTS) >= {"missing-location", "integer-status"}


def test_missing_location(faulty_client: Client) -> None:
    response = faulty_client.post(faulty_client.core_path(), example_body())
    assert response.status_code == 201
    assert "Location" not in response.headers


def test_etag_after_fault(faulty_client: Client) -> None:
    response = faulty_client.post(faulty_client.core_path(), example_body())
    assert response.headers["Etag"] == hashlib.md5(response.content).hexdigest()


def test_integer_status(faulty_client: Client) -> None:
    response = faulty_client.post(faulty_client.core_path(), example_body(), token=None)
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_store_unchanged(faulty_client: Client) -> None:
    created = faulty_client.post(faulty_client.core_path(), example_body()).json()
    stored = faulty_client.server.store.get(faulty_client.variables["account_id"], created["id"])
    assert stored == created


def test_no_faults_location(client: Client) -> None:
    response = client.post(client.core_path(), example_body())
    assert "Location" in response.headers
