"""Dump text is data, and nothing is lost: the bundled dumps plus hostile and broken ones
(tests/hostile/ and a few generated here) built into a real site, checked in the HTML, in
catalogue.json, in the report, and in a real headless Chromium."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.texfrag import to_html, to_plain

from .browser import CHROMIUM_ARGS, chromium_path, serve_folder
from .conftest import (
    DATA,
    copy_hand_written_docs,
    pagefind_bundle_files,
    pagefind_fragments,
    pagefind_of_built_site,
    pagefind_of_catalogue_on_disk,
    run_cli,
)
from .dumps import layout_a, layout_b, pairs

pytestmark = pytest.mark.slow

HOSTILE = Path(__file__).parent / "hostile"
SITE_NAME = "Papers about actions"


_PROSE = (
    "We study {topic} with a {animal} agent. Our method is simple, and it improves sample efficiency on standard "
    "benchmarks while keeping the variance of its estimates low. Results show clear gains over strong baselines."
)

# Generated dumps: bytes a committed text file could not keep (git may rewrite line ends).
GENERATED: dict[str, bytes] = {
    "105_empty.txt": b"\xef\xbb\xbf \r\n",
    "106_binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "107_cp1252.txt": layout_b(
        pairs(
            [
                (
                    "Café Cassowary: Curiosity-Driven Exploration",
                    _PROSE.format(topic="curiosity “naïve” exploration", animal="cassowary"),
                ),
            ]
        )
    ).encode("cp1252"),
    "108_crlf_bom.txt": b"\xef\xbb\xbf"
    + layout_a(
        pairs(
            [
                (
                    "Dingo Distributional Critics <b>bold</b>",
                    _PROSE.format(topic="distributional reinforcement learning", animal="dingo"),
                ),
                (
                    "Echidna Multi-Agent Roles",
                    _PROSE.format(topic="multi-agent reinforcement learning", animal="echidna"),
                ),
            ]
        )
    )
    .replace("\n", "\r\n")
    .encode("utf-8"),
    "109_cr_only.txt": layout_b(
        pairs(
            [("Flamingo Bandits with Delayed Feedback", _PROSE.format(topic="multi-armed bandits", animal="flamingo"))]
        )
    )
    .replace("\n", "\r")
    .encode("utf-8"),
    "110_utf16.txt": layout_b(
        pairs(
            [
                (
                    "Gecko GUI Agents for Mobile Screens",
                    _PROSE.format(topic="GUI agents on mobile screens", animal="gecko"),
                )
            ]
        )
    ).encode("utf-16"),
    "notes.md": b"# Not a dump\n\nA Markdown file dropped into the sources folder.\n",
}

# Every record a valid hostile or odd dump holds: file -> titles, in order.
PUBLISHED = {
    "100_hostile_a.txt": [
        "<script>alert(1)</script> Zebra Policy Gradient Estimators",
        "Markdown Mango: [a link](https://evil.example/x) and ![an image](https://evil.example/i.png) in **bold** "
        "and _emphasis_ for Offline RL",
        "Jinja Jackal {{ 7*7 }} {% raw %} for Bandit Exploration {% endraw %}",
        "title: Yak &anchor *alias !!python/object:os.system for Large Action Spaces",
    ],
    "101_hostile_b.txt": [
        "</title><script>alert(1)</script> Quokka Title Breakout for Action Recognition",
        "javascript:alert(1) Jaguar <svg onload=alert(1)> <img src=x onerror=alert(2)> Embodied Navigation",
        "Entity Emu &lt;script&gt; &amp; &#60;b&#62; for Robot Manipulation",
    ],
    "102_astral_b.txt": ["Wombat \U0001f916 Robots: Robot Manipulation with \U0001d49cction Chunks"],
    "103_missing_mid.txt": [
        "Koala Value Functions for Sparse Rewards",
        "Lemur Imitation Learning from Few Demonstrations",
        "Marmot Action Anticipation in Egocentric Video",
        "Narwhal Skeleton Action Recognition with Graphs",
    ],
    "107_cp1252.txt": ["Café Cassowary: Curiosity-Driven Exploration"],
    "108_crlf_bom.txt": ["Dingo Distributional Critics <b>bold</b>", "Echidna Multi-Agent Roles"],
    "109_cr_only.txt": ["Flamingo Bandits with Delayed Feedback"],
    "110_utf16.txt": ["Gecko GUI Agents for Mobile Screens"],
}
# What the report must say about each broken or odd file: (line or None, words in the message).
REPORTED = {
    "103_missing_mid.txt": [
        (5, "title with no abstract"),
        (8, "abstract with no title"),
        (13, "title with no abstract"),
    ],
    "104_notes.txt": [(None, "not a listing dump")],
    "105_empty.txt": [(None, "empty")],
    "106_binary.txt": [(None, "binary")],
    "107_cp1252.txt": [(3, "cp1252")],
    "110_utf16.txt": [(None, "UTF-16")],
    "notes.md": [(None, "not a .txt")],
}
# Literal strings each hostile page must show as text, by a word of its title.
LITERAL = {
    "Zebra": ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click me](javascript:alert(1))"],
    "Mango": ["[a link](https://evil.example/x)", "![an image](https://evil.example/i.png)", "**bold**", "# Heading"],
    "Jackal": [
        "{{ 7*7 }}",
        "{% raw %}",
        "{{ config.site_name }}",
        "{# comment #}",
        "``` a code fence ```",
        "| a | b |",
    ],
    "Yak": ["title: Yak &anchor *alias !!python/object:os.system", 'description: "x"'],
    "Quokka": ["</title><script>alert(1)</script>", '"><script>alert(1)</script><meta http-equiv="refresh"'],
    "Jaguar": [
        "javascript:alert(1) Jaguar <svg onload=alert(1)> <img src=x onerror=alert(2)>",
        "<javascript:alert(1)>",
        '{: onclick="alert(1)" }',
    ],
    "Emu": [
        "&lt;script&gt; &amp; &#60;b&#62;",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        '<div markdown="1">**x**</div>',
    ],
    "Dingo": ["<b>bold</b>"],
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One real build of bundled + hostile + broken dumps; and a --strict run on the same input."""
    tmp = tmp_path_factory.mktemp("hostile")
    sources = tmp / "data" / "sources"
    sources.mkdir(parents=True)
    shutil.copy2(DATA / "topics.yml", tmp / "data" / "topics.yml")
    for dump in [*(DATA / "sources").glob("*.txt"), *HOSTILE.glob("*.txt")]:
        shutil.copy2(dump, sources / dump.name)
    for name, data in GENERATED.items():
        (sources / name).write_bytes(data)
    docs = copy_hand_written_docs(tmp / "docs")
    proc = run_cli("build", "--data", str(tmp / "data"), "--docs", str(docs), "--site", str(tmp / "site"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    strict = run_cli(
        "build", "--strict", "--data", str(tmp / "data"), "--docs", str(tmp / "docs2"), "--site", str(tmp / "site2")
    )
    catalogue = json.loads((tmp / "site" / "catalogue.json").read_text(encoding="utf-8"))
    return {"tmp": tmp, "proc": proc, "strict": strict, "catalogue": catalogue, "sources": sources}


def test_the_search_index_of_hostile_text_is_the_index_of_the_built_pages(hostile: dict[str, Any]) -> None:
    # Pagefind indexes pages made from catalogue.json (generator/site/pagefind_index.py) instead of the
    # built site: with TeX, HTML-looking and broken text, both must still give the same index.
    tmp = hostile["tmp"]
    site = tmp / "site-pagefind"
    docs = copy_hand_written_docs(tmp / "docs-pagefind")
    args = ("build", "--data", str(tmp / "data"), "--docs", str(docs), "--site", str(site))
    proc = run_cli(*args, env={"SEARCH_ENGINE": "pagefind"})
    assert proc.returncode == 0 and "search: Pagefind" in proc.stdout, proc.stdout + proc.stderr
    from_site = pagefind_of_built_site(site, tmp / "pagefind-of-site")
    on_disk = pagefind_of_catalogue_on_disk(site / "catalogue.json", tmp / "pagefind-of-catalogue")
    assert pagefind_bundle_files(from_site) == pagefind_bundle_files(on_disk)
    assert pagefind_fragments(from_site) == pagefind_fragments(site / "pagefind")


def _file_text(sources: Path, name: str) -> list[str]:
    """Lines of a dump as a reader numbers them (any line end, any encoding used here)."""
    data = (sources / name).read_bytes()
    text = data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode("utf-8-sig", errors="replace")
    if name == "107_cp1252.txt":
        text = data.decode("cp1252")
    return re.split(r"\r\n|\r|\n", text)


def _expected_records(sources: Path) -> list[dict[str, Any]]:
    """(file, line, title, abstract) of every record PUBLISHED names, read from the files directly."""
    out = []
    for name, titles in PUBLISHED.items():
        lines = _file_text(sources, name)
        for title in titles:
            number = next(i for i, s in enumerate(lines, 1) if s.removeprefix("Subscribe") == title)
            abstract = next(s for s in lines[number:] if s.strip())
            out.append({"file": name, "line": number, "title": title, "abstract": abstract})
    return out


def _paper_of(catalogue: dict[str, Any], file: str, line: int) -> dict[str, Any]:
    found = [p for p in catalogue["papers"] for s in p["sources"] if (s["file"], s["line"]) == (file, line)]
    assert len(found) == 1, (file, line)
    return found[0]


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- catalogue.json and the report ------------------------------------------------------------


def test_every_hostile_record_is_published_with_its_exact_text(hostile: dict[str, Any]) -> None:
    for rec in _expected_records(hostile["sources"]):
        paper = _paper_of(hostile["catalogue"], rec["file"], rec["line"])
        assert paper["title"] == rec["title"]
        # The parser trims and collapses whitespace (NBSP included); nothing else changes.
        assert paper["abstract"] == _squash(rec["abstract"])
        assert len(paper["sources"]) == 1 and paper["sources"][0]["title"] == rec["title"]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", paper["slug"]) and paper["url"] == f"papers/{paper['slug']}/"


def test_listing_dates_follow_the_layout(hostile: dict[str, Any]) -> None:
    for rec in _expected_records(hostile["sources"]):
        source = _paper_of(hostile["catalogue"], rec["file"], rec["line"])["sources"][0]
        assert source["listed"] == ("Apr 3" if rec["file"] in ("100_hostile_a.txt", "108_crlf_bom.txt") else None)


def test_the_report_names_every_broken_file_and_line(hostile: dict[str, Any]) -> None:
    out = hostile["proc"].stdout
    for name, expected in REPORTED.items():
        for line, words in expected:
            where = f"{name}:{line}:" if line else f"{name}:"
            assert any(s.strip().startswith(where) and words in s for s in out.splitlines()), (name, line, words)


def test_strict_fails_on_the_same_input_and_writes_nothing(hostile: dict[str, Any]) -> None:
    strict = hostile["strict"]
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "--strict" in strict.stderr
    assert not (hostile["tmp"] / "docs2").exists() and not (hostile["tmp"] / "site2").exists()


def _content_lines(lines: list[str]) -> list[int]:
    headers = {
        "new",
        "subscribe",
        "get trending papers in your email inbox!",
        "get trending papers in your email inbox once a day!",
        "byak and the research community",
    }
    date = re.compile(r"^[A-Z][a-z]{2} \d{1,2}$")
    return [
        i
        for i, s in enumerate(lines, 1)
        if s.strip() and s.strip().casefold() not in headers and not date.match(s.strip())
    ]


def test_every_line_read_is_accounted_for(hostile: dict[str, Any]) -> None:
    """Per readable dump: content lines = 2 x records in catalogue.json + lines reported as not used.
    Overall: records read = sources in catalogue.json (+ excluded by curation)."""
    catalogue, out = hostile["catalogue"], hostile["proc"].stdout
    per_file: dict[str, int] = {}
    for paper in catalogue["papers"]:
        for source in paper["sources"]:
            per_file[source["file"]] = per_file.get(source["file"], 0) + 1
    reported = re.findall(r"^\s+(\S+?):(\d+): warning: (?:title with no abstract|abstract with no title)", out, re.M)
    unreadable = {"104_notes.txt", "105_empty.txt", "106_binary.txt", "notes.md"}
    names = sorted(p.name for p in hostile["sources"].iterdir())
    for name in names:
        if name in unreadable:
            assert name not in per_file
            continue
        content = _content_lines(_file_text(hostile["sources"], name))
        orphans = [int(n) for f, n in reported if f == name]
        assert len(content) == 2 * per_file[name] + len(orphans), name
        assert set(orphans) <= set(content)
    total = sum(per_file.values()) + len(catalogue.get("excluded", []))
    summary = next(s for s in out.splitlines() if " records read from " in s)
    assert summary.startswith(f"{total} records read from {len(names)} files ->"), summary
    accounted = next(s for s in out.splitlines() if s.startswith("accounted:"))
    assert f"{total} records = {len(catalogue['papers'])} papers + " in accounted
    assert "unaccounted" not in accounted
    assert "2 titles without abstract, 1 abstract without title" in accounted
    assert "4 files skipped (104_notes.txt, 105_empty.txt, 106_binary.txt, notes.md)" in accounted


# --- The built HTML -----------------------------------------------------------------------------


class _Page(HTMLParser):
    """What a browser makes of a page (or of its <article>): text, <title>, meta tags, and every
    active thing in it (script, event handler, javascript: URL, refresh, frame)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.in_title = False
        self.title: list[str] = []
        self.tags_in_title: list[str] = []
        self.meta: list[dict[str, str | None]] = []
        self.active: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self.in_title:
            self.tags_in_title.append(tag)
        self.in_title = self.in_title or tag == "title"
        if tag == "meta":
            self.meta.append(found)
            refresh = (found.get("http-equiv") or "").lower() == "refresh"
            if refresh and any(scheme in _squeeze(found.get("content")) for scheme in _ACTIVE_SCHEMES):
                self.active.append(f"meta refresh {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.active.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and _squeeze(value).startswith(
                _ACTIVE_SCHEMES
            ):
                self.active.append(f"<{tag} {name}={value!r}>")
        # The site's own scripts are its theme's (every dump script here calls alert); a dump image is src=x.
        if tag in ("iframe", "object", "embed") or (tag == "img" and found.get("src") == "x"):
            self.active.append(f"<{tag}>")
        if tag == "script" and re.match(r"(?:https?:)?//", found.get("src") or ""):
            self.active.append(f"<script src={found['src']!r}>")
        if tag == "script":
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag == "script" and self._script is not None:
            if "alert" in "".join(self._script):
                self.active.append(f"<script>{''.join(self._script)[:40]}")
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)
        if self.in_title:
            self.title.append(data)
        self.texts.append(data)

    @property
    def text(self) -> str:
        return _squash("".join(self.texts))


_ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")


def _squeeze(value: str | None) -> str:
    """A URL as a browser reads it: controls and whitespace dropped, lower case."""
    return re.sub(r"[\s\x00-\x1f]", "", value or "").lower()


def _parse(path: Path) -> tuple[_Page, _Page]:
    """The page outside its <article>, and the article (the generated Markdown's part; a page
    without one, such as a redirect stub, is all outside)."""
    source = path.read_text(encoding="utf-8")
    match = re.search(r"<article\b[^>]*>(.*)</article>", source, re.S)
    start, end = (match.start(), match.end()) if match else (len(source), len(source))
    outside, article = _Page(), _Page()
    outside.feed(source[:start] + source[end:])
    article.feed(match.group(1) if match else "")
    outside.close()
    article.close()
    return outside, article


def _visible(tex: str) -> str:
    """What a reader sees of a title or abstract rendered by to_html: the tags' text, entities read."""
    return _squash(html.unescape(re.sub(r"</?su[bp]>", "", to_html(tex))))


@pytest.fixture(scope="module")
def hostile_pages(hostile: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any], _Page, _Page]]:
    """(expected record, its paper in catalogue.json, page outside the article, article) per hostile record."""
    out = []
    for rec in _expected_records(hostile["sources"]):
        paper = _paper_of(hostile["catalogue"], rec["file"], rec["line"])
        out.append((rec, paper, *_parse(hostile["tmp"] / "site" / "papers" / paper["slug"] / "index.html")))
    return out


