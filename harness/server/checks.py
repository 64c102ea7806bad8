"""The checks of a create request, one function per check, in the documented order.

The first failing check decides the response, so a request breaking several rules gets the
problem of the earliest check. Checks 1 to 4 look only at the request line and headers,
and checks 5 to 10 at the body:

1. authentication (401 problems 3 and 4)
2. collection: the account and, on the app-scoped path, the app (404 problem 2)
3. permission: the caller's role, then the account's execution-hook switch (403 problems 11, 168)
4. query parameters (400 problems 5 and 6), in `queries`
5. body syntax (400 problem 7), in `parsing`
6. schema (400 problem 8), in `validation`
7. NetApp hook type (403 problem 73)
8. extended validation (400 problem 9)
9. conflicts (409 problem 10)
10. failover support of the app (409 problem 162)

A check whose problem type the emulated version does not document is skipped, so a 1.0
server lets viewers create hooks and allows duplicate names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harness.contract.versions import ACTION_STAGES
from harness.server.matching import InvalidPatternError, compile_pattern
from harness.server.problems import Rejection, named_reasons
from harness.server.store import HookStore
from harness.server.world import Account, App, User, World

_BEARER = "bearer"


@dataclass(frozen=True)
class Route:
    """The collection a request path names: an account id and, on the app-scoped path, an app id."""

    account_id: str
    app_id: str | None


def parse_route(method: str, path: str) -> Route | None:
    """Return the collection of a create request, or None for any other method or path."""
    if method != "POST":
        return None
    parts = path.split("/")
    if len(parts) == 6 and parts[0] == "" and parts[1] == "accounts" and parts[3:] == [
        "core", "v1", "executionHooks"
    ]:
        return Route(parts[2], None)
    if (
        len(parts) == 8 and parts[0] == "" and parts[1] == "accounts"
        and parts[3:6] == ["k8s", "v1", "apps"] and parts[7] == "executionHooks"
    ):
        return Route(parts[2], parts[6])
    return None


def authenticate(world: World, authorization: list[str]) -> tuple[Account, User]:
    """Check 1: return the caller's account and user.

    A missing, repeated or non-Bearer Authorization header, or one without a token, is
    problem 3. A token that no user of the world has is problem 4.
    """
    if len(authorization) != 1:
        reason = "no Authorization header" if not authorization else "repeated Authorization header"
        raise Rejection(3, reason=reason)
    scheme, _, token = authorization[0].strip().partition(" ")
    token = token.strip()
    if scheme.lower() != _BEARER or not token:
        raise Rejection(3, reason="not a bearer token")
    found = world.user_for_token(token)
    if found is None:
        raise Rejection(4, reason="unknown token")
    return found


def find_collection(account: Account, route: Route | None) -> App | None:
    """Check 2: return the app of an app-scoped path, or None on the core path.

    An unknown route, an account other than the caller's, or an app that is not the
    account's is problem 2.
    """
    if route is None:
        raise Rejection(2, reason="no such operation")
    if route.account_id != account.id:
        raise Rejection(2, reason="account unknown or not the caller's")
    if route.app_id is None:
        return None
    app = account.apps.get(route.app_id)
    if app is None:
        raise Rejection(2, reason="app not in account")
    return app


def check_permission(account: Account, user: User, documented: frozenset[int]) -> None:
    """Check 3: a viewer may not create (problem 11), nor anyone while the account has
    execution hooks disabled (problem 168)."""
    if 11 in documented and user.role == "viewer":
        raise Rejection(11, reason="viewer role")
    if 168 in documented and not account.execution_hooks_enabled:
        raise Rejection(168, reason="execution hooks disabled")


def check_hook_type(payload: dict[str, Any], documented: frozenset[int]) -> None:
    """Check 7: NetApp hooks are read-only (problem 73)."""
    if 73 in documented and payload["hookType"] == "netapp":
        raise Rejection(73, reason="netapp hook type")


def check_extended(payload: dict[str, Any], account: Account, path_app: App | None) -> None:
    """Check 8: raise Rejection(9) listing every field that fails extended validation.

    Fields: a stage the action does not allow, a criterion value that is not an RE2
    pattern, a hook source or (core path only) an app that is not the account's.
    """
    invalid: list[tuple[str, str]] = []
    allowed = ACTION_STAGES[payload["action"]]
    if payload["stage"] not in allowed:
        invalid.append((
            "stage",
            f"action {payload['action']} allows only stage {' or '.join(allowed)}",
        ))
    for index, criterion in enumerate(payload.get("matchingCriteria", ())):
        try:
            compile_pattern(criterion["value"])
        except InvalidPatternError as error:
            invalid.append((
                f"matchingCriteria[{index}].value",
                f"not a valid RE2 regular expression: {error}",
            ))
    if payload["hookSourceID"] not in account.hook_sources:
        invalid.append(("hookSourceID", "not a hook source of the account"))
    if path_app is None and payload["appID"] not in account.apps:
        invalid.append(("appID", "not an app of the account"))
    if invalid:
        raise Rejection(9, named_reasons(invalid), reason="extended validation")


def check_conflicts(
    payload: dict[str, Any], account: Account, path_app: App | None, store: HookStore,
    documented: frozenset[int], *, names_unique: bool = True,
) -> None:
    """Check 9: raise Rejection(10) for a body appID other than the path's app, or a name
    that a hook of the account already has. `names_unique` False lets names repeat."""
    if 10 not in documented:
        return
    conflicts: list[tuple[str, str]] = []
    if path_app is not None and payload["appID"] != path_app.id:
        conflicts.append(("appID", "differs from the app in the request path"))
    if names_unique and store.name_in_use(account.id, payload["name"]):
        conflicts.append(("name", "a hook of the account already has this name"))
    if conflicts:
        raise Rejection(10, named_reasons(conflicts), reason="conflict")


def name_conflict() -> Rejection:
    """Return the problem 10 of a name taken between check 9 and the insert."""
    return Rejection(
        10, named_reasons([("name", "a hook of the account already has this name")]),
        reason="name taken during create",
    )


def check_failover(payload: dict[str, Any], app: App, documented: frozenset[int]) -> None:
    """Check 10: a failover hook needs an app that takes post-failover hooks (problem 162)."""
    if 162 in documented and payload["action"] == "failover" and not app.post_failover_hooks:
        raise Rejection(162, reason="app takes no post-failover hooks")
