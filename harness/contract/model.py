"""The contract object: one place that returns what a response must look like.

`Contract.response_shape(status, problem_number)` is the one place that defines what a
response with status S and problem type T must look like. The reference server, the
checker and the sample generators read the contract through it or through its schemas.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache

from harness.contract import facts
from harness.contract.problems import PROBLEMS, ProblemType
from harness.contract.schemas import Schema, created_schema, problem_schema, request_schema
from harness.contract.versions import ACTION_STAGES, VersionFeatures, features, version_key


@dataclass(frozen=True)
class ResponseShape:
    """The contract's requirements for one response: status, body schema and headers."""

    status: int
    problem: ProblemType | None
    body_schema: Schema
    content_types: tuple[str, ...]
    required_headers: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        if self.problem is None:
            return str(self.status)
        return f"{self.status} problem {self.problem.number}"


class UnknownResponseError(ValueError):
    """The status or problem type is not documented for this operation and version."""


@dataclass(frozen=True)
class Contract:
    """The documented contract of create-execution-hook at one resource version."""

    version: str = facts.LATEST_VERSION

    @property
    def features(self) -> VersionFeatures:
        return features(self.version)

    @property
    def problems(self) -> dict[int, ProblemType]:
        return {number: PROBLEMS[number] for number in self.features.problem_numbers}

    @property
    def statuses(self) -> tuple[int, ...]:
        return self.features.statuses

    def accepts_body_version(self, body_version: object) -> bool:
        return body_version in self.features.accepted_body_versions

    def request_schema(self, body_version: str | None = None) -> Schema:
        return request_schema(self._body_version(body_version), self.version)

    def allowed_stages(self, action: str) -> tuple[str, ...]:
        return ACTION_STAGES.get(action, ())

    def created_content_type(self, accept: str | None) -> str:
        """Return the 201 Content-Type that an `Accept` header value requests."""
        if accept and facts.REQUEST_MEDIA_TYPE.lower() in accept.lower():
            return facts.REQUEST_MEDIA_TYPE
        return facts.JSON_MEDIA_TYPE

    def response_shape(
        self, status: int, problem_number: int | None = None, body_version: str | None = None
    ) -> ResponseShape:
        """Return the documented shape of a response, raising UnknownResponseError if none.

        For a 201, `body_version` (the version the created resource declares) picks the
        fields; it defaults to the contract's version. For an error status without a known
        problem type, the shape is the generic problem body.
        """
        if status == 201:
            schema = created_schema(self._body_version(body_version), self.version)
            return ResponseShape(
                201, None, schema,
                (facts.JSON_MEDIA_TYPE, facts.REQUEST_MEDIA_TYPE),
                ("Content-Type", "Location", "Etag"),
            )
        if status not in self.statuses:
            documented = ", ".join(str(s) for s in self.statuses)
            raise UnknownResponseError(
                f"status {status} is not documented for this operation at version "
                f"{self.version}: documented statuses are {documented}"
            )
        problem = None
        if problem_number is not None:
            problem = self.problems.get(problem_number)
            if problem is None or problem.status != status:
                raise UnknownResponseError(self._problem_mismatch(status, problem_number))
        return ResponseShape(
            status, problem, problem_schema(problem), (facts.PROBLEM_MEDIA_TYPE,), ("Content-Type",)
        )

    def digest(self) -> str:
        """Return the SHA-256 of the contract's canonical JSON form, for certification records."""
        return hashlib.sha256(_canonical_contract(self.version).encode()).hexdigest()

    def _body_version(self, body_version: str | None) -> str:
        if body_version is not None and self.accepts_body_version(body_version):
            return body_version
        return self.version

    def _problem_mismatch(self, status: int, problem_number: int) -> str:
        candidates = [p for p in self.problems.values() if p.status == status]
        allowed = ", ".join(f"{p.number} ({p.title})" for p in candidates) or "none"
        return (
            f"problem type {problem_number} is not documented with status {status} at version "
            f"{self.version}: the documented types for {status} are {allowed}"
        )


@lru_cache(maxsize=None)
def _canonical_contract(version: str) -> str:
    contract = Contract(version)
    document = {
        "version": version,
        "request": contract.request_schema(),
        "responses": {
            "201": contract.response_shape(201).body_schema,
            **{
                f"{p.status}/{p.number}": contract.response_shape(p.status, p.number).body_schema
                for p in contract.problems.values()
            },
        },
        "stages": ACTION_STAGES,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def load_contract(version: str = facts.LATEST_VERSION) -> Contract:
    """Return the contract of `version`, raising ValueError naming the known versions."""
    features(version)
    return Contract(version)


def newest_first(versions: list[str]) -> list[str]:
    return sorted(versions, key=version_key, reverse=True)
