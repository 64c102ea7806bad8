"""Generated scenario suites load with the project's loader and cover every rule."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import jsonschema
import pytest

from harness.contract import Contract, facts
from harness.samples.rules import rules_for
from harness.samples.scenarios import NAME_PREFIX_RESERVE, scenario_id
from harness.samples.suite import SuiteOptions, build_suite, plan_suite, write_suite
from harness.scenario.loader import load_scenarios
from harness.scenario.model import NOT_GIVEN
from harness.scenario.variables import resolve_request

SUITE_SIZE = 600
ID_FORMAT = re.compile(r"gen-s7-[0-9]{5}-[a-z0-9._-]+")


@pytest.fixture(scope="module")
def suite_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("suite")
    write_suite(SuiteOptions(count=SUITE_SIZE, seed=7, per_file=250), folder)
    return folder


@pytest.fixture(scope="module")
def loaded(suite_dir: Path):
    return load_scenarios([suite_dir])


def test_suite_files_split_by_size(suite_dir: Path) -> None:
    names = sorted(path.name for path in suite_dir.iterdir())
    assert names == ["gen-s7-001.yaml", "gen-s7-002.yaml", "gen-s7-003.yaml"]


def test_suite_loads_without_errors(loaded) -> None:
    assert [str(error) for error in loaded.errors] == []
    assert len(loaded.scenarios) == SUITE_SIZE


def test_scenario_ids_follow_format(loaded) -> None:
    ids = [scenario.id for scenario in loaded.scenarios]
    assert len(set(ids)) == len(ids)
    assert [i for i in ids if ID_FORMAT.fullmatch(i) is None] == []


def test_ids_repeat_for_same_options() -> None:
    first = [s["id"] for s in build_suite(SuiteOptions(count=200, seed=3))]
    second = [s["id"] for s in build_suite(SuiteOptions(count=200, seed=3))]
    assert first == second


def test_ids_carry_seed_index_and_rule() -> None:
    assert scenario_id(12, 34, None) == "gen-s12-00034-valid"
    assert scenario_id(12, 34, "matchingCriteria[].value.not-re2") == (
        "gen-s12-00034-matchingcriteria-item.value.not-re2"
    )


def test_invalid_share_is_honoured() -> None:
    plan = plan_suite(SuiteOptions(count=2000, seed=5, invalid_share=0.25))
    invalid = sum(1 for item in plan if item.rule_id is not None)
    assert 400 < invalid < 600


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_extreme_invalid_shares(share: float) -> None:
    plan = plan_suite(SuiteOptions(count=100, seed=5, invalid_share=share))
    assert {item.rule_id is None for item in plan} == {share == 0.0}


def test_every_rule_of_every_version_planned() -> None:
    plan = plan_suite(SuiteOptions(count=2000, seed=8))
    planned = defaultdict(set)
    for item in plan:
        if item.rule_id is not None:
            planned[item.version].add(item.rule_id)
    for version in facts.API_VERSIONS:
        assert planned[version] == {rule.id for rule in rules_for(version)}, version


def test_names_unique_and_prefixed(loaded) -> None:
    names = [
        spec.body["name"] for scenario in loaded.scenarios for spec in [*scenario.setup, scenario.request]
        if isinstance(spec.body, dict) and isinstance(spec.body.get("name"), str) and spec.body["name"]
    ]
    created = [s.request.body["name"] for s in loaded.scenarios if s.expect.status == 201]
    assert len(set(created)) == len(created)
    assert [n for n in names if not n.startswith("${name_prefix}gen-s7-")] == []


def test_expected_problem_bodies(loaded) -> None:
    for scenario in loaded.scenarios:
        if scenario.expect.status == 201:
            continue
        problem = scenario.expect.problem_number
        assert problem is not None, scenario.id
        assert Contract("1.3").problems[problem].status == scenario.expect.status, scenario.id


def test_resolved_valid_bodies_match_schema(loaded, variables: dict[str, str]) -> None:
    """With a 16-character name prefix every valid body still keeps every rule."""
    resolved_variables = {**variables, "name_prefix": "p" * NAME_PREFIX_RESERVE}
    failures = []
    for scenario in loaded.scenarios:
        if scenario.expect.status != 201:
            continue
        request = resolve_request(scenario.request, resolved_variables, "http://127.0.0.1")
        body = json.loads(request.body)
        schema = Contract(body["version"]).request_schema(body["version"])
        failures += [(scenario.id, e.message) for e in jsonschema.Draft7Validator(schema).iter_errors(body)]
    assert failures == []


def test_setup_only_for_duplicate_names(loaded) -> None:
    with_setup = {s.id.split("-", 3)[3] for s in loaded.scenarios if s.setup}
    assert with_setup == {"name.duplicate"}


def test_raw_bodies_for_syntax_rules(loaded) -> None:
    raw = {s.id.split("-", 3)[3] for s in loaded.scenarios if s.request.body is NOT_GIVEN}
    assert raw == {"body.malformed-json", "body.not-utf8"}


def test_existing_files_need_overwrite(tmp_path: Path) -> None:
    write_suite(SuiteOptions(count=30, seed=1, per_file=10), tmp_path)
    with pytest.raises(FileExistsError, match="pass --overwrite"):
        write_suite(SuiteOptions(count=5, seed=1, per_file=10), tmp_path)


def test_overwrite_removes_stale_parts(tmp_path: Path) -> None:
    write_suite(SuiteOptions(count=30, seed=1, per_file=10), tmp_path)
    (tmp_path / "notes.yaml").write_text("kept: true\n")
    write_suite(SuiteOptions(count=5, seed=2, per_file=10), tmp_path, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen-s2-001.yaml", "notes.yaml"]


@pytest.mark.parametrize(
    "options, message",
    [
        pytest.param({"invalid_share": 1.5}, "--invalid-share must be from 0 to 1, got 1.5", id="share"),
        pytest.param({"versions": ("2.0",)}, "--version '2.0' is not a resource version", id="version"),
        pytest.param({"locales": ("en_XX",)}, "--locale 'en_XX' is not a Faker", id="locale"),
        pytest.param({"per_file": 0}, "--per-file must be 1 or more, got 0", id="per-file"),
        pytest.param({"count": -3}, "--count must be a non-negative integer, got -3", id="count"),
    ],
)
def test_bad_suite_options_raise(options: dict, message: str) -> None:
    arguments = {"count": 10, "seed": 0, **options}
    with pytest.raises(ValueError) as raised:
        SuiteOptions(**arguments).check()
    assert message in str(raised.value)
