"""Targets: where scenarios are sent, and the variables and secrets that go with them.

A target is the bundled reference server started in-process, a live server described by a
profile file, or, for replay-only runs, no server at all.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

# Any URL will do in replay-only runs: cassettes match on path and query, not on the host.
REPLAY_BASE_URL = "http://127.0.0.1"


@dataclass
class Target:
    """A server to send scenarios to, and the values scenario variables resolve to."""

    base_url: str
    variables: dict[str, str]
    secrets: set[str] = field(default_factory=set)
    verify: bool | str = True
    description: str = ""
    # Why a variable has no value, by variable name, for skip messages.
    missing_reasons: dict[str, str] = field(default_factory=dict)

    def secret_placeholders(self) -> dict[str, str]:
        """Map each bearer token to the variable name a cassette stores in its place."""
        placeholders: dict[str, str] = {}
        for name, value in self.variables.items():
            if name.startswith("tokens.") and value:
                placeholders[value] = name
        for value in self.secrets:
            placeholders.setdefault(value, "secret")
        return placeholders


@contextlib.contextmanager
def reference_target(
    world_path: Path | None = None,
    api_version: str = "1.3",
    faults: tuple[str, ...] = (),
    *,
    start: bool = True,
) -> Iterator[Target]:
    """Yield a target for the bundled reference server, started on 127.0.0.1 when `start`.

    With `start` false (replay only) no server runs, but the variables still come from the
    world file, so requests resolve exactly as they did when the cassettes were recorded.
    """
    from harness.server.running import ReferenceServer
    from harness.server.world import load_world

    world = load_world(world_path)
    if not start:
        yield Target(REPLAY_BASE_URL, dict(world.variables), set(world.secrets),
                     description="cassettes recorded from the reference server")
        return
    with ReferenceServer(world, api_version=api_version, faults=faults) as server:
        logger.info("reference server listening on %s (resource version %s)", server.base_url, api_version)
        yield Target(server.base_url, dict(server.variables), set(server.secrets),
                     description=f"reference server {server.base_url}")


@contextlib.contextmanager
def profile_target(profile_path: Path, environ: Mapping[str, str] | None = None) -> Iterator[Target]:
    """Yield the live target a profile file describes; tokens come from its environment."""
    import os

    from harness.scenario.profile import load_profile

    profile = load_profile(profile_path, os.environ if environ is None else environ)
    reasons = {
        f"tokens.{role}": f"environment variable {env_name} is unset or empty"
        for role, env_name in profile.missing_tokens.items()
    }
    yield Target(profile.base_url, dict(profile.variables), set(profile.secrets),
                 verify=profile.verify, description=f"{profile.base_url} (profile {profile_path})",
                 missing_reasons=reasons)
