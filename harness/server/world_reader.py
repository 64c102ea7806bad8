"""Validation of a parsed world file, key by key, into a World."""

from __future__ import annotations

import re
from typing import Any

from harness.contract.facts import MATCHING_IMAGE_MAX_LENGTH, ROLES, UUID_PATTERN
from harness.server.world_model import (
    INVALID_TOKEN, Account, App, Container, Pod, User, World, WorldError,
)

# The b64token syntax of RFC 6750, section 2.1.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9\-._~+/]+=*")

_UUID = re.compile(UUID_PATTERN)
_TOKEN_VARIABLE_PREFIX = "tokens."


class WorldReader:
    """Reader that converts the parsed YAML document into a World, checking each key."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.app_ids: set[str] = set()
        self.hook_source_ids: set[str] = set()
        self.tokens: dict[str, str] = {}

    def fail(self, key_path: str, message: str, fix: str) -> WorldError:
        return WorldError(self.source, key_path, message, fix)

    def read(self, document: Any) -> World:
        top = self.mapping(document, "", required=("accounts", "variables"), optional=())
        accounts: dict[str, Account] = {}
        for index, item in enumerate(self.sequence(top["accounts"], "accounts", min_items=1)):
            key_path = f"accounts[{index}]"
            account = self.account(item, key_path)
            if account.id in accounts:
                raise self.fail(
                    f"{key_path}.id", f"duplicate account id {account.id!r}",
                    "give every account its own id",
                )
            accounts[account.id] = account
        variables = self.variables(top["variables"], accounts)
        users_by_token = {
            user.token: (account, user) for account in accounts.values() for user in account.users
        }
        return World(self.source, accounts, variables, set(users_by_token), users_by_token)

    def account(self, item: Any, key_path: str) -> Account:
        node = self.mapping(
            item, key_path, required=("id", "name"),
            optional=("executionHooksEnabled", "users", "hookSources", "apps"),
        )
        users = tuple(
            self.user(entry, f"{key_path}.users[{index}]")
            for index, entry in enumerate(self.sequence(node.get("users", []), f"{key_path}.users"))
        )
        self.unique([user.id for user in users], f"{key_path}.users", "user id")
        hook_sources: dict[str, str] = {}
        for index, entry in enumerate(
            self.sequence(node.get("hookSources", []), f"{key_path}.hookSources")
        ):
            source_id, name = self.hook_source(entry, f"{key_path}.hookSources[{index}]")
            hook_sources[source_id] = name
        apps: dict[str, App] = {}
        for index, entry in enumerate(self.sequence(node.get("apps", []), f"{key_path}.apps")):
            app = self.app(entry, f"{key_path}.apps[{index}]")
            apps[app.id] = app
        return Account(
            id=self.uuid(node["id"], f"{key_path}.id"),
            name=self.string(node["name"], f"{key_path}.name"),
            execution_hooks_enabled=self.boolean(
                node.get("executionHooksEnabled", True), f"{key_path}.executionHooksEnabled"
            ),
            users=users,
            hook_sources=hook_sources,
            apps=apps,
        )

    def user(self, item: Any, key_path: str) -> User:
        node = self.mapping(item, key_path, required=("id", "role", "token"), optional=())
        role = self.string(node["role"], f"{key_path}.role")
        if role not in ROLES:
            raise self.fail(
                f"{key_path}.role", f"invalid role {role!r}", f"use one of {', '.join(ROLES)}"
            )
        token = self.token(node["token"], f"{key_path}.token")
        return User(self.uuid(node["id"], f"{key_path}.id"), role, token)

    def token(self, value: Any, key_path: str) -> str:
        token = self.string(value, key_path)
        # Tokens are secrets, so messages about them never show the value.
        if TOKEN_PATTERN.fullmatch(token) is None:
            raise self.fail(
                key_path, "invalid bearer token: it has characters outside the RFC 6750 "
                "token syntax", "use only letters, digits and - . _ ~ + /, optionally ending in =",
            )
        if token == INVALID_TOKEN:
            raise self.fail(
                key_path, "this token is reserved for the tokens.invalid variable",
                "choose another token",
            )
        if token in self.tokens:
            raise self.fail(
                key_path, f"token already used at {self.tokens[token]}",
                "give every user its own token",
            )
        self.tokens[token] = key_path
        return token

    def hook_source(self, item: Any, key_path: str) -> tuple[str, str]:
        node = self.mapping(item, key_path, required=("id", "name"), optional=())
        source_id = self.uuid(node["id"], f"{key_path}.id")
        self.claim(self.hook_source_ids, source_id, f"{key_path}.id", "hook source id")
        return source_id, self.string(node["name"], f"{key_path}.name")

    def app(self, item: Any, key_path: str) -> App:
        node = self.mapping(
            item, key_path, required=("id", "name"), optional=("postFailoverHooks", "pods")
        )
        app_id = self.uuid(node["id"], f"{key_path}.id")
        self.claim(self.app_ids, app_id, f"{key_path}.id", "app id")
        pods = tuple(
            self.pod(entry, f"{key_path}.pods[{index}]")
            for index, entry in enumerate(self.sequence(node.get("pods", []), f"{key_path}.pods"))
        )
        self.unique([(pod.namespace, pod.name) for pod in pods], f"{key_path}.pods", "pod")
        return App(
            id=app_id,
            name=self.string(node["name"], f"{key_path}.name"),
            post_failover_hooks=self.boolean(
                node.get("postFailoverHooks", False), f"{key_path}.postFailoverHooks"
            ),
            pods=pods,
        )

    def pod(self, item: Any, key_path: str) -> Pod:
        node = self.mapping(
            item, key_path, required=("name", "namespace"), optional=("labels", "containers")
        )
        labels_node = self.mapping(node.get("labels", {}), f"{key_path}.labels")
        labels = tuple(
            (
                self.string(name, f"{key_path}.labels"),
                self.string(value, f"{key_path}.labels.{name}", allow_empty=True),
            )
            for name, value in labels_node.items()
        )
        containers = tuple(
            self.container(entry, f"{key_path}.containers[{index}]")
            for index, entry in enumerate(
                self.sequence(node.get("containers", []), f"{key_path}.containers")
            )
        )
        self.unique([c.name for c in containers], f"{key_path}.containers", "container name")
        return Pod(
            name=self.string(node["name"], f"{key_path}.name"),
            namespace=self.string(node["namespace"], f"{key_path}.namespace"),
            labels=labels,
            containers=containers,
        )

    def container(self, item: Any, key_path: str) -> Container:
        node = self.mapping(item, key_path, required=("name", "image"), optional=())
        image = self.string(node["image"], f"{key_path}.image")
        # A 201 body lists matching images, and the contract limits each to this length.
        if not 1 <= len(image) <= MATCHING_IMAGE_MAX_LENGTH:
            raise self.fail(
                f"{key_path}.image", f"image has {len(image)} characters",
                f"use an image reference of 1 to {MATCHING_IMAGE_MAX_LENGTH} characters",
            )
        return Container(self.string(node["name"], f"{key_path}.name"), image)

    def variables(self, item: Any, accounts: dict[str, Account]) -> dict[str, str]:
        node = self.mapping(item, "variables", required=("account_id",))
        variables: dict[str, str] = {}
        for name, value in node.items():
            key_path = f"variables.{name}"
            if not isinstance(name, str) or name.startswith(_TOKEN_VARIABLE_PREFIX):
                raise self.fail(
                    key_path, f"invalid variable name {name!r}",
                    "use a string name that does not start with 'tokens.' (the server adds "
                    "the token variables)",
                )
            variables[name] = self.string(value, key_path, allow_empty=True)
        variables.update(self.token_variables(variables, accounts))
        return variables

    def token_variables(
        self, variables: dict[str, str], accounts: dict[str, Account]
    ) -> dict[str, str]:
        main = self.named_account(variables, "account_id", accounts)
        tokens = {f"{_TOKEN_VARIABLE_PREFIX}invalid": INVALID_TOKEN}
        for role in ROLES:
            user = main.first_user(role)
            if user is not None:
                tokens[f"{_TOKEN_VARIABLE_PREFIX}{role}"] = user.token
        if "disabled_account_id" in variables:
            disabled = self.named_account(variables, "disabled_account_id", accounts)
            owner = disabled.first_user("owner")
            if owner is not None:
                tokens[f"{_TOKEN_VARIABLE_PREFIX}disabled_owner"] = owner.token
        return tokens

    def named_account(
        self, variables: dict[str, str], name: str, accounts: dict[str, Account]
    ) -> Account:
        account = accounts.get(variables[name])
        if account is None:
            raise self.fail(
                f"variables.{name}", f"{variables[name]!r} is not the id of an account in accounts",
                "use the id of one of the accounts listed in the file",
            )
        return account

    # Typed readers of single values.

    def mapping(
        self, value: Any, key_path: str, required: tuple[str, ...] = (),
        optional: tuple[str, ...] | None = None,
    ) -> dict[Any, Any]:
        """Return `value` as a mapping with the required keys, and only known keys if
        `optional` is given."""
        where = key_path or "the top level"
        if not isinstance(value, dict):
            raise self.fail(
                key_path, f"expected a mapping, got {_describe(value)}",
                f"write {where} as 'key: value' lines",
            )
        for key in required:
            if key not in value:
                raise self.fail(
                    _join(key_path, key), f"missing required key {key!r}", f"add {key!r} to {where}"
                )
        if optional is not None:
            known = (*required, *optional)
            for key in value:
                if key not in known:
                    raise self.fail(
                        _join(key_path, str(key)), f"unknown key {key!r}",
                        f"remove it or use one of {', '.join(known)}",
                    )
        return value

    def sequence(self, value: Any, key_path: str, min_items: int = 0) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(
                key_path, f"expected a list, got {_describe(value)}", "write it as '- item' lines"
            )
        if len(value) < min_items:
            raise self.fail(key_path, "the list is empty", f"list at least {min_items} item")
        return value

    def string(self, value: Any, key_path: str, allow_empty: bool = False) -> str:
        if not isinstance(value, str):
            raise self.fail(
                key_path, f"expected a string, got {_describe(value)}", "quote the value"
            )
        if not value and not allow_empty:
            raise self.fail(key_path, "the string is empty", "give a non-empty value")
        return value

    def uuid(self, value: Any, key_path: str) -> str:
        text = self.string(value, key_path)
        if _UUID.match(text) is None:
            raise self.fail(
                key_path, f"invalid id {text!r}",
                "use a lowercase UUID of version 4 or 5, since the request schema accepts no other",
            )
        return text

    def boolean(self, value: Any, key_path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(
                key_path, f"expected true or false, got {_describe(value)}", "write true or false"
            )
        return value

    def claim(self, seen: set[str], value: str, key_path: str, item_kind: str) -> None:
        if value in seen:
            raise self.fail(
                key_path, f"duplicate {item_kind} {value!r}",
                f"give every {item_kind} its own value",
            )
        seen.add(value)

    def unique(self, values: list[Any], key_path: str, item_kind: str) -> None:
        seen: set[Any] = set()
        for value in values:
            if value in seen:
                raise self.fail(
                    key_path, f"duplicate {item_kind} {value!r}",
                    f"give every {item_kind} its own value",
                )
            seen.add(value)


def _join(key_path: str, key: str) -> str:
    return f"{key_path}.{key}" if key_path else key


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"
