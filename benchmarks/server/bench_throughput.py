"""Benchmark the reference server's creates per second against a trivial uvicorn handler.

Run from the repository root:

    python benchmarks/server/bench_throughput.py                # print the results
    python benchmarks/server/bench_throughput.py --write-docs   # also update docs/benchmarks.md

Three servers run side by side, each in its own process, with the code of this repository
(PYTHONPATH points at it):

- reference: `hook-harness serve --no-access-log`, so no log line per request;
- reference with access log: `hook-harness serve`, its log lines written to a file;
- trivial: `trivial_app.py`, a plain ASGI handler under uvicorn that responds 201 `{}`.

A load generator in a separate process drives each server in turn with --connections
keep-alive connections for --duration seconds, --runs times, in rotating order. It is wrk
with `create.lua` when wrk is installed (`apt-get install wrk`), else `python_load.py`.
Every request is a full create with a unique name, so the reference servers validate and
store each one. Reported per server: the median over runs of requests per second, p50 and
p99 latency, and server CPU time per request (from /proc, Linux only), which depends less
on other load than the wall-clock figures do.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import requests

REPOSITORY = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DOCS_PATH = REPOSITORY / "docs" / "benchmarks.md"
SECTION_TITLE = "## Reference server throughput"
TARGET_REQUESTS_PER_SECOND = 4000
TARGET_P99_MS = 5.0
STARTUP_TIMEOUT_SECONDS = 60.0
WARM_UP_SECONDS = 2

sys.path.insert(0, str(REPOSITORY))
from harness.contract.examples import EXAMPLE_REQUEST  # noqa: E402
from harness.contract.model import load_contract  # noqa: E402
from harness.exchange import Exchange, Headers, HttpRequest, HttpResponse  # noqa: E402
from harness.report.conformance import check_contract  # noqa: E402
from harness.server.world import load_world  # noqa: E402


@dataclass
class Target:
    """One server under test and the measurements of each run."""

    label: str
    command: list[str]
    creates_hooks: bool
    log_path: Path
    port: int = 0
    process: subprocess.Popen | None = None
    runs: list[dict[str, float]] = field(default_factory=list)

    def median(self, key: str) -> float:
        return statistics.median(run[key] for run in self.runs)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def child_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(REPOSITORY), environment.get("PYTHONPATH")) if part
    )
    return environment


def start(target: Target) -> None:
    target.port = free_port()
    command = [part.replace("{port}", str(target.port)) for part in target.command]
    with target.log_path.open("wb") as log:
        target.process = subprocess.Popen(command, stderr=log, stdout=log, env=child_environment())
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if target.process.poll() is not None:
            raise SystemExit(f"{target.label} exited during startup; see {target.log_path}")
        try:
            with socket.create_connection(("127.0.0.1", target.port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{target.label} did not listen on port {target.port} within "
                     f"{STARTUP_TIMEOUT_SECONDS:.0f} s; see {target.log_path}")


def stop(target: Target) -> None:
    if target.process is None or target.process.poll() is not None:
        return
    target.process.send_signal(signal.SIGINT)
    try:
        target.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        target.process.kill()
        target.process.wait()


def cpu_seconds(pid: int) -> float | None:
    """Return the user plus system CPU time of process `pid`, or None without /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_command(port: int, seconds: int, args: argparse.Namespace, tag: str) -> list[str]:
    variables = load_world().variables
    script_args = [tag, variables["account_id"], variables["tokens.owner"],
                   variables["hook_source_id"], variables["app_id"]]
    if args.load_generator == "wrk":
        return ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s",
                "-s", str(HERE / "create.lua"), f"http://127.0.0.1:{port}", "--", *script_args]
    return [sys.executable, str(HERE / "python_load.py"), str(port), str(seconds),
            str(args.connections), *script_args]


