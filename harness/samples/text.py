"""Plausible free-text fields of a hook: names, descriptions, script arguments and labels.

Lengths are counted in characters (Unicode code points), as JSON Schema's maxLength
counts them, so a 63-character Japanese name is valid although it takes 189 UTF-8 bytes.
"""

from __future__ import annotations

import re
import unicodedata

from harness.contract import facts
from harness.samples.fakers import ClockFreeFaker
from harness.samples.world import AppTarget

# Verbs of a hook script at each (action, stage), as they might appear in a hook's name.
HOOK_VERBS: dict[tuple[str, str], tuple[str, ...]] = {
    ("snapshot", "pre"): ("freeze", "quiesce", "flush", "lock-tables", "fsync", "checkpoint"),
    ("snapshot", "post"): ("thaw", "unquiesce", "unfreeze", "unlock-tables", "resume"),
    ("backup", "pre"): ("freeze", "dump", "pause-writes", "checkpoint", "drain"),
    ("backup", "post"): ("thaw", "resume-writes", "verify", "notify", "cleanup"),
    ("restore", "post"): ("rehydrate", "reindex", "verify-restore", "rotate-credentials", "warm-cache"),
    ("failover", "post"): ("promote", "repoint-dns", "reconnect", "update-endpoints", "notify-oncall"),
}

# Short component names that a pod's `tier` label or container name suggests.
_COMPONENT_ALIASES = {"database": "db", "frontend": "web", "postgres": "pg", "metrics-exporter": "metrics"}
_SEPARATORS = re.compile(r"[\s/_.:]+")
_LOG_LEVELS = ("debug", "info", "warn", "error")
_LABEL_NAMES = (
    "team", "owner", "cost-center", "environment", "app.kubernetes.io/part-of", "tier", "on-call",
)


def slug(text: str) -> str:
    """Return `text` as a name part: spaces and separators become `-`, ASCII is lowercased."""
    text = unicodedata.normalize("NFC", text).strip()
    text = _SEPARATORS.sub("-", text)
    return "".join(c.lower() if c.isascii() else c for c in text).strip("-")


def fit(text: str, length: int) -> str:
    """Cut `text` to at most `length` characters without a trailing `-`."""
    return text[:length].rstrip("-") or text[:length]


def pad_to(fake: ClockFreeFaker, text: str, length: int, joiner: str = "-") -> str:
    """Extend `text` with locale words to exactly `length` characters (cutting the last word)."""
    while len(text) < length:
        text = f"{text}{joiner}{slug(fake.word()) or 'x'}"
    return text[:length]


def user_name(fake: ClockFreeFaker) -> str:
    """Return a login such as `garcia42`, built without Faker's user_name(), which reads the
    clock in some locales."""
    return f"{slug(fake.last_name()).replace('-', '')}{fake.random.randint(1, 99)}"


def _components(app: AppTarget) -> list[str]:
    found: list[str] = []
    for container in app.containers:
        tier = dict(container.labels).get("tier")
        for candidate in (tier, container.name):
            if candidate:
                found.append(_COMPONENT_ALIASES.get(candidate, candidate))
    return list(dict.fromkeys(found)) or ["app"]


def _subject(fake: ClockFreeFaker, app: AppTarget) -> str:
    namespaces = [c.namespace for c in app.containers]
    choice = fake.random.randrange(10)
    if choice < 4:
        return slug(app.name)
    if choice < 5 and namespaces:
        return slug(fake.random.choice(namespaces))
    if choice < 7:
        return slug(fake.word())
    if choice < 9:
        return slug(fake.last_name())
    return slug(fake.city())


def hook_name(fake: ClockFreeFaker, app: AppTarget, action: str, stage: str, budget: int) -> str:
    """Return a name such as `payroll-db-freeze` of 1 to `budget` characters.

    One name in twenty is padded to exactly `budget` characters, the longest allowed.
    """
    rng = fake.random
    verb = rng.choice(HOOK_VERBS[(action, stage)])
    component = slug(rng.choice(_components(app)))
    subject = _subject(fake, app) or slug(app.name) or "hook"
    form = rng.randrange(5)
    if form == 0:
        parts = [component, verb]
    elif form == 1:
        parts = [verb, subject]
    elif form == 2:
        parts = [subject, action, stage]
    else:
        parts = [subject, component, verb]
    joiner = "_" if rng.random() < 0.1 else "-"
    name = joiner.join(part for part in parts if part)
    if rng.random() < 0.05:
        return pad_to(fake, name, budget, joiner)
    return fit(name, budget)


