"""open_cassette end to end: record against a real server on 127.0.0.1, then replay."""

from __future__ import annotations

import gzip
import json
import logging

import pytest

from .conftest import HOOK_MEDIA_TYPE, HOOKS_PATH, OWNER_TOKEN, SECRETS, VIEWER_TOKEN
from harness.recording import (
    CassetteCorruptError,
    CassetteMissingError,
    InteractionsExhaustedError,
    RecordMode,
    ReplayMissError,
    ScrubConfig,
    cassette_path,
    open_cassette,
    read_interactions,
)
from harness.recording.cassette_file import dump_interactions

REPLAY_BASE = "http://127.0.0.1:9"


def record(path, requests_, mode="once", secrets=SECRETS):
    with open_cassette(path, mode, secrets) as session:
        return [session.send(request) for request in requests_], session


def replay(path, requests_, mode="none", secrets=SECRETS):
    with open_cassette(path, mode, secrets) as session:
        return [session.send(request) for request in requests_], session


def moved(request, base=REPLAY_BASE):
    """The same request aimed at another host and port."""
    path = request.url.split("/", 3)[3]
    return type(request)(request.method, f"{base}/{path}", request.headers, request.body)


def test_record_then_replay_returns_equal_exchanges(server, tmp_path):
    path = cassette_path(tmp_path, "create/owner")
    requests_ = [server.create_hook({"name": "a"}), server.request("GET", "/things?x=1")]
    recorded, recording = record(path, requests_)
    received = len(server.state.received)

    replayed, replaying = replay(path, [moved(request) for request in requests_])

    assert [exchange.response for exchange in replayed] == [exchange.response for exchange in recorded]
    assert [exchange.replayed for exchange in recorded] == [False, False]
    assert [exchange.replayed for exchange in replayed] == [True, True]
    assert len(server.state.received) == received
    assert recording.recorded_count == 2
    assert replaying.interactions_played == 2
    assert replaying.recorded_count == 0
    assert replaying.interactions_unused == 0


def test_cassette_keeps_setup_then_request_order(server, tmp_path):
    path = tmp_path / "c.yaml"
    requests_ = [server.request("GET", f"/setup/{i}") for i in range(3)] + [server.create_hook({"name": "x"})]
    record(path, requests_)
    stored = read_interactions(path)
    assert [exchange.request.method for exchange in stored] == ["GET", "GET", "GET", "POST"]
    assert [exchange.request.url.split("/", 3)[3] for exchange in stored] == [
        "setup/0", "setup/1", "setup/2", HOOKS_PATH.lstrip("/"),
    ]