def measure(target: Target, seconds: int, args: argparse.Namespace, tag: str) -> dict[str, float]:
    """Run the load generator against `target` once and return its figures."""
    assert target.process is not None
    cpu_before = cpu_seconds(target.process.pid)
    output = subprocess.run(
        load_command(target.port, seconds, args, tag), capture_output=True, text=True,
        check=True, timeout=seconds + 60,
    ).stdout
    cpu_after = cpu_seconds(target.process.pid)
    result = json.loads(output.strip().splitlines()[-1])
    requests_done = max(result["requests"], 1)
    errors = sum(result[key] for key in result if key.startswith("errors_")) + result["non_2xx"]
    figures = {
        "requests_per_second": result["requests"] / (result["duration_us"] / 1e6),
        "p50_ms": result["p50_us"] / 1000,
        "p99_ms": result["p99_us"] / 1000,
        "errors": errors,
    }
    if cpu_before is not None and cpu_after is not None:
        figures["cpu_us_per_request"] = (cpu_after - cpu_before) / requests_done * 1e6
    return figures


def post_example(port: int, name: str) -> requests.Response:
    variables = load_world().variables
    url = f"http://127.0.0.1:{port}/accounts/{variables['account_id']}/core/v1/executionHooks"
    headers = {"Authorization": f"Bearer {variables['tokens.owner']}",
               "Content-Type": "application/json"}
    body = dict(EXAMPLE_REQUEST, name=name)
    return requests.post(url, json=body, headers=headers, timeout=30)


def check_reference(target: Target) -> None:
    """Stop the benchmark unless a create gets a 201 that meets the contract."""
    response = post_example(target.port, f"bench-check-{uuid.uuid4().hex[:12]}")
    exchange = Exchange(
        HttpRequest("POST", response.request.url, Headers(response.request.headers),
                    response.request.body or b""),
        HttpResponse(response.status_code, Headers(response.headers), response.content),
    )
    deviations = check_contract(load_contract(), exchange)
    if response.status_code != 201 or deviations:
        raise SystemExit(f"{target.label} failed the check before the benchmark: status "
                         f"{response.status_code}, deviations {deviations}")


def check_names_stored(target: Target, tag: str) -> bool:
    """Return whether a name sent during run `tag` is now taken (409), so the creates were stored.

    The tenth name of the first connection is checked, because every run sends it.
    """
    return post_example(target.port, f"{tag}-1-10").status_code == 409


def machine_facts() -> dict[str, str]:
    cpu_model = "unknown"
    memory = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                  if line.startswith("model name")]
        cpu_model = models[0] if models else cpu_model
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    return {"cores": str(os.cpu_count()), "cpu": cpu_model, "memory": memory}


def versions(load_generator: str) -> str:
    names = ["uvicorn", "httptools", "uvloop", "orjson", "jsonschema-rs", "fastjsonschema"]
    parts = [f"Python {platform.python_version()}"]
    parts += [f"{name} {metadata.version(name)}" for name in names]
    if load_generator == "wrk":
        banner = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()
        parts.append(f"wrk {banner[1] if len(banner) > 1 else 'unknown'}")
    return ", ".join(parts)


def load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def make_targets(folder: Path) -> list[Target]:
    serve = [sys.executable, "-m", "harness.cli.main", "serve", "--port", "{port}"]
    return [
        Target("reference", serve + ["--no-access-log"], True, folder / "reference.log"),
        Target("reference, access log", serve, True, folder / "reference-access.log"),
        Target("trivial uvicorn handler", [sys.executable, str(HERE / "trivial_app.py"), "{port}"],
               False, folder / "trivial.log"),
    ]


