"""Unit tests of the query parameter check."""

from __future__ import annotations

import pytest

from harness.contract.facts import COLLECTION_QUERY_PARAMETERS
from harness.server.problems import Rejection
from harness.server.queries import WELL_FORMED, check_query


def rejection(query: bytes) -> Rejection:
    with pytest.raises(Rejection) as raised:
        check_query(query)
    return raised.value


def test_rule_per_standard_parameter() -> None:
    assert set(WELL_FORMED) == set(COLLECTION_QUERY_PARAMETERS)


@pytest.mark.parametrize("query", [b"", b"&", b"&&"], ids=["empty", "separator", "separators"])
def test_no_parameters(query: bytes) -> None:
    check_query(query)


def test_percent_encoded_name() -> None:
    assert rejection(b"%C3%A9=1").extra == [{"name": "\u00e9", "reason": "unknown query parameter"}]


def test_invalid_percent_encoding() -> None:
    assert rejection(b"%FF=1").extra == [{"name": "\ufffd", "reason": "unknown query parameter"}]


def test_long_name_shortened() -> None:
    name = rejection(b"x" * 500 + b"=1").extra[0]["name"]
    assert name == "x" * 57 + "..."


def test_well_formed_reason() -> None:
    assert rejection(b"limit=5").extra == [
        {"name": "limit", "reason": "this operation takes no query parameters"}
    ]


def test_malformed_number() -> None:
    assert rejection(b"skip=1.5").number == 5
