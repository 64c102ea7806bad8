"""read_interactions and scan_cassettes on real cassette files."""

from __future__ import annotations

import json

import pytest

from .conftest import OWNER_TOKEN, SECRETS
from harness.recording import CassetteCorruptError, CassetteError, ScrubConfig, open_cassette, read_interactions, scan_cassettes
from harness.recording.cassette_file import dump_interactions

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ"


def leaky_cassette(path, *, request_headers=None, uri="http://127.0.0.1:1/a", request_body=None,
                   content_type="application/json", response_body=b"{}", response_headers=None):
    request = {
        "method": "POST",
        "uri": uri,
        "body": request_body,
        "headers": {"Content-Type": [content_type], **(request_headers or {})},
    }
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Content-Type": ["application/json"], **(response_headers or {})},
        "body": {"string": response_body},
    }
    path.write_bytes(dump_interactions([(request, response)]))
    return path


def test_recorded_cassette_is_clean(server, tmp_path):
    path = tmp_path / "c.yaml"
    with open_cassette(path, "once", SECRETS) as session:
        session.send(server.request("GET", "/echo-authorization?token=abc-query-token-123"))
        session.send(server.request("GET", "/cookie", headers={"Cookie": "session=abc"}))
        session.send(server.create_hook({"name": "a", "password": "p4ss"}))
    assert scan_cassettes([tmp_path], secrets=[OWNER_TOKEN]) == []


LEAKS = {
    "authorization": (dict(request_headers={"Authorization": ["Bearer raw-token-0123456789abcdef"]}),
                      "request.headers.Authorization", "header value is not a placeholder"),
    "cookie": (dict(request_headers={"Cookie": ["session=abc"]}), "request.headers.Cookie", "not a placeholder"),
    "set-cookie": (dict(response_headers={"Set-Cookie": ["session=abc"]}), "response.headers.Set-Cookie", "not a placeholder"),
    "bearer-in-body": (dict(response_body=b'{"note": "use Bearer abcdefghijklmnop0123"}'), "response.body", "bearer token"),
    "jwt-in-uri": (dict(uri=f"http://127.0.0.1:1/a?state={JWT}"), "request.uri", "JWT-like string"),
    "query-token": (dict(uri="http://127.0.0.1:1/a?access_token=xyz"), "request.uri query access_token", "query parameter"),
    "json-field": (dict(response_body=b'{"data": [{"refresh_token": "r-1"}]}'), "response.body.data[0].refresh_token", "JSON field"),
    "json-field-any-type": (dict(request_body=b'{"password": 1234}', content_type="text/plain"), "request.body.password", "JSON field"),
    "form-field": (dict(request_body=b"user=a&password=hunter2", content_type="application/x-www-form-urlencoded"),
                   "request.body field password", "form field"),
    "listed-secret": (dict(response_body=f"hello {OWNER_TOKEN}".encode()), "response.body", "listed secret"),
}


@pytest.mark.parametrize("leak", list(LEAKS.values()), ids=list(LEAKS))
def test_leak_found(tmp_path, leak):
    kwargs, location, reason = leak
    path = leaky_cassette(tmp_path / "c.yaml", **kwargs)
    findings = scan_cassettes([path], secrets=[OWNER_TOKEN])
    assert [(finding.location, finding.interaction) for finding in findings] == [(location, 0)]
    assert reason in findings[0].reason
    assert findings[0].path == path


def test_finding_masks_value(tmp_path):
    token = "raw-token-0123456789abcdef"
    path = leaky_cassette(tmp_path / "c.yaml", request_headers={"Authorization": [f"Bearer {token}"]})
    finding = scan_cassettes([path])[0]
    assert token not in str(finding)
    assert f"Bear... ({len('Bearer ' + token)} characters)" in str(finding)
    assert str(path) in str(finding)


def test_placeholders_not_reported(tmp_path):
    path = leaky_cassette(
        tmp_path / "c.yaml",
        request_headers={"Authorization": ["Bearer <tokens.owner>"], "Cookie": ["<redacted>"], "X-Api-Key": [""]},
        uri="http://127.0.0.1:1/a?token=%3Credacted%3E",
        request_body=b'{"password": "<redacted>", "token": null, "secret": ""}',
    )
    assert scan_cassettes([path]) == []


def test_scheme_without_credentials_not_reported(tmp_path):
    path = leaky_cassette(tmp_path / "c.yaml", request_headers={"Authorization": ["Bearer"]})
    assert scan_cassettes([path]) == []


def test_configured_names_scanned(tmp_path):
    path = leaky_cassette(tmp_path / "c.yaml", request_body=b'{"pin": "1234"}', request_headers={"X-Tenant": ["t1"]})
    config = ScrubConfig(headers=["x-tenant"], body_fields=["pin"])
    locations = sorted(finding.location for finding in scan_cassettes([path], config=config))
    assert locations == ["request.body.pin", "request.headers.X-Tenant"]


def test_unreadable_cassette_reported(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"interactions: [")
    findings = scan_cassettes([tmp_path])
    assert len(findings) == 1
    assert findings[0].reason == "cannot be scanned"
    assert findings[0].interaction is None


def test_folder_scan_finds_only_cassettes(tmp_path):
    (tmp_path / ".c.yaml.123.ab.tmp").write_bytes(b"partial")
    (tmp_path / "notes.txt").write_text("Bearer abcdefghijklmnopqrstuvwxyz")
    nested = tmp_path / "sub"
    nested.mkdir()
    leaky_cassette(nested / "c.yml", request_headers={"Cookie": ["a=b"]})
    findings = scan_cassettes([tmp_path])
    assert [finding.path for finding in findings] == [nested / "c.yml"]


def test_read_interactions_in_order(tmp_path):
    path = tmp_path / "c.yaml"
    leaky_cassette(path, request_body=b'{"a": 1}', response_body='{"ü": 1}'.encode())
    exchanges = read_interactions(path)
    assert len(exchanges) == 1
    assert exchanges[0].request.body == b'{"a": 1}'
    assert json.loads(exchanges[0].response.body) == {"ü": 1}
    assert exchanges[0].replayed is True


def test_read_interactions_missing_file(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(CassetteError, match="does not exist"):
        read_interactions(path)


def test_read_interactions_corrupt_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"interactions: []\n")
    with pytest.raises(CassetteCorruptError, match="truncated"):
        read_interactions(path)
