"""Citation exports (render/exports.py): BibTeX and RIS per topic and for the whole catalogue,
parsed with real readers (bibtexparser, rispy) and checked against `catalogue.json`."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy

from generator.render.exports import Citation, bib_text, bibtex, parts, ris
from generator.render.pages import PAGE_SIZE
from generator.texfrag import to_plain

CITATION = Citation("a-paper", "R&D of 50% #1 agents_v2 {x}", "We act.\nWell.", "https://x.org/papers/a/", "2024-04-03")


# bibtexparser 1.4 calls pyparsing with arguments pyparsing 3.3 calls deprecated.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _as_exported(title: str) -> str:
    """A plain title as the export gives it: one space between words, braces as parentheses."""
    return " ".join(title.split()).replace("\\", "/").replace("{", "(").replace("}", ")")


def _unbib(text: str) -> str:
    """What LaTeX would print of a field bib_text made (the escapes undone)."""
    return re.sub(r"\\([&%$#_])", r"\1", text)


def test_a_bibtex_entry_escapes_what_latex_would_misread_and_parses_back() -> None:
    entry = bibtex(CITATION)
    assert "R\\&D of 50\\% \\#1 agents\\_v2 (x)" in entry
    parsed = bibtexparser.loads(entry).entries[0]
    assert parsed["ID"] == "a-paper" and parsed["ENTRYTYPE"] == "misc"
    assert _unbib(parsed["title"].strip("{}")) == "R&D of 50% #1 agents_v2 (x)"
    assert parsed["urldate"] == "2024-04-03"  # the curated listing day; no year of publication invented
    assert "year" not in parsed and "author" not in parsed


def test_a_ris_record_parses_back_with_its_abstract_on_one_line() -> None:
    (record,) = rispy.loads(ris(CITATION))
    assert record["type_of_reference"] == "GEN" and record["id"] == "a-paper"
    assert record["title"] == CITATION.title and record["abstract"] == "We act. Well."
    assert record["urls"] == [CITATION.url] and record["date"] == "2024/04/03"


def test_text_and_parts() -> None:
    assert bib_text("a\\b ~ ^") == "a/b \\textasciitilde{} \\textasciicircum{}"
    items = [CITATION] * 5
    assert [len(p) for p in parts(items, 2)] == [2, 2, 1]
    assert parts([], 3) == [[]]


@pytest.mark.slow
def test_every_topic_offers_bib_and_ris_parts_that_round_trip_its_titles(bundled_site: Path) -> None:
    site = bundled_site / "site"
    catalogue: dict[str, Any] = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    titles = {p["slug"]: to_plain(p["title"]) for p in catalogue["papers"]}
    for topic in catalogue["topics"]:
        pages = -(-len(topic["papers"]) // PAGE_SIZE)
        bib_keys: list[str] = []
        ris_keys: list[str] = []
        for page in range(1, pages + 1):
            suffix = "" if page == 1 else f"-{page}"
            folder = site / "topics" / topic["slug"] / ("" if page == 1 else f"page/{page}")
            text = (folder / "index.html").read_text("utf-8")
            assert f'exports/topic-{topic["slug"]}{suffix}.bib"' in text, (topic["slug"], page)
            bib = bibtexparser.loads((site / "exports" / f"topic-{topic['slug']}{suffix}.bib").read_text("utf-8"))
            for entry in bib.entries:
                assert _unbib(entry["title"].strip("{}")) == _as_exported(titles[entry["ID"]]), entry["ID"]
                bib_keys.append(entry["ID"])
            records = rispy.loads((site / "exports" / f"topic-{topic['slug']}{suffix}.ris").read_text("utf-8"))
            ris_keys += [r["id"] for r in records]
            assert all(r["title"] == " ".join(titles[r["id"]].split()) for r in records), topic["slug"]
        assert sorted(bib_keys) == sorted(ris_keys) == sorted(topic["papers"]), topic["slug"]
    whole = bibtexparser.loads((site / "exports" / "catalogue.bib").read_text("utf-8"))
    assert sorted(e["ID"] for e in whole.entries) == sorted(titles)
    home = (site / "index.html").read_text("utf-8")
    assert 'href="exports/catalogue.bib"' in home and 'href="exports/catalogue.ris"' in home
    # The paper page's block is the export's entry.
    paper = catalogue["papers"][0]
    page = html.unescape((site / "papers" / paper["slug"] / "index.html").read_text("utf-8"))
    entry = next(e for e in whole.entries if e["ID"] == paper["slug"])
    assert f"@misc{{{paper['slug']}," in page and entry["title"] in page


@pytest.mark.slow
def test_paper_pages_carry_the_citation_tags_a_reference_manager_reads(bundled_site: Path) -> None:
    site = bundled_site / "site"
    catalogue: dict[str, Any] = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    for paper in catalogue["papers"][:50]:
        page = (site / paper["url"] / "index.html").read_text("utf-8")
        tags = {m[0]: html.unescape(m[1]) for m in re.findall(r'<meta name="(citation_\w+)" content="([^"]*)"', page)}
        assert tags["citation_title"] == to_plain(paper["title"]), paper["slug"]
        assert tags["citation_abstract"] == to_plain(paper["abstract"]), paper["slug"]
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page)
        assert canonical and tags["citation_public_url"] == canonical[1]
        # Nothing the listings do not carry: the bundled dumps give no full listing date either.
        assert set(tags) == {"citation_title", "citation_abstract", "citation_public_url"}, tags
