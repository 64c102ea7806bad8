"""Rules of the request schema: each breaker makes the body fail one schema keyword, problem 8.

Every breaker starts from a valid body and changes one field, so jsonschema reports
errors at that field only. Values are plausible client mistakes: a boolean `enabled`, a
version sent as a number, a response-only key such as `matchingImages`, an uppercase UUID.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable
from typing import Any

from harness.contract import facts
from harness.contract.schemas import REQUEST_REQUIRED
from harness.samples import text
from harness.samples.payloads import BodyBuilder
from harness.samples.rule import Breaker, Rule
from harness.samples.sample import Draft

_UUID = re.compile(facts.UUID_PATTERN)
_TIMESTAMP = re.compile(facts.TIMESTAMP_PATTERN)


def _app(draft: Draft, builder: BodyBuilder):
    return builder.apps.app(draft.app_variable)


def _ensure_criteria(draft: Draft, builder: BodyBuilder, minimum: int = 1) -> list[dict[str, Any]]:
    criteria = draft.body.get("matchingCriteria") or []
    if len(criteria) < minimum:
        criteria = builder.criteria(_app(draft, builder), builder.rng.randint(minimum, max(minimum, 3)))
    draft.body["matchingCriteria"] = criteria
    return criteria


def _ensure_arguments(draft: Draft, builder: BodyBuilder, minimum: int = 1) -> list[str]:
    arguments = draft.body.get("arguments") or []
    while len(arguments) < minimum:
        arguments = text.arguments(builder.fake, _app(draft, builder), draft.action, draft.body["stage"])
    draft.body["arguments"] = arguments
    return arguments


def _missing(field: str) -> Breaker:
    def apply(draft: Draft, builder: BodyBuilder) -> None:
        del draft.body[field]
    return apply


def _string_field_wrong_type(rng: random.Random, field: str, value: Any) -> Any:
    if field == "version":
        return rng.choice((float(value), int(float(value)), [value]))
    if field == "enabled":
        return rng.choice((True, False, 1, None))
    if field in ("hookSourceID", "appID"):
        return rng.choice(({"id": value}, [value], None, rng.randint(1, 99999)))
    return rng.choice((rng.randint(0, 99999), True, None, [value], {"value": value}))


def _wrong_type(field: str) -> Breaker:
    def apply(draft: Draft, builder: BodyBuilder) -> None:
        rng = builder.rng
        current = draft.body.get(field)
        if field == "arguments":
            joined = " ".join(current or ["--timeout=30s", "--force"])
            value = rng.choice((joined, {"argv": current or []}, None, rng.randint(1, 16)))
        elif field == "matchingCriteria":
            criterion = _ensure_criteria(draft, builder)[0]
            value = rng.choice((criterion, f"{criterion['type']}={criterion['value']}", None))
        elif field == "metadata":
            value = rng.choice((text.labels(builder.fake, 2), "labels", None))
        else:
            value = _string_field_wrong_type(rng, field, current if current is not None else "true")
        draft.body[field] = value
    return apply


_NOT_IN_ENUM: dict[str, tuple[str, ...]] = {
    "type": ("application/astra-executionHook+json", "application/astra-app", "executionHook",
             "application/astra-executionhook"),
    "version": ("1.4", "2.0", "0.9", "1", "v1.2", "1.2.0", ""),
    "hookType": ("script", "Custom", "CUSTOM", "user", "builtin", ""),
    "action": ("clone", "Snapshot", "replicate", "backups", "pre", "BACKUP"),
    "stage": ("during", "PRE", "before", "after", "Post", ""),
    "enabled": ("yes", "True", "1", "enabled", "on", ""),
}


def _not_in_enum(field: str) -> Breaker:
    def apply(draft: Draft, builder: BodyBuilder) -> None:
        candidates = list(_NOT_IN_ENUM[field])
        if field == "action" and "failover" not in builder.features.actions:
            # An action of a newer version is outside this version's enum.
            candidates.append("failover")
        draft.body[field] = builder.rng.choice(candidates)
    return apply


def _name_empty(draft: Draft, builder: BodyBuilder) -> None:
    draft.body["name"] = ""


def _too_long(rng: random.Random, maximum: int) -> int:
    """Return a length over `maximum`: exactly one over in 40% of cases."""
    return maximum + 1 if rng.random() < 0.4 else rng.randint(maximum + 2, maximum * 3)


def _name_too_long(draft: Draft, builder: BodyBuilder) -> None:
    length = _too_long(builder.rng, facts.NAME_MAX_LENGTH)
    draft.body["name"] = text.pad_to(builder.fake, draft.body["name"], length)


def _description_too_long(draft: Draft, builder: BodyBuilder) -> None:
    length = _too_long(builder.rng, facts.DESCRIPTION_MAX_LENGTH)
    start = draft.body.get("description") or builder.fake.sentence()
    draft.body["description"] = text.pad_to(builder.fake, start, length, " ")


def _arguments_too_many(draft: Draft, builder: BodyBuilder) -> None:
    arguments = list(draft.body.get("arguments") or [])
    target_count = facts.ARGUMENTS_MAX_ITEMS + builder.rng.randint(1, 8)
    number = 0
    while len(arguments) < target_count:
        number += 1
        candidate = f"--shard={number}"
        if candidate not in arguments:
            arguments.append(candidate)
    draft.body["arguments"] = arguments


def _arguments_duplicate(draft: Draft, builder: BodyBuilder) -> None:
    arguments = list(_ensure_arguments(draft, builder))
    copy = builder.rng.choice(arguments)
    if len(arguments) < facts.ARGUMENTS_MAX_ITEMS:
        arguments.insert(builder.rng.randint(0, len(arguments)), copy)
    else:
        others = [i for i, item in enumerate(arguments) if item != copy]
        arguments[builder.rng.choice(others)] = copy
    draft.body["arguments"] = arguments


def _argument_too_long(draft: Draft, builder: BodyBuilder) -> None:
    arguments = list(_ensure_arguments(draft, builder))
    length = _too_long(builder.rng, facts.ARGUMENT_MAX_LENGTH)
    long_item = text.pad_to(builder.fake, "--note=" + text.slug(builder.fake.word()), length)
    arguments[builder.rng.randrange(len(arguments))] = long_item
    draft.body["arguments"] = arguments


def _argument_wrong_type(draft: Draft, builder: BodyBuilder) -> None:
    arguments = list(_ensure_arguments(draft, builder))
    position = builder.rng.randrange(len(arguments))
    rng = builder.rng
    arguments[position] = rng.choice((rng.randint(1, 600), True, None, [arguments[position]],
                                      {"flag": arguments[position]}))
    draft.body["arguments"] = arguments


def _criteria_too_many(draft: Draft, builder: BodyBuilder) -> None:
    count = facts.MATCHING_CRITERIA_MAX_ITEMS + builder.rng.randint(1, 5)
    draft.body["matchingCriteria"] = builder.criteria(_app(draft, builder), count)


def _criteria_duplicate(draft: Draft, builder: BodyBuilder) -> None:
    criteria = [dict(item) for item in _ensure_criteria(draft, builder)]
    copy = dict(builder.rng.choice(criteria))
    if len(criteria) < facts.MATCHING_CRITERIA_MAX_ITEMS:
        criteria.insert(builder.rng.randint(0, len(criteria)), copy)
    else:
        others = [i for i, item in enumerate(criteria) if item != copy]
        criteria[builder.rng.choice(others)] = copy
    draft.body["matchingCriteria"] = criteria


def _change_one_criterion(
    draft: Draft, builder: BodyBuilder, change: Callable[[dict[str, Any]], Any]
) -> None:
    criteria = [dict(item) for item in _ensure_criteria(draft, builder)]
    position = builder.rng.randrange(len(criteria))
    criteria[position] = change(criteria[position])
    draft.body["matchingCriteria"] = criteria


def _criterion_unknown_key(draft: Draft, builder: BodyBuilder) -> None:
    rng = builder.rng
    extra = rng.choice((("negate", True), ("operator", "matches"), ("flags", "i"), ("key", "app")))
    _change_one_criterion(draft, builder, lambda item: {**item, extra[0]: extra[1]})


def _criterion_wrong_type(draft: Draft, builder: BodyBuilder) -> None:
    rng = builder.rng
    _change_one_criterion(draft, builder, lambda item: rng.choice(
        (f"{item['type']}={item['value']}", [item["type"], item["value"]], None)
    ))


_CRITERION_TYPES_NOT_IN_ENUM = ("containerTag", "image", "ContainerImage", "labelSelector", "podname")


def _criterion_type_not_in_enum(draft: Draft, builder: BodyBuilder) -> None:
    candidates = list(_CRITERION_TYPES_NOT_IN_ENUM)
    if builder.features.criteria_types == ("containerImage",):
        # Types that version 1.2 added are outside the 1.1 enum.
        candidates += ["podName", "namespaceName"]
    chosen = builder.rng.choice(candidates)
    _change_one_criterion(draft, builder, lambda item: {"type": chosen, "value": item["value"]})


def _criterion_value_missing(draft: Draft, builder: BodyBuilder) -> None:
    _change_one_criterion(draft, builder, lambda item: {"type": item["type"]})


def _criterion_value_wrong_type(draft: Draft, builder: BodyBuilder) -> None:
    rng = builder.rng
    _change_one_criterion(draft, builder, lambda item: {
        "type": item["type"], "value": rng.choice(([item["value"]], {"regex": item["value"]}, None, 8)),
    })


_UNKNOWN_KEYS = ("id", "matchingImages", "matchingContainers", "hookSource", "enable", "Name",
                 "script", "timeout", "labels")


def _unknown_key_value(key: str, draft: Draft, builder: BodyBuilder) -> Any:
    fake = builder.fake
    if key == "id":
        return fake.uuid4()
    containers = _app(draft, builder).containers[:2]
    if key == "matchingImages":
        return [container.image for container in containers]
    if key == "matchingContainers":
        return [{"containerName": c.name, "containerImage": c.image} for c in containers]
    if key == "matchingCriteria":
        return [{"type": "containerImage", "value": builder.pattern(_app(draft, builder), "containerImage")}]
    if key == "labels":
        return text.labels(fake, 1)
    if key == "enable":
        return "true"
    if key == "timeout":
        return builder.rng.choice((30, 60, 300))
    return fake.file_name(extension="sh") if key in ("hookSource", "script") else draft.body["name"]


def _unknown_key(draft: Draft, builder: BodyBuilder) -> None:
    candidates = list(_UNKNOWN_KEYS)
    if not builder.features.has_matching_criteria:
        # Version 1.0 has no matchingCriteria, so the key is unknown there.
        candidates.append("matchingCriteria")
    key = builder.rng.choice(candidates)
    draft.body[key] = _unknown_key_value(key, draft, builder)


def _metadata(draft: Draft, builder: BodyBuilder) -> dict[str, Any]:
    metadata = dict(draft.body.get("metadata") or {"labels": []})
    draft.body["metadata"] = metadata
    return metadata


def _metadata_unknown_key(draft: Draft, builder: BodyBuilder) -> None:
    key = builder.rng.choice(("annotations", "name", "uid", "resourceVersion", "creatorName"))
    values = {
        "annotations": [{"name": "note", "value": builder.fake.word()}], "name": draft.body["name"],
        "uid": builder.fake.uuid4(), "resourceVersion": str(builder.rng.randint(1000, 99999)),
        "creatorName": text.user_name(builder.fake),
    }
    _metadata(draft, builder)[key] = values[key]


def _labels_duplicate(draft: Draft, builder: BodyBuilder) -> None:
    metadata = _metadata(draft, builder)
    labels = [dict(label) for label in metadata.get("labels") or text.labels(builder.fake, 2)]
    labels.append(dict(builder.rng.choice(labels)))
    metadata["labels"] = labels


def _not_timestamp(rng: random.Random, valid: str) -> str:
    stem = valid[:19]
    candidates = (stem.replace("T", " ") + "Z", stem, stem + "+02:00", valid[:10],
                  valid.rstrip("Z") + "0000000000Z", valid.lower())
    return rng.choice([c for c in candidates if _TIMESTAMP.fullmatch(c) is None])


def _timestamp_invalid(draft: Draft, builder: BodyBuilder) -> None:
    _metadata(draft, builder)["creationTimestamp"] = _not_timestamp(builder.rng, builder.fake.timestamp())


def not_uuid(builder: BodyBuilder, app_name: str) -> str:
    """Return a plausible identifier that the contract's UUID pattern rejects."""
    rng = builder.rng
    value = builder.fake.uuid4()
    version_one = str(uuid.UUID(int=rng.getrandbits(128), version=1))
    candidates = (value.upper(), value.replace("-", ""), "{" + value + "}", f"urn:uuid:{value}",
                  version_one, value[:-1], app_name, builder.fake.file_name(extension="sh"), "")
    return rng.choice([c for c in candidates if _UUID.fullmatch(c) is None])


