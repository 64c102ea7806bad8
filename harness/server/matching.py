"""Matching criteria as RE2 regular expressions, applied to the containers of an app.

Each criterion value is an RE2 pattern searched for anywhere in its field (unanchored), and
a container matches when every criterion matches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import re2

from harness.server.world import App, Container, Pod

# Compiled patterns kept for reuse. Criteria repeat across requests, and compiling is the
# expensive part of a match.
_PATTERN_CACHE_SIZE = 1024

_OPTIONS = re2.Options()
# Invalid patterns are reported to the client as problem 9, so RE2 need not also log them.
_OPTIONS.log_errors = False


class InvalidPatternError(ValueError):
    """A criterion value that RE2 cannot compile; the message is RE2's reason."""


@lru_cache(maxsize=_PATTERN_CACHE_SIZE)
def compile_pattern(pattern: str) -> Any:
    """Compile `pattern` with RE2, raising InvalidPatternError with RE2's reason."""
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else "invalid pattern"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise InvalidPatternError(str(reason)) from None


@dataclass(frozen=True)
class ContainerMatch:
    pod: Pod
    container: Container

    def to_json(self) -> dict[str, Any]:
        """Return the container as an item of a 201 body's matchingContainers."""
        return {
            "podName": self.pod.name,
            "podLabels": [{"name": name, "value": value} for name, value in self.pod.labels],
            "containerImage": self.container.image,
            "containerName": self.container.name,
            "namespaceName": self.pod.namespace,
        }


def _search_image(pattern: Any, pod: Pod, container: Container) -> bool:
    return pattern.search(container.image) is not None


def _search_container_name(pattern: Any, pod: Pod, container: Container) -> bool:
    return pattern.search(container.name) is not None


def _search_pod_name(pattern: Any, pod: Pod, container: Container) -> bool:
    return pattern.search(pod.name) is not None


def _search_namespace(pattern: Any, pod: Pod, container: Container) -> bool:
    return pattern.search(pod.namespace) is not None


def _search_pod_labels(pattern: Any, pod: Pod, container: Container) -> bool:
    return any(pattern.search(f"{name}={value}") is not None for name, value in pod.labels)


# Criterion type -> test of one container. A podLabel criterion matches a label written
# as `key=value`.
CRITERION_TESTS: dict[str, Callable[[Any, Pod, Container], bool]] = {
    "containerImage": _search_image,
    "containerName": _search_container_name,
    "podName": _search_pod_name,
    "namespaceName": _search_namespace,
    "podLabel": _search_pod_labels,
}


def match_containers(app: App, criteria: list[dict[str, str]]) -> list[ContainerMatch]:
    """Return the containers of `app` that every criterion matches, in world-file order.

    With no criteria every container matches. Each criterion must be valid, as checked
    before a create: an unknown type raises KeyError and an invalid pattern
    InvalidPatternError.
    """
    tests = [
        (CRITERION_TESTS[criterion["type"]], compile_pattern(criterion["value"]))
        for criterion in criteria
    ]
    matches = []
    for pod in app.pods:
        for container in pod.containers:
            if all(test(pattern, pod, container) for test, pattern in tests):
                matches.append(ContainerMatch(pod, container))
    return matches


def matching_images(matches: list[ContainerMatch]) -> list[str]:
    """Return the distinct images of `matches` in order of first appearance."""
    return list(dict.fromkeys(match.container.image for match in matches))


def matching_json(
    app: App, criteria: list[dict[str, str]]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Return the matchingImages and matchingContainers values of a 201 body.

    The lists are new, but the container objects in them are shared between calls with
    the same app and criteria, so callers must not modify them.
    """
    key = tuple((criterion["type"], criterion["value"]) for criterion in criteria)
    images, containers = _cached_matching_json(app, key)
    return list(images), list(containers)


@lru_cache(maxsize=_PATTERN_CACHE_SIZE)
def _cached_matching_json(
    app: App, criteria: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, ...], tuple[dict[str, Any], ...]]:
    matches = match_containers(app, [{"type": kind, "value": value} for kind, value in criteria])
    return tuple(matching_images(matches)), tuple(match.to_json() for match in matches)