def test_hostile_text_is_shown_literally_on_its_page(hostile_pages) -> None:  # type: ignore[no-untyped-def]
    for rec, paper, _, article in hostile_pages:
        assert _visible(paper["title"]) in article.text, paper["slug"]
        assert _visible(paper["abstract"]) in article.text, paper["slug"]
        word = next((w for w in LITERAL if w in rec["title"]), None)
        for literal in LITERAL.get(word, []):
            assert _squash(literal) in article.text, (word, literal)


@pytest.fixture(scope="module")
def every_page(hostile: dict[str, Any]) -> list[tuple[Path, _Page, _Page]]:
    pages = sorted((hostile["tmp"] / "site").rglob("*.html"))
    assert len(pages) > 400
    return [(path, *_parse(path)) for path in pages]


def test_no_markup_from_a_dump_is_active_in_any_page_body(every_page) -> None:  # type: ignore[no-untyped-def]
    for path, _, article in every_page:
        assert article.active == [], path


def test_no_markup_from_a_dump_is_active_anywhere_in_any_page(every_page) -> None:  # type: ignore[no-untyped-def]
    """Head and header too: the front matter title and description reach <title>, <meta> and the header."""
    for path, outside, _ in every_page:
        assert outside.active == [] and outside.tags_in_title == [], (path, outside.active, outside.tags_in_title)


