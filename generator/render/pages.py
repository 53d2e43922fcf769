"""Render the catalogue model into Markdown pages and `catalogue.json` (in memory, nothing written).

One Jinja environment for every page. Its finalize step turns every value printed by a template
into inert text (each Markdown/HTML syntax character becomes an entity), so dump text can never
become markup; only values the code marks safe (rendered TeX, URLs it built) pass unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import jinja2
from markupsafe import Markup

from generator import forking, urls
from generator.models import Catalogue, Entry, FileContent, RelatedLink, Topic, listed_files
from generator.render import catalogue_parts
from generator.render.cards import PAPER_CARDS_UP_TO, SITE_NAME, Card, paper_line, topic_line
from generator.render.exports import CATALOGUE_PART, Citation, bibtex
from generator.render.facets import FacetIndex, facets_html, month_name, paper_facets, words_html
from generator.render.listing_names import Listing, listing_record, listings_newest_first, records_by_dump
from generator.texfrag import escape_text, to_html, to_plain
from generator.words import human_date, plural, was_were

DESCRIPTION_CHARS = 200
EXCERPT_CHARS = 160
AREA_EXAMPLES = 3
"""Papers an area page shows under each of its topics (the topic page has them all)."""
PAGE_SIZE = 100
"""Entries on one listing page (topic, letter); longer lists continue on numbered pages."""


def _inert(value: Any) -> Any:
    """Every value a template prints passes here: text becomes inert, Markup (HTML this code
    made) passes as it is."""
    if type(value) is Markup:
        return value
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return Markup(escape_text(str(value)))


def _front_matter_value(value: str) -> Markup:
    """A front matter scalar the theme can print raw: MkDocs' templates do not autoescape and
    print `page.meta.title` / `description` straight into `<title>`, `<meta>`, the navigation and
    the search index, so the text is HTML-escaped here, then written as a YAML double-quoted
    string that escapes whatever YAML cannot hold as is (controls, lone surrogates)."""
    return Markup(yaml_quote(html.escape(value, quote=True)))


def _front_matter_html(value: str) -> Markup:
    """HTML made by a template (already inert), as a front matter scalar the theme prints raw."""
    return Markup(yaml_quote(str(value)))


# What YAML cannot hold literally in a double-quoted scalar, besides `"` and `\`.
_YAML_UNSAFE_RE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def yaml_quote(text: str) -> str:
    """`text` as a YAML double-quoted scalar; astral characters stay literal (JSON's surrogate
    pairs are not valid YAML)."""
    if _YAML_UNSAFE_RE.search(text.replace("\n", " ")) is None:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000:
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)


_BLOCK_START_RE = re.compile(r"^(?:[-+*>#=]|\d+[.)])")


def markdown_paragraph(html_text: str) -> str:
    """Inert HTML text as one Markdown paragraph: on one line, and never read as a list, a
    heading or a code block (a leading `-`, `1.` or indent would be)."""
    text = html_text.replace("\r", " ").replace("\n", " ").strip()
    if _BLOCK_START_RE.match(text):
        text = f"&#{ord(text[0])};{text[1:]}"
    return text


@dataclass(frozen=True)
class PaperText:
    """What a paper page shows of a paper's own text, and all that search indexes of it: the page
    (paper.md.j2) and the page Pagefind indexes (pagefind_index.py) are both made from this."""

    plain_title: str
    heading: Markup
    """The title as HTML (TeX rendered)."""
    abstract: Markup
    """The abstract as one inert Markdown paragraph."""
    aliases: list[str]
    """The other titles it was listed as; variants that read the same as the title once TeX is
    rendered show only in the page's sources table."""

    def fields(self) -> dict[str, Any]:
        """What both templates read of it: heading, abstract, aliases."""
        return {"heading": self.heading, "abstract": self.abstract, "aliases": self.aliases}


def paper_text(title: str, abstract: str, aliases: Iterable[str]) -> PaperText:
    plain = to_plain(title)
    return PaperText(
        plain_title=plain,
        heading=Markup(to_html(title)),
        abstract=Markup(markdown_paragraph(to_html(abstract))),
        aliases=[a for a in aliases if to_plain(a) != plain],
    )


