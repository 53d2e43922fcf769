"""The curated YAML files (`topics.yml`, `curation.yml`) read and parsed with limits.

Every error names the file and line; a bad file is an error the CLI reports, never a
traceback. The YAML loader is SafeLoader made stricter for files
that hold only text, lists and mappings: at most 5 MB, nested at most 50 levels (checked while
composing, before anything is built), no aliases (so no "billion laughs" expansion), no tags
beyond the plain ones, and keys that are text. A misspelt key gets a "did you mean" suggestion.
`read_curated` reads such a file: its size checked before reading, a non-UTF-8 byte named by line.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from generator.inputs import safe_read
from generator.models import ConfigError, Problem, Severity

MAX_BYTES = 5 * 1024 * 1024
"""Largest curated file read: the bundled ones are a few kilobytes."""
MAX_DEPTH = 50
"""Deepest nesting of lists and mappings accepted: the curated files need four levels."""
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What YAML counts as a line break."""


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

    def __init__(self, problem: str, mark: object) -> None:
        # The stubs allow libyaml's Mark on events too; this pure-Python loader makes only yaml.Mark.
        super().__init__(problem=problem, problem_mark=mark if isinstance(mark, yaml.Mark) else None)


class LinedDict(dict[str, Any]):
    """A mapping that remembers the 1-based line it started on and each key's line."""

    line: int = 0
    key_lines: dict[str, int]


class _LinedList(list[Any]):
    """A sequence that remembers the 1-based line of each item."""

    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
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


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    out = LinedDict()
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
        raw = safe_read.read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), None, "file not found", Severity.ERROR)]) from None
    if isinstance(raw, safe_read.TooLarge):
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


def unknown_key(key: str, allowed: Iterable[str], where: str = "") -> str:
    """`unknown key 'x'[ in where]`, then the closest allowed key or, if none is close, all of them."""
    allowed = sorted(allowed)
    hint = did_you_mean(key, allowed)
    return (
        f"unknown key {key!r}{where}: {hint}" if hint else f"unknown key {key!r}{where} (allowed: {', '.join(allowed)})"
    )
