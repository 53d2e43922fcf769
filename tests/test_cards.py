"""Preview cards (render/cards.py): the title fits its box at any length, a card is a valid
1200×630 PNG, its name follows its text, the writer draws a card only when the docs folder lacks
it, and every paper and topic page of the built site names a card that exists, by its absolute
address, with its size and alternative text."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from generator.output.docs_writer import write_outputs
from generator.render.cards import (
    BAND,
    BOLD,
    HEIGHT,
    INDIGO,
    INK,
    MARGIN,
    TITLE_BOTTOM,
    TITLE_TOP,
    WHITE,
    WIDTH,
    Card,
    _font,
    fit_title,
    render_png,
)
from generator.texfrag import to_plain

LONG = " ".join(["Hierarchical Vision-Language-Action Pretraining with Counterfactual Reward Shaping"] * 6)
TEX = r"$A^2$Nav: Action-Aware Zero-Shot Robot Navigation by Exploiting $\alpha$ Vision-and-Language Ability"


@pytest.mark.parametrize("title", ["RT-2", to_plain(TEX), LONG, "Supercalifragilisticexpialidocious" * 3])
def test_the_title_fits_its_box_at_any_length(title: str) -> None:
    fit = fit_title(title)
    font = _font(BOLD, fit.size)
    box_width, box_height = WIDTH - 2 * MARGIN, TITLE_BOTTOM - TITLE_TOP
    for line in fit.lines:
        assert font.getlength(line) <= box_width, line  # measured with the font it is drawn in
    assert fit.width <= box_width and fit.height <= box_height
    shown = " ".join(fit.lines)
    if not fit.shortened:
        assert shown == " ".join(title.split())
    else:
        assert shown.endswith("…") and len(shown) < len(title)


def test_a_short_title_is_drawn_large_and_a_long_one_smaller_and_shortened() -> None:
    assert fit_title("RT-2").size > fit_title(to_plain(TEX)).size
    long = fit_title(LONG)
    assert long.shortened and long.lines[-1].endswith("…")


def test_a_card_is_a_1200_by_630_png_named_after_what_it_shows() -> None:
    card = Card(to_plain(TEX), "Navigation and embodied decision making", "Papers about actions")
    image = Image.open(io.BytesIO(render_png(card)))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1200, 630)
    assert card.path == Card(card.title, card.line, card.site).path
    assert card.path != Card(card.title + ".", card.line, card.site).path
    assert re.fullmatch(r"cards/[0-9a-f]{20}\.png", card.path)


def test_a_card_is_drawn_in_its_few_colours_each_text_in_its_own() -> None:
    """White site name on the indigo band, an indigo line, the title in ink: each part of the card
    maps the text it covers to its own colours, and the PNG keeps 4 bits a pixel."""
    image = Image.open(io.BytesIO(render_png(Card("Offline RL", "Reinforcement learning · 30 papers", "Papers"))))
    assert image.mode == "P" and len(image.getpalette() or []) // 3 <= 16
    rgb = image.convert("RGB")

    def colours(top: int, bottom: int) -> set[tuple[int, int, int]]:
        return {c for _, c in rgb.crop((0, top, WIDTH, bottom)).getcolors(maxcolors=256) or []}

    band, line, title = colours(0, BAND + 1), colours(BAND + 1, TITLE_TOP - 20), colours(TITLE_TOP, TITLE_BOTTOM)
    assert {INDIGO, WHITE} <= band and INK not in band
    assert {INDIGO, WHITE} <= line and INK not in line
    assert {INK, WHITE} <= title and INDIGO not in title
    assert len(title) > 2  # the title's edges are smoothed, not jagged
    assert rgb.getpixel((0, HEIGHT - 1)) == INDIGO and rgb.getpixel((0, HEIGHT - 13)) == WHITE


def test_the_writer_draws_a_card_only_when_the_docs_folder_lacks_it(tmp_path: Path) -> None:
    drawn: list[str] = []

    def draw(name: str) -> bytes:
        drawn.append(name)
        return b"\x89PNG " + name.encode()

    write_outputs(tmp_path, [("cards/a.png", lambda: draw("a"))])
    assert drawn == ["a"] and (tmp_path / "cards" / "a.png").read_bytes() == b"\x89PNG a"
    stats = write_outputs(tmp_path, [("cards/a.png", lambda: draw("a")), ("cards/b.png", lambda: draw("b"))])
    assert drawn == ["a", "b"] and stats.unchanged == 1 and stats.written == 1
    write_outputs(tmp_path, [("cards/b.png", lambda: draw("b"))])  # a card no page names is removed
    assert not (tmp_path / "cards" / "a.png").exists() and drawn == ["a", "b"]


def _meta(page: str) -> dict[str, str]:
    found = re.findall(r'<meta (?:property|name)="((?:og|twitter):[\w:]+)" content="([^"]*)"', page)
    return {k: html.unescape(v) for k, v in found}


@pytest.mark.slow
def test_every_paper_and_topic_page_shows_a_card_that_exists(bundled_site: Path) -> None:
    site = bundled_site / "site"
    catalogue: dict[str, Any] = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    pages = [(site / p["url"], to_plain(p["title"])) for p in catalogue["papers"]]
    pages += [(site / "topics" / t["slug"], t["name"]) for t in catalogue["topics"]]
    site_url = re.search(r'<link rel="canonical" href="(https?://[^/]+/)', (site / "index.html").read_text("utf-8"))
    assert site_url
    for folder, title in pages:
        meta = _meta((folder / "index.html").read_text(encoding="utf-8"))
        assert meta["twitter:card"] == "summary_large_image", folder
        url = meta["og:image"]
        assert url.startswith(site_url[1]) and url.endswith(".png"), url
        card = site / url.removeprefix(site_url[1])
        assert card.is_file(), url  # resolves inside the site
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        assert f"“{title}”" in meta["og:image:alt"], folder  # the page's plain title, no raw TeX
    cards = list((site / "cards").glob("*.png"))
    assert len(cards) == len(catalogue["papers"]) + len(catalogue["topics"])
    for card in cards[:20]:
        assert Image.open(card).size == (1200, 630)


def test_past_the_limit_a_paper_page_shows_its_first_topics_card_without_the_count() -> None:
    """A paper page of a large catalogue shows its first topic's card, named without the topic's
    count, so the page stays the same when the topic gains a paper (issue 19: an incremental
    build then rebuilds only the pages that changed). The topic's own page keeps the count."""
    from dataclasses import replace

    from generator.pipeline import Paths, build_catalogue
    from generator.render.listings import iter_site
    from generator.render.pages import TEMPLATES

    from .conftest import DATA

    cat = build_catalogue(Paths(DATA, DATA / "sources", DATA.parent / "docs", DATA.parent / "site")).catalogue

    def paper_pages(catalogue: Any) -> dict[str, str]:
        pages = iter_site(catalogue, TEMPLATES, paper_cards_up_to=0)
        return {path: text for path, text in pages if path.startswith("papers/") and isinstance(text, str)}

    before = paper_pages(cat)
    entry = next(e for e in cat.entries if e.topics and e.links)
    topic = entry.topics[0].topic
    page = before[f"papers/{entry.slug}.md"]
    assert re.search(r'card_alt: "“[^"]*”, [^"·]*, on ', page), page[:600]
    # One paper fewer in that topic (it leaves the catalogue; its neighbours' lists change too).
    gone = next(e for e in cat.entries if e != entry and topic in {m.topic for m in e.topics})
    kept = [replace(e, links=tuple(x for x in e.links if x.other != gone.slug)) for e in cat.entries if e != gone]
    fewer = replace(cat, entries=tuple(kept))
    after = paper_pages(fewer)
    unchanged = [p for p, text in after.items() if before[p] == text]
    assert len(unchanged) > 0.9 * len(after), f"{len(after) - len(unchanged)} of {len(after)} paper pages changed"
