"""Named faults: deliberate contract violations applied to responses after the handler.

A fault is a function from Reply to Reply. It runs on every response and changes only the
responses it is about. It must return a changed copy and leave the Reply it receives, and
the objects inside its payload, unmodified, because those objects may be shared. Faults let the harness prove that its checker catches a server
that breaks the contract.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

from harness.server.responses import Reply

Fault = Callable[[Reply], Reply]


def _missing_location(reply: Reply) -> Reply:
    """Drop the Location header of 201 responses."""
    if reply.status != 201:
        return reply
    headers = {name: value for name, value in reply.headers.items() if name.lower() != "location"}
    return dataclasses.replace(reply, headers=headers)


def _integer_status(reply: Reply) -> Reply:
    """Send the `status` of problem bodies as a JSON number instead of a string."""
    if reply.problem is None or not isinstance(reply.payload, dict):
        return reply
    payload = dict(reply.payload)
    payload["status"] = int(payload["status"])
    return dataclasses.replace(reply, payload=payload)


FAULTS: dict[str, Fault] = {
    "missing-location": _missing_location,
    "integer-status": _integer_status,
}


def resolve_faults(names: Sequence[str]) -> tuple[Fault, ...]:
    """Return the faults called `names`, raising ValueError that lists the known names."""
    if isinstance(names, str):
        names = [names]
    unknown = [name for name in names if name not in FAULTS]
    if unknown:
        known = ", ".join(sorted(FAULTS))
        raise ValueError(
            f"unknown fault {', '.join(repr(name) for name in unknown)}: use one of {known}"
        )
    return tuple(FAULTS[name] for name in names)


def apply_faults(reply: Reply, faults: tuple[Fault, ...]) -> Reply:
    for fault in faults:
        reply = fault(reply)
    return reply
