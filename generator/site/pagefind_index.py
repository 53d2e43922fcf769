"""Pagefind's index made from `catalogue.json`, so that it is built while MkDocs builds the site.

Pagefind indexes HTML files. Run over the built site, it can only start once MkDocs has finished,
and it took 12 s of a 52 s build at 10,000 papers (BENCHMARKS.md), while MkDocs, which runs on
one core, left the other idle. What Pagefind indexes of a page (`data-pagefind-body`) is small and
depends on the catalogue alone: a paper's title, abstract and other titles (theme/paper.html), a
topic's name and description (theme/partials/content.html). `pages` makes each of those parts into
a minimal page at the path of the built page, so that results link to the built pages; the tests
check that Pagefind's fragments from these pages equal those from the built site.

`python -m generator.site.pagefind_index CATALOGUE_JSON WORK [LANG [PAGES]]` writes the pages into
PAGES (default WORK/pages/), indexes them into WORK/pagefind/ and prints Pagefind's summary;
`search.start_index` runs it as a child process and `IndexJob.finish` puts the result into the
built site.

The pages can be kept between builds (`sync_pages`, a folder marked PAGES_MARK): a build then
writes only the pages whose text changed and removes those of papers gone, instead of writing
every page into a fresh folder and removing it after. At 100,000 papers that removal alone took
about 22 s (102,000 folders of one file each), after Pagefind had finished (BENCHMARKS.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify
from markupsafe import Markup

from generator import urls
from generator.render.facets import TOPIC_FACETS, FacetIndex, facets_html, paper_facets, words_html
from generator.render.pages import TEMPLATES, make_environment, paper_text

TEMPLATE = "pagefind-page.html.j2"


def pages(catalogue: Mapping[str, Any], lang: str = "en", template_dir: Path = TEMPLATES) -> Iterator[tuple[str, str]]:
    """(site-relative file path, HTML) of the page Pagefind indexes for every paper and every
    topic's first page, from a parsed `catalogue.json`."""
    template = make_environment(template_dir).get_template(TEMPLATE)
    facet_index = FacetIndex.of(catalogue)
    for paper in catalogue["papers"]:
        text = paper_text(paper["title"], paper["abstract"], paper["aliases"])
        facets = paper_facets(paper, facet_index)
        html = template.render(
            lang=lang,
            topic=None,
            title=text.plain_title,
            facets_html=Markup(facets_html(facets)),
            words_html=Markup(words_html(facets)),
            **text.fields(),
        )
        yield urls.paper_url(paper["slug"]) + "index.html", html
    for topic in catalogue["topics"]:
        # The id MkDocs' `toc` extension gives the page's <h1>: Pagefind records it as an anchor.
        anchor = slugify(topic["name"], "-")
        topic_facets = Markup(facets_html(TOPIC_FACETS))
        html = template.render(lang=lang, topic=topic, title=topic["name"], anchor=anchor, facets_html=topic_facets)
        yield urls.topic_url(topic["slug"]) + "index.html", html


def write_pages(folder: Path, files: Iterable[tuple[str, str]]) -> int:
    """Write the pages into an empty `folder`; returns how many."""
    count = 0
    made: set[Path] = set()
    for rel, html in files:
        path = folder / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(html, encoding="utf-8")
        count += 1
    return count


PAGES_MARK = ".catalogue-search-pages"
"""The file that marks a folder of pages kept between builds as this generator's (not HTML, so
Pagefind does not index it)."""


class PagesNotOurs(ValueError):
    """The folder meant for the kept pages holds files this generator did not write."""


