"""Seeded Faker instances that cannot read the clock, and seeds derived per payload.

Every payload reseeds one `Faker(locale)` instance with `seed_instance`, using a seed derived
from the run's seed and the payload's index. The global `Faker.seed` and the `random`
module's global state are never used, so output depends only on the options, the Faker
version and this code.

Faker providers that read today's date (date_time(), date_of_birth(), credit_card_expire()
and others) would make output change from day to day. `ClockFreeFaker` exposes only the
providers listed in `CLOCK_FREE_PROVIDERS`, raises `ClockDependentProviderError` for the
known clock readers, and offers `timestamp()`, which draws from a fixed window instead.
"""

from __future__ import annotations

import hashlib
import inspect
import random
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import faker
from faker.config import AVAILABLE_LOCALES
from faker.providers import BaseProvider
from faker.providers import date_time as faker_date_time

FAKER_VERSION: str = faker.VERSION

# Fixed window of generated timestamps: all of 2023 and the first half of 2024, UTC.
TIMESTAMP_WINDOW_START = datetime(2023, 1, 1, tzinfo=timezone.utc)
TIMESTAMP_WINDOW_END = datetime(2024, 7, 1, tzinfo=timezone.utc)

# Providers read through this wrapper. Each was checked to draw only from the instance's
# random generator (Faker 40.x), never from the clock.
CLOCK_FREE_PROVIDERS = frozenset({
    "bothify", "catch_phrase", "city", "color_name", "domain_word", "file_extension",
    "file_name", "file_path", "first_name", "hexify", "hostname", "job", "last_name",
    "lexify", "numerify", "paragraph", "port_number", "sentence", "text", "uuid4", "word",
    "words",
})

# Providers outside the date_time provider that read today's date in some locale. For
# example user_name() of ru_RU, bg_BG, mk_MK and az_AZ appends a year drawn up to today.
_OTHER_CLOCK_READERS = frozenset({
    "credit_card_expire", "credit_card_full", "passport_dates", "passport_dob",
    "passport_full", "profile", "simple_profile", "ssn", "user_agent", "chrome",
    "firefox", "safari", "opera", "internet_explorer", "user_name", "email", "free_email",
    "company_email",
})


def _date_time_providers() -> frozenset[str]:
    own = {name for name, _ in inspect.getmembers(faker_date_time.Provider, inspect.isfunction)}
    inherited = {name for name, _ in inspect.getmembers(BaseProvider, inspect.isfunction)}
    return frozenset(name for name in own - inherited if not name.startswith("_"))


CLOCK_DEPENDENT_PROVIDERS = _date_time_providers() | _OTHER_CLOCK_READERS


class ClockDependentProviderError(RuntimeError):
    """A Faker provider that reads today's date was called, so output would not repeat."""


def check_locale(locale: str) -> str:
    """Return `locale`, raising ValueError that lists Faker's locales if it is unknown."""
    if locale not in AVAILABLE_LOCALES:
        shown = ", ".join(AVAILABLE_LOCALES)
        raise ValueError(
            f"--locale {locale!r} is not a Faker {FAKER_VERSION} locale: use one of {shown}"
        )
    return locale


def derive_seed(seed: int, *parts: object) -> int:
    """Return a 64-bit seed for one output, the same on every machine and Python process.

    Python's hash() of a str differs between processes, so the seed is a SHA-256 digest.
    """
    text = ":".join(["hook-harness-samples", str(seed), *(str(part) for part in parts)])
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


_per_thread = threading.local()


def _faker_for(locale: str) -> faker.Faker:
    """Return this thread's Faker instance of `locale`.

    Building a Faker instance takes tens of milliseconds and reseeding one microseconds, so
    instances are kept, one per locale and thread, because two threads reseeding one
    instance would mix their random streams.
    """
    instances = getattr(_per_thread, "instances", None)
    if instances is None:
        instances = _per_thread.instances = {}
    if locale not in instances:
        instances[locale] = faker.Faker(locale)
    return instances[locale]


class ClockFreeFaker:
    """A seeded view of one locale's Faker instance that refuses clock-reading providers.

    Instances of one locale in one thread share the underlying Faker object, so call
    `reseed` before each payload.
    """

    def __init__(self, locale: str) -> None:
        self.locale = check_locale(locale)
        self._faker = _faker_for(locale)
        self.random: random.Random = random.Random(0)

    def reseed(self, seed: int) -> None:
        self._faker.seed_instance(seed)
        self.random = self._faker.random

    def timestamp(self) -> str:
        """Return a UTC timestamp with microseconds from the fixed window, as the API writes it."""
        span = int((TIMESTAMP_WINDOW_END - TIMESTAMP_WINDOW_START).total_seconds())
        moment = TIMESTAMP_WINDOW_START + timedelta(
            seconds=self.random.randrange(span), microseconds=self.random.randrange(1_000_000)
        )
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def __getattr__(self, name: str) -> Any:
        if name in CLOCK_FREE_PROVIDERS:
            return getattr(self._faker, name)
        if name in CLOCK_DEPENDENT_PROVIDERS:
            raise ClockDependentProviderError(
                f"Faker provider {name}() reads today's date, so generated payloads would change"
                f" from day to day: use timestamp(), which draws from"
                f" {TIMESTAMP_WINDOW_START:%Y-%m-%d} to {TIMESTAMP_WINDOW_END:%Y-%m-%d}"
            )
        raise AttributeError(
            f"Faker provider {name}() is not in CLOCK_FREE_PROVIDERS: check that it reads no"
            f" clock and add it there before using it"
        )
