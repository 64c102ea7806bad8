"""The apps, containers and variables that sample payloads refer to.

The defaults come from the reference server's bundled world file, read here as plain YAML
data: this layer may not import the server package, and it needs only the `variables:`
block and the pods of each app.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

logger = logging.getLogger(__name__)

# The variable names of the bundled world that name an app, with what the app is for.
APP_VARIABLES = ("app_id", "failover_app_id", "no_failover_app_id", "disabled_app_id")


@dataclass(frozen=True)
class Container:
    """One container of an app, with the pod it runs in: the strings criteria are built from."""

    name: str
    image: str
    pod: str
    namespace: str
    labels: tuple[tuple[str, str], ...] = ()

    def label_strings(self) -> list[str]:
        """Return the pod's labels written as `key=value`, the form a podLabel criterion matches."""
        return [f"{key}={value}" for key, value in self.labels]


@dataclass(frozen=True)
class AppTarget:
    """An app that hooks are created for: its display name and its containers."""

    name: str
    containers: tuple[Container, ...]


@dataclass(frozen=True)
class DefaultWorld:
    """The variables and the apps (by id) that this layer reads from the bundled world."""

    variables: dict[str, str]
    apps: dict[str, AppTarget]


def _world_text() -> str:
    # `harness` is the only package imported here; the server package is not.
    return (resources.files("harness") / "server" / "default_world.yaml").read_text("utf-8")


def _containers_of(app: Mapping[str, Any]) -> tuple[Container, ...]:
    containers = []
    for pod in app.get("pods", []):
        labels = tuple((str(key), str(value)) for key, value in (pod.get("labels") or {}).items())
        for container in pod.get("containers", []):
            containers.append(Container(
                name=str(container["name"]),
                image=str(container["image"]),
                pod=str(pod["name"]),
                namespace=str(pod["namespace"]),
                labels=labels,
            ))
    return tuple(containers)


@lru_cache(maxsize=1)
def default_world() -> DefaultWorld:
    """Return the variables and apps of the bundled world file."""
    document = yaml.safe_load(_world_text())
    apps: dict[str, AppTarget] = {}
    for account in document.get("accounts", []):
        for app in account.get("apps", []):
            apps[str(app["id"])] = AppTarget(str(app["name"]), _containers_of(app))
    variables = {str(name): str(value) for name, value in document["variables"].items()}
    return DefaultWorld(variables, apps)


def default_variables() -> dict[str, str]:
    """Return a copy of the bundled world's `variables:` block."""
    return dict(default_world().variables)


class AppDirectory:
    """Finds the containers of the app an app variable names.

    The lookup tries, in order: the `containers` given for `app_id`, the bundled world's
    app whose id is the variable's value, and the bundled world's app of the variable's
    default value. The last step lets placeholder values such as "${app_id}" find
    containers. An app found by none of them has no containers.
    """

    def __init__(self, variables: Mapping[str, str], containers: Sequence[Container] | None = None):
        self._variables = variables
        self._containers = tuple(containers) if containers is not None else None
        self._world = default_world()

    def app(self, variable: str) -> AppTarget:
        if variable == "app_id" and self._containers is not None:
            return AppTarget(self._app_name(variable), self._containers)
        found = self._world.apps.get(self._variables.get(variable, ""))
        if found is None:
            found = self._world.apps.get(self._world.variables.get(variable, ""))
        if found is None:
            logger.debug("no containers known for the app of variable %s", variable)
            return AppTarget(self._app_name(variable), ())
        return found

    def _app_name(self, variable: str) -> str:
        found = self._world.apps.get(self._world.variables.get(variable, ""))
        return found.name if found is not None else "app"
