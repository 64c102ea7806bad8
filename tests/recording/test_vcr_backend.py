"""The vcrpy side of recording: indexed lookups, the persister, patching and locking."""

from __future__ import annotations

import http.client
import threading

import pytest

import harness.recording.vcr_backend as backend
from .conftest import SECRETS
from harness.recording import CassetteError, CassetteWriteError, open_cassette, read_interactions
from harness.recording.scrub import Scrubber


def count_calls(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_new_episodes_lookup_uses_index_not_matchers(server, tmp_path, monkeypatch):
    path = tmp_path / "c.yaml"
    count = 60
    requests_ = [server.request("GET", f"/item/{i}") for i in range(count)]
    with open_cassette(path, "once", SECRETS) as session:
        for request in requests_:
            session.send(request)

    matcher_calls = count_calls(monkeypatch, backend, "match_requests")
    key_calls = count_calls(monkeypatch, backend, "vcr_request_key")
    with open_cassette(path, "new_episodes", SECRETS) as session:
        exchanges = [session.send(request) for request in reversed(requests_)]

    assert all(exchange.replayed for exchange in exchanges)
    assert matcher_calls == []
    # Loading keys each recorded request once; each request sent is keyed a few times
    # (vcrpy calls can_play_response_for and play_response), never once per recorded one.
    assert len(key_calls) <= count + 5 * count


def test_http_client_unpatched_after_session(server, tmp_path):
    original = http.client.HTTPConnection
    with open_cassette(tmp_path / "c.yaml", "once", SECRETS) as session:
        session.send(server.request("GET", "/a"))
        assert http.client.HTTPConnection is not original
    assert http.client.HTTPConnection is original


def test_write_failure_raised_after_unpatching(server, tmp_path, monkeypatch):
    original = http.client.HTTPConnection

    def failing_write(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backend, "write_atomically", failing_write)
    path = tmp_path / "c.yaml"
    with pytest.raises(CassetteWriteError) as caught:
        with open_cassette(path, "once", SECRETS) as session:
            session.send(server.request("GET", "/a"))
    message = str(caught.value)
    assert str(path) in message
    assert "No space left on device" in message
    assert http.client.HTTPConnection is original
    assert not path.exists()


def test_second_recording_session_in_process_rejected(server, tmp_path):
    with open_cassette(tmp_path / "a.yaml", "once", SECRETS) as session:
        with pytest.raises(CassetteError, match="another cassette is recording in this process"):
            with open_cassette(tmp_path / "b.yaml", "once", SECRETS):
                pass
        session.send(server.request("GET", "/a"))
    assert len(read_interactions(tmp_path / "a.yaml")) == 1
    assert not (tmp_path / "b.yaml").exists()


def test_replay_sessions_run_in_threads(server, tmp_path):
    path = tmp_path / "c.yaml"
    requests_ = [server.request("GET", f"/t/{i}") for i in range(5)]
    with open_cassette(path, "once", SECRETS) as session:
        expected = [session.send(request).response for request in requests_]
    results, errors = {}, []

    def replay_all(worker):
        try:
            with open_cassette(path, "none", SECRETS) as replaying:
                results[worker] = [replaying.send(request).response for request in requests_]
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=replay_all, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(result == expected for result in results.values())


def test_persister_reports_missing_file_to_vcrpy(tmp_path):
    from vcr.persisters.filesystem import CassetteNotFoundError

    persister = backend.AtomicPersister(Scrubber(SECRETS))
    with pytest.raises(CassetteNotFoundError):
        persister.load_cassette(str(tmp_path / "absent.yaml"), serializer=None)


def test_redirect_recorded_not_followed(server, tmp_path):
    path = tmp_path / "c.yaml"
    received = len(server.state.received)
    with open_cassette(path, "once", SECRETS) as session:
        exchange = session.send(server.request("GET", "/redirect"))
    assert len(server.state.received) == received + 1
    assert exchange.response.status == 302
    assert exchange.response.headers.get_ci("Location") == "/plain"


def test_cookies_not_sent_back(server, tmp_path):
    with open_cassette(tmp_path / "c.yaml", "once", SECRETS) as session:
        session.send(server.request("GET", "/cookie"))
        session.send(server.request("GET", "/after"))
    assert "Cookie" not in server.state.received[-1].headers
