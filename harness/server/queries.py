"""The query parameter check: this operation takes no query parameters.

A standard collection parameter with a malformed value is problem 5 (invalid). Any other
parameter, including a well-formed standard one, is problem 6 (not supported). When both
kinds occur, problem 5 wins and lists only the malformed parameters.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from harness.server.problems import Rejection, named_reasons

_FIELD = r"[A-Za-z_][A-Za-z0-9_.]*"
_ORDER_TERM = rf"{_FIELD}(?: (?:asc|desc))?"

# The well-formed values of the standard collection parameters, as this project reads
# the Astra REST conventions, each with the description used in invalidParams reasons.
WELL_FORMED: dict[str, tuple[re.Pattern[str], str]] = {
    "limit": (re.compile(r"[0-9]{1,9}"), "expected a non-negative integer"),
    "skip": (re.compile(r"[0-9]{1,9}"), "expected a non-negative integer"),
    "continue": (re.compile(r".+", re.DOTALL), "expected a non-empty continuation token"),
    "count": (re.compile(r"true|false"), "expected true or false"),
    "filter": (re.compile(r".*\S.*", re.DOTALL), "expected a non-empty filter expression"),
    "orderBy": (
        re.compile(rf"{_ORDER_TERM}(?:,{_ORDER_TERM})*"),
        "expected field names separated by commas, each optionally followed by ' asc' or ' desc'",
    ),
    "include": (
        re.compile(rf"{_FIELD}(?:,{_FIELD})*"), "expected field names separated by commas"
    ),
}

_MAX_SHOWN_NAME = 60


def check_query(query_string: bytes) -> None:
    """Raise Rejection(5) or Rejection(6) with invalidParams if the query has parameters."""
    if not query_string:
        return
    parameters = parse_qsl(
        query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8", errors="replace"
    )
    if not parameters:
        # A query such as "?&" has separators but no parameter.
        return
    malformed = []
    unsupported = []
    for name, value in parameters:
        listed_name = name if len(name) <= _MAX_SHOWN_NAME else name[: _MAX_SHOWN_NAME - 3] + "..."
        rule = WELL_FORMED.get(name)
        if rule is not None and rule[0].fullmatch(value) is None:
            malformed.append((listed_name, f"invalid value for {name}: {rule[1]}"))
        elif rule is not None:
            unsupported.append((listed_name, "this operation takes no query parameters"))
        else:
            unsupported.append((listed_name, "unknown query parameter"))
    if malformed:
        raise Rejection(5, named_reasons(malformed), reason="malformed query parameter")
    raise Rejection(6, named_reasons(unsupported), reason="unsupported query parameter")

