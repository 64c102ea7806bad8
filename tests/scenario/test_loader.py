"""Tests of the scenario loader against real files: the bad-input folder and files in tmp_path."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from harness.scenario.loader import load_scenario_file, load_scenarios
from harness.scenario.matchers import Absent, AnyUuid, Optional, Regex
from harness.scenario.model import NOT_GIVEN

BAD = Path(__file__).parent / "bad"
CORE_PATH = "/accounts/${account_id}/core/v1/executionHooks"

# file, key path of the error, a fragment of its message or fix, whether the file's other
# scenario ("still-loads") loads.
BAD_CASES = [
    ("malformed-yaml", "", "invalid YAML, while scanning a quoted scalar started at line 5", False),
    ("top-level-list", "", "top level must be a mapping", False),
    ("empty-file", "", "the file is empty", False),
    ("scenarios-not-list", "scenarios", "must be a non-empty list", False),
    ("unknown-top-level-key", "scenario", "did you mean 'scenarios'?", False),
    ("defaults-header-invalid", "defaults.request.headers.Authorization", "expected a string", False),
    ("defaults-unknown-key", "defaults.requests", "did you mean 'request'?", False),
    ("unknown-scenario-key", "scenarios[0].requst", "did you mean 'request'?", True),
    ("unknown-request-key", "scenarios[0].request.heders", "did you mean 'headers'?", True),
    ("status-string", "scenarios[0].expect.status", "got a string '404'", True),
    ("status-out-of-range", "scenarios[0].expect.status", "from 100 to 599, got an integer 999", True),
    ("headers-not-mapping", "scenarios[0].request.headers", "must be a mapping of names to strings", True),
    ("header-value-number", "scenarios[0].request.headers.X-Request-Count", "got an integer 5", True),
    ("header-name-repeated", "scenarios[0].request.headers.content-type", "also given as 'Content-Type'", True),
    ("missing-id", "scenarios[0].id", "missing required key 'id'", True),
    ("missing-path", "scenarios[0].request.path", "missing required key 'path'", True),
    ("missing-status", "scenarios[0].expect.status", "missing required key 'status'", True),
    ("missing-expect", "scenarios[0].expect", "missing required key 'expect'", True),
    ("path-not-string", "scenarios[0].request.path", "got a list", True),
    ("path-with-query", "scenarios[0].request.path", "put query parameters under `query`", True),
    ("body-and-raw-body", "scenarios[0].request.raw_body", "both body and raw_body", True),
    ("invalid-id", "scenarios[0].id", "invalid id 'Core_Problem_2'", True),
    ("regex-matcher-invalid", "scenarios[0].expect.headers.Location", "not a valid regular expression", True),
    ("optional-matcher-unknown", "scenarios[0].expect.body.correlationID", "got 'uuid'", True),
    ("unknown-tag", "scenarios[0].expect.body.id", "did you mean !any_uuid?", True),
    ("matcher-in-request", "scenarios[0].request.body.name", "matchers belong under `expect`", True),
    ("unterminated-variable", "scenarios[0].request.path", "has no closing `}`", True),
    ("invalid-variable-name", "scenarios[0].request.path", "`${account id}` is not a valid", True),
    ("duplicate-key", "scenarios[0].expect", "first given at line 5", True),
    ("unknown-version", "scenarios[0].versions", "unknown resource versions ['2.0']", True),
    ("raw-body-base64-invalid", "scenarios[0].request.raw_body_base64", "is not valid base64", True),
    ("query-pair-invalid", "scenarios[0].request.query[0]", "query pair must be [name, value]", True),
    ("body-match-invalid", "scenarios[0].expect.body_match", "got 'partial'", True),
    ("recursive-anchor", "scenarios[0]", "recursive", True),
    ("setup-not-list", "scenarios[0].setup", "setup must be a list", True),
    ("request-body-nan", "scenarios[0].request.body.limit", "not a JSON number", True),
    ("json-key-not-string", "scenarios[0].expect.body[404]", "keys must be strings", True),
]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text), encoding="utf-8")
    return path


def minimal(scenario_id: str, status: int = 201) -> str:
    return (
        f"  - id: {scenario_id}\n"
        f"    request:\n"
        f"      path: {CORE_PATH}\n"
        f"    expect:\n"
        f"      status: {status}\n"
    )


@pytest.mark.parametrize(
    ("name", "key_path", "fragment", "other_loads"), BAD_CASES, ids=[case[0] for case in BAD_CASES]
)
def test_bad_file(name: str, key_path: str, fragment: str, other_loads: bool) -> None:
    path = BAD / f"{name}.yaml"
    result = load_scenario_file(path)
    matching = [error for error in result.errors if error.key_path == key_path]
    assert matching, [str(error) for error in result.errors]
    error = matching[0]
    assert fragment in f"{error.message} {error.fix}"
    assert error.source == path
    assert error.fix
    assert [s.id for s in result.scenarios] == (["still-loads"] if other_loads else [])


def test_bad_folder_fully_listed() -> None:
    listed = {case[0] for case in BAD_CASES}
    on_disk = {path.stem for path in BAD.glob("*.yaml")}
    assert on_disk == listed


def test_error_names_line() -> None:
    result = load_scenario_file(BAD / "status-string.yaml")
    assert "(line 6)" in result.errors[0].message


def test_error_string_has_file_and_fix() -> None:
    result = load_scenario_file(BAD / "invalid-id.yaml")
    text = str(result.errors[0])
    assert text.startswith(f"{BAD / 'invalid-id.yaml'} at scenarios[0].id: ")
    assert ". Fix: use lowercase letters" in text


def test_bad_folder_loads_together() -> None:
    result = load_scenarios([BAD])
    assert len(result.files) == len(BAD_CASES)
    assert len(result.errors) >= len(BAD_CASES)


def test_not_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("scenarios: [caf\xe9]\n".encode("latin-1"))
    result = load_scenario_file(path)
    assert result.scenarios == []
    assert "not UTF-8" in result.errors[0].message


def test_missing_path_error(tmp_path: Path) -> None:
    result = load_scenarios([tmp_path / "nowhere"])
    assert result.errors[0].source == tmp_path / "nowhere"
    assert "not found" in result.errors[0].message


def test_full_scenario_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "full.yaml", f"""\
        scenarios:
          - id: core-problem-2-unknown-account
            description: >
              An unknown account id is a collection
              that does not exist.
            versions: ["1.1", 1.2, "1.3"]
            tags: [problem, 404]
            setup:
              - path: {CORE_PATH}
                body: {{name: first}}
            request:
              method: post
              path: {CORE_PATH}
              query: {{limit: abc, count: true, skip: 5}}
              headers: {{Accept: "*/*"}}
              body: {{name: "${{name_prefix}}x", enabled: "true"}}
            expect:
              status: 404
              headers: {{Content-Type: application/problem+json, Etag: !absent }}
              body_match: subset
              body:
                correlationID: !optional any_uuid
                id: !any_uuid
                name: !regex '^x$'
        """)

    result = load_scenario_file(path)
    assert result.errors == []
    scenario = result.scenarios[0]
    assert scenario.description == "An unknown account id is a collection that does not exist."
    assert scenario.versions == ("1.1", "1.2", "1.3")
    assert scenario.tags == ("problem", "404")
    assert scenario.setup[0].body == {"name": "first"}
    assert scenario.request.method == "POST"
    assert scenario.request.query == [("limit", "abc"), ("count", "true"), ("skip", "5")]
    assert scenario.request.headers == {"Accept": "*/*"}
    assert scenario.expect.status == 404
    assert scenario.expect.body_match == "subset"
    assert isinstance(scenario.expect.headers["Etag"], Absent)
    assert scenario.expect.body["correlationID"] == Optional(AnyUuid())
    assert scenario.expect.body["id"] == AnyUuid()
    assert scenario.expect.body["name"] == Regex("^x$")
    assert scenario.source == path
    assert scenario.index == 0
    assert scenario.operation == "core"


def test_optional_parts_default(tmp_path: Path) -> None:
    path = write(tmp_path, "small.yaml", "scenarios:\n" + minimal("small"))
    scenario = load_scenario_file(path).scenarios[0]
    assert scenario.description == ""
    assert scenario.versions is None
    assert scenario.tags == ()
    assert scenario.setup == []
    assert scenario.request.method == "POST"
    assert scenario.request.body is NOT_GIVEN
    assert scenario.expect.body is NOT_GIVEN
    assert scenario.expect.body_match == "exact"


def test_yaml_scalars_stay_json(tmp_path: Path) -> None:
    path = write(tmp_path, "scalars.yaml", f"""\
        scenarios:
          - id: scalars
            request:
              path: {CORE_PATH}
              body: {{a: yes, b: off, c: 2022-10-06T20:58:16Z, d: 2024-01-31, e: true, f: null, g: 1.5}}
            expect:
              status: 201
        """)
    body = load_scenario_file(path).scenarios[0].request.body
    assert body["a"] == "yes"
    assert body["b"] == "off"
    assert body["c"] == "2022-10-06T20:58:16Z"
    assert body["d"] == "2024-01-31"
    assert body["e"] is True
    assert body["f"] is None
    assert body["g"] == 1.5


def test_raw_body_forms(tmp_path: Path) -> None:
    path = write(tmp_path, "raw.yaml", f"""\
        scenarios:
          - id: raw-text
            request: {{path: "{CORE_PATH}", raw_body: '{{"name": '}}
            expect: {{status: 400}}
          - id: raw-bytes
            request: {{path: "{CORE_PATH}", raw_body_base64: /w==}}
            expect: {{status: 400}}
        """)
    text, data = load_scenario_file(path).scenarios
    assert text.request.raw_body == '{"name": '
    assert text.request.body is NOT_GIVEN
    assert data.request.raw_body_base64 == "/w=="


def test_query_pair_list(tmp_path: Path) -> None:
    path = write(tmp_path, "pairs.yaml", f"""\
        scenarios:
          - id: pairs
            request:
              path: {CORE_PATH}
              query: [[limit, abc], [limit, "5"], [foo, bar]]
            expect: {{status: 400}}
        """)
    query = load_scenario_file(path).scenarios[0].request.query
    assert query == [("limit", "abc"), ("limit", "5"), ("foo", "bar")]


def test_query_mapping_repeats_list(tmp_path: Path) -> None:
    path = write(tmp_path, "repeat.yaml", f"""\
        scenarios:
          - id: repeat
            request:
              path: {CORE_PATH}
              query: {{include: [name, id]}}
            expect: {{status: 400}}
        """)
    query = load_scenario_file(path).scenarios[0].request.query
    assert query == [("include", "name"), ("include", "id")]


DEFAULTS_FILE = f"""\
    defaults:
      versions: ["1.3"]
      tags: [problem]
      request:
        method: POST
        query: {{trace: "1"}}
        headers:
          Authorization: Bearer ${{tokens.owner}}
          Content-Type: application/astra-executionHook+json
      expect:
        body_match: subset
        headers: {{Content-Type: application/problem+json}}
    scenarios:
      - id: inherits
        setup:
          - path: {CORE_PATH}
        request:
          path: {CORE_PATH}
        expect:
          status: 404
      - id: overrides
        versions: ["1.2"]
        tags: [problem, "401"]
        request:
          path: {CORE_PATH}
          query: {{trace: null, limit: abc}}
          headers:
            authorization: null
            content-type: text/plain
        expect:
          status: 401
          body_match: exact
          headers: {{content-type: application/json, Etag: !absent }}
