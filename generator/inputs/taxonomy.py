"""`topics.yml` to a Taxonomy: areas and topics in curated order, each with its description, match
phrases and URL slug. Every problem names the line and shows what a valid entry looks like."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from slugify import slugify

from generator.inputs.yaml_text import LinedDict, kind, load_yaml, not_text, unknown_key
from generator.models import Area, ConfigError, Problem, Severity, Topic, TopicRule
from generator.texfrag import phrase_words
from generator.urls import INDEX_SLUGS, SLUG_MAX

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

RESERVED_SLUGS = INDEX_SLUGS | {"page"}
"""Slugs MkDocs reads as a folder's index page, and `page`, the folder of a topic's later pages
(`topics/<slug>/page/2/`)."""
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Taxonomy:
    """Areas and topics in curated order."""

    areas: tuple[Area, ...]
    topics: tuple[Topic, ...]


_AREA_KEYS = {"name", "description", "topics", "slug"}
_TOPIC_KEYS = {"name", "description", "title", "abstract", "generic", "exclude", "context", "key", "slug"}


@dataclass
class _Found:
    """What parsing has found so far: (value, line) pairs, and the problems."""

    areas: list[tuple[Area, int]]
    topics: list[tuple[Topic, int]]
    problems: list[Problem]


def parse_taxonomy(name: str, text: str) -> Taxonomy:
    """`topics.yml` text to a Taxonomy, or a ConfigError listing every problem."""
    data = load_yaml(name, text)
    if not isinstance(data, LinedDict):
        raise ConfigError([_bad(name, 1, f"expected a mapping with a top-level `areas:` list{_not(data)}")])
    found = _Found([], [], _unknown_keys(name, data, {"areas"}))
    entries = data.get("areas")
    if "areas" not in data:
        found.problems.append(_bad(name, 1, "expected a mapping with a top-level `areas:` list"))
    elif not isinstance(entries, list) or not entries:
        msg = f"`areas:` must be a non-empty list of areas{_not(entries, list)}"
        found.problems.append(_bad(name, data.key_lines["areas"], msg))
    else:
        for entry, line in _items(entries, data.key_lines["areas"]):
            _parse_area(name, entry, line, found)
    found.problems += _duplicates(name, [(a.slug, a.name, line) for a, line in found.areas], "area")
    found.problems += _duplicates(name, [(t.slug, t.name, line) for t, line in found.topics], "topic")
    if found.problems:
        raise ConfigError(found.problems)
    return Taxonomy(tuple(a for a, _ in found.areas), tuple(t for t, _ in found.topics))


def _not(value: Any, wanted: type | None = None) -> str:
    """`, not a mapping`: what a value is instead of the wanted shape ("" for null or the wanted type)."""
    return "" if value is None or (wanted and isinstance(value, wanted)) else f", not {kind(value)}"


def _items(items: list[Any], line: int) -> Iterator[tuple[Any, int]]:
    """Each item of a parsed list with its line (`line` where the list did not record them)."""
    return zip(items, getattr(items, "item_lines", [line] * len(items)), strict=True)


def _parse_area(name: str, data: Any, line: int, found: _Found) -> None:
    if not isinstance(data, LinedDict):
        msg = f"each area must be a mapping with name, description, topics{_not(data)}"
        found.problems.append(_bad(name, line, msg))
        return
    problems = found.problems
    problems += _unknown_keys(name, data, _AREA_KEYS)
    area_name = _text(name, data, "name", problems)
    description = _text(name, data, "description", problems)
    slug = _slug(name, data, area_name, problems)
    entries = data.get("topics")
    if not isinstance(entries, list) or not entries:
        msg = f"area {area_name!r} needs a non-empty `topics:` list{_not(entries, list)}"
        problems.append(_bad(name, data.key_lines.get("topics", data.line), msg))
        return
    slugs = []
    for entry, entry_line in _items(entries, data.key_lines["topics"]):
        topic = _parse_topic(name, entry, entry_line, slug or "", problems)
        if topic is not None:
            found.topics.append((topic, entry_line))
            slugs.append(topic.slug)
    if slug:
        found.areas.append((Area(slug, area_name, description, tuple(slugs)), data.line))


def _parse_topic(name: str, data: Any, line: int, area: str, problems: list[Problem]) -> Topic | None:
    if not isinstance(data, LinedDict):
        problems.append(_bad(name, line, f"each topic must be a mapping with name, description and rules{_not(data)}"))
        return None
    problems += _unknown_keys(name, data, _TOPIC_KEYS)
    topic_name = _text(name, data, "name", problems)
    description = _text(name, data, "description", problems)
    rule = TopicRule(
        title=_phrases(name, data, "title", problems),
        abstract=_phrases(name, data, "abstract", problems),
        exclude=_phrases(name, data, "exclude", problems),
        generic=_phrases(name, data, "generic", problems),
        context=_phrases(name, data, "context", problems),
        key=_phrases(name, data, "key", problems),
    )
    if not rule.title and not rule.abstract and not rule.key:
        problems.append(_bad(name, data.line, f"topic {topic_name!r} needs `key:`, `title:` or `abstract:` phrases"))
    slug = _slug(name, data, topic_name, problems)
    return Topic(slug, topic_name, description, area, rule) if slug else None


def _text(name: str, data: LinedDict, key: str, problems: list[Problem]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(
            _bad(name, data.key_lines.get(key, data.line), f"`{key}:` must be non-empty text{not_text(value)}")
        )
        return ""
    return value.strip()


def _slug(name: str, data: LinedDict, label: str, problems: list[Problem]) -> str | None:
    """The explicit `slug:`, else the name's; None (with the problem reported) if it cannot be one."""
    if "slug" in data:
        slug, line = data["slug"], data.key_lines["slug"]
        if not (isinstance(slug, str) and _SLUG_RE.fullmatch(slug) and slugify(slug) == slug):
            problems.append(_bad(name, line, _slug_advice(slug)))
            return None
    elif not label:
        return None  # the name is reported already
    else:
        slug, line = slugify(label), data.key_lines["name"]
        if not slug:
            problems.append(_bad(name, line, f"the name `{label}` gives an empty URL slug: give it a `slug:`"))
            return None
    unusable = _unusable_slug(slug)
    if unusable:
        problems.append(_bad(name, line, unusable))
        return None
    return slug