def description(fake: ClockFreeFaker, app: AppTarget, action: str, stage: str) -> str:
    """Return a description of at most DESCRIPTION_MAX_LENGTH characters, sometimes exactly that."""
    rng = fake.random
    choice = rng.randrange(20)
    if choice == 0:
        return pad_to(fake, fake.paragraph(nb_sentences=5), facts.DESCRIPTION_MAX_LENGTH, " ")
    if choice == 1:
        return ""
    if choice < 9:
        when = "before" if stage == "pre" else "after"
        return f"{rng.choice(HOOK_VERBS[(action, stage)]).capitalize()} {app.name} {when} each {action}"
    if choice < 12:
        return fit(fake.paragraph(nb_sentences=rng.randint(1, 4)), facts.DESCRIPTION_MAX_LENGTH)
    return fake.sentence(nb_words=rng.randint(3, 12))


def _argument(fake: ClockFreeFaker, app: AppTarget, verbs: tuple[str, ...]) -> str:
    rng = fake.random
    kind = rng.randrange(12)
    containers = app.containers
    if kind == 0:
        return rng.choice(verbs)
    if kind == 1:
        return f"--timeout={rng.choice((10, 30, 60, 120, 300))}s"
    if kind == 2:
        return f"--user={user_name(fake)}"
    if kind == 3:
        return f"--host={fake.hostname()}"
    if kind == 4:
        return f"--port={fake.port_number()}"
    if kind == 5:
        return f"--config={fake.file_path(depth=rng.randint(1, 3), extension='conf')}"
    if kind == 6:
        return f"--log-level={rng.choice(_LOG_LEVELS)}"
    if kind == 7:
        return rng.choice(("-v", "--dry-run", "--force", "--wait", "-q"))
    if kind == 8 and containers:
        return f"--namespace={rng.choice(containers).namespace}"
    if kind == 9 and containers:
        return f"--container={rng.choice(containers).name}"
    if kind == 10:
        return f"--comment={fake.sentence(nb_words=rng.randint(2, 6))}"
    return f"{slug(fake.word()).upper() or 'MODE'}={fake.word()}"


def arguments(fake: ClockFreeFaker, app: AppTarget, action: str, stage: str) -> list[str]:
    """Return 0 to ARGUMENTS_MAX_ITEMS distinct arguments of at most ARGUMENT_MAX_LENGTH characters.

    About one list in ten has the maximum number of items, and one non-empty list in
    twenty has an item of exactly the maximum length.
    """
    rng = fake.random
    verbs = HOOK_VERBS[(action, stage)]
    if rng.random() < 0.1:
        target_count = facts.ARGUMENTS_MAX_ITEMS
    else:
        target_count = rng.choice((0, 1, 1, 2, 2, 3, 4, 6))
    found: dict[str, None] = {}
    attempts = 0
    while len(found) < target_count and attempts < target_count * 20:
        attempts += 1
        found[fit(_argument(fake, app, verbs), facts.ARGUMENT_MAX_LENGTH)] = None
    items = list(found)
    if items and rng.random() < 0.05:
        long_item = pad_to(fake, "--note=" + slug(fake.word()), facts.ARGUMENT_MAX_LENGTH)
        if long_item not in found:
            items[rng.randrange(len(items))] = long_item
    return items


def labels(fake: ClockFreeFaker, count: int) -> list[dict[str, str]]:
    """Return `count` distinct name/value label pairs or fewer, as metadata.labels carries them."""
    rng = fake.random
    names = rng.sample(_LABEL_NAMES, min(count, len(_LABEL_NAMES)))
    values = (lambda: user_name(fake), fake.word, fake.job, fake.color_name)
    return [{"name": name, "value": rng.choice(values)()} for name in names]
