"""Read and validate the curated files: `topics.yml` (taxonomy) and `curation.yml` (overrides).

Every error names the file and line and shows what a valid entry looks like; a bad file is an
error the CLI reports, never a traceback. The YAML loader is SafeLoader made stricter for files
that hold only text, lists and mappings: at most 5 MB, nested at most 50 levels (checked while
composing, before anything is built), no aliases (so no "billion laughs" expansion), no tags
beyond the plain ones, and keys that are text. A misspelt key gets a "did you mean" suggestion.
`read_curated` reads such a file: its size checked before reading, a non-UTF-8 byte named by line.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from slugify import slugify

from . import readfile
from .models import Area, Problem, Severity, Topic, TopicRule
from .topics import phrase_words
from .urls import SLUG_MAX

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

MAX_BYTES = 5 * 1024 * 1024
"""Largest curated file read: the bundled ones are a few kilobytes."""
MAX_DEPTH = 50
"""Deepest nesting of lists and mappings accepted: the curated files need four levels."""
RESERVED_SLUGS = frozenset({"index", "readme", "page"})
"""Slugs MkDocs reads as a folder's index page, and `page`, the folder of a topic's later pages
(`topics/<slug>/page/2/`)."""
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML counts as a line break."""


class ConfigError(Exception):
    """The curated files cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def kind(value: Any) -> str:
    """What YAML made of a value, in a curator's words (`a date` for `2024-01-01`)."""
    if value is None:
        return "null"
    for types, word in _KINDS:
        if isinstance(value, types):
            return word
    return type(value).__name__


_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),
    ((int, float), "a number"),
    (datetime.date, "a date"),
    (str, "text"),
    (list, "a list"),
    (dict, "a mapping"),
)


def kind_hint(value: Any) -> str:
    """`a date (put it in quotes)`: the kind, and how to make it text when YAML read text as another scalar."""
    scalar = isinstance(value, bool | int | float | datetime.date)
    return kind(value) + (" (put it in quotes)" if scalar else "")


def not_text(value: Any) -> str:
    """`, not a date (put it in quotes)`: what to add to "must be text" about a value that is not."""
    return "" if value is None or isinstance(value, str) else f", not {kind_hint(value)}"


def close_matches(word: str, choices: Iterable[str], n: int = 1) -> list[str]:
    """Up to n choices close to word, closest first (difflib's ratio, at least 0.6)."""
    return difflib.get_close_matches(word, list(choices), n=n)


def did_you_mean(word: str, choices: Iterable[str], n: int = 1) -> str:
    """`did you mean 'x'?` (or `'x' or 'y'`, up to n) for the choices closest to word, else ""."""
    close = close_matches(word, choices, n)
    if not close:
        return ""
    quoted = [repr(c) for c in close]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"did you mean {listed}?"


# --- the loader -----------------------------------------------------------------------------


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that a curated file has no use for (alias, deep nesting, tag, non-text key)."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class _LinedDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers the 1-based line it started on and each key's line."""

    line: int = 0
    key_lines: dict[str, int]


class _LinedList(list):  # type: ignore[type-arg]
    """A sequence that remembers the 1-based line of each item."""

    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            msg = f"aliases (`*{event.anchor}`) are not allowed: curated files have no need for anchors"
            raise _Refused(msg + "; write the value out", event.start_mark)
        if not isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} levels deep: curated files need only a few", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as err:  # such as the date 2024-13-45
            raise _Refused(f"cannot read this value: {err}", node.start_mark) from None


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LinedDict:
    loader.flatten_mapping(node)
    out = _LinedDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise _Refused(_key_problem(key_node, key), key_node.start_mark)
        if key in out:
            raise _Refused(f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _key_problem(node: yaml.Node, key: Any) -> str:
    if not isinstance(node, yaml.ScalarNode):
        return f"a key must be text, not {kind(key)}"
    if not node.value:
        return "an empty key is read as null, not text"
    return f"the key `{node.value}` is read as {kind(key)}, not text: put it in quotes if you meant it as text"


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _LinedList:
    out = _LinedList(loader.construct_object(child, deep=True) for child in node.value)
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _refuse_tag(loader: _LineLoader, node: yaml.Node) -> Any:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise _Refused(f"the tag `{tag}` is not allowed: curated files hold only text, lists and mappings", node.start_mark)


def _construct_value(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    """A plain `=` is YAML's rarely used "value" key: text here, as a reader would expect."""
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:value", _construct_value)
for _tag in ("binary", "omap", "pairs", "set"):
    _LineLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
_LineLoader.add_constructor(None, _refuse_tag)


def read_curated(path: Path) -> str:
    """A curated file's text (UTF-8, a leading BOM dropped), or a ConfigError: missing, not a
    regular file, larger than the limit (at most that much is read), unreadable, or not UTF-8
    (with the line of the first bad byte)."""
    try:
        raw = readfile.read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), None, "file not found", Severity.ERROR)]) from None
    if isinstance(raw, readfile.TooLarge):
        raise ConfigError([Problem(path.name, 1, _too_big(path.stat().st_size), Severity.ERROR)])
    if isinstance(raw, str):
        raise ConfigError([Problem(str(path), None, raw, Severity.ERROR)])
    return decode_curated(path.name, raw)


