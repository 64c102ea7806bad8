"""Recording in child processes: a non-UTF-8 locale, and two processes sharing one folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from .conftest import OWNER_TOKEN
from harness.recording import cassette_path, read_interactions

RECORD_SCRIPT = textwrap.dedent(
    """
    import json, locale, sys
    from pathlib import Path
    from harness.exchange import Headers, HttpRequest
    from harness.recording import cassette_path, open_cassette

    base, folder, prefix, cassettes, per_cassette, mode, token = sys.argv[1:]
    print(json.dumps({"encoding": locale.getpreferredencoding(False)}))
    results = []
    for i in range(int(cassettes)):
        path = cassette_path(Path(folder), f"{prefix}-{i}")
        with open_cassette(path, mode, {token: "tokens.owner"}) as session:
            for j in range(int(per_cassette)):
                name = f"{prefix}-{i}-{j}-ünïcode-日本"
                body = json.dumps({"name": name}, ensure_ascii=False).encode("utf-8")
                headers = Headers({"Content-Type": "application/json", "Authorization": "Bearer " + token})
                exchange = session.send(HttpRequest("POST", f"{base}/p/{prefix}/{i}/{j}", headers, body))
                results.append([exchange.replayed, exchange.response.body.decode("utf-8")])
    print(json.dumps(results))
    """
)

ASCII_LOCALE = {
    "LC_ALL": "C",
    "LANG": "C",
    "PYTHONUTF8": "0",
    "PYTHONCOERCECLOCALE": "0",
    "PYTHONIOENCODING": "ascii:backslashreplace",
}


@pytest.fixture
def record_script(tmp_path):
    script = tmp_path / "record.py"
    script.write_text(RECORD_SCRIPT, encoding="utf-8")
    return script


def run_script(script, args, extra_env=None):
    env = {**os.environ, **(extra_env or {})}
    command = [sys.executable, str(script), *[str(arg) for arg in args]]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process):
    stdout, stderr = process.communicate()
    assert process.returncode == 0, stderr.decode("utf-8", "replace")
    encoding_line, results_line = stdout.decode("ascii").splitlines()[-2:]
    return json.loads(encoding_line)["encoding"], json.loads(results_line)


def test_ascii_locale_records_and_replays_utf8(server, tmp_path, record_script):
    folder = tmp_path / "cassettes"
    args = [server.base_url, folder, "loc", 1, 2]

    encoding, recorded = finish(run_script(record_script, [*args, "once", OWNER_TOKEN], ASCII_LOCALE))
    _, replayed = finish(run_script(record_script, [*args, "none", OWNER_TOKEN], ASCII_LOCALE))

    assert encoding.lower() in ("ansi_x3.4-1968", "ascii", "us-ascii")
    assert [replayed_flag for replayed_flag, _ in recorded] == [False, False]
    assert [replayed_flag for replayed_flag, _ in replayed] == [True, True]
    assert [body for _, body in replayed] == [body for _, body in recorded]
    assert "loc-0-1-ünïcode-日本" in recorded[1][1]
    text = cassette_path(folder, "loc-0").read_bytes().decode("utf-8")
    assert "ünïcode-日本" in text
    assert OWNER_TOKEN not in text


def test_two_processes_record_into_one_folder(server, tmp_path, record_script):
    folder = tmp_path / "cassettes"
    cassettes, per_cassette = 12, 4
    processes = [
        run_script(record_script, [server.base_url, folder, prefix, cassettes, per_cassette, "once", OWNER_TOKEN])
        for prefix in ("w0", "w1")
    ]
    for process in processes:
        finish(process)

    names = sorted(path.name for path in folder.iterdir())
    assert len(names) == 2 * cassettes
    assert all(not name.startswith(".") for name in names)
    for prefix in ("w0", "w1"):
        for i in range(cassettes):
            stored = read_interactions(cassette_path(folder, f"{prefix}-{i}"))
            paths = [exchange.request.url.split("/", 3)[3] for exchange in stored]
            assert paths == [f"p/{prefix}/{i}/{j}" for j in range(per_cassette)]
            bodies = [json.loads(exchange.response.body)["body"] for exchange in stored]
            assert all(f"{prefix}-{i}-{j}-" in body for j, body in enumerate(bodies))
