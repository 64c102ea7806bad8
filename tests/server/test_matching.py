"""Unit tests of RE2 criteria matching against the containers of an app."""

from __future__ import annotations

import pytest

from harness.server.matching import (
    InvalidPatternError, compile_pattern, match_containers, matching_images, matching_json,
)
from harness.server.world import App, Container, Pod

APP = App(
    id="44444444-4444-4444-8444-444444444444",
    name="shop",
    post_failover_hooks=False,
    pods=(
        Pod("web-0", "shop", (("app", "shop"), ("tier", "web")), (
            Container("nginx", "docker.io/library/nginx:1.25"),
            Container("sidecar", "docker.io/library/envoy:1.29"),
        )),
        Pod("db-0", "shop-data", (("app", "shop"),), (
            Container("postgres", "docker.io/library/postgres:16"),
            Container("backup", "docker.io/library/nginx:1.25"),
        )),
    ),
)


def names(criteria: list[dict[str, str]]) -> list[str]:
    return [match.container.name for match in match_containers(APP, criteria)]


def test_no_criteria_all() -> None:
    assert names([]) == ["nginx", "sidecar", "postgres", "backup"]


def test_unanchored_search() -> None:
    assert names([{"type": "containerImage", "value": "nginx"}]) == ["nginx", "backup"]


def test_anchored_pattern() -> None:
    assert names([{"type": "podName", "value": "^db-"}]) == ["postgres", "backup"]


def test_label_key_value() -> None:
    assert names([{"type": "podLabel", "value": "^tier=web$"}]) == ["nginx", "sidecar"]


def test_label_needs_pair() -> None:
    assert names([{"type": "podLabel", "value": "^web$"}]) == []


def test_criteria_anded() -> None:
    criteria = [
        {"type": "namespaceName", "value": "^shop$"},
        {"type": "containerImage", "value": "envoy"},
    ]
    assert names(criteria) == ["sidecar"]


def test_images_distinct() -> None:
    matches = match_containers(APP, [{"type": "containerImage", "value": "nginx"}])
    assert matching_images(matches) == ["docker.io/library/nginx:1.25"]


def test_json_lists_fresh() -> None:
    criteria = [{"type": "containerName", "value": "nginx"}]
    first_images, first_containers = matching_json(APP, criteria)
    first_images.append("changed")
    first_containers.clear()
    second_images, second_containers = matching_json(APP, criteria)
    assert second_images == ["docker.io/library/nginx:1.25"]
    assert len(second_containers) == 1


def test_json_container_shape() -> None:
    _, containers = matching_json(APP, [{"type": "containerName", "value": "^postgres$"}])
    assert containers == [{
        "podName": "db-0",
        "podLabels": [{"name": "app", "value": "shop"}],
        "containerImage": "docker.io/library/postgres:16",
        "containerName": "postgres",
        "namespaceName": "shop-data",
    }]


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [("(a", "missing )"), (r"(a)\1", "invalid escape sequence"), ("(?=a)", "invalid perl operator")],
    ids=["unbalanced", "backreference", "lookahead"],
)
def test_invalid_pattern(pattern: str, reason: str) -> None:
    with pytest.raises(InvalidPatternError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        compile_pattern(pattern)


@pytest.mark.parametrize("pattern", ["", "[[:alpha:]]+", r"\pL", "(?i)NGINX", "(?P<name>x)"],
                         ids=["empty", "posix-class", "unicode-class", "flags", "named-group"])
def test_valid_pattern(pattern: str) -> None:
    assert compile_pattern(pattern) is not None
