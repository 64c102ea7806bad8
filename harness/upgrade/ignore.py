"""The paths a cassette diff ignores: values each server chooses anew for every response.

A pattern is a Python regular expression that `re.search` tries on the path of each
difference, such as `response.body['metadata']['createdBy']` or `response.headers.etag`.
Header names in paths are lowercase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class IgnoreRule:
    """A path pattern and why differences at matching paths are not reported."""

    pattern: str
    reason: str


DEFAULT_IGNORE_RULES: tuple[IgnoreRule, ...] = (
    IgnoreRule(r"^response\.body\['id'\]$", "the id of the created hook"),
    IgnoreRule(
        r"^response\.body\['metadata'\]\['(creationTimestamp|modificationTimestamp)'\]$",
        "the creation and modification timestamps",
    ),
    IgnoreRule(r"^response\.body\['metadata'\]\['createdBy'\]$", "the id of the caller the server recorded"),
    IgnoreRule(r"^response\.body\['correlationID'\]$", "the correlation id of a problem response"),
    IgnoreRule(r"^response\.headers\.etag$", "the entity tag of the created hook"),
    IgnoreRule(r"^response\.headers\.location\.id$", "the hook id at the end of the Location URL"),
    IgnoreRule(r"^response\.headers\.(date|server)$", "the time and software of the server"),
    IgnoreRule(r"^(request|response)\.headers\.content-length$", "the body length, which the values above change"),
)


class IgnoreRules:
    """Compiled ignore patterns, with a count of the differences each one removed."""

    def __init__(self, rules: Iterable[IgnoreRule]) -> None:
        self.rules = tuple(rules)
        self._compiled = [(rule, re.compile(rule.pattern)) for rule in self.rules]
        self.counts: dict[str, int] = {rule.pattern: 0 for rule in self.rules}

    @classmethod
    def build(cls, extra_patterns: Iterable[str] = (), *, defaults: bool = True) -> IgnoreRules:
        """Return the default rules (unless `defaults` is false) followed by `extra_patterns`.

        Raises ValueError naming the `--ignore` value that is not a valid regular expression.
        """
        rules = list(DEFAULT_IGNORE_RULES) if defaults else []
        for pattern in extra_patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(
                    f"invalid --ignore pattern {pattern!r}: {error}. Give a Python regular"
                    r" expression for paths such as response.body\['name'\]"
                ) from None
            rules.append(IgnoreRule(pattern, "given with --ignore"))
        return cls(rules)

    def ignores(self, path: str) -> bool:
        """Return whether a rule matches `path`, and count the match for the first such rule."""
        for rule, compiled in self._compiled:
            if compiled.search(path):
                self.counts[rule.pattern] += 1
                return True
        return False