def sync_pages(folder: Path, files: Iterable[tuple[str, str]]) -> tuple[int, int]:
    """Make `folder` hold exactly the pages `files` (site-relative path, HTML) and nothing else,
    writing only those whose bytes differ from the file there. The result does not depend on what
    the folder held before (every file is compared, not trusted), so a folder a killed build left
    half-written is put right by the next. Returns (pages written, files removed); raises
    PagesNotOurs when the folder is not empty and lacks PAGES_MARK, OSError."""
    folder.mkdir(parents=True, exist_ok=True)
    mark = folder / PAGES_MARK
    if not mark.is_file():
        if any(folder.iterdir()):
            raise PagesNotOurs(f"{folder} holds files a site build did not write there; remove it or move them")
        mark.write_text("Pages the site build's search index is made from, kept between builds.\n", encoding="utf-8")
    present = _regular_files(folder)
    written = 0
    wanted: set[str] = {PAGES_MARK}
    for rel, html in files:
        wanted.add(rel)
        data = html.encode("utf-8")
        path = folder / rel
        if rel in present:
            with contextlib.suppress(OSError):
                if path.read_bytes() == data:
                    continue
        else:
            _clear_way(folder, path)
        path.write_bytes(data)
        written += 1
    removed = 0
    for rel in present.keys() - wanted:
        path = folder / rel
        # Unless a page's folder now stands there, or it went with a folder cleared above.
        if not path.is_symlink() and path.is_file():
            path.unlink()
            removed += 1
    removed += _remove_strays(folder)
    return written, removed


def _regular_files(folder: Path) -> dict[str, None]:
    """Every regular file under `folder` (not through links), relative to it."""
    out: dict[str, None] = {}
    for top, _, names in os.walk(folder):
        base = Path(top).relative_to(folder)
        for name in names:
            path = os.path.join(top, name)
            if not os.path.islink(path) and os.path.isfile(path):
                out[(base / name).as_posix()] = None
    return out


def _clear_way(folder: Path, path: Path) -> None:
    """Remove what stands where `path` or its folders must go (a link, a file where a folder goes,
    a folder where the page goes); then make its folder."""
    at = folder
    for part in path.relative_to(folder).parts[:-1]:
        at = at / part
        if os.path.islink(at) or (at.exists() and not at.is_dir()):
            at.unlink()
    if os.path.islink(path) or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)


def _remove_strays(folder: Path) -> int:
    """Remove links and empty folders under `folder` (what is left once the pages of papers gone
    are removed); returns how many."""
    removed = 0
    for top, dirs, names in os.walk(folder, topdown=False):
        for name in [*names, *dirs]:
            path = os.path.join(top, name)
            if os.path.islink(path):
                os.unlink(path)
                removed += 1
            elif name in dirs and not os.listdir(path):
                os.rmdir(path)
                removed += 1
    return removed


def index(catalogue_json: Path, work: Path, lang: str = "en", kept_pages: Path | None = None) -> str:
    """Write the pages of `catalogue_json` into `work/pages/`, or bring the folder of kept pages
    `kept_pages` up to date (`sync_pages`), and index them into `work/pagefind/`. Returns Pagefind's
    summary; raises RuntimeError (Pagefind failed) or OSError/ValueError (the catalogue cannot be
    read, or `kept_pages` is not a folder of ours)."""
    from generator.site.search import run_pagefind

    with open(catalogue_json, encoding="utf-8") as fd:
        catalogue = json.load(fd)
    if kept_pages is not None:
        source = kept_pages
        sync_pages(source, pages(catalogue, lang))
    else:
        source = work / "pages"
        shutil.rmtree(source, ignore_errors=True)
        source.mkdir(parents=True)
        write_pages(source, pages(catalogue, lang))
    del catalogue
    return run_pagefind(source, output=work / "pagefind")


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3, 4):
        print("usage: python -m generator.site.pagefind_index CATALOGUE_JSON WORK [LANG [PAGES]]", file=sys.stderr)
        return 2
    # MkDocs, building at the same time, is the critical path: the index takes the CPU it leaves
    # (Pagefind, a child of this process, inherits the priority).
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)
    try:
        lang, kept = (argv[2] if len(argv) > 2 else "en"), (Path(argv[3]) if len(argv) > 3 else None)
        print(index(Path(argv[0]), Path(argv[1]), lang, kept))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as err:
        print(f"error: the search index could not be made: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
