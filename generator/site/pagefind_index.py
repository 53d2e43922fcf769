"""Pagefind's index made from `catalogue.json`, so that it is built while MkDocs builds the site.

Pagefind indexes HTML files. Run over the built site, it can only start once MkDocs has finished,
and it took 12 s of a 52 s build at 10,000 papers (BENCHMARKS.md), while MkDocs, which runs on
one core, left the other idle. What Pagefind indexes of a page (`data-pagefind-body`) is small and
depends on the catalogue alone: a paper's title, abstract and other titles (theme/paper.html), a
topic's name and description (theme/partials/content.html). `pages` makes each of those parts into
a minimal page at the path of the built page, so that results link to the built pages; the tests
check that Pagefind's fragments from these pages equal those from the built site.

`python -m generator.site.pagefind_index CATALOGUE_JSON WORK [LANG]` writes the pages, indexes them
into WORK/pagefind/ and prints Pagefind's summary; `search.start_index` runs it as a child process
and `IndexJob.finish` puts the result into the built site.

The pages go into a RAM-backed folder (RAM_FOLDER, Linux's /dev/shm) when it has room for them,
else into WORK/pages/, and are removed once Pagefind has read them. At 100,000 papers the disk
here took 4.6 s to write their 102,000 one-file folders and 14 to 22 s to remove them, after
Pagefind had finished; in RAM, 2.1 and 1.3 s (BENCHMARKS.md). The folder's path is written into
WORK/WHERE_FILE first, so that the parent removes it even if this process is killed
(`remove_pages`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
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


def write_pages(folder: Path, files: Iterator[tuple[str, str]]) -> int:
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


RAM_FOLDER = Path("/dev/shm")
"""Where the pages are written when it is a folder with room for them (RAM_ROOM times the size
of catalogue.json, about 1.3 times the pages' bytes)."""
RAM_ROOM = 2
PAGES_PREFIX = "catalogue-search-pages-"
WHERE_FILE = "pages-folder.txt"


def pages_folder(work: Path, needed: int, ram: Path | None = RAM_FOLDER) -> Path:
    """A new empty folder for the pages, recorded in `work/WHERE_FILE`: in `ram` when it is a
    writable folder with `needed` bytes free, else `work/pages/`."""
    folder = work / "pages"
    if ram is not None:
        try:
            if ram.is_dir() and shutil.disk_usage(ram).free >= needed:
                folder = Path(tempfile.mkdtemp(prefix=PAGES_PREFIX, dir=ram))
        except OSError:
            pass  # not writable: the disk
    (work / WHERE_FILE).write_text(str(folder), encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_pages(work: Path) -> None:
    """Remove the folder of pages recorded in `work` (a folder this module made: `work/pages/`
    or one named PAGES_PREFIX...), if it is still there."""
    try:
        folder = Path((work / WHERE_FILE).read_text(encoding="utf-8"))
    except OSError:
        return
    if folder == work / "pages" or folder.name.startswith(PAGES_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)


def index(catalogue_json: Path, work: Path, lang: str = "en", ram: Path | None = RAM_FOLDER) -> str:
    """Write the pages of `catalogue_json` (in `ram` if it has room: `pages_folder`) and index
    them into `work/pagefind/`. Returns Pagefind's summary; raises RuntimeError (Pagefind failed)
    or OSError/ValueError (the catalogue cannot be read)."""
    from generator.site.search import run_pagefind

    with open(catalogue_json, encoding="utf-8") as fd:
        catalogue = json.load(fd)
    try:
        source = pages_folder(work, RAM_ROOM * Path(catalogue_json).stat().st_size, ram)
        try:
            write_pages(source, pages(catalogue, lang))
        except OSError:
            if source == work / "pages":
                raise
            remove_pages(work)  # the RAM folder filled up meanwhile: the disk
            source = pages_folder(work, 0, None)
            write_pages(source, pages(catalogue, lang))
        del catalogue
        return run_pagefind(source, output=work / "pagefind")
    finally:
        remove_pages(work)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python -m generator.site.pagefind_index CATALOGUE_JSON WORK [LANG]", file=sys.stderr)
        return 2
    # MkDocs, building at the same time, is the critical path: the index takes the CPU it leaves
    # (Pagefind, a child of this process, inherits the priority).
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)
    try:
        print(index(Path(argv[0]), Path(argv[1]), argv[2] if len(argv) > 2 else "en"))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as err:
        print(f"error: the search index could not be made: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
