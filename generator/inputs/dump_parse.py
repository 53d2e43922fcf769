"""Parse listing dumps (both layouts) into records with provenance.

Layout A: `new`, header lines, a date line (`Apr 3`), then title and abstract paragraphs
separated by blank lines. Layout B: two header lines, then one line per title and one per
abstract, the first title glued to `Subscribe`. Both come down to a stream of content lines
in which titles and abstracts alternate. Each line is scored by how much it looks like an
abstract, and the stream is cut into title/abstract pairs and leftovers by the cheapest
reading (dynamic programming): a title that lost its abstract, or a stray abstract, is
reported with its line and skipped without shifting every later pair, and a line that could be
either (a short abstract cut with `…`) is read by what surrounds it.

Lines that are no content: separator lines (`---`, `...`, `***`: no letter or digit) are skipped
like blank lines. Lines that cannot be content are removed and reported with their number: a line
longer than `MAX_LINE_CHARS`, a line holding control characters (NUL...). No pair spans a removed
line, so the title before it is reported as having no abstract and later pairs keep their place.
In layout A, consecutive prose lines with no blank line between them are one abstract pasted over
several lines, and are joined (the record keeps its title's line).

Decoding: UTF-8 (BOM allowed), UTF-16 with or without a BOM (a warning), lines in a fallback
encoding (a warning naming them). A file is binary (skipped) when more than a small share of its
bytes are control bytes; a few stray ones only cost the lines holding them.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass, replace

from generator.models import Problem, ProblemKind, Record, Severity

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
# UTF-16 without a BOM: ASCII-range text puts a NUL in every other byte (odd ones for LE, even for BE).
_UTF16_NUL_SHARE = 0.3
_UTF16_OTHER_NUL_SHARE = 0.05
_UTF16_SAMPLE = 1 << 16

MAX_LINE_CHARS = 20_000
"""Longest line read (real abstracts stay under ~3,000 characters): longer ones are reported and skipped."""
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
"""Characters no title or abstract holds (tab and form feed are whitespace)."""
_WORD_RE = re.compile(r"[^\W_]")
"""A letter or digit: a line without one is a separator (`---`, `...`, `* * *`) or junk."""

# What the problems say (reports count them by `Problem.kind`, see console_report.accounting).
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
    after_removed: bool = False
    """A removed line (too long, control characters) stands before it: no pair spans it."""
    joined: bool = False
    """Several prose lines joined into one (layout A): an abstract, never a title."""


@dataclass(frozen=True)
class _Removed:
    """A line that cannot be content, skipped and reported."""

    number: int
    reason: str
    barrier: bool
    """It held text (so no pair may span it); False for lines of control characters only."""


# ---------------------------------------------------------------------------------------------
# Bytes to text


def decode_dump(name: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes of a dump to text with `\\n` line ends: UTF-8 (BOM allowed), or UTF-16 with or without
    a BOM (a warning); lines that are not UTF-8 are read with a declared fallback encoding and a
    warning naming them. Empty, binary (many control bytes) and undecodable files give None and an
    error; a few control bytes are left to parse_dump, which skips and reports their lines."""
    empty = [Problem(name, None, "empty file: skipped", Severity.ERROR)]
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        return None, empty
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, problems = _decode_utf16(name, data)
        return (None, empty) if text is not None and not text.strip() else (text, problems)
    unmarked = _unmarked_utf16(data)
    if unmarked is not None:
        encoding, text = unmarked
        msg = f"no byte order mark, but UTF-16 text ({encoding}): read as UTF-16; save dumps as UTF-8"
        return (None, empty) if not text.strip() else (text, [Problem(name, None, msg)])
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
    """More than a few control bytes: a stray NUL in a text dump only costs its line (parse_dump)."""
    controls = len(data) - len(data.translate(None, _BINARY_BYTES))
    return controls > max(2, _BINARY_SHARE * len(data))


