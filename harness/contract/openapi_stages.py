"""The stages each action allows, read from an OpenAPI operation.

OpenAPI has no construct for "this action allows these stages", so the operation states it
in the `x-allowed-stages` extension, a mapping from action to its list of stages:

    x-allowed-stages: {snapshot: [pre, post], backup: [pre, post], restore: [post]}

Without the extension the built-in contract's rules are used for the actions of the request
schema's `action` enum, with a warning.
"""

from __future__ import annotations

from typing import Any

from harness.contract.openapi_refs import ImportLog, JsonPath
from harness.contract.versions import ACTION_STAGES

STAGES_EXTENSION = "x-allowed-stages"


def read_allowed_stages(
    op: dict[str, Any], op_path: JsonPath, request_schema: Any, log: ImportLog
) -> dict[str, list[str]]:
    """Return the allowed stages per action of an operation whose request schema is converted."""
    properties = request_schema.get("properties", {}) if isinstance(request_schema, dict) else {}
    actions = list(properties.get("action", {}).get("enum", []))
    stages = list(properties.get("stage", {}).get("enum", []))
    if STAGES_EXTENSION in op:
        declared_path = op_path + (STAGES_EXTENSION,)
        return _declared_stages(op[STAGES_EXTENSION], declared_path, actions, stages, log)
    log.warn(
        op_path,
        f"the operation does not state the allowed stages per action "
        f"({STAGES_EXTENSION}); the built-in contract's rules are used",
    )
    result = {}
    for action in actions:
        if action in ACTION_STAGES:
            result[action] = list(ACTION_STAGES[action])
        else:
            log.warn(
                op_path, f"action {action!r} is unknown to the built-in rules; all stages allowed"
            )
            result[action] = stages
    return result


def _declared_stages(
    declared: Any, path: JsonPath, actions: list[str], stages: list[str], log: ImportLog
) -> dict[str, list[str]]:
    if not isinstance(declared, dict) or not all(
        isinstance(v, list) and all(isinstance(s, str) for s in v) for v in declared.values()
    ):
        raise log.fail(
            path,
            f"{STAGES_EXTENSION} is not a mapping from action to a list of stages",
            declared,
            "Write it like {snapshot: [pre, post], restore: [post]}.",
        )
    for action, allowed in declared.items():
        if action not in actions:
            log.warn(path + (action,), f"action {action!r} is not in the request's action enum")
        for stage in allowed:
            if stage not in stages:
                log.warn(path + (action,), f"stage {stage!r} is not in the request's stage enum")
    for action in actions:
        if action not in declared:
            log.warn(
                path, f"action {action!r} has no allowed stages, so no hook of it can be created"
            )
    return {str(action): list(allowed) for action, allowed in declared.items()}
