"""Replay-only sessions: lookups through the index, the parsed-cassette cache, isolation."""

from __future__ import annotations

import json
import os

import pytest

import harness.recording.replay as replay_module
from harness.exchange import Headers, HttpRequest
from harness.recording import CassetteError, open_cassette
from harness.recording.cassette_file import dump_interactions

SECRETS = {"owner-token-5b1d9c0e7a2f4e61": "tokens.owner"}


def stored(index: int, status: int = 200):
    request = {
        "method": "POST",
        "uri": f"http://127.0.0.1:1/hooks/{index}",
        "body": json.dumps({"n": index, "name": f"hook-{index}"}).encode(),
        "headers": {"Content-Type": ["application/json"], "Authorization": ["Bearer <tokens.owner>"]},
    }
    response = {
        "status": {"code": status, "message": ""},
        "headers": {"Content-Type": ["application/json"]},
        "body": {"string": json.dumps({"answer": index}).encode()},
    }
    return request, response


def sent(index: int) -> HttpRequest:
    body = json.dumps({"name": f"hook-{index}", "n": index}).encode()
    headers = Headers({"Content-Type": "application/json", "Authorization": "Bearer owner-token-5b1d9c0e7a2f4e61"})
    return HttpRequest("POST", f"http://127.0.0.1:2/hooks/{index}", headers, body)


def write_cassette(path, count, status=200):
    path.write_bytes(dump_interactions([stored(i, status) for i in range(count)]))


@pytest.fixture(autouse=True)
def empty_cache():
    replay_module.clear_table_cache()
    yield
    replay_module.clear_table_cache()


def count_calls(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


@pytest.mark.parametrize("count", [10, 400], ids=["small", "large"])
def test_recorded_keys_computed_once_per_interaction(tmp_path, monkeypatch, count):
    path = tmp_path / "c.yaml"
    write_cassette(path, count)
    key_calls = count_calls(monkeypatch, replay_module, "key_of_request_dict")
    with open_cassette(path, "none", SECRETS) as session:
        answers = [json.loads(session.send(sent(i)).response.body)["answer"] for i in reversed(range(count))]
    assert answers == list(reversed(range(count)))
    assert len(key_calls) == count


def test_cassette_parsed_once_while_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "c.yaml"
    write_cassette(path, 3)
    reads = count_calls(monkeypatch, replay_module, "read_cassette_file")
    for _ in range(3):
        with open_cassette(path, "none", SECRETS) as session:
            session.send(sent(0))
    assert len(reads) == 1


def test_changed_cassette_parsed_again(tmp_path):
    path = tmp_path / "c.yaml"
    write_cassette(path, 2, status=200)
    with open_cassette(path, "none", SECRETS) as session:
        assert session.send(sent(1)).response.status == 200
    write_cassette(path, 2, status=202)
    with open_cassette(path, "none", SECRETS) as session:
        assert session.send(sent(1)).response.status == 202


def test_cache_separates_secret_maps(tmp_path):
    path = tmp_path / "c.yaml"
    write_cassette(path, 1)
    with open_cassette(path, "none", SECRETS) as session:
        assert session.send(sent(0)).response.status == 200
    with open_cassette(path, "none", {}) as session:
        with pytest.raises(CassetteError):
            # Without the map the token scrubs to <redacted>, not <tokens.owner>.
            session.send(sent(0))


def test_response_copy_isolates_cache(tmp_path):
    path = tmp_path / "c.yaml"
    write_cassette(path, 1)
    with open_cassette(path, "none", SECRETS) as session:
        first = session.send(sent(0)).response
        first.headers["Content-Type"] = "text/plain"
        first.body = b"changed"
    with open_cassette(path, "none", SECRETS) as session:
        second = session.send(sent(0)).response
    assert second.headers["Content-Type"] == "application/json"
    assert json.loads(second.body) == {"answer": 0}


def test_replay_never_writes(tmp_path):
    path = tmp_path / "c.yaml"
    write_cassette(path, 2)
    before = (path.read_bytes(), os.stat(path).st_mtime_ns)
    with open_cassette(path, "none", SECRETS) as session:
        session.send(sent(0))
    assert (path.read_bytes(), os.stat(path).st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]


def test_folder_in_place_of_cassette(tmp_path):
    path = tmp_path / "c.yaml"
    path.mkdir()
    with pytest.raises(CassetteError, match="is a folder"):
        with open_cassette(path, "once", SECRETS):
            pass


def test_stored_request_scrubbed_before_matching(tmp_path):
    """A cassette containing a raw token still matches, keyed by the token's placeholder."""
    path = tmp_path / "c.yaml"
    request, response = stored(0)
    request["headers"]["Authorization"] = ["Bearer owner-token-5b1d9c0e7a2f4e61"]
    path.write_bytes(dump_interactions([(request, response)]))
    with open_cassette(path, "none", SECRETS) as session:
        assert session.send(sent(0)).response.status == 200


def test_miss_does_not_run_deepdiff_on_equal_bodies(tmp_path, monkeypatch):
    import harness.recording.miss_report as miss_report

    path = tmp_path / "c.yaml"
    write_cassette(path, 3)
    json_diffs = count_calls(monkeypatch, miss_report, "_json_differences")
    request = sent(1)
    request.method = "PUT"
    with open_cassette(path, "none", SECRETS) as session:
        with pytest.raises(CassetteError, match="method: recorded POST, sent PUT"):
            session.send(request)
    assert len(json_diffs) == 2


def test_replay_imports_neither_vcrpy_nor_requests(tmp_path):
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "c.yaml"
    write_cassette(path, 2)
    script = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from harness.exchange import Headers, HttpRequest
        from harness.recording import open_cassette
        headers = Headers({{"Content-Type": "application/json", "Authorization": "Bearer owner-token-5b1d9c0e7a2f4e61"}})
        body = json.dumps({{"name": "hook-1", "n": 1}}).encode()
        with open_cassette(Path({str(path)!r}), "none", {SECRETS!r}) as session:
            session.send(HttpRequest("POST", "http://127.0.0.1:2/hooks/1", headers, body))
        print(sorted(name for name in ("vcr", "requests", "deepdiff") if name in sys.modules))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
