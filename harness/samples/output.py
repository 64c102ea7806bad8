"""Writing samples as JSON Lines or JSON, with a record of how they were generated.

JSON Lines output starts with one header line `{"_generator": {...}}`, followed by one
sample per line. JSON output is one object `{"_generator": {...}, "samples": [...]}`. The
header names the Faker version, because the same seed gives other values under another
Faker release. Output is byte-identical for the same options and Faker version: keys keep
insertion order, non-ASCII text is written as UTF-8, and no time or host appears.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from harness.samples.fakers import FAKER_VERSION
from harness.samples.sample import Sample

FORMAT_VERSION = 1
FORMATS = ("jsonl", "json")


def generator_record(options: Mapping[str, Any]) -> dict[str, Any]:
    """Return the `_generator` value: the tool, format and Faker versions, and the options."""
    return {
        "tool": "hook-harness sample",
        "format": FORMAT_VERSION,
        "faker": FAKER_VERSION,
        **options,
    }


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def render_jsonl(samples: Iterable[Sample], options: Mapping[str, Any]) -> str:
    lines = [_line({"_generator": generator_record(options)})]
    lines.extend(_line(sample.to_record()) for sample in samples)
    return "\n".join(lines) + "\n"


def render_json(samples: Iterable[Sample], options: Mapping[str, Any]) -> str:
    document = {
        "_generator": generator_record(options),
        "samples": [sample.to_record() for sample in samples],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render(samples: Iterable[Sample], options: Mapping[str, Any], output_format: str = "jsonl") -> str:
    """Return the samples in `output_format` ("jsonl" or "json"), raising ValueError otherwise."""
    if output_format == "jsonl":
        return render_jsonl(samples, options)
    if output_format == "json":
        return render_json(samples, options)
    raise ValueError(f"--format {output_format!r} is not supported: use one of {', '.join(FORMATS)}")
