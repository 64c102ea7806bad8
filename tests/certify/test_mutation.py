"""Tests of seeded faults and the mutation score, with real reference servers."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from harness.certify.mutation import run_mutation
from harness.cli.certify_extras import COMMANDS
from harness.contract.examples import EXAMPLE_REQUEST
from harness.scenario.model import Scenario
from harness.server.faults import FAULTS, fault_listing, resolve_behaviours
from harness.server.running import ReferenceServer

from .conftest import SHIPPED_SCENARIOS

MUTATION = next(command for command in COMMANDS if command.name == "mutation")


def test_at_least_twenty_faults() -> None:
    assert len(FAULTS) >= 20


def test_every_fault_described() -> None:
    listing = fault_listing().splitlines()

    assert len(listing) == len(FAULTS)
    for name, spec in FAULTS.items():
        assert spec.description.endswith("."), name
        assert spec.transform is not None or resolve_behaviours([name]) != resolve_behaviours([]), name


def test_score_all_faults(shipped_scenarios: list[Scenario]) -> None:
    report = run_mutation(shipped_scenarios)

    assert report.baseline_failures == []
    assert [result.deviations for result in report.baseline if result.deviations] == []
    assert len(report.outcomes) == len(FAULTS)
    assert [outcome.fault for outcome in report.survivors] == []
    assert report.score == 1.0
    assert report.passed


def test_survivor_named(scenario_by_id: dict[str, Scenario]) -> None:
    problems_only = [scenario_by_id["core-problem-3-no-authorization"]]

    report = run_mutation(problems_only, ["missing-location", "integer-status"])

    assert [outcome.fault for outcome in report.survivors] == ["missing-location"]
    assert report.score == 0.5
    assert not report.passed


def test_cli_mutation_exit_codes(tmp_path: Path) -> None:
    problems = str(SHIPPED_SCENARIOS / "problems" / "authentication.yaml")
    runner = CliRunner()

    detected = runner.invoke(MUTATION, [problems, "--fault", "integer-status",
                                        "--report", str(tmp_path / "m.json")])
    survived = runner.invoke(MUTATION, [problems, "--fault", "missing-location"])

    assert detected.exit_code == 0, detected.output
    assert "Mutation score: 1 of 1 faults detected (100.0%)." in detected.output
    assert (tmp_path / "m.json").is_file()
    assert survived.exit_code == 1, survived.output
    assert "SURVIVED  missing-location" in survived.output
    assert "Survived: missing-location" in survived.output


def test_cli_unknown_fault() -> None:
    result = CliRunner().invoke(MUTATION, ["--fault", "no-such-fault"])

    assert result.exit_code == 2
    assert "'no-such-fault'" in result.output
    assert "missing-location" in result.output


def create(server: ReferenceServer, *, token: str | None, body: object) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {server.variables[f'tokens.{token}']}"
    path = f"/accounts/{server.variables['account_id']}/core/v1/executionHooks"
    return requests.post(server.base_url + path, json=body, headers=headers, timeout=30)


def valid_body(server: ReferenceServer, name: str) -> dict[str, object]:
    body = dict(EXAMPLE_REQUEST)
    body.update(name=name, hookSourceID=server.variables["hook_source_id"],
                appID=server.variables["app_id"])
    return body


@pytest.mark.parametrize(("fault", "token", "clean_status", "faulty_status"), [
    pytest.param("body-before-auth", None, 401, 400, id="body-before-auth"),
    pytest.param("viewer-may-create", "viewer", 403, 201, id="viewer-may-create"),
])
def test_behaviour_changes_answer(fault: str, token: str | None, clean_status: int, faulty_status: int) -> None:
    with ReferenceServer() as clean, ReferenceServer(faults=[fault]) as faulty:
        bad_body = {"name": 5} if fault == "body-before-auth" else None
        clean_answer = create(clean, token=token, body=bad_body or valid_body(clean, "b1"))
        faulty_answer = create(faulty, token=token, body=bad_body or valid_body(faulty, "b1"))

    assert clean_answer.status_code == clean_status
    assert faulty_answer.status_code == faulty_status


def test_duplicate_name_accepted() -> None:
    with ReferenceServer(faults=["duplicate-name-accepted"]) as faulty:
        first = create(faulty, token="owner", body=valid_body(faulty, "twice"))
        second = create(faulty, token="owner", body=valid_body(faulty, "twice"))

    assert first.status_code == 201
    assert second.status_code == 201


def test_enabled_not_defaulted() -> None:
    with ReferenceServer(faults=["enabled-not-defaulted"]) as faulty:
        body = valid_body(faulty, "no-enabled")
        body.pop("enabled")
        answer = create(faulty, token="owner", body=body)
        sent = create(faulty, token="owner", body=valid_body(faulty, "with-enabled"))

    assert "enabled" not in answer.json()
    assert sent.json()["enabled"] == "true"
