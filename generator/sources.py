"""Parse listing dumps (both layouts) into records with provenance.

Layout A: `new`, header lines, a date line (`Apr 3`), then title and abstract paragraphs
separated by blank lines. Layout B: two header lines, then one line per title and one per
abstract, the first title glued to `Subscribe`. Both come down to a stream of non-blank lines
in which titles and abstracts alternate; a line is told to be one or the other by what it
looks like, so a title that lost its abstract does not shift every later pair.
"""

from __future__ import annotations

import re

from .models import Problem, Record, Severity

_HEADER_LINES = {
    "new",
    "subscribe",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
    "byak and the research community",
}
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE_RE = re.compile(rf"^(?:{_MONTHS})[a-z]*\.? \d{{1,2}}(?:, \d{{4}})?$", re.IGNORECASE)
_GLUED_RE = re.compile(r"^Subscribe(?=\S)")
# Titles in real listings stay under ~250 characters; abstracts run to several sentences.
# Above _TITLE_MAX characters a line is an abstract; below _TITLE_LONG one that does not end a
# sentence is a title; between, an abstract needs the words and the sentence breaks of prose.
_TITLE_MAX = 300
_TITLE_LONG = 150
_ABSTRACT_MIN_WORDS = 20
_FALLBACK_ENCODINGS = ("cp1252",)


def decode_dump(name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes of a dump to text: UTF-8 (BOM allowed), else a declared fallback with a warning."""
    if not data.strip():
        return None, [Problem(name, None, "empty file: skipped", Severity.ERROR)]
    if b"\x00" in data[:4096]:
        return None, [Problem(name, None, "binary file (NUL bytes): skipped", Severity.ERROR)]
    try:
        text = data.decode("utf-8-sig")
        problems: list[Problem] = []
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        text, problems = _decode_fallback(name, data, line)
        if text is None:
            return None, problems
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


def _decode_fallback(name: str, data: bytes, line: int) -> tuple[str | None, list[Problem]]:
    for encoding in _FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        msg = f"not UTF-8 (first bad byte on line {line}); read as {encoding}: check accents"
        return text, [Problem(name, line, msg)]
    msg = "not UTF-8 and not any fallback encoding: skipped; save the dump as UTF-8"
    return None, [Problem(name, line, msg, Severity.ERROR)]


def looks_like_abstract(line: str) -> bool:
    """An abstract is long prose; a title is short and does not end a sentence."""
    if len(line) > _TITLE_MAX:
        return True
    ends_sentence = line.endswith((".", "…", "...")) and not line.endswith(" et al.")
    if len(line) < _TITLE_LONG and not ends_sentence:
        return False
    words = len(line.split())
    return words >= _ABSTRACT_MIN_WORDS and (ends_sentence or re.search(r"[.;]\s+\S", line) is not None)


def _content_lines(text: str) -> tuple[list[tuple[int, str, str | None]], bool]:
    """(line number, text, listing date in force) for each content line; and whether a header was seen."""
    out: list[tuple[int, str, str | None]] = []
    listed: str | None = None
    header_seen = False
    for number, raw in enumerate(text.split("\n"), start=1):
        line = " ".join(raw.replace("\ufeff", "").split())
        if not line:
            continue
        if line.casefold() in _HEADER_LINES:
            header_seen = True
            continue
        if _DATE_RE.match(line):
            listed = line
            continue
        if _GLUED_RE.match(line):
            header_seen = True
            line = _GLUED_RE.sub("", line)
        out.append((number, line, listed))
    return out, header_seen


def parse_dump(name: str, text: str) -> tuple[list[Record], list[Problem]]:
    """Records of one dump, in order, and the problems found while pairing titles with abstracts."""
    lines, header_seen = _content_lines(text)
    records: list[Record] = []
    problems: list[Problem] = []
    pending: tuple[int, str, str | None] | None = None
    for number, line, listed in lines:
        if not looks_like_abstract(line):
            if pending is not None:
                problems.append(_missing_abstract(name, pending))
            pending = (number, line, listed)
        elif pending is None:
            msg = f"abstract with no title before it: skipped ({_excerpt(line)})"
            problems.append(Problem(name, number, msg))
        else:
            title_line, title, title_listed = pending
            records.append(Record(name, title_line, title, line, title_listed, len(records)))
            pending = None
    if pending is not None:
        problems.append(_missing_abstract(name, pending))
    if not records:
        what = "no title/abstract pairs found" if header_seen else "not a listing dump (no header, no records)"
        problems.append(Problem(name, None, f"{what}: skipped", Severity.ERROR))
    return records, problems


def _missing_abstract(name: str, pending: tuple[int, str, str | None]) -> Problem:
    msg = f"title with no abstract after it: skipped ({_excerpt(pending[1])})"
    return Problem(name, pending[0], msg)


def _excerpt(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")
