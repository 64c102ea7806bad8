"""Problem responses (RFC 7807) built from the documented problem types."""

from __future__ import annotations

from typing import Any

from harness.contract.facts import PROBLEM_MEDIA_TYPE
from harness.contract.problems import PROBLEMS
from harness.server.responses import Reply


class Rejection(Exception):
    """A check failed: the request gets problem `number`.

    `extra` is the value of the problem type's extra field (invalidParams,
    schemaValidationFailure or invalidFields) and is required for types that have one.
    `reason` is a short note for the server log only.
    """

    def __init__(self, number: int, extra: Any = None, reason: str = "") -> None:
        super().__init__(number, reason)
        self.number = number
        self.extra = extra
        self.reason = reason


def named_reasons(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Return `pairs` as a list of unique {name, reason} objects, keeping the first order."""
    return [{"name": name, "reason": reason} for name, reason in dict.fromkeys(pairs)]


def problem_reply(rejection: Rejection, correlation_id: str) -> Reply:
    """Build the documented problem response for `rejection`."""
    problem = PROBLEMS[rejection.number]
    payload: dict[str, Any] = {
        "type": problem.uri,
        "title": problem.title,
        "detail": problem.detail,
        "status": problem.status_text,
        "correlationID": correlation_id,
    }
    if problem.extra_field is not None:
        if rejection.extra is None:
            raise ValueError(
                f"problem {problem.number} needs a value for {problem.extra_field}; "
                "pass it as Rejection(number, extra)"
            )
        payload[problem.extra_field] = rejection.extra
    return Reply(
        status=problem.status,
        payload=payload,
        content_type=PROBLEM_MEDIA_TYPE,
        problem=problem.number,
        correlation_id=correlation_id,
    )
