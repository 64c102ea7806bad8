"""Loading scenario files into `Scenario` values, with an error for every problem found.

One invalid scenario never stops the other scenarios of its file from loading, and one
invalid file never stops the other files. The format is described in docs/scenarios.md.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harness.contract.facts import API_VERSIONS
from harness.contract.requirements import known_requirement_ids
from harness.scenario.checks import Checker, show
from harness.scenario.expectation import ExpectDefaults, read_expect, read_expect_defaults
from harness.scenario.model import ExpectedResponse, RequestSpec, Scenario, ScenarioError
from harness.scenario.request_spec import RequestDefaults, read_defaults, read_request
from harness.scenario.yaml_source import YamlDocument, child_path, parse_yaml

logger = logging.getLogger(__name__)

TOP_LEVEL_KEYS = ("defaults", "scenarios")
DEFAULTS_KEYS = ("request", "expect", "versions", "tags")
SCENARIO_KEYS = ("id", "description", "versions", "tags", "covers", "setup", "request", "expect")
SCENARIO_SUFFIXES = (".yaml", ".yml")
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*")


@dataclass
class LoadResult:
    """The scenarios that loaded, the errors found, and the files read."""

    scenarios: list[Scenario] = field(default_factory=list)
    errors: list[ScenarioError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def extend(self, other: LoadResult) -> None:
        self.scenarios.extend(other.scenarios)
        self.errors.extend(other.errors)
        self.files.extend(other.files)


@dataclass
class FileDefaults:
    request: RequestDefaults = field(default_factory=RequestDefaults)
    expect: ExpectDefaults = field(default_factory=ExpectDefaults)
    versions: tuple[str, ...] | None = None
    tags: tuple[str, ...] = ()


def scenario_files(paths: Iterable[Path]) -> tuple[list[Path], list[ScenarioError]]:
    """Expand files and directories (recursively, `*.yaml` and `*.yml`, sorted) into files."""
    files: list[Path] = []
    errors: list[ScenarioError] = []
    seen: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(
                (item for item in path.rglob("*")
                 if item.suffix in SCENARIO_SUFFIXES and item.is_file()),
                key=lambda item: item.relative_to(path).as_posix(),
            )
        elif path.is_file():
            found = [path]
        else:
            errors.append(ScenarioError(path, "", "file or directory not found",
                                        "check the path, or create the scenario file"))
            continue
        for item in found:
            if item.resolve() not in seen:
                seen.add(item.resolve())
                files.append(item)
    return files, errors


def _read_text(path: Path) -> tuple[str | None, ScenarioError | None]:
    try:
        return path.read_bytes().decode("utf-8-sig"), None
    except OSError as error:
        return None, ScenarioError(path, "", f"cannot read the file: {error.strerror}",
                                   "check that the file exists and is readable")
    except UnicodeDecodeError as error:
        return None, ScenarioError(path, "", f"the file is not UTF-8 text (byte {error.start})",
                                   "save the file as UTF-8")


def _yaml_error(path: Path, error: yaml.YAMLError) -> ScenarioError:
    problem = getattr(error, "problem", None) or str(error)
    problem_mark = getattr(error, "problem_mark", None)
    if problem_mark is not None:
        problem += f" at line {problem_mark.line + 1}, column {problem_mark.column + 1}"
    context = getattr(error, "context", None)
    context_mark = getattr(error, "context_mark", None)
    if context and context_mark is not None:
        context += f" started at line {context_mark.line + 1}"
    detail = f"{context}: {problem}" if context else problem
    return ScenarioError(
        path, "", f"invalid YAML, {detail}",
        "correct the YAML syntax there, and quote values that contain ': ' "
        "or start with a special character",
    )


def load_scenario_file(path: Path) -> LoadResult:
    """Load one scenario file."""
    path = Path(path)
    result = LoadResult(files=[path])
    text, error = _read_text(path)
    if error is not None:
        result.errors.append(error)
        return result
    try:
        document = parse_yaml(text)
    except yaml.YAMLError as yaml_error:
        result.errors.append(_yaml_error(path, yaml_error))
        return result
    checker = Checker(path, document.line_of)
    result.scenarios = _FileReader(path, document, checker).read()
    result.errors = checker.errors
    _drop_duplicate_ids(result)
    logger.debug("loaded %d scenarios and %d errors from %s",
                 len(result.scenarios), len(result.errors), path)
    return result


def load_scenarios(paths: Iterable[Path]) -> LoadResult:
    """Load every scenario file under `paths`, reporting ids used more than once as errors."""
    files, errors = scenario_files(paths)
    result = LoadResult(errors=errors)
    for path in files:
        result.extend(load_scenario_file(path))
    _drop_duplicate_ids(result)
    return result


def _drop_duplicate_ids(result: LoadResult) -> None:
    """Keep the first scenario of each id, reporting every later one as an error."""
    first: dict[str, Scenario] = {}
    unique_scenarios = []
    for scenario in result.scenarios:
        earlier = first.get(scenario.id)
        if earlier is None:
            first[scenario.id] = scenario
            unique_scenarios.append(scenario)
            continue
        result.errors.append(ScenarioError(
            scenario.source or Path("."), f"scenarios[{scenario.index}].id",
            f"duplicate id {scenario.id!r}: also used by scenarios[{earlier.index}] "
            f"in {earlier.source}",
            "give each scenario an id that is unique across the whole suite",
        ))
    result.scenarios = unique_scenarios


class _FileReader:
    """Reader of the top level, the defaults and each scenario of one parsed file."""

    def __init__(self, path: Path, document: YamlDocument, checker: Checker):
        self.path = path
        self.document = document
        self.checker = checker

    def read(self) -> list[Scenario]:
        root = self.document.root
        if root is None:
            self.checker.error("", "the file is empty",
                               "write `scenarios:` followed by a list of scenarios")
            return []
        if not isinstance(root, yaml.MappingNode):
            self.checker.error("", "the top level must be a mapping with a `scenarios:` list",
                               "start the file with `scenarios:` (and optionally `defaults:`)")
            return []
        nodes = self._top_level_nodes(root)
        self._report_duplicate_keys("")
        defaults = self._read_defaults(nodes.get("defaults"))
        if defaults is None:
            return []
        return self._read_scenarios(nodes.get("scenarios"), defaults)

    def _top_level_nodes(self, root: yaml.MappingNode) -> dict[str, yaml.Node]:
        nodes: dict[str, yaml.Node] = {}
        for key_node, value_node in root.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else key_node
            if key in TOP_LEVEL_KEYS:
                nodes[key] = value_node
            else:
                self.checker.unknown_key(key, "", TOP_LEVEL_KEYS)
        if "scenarios" not in nodes:
            self.checker.error("scenarios", "missing required key 'scenarios'",
                               "add `scenarios:` with a list of scenarios")
        return nodes

    def _report_duplicate_keys(self, owner: str) -> None:
        """Report the duplicate keys inside `owner`: "", "defaults" or "scenarios[N]"."""
        for duplicate in self.document.duplicate_keys:
            if _owner_of(duplicate.key_path) == owner:
                self.checker.error(
                    duplicate.key_path,
                    f"duplicate key (line {duplicate.line}), "
                    f"first given at line {duplicate.first_line}",
                    "keep one of the two entries",
                )

    def _construct(self, node: yaml.Node, key_path: str) -> tuple[bool, Any]:
        try:
            return True, self.document.construct(node)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f" (line {mark.line + 1})" if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            self.checker.error(key_path, f"cannot read this value{line}: {problem}",
                               "write plain YAML values: no recursive anchors or unsupported types")
            return False, None

    def _read_defaults(self, node: yaml.Node | None) -> FileDefaults | None:
        """Read `defaults`. Return None if they have errors, because no scenario can use them."""
        defaults = FileDefaults()
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            return defaults
        count = len(self.checker.errors)
        self._report_duplicate_keys("defaults")
        constructed, data = self._construct(node, "defaults")
        data = self.checker.mapping(data, "defaults", DEFAULTS_KEYS) if constructed else None
        if data is not None:
            self._fill_defaults(defaults, data)
        return defaults if len(self.checker.errors) == count else None

    def _fill_defaults(self, defaults: FileDefaults, data: dict) -> None:
        if "request" in data:
            defaults.request = read_defaults(self.checker, data["request"], "defaults.request")
        if "expect" in data:
            defaults.expect = read_expect_defaults(self.checker, data["expect"], "defaults.expect")
        if "versions" in data:
            defaults.versions = _read_versions(self.checker, data["versions"], "defaults.versions")
        if "tags" in data:
            tags = self.checker.string_list(data["tags"], "defaults.tags", "[problem, '404']")
            defaults.tags = tuple(tags or ())

    def _read_scenarios(self, node: yaml.Node | None, defaults: FileDefaults) -> list[Scenario]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.checker.error("scenarios", "scenarios must be a non-empty list",
                               "write each scenario as a list item starting with `- id: ...`")
            return []
        scenarios = []
        for index, item in enumerate(node.value):
            scenario = self._read_scenario(item, index, defaults)
            if scenario is not None:
                scenarios.append(scenario)
        return scenarios

    def _read_scenario(
        self, node: yaml.Node, index: int, defaults: FileDefaults
    ) -> Scenario | None:
        key_path = f"scenarios[{index}]"
        count = len(self.checker.errors)
        self._report_duplicate_keys(key_path)
        constructed, data = self._construct(node, key_path)
        if not constructed:
            return None
        scenario = _ScenarioReader(self.checker, key_path, defaults).read(data)
        if scenario is None or len(self.checker.errors) != count:
            return None
        scenario.source = self.path
        scenario.index = index
        return scenario


_SCENARIO_PATH = re.compile(r"scenarios\[[0-9]+\]")


def _owner_of(key_path: str) -> str:
    """Return the part of a file a key path belongs to: "defaults", "scenarios[N]" or ""."""
    owner = _SCENARIO_PATH.match(key_path)
    if owner is not None:
        return owner.group(0)
    if key_path.startswith(("defaults.", "defaults[")):
        return "defaults"
    return ""


def _read_versions(checker: Checker, value: Any, key_path: str) -> tuple[str, ...] | None:
    versions = checker.string_list(value, key_path, '["1.2", "1.3"]')
    if versions is None:
        return None
    if not versions:
        checker.error(key_path, "versions is an empty list",
                      "list the resource versions the scenario applies to, or remove `versions`")
        return None
    unknown = [version for version in versions if version not in API_VERSIONS]
    if unknown:
        checker.error(key_path, f"unknown resource versions {show(unknown)}",
                      f"use versions from {', '.join(API_VERSIONS)}, quoted as in \"1.2\"")
        return None
    return tuple(versions)


class _ScenarioReader:
    """Reader of one scenario entry that has already been built from YAML."""

    def __init__(self, checker: Checker, key_path: str, defaults: FileDefaults):
        self.checker = checker
        self.key_path = key_path
        self.defaults = defaults

    def path(self, key: str) -> str:
        return child_path(self.key_path, key)

    def read(self, value: Any) -> Scenario | None:
        required = ("id", "request", "expect")
        data = self.checker.mapping(value, self.key_path, SCENARIO_KEYS, required=required)
        if data is None:
            return None
        scenario_id = self._read_id(data["id"]) if "id" in data else None
        request = self._read_request(data)
        expect = self._read_expect(data)
        setup = self._read_setup(data.get("setup", []))
        description = self._read_description(data.get("description", ""))
        versions = self.defaults.versions
        if "versions" in data:
            versions = _read_versions(self.checker, data["versions"], self.path("versions"))
        tags = self._read_tags(data.get("tags", []))
        covers = self._read_covers(data.get("covers", []))
        if scenario_id is None or request is None or expect is None:
            return None
        return Scenario(scenario_id, description, request, expect, setup, versions, tags,
                        covers=covers)

    def _read_request(self, data: dict) -> RequestSpec | None:
        if "request" not in data:
            return None
        return read_request(self.checker, data["request"], self.path("request"),
                            self.defaults.request)

    def _read_expect(self, data: dict) -> ExpectedResponse | None:
        if "expect" not in data:
            return None
        return read_expect(self.checker, data["expect"], self.path("expect"), self.defaults.expect)

    def _read_id(self, value: Any) -> str | None:
        scenario_id = self.checker.string(value, self.path("id"), "core-201-minimal-body")
        if scenario_id is not None and ID_PATTERN.fullmatch(scenario_id) is None:
            self.checker.error(self.path("id"), f"invalid id {show(scenario_id)}",
                               "use lowercase letters, digits, '.', '_' and '-', "
                               "starting with a letter or digit")
            return None
        return scenario_id

    def _read_description(self, value: Any) -> str:
        example = "description: An unknown account id"
        text = self.checker.string(value, self.path("description"), example)
        return (text or "").strip()

    def _read_tags(self, value: Any) -> tuple[str, ...]:
        own = self.checker.string_list(value, self.path("tags"), "[problem, '404']") or []
        return tuple(dict.fromkeys([*self.defaults.tags, *own]))

    def _read_covers(self, value: Any) -> tuple[str, ...]:
        """Read `covers`, the requirement ids the scenario covers beyond the inferred ones."""
        example = "[request.name.length, header.etag]"
        ids = self.checker.string_list(value, self.path("covers"), example) or []
        known = known_requirement_ids()
        for requirement_id in ids:
            if requirement_id not in known:
                close = difflib.get_close_matches(requirement_id, known, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.checker.error(
                    self.path("covers"), f"unknown requirement id {show(requirement_id)}",
                    f"{hint}use ids from harness/contract/requirements.py, "
                    "listed in report.json under traceability.requirements",
                )
        return tuple(dict.fromkeys(ids))

    def _read_setup(self, value: Any) -> list[RequestSpec]:
        setup_path = self.path("setup")
        if not isinstance(value, list):
            self.checker.error(setup_path, f"setup must be a list of requests, got {show(value)}",
                               "write each setup request as a list item with `method`, "
                               "`path` and `body`")
            return []
        requests = []
        for position, item in enumerate(value):
            item_path = child_path(setup_path, position)
            spec = read_request(self.checker, item, item_path, self.defaults.request)
            if spec is not None:
                requests.append(spec)
        return requests
