"""Curator overrides from `data/curation.yml`: keep apart, merge, fix a title, exclude, pin topics.

A record is named either by `file:line` (the line of its title) or by its title as written in
any dump (case, accents, punctuation and TeX ignored). An entry that names nothing is an error
with the file and line of the entry and an example of a valid one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.inputs.yaml_text import (
    LinedDict,
    close_matches,
    did_you_mean,
    kind,
    kind_hint,
    load_yaml,
    not_text,
    unknown_key,
)
from generator.models import ConfigError, Problem, Record, Severity
from generator.texfrag import fold_key

EXAMPLE = """\
keep_apart:          # two records the rules merged, that are different papers
  - ["X2 Technical Report", "X2.5 Technical Report"]
merge:               # records the rules missed, that are one paper
  - ["003_2eac55ab512abe74.txt:37", "Some Title Written Differently"]
titles:              # fix a paper's title (the old one stays as an alias)
  - {paper: "003_2eac55ab512abe74.txt:37", title: "The Corrected Title"}
exclude:             # leave a record out, with a reason shown in the report
  - {record: "004_1b49bb1a8d6ff8f5.txt:11", reason: "not a paper: a workshop announcement"}
pins:                # topics a paper must have, whatever the rules say
  - {paper: "Submodular Reinforcement Learning", topics: [reinforcement-learning-theory]}"""

_KEYS = {"keep_apart", "merge", "titles", "exclude", "pins"}
_REF_RE = re.compile(r"^(?P<file>[^:\s][^:]*\.txt):(?P<line>\d+)$")


@dataclass(frozen=True)
class Ref:
    """How curation.yml names a record, and where it says so."""

    text: str
    """`file.txt:37` or a title."""
    line: int
    """Line of the entry in curation.yml."""


@dataclass(frozen=True)
class Curation:
    """Validated overrides, still naming records by reference."""

    keep_apart: tuple[tuple[Ref, Ref], ...] = ()
    merge: tuple[tuple[Ref, ...], ...] = ()
    titles: tuple[tuple[Ref, str], ...] = ()
    exclude: tuple[tuple[Ref, str], ...] = ()
    pins: tuple[tuple[Ref, tuple[str, ...]], ...] = ()


def parse_curation(name: str, text: str) -> Curation:
    """`curation.yml` text to a Curation, or a ConfigError listing every malformed entry."""
    data = load_yaml(name, text)
    if data is None:
        return Curation()
    problems: list[Problem] = []
    if not isinstance(data, LinedDict):
        raise ConfigError(
            [bad(name, 1, "expected a mapping with keys " + ", ".join(sorted(_KEYS)) + f", not {kind(data)}")]
        )
    for key in data:
        if key not in _KEYS:
            problems.append(bad(name, data.key_lines[key], unknown_key(key, _KEYS)))
    result = Curation(
        keep_apart=tuple(_pairs(name, data, problems)),
        merge=tuple(_groups(name, data, problems)),
        titles=tuple(_mapped(name, data, "titles", ("paper", "title"), problems)),
        exclude=tuple(_mapped(name, data, "exclude", ("record", "reason"), problems)),
        pins=tuple(_pins(name, data, problems)),
    )
    if problems:
        raise ConfigError(problems)
    return result


def _entries(name: str, data: LinedDict, key: str, problems: list[Problem]) -> list[tuple[Any, int]]:
    """The items of list `key` (absent or null: none) with their lines."""
    value = data.get(key)
    if value is None:
        return []
    line = data.key_lines[key]
    if not isinstance(value, list):
        problems.append(bad(name, line, f"`{key}:` must be a list, not {kind(value)}"))
        return []
    lines = getattr(value, "item_lines", [line] * len(value))
    return list(zip(value, lines, strict=True))


def _refs(name: str, items: Any, line: int, problems: list[Problem], size: int | None) -> tuple[Ref, ...] | None:
    ok = isinstance(items, list) and all(isinstance(i, str) and i.strip() for i in items)
    if not ok or len(items) < 2 or (size is not None and len(items) != size):
        want = f"{size}" if size else "two or more"
        problems.append(
            bad(name, line, f"expected a list of {want} records (`file.txt:LINE` or a title){_found(items)}")
        )
        return None
    return tuple(Ref(i.strip(), line) for i in items)


def _found(items: Any) -> str:
    """`, not a mapping` / `; one is a date (put it in quotes)`: what a list of records holds instead."""
    if not isinstance(items, list):
        return f", not {kind(items)}"
    odd = next((i for i in items if not isinstance(i, str)), None)
    return f"; one is {kind_hint(odd)}" if odd is not None else ""


def _pairs(name: str, data: LinedDict, problems: list[Problem]) -> Iterable[tuple[Ref, Ref]]:
    for item, line in _entries(name, data, "keep_apart", problems):
        refs = _refs(name, item, line, problems, 2)
        if refs:
            yield refs[0], refs[1]


def _groups(name: str, data: LinedDict, problems: list[Problem]) -> Iterable[tuple[Ref, ...]]:
    for item, line in _entries(name, data, "merge", problems):
        refs = _refs(name, item, line, problems, None)
        if refs:
            yield refs


def _mapped(
    name: str, data: LinedDict, key: str, fields: tuple[str, str], problems: list[Problem]
) -> Iterable[tuple[Ref, str]]:
    need = f"each `{key}:` entry needs exactly `{fields[0]}:` and `{fields[1]}:`"
    for item, line in _entries(name, data, key, problems):
        if not _has_fields(name, item, line, key, fields, need, problems):
            continue
        ref, value = (_text(name, item, f, line, problems) for f in fields)
        if ref and value:
            yield Ref(ref, line), value


def _pins(name: str, data: LinedDict, problems: list[Problem]) -> Iterable[tuple[Ref, tuple[str, ...]]]:
    need = "each `pins:` entry needs `paper:` and a non-empty `topics:` list"
    for item, line in _entries(name, data, "pins", problems):
        if not _has_fields(name, item, line, "pins", ("paper", "topics"), need, problems):
            continue
        ref, topics = _text(name, item, "paper", line, problems), item["topics"]
        if not (isinstance(topics, list) and topics and all(isinstance(t, str) and t.strip() for t in topics)):
            problems.append(bad(name, item.key_lines["topics"], f"{need} of topic slugs{_found(topics)}"))
            continue
        if ref:
            yield Ref(ref, line), tuple(t.strip() for t in topics)


def _has_fields(
    name: str, item: Any, line: int, key: str, fields: tuple[str, ...], need: str, problems: list[Problem]
) -> bool:
    """Whether an entry is a mapping of exactly `fields`; if not, says why (a misspelt field once)."""
    if not isinstance(item, LinedDict):
        problems.append(bad(name, line, f"{need}, not {kind(item)}"))
        return False
    unknown = [k for k in item if k not in fields]
    for k in unknown:
        problems.append(bad(name, item.key_lines.get(k, line), unknown_key(k, fields, f" in a `{key}:` entry")))
    meant = {m for k in unknown for m in close_matches(k, fields)}
    if any(f not in item and f not in meant for f in fields):
        problems.append(bad(name, line, need))
        return False
    return not unknown


def _text(name: str, item: Any, field: str, line: int, problems: list[Problem]) -> str:
    """The non-empty text of an entry's field, else "" with the problem reported."""
    value = item[field]
    if isinstance(value, str) and value.strip():
        return value.strip()
    problems.append(bad(name, item.key_lines.get(field, line), f"`{field}:` must be non-empty text{not_text(value)}"))
    return ""


