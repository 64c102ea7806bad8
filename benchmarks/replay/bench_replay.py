"""Benchmark cassette replay: the harness against plain vcrpy, and per-scenario cost in pytest.

Run from the repository root:

    python benchmarks/replay/bench_replay.py               # print the results
    python benchmarks/replay/bench_replay.py --write-docs  # also update docs/benchmarks.md

Times are CPU seconds. Part 1 replays one cassette of 100, 1,000 and 5,000 interactions,
each a distinct create-execution-hook request, with `open_cassette(..., "none", ...)` (cold
cache: the file is parsed each run) and with plain `vcr.use_cassette` + `requests`. Plain
vcrpy compares each request with every recorded one, so it runs only up to --vcrpy-max
interactions (1,000 by default, which took 106 to 155 s on a 2-core machine), and only once
for sizes of 1,000 or more.

Part 2 runs pytest in a subprocess on generated files: N trivial tests, and N tests that
each replay their own two-interaction cassette (a setup request, then the request under
test), plus one-test versions of both to subtract pytest's start-up. The cost per test is
(time for N tests - time for 1 test) / (N - 1).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from harness.exchange import Headers, HttpRequest
from harness.recording import open_cassette
from harness.recording.cassette_file import dump_interactions
from harness.recording.replay import clear_table_cache

REPOSITORY = Path(__file__).resolve().parents[2]
DOCS_PATH = REPOSITORY / "docs" / "benchmarks.md"
SECTION_TITLE = "## Replay"
TOKEN = "bench-owner-token-5b1d9c0e7a2f4e61"
SECRETS = {TOKEN: "tokens.owner"}
HOOK_MEDIA_TYPE = "application/astra-executionHook+json"
HOOKS_PATH = "/accounts/f92c7bbf-cf45-401d-8e1c-d7ac4822de56/core/v1/executionHooks"
REPLAY_BASE = "http://127.0.0.1:9"


def hook_body(index: int) -> bytes:
    document = {
        "type": "application/astra-executionHook", "version": "1.3", "name": f"hook-{index}",
        "hookType": "custom", "action": "snapshot", "stage": "pre", "enabled": "true",
        "hookSourceID": "50e89023-ba84-435d-bb47-1833f4c250ff", "arguments": ["--quiet"],
    }
    return json.dumps(document).encode("utf-8")


def stored_interaction(index: int) -> tuple[dict, dict]:
    request = {
        "method": "POST",
        "uri": f"http://127.0.0.1:1{HOOKS_PATH}?n={index}",
        "body": hook_body(index),
        "headers": {"Authorization": ["Bearer <tokens.owner>"], "Content-Type": [HOOK_MEDIA_TYPE]},
    }
    answer = {"id": f"00000000-0000-4000-8000-{index:012d}", "name": f"hook-{index}", "metadata": {"labels": []}}
    response = {
        "status": {"code": 201, "message": "Created"},
        "headers": {"Content-Type": [HOOK_MEDIA_TYPE], "Date": ["Mon, 01 Jan 2024 00:00:00 GMT"]},
        "body": {"string": json.dumps(answer).encode("utf-8")},
    }
    return request, response


def write_cassette(path: Path, count: int) -> None:
    path.write_bytes(dump_interactions(stored_interaction(index) for index in range(count)))


def harness_request(index: int) -> HttpRequest:
    headers = Headers({"Authorization": f"Bearer {TOKEN}", "Content-Type": HOOK_MEDIA_TYPE})
    return HttpRequest("POST", f"{REPLAY_BASE}{HOOKS_PATH}?n={index}", headers, hook_body(index))


def time_harness(path: Path, count: int) -> float:
    """Return the CPU seconds of opening the cassette (cache cleared) and sending every request."""
    requests_ = [harness_request(index) for index in range(count)]
    clear_table_cache()
    started = time.process_time()
    with open_cassette(path, "none", SECRETS) as session:
        for request in requests_:
            session.send(request)
    return time.process_time() - started


def time_vcrpy(path: Path, count: int) -> float:
    import requests
    import vcr

    headers = {"Authorization": "Bearer <tokens.owner>", "Content-Type": HOOK_MEDIA_TYPE}
    bodies = [hook_body(index) for index in range(count)]
    started = time.process_time()
    with vcr.use_cassette(str(path), record_mode="none", match_on=["method", "path", "query", "body"]):
        with requests.Session() as session:
            for index, body in enumerate(bodies):
                session.post(f"{REPLAY_BASE}{HOOKS_PATH}?n={index}", data=body, headers=headers)
    return time.process_time() - started


def median_of(measure: Callable[[], float], runs: int) -> float:
    return statistics.median(measure() for _ in range(runs))


TRIVIAL_TESTS = """
import pytest

