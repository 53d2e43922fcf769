"""Citation exports: a BibTeX `@misc` and a RIS record per paper, from what the listings carry
(title, abstract, the paper's permalink, the curated listing date where known; never authors,
year of publication or venue, which the listings do not give). The paper page's BibTeX block and
the export files are made by the same functions.

Files (`exports_paths`): one pair per topic, split like the topic's pages (PAGE_SIZE papers
each, so part k holds the papers of page k), and one pair for the whole catalogue, in parts of
CATALOGUE_PART papers, so no single download grows past a few MB.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CATALOGUE_PART = 1000
"""Papers per part of the whole catalogue's export: about 1.7 MB of RIS (abstracts included) and
0.35 MB of BibTeX (measured on the bundled catalogue: 1,744 and 347 bytes per paper)."""

BIB, RIS = "bib", "ris"


@dataclass(frozen=True)
class Citation:
    """What a reference manager gets of a paper."""

    key: str
    """The BibTeX key: the paper's slug, as stable as its URL."""
    title: str
    """Plain text (TeX rendered as text)."""
    abstract: str
    url: str
    listed: str | None
    """The first curated listing day, ISO (only a full date from data/sources.yml)."""


_BIB_SPECIAL = re.compile(r"([&%$#_])")


def bib_text(text: str) -> str:
    """Text safe inside a braced BibTeX field that LaTeX typesets: its special characters
    escaped, braces and backslashes (never balanced in listing text) replaced."""
    text = text.replace("\\", "/").replace("{", "(").replace("}", ")")
    text = text.replace("~", "\\textasciitilde{}").replace("^", "\\textasciicircum{}")
    return _BIB_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def bibtex(c: Citation) -> str:
    """One `@misc` entry (double braces keep the title's capitals)."""
    lines = [f"@misc{{{c.key},", f"  title = {{{{{bib_text(c.title)}}}}},", f"  howpublished = {{\\url{{{c.url}}}}},"]
    if c.listed:
        lines.append(f"  urldate = {{{c.listed}}},")
    lines.append("  note = {Listed in the Papers about actions catalogue}")
    return "\n".join(lines) + "\n}\n"


def ris(c: Citation) -> str:
    """One RIS record (`GEN`: the listings say nothing of the kind of work)."""
    lines = [
        "TY  - GEN",
        f"ID  - {c.key}",
        f"TI  - {' '.join(c.title.split())}",
        f"AB  - {' '.join(c.abstract.split())}",
    ]
    lines.append(f"UR  - {c.url}")
    if c.listed:
        lines.append(f"DA  - {c.listed.replace('-', '/')}")
    lines += ["N1  - Listed in the Papers about actions catalogue", "ER  - "]
    return "\n".join(lines) + "\n"


def export_text(kind: str, citations: Iterable[Citation], made: dict[tuple[str, str], str] | None = None) -> str:
    """The export file of `citations`; `made` keeps each paper's entry once made ((kind, key) ->
    text), for a paper that is in several files (its topics' and the whole catalogue's)."""
    render = bibtex if kind == BIB else ris
    made = {} if made is None else made
    out = []
    for c in citations:
        text = made.get((kind, c.key))
        if text is None:
            text = made[(kind, c.key)] = render(c)
        out.append(text)
    return "\n".join(out)


def parts(items: Sequence[Citation], size: int) -> list[Sequence[Citation]]:
    """Consecutive parts of at most `size` (one empty part for no items)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]