def run_benchmark(args: argparse.Namespace, folder: Path) -> tuple[list[Target], dict[str, str]]:
    targets = make_targets(folder)
    facts = {
        "load_start": load_average(),
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    try:
        for target in targets:
            start(target)
            if target.creates_hooks:
                check_reference(target)
        for target in targets:
            measure(target, WARM_UP_SECONDS, args, f"w{uuid.uuid4().hex[:6]}")
        stored = True
        for run in range(args.runs):
            # Rotating the order spreads changes in other load over all servers alike.
            for target in targets[run % len(targets):] + targets[: run % len(targets)]:
                tag = f"r{run}{uuid.uuid4().hex[:6]}"
                target.runs.append(measure(target, args.duration, args, tag))
                if target.creates_hooks:
                    stored = stored and check_names_stored(target, tag)
                print(f"run {run + 1}/{args.runs} {target.label}: "
                      f"{target.runs[-1]['requests_per_second']:.0f} requests/s", file=sys.stderr)
        facts["stored"] = "yes" if stored else "NO"
    finally:
        for target in targets:
            stop(target)
    facts["load_end"] = load_average()
    return targets, facts


def render(targets: list[Target], facts: dict[str, str], args: argparse.Namespace) -> str:
    machine = machine_facts()
    reference, logged, trivial = targets
    baseline = trivial.median("requests_per_second")
    met = (reference.median("requests_per_second") >= TARGET_REQUESTS_PER_SECOND
           and reference.median("p99_ms") < TARGET_P99_MS)
    lines = [
        SECTION_TITLE, "",
        f"Run of {facts['started']}, measured by `python benchmarks/server/bench_throughput.py` "
        f"on {machine['cores']} cores "
        f"({machine['cpu']}), {machine['memory']} RAM; {versions(args.load_generator)}. "
        f"Load average (1/5/15 min) {facts['load_start']} at the start and {facts['load_end']} at "
        f"the end: other work shared the machine, so single runs vary by tens of percent.",
        "",
        f"Each figure is the median of {args.runs} runs of {args.duration} s with "
        f"{args.connections} connections from {args.load_generator} in a separate process "
        f"({args.threads} threads). Every request is a full create with a unique name, which "
        f"the reference server checks, validates and stores before it responds 201. Server CPU "
        f"is the server process's user and system time per request. Creates stored: "
        f"{facts['stored']} (a name from each run is taken afterwards).",
        "",
        "| server | requests/s | p50 | p99 | server CPU per request | errors | requests/s vs trivial |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for target in targets:
        cpu = (f"{target.median('cpu_us_per_request'):.0f} µs"
               if all("cpu_us_per_request" in run for run in target.runs) else "n/a")
        lines.append(
            f"| {target.label} | {target.median('requests_per_second'):,.0f} | "
            f"{target.median('p50_ms'):.2f} ms | {target.median('p99_ms'):.2f} ms | {cpu} | "
            f"{sum(run['errors'] for run in target.runs):.0f} | "
            f"{target.median('requests_per_second') / baseline:.2f} |"
        )
    lines += [
        "",
        f"Target: at least {TARGET_REQUESTS_PER_SECOND:,} creates per second with p99 under "
        f"{TARGET_P99_MS:.0f} ms at {args.connections} connections, with the access log off. "
        f"**{'Met' if met else 'Not met'}** in this record. The access log (one INFO line per "
        f"request, written to a file) costs "
        f"{1 - logged.median('requests_per_second') / reference.median('requests_per_second'):.0%} "
        f"of the throughput, which is why `hook-harness serve --no-access-log` exists.",
        "",
    ]
    return "\n".join(lines)


def write_docs(section: str) -> None:
    """Replace the measured part of the section in docs/benchmarks.md, or append the section.

    The measured part ends at the section's first subheading, so hand-written subsections
    such as the profile of the create path stay as they are.
    """
    text = DOCS_PATH.read_text() if DOCS_PATH.exists() else "# Benchmarks\n"
    if SECTION_TITLE in text:
        before, rest = text.split(SECTION_TITLE, 1)
        ends = [position for position in (rest.find("\n## "), rest.find("\n### ")) if position >= 0]
        following = min(ends) if ends else -1
        after = rest[following + 1:] if following >= 0 else ""
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS_PATH.write_text(text)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="Runs per server (default 5).")
    parser.add_argument("--duration", type=int, default=10, help="Seconds per run (default 10).")
    parser.add_argument("--connections", type=int, default=4, help="Connections (default 4).")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
    parser.add_argument("--load-generator", choices=["auto", "wrk", "python"], default="auto",
                        help="wrk, the Python generator, or auto: wrk when installed.")
    parser.add_argument("--write-docs", action="store_true",
                        help=f"Write the results to {DOCS_PATH.relative_to(REPOSITORY)}.")
    args = parser.parse_args()
    if args.load_generator == "auto":
        args.load_generator = "wrk" if shutil.which("wrk") else "python"
    if args.load_generator == "python":
        args.threads = 1
    return args


def main() -> None:
    args = parse_arguments()
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as folder:
        targets, facts = run_benchmark(args, Path(folder))
    section = render(targets, facts, args)
    print(section)
    if args.write_docs:
        write_docs(section)
        print(f"wrote {DOCS_PATH}", file=sys.stderr)


if __name__ == "__main__":
    main()
