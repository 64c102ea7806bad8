"""Benchmark: generate a scenario suite, then run it with pytest on 1 and on 2 workers.

    python benchmarks/generated/bench_generated.py --count 10000 --workers 0 2

Each run is `pytest <suite> -n W --record-mode all` in a fresh process, so the hook-harness
plugin starts one in-process reference server per worker and records every exchange to
a cassette folder that is thrown away afterwards. The script reports the time to
generate the suite, to collect it (`--collect-only`), and to run it, with scenarios per
second of wall-clock time, as a Markdown table and optionally as JSON.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness.samples.fakers import FAKER_VERSION
from harness.samples.suite import SuiteOptions, write_suite

logger = logging.getLogger("bench_generated")

_PASSED = re.compile(r"([0-9]+) passed")
_COLLECTED = re.compile(r"([0-9]+) tests? collected")


def _pytest(arguments: list[str], cwd: Path) -> tuple[float, str]:
    """Run pytest in a new process; return the wall-clock seconds and the output."""
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *arguments]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    output = completed.stdout + completed.stderr
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"pytest exited with {completed.returncode}:\n{output[-3000:]}")
    return elapsed, output


def _count(pattern: re.Pattern[str], output: str) -> int:
    found = pattern.findall(output)
    return int(found[-1]) if found else 0


def measure(suite: Path, workers: int, work: Path, extra: list[str]) -> dict[str, Any]:
    """Collect and run the suite with `workers` xdist workers (0: no xdist)."""
    parallel = ["-n", str(workers)]
    collect_seconds, collect_output = _pytest([str(suite), "--collect-only", *parallel, *extra], work)
    cassettes = work / f"cassettes-{workers}"
    run_seconds, run_output = _pytest(
        [str(suite), *parallel, "--record-mode", "all", "--cassette-dir", str(cassettes), *extra], work
    )
    passed = _count(_PASSED, run_output)
    result = {
        "workers": workers,
        "collected": _count(_COLLECTED, collect_output),
        "collect_seconds": round(collect_seconds, 2),
        "passed": passed,
        "run_seconds": round(run_seconds, 2),
        "scenarios_per_second": round(passed / run_seconds, 1) if run_seconds else 0.0,
    }
    if passed == 0:
        result["tail"] = run_output[-2000:]
    logger.info("workers %d: %s", workers, result)
    return result


def _table(count: int, generate_seconds: float, results: list[dict[str, Any]]) -> str:
    rows = [
        f"Generated {count} scenarios in {generate_seconds:.1f} s"
        f" ({count / generate_seconds:.0f} per second).",
        "",
        "| workers | collect (s) | run (s) | passed | scenarios per second |",
        "|---|---|---|---|---|",
    ]
    for item in results:
        label = "1 (`-n 0`)" if item["workers"] == 0 else str(item["workers"])
        rows.append(
            f"| {label} | {item['collect_seconds']} | {item['run_seconds']} | {item['passed']} |"
            f" {item['scenarios_per_second']} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="Scenarios to generate (default 10000).")
    parser.add_argument("--seed", type=int, default=0, help="Seed of the suite (default 0).")
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2],
                        help="xdist worker counts to run with; 0 runs without xdist (default: 0 2).")
    parser.add_argument("--json", type=Path, default=None, help="Also write the results to this JSON file.")
    parser.add_argument("pytest_args", nargs="*", help="Further pytest arguments, after --.")
    options = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    with tempfile.TemporaryDirectory(prefix="bench-generated-") as folder:
        work = Path(folder)
        started = time.perf_counter()
        write_suite(SuiteOptions(count=options.count, seed=options.seed), work / "suite")
        generate_seconds = time.perf_counter() - started
        results = [measure(work / "suite", workers, work, options.pytest_args) for workers in options.workers]

    machine = {
        "python": platform.python_version(), "faker": FAKER_VERSION, "cpus": os.cpu_count(),
        "machine": platform.machine(), "system": platform.system(),
    }
    print(_table(options.count, generate_seconds, results))
    print(f"\nPython {machine['python']}, Faker {machine['faker']}, {machine['cpus']} CPUs"
          f" ({machine['machine']}, {machine['system']}).")
    if options.json is not None:
        document = {"count": options.count, "generate_seconds": round(generate_seconds, 2),
                    "results": results, "machine": machine}
        options.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
