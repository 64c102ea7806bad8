"""Scenario values as the loader produces them and the runner consumes them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The body was not given in the scenario (nothing to send, or nothing to compare).
NOT_GIVEN: Any = type("NotGiven", (), {"__repr__": lambda self: "NOT_GIVEN"})()


@dataclass
class RequestSpec:
    """A request as written in a scenario, with `${variable}` references not yet resolved.

    Exactly one body form is used: `body` (any JSON value, sent serialised), `raw_body`
    (text sent as UTF-8 bytes, for malformed JSON) or `raw_body_base64` (bytes, for bodies
    that are not UTF-8).
    """

    method: str = "POST"
    path: str = ""
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = NOT_GIVEN
    raw_body: str | None = None
    raw_body_base64: str | None = None


@dataclass
class ExpectedResponse:
    """The response a scenario expects. Header names compare case-insensitively.

    `body_match` is "exact" (every key compared, extra keys are deviations) or "subset"
    (only the keys the scenario lists). Values may be literals or `Matcher` objects.
    """

    status: int
    headers: dict[str, Any] = field(default_factory=dict)
    body: Any = NOT_GIVEN
    body_match: str = "exact"

    @property
    def problem_number(self) -> int | None:
        from harness.contract.problems import problem_number

        if isinstance(self.body, dict):
            return problem_number(self.body.get("type"))
        return None


@dataclass
class Scenario:
    """One scenario: setup requests whose responses are not checked, then the request under test.

    `operation` is "core" or "app", from the request path. `versions` lists the resource
    versions the scenario applies to (None: all). `source` and `index` locate it for errors.
    """

    id: str
    description: str
    request: RequestSpec
    expect: ExpectedResponse
    setup: list[RequestSpec] = field(default_factory=list)
    versions: tuple[str, ...] | None = None
    tags: tuple[str, ...] = ()
    source: Path | None = None
    index: int = 0
    # Ids of contract requirements the scenario covers beyond those inferred from it.
    covers: tuple[str, ...] = ()

    @property
    def operation(self) -> str:
        return "app" if "/k8s/v1/apps/" in self.request.path else "core"

    @property
    def variables(self) -> set[str]:
        from harness.scenario.variables import referenced_variables

        names: set[str] = set()
        for spec in [*self.setup, self.request]:
            names |= referenced_variables(spec)
        return names


@dataclass
class ScenarioError:
    """An invalid scenario file or entry: where, what is wrong, and how to fix it."""

    source: Path
    key_path: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.source}" + (f" at {self.key_path}" if self.key_path else "")
        return f"{where}: {self.message}. Fix: {self.fix}"
