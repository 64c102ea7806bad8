"""The reference server as an ASGI application, with no web framework.

`create_app` returns an application that serves the create-execution-hook operation on
both of its paths. The checks run in the documented order (see `checks`), a passing
request stores the hook, and named faults may then change the response.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Awaitable, Callable, Collection, Sequence

from harness.contract.facts import JSON_MEDIA_TYPE, PROBLEM_MEDIA_TYPE
from harness.contract.model import load_contract
from harness.server import checks
from harness.server.creation import build_hook, created_reply
from harness.server.faults import apply_faults, omit_defaults, resolve_behaviours, resolve_faults
from harness.server.log_redaction import redact_tokens
from harness.server.openapi import OPENAPI_PATH, openapi_document
from harness.server.parsing import MAX_BODY_BYTES, check_content_type, parse_body
from harness.server.problems import Rejection, problem_reply
from harness.server.queries import check_query
from harness.server.responses import Reply, encode_json, encode_reply
from harness.server.stamps import new_uuid4, utc_timestamp
from harness.server.store import HookStore, MemoryHookStore
from harness.server.validation import SchemaValidator
from harness.server.world import World

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

_MAX_LOGGED_PATH = 200


class _ClientDisconnected(Exception):
    pass


@dataclass
class _RequestHeaders:
    """The request headers the checks read. Repeated headers keep every value."""

    authorization: list[str] = field(default_factory=list)
    content_type: list[str] = field(default_factory=list)
    accept: str | None = None
    content_length: str | None = None

    @classmethod
    def from_scope(cls, scope: Scope) -> _RequestHeaders:
        found = cls()
        for name, value in scope["headers"]:
            if name == b"authorization":
                found.authorization.append(value.decode("latin-1"))
            elif name == b"content-type":
                found.content_type.append(value.decode("latin-1"))
            elif name == b"accept":
                text = value.decode("latin-1")
                found.accept = text if found.accept is None else f"{found.accept}, {text}"
            elif name == b"content-length":
                found.content_length = value.decode("latin-1")
        return found


class ReferenceApp:
    """The ASGI application of the reference server; `store` holds the created hooks."""

    def __init__(
        self, world: World, api_version: str, faults: Sequence[str], store: HookStore
    ) -> None:
        self.world = world
        self.contract = load_contract(api_version)
        self.documented = frozenset(self.contract.problems)
        self.validator = SchemaValidator(self.contract)
        self.faults = resolve_faults(faults)
        self.behaviours = resolve_behaviours(faults)
        # The problem types the checks send: the documented ones, less those a fault skips.
        self.checked = self.documented - self.behaviours.skipped_problems
        self.store = store

    @cached_property
    def openapi_body(self) -> bytes:
        """The OpenAPI document served at GET /openapi.json, built on first use."""
        return encode_json(openapi_document(self.contract))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _run_lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        correlation_id = new_uuid4()
        try:
            reply = await self._respond(scope, receive, correlation_id)
        except _ClientDisconnected:
            logger.info("%s %s client disconnected before sending the body", scope["method"],
                        _loggable_path(scope, self.world.secrets))
            return
        except Exception:
            logger.exception("internal error on %s %s (correlation %s)", scope["method"],
                             _loggable_path(scope, self.world.secrets), correlation_id)
            reply = _internal_error_reply(correlation_id)
        if self.faults:
            reply = apply_faults(reply, self.faults)
        status, headers, body = encode_reply(reply)
        # Logged before sending, so the line exists by the time the client has the response.
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "%s %s %d problem=%s %.2f ms correlation=%s", scope["method"],
                _loggable_path(scope, self.world.secrets), status, reply.problem or "-",
                (time.perf_counter() - started) * 1000, reply.correlation_id or correlation_id,
            )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _respond(self, scope: Scope, receive: Receive, correlation_id: str) -> Reply:
        if scope["path"] == OPENAPI_PATH and scope["method"] == "GET":
            # Served before the checks and without a token, like any API description.
            return Reply(200, None, JSON_MEDIA_TYPE, raw_body=self.openapi_body)
        headers = _RequestHeaders.from_scope(scope)
        try:
            return await self._create(scope, headers, receive, correlation_id)
        except Rejection as rejection:
            if rejection.reason:
                logger.debug("problem %d: %s", rejection.number, rejection.reason)
            return problem_reply(rejection, correlation_id)

    async def _create(
        self, scope: Scope, headers: _RequestHeaders, receive: Receive, correlation_id: str
    ) -> Reply:
        early = None
        if self.behaviours.body_before_auth:
            # A fault: checks 5 and 6 run before check 1, against the documented order.
            early = await self._read_payload(headers, receive)
        account, user = checks.authenticate(self.world, headers.authorization)
        route = checks.parse_route(scope["method"], scope["path"])
        path_app = checks.find_collection(account, route)
        checks.check_permission(account, user, self.checked)
        check_query(scope["query_string"])
        payload, body_version = early or await self._read_payload(headers, receive)
        checks.check_hook_type(payload, self.checked)
        checks.check_extended(payload, account, path_app)
        unique_name = 10 in self.documented and not self.behaviours.duplicate_names
        checks.check_conflicts(payload, account, path_app, self.store, self.documented,
                               names_unique=unique_name)
        app = path_app or account.apps[payload["appID"]]
        checks.check_failover(payload, app, self.checked)

        hook = build_hook(payload, body_version, user, app, new_uuid4(), utc_timestamp())
        hook = omit_defaults(hook, payload, self.behaviours)
        document = encode_json(hook)
        if not self.store.insert(account.id, hook["id"], hook["name"], document, unique_name):
            raise checks.name_conflict()
        reply = created_reply(
            hook, account.id, _base_url(scope), headers.accept, self.contract, correlation_id
        )
        if not self.faults:
            # The stored document is the response body, so it is encoded only once. Faults
            # change the payload, so with faults the reply is encoded after them.
            reply.raw_body = document
        return reply

    async def _read_payload(
        self, headers: _RequestHeaders, receive: Receive
    ) -> tuple[dict[str, Any], str]:
        """Checks 5 and 6: return the body parsed and validated, and its resource version."""
        check_content_type(headers.content_type)
        payload = parse_body(await _read_body(receive, headers.content_length))
        return payload, self.validator.validate(payload)


def create_app(
    world: World, api_version: str = "1.3", faults: Sequence[str] = (),
    store: HookStore | None = None,
) -> ReferenceApp:
    """Return the reference server's ASGI application for `world`.

    `api_version` (1.0 to 1.3) is the resource version the server emulates. `faults` names
    entries of `harness.server.faults.FAULTS`. Unknown versions and fault names raise
    ValueError listing the known ones.
    """
    return ReferenceApp(world, api_version, faults, store or MemoryHookStore())


async def _read_body(receive: Receive, declared_length: str | None) -> bytes:
    """Return the whole request body, raising Rejection(7) once it exceeds MAX_BODY_BYTES."""
    declared = int(declared_length) if declared_length and declared_length.isdigit() else 0
    if declared > MAX_BODY_BYTES:
        raise Rejection(7, reason=f"Content-Length over {MAX_BODY_BYTES} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _ClientDisconnected()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise Rejection(7, reason=f"body over {MAX_BODY_BYTES} bytes")
        if not message.get("more_body", False):
            if not chunks:
                return chunk
            chunks.append(chunk)
            return b"".join(chunks)
        chunks.append(chunk)


async def _run_lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _base_url(scope: Scope) -> str:
    """Return scheme, host and port of the address the client connected to."""
    server = scope.get("server")
    if not server:
        return f"{scope.get('scheme', 'http')}://127.0.0.1"
    host, port = server[0], server[1]
    if ":" in host:
        host = f"[{host}]"
    return f"{scope.get('scheme', 'http')}://{host}:{port}"


def _loggable_path(scope: Scope, secrets: Collection[str]) -> str:
    """Return the path and the query parameter names, without values, escaped for a log line.

    Tokens of the world, and the request's own bearer token, are replaced with [token].
    """
    path = scope["path"]
    query = scope.get("query_string", b"")
    if query:
        names = [part.split(b"=", 1)[0].decode("latin-1") for part in query.split(b"&") if part]
        path = f"{path}?{'&'.join(names)}"
    path = redact_tokens(path, secrets, scope["headers"])
    if len(path) > _MAX_LOGGED_PATH:
        path = path[: _MAX_LOGGED_PATH - 3] + "..."
    if not path.isprintable():
        path = path.encode("unicode_escape").decode("ascii")
    return path


def _internal_error_reply(correlation_id: str) -> Reply:
    """Return a 500 problem. The contract documents no 500, so a checker flags it as the
    server bug it is."""
    payload = {
        "type": "about:blank",
        "title": "Internal Server Error",
        "detail": "The reference server failed; its log has the traceback.",
        "status": "500",
        "correlationID": correlation_id,
    }
    return Reply(500, payload, PROBLEM_MEDIA_TYPE, correlation_id=correlation_id)