def _unusable_slug(slug: str) -> str:
    """Why a well-formed slug cannot name a page ("" if it can)."""
    if slug in RESERVED_SLUGS:
        reserved = ", ".join(sorted(RESERVED_SLUGS))
        return f"the slug {slug!r} is reserved ({reserved} name the site's own pages): give it another `slug:`"
    if len(slug) > SLUG_MAX:
        return f"the slug {slug[:20]!r}... is longer than {SLUG_MAX} characters: give it a shorter `slug:`"
    return ""


def _slug_advice(value: Any) -> str:
    msg = "`slug:` must be lowercase letters, digits and hyphens"
    if not isinstance(value, str):
        return msg + not_text(value)
    example = slugify(value)
    return msg + (f" (such as {example!r})" if example else "") + f", not {value!r}"


def _phrases(name: str, data: LinedDict, key: str, problems: list[Problem]) -> tuple[str, ...]:
    value = data.get(key, [])
    line = data.key_lines.get(key, data.line)
    if not isinstance(value, list):
        problems.append(_bad(name, line, f"`{key}:` must be a list of phrases{_not(value)}"))
        return ()
    for item, item_line in _items(value, line):
        if not isinstance(item, str) or not item.strip():
            problems.append(
                _bad(name, item_line, f"`{key}:` must be a list of phrases: each one non-empty text{not_text(item)}")
            )
            return ()
    empty = [v for v in value if not phrase_words(v)]
    if empty:
        # Such a phrase would match every text (or none): it has no word to look for.
        msg = f"`{key}:` phrases need a letter or digit: {', '.join(repr(v) for v in empty)}"
        problems.append(_bad(name, line, msg))
        return ()
    return tuple(v.strip() for v in value)


def _unknown_keys(name: str, data: LinedDict, allowed: set[str]) -> list[Problem]:
    return [_bad(name, data.key_lines.get(k, data.line), unknown_key(k, allowed)) for k in data if k not in allowed]


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