"""


def test_defaults_merge_under(tmp_path: Path) -> None:
    path = write(tmp_path, "defaults.yaml", DEFAULTS_FILE)
    inherits = load_scenario_file(path).scenarios[0]
    assert inherits.versions == ("1.3",)
    assert inherits.tags == ("problem",)
    assert inherits.request.query == [("trace", "1")]
    assert inherits.request.headers["Authorization"] == "Bearer ${tokens.owner}"
    assert inherits.setup[0].headers["Content-Type"] == "application/astra-executionHook+json"
    assert inherits.expect.body_match == "subset"
    assert inherits.expect.headers == {"Content-Type": "application/problem+json"}


def test_defaults_overridden(tmp_path: Path) -> None:
    path = write(tmp_path, "defaults.yaml", DEFAULTS_FILE)
    overrides = load_scenario_file(path).scenarios[1]
    assert overrides.versions == ("1.2",)
    assert overrides.tags == ("problem", "401")
    assert overrides.request.query == [("limit", "abc")]
    assert overrides.request.headers == {"content-type": "text/plain"}
    assert overrides.expect.body_match == "exact"
    assert overrides.expect.headers["content-type"] == "application/json"
    assert "Content-Type" not in overrides.expect.headers
    assert isinstance(overrides.expect.headers["Etag"], Absent)


def test_anchors_shared(tmp_path: Path) -> None:
    path = write(tmp_path, "anchors.yaml", f"""\
        scenarios:
          - id: first
            request: {{path: "{CORE_PATH}"}}
            expect:
              status: 201
              body: &created {{id: !any_uuid , name: x}}
          - id: second
            request: {{path: "{CORE_PATH}"}}
            expect:
              status: 201
              body: *created
        """)
    first, second = load_scenario_file(path).scenarios
    assert second.expect.body == first.expect.body


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", "scenarios:\n" + minimal("same-id"))
    second = write(tmp_path, "b/c.yaml", "scenarios:\n" + minimal("same-id", 404) + minimal("other"))
    result = load_scenarios([tmp_path])
    assert [s.id for s in result.scenarios] == ["same-id", "other"]
    assert result.scenarios[0].source == first
    assert len(result.errors) == 1
    assert result.errors[0].source == second
    assert result.errors[0].key_path == "scenarios[0].id"
    assert str(first) in result.errors[0].message


def test_duplicate_id_in_file(tmp_path: Path) -> None:
    path = write(tmp_path, "twice.yaml", "scenarios:\n" + minimal("twice") + minimal("twice"))
    result = load_scenario_file(path)
    assert len(result.scenarios) == 1
    assert result.errors[0].key_path == "scenarios[1].id"


def test_folder_order_recursive(tmp_path: Path) -> None:
    write(tmp_path, "b.yaml", "scenarios:\n" + minimal("from-b"))
    write(tmp_path, "a/z.yml", "scenarios:\n" + minimal("from-a-z"))
    write(tmp_path, "a/y.yaml", "scenarios:\n" + minimal("from-a-y"))
    write(tmp_path, "notes.txt", "not a scenario file")
    result = load_scenarios([tmp_path])
    assert result.errors == []
    assert [s.id for s in result.scenarios] == ["from-a-y", "from-a-z", "from-b"]


def test_same_file_loaded_once(tmp_path: Path) -> None:
    path = write(tmp_path, "one.yaml", "scenarios:\n" + minimal("once"))
    result = load_scenarios([path, tmp_path])
    assert result.errors == []
    assert len(result.scenarios) == 1


def test_bad_scenario_keeps_others(tmp_path: Path) -> None:
    path = write(tmp_path, "mixed.yaml", "scenarios:\n" + minimal("good-one") + minimal("bad", 999)
                 + minimal("good-two"))
    result = load_scenario_file(path)
    assert [s.id for s in result.scenarios] == ["good-one", "good-two"]
    assert [e.key_path for e in result.errors] == ["scenarios[1].expect.status"]
    assert [s.index for s in result.scenarios] == [0, 2]


def test_app_path_operation(tmp_path: Path) -> None:
    path = write(tmp_path, "app.yaml", """\
        scenarios:
          - id: app-scoped
            request: {path: "/accounts/${account_id}/k8s/v1/apps/${app_id}/executionHooks"}
            expect: {status: 201}
        """)
    scenario = load_scenario_file(path).scenarios[0]
    assert scenario.operation == "app"
    assert scenario.variables == {"account_id", "app_id"}