def _not_uuid(field: str) -> Breaker:
    def apply(draft: Draft, builder: BodyBuilder) -> None:
        value = not_uuid(builder, _app(draft, builder).name)
        if field.startswith("metadata."):
            _metadata(draft, builder)[field.split(".", 1)[1]] = value
        else:
            draft.body[field] = value
    return apply


def _field_rules() -> list[Rule]:
    rules = [Rule(f"{field}.missing", 8, f"required field {field} is missing", _missing(field))
             for field in REQUEST_REQUIRED]
    for field in ("type", "version", "name", "hookType", "action", "stage", "hookSourceID",
                  "appID", "enabled", "description", "arguments", "matchingCriteria", "metadata"):
        since = "1.1" if field == "matchingCriteria" else "1.0"
        rules.append(Rule(f"{field}.wrong-type", 8, f"{field} has the wrong JSON type",
                          _wrong_type(field), min_version=since))
    for field in _NOT_IN_ENUM:
        rules.append(Rule(f"{field}.not-in-enum", 8, f"{field} is outside its enum", _not_in_enum(field)))
    return rules


def _limit_rules() -> list[Rule]:
    return [
        Rule("name.empty", 8, "name is empty (minimum 1 character)", _name_empty),
        Rule("name.too-long", 8, "name has more than 63 characters", _name_too_long),
        Rule("description.too-long", 8, "description has more than 511 characters", _description_too_long),
        Rule("arguments.too-many", 8, "arguments has more than 16 items", _arguments_too_many),
        Rule("arguments.duplicate", 8, "arguments has a repeated item", _arguments_duplicate),
        Rule("arguments[].too-long", 8, "an argument has more than 127 characters", _argument_too_long),
        Rule("arguments[].wrong-type", 8, "an argument is not a string", _argument_wrong_type),
    ]


