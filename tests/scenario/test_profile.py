"""Tests of target profiles read from real files."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from harness.scenario.profile import ProfileError, load_profile

VALID = """\
    base_url: https://astra.example.com/
    verify_tls: true
    variables:
      account_id: f92c7bbf-cf45-401d-8e1c-d7ac4822de56
      app_id: 7be5ae7c-151d-4230-ac39-ac1d0b33c2a9
      name_prefix: run-42-
    token_env:
      owner: TEST_OWNER_TOKEN
      viewer: TEST_VIEWER_TOKEN
      disabled_owner: TEST_DISABLED_TOKEN
"""
ENVIRON = {"TEST_OWNER_TOKEN": "owner-secret", "TEST_VIEWER_TOKEN": " viewer-secret\n"}


def write(tmp_path: Path, text: str, name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path, environ: dict[str, str] | None = None) -> str:
    with pytest.raises(ProfileError) as caught:
        load_profile(path, environ or {})
    return str(caught.value)


def test_valid_profile(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, VALID), ENVIRON)
    assert profile.base_url == "https://astra.example.com"
    assert profile.verify is True
    assert profile.variables["account_id"] == "f92c7bbf-cf45-401d-8e1c-d7ac4822de56"
    assert profile.variables["name_prefix"] == "run-42-"


def test_tokens_from_environment(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, VALID), ENVIRON)
    assert profile.variables["tokens.owner"] == "owner-secret"
    assert profile.variables["tokens.viewer"] == "viewer-secret"
    assert set(profile.secrets) == {"owner-secret", "viewer-secret"}


def test_unset_token_left_out(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, VALID), ENVIRON)
    assert "tokens.disabled_owner" not in profile.variables
    assert profile.missing_tokens == {"disabled_owner": "TEST_DISABLED_TOKEN"}


def test_missing_names(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, VALID), ENVIRON)
    wanted = {"account_id", "tokens.owner", "tokens.disabled_owner", "unknown_app_id"}
    assert profile.missing(wanted) == {"tokens.disabled_owner", "unknown_app_id"}


def test_repr_hides_tokens(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, VALID), ENVIRON)
    assert "owner-secret" not in repr(profile)
    assert "viewer-secret" not in repr(profile)


def test_minimal_profile(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "base_url: http://127.0.0.1:8080\n"), {})
    assert profile.base_url == "http://127.0.0.1:8080"
    assert profile.verify is True
    assert profile.variables == {}
    assert profile.secrets == ()


def test_verify_off(tmp_path: Path) -> None:
    profile = load_profile(write(tmp_path, "base_url: https://h\nverify_tls: false\n"), {})
    assert profile.verify is False


def test_ca_bundle_relative(tmp_path: Path) -> None:
    (tmp_path / "certs").mkdir()
    (tmp_path / "certs" / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    profile = load_profile(write(tmp_path, "base_url: https://h\nca_bundle: certs/ca.pem\n"), {})
    assert profile.verify == str(tmp_path / "certs" / "ca.pem")


BAD_PROFILES = [
    ("tokens-key", "base_url: https://h\ntokens: {owner: abc}\n", "tokens: bearer tokens must not be written", "token_env"),
    ("unknown-key", "base_url: https://h\nverify: false\n", "verify: unknown key", "did you mean 'verify_tls'?"),
    ("missing-url", "variables: {}\n", "base_url: missing required key", "https://your-astra-host"),
    ("url-no-scheme", "base_url: astra.example.com\n", "'astra.example.com' is not an http or https URL", "https://astra.example.com"),
    ("url-ftp", "base_url: ftp://h\n", "'ftp://h' is not an http or https URL", "root URL"),
    ("url-query", "base_url: https://h/?a=1\n", "has a query or fragment", "root URL"),
    ("url-bad-port", "base_url: https://h:99999\n", "is not a valid URL", "root URL"),
    ("url-bad-ipv6", "base_url: 'http://[::1'\n", "is not a valid URL", "root URL"),
    ("url-credentials", "base_url: https://user:hunter2@h\n", "contains credentials", "token_env"),
    ("url-not-string", "base_url: 5\n", "expected a URL string, got 5", "root URL"),
    ("variable-number", "base_url: https://h\nvariables: {account_id: 5}\n", "variables.account_id: expected a string, got 5", "quote the value"),
    ("variable-name", "base_url: https://h\nvariables: {'bad name': x}\n", "invalid variable name 'bad name'", "dot-separated"),
    ("token-variable", "base_url: https://h\nvariables: {tokens.owner: x}\n", "variables.tokens.owner: token variables must not be written", "owner: ENV_VAR_NAME"),
    ("variables-list", "base_url: https://h\nvariables: [a]\n", "variables: expected a mapping", "account_id"),
    ("token-env-value", "base_url: https://h\ntoken_env: {owner: 'hh-owner secret'}\n", "invalid environment variable name", "not the token"),
    ("verify-string", "base_url: https://h\nverify_tls: 'no'\n", "verify_tls: expected true or false, got 'no'", "verify_tls: true"),
    ("ca-missing", "base_url: https://h\nca_bundle: nowhere.pem\n", "nowhere.pem' not found", "existing PEM file"),
    ("ca-without-verify", "base_url: https://h\nverify_tls: false\nca_bundle: x.pem\n", "ca_bundle is set but verify_tls is false", "remove ca_bundle"),
    ("top-level-list", "- base_url: https://h\n", "the top level must be a mapping", "base_url"),
    ("invalid-yaml", "base_url: [https://h\n", "invalid YAML", "YAML syntax"),
]


@pytest.mark.parametrize(("text", "message", "fix"), [case[1:] for case in BAD_PROFILES],
                         ids=[case[0] for case in BAD_PROFILES])
def test_bad_profile(tmp_path: Path, text: str, message: str, fix: str) -> None:
    path = write(tmp_path, text)
    problems = problems_of(path)
    assert str(path) in problems
    assert message in problems
    assert fix in problems


def test_all_problems_listed(tmp_path: Path) -> None:
    path = write(tmp_path, "base_url: nope\ntokens: {}\nextra: 1\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(path, {})
    assert len(caught.value.problems) == 3


def test_token_value_never_in_error(tmp_path: Path) -> None:
    path = write(tmp_path, "base_url: https://h\ntokens: {owner: hh-secret-value}\n")
    assert "hh-secret-value" not in problems_of(path)


def test_url_password_hidden(tmp_path: Path) -> None:
    path = write(tmp_path, "base_url: https://user:hunter2@h\n")
    assert "hunter2" not in problems_of(path)


def test_token_env_value_hidden(tmp_path: Path) -> None:
    path = write(tmp_path, "base_url: https://h\ntoken_env: {owner: 'hh-secret value'}\n")
    assert "hh-secret value" not in problems_of(path)


def test_missing_file(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "absent.yaml")
    assert "cannot read the file" in problems
