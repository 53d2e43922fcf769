"""Slugs, page paths and links: the one place that knows where things live on the site."""

from __future__ import annotations

import hashlib
import posixpath
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable, Sequence

from slugify import slugify

from generator.models import Paper, Problem
from generator.texfrag import to_plain

SLUG_MAX = 80
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
"""Where the site lives when SITE_URL is not set: `mkdocs serve`'s address (as in mkdocs.yml)."""


INDEX_SLUGS = frozenset({"index", "readme"})
"""Slugs MkDocs reads as a folder's index page (`papers/index.md` is served at `/papers/`)."""


def slug_for_title(title: str) -> str:
    """Readable slug of a title's plain text (`$A^2$Nav: ...` -> `a2nav-...`)."""
    slug = slugify(to_plain(title), max_length=SLUG_MAX, word_boundary=True) or "untitled"
    return f"{slug}-paper" if slug in INDEX_SLUGS else slug


def assign_slugs(papers: Sequence[Paper]) -> dict[str, str]:
    """Paper key -> unique slug. Papers whose titles slug alike each get a short hash of their key,
    lengthened if it meets another slug, so the result depends on the papers, never on input order."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for paper in papers:
        wanted[slug_for_title(paper.title)].append(paper.key)
    out = {keys[0]: slug for slug, keys in wanted.items() if len(keys) == 1}
    taken = set(wanted)
    for slug, keys in sorted(wanted.items()):
        if len(keys) == 1:
            continue
        for key in sorted(keys):
            digest = hashlib.sha1(key.encode()).hexdigest()
            width = 6
            while f"{slug}-{digest[:width]}" in taken:
                width += 2
            out[key] = f"{slug}-{digest[:width]}"
            taken.add(out[key])
    return out


CATALOGUE_FILE = "catalogue.json"
"""The catalogue export, at the docs folder's (and so the site's) root."""


# Where pages live. Every generated file has a *source path*, relative to the docs folder, which
# is also what a Markdown link names (MkDocs resolves `../topics/x.md` to the built page), and a
# *URL*, relative to the site root, where MkDocs (use_directory_urls) serves it: `topics/x.md` is
# served at `topics/x/`, `index.md` at the site root. HTML written into front matter is printed
# by the theme as it is, so it links to URLs, never to source paths.

HOME_PATH = "index.md"
ABOUT_PATH = "about.md"
"""The hand-written page about the catalogue, when the docs folder has one."""
AZ_PATH = "a-z.md"
"""The A–Z index; each letter's page is `az_letter_path(letter)`."""
LISTINGS_PATH = "listings.md"
"""The index of listings (dumps); each listing's page is `listing_path(slug)`."""
NEWEST_PATH = "newest.md"
BROWSE_PATH = "browse.md"
NAVIGATION_FILE = ".navigation.json"
"""The reader's navigation (topics grouped by area) as MkDocs' `nav:` setting, written by the
generator into the docs folder (MkDocs publishes no dot-file) and given to MkDocs by the build."""
"""Every paper, narrowed and sorted in the browser (the browse form, Pagefind filters)."""
REPORT_PATH = "report.md"
"""The curation report's summary; its other parts are `report_path(part)`."""


SITE_FEED_PATH = "feed.xml"
"""The Atom feed of the papers added last; each topic and area has its own, `feed_path`. Feeds
live in the site root: Material's script fetches `sitemap.xml` beside every `<link
rel="alternate">` it finds (meant for language versions), and the root is where one exists."""


def feed_path(kind: str, slug: str) -> str:
    """An Atom feed file (docs-relative, copied into the site as is): `kind` is topic or area."""
    return f"feed-{kind}-{slug}.xml"


def export_path(scope: str, part: int, ext: str) -> str:
    """A citation export file (docs-relative, copied into the site as is): `scope` is `catalogue`
    or `topic-<slug>`; part 1 is `exports/<scope>.<ext>`, part k `exports/<scope>-k.<ext>`."""
    return f"exports/{scope}{'' if part == 1 else f'-{part}'}.{ext}"


def paper_path(slug: str) -> str:
    """Markdown source path of a paper page, relative to the docs folder."""
    return f"papers/{slug}.md"


def topic_path(slug: str) -> str:
    return f"topics/{slug}.md"


def area_path(slug: str) -> str:
    return f"areas/{slug}.md"


def listing_path(slug: str) -> str:
    """The page of one dump (its slug from `dump_slugs`), in the dump's own order."""
    return f"listings/{slug}.md"


def az_letter_path(letter: str) -> str:
    """The papers whose slug starts with `letter` (`0-9` for a digit)."""
    return f"a-z/{letter}.md"


