"""Target profiles: where a live server is, how to trust it, and the scenario variables it needs.

    base_url: https://astra.example.com
    verify_tls: true                 # false turns TLS certificate checks off
    ca_bundle: certs/astra-ca.pem    # optional; relative to the profile's folder
    variables: {account_id: ..., app_id: ..., name_prefix: run-42-}
    token_env: {owner: ASTRA_OWNER_TOKEN, viewer: ASTRA_VIEWER_TOKEN}

Bearer tokens never come from the file: `token_env` names the environment variables that
contain them, and each one present becomes the scenario variable `tokens.<role>`.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from harness.scenario.variables import VARIABLE_NAME_PATTERN

logger = logging.getLogger(__name__)

PROFILE_KEYS = ("base_url", "verify_tls", "ca_bundle", "variables", "token_env")
TOKEN_PREFIX = "tokens."

_VARIABLE_NAME = re.compile(VARIABLE_NAME_PATTERN)
_ROLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ProfileError(ValueError):
    """An invalid target profile; the message lists every problem with its key and fix."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        listed = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"invalid target profile {path}:\n{listed}")


@dataclass
class TargetProfile:
    """A live server to test: base URL, TLS verification and scenario variables.

    `variables` includes `tokens.<role>` for each token found in the environment and
    `secrets` contains those token values, for scrubbing. Neither is shown by repr.
    """

    base_url: str
    verify: bool | str = True
    variables: dict[str, str] = field(default_factory=dict, repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)
    source: Path | None = None
    missing_tokens: dict[str, str] = field(default_factory=dict)

    def missing(self, names: Iterable[str]) -> set[str]:
        """Return the names among `names` that this profile gives no value."""
        return {name for name in names if name not in self.variables}


