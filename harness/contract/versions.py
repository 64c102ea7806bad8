"""Features of each resource version of the execution hook.

History of the resource (first API release in brackets):
- 1.0: the original resource. Requests carry no matchingCriteria and responses have none.
- 1.1 (December 2022): matchingCriteria with one type, containerImage; responses may carry
  matchingImages; 403 problems 11 and 73 and 409 problem 10.
- 1.2 (early 2023): criteria types containerName, podName, podLabel and namespaceName;
  responses gain matchingContainers; 409 problem 162 (mid 2023).
- 1.3 (23.07): action failover, post stage only; 403 problem 168 (24.02).
A server of a newer release still accepts request bodies of older versions.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.contract.facts import API_VERSIONS
from harness.contract.problems import PROBLEMS


@dataclass(frozen=True)
class VersionFeatures:
    """The enums, fields and problem types of one resource version."""

    version: str
    actions: tuple[str, ...]
    criteria_types: tuple[str, ...]
    has_matching_criteria: bool
    has_matching_images: bool
    has_matching_containers: bool

    @property
    def problem_numbers(self) -> tuple[int, ...]:
        return tuple(
            number for number, problem in PROBLEMS.items()
            if version_key(problem.first_version) <= version_key(self.version)
        )

    @property
    def statuses(self) -> tuple[int, ...]:
        found = {PROBLEMS[number].status for number in self.problem_numbers}
        return tuple(sorted(found | {201}))

    @property
    def accepted_body_versions(self) -> tuple[str, ...]:
        return tuple(v for v in API_VERSIONS if version_key(v) <= version_key(self.version))


# Stages each action allows: snapshot and backup run hooks before or after, restore and
# failover only after.
ACTION_STAGES = {
    "snapshot": ("pre", "post"),
    "backup": ("pre", "post"),
    "restore": ("post",),
    "failover": ("post",),
}

_BASE_ACTIONS = ("snapshot", "backup", "restore")
_ALL_CRITERIA = ("containerImage", "containerName", "podName", "podLabel", "namespaceName")

VERSIONS: dict[str, VersionFeatures] = {
    "1.0": VersionFeatures("1.0", _BASE_ACTIONS, (), False, False, False),
    "1.1": VersionFeatures("1.1", _BASE_ACTIONS, ("containerImage",), True, True, False),
    "1.2": VersionFeatures("1.2", _BASE_ACTIONS, _ALL_CRITERIA, True, True, True),
    "1.3": VersionFeatures("1.3", _BASE_ACTIONS + ("failover",), _ALL_CRITERIA, True, True, True),
}


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def features(version: str) -> VersionFeatures:
    """Return the features of `version`, raising ValueError that lists the known versions."""
    try:
        return VERSIONS[version]
    except KeyError:
        known = ", ".join(VERSIONS)
        raise ValueError(f"unknown resource version {version!r}: use one of {known}") from None
