"""Valid create bodies for one resource version, built from seeded Faker values.

Keys follow the order of the documented example request. Optional fields appear with
these rough shares: matchingCriteria 70% (1.1 and later), arguments 75%, description 70%,
enabled 50%, metadata 15%.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from harness.contract import facts
from harness.contract.versions import ACTION_STAGES, VersionFeatures
from harness.samples import regexes, text
from harness.samples.fakers import ClockFreeFaker
from harness.samples.world import AppDirectory, AppTarget, Container

# Content-Types a valid sample may send: the two accepted media types, with and without charset.
VALID_CONTENT_TYPES = (
    facts.REQUEST_MEDIA_TYPE,
    facts.JSON_MEDIA_TYPE,
    f"{facts.JSON_MEDIA_TYPE}; charset=utf-8",
)


class BodyBuilder:
    """Builds the valid bodies of one payload.

    Names are unique across the builders that share `used_names`: `name_prefix` starts
    each name, `name_budget` is the number of characters after the prefix, and a name
    already used gets a `-2`, `-3`... suffix.
    """

    def __init__(
        self,
        fake: ClockFreeFaker,
        features: VersionFeatures,
        variables: Mapping[str, str],
        apps: AppDirectory,
        name_prefix: str = "",
        name_budget: int = facts.NAME_MAX_LENGTH,
        used_names: set[str] | None = None,
    ) -> None:
        self.fake = fake
        self.features = features
        self.variables = variables
        self.apps = apps
        self.name_prefix = name_prefix
        self.name_budget = name_budget
        self._used_names = used_names if used_names is not None else set()

    @property
    def rng(self) -> random.Random:
        """The seeded random generator of this payload's Faker instance."""
        return self.fake.random

    def stage_for(self, action: str) -> str:
        return self.rng.choice(ACTION_STAGES[action])

    def build(
        self, action: str, stage: str, app_variable: str,
        hook_source_variable: str = "hook_source_id", name: str | None = None,
    ) -> dict[str, Any]:
        """Return a valid body; `name` (already unique) replaces the generated one if given."""
        app = self.apps.app(app_variable)
        body: dict[str, Any] = {
            "type": facts.RESOURCE_MEDIA_TYPE,
            "version": self.features.version,
            "name": name if name is not None else self.unique_name(app, action, stage),
            "hookType": "custom",
        }
        if self.features.has_matching_criteria and self.rng.random() < 0.7:
            body["matchingCriteria"] = self.criteria(app, self._criteria_count())
        body["action"] = action
        body["stage"] = stage
        body["hookSourceID"] = self.variables[hook_source_variable]
        if self.rng.random() < 0.75:
            body["arguments"] = text.arguments(self.fake, app, action, stage)
        body["appID"] = self.variables[app_variable]
        if self.rng.random() < 0.5:
            body["enabled"] = self.rng.choice(facts.ENABLED_VALUES)
        if self.rng.random() < 0.7:
            body["description"] = text.description(self.fake, app, action, stage)
        if self.rng.random() < 0.15:
            body["metadata"] = self.metadata()
        return body

    def content_type(self) -> str:
        return self.rng.choice(VALID_CONTENT_TYPES)

    def unique_name(self, app: AppTarget, action: str, stage: str) -> str:
        base = text.hook_name(self.fake, app, action, stage, self.name_budget)
        candidate = base
        number = 1
        while self.name_prefix + candidate in self._used_names:
            number += 1
            suffix = f"-{number}"
            candidate = text.fit(base, self.name_budget - len(suffix)) + suffix
        name = self.name_prefix + candidate
        self._used_names.add(name)
        return name

    def _criteria_count(self) -> int:
        if self.rng.random() < 0.05:
            return facts.MATCHING_CRITERIA_MAX_ITEMS
        return self.rng.choice((0, 1, 1, 1, 2, 2, 3, 4))

    def criteria(self, app: AppTarget, count: int) -> list[dict[str, str]]:
        """Return `count` distinct criteria that all match one container of the app.

        The server requires a container to match every criterion of a hook, so taking all
        criteria from one container makes the hook match at least that container.
        """
        container = self._container(app)
        found: dict[tuple[str, str], None] = {}
        attempts = 0
        while len(found) < count and attempts < count * 10:
            attempts += 1
            criterion_type = self.rng.choice(self._types_of(container))
            found[(criterion_type, self._pattern_for(app, container, criterion_type))] = None
        if len(found) < count:
            # Few distinct patterns (version 1.1 has one criterion type): image prefixes.
            for pattern in regexes.prefix_patterns(container.image):
                found.setdefault(("containerImage", pattern), None)
                if len(found) == count:
                    break
        return [{"type": kind, "value": value} for kind, value in list(found)[:count]]

    def _container(self, app: AppTarget) -> Container:
        if app.containers:
            return self.rng.choice(app.containers)
        # An app without containers: invent one plausible container.
        word = text.slug(self.fake.word()) or "app"
        image = f"registry.example.com/{word}/{word}:1.{self.rng.randint(0, 9)}.0"
        return Container(word, image, f"{word}-0", word, (("app", word),))

    def _types_of(self, container: Container) -> tuple[str, ...]:
        types = self.features.criteria_types
        if not container.labels:
            types = tuple(kind for kind in types if kind != "podLabel")
        return types

    def _pattern_for(self, app: AppTarget, container: Container, criterion_type: str) -> str:
        source = self.rng.choice(regexes.container_strings(criterion_type, container))
        others = regexes.source_strings(criterion_type, app.containers)
        return regexes.valid_pattern(self.rng, criterion_type, source, others)

    def pattern(self, app: AppTarget, criterion_type: str) -> str:
        """Return an RE2 pattern that matches a string of `criterion_type` of one app container."""
        container = self._container(app)
        if criterion_type not in self._types_of(container):
            criterion_type = "containerImage"
        return self._pattern_for(app, container, criterion_type)

    def invalid_pattern(self, app: AppTarget, criterion_type: str) -> str:
        """Return a pattern that RE2 rejects, built from a string of one app container."""
        container = self._container(app)
        sources = regexes.container_strings(criterion_type, container) or [container.image]
        return regexes.not_re2_pattern(self.rng, sources)

    def metadata(self) -> dict[str, Any]:
        metadata: dict[str, Any] = {"labels": text.labels(self.fake, self.rng.randint(0, 4))}
        if self.rng.random() < 0.3:
            metadata["creationTimestamp"] = self.fake.timestamp()
        return metadata
