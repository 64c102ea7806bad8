"""Record mode names and their parsing."""

from __future__ import annotations

import pytest

from harness.recording.modes import RecordMode, parse_record_mode


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("none", RecordMode.NONE),
        ("once", RecordMode.ONCE),
        ("new_episodes", RecordMode.NEW_EPISODES),
        ("all", RecordMode.ALL),
        ("NEW-EPISODES", RecordMode.NEW_EPISODES),
        (" All ", RecordMode.ALL),
        (RecordMode.ONCE, RecordMode.ONCE),
    ],
    ids=["none", "once", "new_episodes", "all", "hyphen-upper", "padded", "enum"],
)
def test_parse_record_mode_known(text, expected):
    assert parse_record_mode(text) is expected


def test_record_mode_values_are_vcrpy_names():
    import vcr.record_mode

    vcr_names = {mode.value for mode in vcr.record_mode.RecordMode}
    assert {mode.value for mode in RecordMode} <= vcr_names


def test_record_mode_is_str():
    assert RecordMode.NEW_EPISODES == "new_episodes"
    assert f"{RecordMode.ALL}" == "all"


@pytest.mark.parametrize("text", ["sometimes", "", "any", 3], ids=["word", "empty", "vcr-any", "int"])
def test_parse_record_mode_unknown_lists_modes(text):
    with pytest.raises(ValueError) as caught:
        parse_record_mode(text)
    message = str(caught.value)
    assert repr(text) in message
    for mode in ("none", "once", "new_episodes", "all"):
        assert mode in message