def test_title_description_and_og_tags_are_plain_text(hostile_pages) -> None:  # type: ignore[no-untyped-def]
    """The theme prints front matter raw into <title>, <meta> and the header: it must arrive escaped, and be
    read at all (an emoji or a math letter once made PyYAML drop the whole front matter silently)."""
    for _, paper, page, article in hostile_pages:
        assert not article.text.startswith('title: "'), paper["slug"]
        plain = to_plain(paper["title"])
        assert page.tags_in_title == [] and "".join(page.title).strip() == f"{plain} - {SITE_NAME}", paper["slug"]
        metas = [m for m in page.meta if m.get("name") == "description" or (m.get("property") or "").startswith("og:")]
        assert any(m.get("name") == "description" for m in metas)
        for meta in metas:
            assert set(meta) <= {"name", "property", "content"}, meta
            content = meta.get("content") or ""
            if meta.get("name") == "description" or meta.get("property") == "og:description":
                assert _squash(to_plain(paper["abstract"])).startswith(content.rstrip("…").strip()), meta
            if meta.get("property") == "og:title":
                assert content in (plain, f"{plain} - {SITE_NAME}"), meta


_TAG = re.compile(r"<\s*/?\s*([a-zA-Z][\w:-]*)")


# What Material's search index keeps of a page's own markup (it escapes all text).
def test_search_index_holds_no_markup_from_a_dump(hostile: dict[str, Any]) -> None:
    """Pagefind's results are plain text (the search box inserts titles and excerpts as text, only
    <mark> kept): a hostile title is there as the characters it is, and no tag of a dump's text
    survives as markup in what the index returns."""
    fragments = pagefind_fragments(hostile["tmp"] / "site" / "pagefind")
    titles = " ".join(f["meta"]["title"] for f in fragments)
    assert "<script>alert(1)</script> Zebra" in titles and "<svg onload=alert(1)>" in titles
    # Each paper's result title is its plain title, character for character (entities a dump
    # spells out stay as written, never decoded nor escaped twice).
    plain = {"/" + p["url"]: to_plain(p["title"]) for p in hostile["catalogue"]["papers"]}
    for fragment in fragments:
        if fragment["url"].startswith("/papers/"):
            assert fragment["meta"]["title"] == plain[fragment["url"]], fragment["url"]
        else:
            assert fragment["url"].startswith("/topics/"), fragment["url"]