def bad(name: str, line: int | None, message: str) -> Problem:
    example = "\n".join("    " + x for x in EXAMPLE.splitlines())
    return Problem(name, line, f"{message}\n  a valid file looks like:\n{example}", Severity.ERROR)


class Resolver:
    """Finds the records a reference names."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.by_place = {(r.file, r.line): r for r in records}
        self.by_key: dict[str, list[Record]] = defaultdict(list)
        for r in records:
            self.by_key[fold_key(r.title)].append(r)

    def find(self, ref: Ref) -> list[Record]:
        m = _REF_RE.match(ref.text)
        if m:
            found = self.by_place.get((m["file"], int(m["line"])))
            return [found] if found else []
        return list(self.by_key.get(fold_key(ref.text), []))


def _unknown_topic(slug: str, known: set[str]) -> str:
    """`unknown topic 'x': did you mean ...?` with the few closest slugs, or all of them if none is close."""
    hint = did_you_mean(slug, sorted(known), n=3)
    return (
        f"unknown topic {slug!r}: {hint}"
        if hint
        else f"unknown topic {slug!r} (topic slugs: {', '.join(sorted(known))})"
    )


@dataclass(frozen=True)
class Resolved:
    """Overrides with references turned into records."""

    keep_apart: tuple[tuple[frozenset[Record], frozenset[Record]], ...]
    merge: tuple[frozenset[Record], ...]
    titles: tuple[tuple[frozenset[Record], str], ...]
    exclude: Mapping[Record, str]
    pins: tuple[tuple[frozenset[Record], tuple[str, ...]], ...]


def resolve(name: str, curation: Curation, records: Sequence[Record], topic_slugs: Iterable[str]) -> Resolved:
    """Resolve every reference; any that names no record (or an unknown topic) is a ConfigError."""
    finder = Resolver(records)
    problems: list[Problem] = []

    def get(ref: Ref) -> frozenset[Record]:
        found = frozenset(finder.find(ref))
        if not found:
            problems.append(bad(name, ref.line, f"{ref.text!r} names no record in the dumps"))
        return found

    known = set(topic_slugs)
    for ref, topics in curation.pins:
        problems += [bad(name, ref.line, _unknown_topic(t, known)) for t in topics if t not in known]
    resolved = Resolved(
        keep_apart=tuple((get(a), get(b)) for a, b in curation.keep_apart),
        merge=tuple(frozenset().union(*(get(r) for r in refs)) for refs in curation.merge),
        titles=tuple((get(ref), title) for ref, title in curation.titles),
        exclude={r: reason for ref, reason in curation.exclude for r in get(ref)},
        pins=tuple((get(ref), topics) for ref, topics in curation.pins),
    )
    if problems:
        raise ConfigError(problems)
    return resolved
