"""Check one response against the documented contract of create-execution-hook.

The contract decides the shape from the status and, for errors, from the problem type the
body declares. A 201 must also carry a Location naming the new hook and an Etag that is the
MD5 of the body bytes.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from harness.contract import Contract, ResponseShape, UnknownResponseError, facts, problem_number
from harness.contract.problems import PROBLEM_URI_PREFIX
from harness.exchange import Exchange, HttpResponse
from harness.report.deviation import (
    CONTRACT,
    STATUS_PATH,
    Deviation,
    describe_value,
    header_path,
    json_path,
)
from harness.report.schema_errors import schema_deviations

logger = logging.getLogger(__name__)

_ACCOUNT_IN_PATH = re.compile(r"/accounts/([^/]+)/")
_ANY_RESOURCE_PATH = re.compile(r"/accounts/[^/]+/core/v1/executionHooks/[^/]+$")


class _NotJson:
    def __repr__(self) -> str:
        return "NOT_JSON"


NOT_JSON: Any = _NotJson()


def check_contract(contract: Contract, exchange: Exchange, *, strict: bool = True) -> list[Deviation]:
    """Return every deviation of the exchange's response from the documented contract.

    With `strict` False, body keys the contract does not document are not reported. A status
    the contract does not document yields one `undocumented-status` deviation and nothing
    else, because no shape is known to check against.
    """
    response = exchange.response
    if response.status not in contract.statuses:
        return [_undocumented_status(contract, response.status)]

    deviations: list[Deviation] = []
    body = parse_body(response)
    if body is NOT_JSON:
        deviations.append(_not_json(response))

    shape, problem_deviations = _resolve_shape(contract, response.status, body)
    deviations += problem_deviations
    deviations += _check_headers(contract, shape, exchange, body)
    if body is not NOT_JSON:
        deviations += schema_deviations(shape.body_schema, body, label=shape.label, strict=strict)
        deviations += _check_problem_status(shape, body)

    logger.debug("contract check of a %d response found %d deviations", response.status, len(deviations))
    return deviations


def parse_body(response: HttpResponse) -> Any:
    """Return the response body parsed as JSON, or NOT_JSON when it is empty or invalid."""
    try:
        return response.json()
    except ValueError:
        return NOT_JSON


def _deviation(path: str, kind: str, expected: Any, actual: Any, message: str) -> Deviation:
    return Deviation(path, kind, CONTRACT, expected, actual, message)


def _undocumented_status(contract: Contract, status: int) -> Deviation:
    documented = [str(s) for s in contract.statuses]
    return _deviation(
        STATUS_PATH, "undocumented-status", documented, status,
        f"status {status} is not documented for this operation at version {contract.version}. "
        f"The documented statuses are {', '.join(documented)}.",
    )


def _not_json(response: HttpResponse) -> Deviation:
    preview = response.body[:80]
    return _deviation(
        "root", "not-json", "a JSON body", preview,
        f"the {response.status} body is not valid UTF-8 JSON (it starts with {preview!r}), "
        f"so no key of it can be checked.",
    )


def _resolve_shape(contract: Contract, status: int, body: Any) -> tuple[ResponseShape, list[Deviation]]:
    """Return the shape to check the body against, and a problem-type deviation if any."""
    if status == 201:
        version = body.get("version") if isinstance(body, dict) else None
        return contract.response_shape(201, None, version if isinstance(version, str) else None), []

    generic = contract.response_shape(status)
    if not isinstance(body, dict) or "type" not in body:
        return generic, []
    number = problem_number(body["type"])
    if number is None:
        return generic, [_not_a_problem_uri(contract, status, body["type"])]
    try:
        return contract.response_shape(status, number), []
    except UnknownResponseError as error:
        return generic, [_deviation(
            json_path(["type"]), "problem-type", _documented_uris(contract, status), body["type"],
            f"{json_path(['type'])}: {error}.",
        )]


def _documented_uris(contract: Contract, status: int) -> list[str]:
    return [p.uri for p in contract.problems.values() if p.status == status]


def _not_a_problem_uri(contract: Contract, status: int, value: Any) -> Deviation:
    path = json_path(["type"])
    allowed = _documented_uris(contract, status)
    return _deviation(
        path, "problem-type", allowed, value,
        f"{path} is {describe_value(value)}, which is not a problem type URI of the form "
        f"{PROBLEM_URI_PREFIX}N. The documented types for status {status} are "
        f"{', '.join(allowed) or 'none'}.",
    )


def _check_problem_status(shape: ResponseShape, body: Any) -> list[Deviation]:
    """Compare a problem body's `status` with the HTTP status when no known type fixes it."""
    if shape.status == 201 or shape.problem is not None or not isinstance(body, dict):
        return []
    value = body.get("status")
    if not isinstance(value, str) or value == str(shape.status):
        return []
    path = json_path(["status"])
    return [_deviation(
        path, "value", str(shape.status), value,
        f"{path} is {describe_value(value)}, but the HTTP status is {shape.status}, so the "
        f"body must carry \"{shape.status}\".",
    )]