# --- A real browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(hostile: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    exe = chromium_path()
    if exe is None:
        pytest.fail("chromium is not installed: run `make browser` (Debian package chromium)")
    with serve_folder(hostile["tmp"] / "site") as base, playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield chromium, base
        finally:
            chromium.close()


class _Watch:
    """A fresh page that records dialogs, console errors and uncaught exceptions, and stays on localhost."""

    def __init__(self, chromium: Any, base: str) -> None:
        self.context = chromium.new_context(service_workers="block")
        self.context.route(lambda url: not url.startswith((base, "data:", "about:")), lambda route: route.abort())
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def watch(browser: tuple[Any, str]) -> Iterator[tuple[_Watch, str]]:
    chromium, base = browser
    w = _Watch(chromium, base)
    try:
        yield w, base
    finally:
        w.context.close()


def _slug(hostile: dict[str, Any], word: str) -> str:
    return next(p["slug"] for p in hostile["catalogue"]["papers"] if word in p["title"])


@pytest.mark.browser
def test_browser_shows_hostile_pages_as_text_and_runs_nothing(watch, hostile: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Every page with a hostile title, and lists of them: the text shows literally, no dialog, no error."""
    w, base = watch
    for word, literals in LITERAL.items():
        w.page.goto(f"{base}papers/{_slug(hostile, word)}/")
        article = w.page.locator("article").first
        text = _squash(article.inner_text())
        for literal in literals:
            assert _squash(literal) in text, (word, literal)
        active = "iframe, object, embed, img[src='x'], [onerror], [onload], [onclick], [onmouseover]"
        assert article.locator(active).count() == 0
        assert article.locator("script").evaluate_all("ss => ss.filter(s => s.text.includes('alert')).length") == 0
        assert article.locator("a[href^='javascript:' i]").count() == 0
    zebra = next(p for p in hostile["catalogue"]["papers"] if "Zebra" in p["title"])
    for path in (f"topics/{zebra['topics'][0]}/", f"a-z/{zebra['slug'][0]}/"):
        w.page.goto(base + path)
        assert "<script>alert(1)</script> Zebra" in w.page.locator("article").first.inner_text()
    w.page.wait_for_timeout(200)
    assert w.dialogs == [] and w.errors == []


@pytest.mark.browser
def test_browser_search_for_hostile_words_shows_text_and_runs_nothing(watch) -> None:  # type: ignore[no-untyped-def]
    """Material renders search results as HTML, from titles and text in its index."""
    w, base = watch
    w.page.goto(base)
    w.page.keyboard.press("/")
    for word, shown in (
        ("jackal", "{{ 7*7 }}"),
        ("jaguar", "<svg onload=alert(1)>"),
        ("zebra", "<script>alert(1)</script>"),
    ):
        w.page.fill("input.md-search__input", word)
        w.page.keyboard.press("End")  # Material searches again on a key, not on a bare input event
        w.page.wait_for_function(
            "w => (document.querySelector('.md-search-result__item') || {innerText: ''}).innerText"
            ".toLowerCase().includes(w)",
            arg=word,
            timeout=15000,
        )
        assert shown in w.page.locator(".md-search-result__item").first.inner_text(), word
    w.page.wait_for_timeout(200)
    assert w.dialogs == [] and w.errors == []
