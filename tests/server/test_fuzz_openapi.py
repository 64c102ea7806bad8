"""Schemathesis fuzzing from the server's own OpenAPI document.

Schemathesis generates valid and invalid requests for both create paths from the document
that `openapi_document` builds. Every response must be one the contract documents: no
server error, a documented status, Content-Type and headers, a body that fits the schema
of its problem type, and no deviation found by the harness's own contract check.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from harness.contract import load_contract
from harness.exchange import Exchange, Headers, HttpRequest, HttpResponse
from harness.report.conformance import check_contract
from harness.server.openapi import openapi_document
from harness.server.running import ReferenceServer
from harness.server.world import load_world

CONTRACT = load_contract("1.3")
VARIABLES = load_world().variables
# Examples per operation, positive and negative together: about 300 requests in all.
MAX_EXAMPLES = 150
PHASES = ["examples", "fuzzing"]

WORLD_IDS = {"hookSourceID": VARIABLES["hook_source_id"], "appID": VARIABLES["app_id"]}

SCHEMA = schemathesis.openapi.from_dict(openapi_document(CONTRACT))
# The path ids of the bundled world, so that most requests pass the collection check and
# reach the body checks. Random ids would all stop at 404 problem 2.
SCHEMA.config.update(parameters={
    "path.account_id": VARIABLES["account_id"], "path.app_id": VARIABLES["app_id"],
})
SCHEMA.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=MAX_EXAMPLES,
)
SCHEMA.config.phases.update(phases=PHASES)

# Schemathesis's other default checks expect what this operation does not promise.
# positive_data_acceptance expects 2xx for any schema-valid body, but an unknown
# hookSourceID is 400 problem 9 and a repeated name 409 problem 10. unsupported_method
# expects 405 where this server returns 404 problem 2. The stateful checks need a read
# operation, which the server does not serve.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzz_server() -> Iterator[ReferenceServer]:
    with ReferenceServer() as running:
        yield running


@SCHEMA.parametrize()
@SCHEMA.given(world_ids=st.booleans())
@settings(
    deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much],
)
def test_fuzzed_requests(case: schemathesis.Case, world_ids: bool, fuzz_server: ReferenceServer) -> None:
    """With `world_ids`, the body names the world's hook source and app, so that valid bodies
    get past extended validation to 201, 409 and the checks after it."""
    if world_ids and isinstance(case.body, dict):
        case.body.update({key: value for key, value in WORLD_IDS.items() if key in case.body})
    headers = {"Authorization": f"Bearer {VARIABLES['tokens.owner']}"}
    response = case.call(base_url=fuzz_server.base_url, headers=headers)
    case.validate_response(response, checks=CHECKS)
    assert check_contract(CONTRACT, as_exchange(response)) == []


def as_exchange(response: schemathesis.Response) -> Exchange:
    """Return a Schemathesis response, whose headers map to lists of values, as an Exchange."""
    request = response.request
    body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
    response_headers = Headers({name: ", ".join(values) for name, values in response.headers.items()})
    return Exchange(
        HttpRequest(request.method, request.url, Headers(request.headers), body),
        HttpResponse(response.status_code, response_headers, response.content),
    )