def first_listed(cat: Catalogue, entry: Entry) -> str | None:
    """The earliest ISO day a listing of the paper is known to have (None without a full date)."""
    return min((d for r in entry.paper.sources if (d := cat.listing_date(r))), default=None)


def listed_phrase(cat: Catalogue, entry: Entry, shown: Callable[[str], str] = str) -> str | None:
    """When a listing showed the paper, in reader words, for its page and feeds: `first listed on
    3 Apr 2024`, or `listed on Apr 3 (the listing gives no year)`; `shown` renders the day as the
    dump or curator wrote it (escape_text for a page)."""
    first = first_listed(cat, entry)
    if first:
        return f"first listed on {human_date(first)}"
    listed = next((day for r in entry.paper.sources if (day := cat.listed_day(r))), None)
    return f"listed on {shown(listed)} (the listing gives no year)" if listed else None


def _url(value: str) -> Markup:
    if not value.startswith(("https://", "http://")):
        raise ValueError(f"refusing to emit a non-http(s) link: {value!r}")
    return Markup(html.escape(value, quote=True))


def shorten(text: str, limit: int) -> str:
    """Plain text cut at a word boundary, with an ellipsis when cut."""
    text = " ".join(to_plain(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:.-–—")
    return cut + "…"


def _templates() -> Path:
    """An installed package carries the templates as `generator/templates`; a checkout has them at
    the top of the repository."""
    installed = Path(__file__).resolve().parent.parent / "templates"
    return installed if installed.is_dir() else Path(__file__).resolve().parents[2] / "templates"


TEMPLATES = _templates()
"""The Jinja templates of the generated pages (and, under theme/, the MkDocs theme override)."""


def make_environment(template_dir: Path) -> jinja2.Environment:
    """The one environment: strict undefined, every printed value inert unless marked safe."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        auto_reload=False,  # templates do not change during a run: no stat per page rendered
        # `finalize` makes every printed value inert; autoescaping on top would only escape the
        # Markup it returns a second time (and cost a third of the rendering).
        autoescape=False,
        finalize=_inert,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tex"] = lambda s: Markup(to_html(s))
    env.filters["plural"] = plural
    env.filters["was_were"] = was_were
    env.filters["plain"] = to_plain
    env.filters["fm"] = _front_matter_value
    env.filters["html"] = _front_matter_html
    env.filters["url"] = _url
    env.filters["shorten"] = shorten
    # Links: a template names the page it links to by its source path (`paper_path(slug)`,
    # `AZ_PATH`...) and makes it a link from the page being rendered with `|md` (a Markdown link,
    # which MkDocs resolves) or `|href` (an HTML link to the built page, for front matter HTML).
    env.filters["md"] = _md_link
    env.filters["href"] = _html_link
    env.globals.update(
        paper_path=urls.paper_path,
        topic_path=urls.topic_path,
        area_path=urls.area_path,
        listing_path=urls.listing_path,
        az_letter_path=urls.az_letter_path,
        report_path=urls.report_path,
        page_path=urls.page_path,
        feed_path=urls.feed_path,
        export_path=urls.export_path,
        SITE_FEED_PATH=urls.SITE_FEED_PATH,
        HOME_PATH=urls.HOME_PATH,
        AZ_PATH=urls.AZ_PATH,
        LISTINGS_PATH=urls.LISTINGS_PATH,
        NEWEST_PATH=urls.NEWEST_PATH,
        BROWSE_PATH=urls.BROWSE_PATH,
        REPORT_PATH=urls.REPORT_PATH,
    )
    return env


T = TypeVar("T")

THIS_PATH = "this_path"
"""The context variable holding the source path of the page being rendered."""


@jinja2.pass_context
def _md_link(context: jinja2.runtime.Context, to_path: str) -> Markup:
    """`{{ topic_path(slug)|md }}`: Markdown link from the page being rendered to a source path."""
    return Markup(escape_text(urls.md_link(context[THIS_PATH], to_path)))


@jinja2.pass_context
def _html_link(context: jinja2.runtime.Context, to_path: str) -> Markup:
    """`{{ paper_path(slug)|href }}`: HTML link from the page being rendered to a page's URL."""
    return Markup(escape_text(urls.html_link(context[THIS_PATH], to_path)))


@dataclass(frozen=True)
class PaperLink:
    """A paper as other pages list it."""

    slug: str
    html: Markup
    """The title as HTML (TeX rendered)."""
    excerpt: str


PAPER_TEMPLATE = "paper.md.j2"


class TopicName(NamedTuple):
    """A topic as a paper page names it (its rules are not part of the page)."""

    slug: str
    name: str


@dataclass(frozen=True)
class PageReuse:
    """What lets a run skip rendering the paper pages whose inputs did not change (issue 19).

    A page's key hashes `fingerprint` (the templates and the generator's code, the environment
    the output reads), its path and everything its template prints (`Renderer.paper_context`).
    `known` holds the keys the files now in the docs folder were made from, for the files that
    no one touched since (output/run_stamp.py checks size and modification time); a page whose
    key is there is not rendered, and the writer keeps its file. `found` is filled as pages are
    made: every paper page's key of this run, for the next one."""

    fingerprint: str
    known: Mapping[str, str] = field(default_factory=dict)
    found: dict[str, str] = field(default_factory=dict)

    def reused(self) -> int:
        """Paper pages of this run that were not rendered (their inputs had not changed)."""
        known = self.known
        return sum(known.get(path) == key for path, key in self.found.items())


def page_key(fingerprint: str, path: str, context: Mapping[str, Any]) -> str:
    """The key of a page's inputs: its context's repr (strings, numbers, tuples, lists, dicts in
    a fixed order and frozen dataclasses of those: the same in every process), hashed."""
    data = f"{fingerprint}\0{path}\0{context!r}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def paper_index_key(slug: str) -> str:
    """Which part of the 404 page's paper index lists a slug: its first character."""
    first = slug[:1]
    return first if first.isascii() and first.isalnum() else "_"


def collect(outputs: Iterable[tuple[str, T]]) -> dict[str, T]:
    """Path -> text, refusing a path produced twice (a slug collision that survived is a bug)."""
    out: dict[str, T] = {}
    for path, text in outputs:
        if path in out:
            raise ValueError(f"two generated files for one path: {path}")
        out[path] = text
    return out


def paginate(items: Sequence[Any], size: int = PAGE_SIZE) -> list[Sequence[Any]]:
    """Split a list into pages of `size` (at least one page, possibly empty)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


class Renderer:
    """Renders every page of one catalogue."""

    def __init__(
        self,
        catalogue: Catalogue,
        template_dir: Path,
        site_url: str = urls.DEFAULT_SITE_URL,
        paper_cards_up_to: int = PAPER_CARDS_UP_TO,
        reuse: PageReuse | None = None,
    ) -> None:
        self.paper_cards_up_to = paper_cards_up_to
        self.reuse = reuse
        self.cat = catalogue
        self.site_url = site_url.rstrip("/") + "/"
        self.env = make_environment(template_dir)
        self.dump_slugs = urls.dump_slugs(listed_files(catalogue.entries))
        self.env.globals["dump_slug"] = self.dump_slugs.__getitem__
        self.by_slug = {e.slug: e for e in catalogue.entries}
        self.topics = {t.slug: t for t in catalogue.topics}
        self.areas = {a.slug: a for a in catalogue.areas}
        self.members: dict[str, list[Entry]] = {slug: self.by_title(es) for slug, es in catalogue.topic_members.items()}
        """Topic slug -> its papers, by title: every topic page, count and export reads these."""
        self.topic_counts = {slug: len(es) for slug, es in self.members.items()}
        self._links: dict[str, PaperLink] = {}
        self._titles: dict[str, Markup] = {}
        self.by_dump = records_by_dump(catalogue, self.by_slug)
        """Dump file -> its records in the dump's order, each with its paper."""
        self.listings: list[Listing] = listings_newest_first(catalogue, self.dump_slugs, self.by_dump)
        self.facet_index = FacetIndex.of(self.catalogue_doc(papers=False))
        """The names the browse facets are made of; a paper's facets come from its own record of
        `catalogue.json` (`paper_record`), as the search index's do."""
        self._browse_choices = self.browse_choices()

    def front_pages(self) -> Iterator[tuple[str, FileContent]]:
        """Home, catalogue.json and its parts, the 404 page's paper index, one at a time."""
        yield urls.HOME_PATH, self.render_home()
        doc = self.catalogue_doc()
        yield urls.CATALOGUE_FILE, json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
        yield from catalogue_parts.render_parts(doc)
        del doc
        yield from self.render_paper_indexes()

    def topic_and_area_pages(self) -> Iterator[tuple[str, FileContent]]:
        for topic in self.cat.topics:
            yield from self.render_topic(topic)
        for area in self.cat.areas:
            path = urls.area_path(area.slug)
            examples = {s: [self.link(e) for e in self.by_title(self.members[s])[:AREA_EXAMPLES]] for s in area.topics}
            yield (
                path,
                self._render(
                    "area.md.j2",
                    path,
                    area=area,
                    topics=self._topic_rows(area.topics),
                    examples=examples,
                    browse=self.browse(area=area.name),
                ),
            )

    def paper_pages(self, meanwhile: Iterable[tuple[str, FileContent]] = ()) -> Iterator[tuple[str, FileContent]]:
        """Every paper page, then what is left of `meanwhile`. In a large catalogue worker
        processes make the paper pages, and the pages of `meanwhile` (the rest of the site) are
        made here in the time this process would wait for them; the files are the same either way.
        With `reuse`, a page whose inputs did not change is not rendered: the writer keeps the
        file there (and renders it only if it is gone)."""
        others = iter(meanwhile)
        made: list[tuple[str, FileContent]] = []

        def one_more() -> bool:
            for page in others:
                made.append(page)
                return True
            return False

        entries = self.cat.entries
        results = forking.ordered_map(self.paper_page, entries, meanwhile=one_more)
        for entry, (key, text) in zip(entries, results, strict=True):
            yield from made
            made.clear()
            path = urls.paper_path(entry.slug)
            if self.reuse is not None:
                self.reuse.found[path] = key
            yield path, text if text is not None else functools.partial(self._encoded_paper, entry)
        yield from made
        yield from others

    def _encoded_paper(self, entry: Entry) -> bytes:
        return self.render_paper(entry).encode("utf-8")

    def render_paged(self, template: str, first: str, rows: Sequence[Any], **context: Any) -> list[tuple[str, str]]:
        """One page per PAGE_SIZE rows: `first` (`x.md`), then `x/page/2.md`...; each gets a pager."""
        pages = paginate(rows)
        out = []
        for number, chunk in enumerate(pages, start=1):
            path = urls.page_path(first, number)
            text = self._render(template, path, pager_path=first, rows=chunk, page=number, pages=len(pages), **context)
            out.append((path, text))
        return out

    def by_title(self, entries: Iterable[Entry]) -> list[Entry]:
        return sorted(entries, key=lambda e: (to_plain(e.paper.title).casefold(), e.slug))

    def _render(self, template: str, path: str, **context: Any) -> str:
        """Render the page whose source path is `path`: its links (`|md`, `|href`) start there."""
        return self.env.get_template(template).render({THIS_PATH: path}, **context)

    def link(self, entry: Entry) -> PaperLink:
        """How other pages list a paper: computed once per paper, however many pages list it."""
        found = self._links.get(entry.slug)
        if found is None:
            excerpt = shorten(entry.paper.abstract, EXCERPT_CHARS)
            found = self._links[entry.slug] = PaperLink(entry.slug, self.title_html(entry), excerpt)
        return found

    def title_html(self, entry: Entry) -> Markup:
        found = self._titles.get(entry.slug)
        if found is None:
            found = self._titles[entry.slug] = Markup(to_html(entry.paper.title))
        return found

    def why(self, link: RelatedLink) -> str:
        """Why a paper is related, in a few words: the strong topics both are in, the terms both weigh most."""
        parts = []
        if link.topics:
            parts.append("both in " + " and ".join(self.topics[t].name for t in link.topics))
        if link.terms:
            parts.append("shared terms: " + ", ".join(f"“{t}”" for t in link.terms))
        return "; ".join(parts)

    def dates(self, entry: Entry) -> Markup:
        """The line under a paper's title: when it joined the catalogue, when a source listed it."""
        parts = []
        if entry.added:
            parts.append(f"Added to the catalogue on {human_date(entry.added)}")
        listed = listed_phrase(self.cat, entry, escape_text)
        if listed:
            parts.append(listed)
        return Markup(f'<p class="paper-dates">{" · ".join(parts)}</p>') if parts else Markup("")

    def paper_context(self, entry: Entry) -> dict[str, Any]:
        """Everything paper.md.j2 prints of a paper, and nothing else: the template reads no other
        state, so this is all a page is made from (`page_key`)."""
        paper = entry.paper
        text = paper_text(paper.title, paper.abstract, paper.aliases)
        path = urls.paper_path(entry.slug)
        citation = self.citation(entry)
        return dict(
            plain_title=text.plain_title,
            description=shorten(paper.abstract, DESCRIPTION_CHARS),
            topics=[(TopicName(m.topic, self.topics[m.topic].name), m) for m in entry.topics],
            related=[(link.other, self.title_html(self.by_slug[link.other]), self.why(link)) for link in entry.links],
            sources=[(r.file, r.line, r.listed, r.title, self.dump_slugs[r.file]) for r in paper.sources],
            lookups=urls.lookup_links(text.plain_title),
            dates=self.dates(entry),
            permalink=urls.permalink(self.site_url, path),
            citation=citation,
            card=self.paper_card(entry),
            bibtex=bibtex(citation),
            **self.facet_fields(entry),
            **text.fields(),
        )

    def render_paper(self, entry: Entry) -> str:
        return self._render(PAPER_TEMPLATE, urls.paper_path(entry.slug), **self.paper_context(entry))

    def paper_page(self, entry: Entry) -> tuple[str, str | None]:
        """(the key of the page's inputs, its text), or (key, None) when the page in the docs
        folder was made from inputs of that very key (`PageReuse.known`): it is not rendered.
        Without `reuse` the key is not computed ("")."""
        path = urls.paper_path(entry.slug)
        context = self.paper_context(entry)
        if self.reuse is None:
            return "", self._render(PAPER_TEMPLATE, path, **context)
        key = page_key(self.reuse.fingerprint, path, context)
        if self.reuse.known.get(path) == key:
            return key, None
        return key, self._render(PAPER_TEMPLATE, path, **context)

    def browse_choices(self) -> dict[str, Any]:
        """What the browse form offers: topics by area, areas, listings and months, newest first."""
        months = sorted({e.added[:7] for e in self.cat.entries if e.added}, reverse=True)
        return {
            "browse_topics": [(a.name, [self.topics[t].name for t in a.topics]) for a in self.cat.areas],
            "browse_areas": [a.name for a in self.cat.areas],
            "browse_listings": [li.name for li in self.listings],
            "browse_months": [month_name(m + "-01") for m in months],
        }

    def browse(self, sort: str = "title", autorun: bool = False, **preset: str) -> Markup:
        """The browse form (`_browse.html.j2`) for a page about `preset` (topic=, area=, listing=
        by name), listing by `sort` until the reader types words."""
        html = self.env.get_template("_browse.html.j2").render(
            preset=preset, sort=sort, autorun=autorun, **self._browse_choices
        )
        return Markup(html)

    def topic_card(self, topic: Topic) -> Card:
        area = self.areas[topic.area].name
        return Card(topic.name, topic_line(area, self.topic_counts[topic.slug]), SITE_NAME)

    def paper_card(self, entry: Entry) -> Card:
        """A paper's own card; in a catalogue past PAPER_CARDS_UP_TO papers, its first topic's,
        without the topic's count: a paper's page then changes only when the paper does, not
        whenever its topic gains a paper (incremental builds rebuild changed pages only)."""
        if len(self.cat.entries) > self.paper_cards_up_to:
            if entry.topics:
                topic = self.topics[entry.topics[0].topic]
                return Card(topic.name, self.areas[topic.area].name, SITE_NAME)
            return Card(SITE_NAME, "A curated catalogue of research papers", SITE_NAME)
        names = [self.topics[m.topic].name for m in entry.topics]
        return Card(to_plain(entry.paper.title), paper_line(names), SITE_NAME)

    def citation(self, entry: Entry) -> Citation:
        """What the paper's BibTeX block and the export files say of it."""
        path = urls.paper_path(entry.slug)
        plain = to_plain(entry.paper.title)
        url = urls.permalink(self.site_url, path)
        return Citation(entry.slug, plain, to_plain(entry.paper.abstract), url, first_listed(self.cat, entry))

    def facet_fields(self, entry: Entry) -> dict[str, Markup]:
        """What a paper page prints for browsing: its facets and its facet words."""
        facets = paper_facets(self.paper_record(entry), self.facet_index)
        return {"facets": Markup(facets_html(facets)), "facet_words": Markup(words_html(facets))}

    def render_topic(self, topic: Topic) -> list[tuple[str, str]]:
        return self.render_paged(
            "topic.md.j2",
            urls.topic_path(topic.slug),
            [self.link(e) for e in self.members[topic.slug]],
            topic=topic,
            area=self.areas[topic.area],
            count=self.topic_counts[topic.slug],
            related_topics=self._related_topics(topic.slug),
            browse=self.browse(topic=topic.name),
            card=self.topic_card(topic),
        )

    def _related_topics(self, slug: str, count: int = 5) -> list[tuple[Topic, int]]:
        shared: dict[str, int] = defaultdict(int)
        for entry in self.members[slug]:
            for m in entry.topics:
                if m.topic != slug:
                    shared[m.topic] += 1
        best = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:count]
        return [(self.topics[s], n) for s, n in best]

    def _topic_rows(self, slugs: Iterable[str]) -> list[tuple[Topic, int]]:
        return [(self.topics[s], self.topic_counts[s]) for s in slugs]

    def render_home(self) -> str:
        areas = [(a, self._topic_rows(a.topics)) for a in self.cat.areas]
        parts = max(1, -(-len(self.cat.entries) // CATALOGUE_PART))
        return self._render(
            "home.md.j2", urls.HOME_PATH, cat=self.cat, areas=areas, export_parts=parts, CATALOGUE_PART=CATALOGUE_PART
        )

    def render_paper_indexes(self) -> Iterator[tuple[str, str]]:
        """`paper-index/<c>.json`, one per first character of the slugs: `[[slug, plain title],
        ...]`, what the 404 page matches a mangled address against. Split so that the 404 page
        downloads a part of the catalogue's size (about 1/30), never all of it."""
        shards: dict[str, list[list[str]]] = defaultdict(list)
        for e in self.cat.entries:
            shards[paper_index_key(e.slug)].append([e.slug, to_plain(e.paper.title)])
        for key, rows in sorted(shards.items()):
            yield urls.paper_index_path(key), json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n"

    def paper_record(self, e: Entry) -> dict[str, Any]:
        """One paper as `catalogue.json` gives it."""
        return {
            "slug": e.slug,
            "title": e.paper.title,
            "abstract": e.paper.abstract,
            "url": urls.paper_url(e.slug),
            "topics": [m.topic for m in e.topics],
            "related": list(e.related),
            "aliases": list(e.paper.aliases),
            "added": e.added,
            "first_listed": first_listed(self.cat, e),
            "sources": [
                {
                    "file": r.file,
                    "line": r.line,
                    "title": r.title,
                    "listed": self.cat.listed_day(r),
                    "date": self.cat.listing_date(r),
                }
                for r in e.paper.sources
            ],
        }

    def catalogue_doc(self, papers: bool = True) -> dict[str, Any]:
        """What `catalogue.json` holds (without its papers when `papers` is false): every paper
        with its sources, every topic with its papers, the areas and the listings (newest first).
        `catalogue/` holds the same in parts (catalogue_parts.py)."""
        records = [self.paper_record(e) for e in self.cat.entries] if papers else []
        topics = [
            {
                "slug": t.slug,
                "name": t.name,
                "description": t.description,
                "area": t.area,
                "papers": sorted(e.slug for e in self.members[t.slug]),
            }
            for t in self.cat.topics
        ]
        excluded = [
            {"file": r.file, "line": r.line, "title": r.title, "reason": reason} for r, reason in self.cat.excluded
        ]
        areas = [{"slug": a.slug, "name": a.name, "topics": list(a.topics)} for a in self.cat.areas]
        listings = [listing_record(li) for li in self.listings]
        return {"papers": records, "topics": topics, "areas": areas, "listings": listings, "excluded": excluded}