@pytest.mark.parametrize("index", range({count}))
def test_trivial(index):
    pass
"""

REPLAY_TESTS = """
import json
from pathlib import Path

import pytest

from harness.exchange import Headers, HttpRequest
from harness.recording import open_cassette

FOLDER = Path({folder!r})
TOKEN = {token!r}
SECRETS = {{TOKEN: "tokens.owner"}}
HEADERS = {{"Authorization": "Bearer " + TOKEN, "Content-Type": {media_type!r}}}


@pytest.mark.parametrize("index", range({count}))
def test_replay(index):
    setup = HttpRequest("GET", {base!r} + "/accounts/a/k8s/v1/apps/" + str(index), Headers({{"Authorization": "Bearer " + TOKEN}}))
    body = json.dumps({{"name": "hook-" + str(index), "stage": "pre", "action": "snapshot"}}).encode()
    create = HttpRequest("POST", {base!r} + {path!r}, Headers(HEADERS), body)
    with open_cassette(FOLDER / f"scenario-{{index}}.yaml", "none", SECRETS) as session:
        session.send(setup)
        session.send(create)
"""


def write_scenario_cassettes(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        setup_request = {
            "method": "GET", "uri": f"http://127.0.0.1:1/accounts/a/k8s/v1/apps/{index}", "body": None,
            "headers": {"Authorization": ["Bearer <tokens.owner>"]},
        }
        setup_response = {
            "status": {"code": 200, "message": "OK"}, "headers": {"Content-Type": ["application/json"]},
            "body": {"string": json.dumps({"id": str(index), "name": "payroll"}).encode()},
        }
        create_request, create_response = stored_interaction(index)
        create_request["uri"] = f"http://127.0.0.1:1{HOOKS_PATH}"
        create_request["body"] = json.dumps({"name": f"hook-{index}", "stage": "pre", "action": "snapshot"}).encode()
        interactions = [(setup_request, setup_response), (create_request, create_response)]
        (folder / f"scenario-{index}.yaml").write_bytes(dump_interactions(interactions))


def write_test_file(folder: Path, name: str, template: str, count: int, cassettes: Path) -> Path:
    path = folder / name
    text = template.format(
        count=count, folder=str(cassettes), token=TOKEN, media_type=HOOK_MEDIA_TYPE, base=REPLAY_BASE, path=HOOKS_PATH
    )
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def time_pytest(folder: Path, test_file: Path, expected: int) -> float:
    """Return the CPU seconds of bare pytest on one file in a subprocess: an empty ini, so the
    repository's is not used, and no plugins from entry points (hypothesis and faker take
    seconds to import)."""
    command = [
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "-c", str(folder / "pytest.ini"), "--rootdir", str(folder), str(test_file),
    ]
    environment = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, env=environment)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 or f"{expected} passed" not in result.stdout:
        raise RuntimeError(f"pytest on {test_file} failed:\n{result.stdout}\n{result.stderr}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure_scenarios(count: int, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as temporary:
        folder = Path(temporary)
        (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        cassettes = folder / "cassettes"
        write_scenario_cassettes(cassettes, count)
        files = {
            "trivial_1": (write_test_file(folder, "test_trivial_one.py", TRIVIAL_TESTS, 1, cassettes), 1),
            "trivial_n": (write_test_file(folder, "test_trivial_many.py", TRIVIAL_TESTS, count, cassettes), count),
            "replay_1": (write_test_file(folder, "test_replay_one.py", REPLAY_TESTS, 1, cassettes), 1),
            "replay_n": (write_test_file(folder, "test_replay_many.py", REPLAY_TESTS, count, cassettes), count),
        }
        samples: dict[str, list[float]] = {name: [] for name in files}
        # Interleaved, so that a change in machine load affects every configuration alike.
        for _ in range(runs):
            for name, (test_file, expected) in files.items():
                samples[name].append(time_pytest(folder, test_file, expected))
    return {name: statistics.median(values) for name, values in samples.items()}


def machine_info() -> dict[str, str]:
    import yaml

    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("vcrpy", "PyYAML", "pytest", "requests", "urllib3")
    )
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "versions": versions,
        "libyaml": "yes" if getattr(yaml, "__with_libyaml__", False) else "no",
        "load": " / ".join(f"{value:.1f}" for value in os.getloadavg()),
    }


def render(info: dict[str, str], sizes: list[tuple[int, float, float | None, int, int]],
           scenarios: dict[str, float], count: int, runs: int, vcrpy_max: int, load_after: str) -> str:
    lines = [
        SECTION_TITLE,
        "",
        "Measured by `python benchmarks/replay/bench_replay.py` on "
        f"{info['cores']} cores ({info['cpu']}), {info['memory']} RAM, Python {info['python']}, "
        f"{info['versions']}, libyaml {info['libyaml']}. Load average (1/5/15 min) "
        f"{info['load']} at the start and {load_after} at the end. Other work shared the machine, "
        "and wall-clock times varied by a factor of three between runs. So every time below is "
        "CPU time (user + system) of the process doing the work. That is the benchmark process for "
        "the replays and the pytest subprocess for the test files. CPU times still differed by up "
        "to 30% between two runs.",
        "",
        "### One cassette, many interactions",
        "",
        "Each interaction is a distinct create-execution-hook request. The harness time covers "
        "opening the cassette (parsing it: the cache is cleared each run) and every `send`. "
        "Plain vcrpy is `vcr.use_cassette(record_mode=\"none\", match_on=[method, path, query, "
        "body])` with a `requests.Session`.",
        "",
        "| interactions | harness (median) | harness per interaction | plain vcrpy | vcrpy per interaction | vcrpy / harness |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size, harness_seconds, vcrpy_seconds, harness_runs, vcrpy_runs in sizes:
        per_harness = harness_seconds / size * 1000
        row = f"| {size:,} | {harness_seconds:.3f} s ({harness_runs} run{'s' if harness_runs > 1 else ''}) | {per_harness:.3f} ms |"
        if vcrpy_seconds is None:
            row += f" not run (capped at {vcrpy_max:,}) | | |"
        else:
            per_vcrpy = vcrpy_seconds / size * 1000
            row += (f" {vcrpy_seconds:.2f} s ({vcrpy_runs} run{'s' if vcrpy_runs > 1 else ''}) |"
                    f" {per_vcrpy:.2f} ms | {vcrpy_seconds / harness_seconds:.0f} |")
        lines.append(row)
    lines += ["", _growth_sentence(sizes)]
    trivial = (scenarios["trivial_n"] - scenarios["trivial_1"]) / (count - 1)
    replay = (scenarios["replay_n"] - scenarios["replay_1"]) / (count - 1)
    lines += [
        "",
        "### One small cassette per scenario, in pytest",
        "",
        f"{count:,} tests in one pytest process (median of {runs} runs of each file, interleaved). "
        "A replay test opens its own two-interaction cassette and sends a setup request and a "
        "create request.",
        "",
        "| tests | trivial (`pass`) | replay | replay / trivial |",
        "|---|---:|---:|---:|",
        f"| 1 (start-up) | {scenarios['trivial_1']:.3f} s | {scenarios['replay_1']:.3f} s | "
        f"{scenarios['replay_1'] / scenarios['trivial_1']:.2f} |",
        f"| {count:,} | {scenarios['trivial_n']:.3f} s | {scenarios['replay_n']:.3f} s | "
        f"{scenarios['replay_n'] / scenarios['trivial_n']:.2f} |",
        f"| cost per test | {trivial * 1000:.3f} ms | {replay * 1000:.3f} ms | {replay / trivial:.2f} |",
        "",
    ]
    return "\n".join(lines)


def _growth_sentence(sizes: list[tuple[int, float, float | None, int, int]]) -> str:
    """Say how the cost per interaction changes from the smallest to the largest cassette."""
    smallest, largest = sizes[0], sizes[-1]
    harness_growth = (largest[1] / largest[0]) / (smallest[1] / smallest[0])
    sentence = (
        f"From {smallest[0]:,} to {largest[0]:,} interactions the harness's cost per interaction "
        f"changed by a factor of {harness_growth:.1f} (1.0 is linear time)."
    )
    measured = [size for size in sizes if size[2] is not None]
    if len(measured) > 1:
        first, last = measured[0], measured[-1]
        vcrpy_growth = (last[2] / last[0]) / (first[2] / first[0])
        sentence += (
            f" Plain vcrpy's grew by a factor of {vcrpy_growth:.0f} from {first[0]:,} to "
            f"{last[0]:,}, because each request is compared with every recorded one."
        )
    return sentence


def write_docs(section: str) -> None:
    """Replace the Replay section of docs/benchmarks.md, keeping every other section."""
    text = DOCS_PATH.read_text(encoding="utf-8") if DOCS_PATH.exists() else "# Benchmarks\n"
    start = text.find(SECTION_TITLE + "\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(SECTION_TITLE))
        text = text[:start] + section + ("" if end == -1 else text[end + 1:])
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median); default 5")
    parser.add_argument("--vcrpy-max", type=int, default=1000,
                        help="largest cassette replayed with plain vcrpy, in interactions; default 1000")
    parser.add_argument("--scenarios", type=int, default=300, help="tests per generated pytest file; default 300")
    parser.add_argument("--write-docs", action="store_true", help="replace the Replay section of docs/benchmarks.md")
    options = parser.parse_args()

    info = machine_info()
    sizes = []
    with tempfile.TemporaryDirectory(prefix="bench-replay-") as temporary:
        for size in (100, 1000, 5000):
            path = Path(temporary) / f"cassette-{size}.yaml"
            write_cassette(path, size)
            harness_runs = options.runs if size < 5000 else max(1, options.runs // 2)
            harness_seconds = median_of(lambda: time_harness(path, size), harness_runs)
            vcrpy_seconds, vcrpy_runs = None, 0
            if size <= options.vcrpy_max:
                vcrpy_runs = 3 if size < 1000 else 1
                vcrpy_seconds = median_of(lambda: time_vcrpy(path, size), vcrpy_runs)
            sizes.append((size, harness_seconds, vcrpy_seconds, harness_runs, vcrpy_runs))
            vcrpy_text = "not run" if vcrpy_seconds is None else f"{vcrpy_seconds:.2f} s"
            print(f"{size} interactions: harness {harness_seconds:.3f} s, plain vcrpy {vcrpy_text}", file=sys.stderr)
    scenarios = measure_scenarios(options.scenarios, options.runs)
    load_after = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    section = render(info, sizes, scenarios, options.scenarios, options.runs, options.vcrpy_max, load_after)
    print(section)
    if options.write_docs:
        write_docs(section)


if __name__ == "__main__":
    main()