def _criteria_rules() -> list[Rule]:
    items = [
        ("matchingCriteria.too-many", "matchingCriteria has more than 10 items", _criteria_too_many),
        ("matchingCriteria.duplicate", "matchingCriteria has a repeated item", _criteria_duplicate),
        ("matchingCriteria[].unknown-key", "a criterion has a key other than type and value",
         _criterion_unknown_key),
        ("matchingCriteria[].wrong-type", "a criterion is not an object", _criterion_wrong_type),
        ("matchingCriteria[].type.not-in-enum", "a criterion type is outside the version's types",
         _criterion_type_not_in_enum),
        ("matchingCriteria[].value.missing", "a criterion has no value", _criterion_value_missing),
        ("matchingCriteria[].value.wrong-type", "a criterion value is not a string",
         _criterion_value_wrong_type),
    ]
    return [Rule(rule_id, 8, summary, apply, min_version="1.1") for rule_id, summary, apply in items]


def _other_rules() -> list[Rule]:
    return [
        Rule("body.not-object", 8, "the body is JSON but not an object", _not_object),
        Rule("body.unknown-key", 8, "the body has a key the schema does not define", _unknown_key),
        Rule("metadata.unknown-key", 8, "metadata has a key the schema does not define",
             _metadata_unknown_key),
        Rule("metadata.labels.duplicate", 8, "metadata.labels has a repeated label", _labels_duplicate),
        Rule("metadata.creationTimestamp.not-timestamp", 8,
             "metadata.creationTimestamp is not a UTC timestamp", _timestamp_invalid),
        Rule("hookSourceID.not-uuid", 8, "hookSourceID is not a lowercase UUID", _not_uuid("hookSourceID")),
        Rule("appID.not-uuid", 8, "appID is not a lowercase UUID", _not_uuid("appID")),
        Rule("metadata.createdBy.not-uuid", 8, "metadata.createdBy is not a lowercase UUID",
             _not_uuid("metadata.createdBy")),
        Rule("metadata.modifiedBy.not-uuid", 8, "metadata.modifiedBy is not a lowercase UUID",
             _not_uuid("metadata.modifiedBy")),
    ]


def _not_object(draft: Draft, builder: BodyBuilder) -> None:
    # Never a bare JSON string, because a str body means raw text to the Sample type.
    draft.body = builder.rng.choice(([draft.body], builder.rng.randint(0, 9), True))


SCHEMA_RULES: tuple[Rule, ...] = tuple(_field_rules() + _limit_rules() + _criteria_rules() + _other_rules())
