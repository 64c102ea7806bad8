"""RE2 patterns for matching criteria, built from the real strings of an app's containers.

A valid pattern is made from one source string (an image, container name, pod name,
namespace or `key=value` pod label) and is checked to compile in RE2 and to match that
string, because the server searches each pattern anywhere in its field. Invalid patterns
use Perl features that RE2 rejects (lookaround, backreferences, possessive quantifiers,
atomic groups, conditionals, \\Z) and are checked to fail in RE2.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

import re2

from harness.samples.world import Container

_OPTIONS = re2.Options()
# Rejected patterns are expected here, so RE2 need not log them to stderr.
_OPTIONS.log_errors = False

# Characters with a meaning in RE2 outside a character class.
_META = frozenset("\\.+*?()|[]{}^$")
_RUNS = re.compile(r"[0-9]+|[a-z]+|[A-Z]+|[^0-9A-Za-z]+")
_WORDS = re.compile(r"[^./:_=@-]{3,}")


class PatternBuildError(RuntimeError):
    """A pattern builder produced a pattern that does not behave as promised (a bug)."""


def escape(text: str) -> str:
    """Escape RE2 metacharacters only, so patterns stay readable (`/`, `:` and `-` stay)."""
    return "".join("\\" + character if character in _META else character for character in text)


def compiles_in_re2(pattern: str) -> bool:
    try:
        re2.compile(pattern, _OPTIONS)
    except re2.error:
        return False
    return True


def matches(pattern: str, text: str) -> bool:
    """Return whether RE2 finds `pattern` anywhere in `text`, as the server applies criteria."""
    try:
        return re2.compile(pattern, _OPTIONS).search(text) is not None
    except re2.error:
        return False


def container_strings(criterion_type: str, container: Container) -> list[str]:
    """Return the strings of one container that a criterion type is matched against."""
    if criterion_type == "containerImage":
        return [container.image]
    if criterion_type == "containerName":
        return [container.name]
    if criterion_type == "podName":
        return [container.pod]
    if criterion_type == "namespaceName":
        return [container.namespace]
    if criterion_type == "podLabel":
        return container.label_strings()
    return []


def source_strings(criterion_type: str, containers: Sequence[Container]) -> list[str]:
    """Return the distinct strings a criterion type is matched against, in container order."""
    found = [text for c in containers for text in container_strings(criterion_type, c)]
    return list(dict.fromkeys(found))


def _exact(rng: random.Random, source: str, others: Sequence[str]) -> str:
    return f"^{escape(source)}$"


def _word(rng: random.Random, source: str, others: Sequence[str]) -> str:
    words = _WORDS.findall(source)
    return escape(rng.choice(words)) if words else escape(source)


def _prefix(rng: random.Random, source: str, others: Sequence[str]) -> str:
    cut = rng.randint(min(3, len(source)), len(source))
    return "^" + escape(source[:cut])


def _generalized(rng: random.Random, source: str, others: Sequence[str]) -> str:
    """Replace digit runs (and some lowercase runs) by classes: `payroll-db-0` -> `payroll-db-\\d+`."""
    pieces = []
    for run in _RUNS.findall(source):
        if run.isdigit():
            pieces.append(rng.choice(("[0-9]+", r"\d+", f"[0-9]{{{len(run)}}}")))
        elif run.isascii() and run.islower() and rng.random() < 0.25:
            pieces.append("[a-z]+")
        else:
            pieces.append(escape(run))
    pattern = "".join(pieces)
    if rng.random() < 0.5:
        pattern = f"^{pattern}$"
    return pattern


def _alternation(rng: random.Random, source: str, others: Sequence[str]) -> str:
    choices = [other for other in others if other != source]
    if not choices:
        return _exact(rng, source, others)
    pair = [source, rng.choice(choices)]
    rng.shuffle(pair)
    return "^(" + "|".join(escape(item) for item in pair) + ")$"


def _case_insensitive(rng: random.Random, source: str, others: Sequence[str]) -> str:
    mixed = "".join(c.upper() if rng.random() < 0.5 else c for c in source)
    return "(?i)" + escape(mixed)


def _any_tag(rng: random.Random, source: str, others: Sequence[str]) -> str:
    """For an image `repo:tag`, match the repository with any tag."""
    repository, separator, _ = source.rpartition(":")
    if not separator or "/" in source[len(repository):]:
        return _word(rng, source, others)
    return "^" + escape(repository) + rng.choice((":.+$", r":[0-9.]+$", ":"))


_BUILDERS: tuple[Callable[[random.Random, str, Sequence[str]], str], ...] = (
    _exact, _word, _prefix, _generalized, _alternation, _case_insensitive,
)


def valid_pattern(rng: random.Random, criterion_type: str, source: str, others: Sequence[str]) -> str:
    """Return an RE2 pattern that matches `source`; an alternation may also name one of `others`."""
    sources = list(others) or [source]
    builders = _BUILDERS + ((_any_tag,) if criterion_type == "containerImage" else ())
    pattern = rng.choice(builders)(rng, source, sources)
    if not matches(pattern, source):
        # Case folding or a cut inside a multi-byte run can defeat a builder: fall back.
        pattern = _exact(rng, source, sources)
    if not matches(pattern, source):
        raise PatternBuildError(f"pattern {pattern!r} does not match its source {source!r}")
    return pattern


def prefix_patterns(source: str) -> list[str]:
    """Return `^a`, `^ab`, ... for every prefix of `source`: distinct patterns that all match it."""
    return ["^" + escape(source[:end]) for end in range(1, len(source) + 1)]


def _lookahead(rng: random.Random, source: str) -> str:
    cut = rng.randint(1, max(1, len(source) - 1))
    operator = rng.choice(("(?=", "(?!"))
    return "^" + escape(source[:cut]) + operator + escape(source[cut:] or "x") + ")"


def _lookbehind(rng: random.Random, source: str) -> str:
    cut = rng.randint(1, max(1, len(source) - 1))
    operator = rng.choice(("(?<=", "(?<!"))
    return operator + escape(source[:cut]) + ")" + escape(source[cut:] or "x")


def _backreference(rng: random.Random, source: str) -> str:
    words = _WORDS.findall(source) or [source]
    return "(" + escape(rng.choice(words)) + r")-\1"


def _possessive(rng: random.Random, source: str) -> str:
    return "^" + escape(source[: max(1, len(source) // 2)]) + rng.choice(("[a-z0-9.-]*+", ".++"))


def _atomic(rng: random.Random, source: str) -> str:
    return "(?>" + escape(source) + ")"


def _conditional(rng: random.Random, source: str) -> str:
    return "^(v)?(?(1)[0-9.]+|" + escape(source) + ")$"


def _end_of_subject(rng: random.Random, source: str) -> str:
    return escape(source) + r"\Z"


_NOT_RE2_BUILDERS: tuple[Callable[[random.Random, str], str], ...] = (
    _lookahead, _lookbehind, _backreference, _possessive, _atomic, _conditional, _end_of_subject,
)


def not_re2_pattern(rng: random.Random, sources: Sequence[str]) -> str:
    """Return a pattern that Perl-style engines accept and RE2 rejects, built from a source."""
    source = rng.choice(list(sources))
    pattern = rng.choice(_NOT_RE2_BUILDERS)(rng, source)
    if compiles_in_re2(pattern):
        raise PatternBuildError(f"pattern {pattern!r} was meant to be rejected by RE2")
    return pattern
