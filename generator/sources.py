"""Parse listing dumps (both layouts) into records with provenance.

Layout A: `new`, header lines, a date line (`Apr 3`), then title and abstract paragraphs
separated by blank lines. Layout B: two header lines, then one line per title and one per
abstract, the first title glued to `Subscribe`. Both come down to a stream of content lines
in which titles and abstracts alternate. Each line is scored by how much it looks like an
abstract, and the stream is cut into title/abstract pairs and leftovers by the cheapest
reading (dynamic programming): a title that lost its abstract, or a stray abstract, is
reported with its line and skipped without shifting every later pair, and a line that could be
either (a short abstract cut with `…`) is read by what surrounds it.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass

from .models import Problem, Record, Severity

log = logging.getLogger(__name__)

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
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_BYTE_LINE_BREAK_RE = re.compile(rb"\r\n|\r|\n")
_FALLBACK_ENCODINGS = ("cp1252",)
# Bytes no text file holds (C0 controls but tab, line breaks, form feed, escape): a dump with
# more than a few of them is binary, even without NUL bytes.
_BINARY_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")
_BINARY_SHARE = 0.01

# What the problems say, so the report can count them (see report.accounting).
ORPHAN_TITLE = "title with no abstract after it"
ORPHAN_ABSTRACT = "abstract with no title before it"
VALID_START = (
    "a dump starts with the listing header: `new` / `Get trending papers in your email inbox!` / "
    "`Subscribe` (layout A) or `Get trending papers in your email inbox once a day!` and a title glued "
    "to `Subscribe` (layout B)"
)


class Layout(enum.Enum):
    """The two listing layouts the seeds use."""

    A = "A (header, date line, paragraphs separated by blank lines)"
    B = "B (header, then one line per title and one per abstract)"


@dataclass(frozen=True)
class _Line:
    number: int
    """1-based line in the file."""
    text: str
    """Whitespace-normalised content."""
    listed: str | None
    """Listing date in force at this line."""
    after_blank: bool
    """A blank line separates it from the line before (layout A's paragraphs)."""


# ---------------------------------------------------------------------------------------------
# Bytes to text


def decode_dump(name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes of a dump to text with `\\n` line ends: UTF-8 (BOM allowed); lines that are not UTF-8
    are read with a declared fallback encoding and a warning naming them. Empty, binary and
    undecodable files give None and an error."""
    empty = [Problem(name, None, "empty file: skipped", Severity.ERROR)]
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return None, empty
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, problems = _decode_utf16(name, data)
        return (None, empty) if text is not None and not text.strip() else (text, problems)
    if _looks_binary(data):
        return None, [Problem(name, None, "binary file, not text: skipped", Severity.ERROR)]
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        # Line breaks are never inside a UTF-8 sequence: a dump that decodes whole decodes line by line.
        return "\n".join(_split_lines(body.decode("utf-8"))), []
    except UnicodeDecodeError:
        pass
    raw_lines = _BYTE_LINE_BREAK_RE.split(body)
    lines: list[str] = []
    fallback_lines: list[int] = []
    for number, raw in enumerate(raw_lines, start=1):
        try:
            lines.append(raw.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        text = _decode_fallback(raw)
        if text is None:
            msg = "neither UTF-8 nor " + "/".join(_FALLBACK_ENCODINGS) + ": skipped; save the dump as UTF-8"
            return None, [Problem(name, number, msg, Severity.ERROR)]
        lines.append(text)
        fallback_lines.append(number)
    problems = []
    if fallback_lines:
        shown = ", ".join(map(str, fallback_lines[:5])) + (
            f" (+{len(fallback_lines) - 5} more)" if len(fallback_lines) > 5 else ""
        )
        msg = f"not UTF-8 on line(s) {shown}; read as {_FALLBACK_ENCODINGS[0]}: check the accents there"
        problems.append(Problem(name, fallback_lines[0], msg))
    return "\n".join(lines), problems


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    controls = len(data) - len(data.translate(None, _BINARY_BYTES))
    return controls > max(2, _BINARY_SHARE * len(data))


def _decode_fallback(raw: bytes) -> str | None:
    for encoding in _FALLBACK_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _decode_utf16(name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError:
        return None, [Problem(name, None, "UTF-16 byte order mark but not UTF-16 text: skipped", Severity.ERROR)]
    text = "\n".join(_LINE_BREAK_RE.split(text))
    return text, [Problem(name, None, "UTF-16 text (byte order mark): read as UTF-16; save dumps as UTF-8")]


# ---------------------------------------------------------------------------------------------
# Telling titles from abstracts

_ENDS_SENTENCE = (".", "…", "...")
_BREAK_RE = re.compile(r"[.;!?]\s+(?=[A-Z0-9(\"'“])")
_OPENER_RE = re.compile(
    r"^(?:we|in this|this (?:paper|work|study)|our|recent|existing|despite|although|while|to address|however)\b",
    re.IGNORECASE,
)
_PROSE_RE = re.compile(r"\b(?:we|our|us|is|are|was|were|has|have|which|these|this|that|it)\b")
_TITLE_CERTAIN = -7.0
"""A short line that ends no sentence is a title (real titles stay under ~130 characters)."""
_SHORT_TITLE_CHARS = 160
_ABSTRACT_CERTAIN_CHARS = 600
"""Longer lines are abstracts whatever else they look like."""
_ORPHAN_COST = 3.0
"""What reading a line as a title without abstract (or an abstract without title) costs. A line
between two titles is read as an abstract unless it scores below -2 * _ORPHAN_COST."""


def abstract_score(line: str) -> float:
    """How much a content line looks like an abstract (> 0) rather than a title (< 0)."""
    n = len(line)
    if n > _ABSTRACT_CERTAIN_CHARS:
        return 20.0
    ends_sentence = line.endswith(_ENDS_SENTENCE) and not line.endswith(" et al.")
    score = max(-5.0, min(8.0, (n - 130) / 25))
    if line.endswith(("…", "...")):
        score += 6  # a cut abstract; no listing title ends with an ellipsis
    elif ends_sentence:
        score += 3
    elif not line.endswith("?"):
        score -= 2
    breaks = len(_BREAK_RE.findall(line))
    score += 2 * min(breaks, 3) if breaks else -1.5
    capitalisable = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    if len(capitalisable) >= 2:
        title_case = sum(w[0].isupper() for w in capitalisable) / len(capitalisable)
        score += (0.45 - title_case) * 8
    if _OPENER_RE.match(line):
        score += 2.5
    prose = len(_PROSE_RE.findall(line))
    score += 0.75 * min(prose, 4) if prose else -1
    if not ends_sentence and n < _SHORT_TITLE_CHARS:
        score = min(score, _TITLE_CERTAIN)
    return score


def looks_like_abstract(line: str) -> bool:
    """An abstract is long prose; a title is short and does not end a sentence (line on its own)."""
    return abstract_score(line) > 0


# ---------------------------------------------------------------------------------------------
# Lines to records


def _split_lines(text: str) -> list[str]:
    return _LINE_BREAK_RE.split(text) if "\r" in text else text.split("\n")


def _content_lines(lines: list[str]) -> tuple[list[_Line], bool]:
    """Content lines (headers and date lines removed); and whether a listing header opens the file."""
    out: list[_Line] = []
    listed: str | None = None
    header_before = False
    """The line before was a header line (so a title may be glued to `Subscribe`)."""
    opened = False
    blank = False
    for number, raw in enumerate(lines, start=1):
        # Most lines are already single-spaced: no whitespace but " " (str.split's other
        # whitespace and the BOM are all non-printable), none doubled, none at either end.
        clean = raw.isprintable() and "  " not in raw and not raw.startswith(" ") and not raw.endswith(" ")
        line = raw if clean else " ".join(raw.replace("\ufeff", "").split())
        if not line:
            blank = True
            continue
        folded = line.casefold()
        if folded in _HEADER_LINES:
            opened = opened or not out
            header_before = folded != "subscribe"
            continue
        if _DATE_RE.match(line):
            listed = line
            header_before = False
            continue
        if header_before and _GLUED_RE.match(line):
            opened = opened or not out
            line = _GLUED_RE.sub("", line)
        header_before = False
        out.append(_Line(number, line, listed, blank))
        blank = False
    return out, opened


def detect_layout(lines: list[_Line]) -> Layout:
    """A when most content lines are separated by blank lines, else B."""
    gaps = sum(line.after_blank for line in lines[1:])
    return Layout.A if lines[1:] and gaps * 2 >= len(lines) - 1 else Layout.B


def _segment(scores: list[float]) -> list[tuple[str, int]]:
    """Cheapest cut of the line stream into ("pair", i) = lines i, i+1; ("title", i); ("abstract", i)."""
    inf = float("inf")
    n = len(scores)
    as_title = [max(0.0, s) for s in scores]
    as_abstract = [max(0.0, -s) for s in scores]
    cost = [0.0] + [inf] * n
    step: list[tuple[str, int]] = [("", 0)] * (n + 1)
    for i in range(n):
        options = [
            (cost[i] + _ORPHAN_COST + as_title[i], i + 1, "title"),
            (cost[i] + _ORPHAN_COST + as_abstract[i], i + 1, "abstract"),
        ]
        if i + 1 < n:
            options.append((cost[i] + as_title[i] + as_abstract[i + 1], i + 2, "pair"))
        for value, end, kind in options:
            # `<=` lets a pair (tried last) win a tie.
            if value <= cost[end]:
                cost[end], step[end] = value, (kind, i)
    out: list[tuple[str, int]] = []
    end = n
    while end > 0:
        kind, start = step[end]
        out.append((kind, start))
        end = start
    return out[::-1]


def parse_dump(name: str, text: str) -> tuple[list[Record], list[Problem]]:
    """Records of one dump, in order, and the problems found while pairing titles with abstracts."""
    lines, opened = _content_lines(_split_lines(text))
    if not opened:
        what = "no listing header" if lines else "no content"
        return [], [Problem(name, None, f"not a listing dump ({what}): skipped; {VALID_START}", Severity.ERROR)]
    records: list[Record] = []
    problems: list[Problem] = []
    for kind, i in _segment([abstract_score(line.text) for line in lines]):
        line = lines[i]
        if kind == "pair":
            records.append(Record(name, line.number, line.text, lines[i + 1].text, line.listed, len(records)))
        elif kind == "title":
            problems.append(Problem(name, line.number, f"{ORPHAN_TITLE}: skipped ({_excerpt(line.text)})"))
        else:
            problems.append(Problem(name, line.number, f"{ORPHAN_ABSTRACT}: skipped ({_excerpt(line.text)})"))
    if not records:
        problems.append(Problem(name, None, "listing header but no title/abstract pairs: skipped", Severity.ERROR))
        return [], problems
    log.info("%s: layout %s, %d records", name, detect_layout(lines).value, len(records))
    return records, problems


def _excerpt(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")
