"""Scrubbing of tokens and secrets in headers, query parameters and bodies."""

from __future__ import annotations

import json

import pytest

from harness.exchange import Headers, HttpRequest
from harness.recording.scrub import REDACTED, ScrubConfig, Scrubber

OWNER = "owner-token-5b1d9c0e7a2f4e61"
SECRETS = {OWNER: "tokens.owner"}


@pytest.fixture
def scrubber():
    return Scrubber(SECRETS)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("Authorization", f"Bearer {OWNER}", "Bearer <tokens.owner>"),
        ("authorization", "Bearer unknown-token-abcdef", f"Bearer {REDACTED}"),
        ("Authorization", "Bearer <tokens.owner>", "Bearer <tokens.owner>"),
        ("Authorization", "Basic dXNlcjpwYXNz", f"Basic {REDACTED}"),
        ("Authorization", "lonetoken", REDACTED),
        ("Authorization", "Bearer", "Bearer"),
        ("Authorization", "Bearer   ", "Bearer"),
        ("Authorization", "", ""),
        ("Authorization", OWNER, "<tokens.owner>"),
        ("Cookie", "", ""),
        ("Proxy-Authorization", "Bearer xyz", f"Bearer {REDACTED}"),
        ("Cookie", "session=abc", REDACTED),
        ("Set-Cookie", "session=abc; Path=/", REDACTED),
        ("X-Api-Key", OWNER, "<tokens.owner>"),
        ("Content-Type", "application/json", "application/json"),
        ("X-Trace", f"trace {OWNER}", "trace <tokens.owner>"),
    ],
    ids=[
        "known-bearer", "unknown-bearer", "placeholder-kept", "basic", "no-scheme",
        "scheme-only", "scheme-and-spaces", "empty", "known-token-no-scheme", "empty-cookie", "proxy",
        "cookie", "set-cookie", "api-key-known", "ordinary-header", "secret-inside-other-header",
    ],
)
def test_header_value_scrubbed(scrubber, name, value, expected):
    assert scrubber.header_value(name, value) == expected


def test_authorization_scrubbed_even_if_not_configured():
    scrubber = Scrubber(SECRETS, ScrubConfig(headers=["x-custom"]))
    assert scrubber.header_value("Authorization", "Bearer raw") == f"Bearer {REDACTED}"
    assert scrubber.header_value("X-Custom", "value") == REDACTED
    assert scrubber.header_value("Cookie", "a=b") == "a=b"


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("http://h/p?token=abc&x=1", "http://h/p?token=%3Credacted%3E&x=1"),
        ("http://h/p?x=1&ACCESS_TOKEN=abc", "http://h/p?x=1&ACCESS_TOKEN=%3Credacted%3E"),
        (f"http://h/p?password={OWNER}", "http://h/p?password=%3Ctokens.owner%3E"),
        ("http://h/p?x=a%20b&limit=", "http://h/p?x=a%20b&limit="),
        (f"http://h/{OWNER}/p", "http://h/<tokens.owner>/p"),
        ("http://h/p?token=%3Credacted%3E", "http://h/p?token=%3Credacted%3E"),
        ("http://h/p?token=abc#frag", "http://h/p?token=%3Credacted%3E#frag"),
    ],
    ids=["token", "name-case", "known-secret", "others-untouched", "secret-in-path", "idempotent", "fragment"],
)
def test_uri_scrubbed(scrubber, uri, expected):
    assert scrubber.uri(uri) == expected


def test_json_fields_scrubbed_at_any_depth(scrubber):
    body = json.dumps({"name": "h", "auth": {"password": "p4ss", "items": [{"Token": 7}]}, "secret": ""}).encode()
    scrubbed = json.loads(scrubber.body(body, "application/astra-executionHook+json"))
    assert scrubbed["auth"]["password"] == REDACTED
    assert scrubbed["auth"]["items"][0]["Token"] == REDACTED
    assert scrubbed["name"] == "h"
    assert scrubbed["secret"] == ""


def test_json_body_unchanged_bytes_when_nothing_scrubbed(scrubber):
    body = b'{ "name" : "kept as sent" }'
    assert scrubber.body(body, "application/json") == body


def test_invalid_json_kept(scrubber):
    body = b'{"password": "p'
    assert scrubber.body(body, "application/json") == body


def test_secret_replaced_in_non_json_body(scrubber):
    assert scrubber.body(f"token is {OWNER}".encode(), "text/plain") == b"token is <tokens.owner>"


def test_form_body_fields_scrubbed(scrubber):
    body = b"user=bob&password=hunter22"
    assert scrubber.body(body, "application/x-www-form-urlencoded") == b"user=bob&password=%3Credacted%3E"


def test_scrub_is_idempotent(scrubber):
    request = HttpRequest(
        "POST",
        f"http://h/p?token=abc&q={OWNER}",
        Headers({"Authorization": f"Bearer {OWNER}", "Content-Type": "application/json", "Cookie": "a=b"}),
        json.dumps({"password": "x", "nested": {"access_token": OWNER}}).encode(),
    )
    once = scrubber.request(request)
    twice = scrubber.request(once)
    assert once == twice
    assert OWNER not in once.url
    assert OWNER.encode() not in once.body


def test_short_secret_replaced_only_as_credential():
    scrubber = Scrubber({"abc": "tokens.short"})
    assert scrubber.header_value("Authorization", "Bearer abc") == "Bearer <tokens.short>"
    assert scrubber.text("abcdef") == "abcdef"


def test_longer_secret_replaced_first():
    scrubber = Scrubber({"secret-value-1": "one", "secret-value-1-extended": "two"})
    assert scrubber.text("x secret-value-1-extended y") == "x <two> y"


@pytest.mark.parametrize(
    ("secrets", "message"),
    [
        ({"": "tokens.x"}, "non-empty string"),
        ({"value-long-enough": "bad name"}, "invalid placeholder name"),
        ({"value-long-enough": ""}, "invalid placeholder name"),
    ],
    ids=["empty-secret", "space-in-name", "empty-name"],
)
def test_invalid_secrets_rejected(secrets, message):
    with pytest.raises(ValueError, match=message):
        Scrubber(secrets)


@pytest.mark.parametrize(
    "kwargs",
    [{"headers": "authorization"}, {"body_fields": [""]}, {"query_parameters": [None]}],
    ids=["string-not-collection", "empty-name", "none-name"],
)
def test_invalid_scrub_config_rejected(kwargs):
    with pytest.raises(ValueError, match="ScrubConfig"):
        ScrubConfig(**kwargs)


def test_scrub_config_lowercases_names():
    config = ScrubConfig(headers=["X-Secret"], body_fields=["PassWord"])
    assert "x-secret" in config.headers
    assert "authorization" in config.headers
    assert config.body_fields == frozenset({"password"})