def test_missing_cassette_in_replay_only_mode(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(CassetteMissingError) as caught:
        with open_cassette(path, RecordMode.NONE, SECRETS):
            pass
    message = str(caught.value)
    assert str(path) in message
    assert "hook-harness run --record-mode once" in message
    assert "pytest --record-mode=once" in message
    assert not path.exists()


def test_once_replays_existing_cassette_without_recording(server, tmp_path):
    path = tmp_path / "c.yaml"
    record(path, [server.request("GET", "/a")])
    before = path.read_bytes()
    with pytest.raises(ReplayMissError) as caught:
        replay(path, [server.request("GET", "/a"), server.request("GET", "/b")], mode="once")
    assert "record mode 'once'" in str(caught.value)
    assert path.read_bytes() == before


def test_identical_requests_replay_in_recorded_order(server, tmp_path):
    path = tmp_path / "dup.yaml"
    create = server.create_hook({"name": "twice"})
    recorded, _ = record(path, [create, create])
    assert [exchange.response.status for exchange in recorded] == [201, 409]

    with open_cassette(path, "none", SECRETS) as session:
        assert session.send(create).response.status == 201
        assert session.send(create).response.status == 409
        with pytest.raises(InteractionsExhaustedError) as caught:
            session.send(create)
    message = str(caught.value)
    assert "recorded interactions exhausted" in message
    assert str(path) in message
    assert f"POST {HOOKS_PATH}" in message


def test_each_session_replays_from_the_start(server, tmp_path):
    path = tmp_path / "dup.yaml"
    create = server.create_hook({"name": "twice"})
    record(path, [create, create])
    for _ in range(2):
        replayed, _ = replay(path, [create, create])
        assert [exchange.response.status for exchange in replayed] == [201, 409]


def test_viewer_request_skips_owner_response(server, tmp_path):
    path = tmp_path / "c.yaml"
    record(path, [server.create_hook({"name": "a"})])
    with pytest.raises(ReplayMissError) as caught:
        replay(path, [server.create_hook({"name": "a"}, token=VIEWER_TOKEN)])
    message = str(caught.value)
    assert "Authorization: recorded 'Bearer <tokens.owner>', sent 'Bearer <tokens.viewer>'" in message
    assert VIEWER_TOKEN not in message


def test_unknown_token_replays_as_redacted(server, tmp_path):
    path = tmp_path / "c.yaml"
    record(path, [server.request("GET", "/a", token="some-unlisted-token-123456")])
    assert "Bearer <redacted>" in path.read_text(encoding="utf-8")
    replayed, _ = replay(path, [server.request("GET", "/a", token="another-unlisted-token-987")])
    assert replayed[0].response.status == 200


def test_json_body_key_order_ignored_on_replay(server, tmp_path):
    path = tmp_path / "c.yaml"
    record(path, [server.create_hook({"name": "a", "stage": "pre", "enabled": "true"})])
    reordered = server.create_hook({"enabled": "true", "stage": "pre", "name": "a"})
    replayed, _ = replay(path, [reordered])
    assert replayed[0].response.status == 201


def test_json_types_significant_on_replay(server, tmp_path):
    path = tmp_path / "c.yaml"
    record(path, [server.create_hook({"name": "a", "enabled": "true"})])
    with pytest.raises(ReplayMissError) as caught:
        replay(path, [server.create_hook({"name": "a", "enabled": True})])
    assert "body root['enabled']: recorded 'true', sent True" in str(caught.value)


def test_replay_miss_message_shows_differences(server, tmp_path):
    path = tmp_path / "c.yaml"
    record(path, [server.create_hook({"name": "a", "stage": "pre"}), server.request("GET", "/other")])
    changed = server.request(
        "PUT", HOOKS_PATH + "?limit=5", body=b'{"name": "b", "stage": "pre"}',
        headers={"Content-Type": HOOK_MEDIA_TYPE},
    )
    with pytest.raises(ReplayMissError) as caught:
        replay(path, [changed])
    message = str(caught.value)
    assert str(path) in message
    assert "record mode 'none'" in message
    assert f"PUT {HOOKS_PATH}?limit=5" in message
    assert "interaction 0:" in message
    assert "method: recorded POST, sent PUT" in message
    assert "query: recorded '', sent 'limit=5'" in message
    assert "body root['name']: recorded 'a', sent 'b'" in message
    assert "--record-mode new_episodes" in message
    assert OWNER_TOKEN not in message


def test_content_type_part_of_match(server, tmp_path):
    path = tmp_path / "c.yaml"
    record(path, [server.create_hook({"name": "a"})])
    plain = server.request("POST", HOOKS_PATH, body=b'{"name": "a"}', headers={"Content-Type": "text/plain"})
    with pytest.raises(ReplayMissError, match="Content-Type"):
        replay(path, [plain])


def test_new_episodes_replays_known_and_records_new(server, tmp_path):
    path = tmp_path / "c.yaml"
    first = server.request("GET", "/a")
    record(path, [first])
    received = len(server.state.received)

    exchanges, session = record(path, [first, server.request("GET", "/b")], mode="new_episodes")

    assert [exchange.replayed for exchange in exchanges] == [True, False]
    assert len(server.state.received) == received + 1
    assert session.interactions_played == 1
    assert session.recorded_count == 1
    assert [exchange.request.url.rsplit("/", 1)[1] for exchange in read_interactions(path)] == ["a", "b"]


def test_new_episodes_never_repeats_response(server, tmp_path):
    path = tmp_path / "c.yaml"
    create = server.create_hook({"name": "n"})
    record(path, [create])
    exchanges, _ = record(path, [create, create, create], mode="new_episodes")
    assert [exchange.replayed for exchange in exchanges] == [True, False, False]
    assert [exchange.response.status for exchange in exchanges] == [201, 409, 409]
    assert len(read_interactions(path)) == 3


def test_all_rerecords_everything(server, tmp_path):
    path = tmp_path / "c.yaml"
    first, _ = record(path, [server.request("GET", "/a"), server.request("GET", "/old")])
    received = len(server.state.received)

    exchanges, session = record(path, [server.request("GET", "/a")], mode="all")

    assert exchanges[0].replayed is False
    assert len(server.state.received) == received + 1
    stored = read_interactions(path)
    assert [exchange.request.url.rsplit("/", 1)[1] for exchange in stored] == ["a"]
    assert json.loads(stored[0].response.body)["serial"] > json.loads(first[1].response.body)["serial"]


SECRET_STRINGS = (OWNER_TOKEN, "abc-query-token", "cookie-secret-9f8e7d", "issued-access-token-0a1b2c3d4e", "p4ssw0rd")


def secret_requests(server):
    return [
        server.request("GET", "/echo-authorization?token=abc-query-token"),
        server.request("GET", "/cookie", headers={"Cookie": "session=cookie-secret-9f8e7d"}),
        server.request(
            "POST", "/login", body=b'{"user": "u", "password": "p4ssw0rd"}',
            headers={"Content-Type": "application/json"},
        ),
    ]


def assert_scrubbed(path):
    text = path.read_text(encoding="utf-8")
    for secret in SECRET_STRINGS:
        assert secret not in text, secret
    assert "Bearer <tokens.owner>" in text
    assert "token=%3Credacted%3E" in text


@pytest.mark.parametrize("mode", ["once", "new_episodes", "all"], ids=["first-record", "new-episodes", "all"])
def test_scrubbed_on_first_save(server, tmp_path, mode):
    path = tmp_path / "c.yaml"
    record(path, secret_requests(server), mode=mode)
    assert_scrubbed(path)


def test_scrubbed_on_append_and_rewrite(server, tmp_path):
    path = tmp_path / "c.yaml"
    requests_ = secret_requests(server)
    record(path, requests_[:1])
    record(path, requests_, mode="new_episodes")
    assert_scrubbed(path)
    assert len(read_interactions(path)) == 3
    record(path, requests_, mode="all")
    assert_scrubbed(path)


def test_unscrubbed_old_interactions_scrubbed_on_rewrite(server, tmp_path):
    path = tmp_path / "c.yaml"
    request = {
        "method": "GET", "uri": "http://127.0.0.1:1/a", "body": None,
        "headers": {"Authorization": [f"Bearer {OWNER_TOKEN}"]},
    }
    response = {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": b"ok"}}
    path.write_bytes(dump_interactions([(request, response)]))
    exchanges, _ = record(path, [server.request("GET", "/a"), server.request("GET", "/b")], mode="new_episodes")
    assert exchanges[0].replayed is True
    assert OWNER_TOKEN not in path.read_text(encoding="utf-8")


def test_scrub_config_applies(server, tmp_path):
    path = tmp_path / "c.yaml"
    config = ScrubConfig(headers=["x-tenant"], body_fields=["name"])
    with open_cassette(path, "once", SECRETS, scrub=config) as session:
        session.send(server.request(
            "POST", "/x", body=b'{"name": "tenant-secret"}',
            headers={"X-Tenant": "tenant-secret", "Content-Type": "application/json"},
        ))
    text = path.read_text(encoding="utf-8")
    assert "tenant-secret" not in text.split("response:")[0]
    assert "X-Tenant:\n      - <redacted>" in text


def test_exchange_request_is_scrubbed(server, tmp_path):
    path = tmp_path / "c.yaml"
    request = server.request("GET", "/a?token=abc-query-token")
    recorded, _ = record(path, [request])
    replayed, _ = replay(path, [request])
    for exchange in recorded + replayed:
        assert exchange.request.headers["Authorization"] == "Bearer <tokens.owner>"
        assert "abc-query-token" not in exchange.request.url
    assert request.headers["Authorization"] == f"Bearer {OWNER_TOKEN}"


@pytest.mark.parametrize("mode", ["once", "new_episodes", "none"], ids=["once", "new-episodes", "none"])
def test_corrupt_cassette_not_overwritten(server, tmp_path, mode):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"interactions:\n- request: {method: GET")
    with pytest.raises(CassetteCorruptError) as caught:
        record(path, [server.request("GET", "/a")], mode=mode)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == b"interactions:\n- request: {method: GET"
    assert server.state.received == []


def test_empty_cassette_is_corrupt_not_missing(server, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"")
    with pytest.raises(CassetteCorruptError, match="empty"):
        record(path, [server.request("GET", "/a")], mode="once")
    assert path.read_bytes() == b""


def test_corrupt_cassette_overwritten_in_all_mode(server, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"\xff\xfe not yaml")
    record(path, [server.request("GET", "/a")], mode="all")
    assert len(read_interactions(path)) == 1


def test_exception_in_block_saves_nothing(server, tmp_path):
    path = tmp_path / "c.yaml"
    with pytest.raises(RuntimeError):
        with open_cassette(path, "once", SECRETS) as session:
            session.send(server.request("GET", "/a"))
            raise RuntimeError("scenario failed")
    assert not path.exists()


def test_recording_sessions_can_follow_each_other(server, tmp_path):
    for name in ("a", "b"):
        record(tmp_path / f"{name}.yaml", [server.request("GET", f"/{name}")])
    assert len(read_interactions(tmp_path / "b.yaml")) == 1


def test_gzip_response_recorded_decoded(server, tmp_path):
    path = tmp_path / "c.yaml"
    recorded, _ = record(path, [server.request("GET", "/gzip")])
    replayed, _ = replay(path, [server.request("GET", "/gzip")])
    for exchange in recorded + replayed:
        document = json.loads(exchange.response.body)
        assert document["text"].startswith("gzip ünïcode")
        assert exchange.response.headers.get_ci("Content-Encoding") is None
        assert exchange.response.headers.get_ci("Content-Length") == str(len(exchange.response.body))


def test_gzip_bytes_in_cassette_replayed_decoded(tmp_path):
    path = tmp_path / "c.yaml"
    payload = json.dumps({"name": "zipped"}).encode()
    request = {"method": "GET", "uri": "http://127.0.0.1:1/z", "body": None, "headers": {}}
    response = {
        "status": {"code": 200, "message": "OK"},
        "headers": {"Content-Encoding": ["gzip"], "Content-Length": ["999"]},
        "body": {"string": gzip.compress(payload)},
    }
    path.write_bytes(dump_interactions([(request, response)]))
    from harness.exchange import HttpRequest

    with open_cassette(path, "none", {}) as session:
        exchange = session.send(HttpRequest("GET", "http://127.0.0.1:2/z"))
    assert exchange.response.body == payload
    assert exchange.response.headers.get_ci("Content-Length") == str(len(payload))


def test_non_ascii_bodies_round_trip(server, tmp_path):
    path = tmp_path / "c.yaml"
    body = json.dumps({"name": "crochet-ü-日本-✓"}, ensure_ascii=False).encode("utf-8")
    request = server.request("POST", "/echo", body=body, headers={"Content-Type": "application/json; charset=utf-8"})
    recorded, _ = record(path, [request])
    replayed, _ = replay(path, [request])
    assert replayed[0].response == recorded[0].response
    assert "crochet-ü-日本-✓" in json.loads(replayed[0].response.body)["body"]
    assert "日本" in path.read_bytes().decode("utf-8")


def test_plain_vcrpy_replays_cassette(server, tmp_path):
    import requests
    import vcr

    path = tmp_path / "c.yaml"
    record(path, [server.create_hook({"name": "a"}), server.request("GET", "/gzip")])
    with vcr.use_cassette(str(path), record_mode="none", match_on=["method", "path", "query"]):
        created = requests.post(REPLAY_BASE + HOOKS_PATH, data=b"{}")
        zipped = requests.get(REPLAY_BASE + "/gzip")
    assert created.status_code == 201
    assert json.loads(zipped.content)["text"].startswith("gzip")


def test_one_info_line_per_interaction(server, tmp_path, caplog):
    path = tmp_path / "c.yaml"
    requests_ = [server.create_hook({"name": "a"}), server.request("GET", "/x?token=abc-query-token")]
    with caplog.at_level(logging.INFO, logger="harness.recording"):
        record(path, requests_)
        replay(path, requests_)
    lines = [record.getMessage() for record in caplog.records if record.name.startswith("harness.recording")]
    assert len(lines) == 4
    assert lines[0] == f"POST {HOOKS_PATH} 201 recorded cassette={path}"
    assert lines[3] == f"GET /x?token=%3Credacted%3E 200 replayed cassette={path}"
    all_text = caplog.text
    assert OWNER_TOKEN not in all_text
    assert "abc-query-token" not in all_text


def test_info_logs_contain_no_token(server, tmp_path, caplog):
    requests_ = [server.request("GET", "/cookie?token=abc-query-token"), server.create_hook({"name": "a"})]
    with caplog.at_level(logging.INFO):
        record(tmp_path / "c.yaml", requests_)
        record(tmp_path / "c.yaml", requests_, mode="new_episodes")
    for secret in (OWNER_TOKEN, "abc-query-token", "cookie-secret-9f8e7d", "issued-access-token-0a1b2c3d4e"):
        assert secret not in caplog.text


def test_invalid_mode_rejected(tmp_path):
    with pytest.raises(ValueError, match="new_episodes"):
        open_cassette(tmp_path / "c.yaml", "sometimes", SECRETS)


def test_unused_interactions_counted(server, tmp_path):
    path = tmp_path / "c.yaml"
    record(path, [server.request("GET", "/a"), server.request("GET", "/b")])
    _, session = replay(path, [server.request("GET", "/a")])
    assert session.interactions_unused == 1


def test_client_added_headers_left_out(server, tmp_path):
    path = tmp_path / "c.yaml"
    record(path, [server.request("GET", "/a"), server.request("GET", "/b", headers={"User-Agent": "scenario-agent"})])
    stored = read_interactions(path)
    assert set(stored[0].request.headers) == {"Authorization"}
    assert stored[1].request.headers["User-Agent"] == "scenario-agent"
    assert "python-requests" not in path.read_text(encoding="utf-8")