def decode_curated(name: str, raw: bytes) -> str:
    """UTF-8 bytes to text (a leading BOM dropped); other bytes are a ConfigError on their line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        msg = f"not UTF-8 (byte 0x{raw[err.start]:02x} cannot be read): save the file as UTF-8"
        raise ConfigError([Problem(name, line, msg, Severity.ERROR)]) from None


def _too_big(size: int) -> str:
    return f"the file is {size / 2**20:.1f} MB: curated files are limited to {MAX_BYTES // 2**20} MB"


def load_yaml(name: str, text: str) -> Any:
    """Parse YAML, keeping line numbers on mappings and lists; every failure is a ConfigError."""
    size = len(text) if len(text) > MAX_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ConfigError([Problem(name, 1, _too_big(size), Severity.ERROR)])
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        raise ConfigError([Problem(name, _mark_line(err.problem_mark), _yaml_message(err), Severity.ERROR)]) from None
    except yaml.reader.ReaderError as err:
        code = err.character if isinstance(err.character, int) else ord(err.character)
        line = len(_LINE_BREAK.split(text[: err.position]))
        msg = f"invalid YAML: unacceptable character #x{code:04x}: {err.reason}"
        raise ConfigError([Problem(name, line, msg, Severity.ERROR)]) from None
    except yaml.YAMLError as err:
        raise ConfigError([Problem(name, 1, f"invalid YAML: {err}", Severity.ERROR)]) from None


def _mark_line(mark: yaml.Mark | None) -> int:
    return mark.line + 1 if mark is not None else 1


def _yaml_message(err: yaml.MarkedYAMLError) -> str:
    if isinstance(err, _Refused):
        return str(err.problem)
    msg = f"invalid YAML: {err.problem}"
    if err.context and err.context_mark is not None:
        msg = f"invalid YAML: {err.context} at line {err.context_mark.line + 1}: {err.problem}"
    if "'\\t'" in msg:
        msg += "; indent with spaces: YAML does not allow tabs there"
    return msg


# --- topics.yml -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Taxonomy:
    """Areas and topics in curated order."""

    areas: tuple[Area, ...]
    topics: tuple[Topic, ...]


_AREA_KEYS = {"name", "description", "topics", "slug"}
_TOPIC_KEYS = {"name", "description", "title", "abstract", "exclude", "slug"}


@dataclass
class _Found:
    """What parsing has found so far: (value, line) pairs, and the problems."""

    areas: list[tuple[Area, int]]
    topics: list[tuple[Topic, int]]
    problems: list[Problem]


def parse_taxonomy(name: str, text: str) -> Taxonomy:
    """`topics.yml` text to a Taxonomy, or a ConfigError listing every problem."""
    data = load_yaml(name, text)
    if not isinstance(data, dict):
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
    if not isinstance(data, dict):
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
    if not isinstance(data, dict):
        problems.append(_bad(name, line, f"each topic must be a mapping with name, description and rules{_not(data)}"))
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
    slug = _slug(name, data, topic_name, problems)
    return Topic(slug, topic_name, description, area, rule) if slug else None


def _text(name: str, data: _LinedDict, key: str, problems: list[Problem]) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(
            _bad(name, data.key_lines.get(key, data.line), f"`{key}:` must be non-empty text{not_text(value)}")
        )
        return ""
    return value.strip()


def _slug(name: str, data: _LinedDict, label: str, problems: list[Problem]) -> str | None:
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


def _phrases(name: str, data: _LinedDict, key: str, problems: list[Problem]) -> tuple[str, ...]:
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


def _unknown_keys(name: str, data: _LinedDict, allowed: set[str]) -> list[Problem]:
    return [_bad(name, data.key_lines.get(k, data.line), unknown_key(k, allowed)) for k in data if k not in allowed]


def unknown_key(key: str, allowed: Iterable[str], where: str = "") -> str:
    """`unknown key 'x'[ in where]`, then the closest allowed key or, if none is close, all of them."""
    allowed = sorted(allowed)
    hint = did_you_mean(key, allowed)
    return (
        f"unknown key {key!r}{where}: {hint}" if hint else f"unknown key {key!r}{where} (allowed: {', '.join(allowed)})"
    )


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
