"""Tests of the requirement list generated from the contract data."""

from __future__ import annotations

import pytest

from harness.contract import load_contract
from harness.contract.facts import API_VERSIONS
from harness.contract.requirements import (
    CATEGORIES,
    known_requirement_ids,
    requirement_index,
    requirements,
)


@pytest.mark.parametrize("version", API_VERSIONS)
def test_ids_unique(version: str) -> None:
    ids = [requirement.id for requirement in requirements(load_contract(version))]

    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("version", API_VERSIONS)
def test_every_status_and_problem(version: str) -> None:
    contract = load_contract(version)
    index = requirement_index(contract)

    for status in contract.statuses:
        assert f"status.{status}" in index
    for number in contract.problems:
        assert f"problem.{number}" in index


@pytest.mark.parametrize("requirement_id", [
    "request.name.required",
    "request.name.length",
    "request.name.json-type",
    "request.hookType.enum",
    "request.hookSourceID.pattern",
    "request.arguments.items",
    "request.arguments.unique",
    "request.arguments[].length",
    "request.additionalProperties",
    "request.matchingCriteria[].type.enum",
    "request.metadata.labels[].additionalProperties",
    "created.id.pattern",
    "created.metadata.creationTimestamp.pattern",
    "problem-body.status.pattern",
    "problem-body.correlationID.pattern",
    "header.content-type.created-resource",
    "header.content-type.created-json",
    "header.content-type.problem",
    "header.location",
    "header.etag",
    "default.enabled",
    "default.matchingCriteria",
    "echo.version",
    "stage.restore",
    "stage.failover",
])
def test_stable_ids_1_3(requirement_id: str) -> None:
    assert requirement_id in requirement_index(load_contract("1.3"))


@pytest.mark.parametrize("requirement_id", [
    "request.matchingCriteria.items",
    "default.matchingCriteria",
    "stage.failover",
    "problem.168",
    "status.403",
])
def test_absent_at_1_0(requirement_id: str) -> None:
    assert requirement_id not in requirement_index(load_contract("1.0"))


def test_known_ids_span_versions() -> None:
    ids = known_requirement_ids()

    assert "stage.failover" in ids
    assert "problem.168" in ids
    assert "request.name.required" in ids


def test_descriptions_are_sentences() -> None:
    for requirement in requirements(load_contract("1.3")):
        assert requirement.category in CATEGORIES, requirement.id
        assert requirement.description.endswith("."), requirement.id
        assert "\n" not in requirement.description, requirement.id


def test_limits_come_from_contract() -> None:
    index = requirement_index(load_contract("1.3"))

    assert "1 to 63 characters" in index["request.name.length"].description
    assert "at most 16 items" in index["request.arguments.items"].description
    assert '"true"' in index["default.enabled"].description
    assert "problem 9" in index["stage.restore"].description


def test_problem_requirement_fields() -> None:
    requirement = requirement_index(load_contract("1.3"))["problem.73"]

    assert requirement.status == 403
    assert requirement.problem == 73
    assert "NetApp execution hooks read only" in requirement.description
