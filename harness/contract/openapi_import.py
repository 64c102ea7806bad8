"""Import of the create-execution-hook operation from an OpenAPI 3.0 document.

`import_operation` reads one operation of an OpenAPI document (JSON or YAML) and returns a
contract document in the form of `harness.contract.document`, with the warnings met on the
way. Only what the operation reaches is read, so unrelated paths and schemas of a large
document cost parsing time and nothing else.

The allowed stages per action come from the operation's `x-allowed-stages` extension (see
`openapi_stages`).
"""

from __future__ import annotations

import difflib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.contract import facts
from harness.contract.datafile import load_data_file
from harness.contract.document import (
    DEFAULT_OPERATION,
    DOCUMENT_FORMAT,
    message_entry,
    sorted_versions,
    validate_contract_document,
)
from harness.contract.openapi_problems import ProblemCollector, generic_problem_schema
from harness.contract.openapi_refs import ImportLog, JsonPath, RefResolver
from harness.contract.openapi_schema import SchemaConverter
from harness.contract.openapi_stages import read_allowed_stages
from harness.contract.schemas import DRAFT

logger = logging.getLogger(__name__)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LISTED_OPERATIONS = 40


@dataclass
class ImportResult:
    """A contract document read from OpenAPI, and the (JSON path, message) warnings of the import."""

    document: dict[str, Any]
    warnings: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""


def import_operation(
    path_or_document: str | Path | dict[str, Any],
    operation: str = DEFAULT_OPERATION,
    source: str | None = None,
) -> ImportResult:
    """Read `operation` ("METHOD /path") of an OpenAPI 3.0 document as a contract document.

    `path_or_document` is a file path or an already parsed document. `source` names the
    document in messages and defaults to the file path. Raises ContractFileError, naming the
    file and JSON path, for a document or operation that cannot be read.
    """
    if isinstance(path_or_document, dict):
        root = path_or_document
        source = source or "<OpenAPI document>"
    else:
        source = source or str(path_or_document)
        root = load_data_file(path_or_document)
    log = ImportLog(source)
    _check_openapi_version(root, log)
    reader = _OperationReader(root, log)
    document = reader.read(operation)
    validate_contract_document(document, source)
    logger.info("imported %s from %s with %d warnings", operation, source, len(log.warnings))
    return ImportResult(document, list(log.warnings), source)


def _check_openapi_version(root: Any, log: ImportLog) -> None:
    if not isinstance(root, dict):
        raise log.fail(
            (), "document is not a mapping", type(root).__name__, "Give an OpenAPI 3.0 document."
        )
    version = root.get("openapi")
    if not isinstance(version, str):
        found = root.get("swagger", version)
        raise log.fail(
            ("openapi",),
            "not an OpenAPI 3 document",
            found,
            "Give an OpenAPI 3.0 document; convert Swagger 2.0 documents to OpenAPI 3.0 first.",
        )
    if not version.startswith("3.0"):
        log.warn(("openapi",), f"OpenAPI {version} is read with the rules of OpenAPI 3.0")


def parse_operation(operation: str, log: ImportLog) -> tuple[str, str]:
    """Split "POST /path" into ("post", "/path"), raising ContractFileError for other forms."""
    parts = operation.split()
    if len(parts) != 2 or parts[0].lower() not in HTTP_METHODS or not parts[1].startswith("/"):
        raise log.fail(
            ("paths",),
            "operation is not of the form 'METHOD /path'",
            operation,
            f"Write it like {DEFAULT_OPERATION!r}.",
        )
    return parts[0].lower(), parts[1]


