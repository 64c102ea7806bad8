"""Media types of request and response bodies: which are JSON, which are form data."""

from __future__ import annotations

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


def media_type_essence(content_type: str | None) -> str | None:
    """Return the type/subtype of a Content-Type value, lowercased, without parameters."""
    if not content_type:
        return None
    essence = content_type.split(";", 1)[0].strip().lower()
    return essence or None


def is_json_media_type(content_type: str | None) -> bool:
    """Tell whether a Content-Type is JSON: application/json, text/json or any `+json` type.

    `application/astra-executionHook+json` and `application/problem+json` are JSON.
    """
    essence = media_type_essence(content_type)
    if essence is None:
        return False
    return essence in ("application/json", "text/json") or essence.endswith("+json")


def is_form_media_type(content_type: str | None) -> bool:
    return media_type_essence(content_type) == FORM_MEDIA_TYPE


def normalise_media_header(value: str | None) -> str | None:
    """Return a Content-Type or Accept value lowercased and without spaces, for comparison."""
    if value is None:
        return None
    return "".join(value.split()).lower()
