"""The data of a world: accounts, users and tokens, hook sources, apps, pods and containers."""

from __future__ import annotations

from dataclasses import dataclass, field

# A well-formed bearer token that no world may define, exposed as the `tokens.invalid` variable.
INVALID_TOKEN = "hh-invalid-0d4e8a1c6b2f7a93"


class WorldError(ValueError):
    """An invalid world file: which file, where in it, what is wrong and how to fix it."""

    def __init__(self, source: str, key_path: str, message: str, fix: str) -> None:
        self.source = source
        self.key_path = key_path
        self.message = message
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source} at {self.key_path}" if self.key_path else self.source
        return f"{where}: {self.message}. Fix: {self.fix}"


@dataclass(frozen=True)
class Container:
    name: str
    image: str


@dataclass(frozen=True)
class Pod:
    """A pod of an app. `labels` keeps the order of the world file."""

    name: str
    namespace: str
    labels: tuple[tuple[str, str], ...]
    containers: tuple[Container, ...]


@dataclass(frozen=True, eq=False)
class App:
    """An app and its containers. Apps compare and hash by identity, which keeps them
    cheap as cache keys of the container matches."""

    id: str
    name: str
    post_failover_hooks: bool
    pods: tuple[Pod, ...]


@dataclass(frozen=True)
class User:
    id: str
    role: str
    token: str


@dataclass(frozen=True)
class Account:
    id: str
    name: str
    execution_hooks_enabled: bool
    users: tuple[User, ...]
    hook_sources: dict[str, str]
    apps: dict[str, App]

    def first_user(self, role: str) -> User | None:
        return next((user for user in self.users if user.role == role), None)


@dataclass(frozen=True)
class World:
    """A validated world.

    `variables` contains the file's `variables:` block plus the token variables, and
    `secrets` every bearer token of the world's users.
    """

    source: str
    accounts: dict[str, Account]
    variables: dict[str, str]
    secrets: set[str] = field(repr=False)
    _users_by_token: dict[str, tuple[Account, User]] = field(repr=False)

    def user_for_token(self, token: str) -> tuple[Account, User] | None:
        """Return the account and user that own `token`, or None for an unknown token."""
        return self._users_by_token.get(token)