class _OperationReader:
    """Reads one operation of a parsed OpenAPI document into a contract document."""

    def __init__(self, root: dict[str, Any], log: ImportLog) -> None:
        self.root = root
        self.log = log
        self.resolver = RefResolver(root, log)
        self.converter = SchemaConverter(self.resolver, log)

    def read(self, operation: str) -> dict[str, Any]:
        method, path = parse_operation(operation, self.log)
        op, op_path, path_item = self._find_operation(method, path, operation)
        request_schema, request_entry = self._read_request(op, op_path, path_item, op_path[:-1])
        accepted = self._accepted_versions(request_schema, op_path)
        responses, problems = self._read_responses(op, op_path)
        return {
            "documentFormat": DOCUMENT_FORMAT,
            "version": accepted[-1],
            "acceptedVersions": accepted,
            "operation": f"{method.upper()} {path}",
            "request": request_entry,
            "responses": responses,
            "problems": problems,
            "stages": read_allowed_stages(op, op_path, request_schema, self.log),
        }

    def _find_operation(
        self, method: str, path: str, operation: str
    ) -> tuple[dict[str, Any], JsonPath, dict[str, Any]]:
        paths = self.root.get("paths")
        if not isinstance(paths, dict):
            raise self.log.fail(
                ("paths",), "document has no paths", paths, "Add the operation under paths."
            )
        path_item, item_path, _ = self.resolver.follow(paths.get(path), ("paths", path))
        op = path_item.get(method) if isinstance(path_item, dict) else None
        if not isinstance(op, dict):
            raise self.log.fail(
                ("paths",),
                "operation not found",
                operation,
                self._operations_hint(paths, operation),
            )
        return op, item_path + (method,), path_item

    def _operations_hint(self, paths: dict[str, Any], operation: str) -> str:
        found = [
            f"{method.upper()} {path}"
            for path, item in paths.items()
            if isinstance(item, dict)
            for method in HTTP_METHODS
            if isinstance(item.get(method), dict)
        ]
        if not found:
            return "The document has no operations."
        close = difflib.get_close_matches(operation, found, n=3, cutoff=0.6)
        hint = f"Did you mean {', '.join(close)}? " if close else ""
        listed = ", ".join(found[:_LISTED_OPERATIONS])
        more = (
            f" and {len(found) - _LISTED_OPERATIONS} more"
            if len(found) > _LISTED_OPERATIONS
            else ""
        )
        return f"{hint}Operations found: {listed}{more}."

    def _read_request(
        self, op: dict[str, Any], op_path: JsonPath, path_item: dict[str, Any], item_path: JsonPath
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        body, body_path, _ = self.resolver.follow(op.get("requestBody"), op_path + ("requestBody",))
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            raise self.log.fail(
                op_path + ("requestBody",),
                "operation has no request body content",
                body,
                "Add requestBody.content with the request media type and its schema.",
            )
        media_type = _pick_media_type(content, (facts.REQUEST_MEDIA_TYPE, facts.JSON_MEDIA_TYPE))
        schema = self._body_schema(content, media_type, body_path + ("content",), "request")
        parameters = [
            (item_path + ("parameters", i), p)
            for i, p in enumerate(path_item.get("parameters", []))
        ]
        parameters += [
            (op_path + ("parameters", i), p) for i, p in enumerate(op.get("parameters", []))
        ]
        headers = self._security_headers(op, op_path) | self._header_parameters(parameters)
        if body.get("required") is True:
            headers.add("content-type")
        schema = _with_draft(schema)
        return schema, message_entry(list(content), headers, schema)

    def _body_schema(
        self, content: dict[str, Any], chosen: str, content_path: JsonPath, context: Any
    ) -> dict[str, Any]:
        schemas = {}
        for media_type, media in content.items():
            media_path = content_path + (media_type,)
            if not isinstance(media, dict) or "schema" not in media:
                self.log.warn(media_path, "media type without a schema; the body is not checked")
                schemas[media_type] = {}
                continue
            schemas[media_type] = self.converter.convert(
                media["schema"], media_path + ("schema",), context
            )
        for media_type, schema in schemas.items():
            if schema != schemas[chosen]:
                self.log.warn(
                    content_path + (media_type,),
                    f"schema differs from the one of {chosen}; the contract keeps {chosen}'s",
                )
        return schemas[chosen]

    def _header_parameters(self, parameters: list[tuple[JsonPath, Any]]) -> set[str]:
        headers = set()
        for path, parameter in parameters:
            target, _, _ = self.resolver.follow(parameter, path)
            if (
                isinstance(target, dict)
                and target.get("in") == "header"
                and target.get("required") is True
            ):
                headers.add(str(target.get("name", "")).lower())
        return headers

    def _security_headers(self, op: dict[str, Any], op_path: JsonPath) -> set[str]:
        requirements = op.get("security", self.root.get("security", []))
        security_path = op_path + ("security",) if "security" in op else ("security",)
        if not isinstance(requirements, list) or not all(isinstance(r, dict) for r in requirements):
            raise self.log.fail(
                security_path,
                "security is not a list of Security Requirement Objects",
                requirements,
                "Write it like [{BearerAuth: []}].",
            )
        if not requirements or any(not requirement for requirement in requirements):
            return set()
        schemes = self.root.get("components", {}).get("securitySchemes", {})
        alternatives = []
        for requirement in requirements:
            needed = set()
            for name in requirement:
                scheme, _, _ = self.resolver.follow(
                    schemes.get(name), ("components", "securitySchemes", name)
                )
                needed |= _scheme_headers(scheme)
            alternatives.append(needed)
        # A header is required only when every alternative needs it.
        return set.intersection(*alternatives)

    def _read_responses(
        self, op: dict[str, Any], op_path: JsonPath
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        responses_path = op_path + ("responses",)
        responses = op.get("responses")
        if not isinstance(responses, dict) or not responses:
            raise self.log.fail(
                responses_path, "operation has no responses", responses, "Document the responses."
            )
        collector = ProblemCollector(self.resolver, self.log)
        entries: dict[str, Any] = {}
        for key, value in responses.items():
            status_text = str(key)
            if not (status_text.isdigit() and len(status_text) == 3):
                self.log.warn(
                    responses_path + (status_text,), "only explicit status codes are read; skipped"
                )
                continue
            response, response_path, _ = self.resolver.follow(
                value, responses_path + (status_text,)
            )
            entries[status_text] = self._read_response(
                response, response_path, int(status_text), collector
            )
        return dict(sorted(entries.items())), collector.problems()

    def _read_response(
        self, response: Any, path: JsonPath, status: int, collector: ProblemCollector
    ) -> dict[str, Any]:
        if not isinstance(response, dict):
            raise self.log.fail(
                path, "response is not a mapping", response, "Write a Response Object."
            )
        content = response.get("content") or {}
        headers = self._response_headers(response, path)
        if not content:
            return message_entry([], headers, {})
        headers.append("content-type")
        preferred = (
            (facts.PROBLEM_MEDIA_TYPE,)
            if status >= 400
            else (facts.JSON_MEDIA_TYPE, facts.REQUEST_MEDIA_TYPE)
        )
        media_type = _pick_media_type(content, preferred)
        content_path = path + ("content",)
        schema = self._body_schema(content, media_type, content_path, "response")
        if status >= 400:
            collector.add_from_schema(schema, status, content_path + (media_type, "schema"))
            for other_type, media in content.items():
                if isinstance(media, dict):
                    collector.add_from_examples(media, status, content_path + (other_type,))
            schema = generic_problem_schema(schema, content_path + (media_type, "schema"), self.log)
        return message_entry(list(content), headers, _with_draft(schema))

    def _response_headers(self, response: dict[str, Any], path: JsonPath) -> list[str]:
        headers = []
        for name, header in (response.get("headers") or {}).items():
            target, _, _ = self.resolver.follow(header, path + ("headers", name))
            if isinstance(target, dict) and target.get("required") is True:
                headers.append(name.lower())
        return headers

    def _accepted_versions(self, request_schema: Any, op_path: JsonPath) -> list[str]:
        properties = (
            request_schema.get("properties", {}) if isinstance(request_schema, dict) else {}
        )
        version_schema = properties.get("version", {})
        versions = version_schema.get("enum") if isinstance(version_schema, dict) else None
        if not versions or not all(isinstance(v, str) for v in versions):
            raise self.log.fail(
                op_path + ("requestBody",),
                "the request schema has no version enum of strings",
                versions,
                "Give the request body a property version with an enum of quoted versions, "
                "such as enum: ['1.0', '1.1'].",
            )
        try:
            return sorted_versions(versions)
        except ValueError:
            raise self.log.fail(
                op_path + ("requestBody",),
                "a request version is not of the form MAJOR.MINOR",
                versions,
                "Use versions such as '1.3'.",
            ) from None


def _with_draft(schema: Any) -> Any:
    """Mark a converted body schema as JSON Schema draft 7, as the built-in schemas are."""
    if isinstance(schema, dict):
        return {"$schema": DRAFT, **schema}
    return schema


def _pick_media_type(content: dict[str, Any], preferred: tuple[str, ...]) -> str:
    for media_type in preferred:
        if media_type in content:
            return media_type
    json_types = [media_type for media_type in content if "json" in media_type]
    return json_types[0] if json_types else next(iter(content))


def _scheme_headers(scheme: Any) -> set[str]:
    """Return the request headers that one security scheme needs."""
    if not isinstance(scheme, dict):
        return set()
    kind = scheme.get("type")
    if kind in ("http", "oauth2", "openIdConnect"):
        return {"authorization"}
    if kind == "apiKey" and scheme.get("in") == "header":
        return {str(scheme.get("name", "")).lower()}
    return set()
