"""Documented facts of the create-execution-hook operation: media types, enums and limits.

Sources: the Astra Control REST API reference page "Create a new execution hook" and the
vendor's OpenAPI 3.0 documents for releases from December 2022 to 24.02, which fill in the
"Defined values" the reference page leaves empty.
"""

from __future__ import annotations

RESOURCE_MEDIA_TYPE = "application/astra-executionHook"
REQUEST_MEDIA_TYPE = "application/astra-executionHook+json"
JSON_MEDIA_TYPE = "application/json"
PROBLEM_MEDIA_TYPE = "application/problem+json"

# Request Content-Types a server accepts for the body (parameters such as charset aside).
ACCEPTED_REQUEST_MEDIA_TYPES = (REQUEST_MEDIA_TYPE, JSON_MEDIA_TYPE)

CORE_PATH = "/accounts/{account_id}/core/v1/executionHooks"
APP_PATH = "/accounts/{account_id}/k8s/v1/apps/{app_id}/executionHooks"
OPERATION_PATHS = {"core": CORE_PATH, "app": APP_PATH}
RESOURCE_PATH = "/accounts/{account_id}/core/v1/executionHooks/{id}"

ROLES = ("owner", "admin", "member", "viewer")
CREATE_ROLES = frozenset({"owner", "admin", "member"})

API_VERSIONS = ("1.0", "1.1", "1.2", "1.3")
LATEST_VERSION = "1.3"

HOOK_TYPES = ("custom", "netapp")
STAGES = ("pre", "post")
ENABLED_VALUES = ("true", "false")
DEFAULT_ENABLED = "true"

# Standard collection query parameters of the Astra REST conventions. This operation takes
# none of them: a malformed value is problem 5, a well-formed one is problem 6.
COLLECTION_QUERY_PARAMETERS = ("limit", "skip", "continue", "count", "filter", "orderBy", "include")

# Lowercase UUID of version 4 or 5 (RFC 4122 variant), or the all-zero UUID.
UUID_PATTERN = (
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    r"|00000000-0000-0000-0000-000000000000)$"
)
# UTC timestamp with 0 to 9 fractional digits and a final Z.
TIMESTAMP_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?Z$"
ETAG_PATTERN = r"^[0-9a-f]{32}$"

NAME_MIN_LENGTH = 1
NAME_MAX_LENGTH = 63
DESCRIPTION_MAX_LENGTH = 511
ARGUMENTS_MAX_ITEMS = 16
ARGUMENT_MAX_LENGTH = 127
MATCHING_CRITERIA_MAX_ITEMS = 10
MATCHING_IMAGES_MAX_ITEMS = 4095
MATCHING_IMAGE_MIN_LENGTH = 1
MATCHING_IMAGE_MAX_LENGTH = 255
