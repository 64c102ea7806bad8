"""The contract model: response shapes, version features and the request schema."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest

from harness.contract import facts
from harness.contract.examples import EXAMPLE_PROBLEMS, EXAMPLE_REQUEST, EXAMPLE_RESPONSE
from harness.contract.model import Contract, UnknownResponseError, load_contract
from harness.contract.problems import PROBLEMS
from harness.contract.versions import VERSIONS, features

ALL_PROBLEM_CASES = [
    pytest.param(version, number, id=f"{version}-problem-{number}")
    for version in VERSIONS
    for number in Contract(version).problems
]


def is_valid(schema: dict[str, Any], body: Any) -> bool:
    return jsonschema.Draft7Validator(schema).is_valid(body)


def problem_body(number: int) -> dict[str, Any]:
    problem = PROBLEMS[number]
    body: dict[str, Any] = {
        "type": problem.uri,
        "title": problem.title,
        "detail": problem.detail,
        "status": problem.status_text,
    }
    if problem.extra_field == "schemaValidationFailure":
        body["schemaValidationFailure"] = "name: too long"
    elif problem.extra_field is not None:
        body[problem.extra_field] = [{"name": "name", "reason": "invalid"}]
    return body


@pytest.mark.parametrize(("version", "number"), ALL_PROBLEM_CASES)
def test_problem_shape_matches_problem(version: str, number: int) -> None:
    problem = PROBLEMS[number]
    shape = Contract(version).response_shape(problem.status, number)

    assert shape.status == problem.status
    assert shape.problem is problem
    assert shape.content_types == (facts.PROBLEM_MEDIA_TYPE,)
    assert shape.required_headers == ("Content-Type",)
    assert shape.label == f"{problem.status} problem {number}"
    assert is_valid(shape.body_schema, problem_body(number))


@pytest.mark.parametrize(("version", "number"), ALL_PROBLEM_CASES)
def test_problem_shape_rejects_other_title(version: str, number: int) -> None:
    problem = PROBLEMS[number]
    body = problem_body(number)
    body["title"] = "Something else"

    shape = Contract(version).response_shape(problem.status, number)

    assert not is_valid(shape.body_schema, body)


@pytest.mark.parametrize("version", list(VERSIONS))
def test_generic_problem_shape_per_status(version: str) -> None:
    contract = Contract(version)
    for status in contract.statuses:
        if status == 201:
            continue
        shape = contract.response_shape(status)
        assert shape.problem is None, status
        assert shape.label == str(status)
        for number, problem in contract.problems.items():
            if problem.status == status:
                assert is_valid(shape.body_schema, problem_body(number)), number


@pytest.mark.parametrize("number", sorted(EXAMPLE_PROBLEMS))
def test_documented_problem_examples_valid(number: int) -> None:
    problem = PROBLEMS[number]
    shape = Contract().response_shape(problem.status, number)

    assert is_valid(shape.body_schema, EXAMPLE_PROBLEMS[number])


def test_created_shape_headers_and_types() -> None:
    shape = Contract().response_shape(201)

    assert shape.problem is None
    assert shape.content_types == (facts.JSON_MEDIA_TYPE, facts.REQUEST_MEDIA_TYPE)
    assert shape.required_headers == ("Content-Type", "Location", "Etag")
    assert shape.label == "201"


def test_created_shape_accepts_documented_example() -> None:
    shape = Contract("1.3").response_shape(201, body_version="1.2")

    assert is_valid(shape.body_schema, EXAMPLE_RESPONSE)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("id", "not-a-uuid", id="bad-id"),
        pytest.param("matchingContainers", "none", id="containers-not-array"),
        pytest.param("unknownKey", 1, id="extra-key"),
    ],
)
def test_created_shape_rejects_violations(field: str, value: Any) -> None:
    body = copy.deepcopy(EXAMPLE_RESPONSE)
    body[field] = value

    assert not is_valid(Contract("1.3").response_shape(201).body_schema, body)


def test_created_shape_requires_metadata() -> None:
    body = copy.deepcopy(EXAMPLE_RESPONSE)
    del body["metadata"]

    assert not is_valid(Contract("1.3").response_shape(201).body_schema, body)


def test_created_shape_of_old_body_lacks_containers() -> None:
    body = copy.deepcopy(EXAMPLE_RESPONSE)
    body["version"] = "1.1"
    body["matchingContainers"] = []

    shape = Contract("1.3").response_shape(201, body_version="1.1")

    assert not is_valid(shape.body_schema, body)


@pytest.mark.parametrize(
    ("version", "status"),
    [
        pytest.param("1.3", 500, id="500-never-documented"),
        pytest.param("1.3", 200, id="200-not-create"),
        pytest.param("1.0", 403, id="403-before-1.1"),
        pytest.param("1.0", 409, id="409-before-1.1"),
    ],
)
def test_unknown_status_raises(version: str, status: int) -> None:
    with pytest.raises(UnknownResponseError) as raised:
        Contract(version).response_shape(status)

    assert f"status {status}" in str(raised.value)
    assert "documented statuses are" in str(raised.value)


@pytest.mark.parametrize(
    ("version", "status", "number"),
    [
        pytest.param("1.3", 400, 10, id="conflict-under-400"),
        pytest.param("1.3", 409, 999, id="unknown-number"),
        pytest.param("1.1", 409, 162, id="162-before-1.2"),
        pytest.param("1.2", 403, 168, id="168-before-1.3"),
    ],
)
def test_unknown_problem_raises(version: str, status: int, number: int) -> None:
    with pytest.raises(UnknownResponseError) as raised:
        Contract(version).response_shape(status, number)

    message = str(raised.value)
    assert f"problem type {number}" in message
    assert f"the documented types for {status} are" in message


def test_problem_error_lists_allowed_types() -> None:
    with pytest.raises(UnknownResponseError) as raised:
        Contract("1.3").response_shape(409, 11)

    assert "10 (JSON resource conflict)" in str(raised.value)
    assert "162 (Post-failover execution hooks not supported)" in str(raised.value)


FEATURE_TABLE = [
    ("1.0", ("snapshot", "backup", "restore"), (), False, False, False, (2, 3, 4, 5, 6, 7, 8, 9)),
    (
        "1.1",
        ("snapshot", "backup", "restore"),
        ("containerImage",),
        True,
        True,
        False,
        (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 73),
    ),
    (
        "1.2",
        ("snapshot", "backup", "restore"),
        ("containerImage", "containerName", "podName", "podLabel", "namespaceName"),
        True,
        True,
        True,
        (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 73, 162),
    ),
    (
        "1.3",
        ("snapshot", "backup", "restore", "failover"),
        ("containerImage", "containerName", "podName", "podLabel", "namespaceName"),
        True,
        True,
        True,
        (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 73, 162, 168),
    ),
]


@pytest.mark.parametrize(
    ("version", "actions", "criteria", "criteria_flag", "images", "containers", "problems"),
    [pytest.param(*row, id=row[0]) for row in FEATURE_TABLE],
)
def test_version_features(
    version: str,
    actions: tuple[str, ...],
    criteria: tuple[str, ...],
    criteria_flag: bool,
    images: bool,
    containers: bool,
    problems: tuple[int, ...],
) -> None:
    feature_set = features(version)

    assert feature_set.actions == actions
    assert feature_set.criteria_types == criteria
    assert feature_set.has_matching_criteria is criteria_flag
    assert feature_set.has_matching_images is images
    assert feature_set.has_matching_containers is containers
    assert tuple(sorted(feature_set.problem_numbers)) == problems


@pytest.mark.parametrize(
    ("version", "statuses", "accepted"),
    [
        pytest.param("1.0", (201, 400, 401, 404), ("1.0",), id="1.0"),
        pytest.param("1.1", (201, 400, 401, 403, 404, 409), ("1.0", "1.1"), id="1.1"),
        pytest.param("1.3", (201, 400, 401, 403, 404, 409), ("1.0", "1.1", "1.2", "1.3"), id="1.3"),
    ],
)
def test_version_statuses_and_bodies(
    version: str, statuses: tuple[int, ...], accepted: tuple[str, ...]
) -> None:
    contract = Contract(version)

    assert contract.statuses == statuses
    assert contract.features.accepted_body_versions == accepted
    for body_version in accepted:
        assert contract.accepts_body_version(body_version), body_version


def test_newer_body_version_not_accepted() -> None:
    assert not Contract("1.1").accepts_body_version("1.2")


@pytest.mark.parametrize("loader", [load_contract, features], ids=["load_contract", "features"])
def test_unknown_version_lists_known(loader: Any) -> None:
    with pytest.raises(ValueError) as raised:
        loader("2.0")

    assert "'2.0'" in str(raised.value)
    assert "1.0, 1.1, 1.2, 1.3" in str(raised.value)


def test_request_schema_accepts_documented_example() -> None:
    assert is_valid(Contract("1.3").request_schema(), EXAMPLE_REQUEST)


def test_request_schema_accepts_failover_post() -> None:
    body = {**EXAMPLE_REQUEST, "version": "1.3", "action": "failover", "stage": "post"}

    assert is_valid(Contract("1.3").request_schema(), body)


def _without(field: str) -> dict[str, Any]:
    body = copy.deepcopy(EXAMPLE_REQUEST)
    del body[field]
    return body


def _with(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(EXAMPLE_REQUEST), **changes}


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(_without("name"), id="missing-name"),
        pytest.param(_without("appID"), id="missing-appID"),
        pytest.param(_with(name=""), id="empty-name"),
        pytest.param(_with(name="n" * 64), id="name-too-long"),
        pytest.param(_with(description="d" * 512), id="description-too-long"),
        pytest.param(_with(hookType="other"), id="unknown-hookType"),
        pytest.param(_with(action="clone"), id="unknown-action"),
        pytest.param(_with(stage="during"), id="unknown-stage"),
        pytest.param(_with(enabled=True), id="enabled-boolean"),
        pytest.param(_with(version="2.0"), id="unknown-version"),
        pytest.param(_with(type="application/json"), id="wrong-type"),
        pytest.param(
            _with(hookSourceID="50E89023-BA84-435D-BB47-1833F4C250FF"), id="uppercase-uuid"
        ),
        pytest.param(_with(arguments=[str(i) for i in range(17)]), id="too-many-arguments"),
        pytest.param(_with(arguments=["a", "a"]), id="repeated-arguments"),
        pytest.param(_with(arguments=["a" * 128]), id="argument-too-long"),
        pytest.param(_with(id="946e60cb-980b-5374-9e6e-9fe1f6780352"), id="server-chosen-id"),
        pytest.param(
            _with(matchingCriteria=[{"type": "imageName", "value": "x"}]),
            id="unknown-criteria-type",
        ),
        pytest.param(
            _with(matchingCriteria=[{"type": "podName", "value": f"p{i}"} for i in range(11)]),
            id="too-many-criteria",
        ),
        pytest.param(_with(metadata={"labels": [{"name": "a"}]}), id="label-without-value"),
    ],
)
def test_request_schema_rejects_violation(body: dict[str, Any]) -> None:
    assert not is_valid(Contract("1.3").request_schema(), body)


def test_old_body_version_rejects_failover() -> None:
    body = _with(version="1.2", action="failover", stage="post")

    assert not is_valid(Contract("1.3").request_schema("1.2"), body)


def test_version_1_1_rejects_new_criteria() -> None:
    body = _with(version="1.1", matchingCriteria=[{"type": "podName", "value": "db-.*"}])

    assert not is_valid(Contract("1.1").request_schema(), body)


def test_version_1_0_rejects_criteria() -> None:
    body = _with(version="1.0", matchingCriteria=[])

    assert not is_valid(Contract("1.0").request_schema(), body)


@pytest.mark.parametrize(
    ("action", "stages"),
    [
        pytest.param("snapshot", ("pre", "post"), id="snapshot"),
        pytest.param("backup", ("pre", "post"), id="backup"),
        pytest.param("restore", ("post",), id="restore"),
        pytest.param("failover", ("post",), id="failover"),
        pytest.param("clone", (), id="unknown"),
    ],
)
def test_allowed_stages(action: str, stages: tuple[str, ...]) -> None:
    assert Contract().allowed_stages(action) == stages


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        pytest.param(None, facts.JSON_MEDIA_TYPE, id="no-accept"),
        pytest.param("*/*", facts.JSON_MEDIA_TYPE, id="any"),
        pytest.param(facts.REQUEST_MEDIA_TYPE, facts.REQUEST_MEDIA_TYPE, id="resource-type"),
    ],
)
def test_created_content_type(accept: str | None, content_type: str) -> None:
    assert Contract().created_content_type(accept) == content_type


def test_digest_differs_per_version() -> None:
    digests = {version: Contract(version).digest() for version in VERSIONS}

    assert len(set(digests.values())) == len(VERSIONS)
    assert Contract("1.3").digest() == digests["1.3"]
