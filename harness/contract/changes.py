"""One change between two contract documents, and the rule that decides whom it breaks.

Every change widens or narrows what one side may send:

- it widens when the sender may send more than before (a new enum value, a relaxed limit,
  a new optional field), and then it breaks the receivers that kept the old contract;
- it narrows when the sender may send less (a removed enum value, a tighter limit, a field
  that became required), and then it breaks the senders that kept the old contract;
- some changes do both (a changed pattern, a changed type) or neither.

In a request the client sends and the server receives. In a response the server sends and
the client receives, and "clients" means strict clients: those that validate responses
against the contract or switch on its enums and problem types. docs/upgrades.md lists the
rule for every kind of change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Side(str, Enum):
    """The sender of the message that a change affects."""

    REQUEST = "request"
    RESPONSE = "response"


class Effect(str, Enum):
    """Whether a change lets the sender send more, less, both or the same."""

    WIDEN = "widen"
    NARROW = "narrow"
    BOTH = "both"
    NONE = "none"


class ChangeKind(str, Enum):
    """The kinds of change that `diff_contracts` reports."""

    ADDED_VERSION = "added-version"
    REMOVED_VERSION = "removed-version"
    ADDED_ENUM_VALUE = "added-enum-value"
    REMOVED_ENUM_VALUE = "removed-enum-value"
    ADDED_FIELD = "added-field"
    REMOVED_FIELD = "removed-field"
    FIELD_REQUIRED = "field-became-required"
    FIELD_OPTIONAL = "field-became-optional"
    CHANGED_TYPE = "changed-type"
    CHANGED_LIMIT = "changed-limit"
    CHANGED_PATTERN = "changed-pattern"
    CHANGED_KEYWORD = "changed-keyword"
    ADDED_STATUS = "added-status"
    REMOVED_STATUS = "removed-status"
    ADDED_PROBLEM = "added-problem"
    REMOVED_PROBLEM = "removed-problem"
    CHANGED_PROBLEM = "changed-problem"
    ADDED_CONTENT_TYPE = "added-content-type"
    REMOVED_CONTENT_TYPE = "removed-content-type"
    ADDED_HEADER = "added-required-header"
    REMOVED_HEADER = "removed-required-header"
    STAGE_RULE_CHANGED = "stage-rule-changed"


@dataclass(frozen=True)
class Change:
    """One difference between an old and a new contract document."""

    path: str
    kind: ChangeKind
    description: str
    breaking_for_clients: bool
    breaking_for_servers: bool
    side: Side
    effect: Effect
    old: Any = None
    new: Any = None

    @property
    def breaking(self) -> bool:
        return self.breaking_for_clients or self.breaking_for_servers

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind.value,
            "description": self.description,
            "breakingForClients": self.breaking_for_clients,
            "breakingForServers": self.breaking_for_servers,
            "side": self.side.value,
            "effect": self.effect.value,
            "old": self.old,
            "new": self.new,
        }


def breaking_for(side: Side, effect: Effect) -> tuple[bool, bool]:
    """Return (breaks clients, breaks servers) for a change of `effect` to a message of `side`."""
    widens = effect in (Effect.WIDEN, Effect.BOTH)
    narrows = effect in (Effect.NARROW, Effect.BOTH)
    if side is Side.REQUEST:
        return narrows, widens
    return widens, narrows


def make_change(
    path: str,
    kind: ChangeKind,
    description: str,
    side: Side,
    effect: Effect,
    old: Any = None,
    new: Any = None,
) -> Change:
    clients, servers = breaking_for(side, effect)
    return Change(path, kind, description, clients, servers, side, effect, old, new)


def combine(*effects: Effect) -> Effect:
    """Return the effect of several effects together: widen and narrow make both."""
    found = {effect for effect in effects if effect is not Effect.NONE}
    if not found:
        return Effect.NONE
    if Effect.BOTH in found or found == {Effect.WIDEN, Effect.NARROW}:
        return Effect.BOTH
    return found.pop()
