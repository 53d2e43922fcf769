"""`data/sources.yml`: what the curators know of each dump that the dump does not say. For each
dump file, `listed` (an ISO date, or the day as the listing shows it when its year is unknown)
and `source` (where the listing was copied from). Only what a curator can justify goes here;
a dump without an entry keeps what it says itself, and `check` notes it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from generator.inputs.yaml_text import LinedDict, did_you_mean, kind, load_yaml, unknown_key
from generator.models import ConfigError, Problem, Severity, SourceInfo, is_iso_date

EXAMPLE = """\
000_x.txt: {listed: 2024-04-03, source: "Hugging Face Papers, daily list"}
001_y.txt: {listed: "Jun 26", source: "Hugging Face Papers (the page shows no year)"}"""
_KEYS = {"listed", "source"}
MAX_TEXT = 200


def _bad(name: str, line: int | None, message: str) -> Problem:
    example = "\n".join("    " + x for x in EXAMPLE.splitlines())
    return Problem(name, line, f"{message}\n  a valid file looks like:\n{example}", Severity.ERROR)


def _text(name: str, line: int, key: str, value: object, problems: list[Problem]) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):  # YAML reads an unquoted 2024-04-03 as a date
        return value.isoformat()
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        problems.append(_bad(name, line, f"`{key}:` must be text of 1 to {MAX_TEXT} characters, not {kind(value)}"))
        return None
    return " ".join(value.split())


def parse_sources_meta(name: str, text: str, files: Iterable[str]) -> dict[str, SourceInfo]:
    """`sources.yml` text -> dump file -> SourceInfo, or a ConfigError listing every bad entry."""
    data = load_yaml(name, text)
    if data is None:
        return {}
    if not isinstance(data, LinedDict):
        raise ConfigError([_bad(name, 1, f"expected a mapping of dump file names, not {kind(data)}")])
    known = sorted(set(files))
    problems: list[Problem] = []
    out: dict[str, SourceInfo] = {}
    for file, value in data.items():
        line = data.key_lines[file]
        if file not in known:
            hint = did_you_mean(file, known)
            problems.append(
                _bad(name, line, f"{file!r} names no dump in the sources folder" + (f": {hint}" if hint else ""))
            )
            continue
        if not isinstance(value, LinedDict):
            problems.append(_bad(name, line, f"the entry of {file!r} must be a mapping, not {kind(value)}"))
            continue
        for key in value:
            if key not in _KEYS:
                problems.append(_bad(name, value.key_lines[key], unknown_key(key, _KEYS)))
        listed = _text(name, line, "listed", value.get("listed"), problems)
        if listed and listed[:1].isdigit() and not is_iso_date(listed):
            problems.append(_bad(name, line, f"`listed: {listed}` is not a day of the calendar (YYYY-MM-DD)"))
            listed = None
        out[file] = SourceInfo(listed, _text(name, line, "source", value.get("source"), problems))
    if problems:
        raise ConfigError(problems)
    return out


def unlisted(name: str, meta: dict[str, SourceInfo], files: Iterable[str]) -> list[Problem]:
    """A note for each dump the file has no entry for: what the dump says is used."""
    return [
        Problem(name, None, f"no entry for {file!r}: the listing day the dump shows is used", Severity.INFO)
        for file in sorted(set(files) - set(meta))
    ]
