"""The pytest plugin, driven through pytester: scenario files in, test outcomes out."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

CREATED = textwrap.dedent(
    """
    defaults:
      request:
        method: POST
        headers:
          Authorization: Bearer ${tokens.owner}
          Content-Type: application/astra-executionHook+json
    scenarios:
      - id: plugin-created
        description: A minimal body is created.
        request:
          path: /accounts/${account_id}/core/v1/executionHooks
          body:
            type: application/astra-executionHook
            version: "1.3"
            name: plugin-created-hook
            hookType: custom
            action: snapshot
            stage: pre
            hookSourceID: ${hook_source_id}
            appID: ${app_id}
        expect:
          status: 201
          body_match: subset
          body:
            id: !any_uuid
            enabled: "true"
      - id: plugin-viewer
        description: A viewer may not create.
        request:
          path: /accounts/${account_id}/core/v1/executionHooks
          headers:
            Authorization: Bearer ${tokens.viewer}
          body: {}
        expect:
          status: 403
          body_match: subset
          body:
            type: https://astra.netapp.io/problems/11
    """
)

WRONG_EXPECTATION = CREATED.replace("status: 403", "status: 409")


def write_scenarios(pytester: pytest.Pytester, text: str) -> Path:
    folder = pytester.mkdir("scenarios")
    path = folder / "hooks.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_plugin_records_then_replays(pytester: pytest.Pytester) -> None:
    write_scenarios(pytester, CREATED)

    recorded = pytester.runpytest("scenarios", "--record-mode=once", "-p", "no:cacheprovider")
    recorded.assert_outcomes(passed=2)
    assert (pytester.path / "cassettes" / "plugin-created.yaml").is_file()
    assert (pytester.path / "cassettes" / "plugin-viewer.yaml").is_file()

    replayed = pytester.runpytest("scenarios", "-p", "no:cacheprovider")
    replayed.assert_outcomes(passed=2)


def test_plugin_replay_without_cassette_fails(pytester: pytest.Pytester) -> None:
    write_scenarios(pytester, CREATED)

    result = pytester.runpytest("scenarios", "--record-mode=none", "-p", "no:cacheprovider")

    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*record-mode*"])


def test_plugin_reports_status_deviation(pytester: pytest.Pytester) -> None:
    write_scenarios(pytester, WRONG_EXPECTATION)

    result = pytester.runpytest("scenarios", "--record-mode=once", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*plugin-viewer*", "*409*403*"])


def test_plugin_invalid_entry_keeps_others(pytester: pytest.Pytester) -> None:
    broken = CREATED.replace("status: 403", "status: forbidden")
    write_scenarios(pytester, broken)

    result = pytester.runpytest("scenarios", "--record-mode=once", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*hooks.yaml*expect.status*"])


def test_plugin_ignores_yaml_outside_scenarios(pytester: pytest.Pytester) -> None:
    write_scenarios(pytester, CREATED)
    other = pytester.mkdir("config")
    (other / "settings.yaml").write_text("scenarios: 3\n", encoding="utf-8")
    pytester.makeini("[pytest]\ntestpaths = scenarios config\nhook_scenario_dirs = scenarios\n")

    result = pytester.runpytest("--record-mode=once", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=2)


def test_plugin_writes_json_report(pytester: pytest.Pytester) -> None:
    write_scenarios(pytester, CREATED)
    report = pytester.path / "report.json"

    result = pytester.runpytest("scenarios", "--record-mode=once", f"--hook-report={report}",
                                "-p", "no:cacheprovider")

    result.assert_outcomes(passed=2)
    data = json.loads(report.read_text(encoding="utf-8"))
    ids = sorted(item["scenario_id"] for item in data["results"])
    assert ids == ["plugin-created", "plugin-viewer"]


def test_plugin_under_xdist(pytester: pytest.Pytester) -> None:
    write_scenarios(pytester, CREATED)
    report = pytester.path / "report.json"

    result = pytester.runpytest_subprocess("scenarios", "-n", "2", "--record-mode=once",
                                           f"--hook-report={report}", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=2)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert len(data["results"]) == 2
    result.stdout.fnmatch_lines(["*hook-harness verdict*"])


def test_plugin_rejects_cassette_collision(pytester: pytest.Pytester) -> None:
    path = write_scenarios(pytester, CREATED)
    (path.parent / "copy.yaml").write_text(CREATED, encoding="utf-8")

    result = pytester.runpytest("scenarios", "--record-mode=once", "-p", "no:cacheprovider")

    assert result.ret != 0
    output = result.stdout.str() + result.stderr.str()
    assert "'plugin-created' (" in output
    assert "copy.yaml" in output
    assert not (pytester.path / "cassettes").exists()


def test_plugin_unknown_record_mode(pytester: pytest.Pytester) -> None:
    write_scenarios(pytester, CREATED)

    result = pytester.runpytest("scenarios", "--record-mode=sometimes")

    assert result.ret != 0
    output = result.stdout.str() + result.stderr.str()
    assert "sometimes" in output
    assert "--record-mode" in output


def test_plugin_collects_nothing_unconfigured(pytester: pytest.Pytester) -> None:
    write_scenarios(pytester, CREATED)
    pytester.makepyfile("def test_own():\n    assert 1 + 1 == 2\n")

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)


def test_plugin_bad_api_version_is_usage_error(pytester: pytest.Pytester) -> None:
    write_scenarios(pytester, CREATED)

    result = pytester.runpytest("scenarios", "--api-version=9", "-p", "no:cacheprovider")

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output
    assert "1.3" in output


def test_plugin_invalid_profile_fails_briefly(pytester: pytest.Pytester) -> None:
    write_scenarios(pytester, CREATED)
    profile = pytester.path / "profile.yaml"
    profile.write_text("base_url: 42\n", encoding="utf-8")

    result = pytester.runpytest("scenarios", f"--target-profile={profile}", "-p", "no:cacheprovider")

    result.assert_outcomes(failed=2)
    output = result.stdout.str()
    assert "cannot open the target" in output
    assert "Traceback" not in output