class _ProfileReader:
    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def problem(self, key: str, message: str, fix: str) -> None:
        self.problems.append(f"{key}: {message}. Fix: {fix}")

    def check_keys(self, data: dict) -> None:
        if "tokens" in data:
            self.problem("tokens", "bearer tokens must not be written in the profile",
                         "remove `tokens:` and name environment variables under `token_env`, "
                         "as in `token_env: {owner: ASTRA_OWNER_TOKEN}`")
        for key in data:
            if key not in PROFILE_KEYS and key != "tokens":
                close = difflib.get_close_matches(str(key), PROFILE_KEYS, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.problem(str(key), f"unknown key {key!r}",
                             f"{hint}allowed keys are {', '.join(PROFILE_KEYS)}")
        if "base_url" not in data:
            self.problem("base_url", "missing required key",
                         "add `base_url: https://your-astra-host`")

    def base_url(self, value: Any) -> str:
        fix = "write the server's root URL, as in https://astra.example.com"
        if not isinstance(value, str):
            self.problem("base_url", f"expected a URL string, got {value!r}", fix)
            return ""
        try:
            parts = urlsplit(value)
            # Reading the port raises ValueError for a port that is not a number in 0-65535.
            _ = parts.port
        except ValueError as error:
            self.problem("base_url", f"{value!r} is not a valid URL: {error}", fix)
            return ""
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.problem("base_url", f"{value!r} is not an http or https URL with a host", fix)
        elif parts.username is not None or parts.password is not None:
            # The value is not shown: it contains credentials.
            self.problem("base_url", "the URL contains credentials (value not shown)",
                         "remove user:password@ from the URL and pass tokens through token_env")
        elif parts.query or parts.fragment:
            self.problem("base_url", f"{value!r} has a query or fragment", fix)
        return value.rstrip("/")

    def verify(self, data: dict) -> bool | str:
        verify_tls = data.get("verify_tls", True)
        if not isinstance(verify_tls, bool):
            self.problem("verify_tls", f"expected true or false, got {verify_tls!r}",
                         "write `verify_tls: true` (or false to skip certificate checks)")
            verify_tls = True
        if "ca_bundle" not in data:
            return verify_tls
        if not verify_tls:
            self.problem("ca_bundle", "ca_bundle is set but verify_tls is false",
                         "remove ca_bundle, or set verify_tls: true to check against it")
            return False
        return self.ca_bundle(data["ca_bundle"])

    def ca_bundle(self, value: Any) -> str:
        if not isinstance(value, str) or not value:
            self.problem("ca_bundle", f"expected a file path, got {value!r}",
                         "write the path of a PEM file of CA certificates")
            return ""
        bundle = Path(value).expanduser()
        if not bundle.is_absolute():
            bundle = self.path.parent / bundle
        if not bundle.is_file():
            self.problem("ca_bundle", f"file {str(bundle)!r} not found",
                         "write the path of an existing PEM file (a relative path starts at "
                         "the profile's folder)")
        return str(bundle)

    def variables(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            self.problem("variables", f"expected a mapping of names to strings, got {value!r}",
                         "write for example `variables: {account_id: 6f0d1c3e-...}`")
            return {}
        variables = {}
        for name, item in value.items():
            key = f"variables.{name}"
            if not isinstance(name, str) or _VARIABLE_NAME.fullmatch(name) is None:
                self.problem(key, f"invalid variable name {name!r}",
                             "use letters, digits and _ in dot-separated parts")
            elif name.startswith(TOKEN_PREFIX):
                role = name[len(TOKEN_PREFIX):]
                self.problem(key, "token variables must not be written in the profile",
                             f"remove it and add `{role}: ENV_VAR_NAME` under token_env")
            elif not isinstance(item, str):
                self.problem(key, f"expected a string, got {item!r}",
                             "quote the value, as in account_id: '1234'")
            else:
                variables[name] = item
        return variables

    def token_env(self, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            self.problem("token_env",
                         "expected a mapping of roles to environment variable names, "
                         f"got a {type(value).__name__} (value not shown)",
                         "write for example `token_env: {owner: ASTRA_OWNER_TOKEN}`")
            return {}
        roles = {}
        for role, env_name in value.items():
            if not isinstance(role, str) or _ROLE.fullmatch(role) is None:
                self.problem(f"token_env.{role}", f"invalid role name {role!r}",
                             "use letters, digits and _, as in owner or disabled_owner")
            elif not isinstance(env_name, str) or _ENV_NAME.fullmatch(env_name) is None:
                # The value is not shown: a mistaken entry may be the token itself.
                self.problem(f"token_env.{role}",
                             "invalid environment variable name (value not shown)",
                             "write the variable's name, as in ASTRA_OWNER_TOKEN, not the token")
            else:
                roles[role] = env_name
        return roles


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(path, [f"cannot read the file ({error}). Fix: check the path"]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ProfileError(path, [f"invalid YAML: {error}. Fix: correct the YAML syntax"]) from None


def load_profile(path: Path, environ: Mapping[str, str] = os.environ) -> TargetProfile:
    """Read a target profile, raising ProfileError that lists every problem found.

    A token whose environment variable is unset or empty is left out of `variables`, and
    its role is listed in `missing_tokens` with the variable's name.
    """
    path = Path(path)
    data = _read_yaml(path)
    reader = _ProfileReader(path)
    if not isinstance(data, dict):
        raise ProfileError(
            path, ["the top level must be a mapping. Fix: start with `base_url: https://...`"]
        )
    reader.check_keys(data)
    base_url = reader.base_url(data["base_url"]) if "base_url" in data else ""
    verify = reader.verify(data)
    variables = reader.variables(data.get("variables", {}))
    token_env = reader.token_env(data.get("token_env", {}))
    if reader.problems:
        raise ProfileError(path, reader.problems)
    profile = TargetProfile(base_url, verify, variables, source=path)
    _add_tokens(profile, token_env, environ)
    return profile


def _add_tokens(
    profile: TargetProfile, token_env: dict[str, str], environ: Mapping[str, str]
) -> None:
    secrets = []
    for role, env_name in token_env.items():
        token = environ.get(env_name, "").strip()
        if not token:
            profile.missing_tokens[role] = env_name
            logger.info("token for role %s not set: environment variable %s is unset or empty",
                        role, env_name)
            continue
        profile.variables[TOKEN_PREFIX + role] = token
        secrets.append(token)
    profile.secrets = tuple(secrets)
