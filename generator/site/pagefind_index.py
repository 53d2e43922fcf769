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
and `IndexJob.finish` puts the result into the built site. `search.fork_index` makes the same
index from the same records in a forked child before `catalogue.json` is written, while the
build still generates (site/early_index.py).

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
"""Where the pages are written when it is a folder with room for them (`room_needed`)."""
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
    try:
        (work / WHERE_FILE).write_text(str(folder), encoding="utf-8")
    except OSError:
        if folder.parent != work:  # a RAM folder no record names: only a restart would free it
            shutil.rmtree(folder, ignore_errors=True)
        raise
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


def room_needed(catalogue: Mapping[str, Any]) -> int:
    """The bytes to find free before the pages of `catalogue` go into RAM: RAM_ROOM times what
    they hold, and a block (what a RAM-backed file or folder takes at least) for each file and
    folder."""
    text = sum(len(p["title"]) + len(p["abstract"]) + sum(map(len, p["aliases"])) for p in catalogue["papers"])
    text += sum(len(t["name"]) + len(t.get("description") or "") for t in catalogue["topics"])
    files = len(catalogue["papers"]) + len(catalogue["topics"])
    return RAM_ROOM * (text + files * PAGE_BYTES) + files * 2 * RAM_BLOCK


PAGE_BYTES = 1500
"""What a page holds besides its text (markup, facets), about."""
RAM_BLOCK = 4096


def index(catalogue_json: Path, work: Path, lang: str = "en", ram: Path | None = RAM_FOLDER) -> str:
    """Index `catalogue_json` (`index_catalogue`). Raises RuntimeError (Pagefind failed) or
    OSError/ValueError (the catalogue cannot be read)."""
    with open(catalogue_json, encoding="utf-8") as fd:
        catalogue = json.load(fd)
    return index_catalogue(catalogue, work, lang, ram)


def index_catalogue(catalogue: dict[str, Any], work: Path, lang: str = "en", ram: Path | None = RAM_FOLDER) -> str:
    """Write the pages of `catalogue` (parsed `catalogue.json`, or the same records made in the
    build: search.fork_index) in `ram` if it has room (`pages_folder`), and index them into
    `work/pagefind/`. `catalogue` is emptied once the pages are written (its memory is Pagefind's
    then). Returns Pagefind's summary; raises RuntimeError (Pagefind failed), OSError."""
    from generator.site.search import run_pagefind

    try:
        source = pages_folder(work, room_needed(catalogue), ram)
        try:
            write_pages(source, pages(catalogue, lang))
        except OSError:
            if source == work / "pages":
                raise
            remove_pages(work)  # the RAM folder filled up meanwhile: the disk
            source = pages_folder(work, 0, None)
            write_pages(source, pages(catalogue, lang))
        catalogue.clear()
        return run_pagefind(source, output=work / "pagefind")
    finally:
        remove_pages(work)


def lower_priority() -> None:
    """MkDocs (or generate), running at the same time, is the critical path: the index takes the
    CPU it leaves (Pagefind, a child of this process, inherits the priority)."""
    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python -m generator.site.pagefind_index CATALOGUE_JSON WORK [LANG]", file=sys.stderr)
        return 2
    lower_priority()
    try:
        Path(argv[1]).mkdir(parents=True, exist_ok=True)
        print(index(Path(argv[0]), Path(argv[1]), argv[2] if len(argv) > 2 else "en"))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as err:
        print(f"error: the search index could not be made: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