def _unmarked_utf16(data: bytes) -> tuple[str, str] | None:
    """(encoding, text with `\\n` line ends) of UTF-16 without a byte order mark: NUL bytes in
    most odd (LE) or even (BE) places and almost none in the others, decoding to text."""
    sample = data[:_UTF16_SAMPLE]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    shares = (even.count(0) / len(even), odd.count(0) / len(odd))
    if shares[1] >= _UTF16_NUL_SHARE and shares[0] <= _UTF16_OTHER_NUL_SHARE:
        encoding = "utf-16-le"
    elif shares[0] >= _UTF16_NUL_SHARE and shares[1] <= _UTF16_OTHER_NUL_SHARE:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data[: len(data) // 2 * 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    if _looks_binary(text.encode("utf-8")):
        return None
    return encoding, "\n".join(_LINE_BREAK_RE.split(text))


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
_CERTAIN_ABSTRACT = 20.0
"""The score of such a line (and of prose lines joined into one): never read as a title."""
_ORPHAN_COST = 3.0
"""What reading a line as a title without abstract (or an abstract without title) costs. A line
between two titles is read as an abstract unless it scores below -2 * _ORPHAN_COST."""
_SENTENCE_RE = re.compile(r"[.;!]\s+(?=[A-Z0-9(\"'“])")
"""A sentence break no title holds (a title may hold `? `: `What Matters? A Study of...`)."""
_NO_SENTENCE_MAX = 2 * _ORPHAN_COST - 1
"""Highest score of a line that neither ends nor breaks a sentence: a long title (200-300
characters with its subtitle) is then read as the title of the clear abstract after it."""


def abstract_score(line: str) -> float:
    """How much a content line looks like an abstract (> 0) rather than a title (< 0)."""
    n = len(line)
    if n > _ABSTRACT_CERTAIN_CHARS:
        return _CERTAIN_ABSTRACT
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
    elif not ends_sentence and not _SENTENCE_RE.search(line):
        score = min(score, _NO_SENTENCE_MAX)
    return score


def _is_prose(line: str) -> bool:
    """An abstract, or part of one, that an abstract's next line may continue (layout A)."""
    if abstract_score(line) <= 0:
        return False
    return len(line) > _ABSTRACT_CERTAIN_CHARS or line.endswith(_ENDS_SENTENCE) or bool(_SENTENCE_RE.search(line))


def looks_like_abstract(line: str) -> bool:
    """An abstract is long prose; a title is short and does not end a sentence (line on its own)."""
    return abstract_score(line) > 0


# ---------------------------------------------------------------------------------------------
# Lines to records


def _split_lines(text: str) -> list[str]:
    return _LINE_BREAK_RE.split(text) if "\r" in text else text.split("\n")


def _content_lines(lines: list[str]) -> tuple[list[_Line], bool, list[_Removed]]:
    """Content lines (headers, date and separator lines removed); whether a listing header opens
    the file; and the lines removed because they cannot be content (too long, control characters)."""
    out: list[_Line] = []
    removed: list[_Removed] = []
    listed: str | None = None
    header_before = False
    """The line before was a header line (so a title may be glued to `Subscribe`)."""
    opened = False
    blank = False
    after_removed = False
    for number, raw in enumerate(lines, start=1):
        # Most lines are already single-spaced: no whitespace but " " (str.split's other
        # whitespace and the BOM are all non-printable), none doubled, none at either end.
        clean = raw.isprintable() and "  " not in raw and not raw.startswith(" ") and not raw.endswith(" ")
        rejected = _rejected(number, raw, clean)
        if rejected is not None:
            removed.append(rejected)
            after_removed = after_removed or rejected.barrier
            blank = blank or not rejected.barrier
            header_before = False
            continue
        line = raw if clean else " ".join(raw.replace("\ufeff", "").split())
        if not line or not _WORD_RE.search(line):
            blank = True  # a blank or separator line (`---`, `...`)
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
        out.append(_Line(number, line, listed, blank, after_removed))
        blank = after_removed = False
    return out, opened, removed


def _rejected(number: int, raw: str, clean: bool) -> _Removed | None:
    """Why a line cannot be a title or an abstract, if it cannot."""
    if len(raw) > MAX_LINE_CHARS:
        why = f"line of {len(raw):,} characters (more than {MAX_LINE_CHARS:,}; no title or abstract is that long)"
        return _Removed(number, f"{why}: skipped", True)
    control = None if clean else _CONTROL_RE.search(raw)
    if control is None:
        return None
    rest = " ".join(_CONTROL_RE.sub(" ", raw).split())
    held = _WORD_RE.search(rest) is not None
    why = f"control characters (such as {control.group()!r}) on this line, not text: skipped"
    return _Removed(number, f"{why} ({_excerpt(rest)})" if held else why, held)


def _join_continued(lines: list[_Line]) -> list[_Line]:
    """Layout A: a prose line right under an abstract's line (no blank line between) continues it."""
    out: list[_Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not (line.after_blank or line.after_removed)
            and line.listed == prev.listed
            and _is_prose(prev.text)
            and abstract_score(line.text) > 0
        ):
            out[-1] = replace(prev, text=f"{prev.text} {line.text}", joined=True)
        else:
            out.append(line)
    return out


def detect_layout(lines: list[_Line]) -> Layout:
    """A when most content lines are separated by blank lines, else B."""
    gaps = sum(line.after_blank for line in lines[1:])
    return Layout.A if lines[1:] and gaps * 2 >= len(lines) - 1 else Layout.B


def _segment(scores: list[float], barriers: list[bool] | None = None) -> list[tuple[str, int]]:
    """Cheapest cut of the line stream into ("pair", i) = lines i, i+1; ("title", i); ("abstract", i).
    No pair ends at a line i+1 where `barriers[i + 1]` (a removed line stood before it)."""
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
        if i + 1 < n and not (barriers and barriers[i + 1]):
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
    """Records of one dump, in order, and the problems found while reading its lines and pairing
    titles with abstracts (in line order)."""
    lines, opened, removed = _content_lines(_split_lines(text))
    if not opened:
        what = "no listing header" if lines else "no content"
        return [], [Problem(name, None, f"not a listing dump ({what}): skipped; {VALID_START}", Severity.ERROR)]
    layout = detect_layout(lines)
    if layout is Layout.A:
        lines = _join_continued(lines)
    records: list[Record] = []
    problems = [Problem(name, r.number, r.reason) for r in removed]
    scores = [_CERTAIN_ABSTRACT if line.joined else abstract_score(line.text) for line in lines]
    for kind, i in _segment(scores, [line.after_removed for line in lines]):
        line = lines[i]
        if kind == "pair":
            records.append(Record(name, line.number, line.text, lines[i + 1].text, line.listed, len(records)))
        elif kind == "title":
            msg = f"{ORPHAN_TITLE}: skipped ({_excerpt(line.text)})"
            problems.append(Problem(name, line.number, msg, kind=ProblemKind.ORPHAN_TITLE))
        else:
            msg = f"{ORPHAN_ABSTRACT}: skipped ({_excerpt(line.text)})"
            problems.append(Problem(name, line.number, msg, kind=ProblemKind.ORPHAN_ABSTRACT))
    problems.sort(key=lambda p: p.line or 0)
    if not records:
        problems.append(Problem(name, None, "listing header but no title/abstract pairs: skipped", Severity.ERROR))
        return [], problems
    log.info("%s: layout %s, %d records", name, layout.value, len(records))
    return records, problems


def _excerpt(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")
