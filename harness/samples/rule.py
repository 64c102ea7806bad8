"""The `Rule` type: one documented rule of the create request and how to break it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from harness.contract.problems import PROBLEMS
from harness.contract.versions import version_key
from harness.samples.payloads import BodyBuilder
from harness.samples.sample import Draft

# Changes a valid draft so that it breaks the rule and nothing else.
Breaker = Callable[[Draft, BodyBuilder], None]

# The check of the server's documented order that returns each problem type.
CHECK_OF_PROBLEM = {
    3: "authentication", 4: "authentication", 2: "collection", 11: "permission",
    168: "permission", 5: "query", 6: "query", 7: "body syntax", 8: "schema",
    73: "netapp hook type", 9: "extended validation", 10: "conflicts", 162: "failover support",
}


@dataclass(frozen=True)
class Rule:
    """A rule, the problem type a server returns when only it is broken, and the base it needs.

    `actions` limits the action of the valid body the breaker starts from (None: any).
    `app_variable` and `hook_source_variable` name the variables the base body takes its
    ids from. `operation` forces the core or app-scoped path. `variables` lists the further
    variable names the breaker reads.
    """

    id: str
    problem: int
    summary: str
    apply: Breaker
    min_version: str = "1.0"
    actions: tuple[str, ...] | None = None
    app_variable: str | None = None
    hook_source_variable: str | None = None
    account_variable: str = "account_id"
    operation: str | None = None
    variables: tuple[str, ...] = ()

    @property
    def status(self) -> int:
        return PROBLEMS[self.problem].status

    @property
    def check(self) -> str:
        return CHECK_OF_PROBLEM[self.problem]

    @property
    def first_version(self) -> str:
        """The oldest resource version that has both the rule's fields and its problem type."""
        return max(self.min_version, PROBLEMS[self.problem].first_version, key=version_key)

    def applies_to(self, version: str) -> bool:
        return version_key(self.first_version) <= version_key(version)
