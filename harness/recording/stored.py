"""Conversions between stored interactions (vcrpy's dict shapes) and harness exchange values."""

from __future__ import annotations

import zlib
from typing import Any

from harness.exchange import Headers, HttpRequest, HttpResponse
from harness.recording.cassette_file import header_value
from harness.recording.matching import RequestKey, lowercase_headers, request_key
from harness.recording.scrub import Scrubber

# Content-Encodings whose bodies are stored decoded. Recording sends Accept-Encoding with
# only these (brotli and zstandard are optional installs), unless a request sets its own.
_DECODERS = {
    "gzip": lambda body: zlib.decompress(body, zlib.MAX_WBITS | 16),
    "x-gzip": lambda body: zlib.decompress(body, zlib.MAX_WBITS | 16),
    "deflate": lambda body: _inflate(body),
}


def _inflate(body: bytes) -> bytes:
    """Decode "deflate", which servers send as zlib data or, wrongly, as raw deflate."""
    try:
        return zlib.decompress(body)
    except zlib.error:
        return zlib.decompress(body, -zlib.MAX_WBITS)


def decode_content(response: dict[str, Any]) -> dict[str, Any]:
    """Return `response` with a gzip or deflate body decoded, as vcrpy's
    `decode_compressed_response` does: Content-Encoding removed, Content-Length updated.

    A body that does not decompress is taken as decoded already. A body in another encoding
    keeps its header.
    """
    headers = response["headers"]
    encoding_name = next((name for name in headers if name.lower() == "content-encoding"), None)
    if encoding_name is None:
        return response
    codings = [coding.strip().lower() for value in headers[encoding_name] for coding in value.split(",")]
    codings = [coding for coding in codings if coding and coding != "identity"]
    if not codings or not all(coding in _DECODERS for coding in codings):
        # NOTE: br and zstd bodies stay compressed, and replay returns them as stored.
        return response
    body = response["body"]["string"]
    try:
        for coding in reversed(codings):
            body = _DECODERS[coding](body)
    except zlib.error:
        # urllib3 2.x decodes bodies before vcrpy 9.4.2 records them, so a recorded body is
        # usually plain already while its header still names the encoding. vcrpy's own
        # decode_compressed_response assumes the same when decompression fails.
        body = response["body"]["string"]
    new_headers = {name: values for name, values in headers.items() if name != encoding_name}
    _set_content_length(new_headers, body)
    return {**response, "headers": new_headers, "body": {**response["body"], "string": body}}


def flatten_headers(headers: dict[str, list[str]], drop: frozenset[str] = frozenset()) -> Headers:
    """Join each header's values with ", ", leaving out the lowercase names in `drop`."""
    return Headers(
        {name: ", ".join(values) for name, values in headers.items() if name.lower() not in drop}
    )


def to_http_response(response: dict[str, Any]) -> HttpResponse:
    """Build the response a replay returns; Transfer-Encoding goes, as the body is whole."""
    return HttpResponse(
        status=response["status"]["code"],
        headers=flatten_headers(response["headers"], frozenset({"transfer-encoding"})),
        body=response["body"]["string"] or b"",
    )


def to_http_request(request: dict[str, Any]) -> HttpRequest:
    return HttpRequest(
        method=request["method"],
        url=request["uri"],
        headers=flatten_headers(request["headers"]),
        body=request["body"] or b"",
    )


def scrub_request_dict(scrubber: Scrubber, request: dict[str, Any]) -> dict[str, Any]:
    """Return a scrubbed copy of a stored request."""
    content_type = header_value(request["headers"], "Content-Type")
    body = scrubber.body(request["body"], content_type)
    headers = scrubber.header_lists(request["headers"])
    if body != request["body"]:
        _set_content_length(headers, body)
    return {"method": request["method"], "uri": scrubber.uri(request["uri"]), "body": body, "headers": headers}


def scrub_response_dict(scrubber: Scrubber, response: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of a stored response, decoded (gzip, deflate) and scrubbed."""
    response = decode_content(response)
    content_type = header_value(response["headers"], "Content-Type")
    body = scrubber.body(response["body"]["string"], content_type) or b""
    headers = scrubber.header_lists(response["headers"])
    if body != response["body"]["string"]:
        _set_content_length(headers, body)
    return {"status": response["status"], "headers": headers, "body": {"string": body}}


def _set_content_length(headers: dict[str, list[str]], body: bytes | None) -> None:
    """Update an existing Content-Length to the length of a body that scrubbing changed."""
    for name in headers:
        if name.lower() == "content-length":
            headers[name] = [str(len(body or b""))]


def key_of_request_dict(request: dict[str, Any]) -> RequestKey:
    return request_key(request["method"], request["uri"], lowercase_headers(request["headers"]), request["body"])


def key_of_http_request(request: HttpRequest) -> RequestKey:
    return request_key(request.method, request.url, lowercase_headers(request.headers), request.body)
