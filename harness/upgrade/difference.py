"""One difference between two recordings of a scenario, and which differences fail a run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Kinds of difference.
ONLY_IN_A = "only-in-a"
ONLY_IN_B = "only-in-b"
REMOVED_INTERACTION = "removed-interaction"
ADDED_INTERACTION = "added-interaction"
STATUS = "status"
PROBLEM_TYPE = "problem-type"
CONTENT_TYPE = "content-type"
ADDED_FIELD = "added-field"
REMOVED_FIELD = "removed-field"
CHANGED_VALUE = "changed-value"
CHANGED_TYPE = "changed-type"

KINDS = (
    ONLY_IN_A, ONLY_IN_B, REMOVED_INTERACTION, ADDED_INTERACTION, STATUS, PROBLEM_TYPE,
    CONTENT_TYPE, ADDED_FIELD, REMOVED_FIELD, CHANGED_VALUE, CHANGED_TYPE,
)

# `--fail-on` choices and the kinds each one counts.
FAIL_ON_KINDS: dict[str, frozenset[str]] = {
    "any": frozenset(KINDS),
    "status": frozenset({STATUS, PROBLEM_TYPE}),
    "none": frozenset(),
}
FAIL_ON_CHOICES = tuple(FAIL_ON_KINDS)


class _Absent:
    """The value on the side of a difference where the field, header or file does not exist."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Difference:
    """A difference in one cassette: its kind, where it is, and its values in A and in B.

    A is the recording before the upgrade and B the one after. `cassette` is the file's path
    relative to its folder. `interaction` is the position of
    the exchange in the cassette, None for differences of the whole file. `path` is where the
    difference is, such as `response.status`, `response.headers.etag` or
    `response.body['metadata']['createdBy']`, and is what `--ignore` patterns match.
    """

    cassette: str
    kind: str
    path: str = ""
    interaction: int | None = None
    a: Any = ABSENT
    b: Any = ABSENT

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown difference kind {self.kind!r}: use one of {', '.join(KINDS)}")


def failing_differences(differences: list[Difference], fail_on: str) -> list[Difference]:
    """Return the differences that `--fail-on fail_on` counts. Raises ValueError for an unknown choice."""
    try:
        kinds = FAIL_ON_KINDS[fail_on]
    except KeyError:
        raise ValueError(
            f"invalid --fail-on {fail_on!r}: use one of {', '.join(FAIL_ON_CHOICES)}"
        ) from None
    return [difference for difference in differences if difference.kind in kinds]