def report_path(part: str) -> str:
    """A part of the curation report listed in full (`merges`, `review`)."""
    return f"report/{part}.md"


def paper_index_path(key: str) -> str:
    """One part of the 404 page's paper index (`paper_index_key` in render/pages.py)."""
    return f"paper-index/{key}.json"


def page_path(path: str, number: int) -> str:
    """Page `number` of a list whose first page is `path`: `topics/x.md` page 1 -> `topics/x.md`;
    page 3 -> `topics/x/page/3.md`."""
    return path if number == 1 else f"{path.removesuffix('.md')}/page/{number}.md"


def _is_index(path: str) -> bool:
    return path == HOME_PATH or path.endswith("/" + HOME_PATH)


def url_of(path: str) -> str:
    """Site-relative URL MkDocs serves a source path at: `topics/x.md` -> `topics/x/`,
    `index.md` -> `` (the site root), `a/index.md` -> `a/`."""
    if _is_index(path):
        return path.removesuffix(HOME_PATH)
    return path.removesuffix(".md") + "/"


def paper_url(slug: str) -> str:
    """Site-relative URL of a paper page."""
    return url_of(paper_path(slug))


def topic_url(slug: str) -> str:
    return url_of(topic_path(slug))


def listing_url(slug: str) -> str:
    return url_of(listing_path(slug))


def md_root(path: str) -> str:
    """The way from a source file back to the docs folder, for Markdown links (`../` per folder)."""
    return "../" * path.count("/")


def html_root(path: str) -> str:
    """The way from the URL a source file is served at back to the site root, for HTML links."""
    return "../" * (path.count("/") + (0 if _is_index(path) else 1))


def md_link(from_path: str, to_path: str) -> str:
    """Markdown link from one source file to another (MkDocs resolves it to the built page)."""
    return md_root(from_path) + to_path


def html_link(from_path: str, to_path: str) -> str:
    """HTML link from the page built from `from_path` to the one built from `to_path`, by way of
    the site root."""
    return html_root(from_path) + url_of(to_path)


def sibling_link(from_path: str, to_path: str) -> str:
    """The shortest HTML link between two pages' URLs (`papers/a.md` -> `papers/b.md`: `../b/`),
    as a redirect stub's `<meta http-equiv="refresh">` names its target."""
    rel = posixpath.relpath(url_of(to_path) or ".", url_of(from_path) or ".")
    return "./" if rel == "." else rel + "/"


def permalink(site_url: str, path: str) -> str:
    """Absolute URL of a page; `site_url` ends in `/`."""
    return site_url + url_of(path)


def _dump_slug_groups(files: Iterable[str]) -> dict[str, list[str]]:
    """Wanted listing slug -> dump files (in name order) whose names make it."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for file in sorted(set(files)):
        base = slugify(file.rsplit(".", 1)[0], max_length=SLUG_MAX, word_boundary=True) or "dump"
        wanted[f"{base}-dump" if base in INDEX_SLUGS else base].append(file)
    return wanted


def _hashed(slug: str, name: str) -> str:
    return f"{slug}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def dump_slugs(files: Iterable[str]) -> dict[str, str]:
    """Dump file name -> slug of its listing page (`003_2eac55ab512abe74.txt` -> `003-2eac55ab512abe74`),
    unique and never a folder's index (`index.txt` -> `index-dump`): of files whose names slug alike
    (`400_x.txt`, `400-x.txt`), the first in name order keeps the slug, the others add a hash of their name."""
    out = {}
    for slug, names in _dump_slug_groups(files).items():
        out[names[0]] = slug
        out.update((name, _hashed(slug, name)) for name in names[1:])
    return out


def dump_slug_problems(files: Iterable[str]) -> list[Problem]:
    """A warning for each dump whose listing URL had to differ from its name's (a shared slug)."""
    return [
        Problem(
            name,
            None,
            f"its name makes the same listing URL as {names[0]} ({listing_url(slug)}), so its listing is at "
            f"{listing_url(_hashed(slug, name))}: rename one of the two dumps",
        )
        for slug, names in _dump_slug_groups(files).items()
        for name in names[1:]
    ]


def lookup_links(plain_title: str) -> list[tuple[str, str]]:
    """(label, https URL) searches for a title on services that index papers: the dumps carry no ids."""
    q = urllib.parse.quote_plus(plain_title)
    return [
        ("arXiv", f"https://arxiv.org/search/?query={q}&searchtype=title"),
        ("Hugging Face Papers", f"https://huggingface.co/papers?q={q}"),
        ("Semantic Scholar", f"https://www.semanticscholar.org/search?q={q}"),
        ("Google Scholar", f"https://scholar.google.com/scholar?q={q}"),
    ]
