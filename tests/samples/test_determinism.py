"""Same seed and options, same bytes: across runs, processes, hash seeds, time zones and workers."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys

import faker
import pytest
from click.testing import CliRunner
from faker.config import AVAILABLE_LOCALES
from faker.providers import date_time

from harness.cli.sample import command
from harness.samples import fakers, generate_payloads, rules_for
from harness.samples.fakers import (
    CLOCK_DEPENDENT_PROVIDERS,
    FAKER_VERSION,
    TIMESTAMP_WINDOW_END,
    TIMESTAMP_WINDOW_START,
    ClockDependentProviderError,
    ClockFreeFaker,
)
from harness.samples.output import render_jsonl

PINNED_ARGUMENTS = ["--count", "200", "--seed", "20240601", "--locale", "en_US", "--version", "1.3"]
# SHA-256 of the JSON Lines output of PINNED_ARGUMENTS, by Faker version: other Faker
# releases change word lists and so the output.
PINNED_DIGESTS = {"40.63.0": "632176cd5bb6b618340d914f0dc1008aa47ae7a275ba6d47a96d0f6bb16b75bf"}
SUBPROCESS_ARGUMENTS = ["--count", "150", "--seed", "99", "--locale", "ja_JP", "--invalid", "name.duplicate"]


def _cli_output(arguments: list[str]) -> bytes:
    result = CliRunner().invoke(command, arguments)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def _subprocess_output(arguments: list[str], hash_seed: str, time_zone: str) -> bytes:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed, "TZ": time_zone}
    completed = subprocess.run(
        [sys.executable, "-c", "from harness.cli.sample import command; command()", *arguments],
        capture_output=True, env=environment, check=True,
    )
    return completed.stdout


def test_pinned_output_digest() -> None:
    if FAKER_VERSION not in PINNED_DIGESTS:
        pytest.skip(f"no digest pinned for Faker {FAKER_VERSION}: add one to PINNED_DIGESTS")
    output = _cli_output(PINNED_ARGUMENTS)
    assert hashlib.sha256(output).hexdigest() == PINNED_DIGESTS[FAKER_VERSION]


def test_header_records_faker_version() -> None:
    header = json.loads(_cli_output(PINNED_ARGUMENTS).splitlines()[0])
    assert header["_generator"]["faker"] == faker.VERSION
    assert header["_generator"]["seed"] == 20240601


def test_json_format_records_faker_version() -> None:
    document = json.loads(_cli_output([*PINNED_ARGUMENTS, "--format", "json"]))
    assert document["_generator"]["faker"] == faker.VERSION
    assert len(document["samples"]) == 200


def test_subprocesses_write_identical_bytes() -> None:
    first = _subprocess_output(SUBPROCESS_ARGUMENTS, hash_seed="1", time_zone="UTC")
    second = _subprocess_output(SUBPROCESS_ARGUMENTS, hash_seed="4242", time_zone="Asia/Tokyo")
    in_process = _cli_output(SUBPROCESS_ARGUMENTS)
    assert len(first.splitlines()) == 151
    assert first == second
    assert first == in_process


def test_prefix_of_longer_run_is_equal() -> None:
    short = [s.to_record() for s in generate_payloads(10, 12, locale="de_DE")]
    long = [s.to_record() for s in generate_payloads(60, 12, locale="de_DE")]
    assert long[:10] == short


def test_different_seeds_differ() -> None:
    first = [s.body for s in generate_payloads(20, 1)]
    second = [s.body for s in generate_payloads(20, 2)]
    assert first != second


def test_global_random_state_untouched() -> None:
    random.seed(5)
    before = random.getstate()
    generate_payloads(50, 13)
    assert random.getstate() == before


def test_global_seeds_do_not_change_output() -> None:
    expected = render_jsonl(generate_payloads(30, 14), {})
    random.seed(123)
    faker.Faker.seed(456)
    assert render_jsonl(generate_payloads(30, 14), {}) == expected


@pytest.mark.parametrize("locale", AVAILABLE_LOCALES)
def test_no_clock_provider_is_called(locale: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Replace every date provider by one that raises, with fresh Faker instances, and generate
    payloads of every rule: none of them may reach the clock, even indirectly."""

    def raise_error(*args: object, **kwargs: object) -> None:
        raise AssertionError("a date provider was called")

    for name in CLOCK_DEPENDENT_PROVIDERS:
        if hasattr(date_time.Provider, name):
            monkeypatch.setattr(date_time.Provider, name, raise_error)
    monkeypatch.setattr(fakers._per_thread, "instances", {}, raising=False)
    assert len(generate_payloads(20, 15, locale=locale)) == 20
    for rule in rules_for("1.3"):
        assert len(generate_payloads(1, 15, invalid_rule=rule.id, locale=locale)) == 1


@pytest.mark.parametrize("provider", ["date_time", "date_of_birth", "iso8601", "future_date", "credit_card_expire"])
def test_clock_provider_raises(provider: str) -> None:
    fake = ClockFreeFaker("en_US")
    with pytest.raises(ClockDependentProviderError, match=f"provider {provider}\\(\\) reads today's date"):
        getattr(fake, provider)


def test_unlisted_provider_raises() -> None:
    fake = ClockFreeFaker("en_US")
    with pytest.raises(AttributeError, match="not in CLOCK_FREE_PROVIDERS"):
        fake.address


def test_timestamp_in_fixed_window() -> None:
    fake = ClockFreeFaker("en_US")
    fake.reseed(16)
    stamps = [fake.timestamp() for _ in range(500)]
    fake.reseed(16)
    assert [fake.timestamp() for _ in range(500)] == stamps
    assert min(stamps) >= TIMESTAMP_WINDOW_START.strftime("%Y-%m-%dT%H:%M:%S")
    assert max(stamps) < TIMESTAMP_WINDOW_END.strftime("%Y-%m-%dT%H:%M:%S")
