"""Preview cards: the 1200×630 PNG a chat app or social site shows for a pasted link (`og:image`).

A card shows the site's name in a band, a line saying where the page sits (a paper's topics, a
topic's area and count), and the page's plain title (TeX rendered as text) as large as fits:
`fit_title` tries sizes from TITLE_SIZES down and wraps by measured width, and shortens the
last line with an ellipsis only when even the smallest size overflows. Drawn offline with Pillow
and the DejaVu fonts shipped in `fonts/`.

A card's file name is a hash of everything drawn on it (`Card.path`), so a card whose text did
not change keeps its name and is not drawn again (the docs writer takes the PNG as a function it
calls only for a name the docs folder lacks). Past PAPER_CARDS_UP_TO papers, paper pages share
their first topic's card (about 16 KB and 5 ms a card, BENCHMARKS.md).
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

LAYOUT = "3"
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


ANTIALIAS = 8
"""Shades from the background to the text colour, both included, that the text's edges take."""


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    red, green, blue = (round(x + (y - x) * share) for x, y in zip(a, b, strict=True))
    return red, green, blue


_SHADES = [i / (ANTIALIAS - 1) for i in range(ANTIALIAS)]
PALETTE = (*(_mix(WHITE, INK, s) for s in _SHADES), *(_mix(WHITE, INDIGO, s) for s in _SHADES[1:]))
"""The card's colours: white to ink (indexes 0..ANTIALIAS-1), then towards indigo (last: indigo).
15 of them, so the PNG takes 4 bits a pixel."""
INDIGO_INDEX = len(PALETTE) - 1
_PALETTE_VALUES = [v for rgb in PALETTE for v in rgb]


def _shade(coverage: int) -> int:
    return round(coverage * (ANTIALIAS - 1) / 255)


def _ramp(first: int) -> list[int]:
    """Text coverage (0-255) -> palette index: white (0) where the text covers nothing, else
    `first` plus its shade (1 to ANTIALIAS-1)."""
    return [first + _shade(c) if _shade(c) else 0 for c in range(256)]


_INDIGO_ON_WHITE = _ramp(ANTIALIAS - 1)
_STRIPES = (
    (_INDIGO_ON_WHITE[::-1], 0, BAND + 1),  # white text on the indigo band: the same ramp, reversed
    (_INDIGO_ON_WHITE, BAND + 1, TITLE_TOP - 20),
    (_ramp(0), TITLE_TOP - 20, HEIGHT),  # ink on white
)
"""Bands of the card: coverage -> palette index for the text there, rows top (included) to bottom (not)."""


def render_png(card: Card) -> bytes:
    """The card as PNG bytes (the same bytes for the same card on every machine with these
    pinned versions of Pillow and the fonts).

    The text is drawn once, as coverage (how much of each pixel it covers), into a grey image;
    each band of the card then maps coverage to its own colours (PALETTE), so the card is a
    palette image from the start: no colour quantizing, and 4 bits a pixel (BENCHMARKS.md,
    "Preview cards drawn straight into their palette")."""
    import zlib

    from PIL import Image, ImageDraw

    coverage = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(coverage)
    inner = WIDTH - 2 * MARGIN
    site_font, line_font = _font(BOLD, 36), _font(REGULAR, 32)
    draw.text((MARGIN, BAND // 2), _one_line(card.site, site_font, inner), font=site_font, fill=255, anchor="lm")
    draw.text((MARGIN, 160), _one_line(card.line, line_font, inner), font=line_font, fill=255, anchor="lm")
    fit = fit_title(card.title)
    font = _font(BOLD, fit.size)
    step = round(fit.size * LINE_SPACING)
    for number, line in enumerate(fit.lines):
        draw.text((MARGIN, TITLE_TOP + number * step), line, font=font, fill=255, anchor="la")
    image = Image.new("P", (WIDTH, HEIGHT), 0)
    image.putpalette(_PALETTE_VALUES)
    for lookup, top, bottom in _STRIPES:
        image.paste(coverage.crop((0, top, WIDTH, bottom)).point(lookup), (0, top))
    image.paste(INDIGO_INDEX, (0, HEIGHT - 12, WIDTH, HEIGHT))
    out = io.BytesIO()
    # Run-length deflate: a card is long runs of one colour, so it packs about as small as the
    # default deflate (19.9 against 18.6 KB for a four-line title) in under half the time (about
    # 2 ms against 5).
    image.save(out, format="PNG", compress_level=6, compress_type=zlib.Z_RLE)
    return out.getvalue()


def paper_line(topic_names: Sequence[str]) -> str:
    """A paper card's second line: its topics, or what it is when it has none."""
    return " · ".join(topic_names) if topic_names else "A paper in the catalogue"


def topic_line(area: str, count: int) -> str:
    """A topic card's second line: its area and how many papers it holds."""
    return f"{area} · {plural(count, 'paper')}"
