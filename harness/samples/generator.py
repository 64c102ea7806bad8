"""Generate create payloads: valid ones, or ones that break exactly one documented rule.

Payload `i` of a run depends only on the seed, `i`, the options and the Faker version.
A Faker instance reseeded with a seed derived from (seed, i) builds it, so the first ten
payloads of a run of 10 and of a run of 1,000 are the same. The one exception is a
name that an earlier payload of the run already took, which gets a numbered suffix.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from harness.contract import facts
from harness.contract.versions import VERSIONS, VersionFeatures, features
from harness.samples.fakers import ClockFreeFaker, check_locale, derive_seed
from harness.samples.payloads import BodyBuilder
from harness.samples.rule import Rule
from harness.samples.rules import get_rule
from harness.samples.sample import Draft, Sample
from harness.samples.world import AppDirectory, Container, default_variables

logger = logging.getLogger(__name__)

# Share of valid bodies sent to the app-scoped path instead of the core path.
APP_PATH_SHARE = 0.2
# Names shorter than this leave no room for a plausible name after a prefix.
MIN_NAME_BUDGET = 8


def check_count(count: object, option: str = "--count") -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"{option} must be a non-negative integer, got {count!r}: pass 0 or more")
    return count


def check_seed(seed: object, option: str = "--seed") -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"{option} must be a non-negative integer, got {seed!r}: pass 0 or more")
    return seed


def check_version(version: object, option: str = "--version") -> VersionFeatures:
    if not isinstance(version, str) or version not in VERSIONS:
        raise ValueError(
            f"{option} {version!r} is not a resource version: use one of {', '.join(VERSIONS)}"
        )
    return features(version)


class SampleGenerator:
    """Makes samples for one seed; names stay unique across every sample it makes."""

    def __init__(
        self,
        seed: int,
        variables: Mapping[str, str] | None = None,
        containers: Sequence[Container] | None = None,
    ) -> None:
        self.seed = check_seed(seed)
        self.variables = dict(variables) if variables is not None else default_variables()
        self.apps = AppDirectory(self.variables, containers)
        self._fakers: dict[str, ClockFreeFaker] = {}
        self._used_names: set[str] = set()

    def make(
        self,
        index: int,
        *,
        version: str = facts.LATEST_VERSION,
        locale: str = "en_US",
        rule_id: str | None = None,
        action: str | None = None,
        name_prefix: str = "",
        name_reserve: int = 0,
    ) -> Sample:
        """Return sample `index` of this generator's seed.

        Each name leaves `name_reserve` characters free for a prefix that the caller adds
        later, such as a target's `${name_prefix}`.
        """
        check_count(index, "index")
        feature_set = check_version(version)
        rule = get_rule(rule_id, version) if rule_id is not None else None
        fake = self._faker(locale)
        fake.reseed(derive_seed(self.seed, index))
        builder = BodyBuilder(
            fake, feature_set, self.variables, self.apps, name_prefix,
            _name_budget(name_prefix, name_reserve), self._used_names,
        )
        draft = self._valid_draft(index, builder, locale, rule, action)
        if rule is not None:
            rule.apply(draft, builder)
        return self._sample(draft, rule)

    def _faker(self, locale: str) -> ClockFreeFaker:
        if locale not in self._fakers:
            self._fakers[locale] = ClockFreeFaker(check_locale(locale))
        return self._fakers[locale]

    def _valid_draft(
        self, index: int, builder: BodyBuilder, locale: str, rule: Rule | None, action: str | None
    ) -> Draft:
        chosen = _choose_action(builder, rule, action)
        app_variable = "failover_app_id" if chosen == "failover" else "app_id"
        hook_source_variable = "hook_source_id"
        account_variable = "account_id"
        if rule is not None:
            app_variable = rule.app_variable or app_variable
            hook_source_variable = rule.hook_source_variable or hook_source_variable
            account_variable = rule.account_variable
        self._check_variables(rule, account_variable, app_variable, hook_source_variable)

        body = builder.build(chosen, builder.stage_for(chosen), app_variable, hook_source_variable)
        if rule is not None and rule.operation is not None:
            operation = rule.operation
        else:
            operation = "app" if builder.rng.random() < APP_PATH_SHARE else "core"
        return Draft(
            index=index, version=builder.features.version, locale=locale, action=chosen,
            app_variable=app_variable, body=body, variables=self.variables, operation=operation,
            account_variable=account_variable, headers={"Content-Type": builder.content_type()},
        )

    def _check_variables(self, rule: Rule | None, *names: str) -> None:
        needed = [*names, *(rule.variables if rule else ())]
        missing = [name for name in dict.fromkeys(needed) if name not in self.variables]
        if missing:
            purpose = f"rule {rule.id}" if rule else "valid payloads"
            raise ValueError(
                f"variables lack {', '.join(missing)}, needed by {purpose}: add them to the"
                " variables mapping, or leave variables unset to use the bundled world's values"
            )
        if rule is not None and rule.id == "appID.differs-from-path" and (
            self.variables["app_id"] == self.variables["no_failover_app_id"]
        ):
            raise ValueError(
                "rule appID.differs-from-path needs two apps, but variables app_id and"
                " no_failover_app_id are equal: set no_failover_app_id to another app of the account"
            )

    def _sample(self, draft: Draft, rule: Rule | None) -> Sample:
        account = self.variables[draft.account_variable]
        if draft.operation == "app":
            app = self.variables[draft.path_app_variable or draft.app_variable]
            path = facts.APP_PATH.format(account_id=account, app_id=app)
        else:
            path = facts.CORE_PATH.format(account_id=account)
        return Sample(
            index=draft.index, version=draft.version, locale=draft.locale,
            rule=rule.id if rule else None,
            expected_status=rule.status if rule else 201,
            expected_problem=rule.problem if rule else None,
            body=draft.body, path=path, headers=dict(draft.headers), token=draft.token,
            query=tuple(draft.query), setup=tuple(draft.setup),
        )


def _name_budget(name_prefix: str, name_reserve: int) -> int:
    budget = facts.NAME_MAX_LENGTH - len(name_prefix) - name_reserve
    if budget < MIN_NAME_BUDGET:
        raise ValueError(
            f"name prefix {name_prefix!r} with {name_reserve} reserved characters leaves {budget}"
            f" of the {facts.NAME_MAX_LENGTH} characters of a name: use a prefix of at most"
            f" {facts.NAME_MAX_LENGTH - name_reserve - MIN_NAME_BUDGET} characters"
        )
    return budget


def _choose_action(builder: BodyBuilder, rule: Rule | None, action: str | None) -> str:
    version_actions = builder.features.actions
    allowed = [a for a in version_actions if rule is None or rule.actions is None or a in rule.actions]
    if action is None:
        return builder.rng.choice(allowed)
    if action not in version_actions:
        raise ValueError(
            f"--action {action!r} is not an action of resource version {builder.features.version}:"
            f" use one of {', '.join(version_actions)}"
        )
    if action not in allowed:
        raise ValueError(
            f"--invalid {rule.id} needs --action {' or '.join(allowed)}, got --action {action}:"
            " change --action or leave it unset"
        )
    return action


def generate_payloads(
    count: int,
    seed: int,
    *,
    locale: str = "en_US",
    version: str = facts.LATEST_VERSION,
    action: str | None = None,
    invalid_rule: str | None = None,
    variables: Mapping[str, str] | None = None,
    containers: Sequence[Container] | None = None,
    name_prefix: str = "",
) -> list[Sample]:
    """Return `count` samples: valid ones, or ones that break `invalid_rule` and nothing else.

    `variables` maps the names of the bundled world's `variables:` block (account_id,
    app_id, hook_source_id, ...) to ids; it defaults to the bundled world's values.
    `containers` are the containers of the `app_id` app, the strings matching criteria
    are built from; they default to the bundled world's app. Raises ValueError naming the
    option, the bad value and the allowed values.
    """
    check_count(count)
    check_version(version)
    check_locale(locale)
    if invalid_rule is not None:
        get_rule(invalid_rule, version)
    generator = SampleGenerator(seed, variables, containers)
    samples = [
        generator.make(index, version=version, locale=locale, rule_id=invalid_rule,
                       action=action, name_prefix=name_prefix)
        for index in range(count)
    ]
    logger.debug("generated %d samples (seed %d, rule %s)", count, seed, invalid_rule or "none")
    return samples
