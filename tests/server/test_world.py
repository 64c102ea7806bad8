"""Tests of the world file loader: the bundled world, a custom world, and each kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from harness.server.world import INVALID_TOKEN, WorldError, load_world, parse_world

DEFAULT = load_world()

MINIMAL = {
    "accounts": [
        {
            "id": "11111111-1111-4111-8111-111111111111",
            "name": "Minimal",
            "users": [
                {"id": "22222222-2222-4222-8222-222222222222", "role": "owner", "token": "tok-owner"},
            ],
            "hookSources": [{"id": "33333333-3333-4333-8333-333333333333", "name": "a.sh"}],
            "apps": [
                {
                    "id": "44444444-4444-4444-8444-444444444444",
                    "name": "app",
                    "pods": [
                        {
                            "name": "pod-0",
                            "namespace": "ns",
                            "labels": {"app": "x", "empty": ""},
                            "containers": [{"name": "c", "image": "img:1"}],
                        }
                    ],
                }
            ],
        }
    ],
    "variables": {"account_id": "11111111-1111-4111-8111-111111111111"},
}


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def minimal(**top: object) -> dict:
    document = yaml.safe_load(yaml.safe_dump(MINIMAL))
    document.update(top)
    return document


def test_default_token_variables() -> None:
    variables = DEFAULT.variables
    assert variables["tokens.owner"] == "hh-owner-5b1d9c0e7a2f4e61"
    assert variables["tokens.admin"] == "hh-admin-0c6a3e9b1d7f4a22"
    assert variables["tokens.member"] == "hh-member-9e4f2b7c3a1d5e80"
    assert variables["tokens.viewer"] == "hh-viewer-3f8b6d2a9c4e1b57"
    assert variables["tokens.disabled_owner"] == "hh-disabled-owner-7a2c5e9f0b3d4168"
    assert variables["tokens.invalid"] == INVALID_TOKEN


def test_default_file_variables() -> None:
    assert DEFAULT.variables["account_id"] == "f92c7bbf-cf45-401d-8e1c-d7ac4822de56"
    assert DEFAULT.variables["name_prefix"] == ""


def test_default_secrets() -> None:
    assert DEFAULT.secrets == {
        "hh-owner-5b1d9c0e7a2f4e61", "hh-admin-0c6a3e9b1d7f4a22", "hh-member-9e4f2b7c3a1d5e80",
        "hh-viewer-3f8b6d2a9c4e1b57", "hh-disabled-owner-7a2c5e9f0b3d4168",
    }


def test_default_invalid_token_unknown() -> None:
    assert DEFAULT.user_for_token(INVALID_TOKEN) is None


def test_default_user_for_token() -> None:
    account, user = DEFAULT.user_for_token("hh-viewer-3f8b6d2a9c4e1b57")
    assert account.id == DEFAULT.variables["account_id"]
    assert user.role == "viewer"


def test_default_accounts() -> None:
    enabled = DEFAULT.accounts[DEFAULT.variables["account_id"]]
    disabled = DEFAULT.accounts[DEFAULT.variables["disabled_account_id"]]
    assert enabled.execution_hooks_enabled is True
    assert disabled.execution_hooks_enabled is False
    assert set(enabled.apps) == {DEFAULT.variables["app_id"], DEFAULT.variables["no_failover_app_id"]}
    assert enabled.apps[DEFAULT.variables["no_failover_app_id"]].post_failover_hooks is False


def test_default_pods() -> None:
    app = DEFAULT.accounts[DEFAULT.variables["account_id"]].apps[DEFAULT.variables["app_id"]]
    assert [pod.name for pod in app.pods] == [
        "payroll-db-0", "payroll-web-7d9f8c6b5-x2k4q", "payroll-cache-0",
    ]
    assert app.pods[0].labels == (("app", "payroll"), ("tier", "database"))
    assert [c.image for c in app.pods[0].containers] == [
        "docker.io/library/mysql:8.0.36", "quay.io/prometheus/mysqld-exporter:v0.15.1",
    ]


def test_custom_file(tmp_path: Path) -> None:
    world = load_world(write(tmp_path, MINIMAL))
    assert world.source == str(tmp_path / "world.yaml")
    assert world.variables["tokens.owner"] == "tok-owner"
    assert "tokens.viewer" not in world.variables
    assert "tokens.disabled_owner" not in world.variables
    assert world.secrets == {"tok-owner"}


def test_custom_defaults(tmp_path: Path) -> None:
    account = load_world(write(tmp_path, MINIMAL)).accounts["11111111-1111-4111-8111-111111111111"]
    app = account.apps["44444444-4444-4444-8444-444444444444"]
    assert account.execution_hooks_enabled is True
    assert app.post_failover_hooks is False
    assert app.pods[0].labels == (("app", "x"), ("empty", ""))


def with_account(**changes: object) -> dict:
    document = minimal()
    document["accounts"][0].update(changes)
    return document


def with_user(**changes: object) -> dict:
    document = minimal()
    document["accounts"][0]["users"][0].update(changes)
    return document


def with_container(**changes: object) -> dict:
    document = minimal()
    document["accounts"][0]["apps"][0]["pods"][0]["containers"][0].update(changes)
    return document


def two_accounts(second: dict) -> dict:
    document = minimal()
    document["accounts"].append(second)
    return document


SECOND = {
    "id": "55555555-5555-4555-8555-555555555555", "name": "Second",
    "users": [{"id": "66666666-6666-4666-8666-666666666666", "role": "owner", "token": "tok-2"}],
}

BAD_WORLDS = [
    pytest.param("accounts:\n  - id: [1,\n", "line 3", "invalid YAML", id="yaml-syntax"),
    pytest.param(["a"], "", "expected a mapping", id="top-not-mapping"),
    pytest.param({"variables": {}}, "accounts", "missing required key 'accounts'", id="no-accounts"),
    pytest.param(minimal(accounts={}), "accounts", "expected a list", id="accounts-not-list"),
    pytest.param(minimal(accounts=[]), "accounts", "the list is empty", id="accounts-empty"),
    pytest.param(minimal(extra=1), "extra", "unknown key 'extra'", id="unknown-top-key"),
    pytest.param(with_account(id="ACCOUNT"), "accounts[0].id", "invalid id", id="account-id"),
    pytest.param(with_account(colour="red"), "accounts[0].colour", "unknown key", id="account-key"),
    pytest.param(
        with_account(executionHooksEnabled="yes"), "accounts[0].executionHooksEnabled",
        "expected true or false", id="switch-not-bool",
    ),
    pytest.param(with_user(role="guest"), "accounts[0].users[0].role", "invalid role", id="role"),
    pytest.param(with_user(token="a b"), "accounts[0].users[0].token", "RFC 6750", id="token-space"),
    pytest.param(with_user(token=INVALID_TOKEN), "accounts[0].users[0].token", "reserved",
                 id="token-reserved"),
    pytest.param(with_user(token=7), "accounts[0].users[0].token", "expected a string",
                 id="token-number"),
    pytest.param(with_user(id=None), "accounts[0].users[0].id", "expected a string", id="user-id-null"),
    pytest.param(
        two_accounts({**SECOND, "users": [{**SECOND["users"][0], "token": "tok-owner"}]}),
        "accounts[1].users[0].token", "token already used at accounts[0].users[0].token",
        id="token-duplicate",
    ),
    pytest.param(two_accounts({**SECOND, "id": MINIMAL["accounts"][0]["id"]}), "accounts[1].id",
                 "duplicate account id", id="account-duplicate"),
    pytest.param(
        two_accounts({**SECOND, "apps": [{"id": "44444444-4444-4444-8444-444444444444", "name": "b"}]}),
        "accounts[1].apps[0].id", "duplicate app id", id="app-duplicate",
    ),
    pytest.param(with_container(image="x" * 256), "accounts[0].apps[0].pods[0].containers[0].image",
                 "image has 256 characters", id="image-too-long"),
    pytest.param(with_container(image=""), "accounts[0].apps[0].pods[0].containers[0].image",
                 "the string is empty", id="image-empty"),
    pytest.param(minimal(variables={}), "variables.account_id", "missing required key", id="no-account-var"),
    pytest.param(
        minimal(variables={"account_id": "55555555-5555-4555-8555-555555555555"}),
        "variables.account_id", "is not the id of an account", id="account-var-unknown",
    ),
    pytest.param(
        minimal(variables={"account_id": MINIMAL["accounts"][0]["id"], "tokens.owner": "x"}),
        "variables.tokens.owner", "invalid variable name", id="token-var-reserved",
    ),
    pytest.param(
        minimal(variables={"account_id": MINIMAL["accounts"][0]["id"], "count": 3}),
        "variables.count", "expected a string", id="variable-number",
    ),
]


@pytest.mark.parametrize(("document", "key_path", "message"), BAD_WORLDS)
def test_bad_world(tmp_path: Path, document: object, key_path: str, message: str) -> None:
    path = tmp_path / "world.yaml"
    text = document if isinstance(document, str) else yaml.safe_dump(document)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorldError) as raised:
        load_world(path)
    assert raised.value.source == str(path)
    assert raised.value.key_path.startswith(key_path)
    assert message in raised.value.message
    assert raised.value.fix
    assert str(path) in str(raised.value)


def test_token_never_in_error(tmp_path: Path) -> None:
    with pytest.raises(WorldError) as raised:
        load_world(write(tmp_path, with_user(token="secret value")))
    assert "secret value" not in str(raised.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorldError) as raised:
        load_world(tmp_path / "absent.yaml")
    assert "world file not found" in str(raised.value)


def test_file_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    path.write_bytes(b"accounts: ['\xff']\n")
    with pytest.raises(WorldError) as raised:
        load_world(path)
    assert "not UTF-8" in raised.value.message


def test_parse_names_source() -> None:
    with pytest.raises(WorldError) as raised:
        parse_world("variables: {}", "inline.yaml")
    assert str(raised.value).startswith("inline.yaml at accounts:")
