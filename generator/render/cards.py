"""Preview cards: the 1200×630 PNG a chat app or social site shows for a pasted link (`og:image`).

A card shows the site's name in a band, a line saying where the page sits (a paper's topics, a
topic's area and count), and the page's plain title (TeX rendered as text) as large as fits:
`fit_title` tries sizes from TITLE_SIZES down and wraps by measured width, and shortens the
last line with an ellipsis only when even the smallest size overflows. Drawn offline with Pillow
and the DejaVu fonts shipped in `fonts/`.

A card's file name is a hash of everything drawn on it (`Card.path`), so a card whose text did
not change keeps its name and is not drawn again (the docs writer takes the PNG as a function it
calls only for a name the docs folder lacks). Past PAPER_CARDS_UP_TO papers, paper pages share
their first topic's card (about 13 KB and 25 ms a card, BENCHMARKS.md).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.words import plural

WIDTH, HEIGHT = 1200, 630
PAPER_CARDS_UP_TO = 5000
"""Catalogue size up to which every paper has its own card; beyond it a paper page shows its
first topic's card. `PAPER_CARDS_UP_TO=N` in the environment of `generate`/`build` changes it."""

SITE_NAME = "Papers about actions"
"""As `site_name` in mkdocs.yml, and the home page's heading (the feeds' title too)."""

LAYOUT = "2"
"""Part of every card's name: bump it when the drawing below changes, so every card is redrawn."""

FONTS = Path(__file__).resolve().parent / "fonts"
BOLD, REGULAR = FONTS / "DejaVuSans-Bold.ttf", FONTS / "DejaVuSans.ttf"

MARGIN = 72
BAND = 96
TITLE_TOP, TITLE_BOTTOM = 210, 560
TITLE_SIZES = (68, 60, 54, 48, 42, 38, 34)
LINE_SPACING = 1.18
INDIGO, INK, WHITE = (57, 73, 171), (26, 26, 26), (255, 255, 255)


@dataclass(frozen=True)
class Card:
    """What one card shows."""

    title: str
    line: str
    """Where the page sits: a paper's topics, a topic's area and count."""
    site: str

    @property
    def path(self) -> str:
        """Docs-relative file name, a hash of what is drawn."""
        digest = hashlib.sha256("\x00".join((LAYOUT, self.title, self.line, self.site)).encode("utf-8"))
        return f"cards/{digest.hexdigest()[:20]}.png"


@dataclass(frozen=True)
class TitleFit:
    """A title laid out in the title box: font size, lines, and the box the lines take."""

    size: int
    lines: tuple[str, ...]
    width: int
    height: int
    shortened: bool


@cache
def _font(path: Path, size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


def _wrap(words: Sequence[str], font, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    lines: list[str] = []
    for word in words:
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _shorten(line: str, font, width: int) -> str:  # type: ignore[no-untyped-def]
    while line and font.getlength(line + "…") > width:
        line = line[:-1].rstrip()
    return line + "…"


def fit_title(title: str, width: int = WIDTH - 2 * MARGIN, height: int = TITLE_BOTTOM - TITLE_TOP) -> TitleFit:
    """The largest size at which `title` fits the box, wrapped at words (a word wider than the box
    is cut); at the smallest size, the lines that fit, the last one shortened."""
    words = title.split() or [""]
    for size in TITLE_SIZES:
        font = _font(BOLD, size)
        step = round(size * LINE_SPACING)
        lines = [w if font.getlength(w) <= width else _shorten(w, font, width) for w in _wrap(words, font, width)]
        fits = len(lines) * step <= height
        if fits or size == TITLE_SIZES[-1]:
            shortened = not fits or any(line.endswith("…") for line in lines)
            if not fits:
                lines = lines[: max(1, height // step)]
                lines[-1] = _shorten(lines[-1], font, width)
            measured = max(int(font.getlength(line)) for line in lines)
            return TitleFit(size, tuple(lines), measured, len(lines) * step, shortened)
    raise AssertionError("unreachable")


def _one_line(text: str, font, width: int) -> str:  # type: ignore[no-untyped-def]
    return text if font.getlength(text) <= width else _shorten(text, font, width)


def render_png(card: Card) -> bytes:
    """The card as PNG bytes (the same bytes for the same card on every machine with these
    pinned versions of Pillow and the fonts)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, BAND), fill=INDIGO)
    inner = WIDTH - 2 * MARGIN
    draw.text(
        (MARGIN, BAND // 2), _one_line(card.site, _font(BOLD, 36), inner), font=_font(BOLD, 36), fill=WHITE, anchor="lm"
    )
    line_font = _font(REGULAR, 32)
    draw.text((MARGIN, 160), _one_line(card.line, line_font, inner), font=line_font, fill=INDIGO, anchor="lm")
    fit = fit_title(card.title)
    font = _font(BOLD, fit.size)
    step = round(fit.size * LINE_SPACING)
    for number, line in enumerate(fit.lines):
        draw.text((MARGIN, TITLE_TOP + number * step), line, font=font, fill=INK, anchor="la")
    draw.rectangle((0, HEIGHT - 12, WIDTH, HEIGHT), fill=INDIGO)
    out = io.BytesIO()
    # Three colours and their antialiasing: 16 colours keep the text smooth at a third of the
    # bytes (about 13 KB), and the fast quantizer costs less than compressing full colour.
    image.quantize(colors=16, method=Image.Quantize.FASTOCTREE).save(out, format="PNG")
    return out.getvalue()


def paper_line(topic_names: Sequence[str]) -> str:
    """A paper card's second line: its topics, or what it is when it has none."""
    return " · ".join(topic_names) if topic_names else "A paper in the catalogue"


def topic_line(area: str, count: int) -> str:
    """A topic card's second line: its area and how many papers it holds."""
    return f"{area} · {plural(count, 'paper')}"
