"""Leaner HTML for every built page (issue 19, part 6): the runs of blank lines and indentation
that Material's templates leave between tags are cut to one newline as MkDocs writes each page.

At 100,000 papers the paper pages are most of the site (about 2 GB), and about 6% of a paper
page is such whitespace (`benchmarks/bench_size.py` measures it). What a reader sees does not
change: in HTML text a run of whitespace that holds a newline renders as one space, and a single
newline is still such a run. Left exactly as they are: the contents of elements whose whitespace
shows or matters (`pre`, `code`, `kbd`, `textarea`, which Material styles `white-space: pre-wrap`;
`script` and `style`), comments, and everything inside a tag (attribute values keep their bytes).
Only ASCII whitespace is touched: a non-breaking space from a dump stays.

`LEAN_HTML=0` in the environment of `build` keeps the theme's whitespace (the benchmark builds
both to measure the saving). Zensical builds run no MkDocs plugins, so they keep it too.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

ENV = "LEAN_HTML"

_RAW = r"<(?:(pre|code|kbd|textarea|script|style)\b[^>]*>.*?</\1\s*>|!--.*?-->)"
"""A raw element with its contents, or a comment: kept as they are."""
_KEEP = re.compile(_RAW, re.DOTALL | re.IGNORECASE)
_KEEP_AND_TAGS = re.compile(_RAW + r"|<[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>", re.DOTALL | re.IGNORECASE)
"""The same, and every tag (slower: for a page whose attribute values may hold a newline)."""
_VALUE_NEWLINE = re.compile(r"=\s*(?:\"[^\"]*\n|'[^']*\n)")
"""A quoted attribute value holding a newline (or text that looks like one)."""
_RUN = re.compile(r"\n[ \t\n\r\f]+")
"""A newline and the ASCII whitespace after it (spaces before a newline are left: looking for
them at every space of the text costs more than they weigh)."""


def collapse_whitespace(html: str) -> str:
    """`html` with every run of whitespace holding a newline, outside raw elements, comments and
    attribute values, cut to one newline."""
    keep = _KEEP_AND_TAGS if _VALUE_NEWLINE.search(html) else _KEEP
    out, at = [], 0
    for kept in keep.finditer(html):
        if kept.start() > at:
            out.append(_RUN.sub("\n", html[at : kept.start()]))
        out.append(kept.group(0))
        at = kept.end()
    out.append(_RUN.sub("\n", html[at:]))
    return "".join(out)


def enabled(environ: Any = None) -> bool:
    """Whether builds cut whitespace: yes unless `LEAN_HTML` is 0, no, false or off."""
    value = (os.environ if environ is None else environ).get(ENV, "")
    return value.strip().lower() not in ("0", "no", "false", "off")


def fingerprint() -> str:
    """What incremental builds (incremental.py) fold into their fingerprint: "off", or a hash of
    this module, so that a site built with another cut is rebuilt in full."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16] if enabled() else "off"


def plugin() -> Any:
    """A MkDocs plugin cutting the whitespace of every page as it is written."""
    from mkdocs.plugins import BasePlugin

    class LeanHtml(BasePlugin):
        def on_post_page(self, output: str, page: Any, config: Any) -> str:
            return collapse_whitespace(output)

    return LeanHtml()
