"""The documented example exchanges of the reference page, as data.

The reference server's default world contains the app and hook source these ids name, so the
example request creates a hook whose body differs from the example response only in the
values a server chooses (id, timestamps, createdBy).
"""

from __future__ import annotations

from typing import Any

EXAMPLE_REQUEST: dict[str, Any] = {
    "type": "application/astra-executionHook",
    "version": "1.2",
    "name": "Payroll",
    "hookType": "custom",
    "action": "snapshot",
    "stage": "pre",
    "hookSourceID": "50e89023-ba84-435d-bb47-1833f4c250ff",
    "arguments": ["freeze"],
    "appID": "7be5ae7c-151d-4230-ac39-ac1d0b33c2a9",
    "enabled": "true",
    "description": "Payroll production hook",
}

EXAMPLE_RESPONSE: dict[str, Any] = {
    "type": "application/astra-executionHook",
    "version": "1.2",
    "id": "946e60cb-980b-5374-9e6e-9fe1f6780352",
    "name": "Payroll",
    "hookType": "custom",
    "matchingCriteria": [],
    "action": "snapshot",
    "stage": "pre",
    "hookSourceID": "50e89023-ba84-435d-bb47-1833f4c250ff",
    "arguments": ["freeze"],
    "appID": "7be5ae7c-151d-4230-ac39-ac1d0b33c2a9",
    "enabled": "true",
    "description": "Payroll production hook",
    "metadata": {
        "labels": [],
        "creationTimestamp": "2022-10-06T20:58:16.305662Z",
        "modificationTimestamp": "2022-10-06T20:58:16.305662Z",
        "createdBy": "8f84cf09-8036-51e4-b579-bd30cb07b269",
    },
}

# Fields of the example response that a server chooses; everything else must be equal.
SERVER_CHOSEN_PATHS = (
    "root['id']",
    "root['metadata']['creationTimestamp']",
    "root['metadata']['modificationTimestamp']",
    "root['metadata']['createdBy']",
)

EXAMPLE_PROBLEMS: dict[int, dict[str, str]] = {
    3: {
        "type": "https://astra.netapp.io/problems/3",
        "title": "Missing bearer token",
        "detail": "The request is missing the required bearer token.",
        "status": "401",
    },
    5: {
        "type": "https://astra.netapp.io/problems/5",
        "title": "Invalid query parameters",
        "detail": "The supplied query parameters are invalid.",
        "status": "400",
    },
    10: {
        "type": "https://astra.netapp.io/problems/10",
        "title": "JSON resource conflict",
        "detail": "The request body JSON contains a field that conflicts with an idempotent value.",
        "status": "409",
    },
    11: {
        "type": "https://astra.netapp.io/problems/11",
        "title": "Operation not permitted",
        "detail": "The requested operation isn't permitted.",
        "status": "403",
    },
    2: {
        "type": "https://astra.netapp.io/problems/2",
        "title": "Collection not found",
        "detail": "The collection specified in the request URI wasn't found.",
        "status": "404",
    },
}
