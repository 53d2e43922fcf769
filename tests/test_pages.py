import json
from pathlib import Path

from generator.models import (
    Area,
    Catalogue,
    Entry,
    Gone,
    Paper,
    Record,
    Redirect,
    RelatedLink,
    Topic,
    TopicMatch,
    TopicRule,
)
from generator.output.docs_writer import WriteError, write_outputs
from generator.render import pages
from generator.render.listings import render_site
from generator.render.pages import collect, paginate, shorten
from generator.site import pagefind_index

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }} {% if %} **b** | # h"


def _catalogue(title: str = HOSTILE, abstract: str = HOSTILE) -> Catalogue:
    r = Record("a.txt", 3, title, abstract, "Apr 3")
    r2 = Record("b.txt", 5, "Other paper", "Another abstract about actions.")
    topic = Topic("t", "Topic", "About it.", "a", TopicRule(title=("x",)))
    p1 = Entry(
        "p1",
        Paper("k1", title, abstract, (), (r,)),
        (TopicMatch("t", 3, 'title: "x"'),),
        (RelatedLink("p2", ("x",), ()),),
    )
    p2 = Entry(
        "p2",
        Paper("k2", r2.title, r2.abstract, (), (r2,)),
        (TopicMatch("t", 3, 'title: "x"'),),
        (RelatedLink("p1", ("x",), ()),),
    )
    moved = Redirect("old-slug", "p1", HOSTILE, "alias title")
    return Catalogue(
        (p1, p2),
        (Area("a", "Area", "d", ("t",)),),
        (topic,),
        (),
        (),
        2,
        ("a.txt", "b.txt"),
        redirects=(moved,),
        gone=(Gone("gone-slug", HOSTILE, "a curator excluded it (" + HOSTILE + ")"),),
    )


def test_dump_text_never_becomes_markup() -> None:
    files = render_site(_catalogue(), TEMPLATES)
    page = files["papers/p1.md"]
    body = page.split("---", 2)[2]
    for bad in ("<script", "](javascript", "{{", "{%", "**b**", "| # h"):
        assert bad not in body
    assert '"title": "<script>' in files["catalogue.json"].replace("\\u003c", "<")
    front, stub_body = files["papers/old-slug.md"].split("---", 2)[1:]
    assert "<script" not in stub_body and "{{" not in stub_body
    assert 'title: "&lt;script&gt;' in front and 'redirect: "../p1/"' in front
    gone_body = files["papers/gone-slug.md"].split("---", 2)[2]
    for bad in ("<script", "](javascript", "{{", "{%", "**b**", "| # h"):
        assert bad not in gone_body


