"""Record modes: when a cassette session replays recorded responses and when it records."""

from __future__ import annotations

import enum


class RecordMode(str, enum.Enum):
    """vcrpy's record modes, under vcrpy's names.

    - `none`: replay only. A missing cassette or an unrecorded request is an error.
    - `once`: record a cassette that does not exist yet, else replay only.
    - `new_episodes`: replay the requests a cassette has, record the ones it lacks.
    - `all`: re-record every request and replace the cassette.
    """

    NONE = "none"
    ONCE = "once"
    NEW_EPISODES = "new_episodes"
    ALL = "all"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def _missing_(cls, value: object) -> RecordMode:
        if isinstance(value, str):
            spelled = value.strip().lower().replace("-", "_")
            for mode in cls:
                if mode.value == spelled:
                    return mode
        known = ", ".join(mode.value for mode in cls)
        raise ValueError(f"unknown record mode {value!r}: use one of {known}")


def parse_record_mode(value: RecordMode | str) -> RecordMode:
    """Return `value` as a RecordMode; ValueError lists the modes for an unknown name.

    Names compare case-insensitively, and `-` may stand for `_` ("new-episodes").
    """
    return RecordMode(value)
