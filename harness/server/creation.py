"""The created execution hook: the 201 body and its headers."""

from __future__ import annotations

from typing import Any

from harness.contract.facts import DEFAULT_ENABLED, RESOURCE_PATH
from harness.contract.model import Contract
from harness.contract.versions import features
from harness.server.matching import matching_json
from harness.server.responses import Reply
from harness.server.world import App, User


def build_hook(
    payload: dict[str, Any], body_version: str, user: User, app: App, hook_id: str, now: str
) -> dict[str, Any]:
    """Return the stored resource for a create body that passed every check.

    Keys follow the order of the documented example response. Client-sent metadata other
    than labels is ignored. matchingImages (1.1+) and matchingContainers (1.2+) are present
    only when the body sends matchingCriteria, because the documented example response
    has neither for a body without criteria.
    """
    feature_set = features(body_version)
    hook: dict[str, Any] = {
        "type": payload["type"],
        "version": body_version,
        "id": hook_id,
        "name": payload["name"],
        "hookType": payload["hookType"],
    }
    if feature_set.has_matching_criteria:
        hook["matchingCriteria"] = payload.get("matchingCriteria", [])
    for key in ("action", "stage", "hookSourceID", "arguments", "appID"):
        if key in payload:
            hook[key] = payload[key]
    hook["enabled"] = payload.get("enabled", DEFAULT_ENABLED)
    if "description" in payload:
        hook["description"] = payload["description"]
    hook["metadata"] = {
        "labels": payload.get("metadata", {}).get("labels", []),
        "creationTimestamp": now,
        "modificationTimestamp": now,
        "createdBy": user.id,
    }
    if feature_set.has_matching_images and "matchingCriteria" in payload:
        images, containers = matching_json(app, payload["matchingCriteria"])
        hook["matchingImages"] = images
        if feature_set.has_matching_containers:
            hook["matchingContainers"] = containers
    return hook


def created_reply(
    hook: dict[str, Any], account_id: str, base_url: str, accept: str | None,
    contract: Contract, correlation_id: str,
) -> Reply:
    """Return the 201 response for a stored `hook`; encoding adds the Etag."""
    location = base_url + RESOURCE_PATH.format(account_id=account_id, id=hook["id"])
    return Reply(
        status=201,
        payload=hook,
        content_type=contract.created_content_type(accept),
        headers={"Location": location},
        correlation_id=correlation_id,
        add_etag=True,
    )