def test_every_template_is_used(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    used: set[str] = set()
    make = pages.make_environment

    def spying_environment(template_dir: Path):  # type: ignore[no-untyped-def]
        env = make(template_dir)
        original = env.get_template

        def spy(name: str, *a, **k):  # type: ignore[no-untyped-def]
            used.add(name)
            return original(name, *a, **k)

        env.get_template = spy  # type: ignore[method-assign]
        return env

    monkeypatch.setattr(pages, "make_environment", spying_environment)
    monkeypatch.setattr(pagefind_index, "make_environment", spying_environment)
    site = render_site(_catalogue(), TEMPLATES)
    list(pagefind_index.pages(json.loads(site["catalogue.json"]), template_dir=TEMPLATES))
    templates = {p.name for p in TEMPLATES.glob("*.j2") if not p.name.startswith("_")}
    assert templates <= used


def test_shorten_cuts_on_words() -> None:
    assert shorten("one two three four", 9) == "one two…"
    assert shorten("short", 10) == "short"


def test_paginate() -> None:
    assert [len(p) for p in paginate(list(range(250)), 100)] == [100, 100, 50]
    assert paginate([], 100) == [[]]


def test_writer_touches_only_changed_files_and_removes_its_own(tmp_path: Path) -> None:
    (tmp_path / "about.md").write_text("hand-written")
    first = write_outputs(tmp_path, {"a.md": "A", "sub/b.md": "B"})
    assert (first.written, first.unchanged, first.removed) == (2, 0, 0)
    again = write_outputs(tmp_path, {"a.md": "A", "sub/b.md": "B"})
    assert (again.written, again.unchanged) == (0, 2)
    last = write_outputs(tmp_path, {"a.md": "A2"})
    assert (last.written, last.removed) == (1, 1)
    assert not (tmp_path / "sub").exists() and (tmp_path / "about.md").read_text() == "hand-written"


def test_writer_refuses_collisions_and_hand_written_files(tmp_path: Path) -> None:
    import pytest

    with pytest.raises(ValueError, match="two generated files"):
        collect([("a.md", "1"), ("a.md", "2")])
    (tmp_path / "about.md").write_text("hand-written")
    with pytest.raises(WriteError):
        write_outputs(tmp_path, {"about.md": "generated"})


def test_html_in_the_front_matter_is_inert() -> None:
    """Paper and list pages carry HTML in their front matter that the theme prints raw: the
    dump text inside it is escaped like everywhere else."""
    import yaml

    files = render_site(_catalogue(), TEMPLATES)
    meta = yaml.safe_load(files["papers/p1.md"].split("---", 2)[1])
    rows = yaml.safe_load(files["topics/t.md"].split("---", 2)[1])["rows"]
    for html_text in (meta["heading"], meta["aliases"], meta["sections"], rows):
        for bad in ("<script", 'href="javascript', "{{", "{%", "**b**"):
            assert bad not in html_text
    assert "&lt;script&gt;" in meta["heading"].replace("&#60;", "&lt;").replace("&#62;", "&gt;")
    assert 'href="../../papers/p2/"' in meta["sections"] and 'href="../../papers/p1/"' in rows


def test_paper_index_is_split_by_first_character() -> None:
    import json

    files = render_site(_catalogue(), TEMPLATES)
    parts = {path: json.loads(text) for path, text in files.items() if path.startswith("paper-index/")}
    assert parts == {"paper-index/p.json": [["p1", pages.to_plain(HOSTILE)], ["p2", "Other paper"]]}
    assert pages.paper_index_key("4d-vla") == "4" and pages.paper_index_key("") == "_"


def test_long_lists_continue_on_numbered_pages_linked_by_a_pager() -> None:
    """A topic of PAGE_SIZE + 1 papers: two pages, each linking the other from where it is served,
    and counts and members taken from the one member list the renderer keeps."""
    import yaml

    topic = Topic("t", "Topic", "About it.", "a", TopicRule(title=("x",)))
    entries = tuple(
        Entry(
            f"p{i:03d}",
            Paper(f"k{i}", f"Paper {i:03d}", "x", (), (Record("a.txt", i + 1, f"Paper {i:03d}", "x"),)),
            (TopicMatch("t", 3, 'title: "x"'),),
            (),
        )
        for i in range(pages.PAGE_SIZE + 1)
    )
    cat = Catalogue(entries, (Area("a", "Area", "d", ("t",)),), (topic,), (), (), len(entries), ("a.txt",))
    files = render_site(cat, TEMPLATES)
    first, second = (yaml.safe_load(files[p].split("---", 2)[1])["rows"] for p in ("topics/t.md", "topics/t/page/2.md"))
    assert 'href="../../topics/t/page/2/">2</a>' in first
    assert 'href="../../../../topics/t/">1</a>' in second and 'href="../../../../papers/p100/"' in second
    assert (
        "**101 papers**" in files["topics/t/page/2.md"] and "[Area](../../../areas/a.md)" in files["topics/t/page/2.md"]
    )
    assert "listings/a/page/2.md" in files
    assert "- [Topic](topics/t.md) (101)" in files["index.md"]


def test_counts_of_one_read_in_the_singular_on_every_page() -> None:
    """One paper, one record, one dump, one topic, one area: no page says `1 papers`."""
    import re

    r = Record("a.txt", 1, "A single paper", "Its abstract.", "Apr 3")
    topic = Topic("t", "Topic", "About it.", "a", TopicRule(title=("single",)))
    entry = Entry("p1", Paper("k1", r.title, r.abstract, (), (r,)), (TopicMatch("t", 3, 'title: "single"'),), ())
    cat = Catalogue((entry,), (Area("a", "Area", "d", ("t",)),), (topic,), (), (), 1, ("a.txt",))
    files = render_site(cat, TEMPLATES)
    wrong = re.compile(r"\b1 (papers|records|dumps|topics|areas|merges|pairs|problems)\b")
    texts = {path: text for path, text in files.items() if isinstance(text, str)}  # cards are images
    assert not {path: wrong.findall(text) for path, text in texts.items() if wrong.search(text)}
    assert "1 paper" in files["index.md"] and "1 record was read" in files["report.md"]


def test_feeds_hold_the_newest_papers_first_and_say_when_they_were_added() -> None:
    import xml.etree.ElementTree as ET

    from generator.render.feeds import FEED_ENTRIES, render_feeds

    topic = Topic("t", "Topic", "About it.", "a", TopicRule(title=("x",)))
    entries = tuple(
        Entry(
            f"p{i:03d}",
            Paper(
                f"k{i}", f"Paper {i:03d}", f"Abstract {i} with $x^2$.", (), (Record("a.txt", i + 1, "t", "x", "Apr 3"),)
            ),
            (TopicMatch("t", 3, 'title: "x"'),),
            (),
            f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 7 else None,
        )
        for i in range(FEED_ENTRIES + 20)
    )
    cat = Catalogue(entries, (Area("a", "Area", "d", ("t",)),), (topic,), (), (), len(entries), ("a.txt",))
    feeds = dict(render_feeds(cat, "https://example.org/"))
    assert set(feeds) == {"feed.xml", "feed-topic-t.xml", "feed-area-a.xml"}
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(feeds["feed-topic-t.xml"])
    items = root.findall("a:entry", ns)
    days = [e.findtext("a:published", namespaces=ns) for e in items]
    assert len(items) == FEED_ENTRIES and days == sorted(days, reverse=True)
    assert root.findtext("a:updated", namespaces=ns) == days[0]
    newest = max(e.added for e in entries if e.added)
    assert days[0] == f"{newest}T00:00:00Z"
    first = items[0]
    assert first.find("a:link", ns).get("href", "").startswith("https://example.org/papers/")  # type: ignore[union-attr]
    assert "Listed on Apr 3" in (first.findtext("a:summary", namespaces=ns) or "")
    assert "$" not in (first.findtext("a:summary", namespaces=ns) or "")
    assert dict(render_feeds(cat, "https://example.org/")) == feeds
