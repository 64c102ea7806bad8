"""pytest fixtures for tests that need create payloads: `hook_samples`.

The hook-harness pytest plugin registers this module, so any test can ask for it:

    def test_rejects_netapp_hooks(hook_samples, server):  # `server`: your ReferenceServer fixture
        for sample in hook_samples(count=5, invalid_rule="hookType.netapp"):
            response = requests.post(
                server.base_url + sample.path, params=list(sample.query),
                data=sample.encoded_body(), headers=sample.request_headers(server.variables),
            )
            assert response.status_code == sample.expected_status

The seed defaults to the `--sample-seed` command-line option (0 when the option is not
given or not registered), so a run repeats with the same payloads until the seed changes.
Each call of the factory starts a new generator, so names are unique within one call
only. Pass `name_prefix` to keep the names of several calls apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pytest

from harness.contract.facts import LATEST_VERSION
from harness.samples.generator import generate_payloads
from harness.samples.sample import Sample
from harness.samples.world import Container

SEED_OPTION = "--sample-seed"

SampleFactory = Callable[..., list[Sample]]


@pytest.fixture
def hook_samples(request: pytest.FixtureRequest) -> SampleFactory:
    """Return a factory: hook_samples(count=1, seed=None, version="1.3", invalid_rule=None, ...)."""
    default_seed = request.config.getoption(SEED_OPTION, default=0)
    default_seed = 0 if default_seed is None else default_seed

    def make(
        count: int = 1,
        seed: int | None = None,
        version: str = LATEST_VERSION,
        invalid_rule: str | None = None,
        *,
        locale: str = "en_US",
        action: str | None = None,
        variables: Mapping[str, str] | None = None,
        containers: Sequence[Container] | None = None,
        name_prefix: str = "",
    ) -> list[Sample]:
        return generate_payloads(
            count, default_seed if seed is None else seed, locale=locale, version=version,
            action=action, invalid_rule=invalid_rule, variables=variables,
            containers=containers, name_prefix=name_prefix,
        )

    return make