def _check_headers(
    contract: Contract, shape: ResponseShape, exchange: Exchange, body: Any
) -> list[Deviation]:
    response = exchange.response
    deviations = [
        _deviation(
            header_path(name), "missing-header", "present", None,
            f"header {name} is missing, but the contract requires it on a {shape.label} response.",
        )
        for name in shape.required_headers
        if not response.headers.has(name)
    ]
    deviations += _check_content_type(contract, shape, exchange)
    if shape.status == 201:
        deviations += _check_location(exchange, body)
        deviations += _check_etag(response)
    return deviations


def media_type(content_type: str) -> str:
    """Return the media type of a Content-Type value, lowercase and without parameters."""
    return content_type.split(";", 1)[0].strip().lower()


def _check_content_type(contract: Contract, shape: ResponseShape, exchange: Exchange) -> list[Deviation]:
    actual = exchange.response.content_type
    if actual is None:
        return []
    if shape.status == 201:
        accept = exchange.request.headers.get_ci("Accept")
        expected = contract.created_content_type(accept)
        reason = "a 201 to a request without Accept"
        if accept:
            reason = f"a 201 to a request with Accept {accept!r}"
    else:
        expected = facts.PROBLEM_MEDIA_TYPE
        reason = f"a {shape.status} problem response"
    if media_type(actual) == expected.lower():
        return []
    return [_deviation(
        header_path("Content-Type"), "content-type", expected, actual,
        f"header Content-Type is {actual!r}, but {reason} must be {expected}.",
    )]


def _check_location(exchange: Exchange, body: Any) -> list[Deviation]:
    location = exchange.response.headers.get_ci("Location")
    if location is None:
        return []
    location_path = urlsplit(location).path
    expected = _expected_location(exchange.request.url, body)
    if expected is not None and location_path.endswith(expected):
        return []
    if expected is None and _ANY_RESOURCE_PATH.search(location_path):
        return []
    required_path = expected or facts.RESOURCE_PATH
    return [_deviation(
        header_path("Location"), "location", required_path, location,
        f"header Location is {location!r}, but its path must end with {required_path}, the new hook "
        f"under the request's account and the body's id.",
    )]


def _expected_location(request_url: str, body: Any) -> str | None:
    """Return the resource path the Location must end with, or None if it cannot be known."""
    account = _ACCOUNT_IN_PATH.search(urlsplit(request_url).path)
    hook_id = body.get("id") if isinstance(body, dict) else None
    if account is None or not isinstance(hook_id, str):
        return None
    return facts.RESOURCE_PATH.format(account_id=account.group(1), id=hook_id)


def _check_etag(response: HttpResponse) -> list[Deviation]:
    etag = response.headers.get_ci("Etag")
    if etag is None:
        return []
    expected = hashlib.md5(response.body).hexdigest()
    if etag == expected:
        return []
    message = f"header Etag is {etag!r}, but the contract requires the hex MD5 of the body, {expected}."
    if etag.strip('"') == expected:
        message = (
            f"header Etag is {etag!r}, but the contract requires the bare hex MD5 {expected} "
            f"without quotes."
        )
    return [_deviation(header_path("Etag"), "etag", expected, etag, message)]
