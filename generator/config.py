"""Read and validate the curated files: `topics.yml` (taxonomy) and `curation.yml` (overrides).

Every error names the file and line and shows what a valid entry looks like; a bad file is an
error the CLI reports, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml
from slugify import slugify

from .models import Area, Problem, Severity, Topic, TopicRule
from .topics import phrase_words

TOPIC_EXAMPLE = """\
areas:
  - name: Reinforcement learning
    description: How agents learn to act from reward.
    topics:
      - name: Offline reinforcement learning
        description: Learning from a fixed dataset of past experience.
        title: [offline reinforcement learning, offline rl]
        abstract: [offline dataset*, distribution shift]
        exclude: [online only]"""


class ConfigError(Exception):
    """The curated files cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class _LinedDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers the 1-based line it started on and each key's line."""

    line: int = 0
    key_lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LinedDict:
    loader.flatten_mapping(node)
    out = _LinedDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


class _LinedList(list):  # type: ignore[type-arg]
    """A sequence that remembers the 1-based line of each item."""

    item_lines: list[int]


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LinedList:
    out = _LinedList(loader.construct_object(child, deep=True) for child in node.value)
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(name: str, text: str) -> Any:
    """Parse YAML, keeping line numbers on mappings; syntax errors become a ConfigError."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise ConfigError([Problem(name, line, f"invalid YAML: {err.problem}", Severity.ERROR)]) from None
    except yaml.YAMLError as err:
        raise ConfigError([Problem(name, None, f"invalid YAML: {err}", Severity.ERROR)]) from None


@dataclass(frozen=True)
class Taxonomy:
    """Areas and topics in curated order."""

    areas: tuple[Area, ...]
    topics: tuple[Topic, ...]


_AREA_KEYS = {"name", "description", "topics", "slug"}
_TOPIC_KEYS = {"name", "description", "title", "abstract", "exclude", "slug"}


def parse_taxonomy(name: str, text: str) -> Taxonomy:
    """`topics.yml` text to a Taxonomy, or a ConfigError listing every problem."""
    data = load_yaml(name, text)
    problems: list[Problem] = []
    areas: list[Area] = []
    topics: list[Topic] = []
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list) or not data["areas"]:
        raise ConfigError([_bad(name, getattr(data, "line", 1), "expected a top-level `areas:` list")])
    problems += _unknown_keys(name, data, {"areas"})
    for area_data in data["areas"]:
        area = _parse_area(name, area_data, problems, topics)
        if area is not None:
            areas.append(area)
    problems += _duplicates(name, [(a.slug, a.name, line) for a, line in zip(areas, _lines(data["areas"]))], "area")
    problems += _duplicates(name, [(t.slug, t.name, line) for t, line in zip(topics, _topic_lines(data))], "topic")
    if problems:
        raise ConfigError(problems)
    return Taxonomy(tuple(areas), tuple(topics))


def _lines(items: list[Any]) -> list[int]:
    return [getattr(item, "line", 0) for item in items if isinstance(item, dict)]


def _topic_lines(data: _LinedDict) -> list[int]:
    areas = [a for a in data["areas"] if isinstance(a, dict) and isinstance(a.get("topics"), list)]
    return [line for a in areas for line in _lines(a["topics"])]


def _parse_area(name: str, data: Any, problems: list[Problem], topics: list[Topic]) -> Area | None:
    if not isinstance(data, dict):
        problems.append(_bad(name, None, "each area must be a mapping with name, description, topics"))
        return None
    problems += _unknown_keys(name, data, _AREA_KEYS)
    area_name = _text(name, data, "name", problems)
    description = _text(name, data, "description", problems)
    slug = slugify(str(data.get("slug") or area_name))
    entries = data.get("topics")
    if not isinstance(entries, list) or not entries:
        problems.append(_bad(name, data.line, f"area {area_name!r} needs a non-empty `topics:` list"))
        return None
    slugs = []
    for entry in entries:
        topic = _parse_topic(name, entry, slug, problems)
        if topic is not None:
            topics.append(topic)
            slugs.append(topic.slug)
    return Area(slug, area_name, description, tuple(slugs))


def _parse_topic(name: str, data: Any, area: str, problems: list[Problem]) -> Topic | None:
    if not isinstance(data, dict):
        problems.append(_bad(name, None, "each topic must be a mapping with name, description and rules"))
        return None
    problems += _unknown_keys(name, data, _TOPIC_KEYS)
    topic_name = _text(name, data, "name", problems)
    description = _text(name, data, "description", problems)
    rule = TopicRule(
        title=_phrases(name, data, "title", problems),
        abstract=_phrases(name, data, "abstract", problems),
        exclude=_phrases(name, data, "exclude", problems),
    )
    if not rule.title and not rule.abstract:
        problems.append(_bad(name, data.line, f"topic {topic_name!r} needs `title:` or `abstract:` phrases"))
    return Topic(slugify(str(data.get("slug") or topic_name)), topic_name, description, area, rule)


def _text(name: str, data: _LinedDict, key: str, problems: list[Problem]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(_bad(name, data.key_lines.get(key, data.line), f"`{key}:` must be non-empty text"))
        return ""
    return value.strip()


def _phrases(name: str, data: _LinedDict, key: str, problems: list[Problem]) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(_bad(name, data.key_lines.get(key, data.line), f"`{key}:` must be a list of phrases"))
        return ()
    empty = [v for v in value if not phrase_words(v)]
    if empty:
        # Such a phrase would match every text (or none): it has no word to look for.
        msg = f"`{key}:` phrases need a letter or digit: {', '.join(repr(v) for v in empty)}"
        problems.append(_bad(name, data.key_lines.get(key, data.line), msg))
        return ()
    return tuple(v.strip() for v in value)


def _unknown_keys(name: str, data: _LinedDict, allowed: set[str]) -> list[Problem]:
    return [
        _bad(name, data.key_lines.get(str(k), data.line), f"unknown key {k!r} (allowed: {', '.join(sorted(allowed))})")
        for k in data
        if k not in allowed
    ]


def _duplicates(name: str, items: Iterable[tuple[str, str, int]], what: str) -> list[Problem]:
    seen: dict[str, str] = {}
    out = []
    for slug, item_name, line in items:
        if slug in seen:
            out.append(_bad(name, line or None, f"duplicate {what} {item_name!r} (same slug as {seen[slug]!r})"))
        seen[slug] = item_name
    return out


def _bad(name: str, line: int | None, message: str) -> Problem:
    return Problem(name, line, f"{message}\n  a valid entry looks like:\n{_indent(TOPIC_EXAMPLE)}", Severity.ERROR)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
