"""The problem types (RFC 7807 problem details) this operation documents.

Each type fixes its status, title and detail. The "trigger" of each type is this project's
reading of the title and detail: the vendor document fixes the wording, not every trigger.
"""

from __future__ import annotations

from dataclasses import dataclass

PROBLEM_URI_PREFIX = "https://astra.netapp.io/problems/"


@dataclass(frozen=True)
class ProblemType:
    """One documented problem type and the fixed values of its body."""

    number: int
    status: int
    title: str
    detail: str
    trigger: str
    extra_field: str | None = None
    first_version: str = "1.0"

    @property
    def uri(self) -> str:
        return f"{PROBLEM_URI_PREFIX}{self.number}"

    @property
    def status_text(self) -> str:
        """The status as the body carries it: a JSON string such as "404"."""
        return str(self.status)


_PROBLEM_LIST = (
    ProblemType(
        2, 404, "Collection not found",
        "The collection specified in the request URI wasn't found.",
        "the account, or the app of the app-scoped path, does not exist",
    ),
    ProblemType(
        3, 401, "Missing bearer token",
        "The request is missing the required bearer token.",
        "no Authorization header, or one without a bearer token",
    ),
    ProblemType(
        4, 401, "Invalid bearer token",
        "The supplied bearer token is invalid.",
        "the bearer token is unknown, revoked or malformed",
    ),
    ProblemType(
        5, 400, "Invalid query parameters",
        "The supplied query parameters are invalid.",
        "a standard collection query parameter has a malformed value",
        extra_field="invalidParams",
    ),
    ProblemType(
        6, 400, "Query parameters not supported",
        "The supplied query parameters aren't supported.",
        "a query parameter this operation does not take",
        extra_field="invalidParams",
    ),
    ProblemType(
        7, 400, "Invalid JSON payload",
        "The request body isn't valid JSON.",
        "the body is not JSON: malformed, not UTF-8, or sent with another Content-Type",
    ),
    ProblemType(
        8, 400, "Invalid JSON resource",
        "The supplied JSON resource doesn't conform to the schema.",
        "a schema violation: missing field, wrong type, bad enum value, length, extra key",
        extra_field="schemaValidationFailure",
    ),
    ProblemType(
        9, 400, "Invalid JSON resource",
        "The supplied JSON resource didn't pass extended validation.",
        "valid shape, invalid meaning: stage not allowed for the action, regex not RE2, "
        "unknown hook source or app",
        extra_field="invalidFields",
    ),
    ProblemType(
        10, 409, "JSON resource conflict",
        "The request body JSON contains a field that conflicts with an idempotent value.",
        "a name already in use, or a body appID that differs from the path's app",
        extra_field="invalidFields",
        first_version="1.1",
    ),
    ProblemType(
        11, 403, "Operation not permitted",
        "The requested operation isn't permitted.",
        "the caller's role may not create execution hooks",
        first_version="1.1",
    ),
    ProblemType(
        73, 403, "NetApp execution hooks read only",
        "NetApp execution hooks are read-only and can't be created or modified.",
        "hookType is netapp",
        first_version="1.1",
    ),
    ProblemType(
        162, 409, "Post-failover execution hooks not supported",
        "The application doesn't support post-failover execution hooks.",
        "action failover on an app that is not eligible for failover hooks",
        first_version="1.2",
    ),
    ProblemType(
        168, 403, "Execution hook action not permitted",
        "Execution hooks are disabled in the account's feature settings.",
        "execution hooks are disabled in the account's feature settings",
        first_version="1.3",
    ),
)

PROBLEMS: dict[int, ProblemType] = {problem.number: problem for problem in _PROBLEM_LIST}

# Extra fields whose value is a non-empty array of unique {name, reason} objects.
NAMED_REASON_FIELDS = ("invalidParams", "invalidFields")


def problem_number(uri: object) -> int | None:
    """Return N for "https://astra.netapp.io/problems/N", None for anything else."""
    if not isinstance(uri, str) or not uri.startswith(PROBLEM_URI_PREFIX):
        return None
    suffix = uri[len(PROBLEM_URI_PREFIX):]
    if not suffix.isdigit() or suffix != str(int(suffix)):
        return None
    return int(suffix)


def problems_for_status(status: int) -> list[ProblemType]:
    return [problem for problem in _PROBLEM_LIST if problem.status == status]
