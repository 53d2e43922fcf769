"""Property tests (hypothesis): arbitrary input never crashes the parser, never yields an unsafe slug
or markup, and a listing with missing or extra lines is read back pair by pair."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator import urls
from generator.inputs.dump_parse import ORPHAN_ABSTRACT, ORPHAN_TITLE, decode_dump, parse_dump
from generator.models import Paper, Severity
from generator.texfrag import escape_text, fold_key, to_html

from .conftest import DATA

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE = Path(__file__).parent / "hostile"
_HEADERS = {
    "new",
    "subscribe",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
    "byak and the research community",
}


# --- decode_dump / parse_dump never crash ---------------------------------------------------


@SETTINGS
@given(st.binary(max_size=3000))
@example(b"\xff\xfe\x00")
@example(b"\xef\xbb\xbf\r\r\n\x81")
def test_decode_dump_never_crashes(data: bytes) -> None:
    text, problems = decode_dump("f.txt", data)
    assert all(p.file == "f.txt" for p in problems)
    if text is None:
        assert any(p.severity is Severity.ERROR for p in problems)
    else:
        assert "\r" not in text
        parse_dump("f.txt", text)


_LINE_PARTS = st.sampled_from(
    ["new", "Subscribe", "Get trending papers in your email inbox!", "Apr 3", "SubscribeX", "", " ", "\ufeff", "…"]
)


@SETTINGS
@given(st.lists(st.one_of(st.text(max_size=400), _LINE_PARTS), max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
def test_parse_dump_never_crashes_and_points_at_real_lines(parts: list[str], newline: str) -> None:
    text = newline.join(parts)
    records, problems = parse_dump("f.txt", text)
    lines = re.split(r"\r\n|\r|\n", text)
    for record in records:
        written = " ".join(lines[record.line - 1].replace("\ufeff", "").split())
        assert written in (record.title, "Subscribe" + record.title)
        assert record.abstract and record.title
    assert [r.position for r in records] == list(range(len(records)))
    assert all(p.line is None or 1 <= p.line <= len(lines) for p in problems)


# --- Pairing survives missing titles and abstracts ------------------------------------------


def _bundled_pairs() -> tuple[list[str], list[str]]:
    titles: list[str] = []
    abstracts: list[str] = []
    for path in sorted((DATA / "sources").glob("*.txt"))[:2]:
        records, _ = parse_dump(path.name, path.read_text(encoding="utf-8"))
        titles += [r.title for r in records[:25]]
        abstracts += [r.abstract for r in records[:25]]
    for path in sorted(HOSTILE.glob("10[01]_*.txt")):
        records, _ = parse_dump(path.name, path.read_text(encoding="utf-8"))
        titles += [r.title for r in records]
        abstracts += [r.abstract for r in records]
    return titles, abstracts


TITLES, CLEAR_ABSTRACTS = _bundled_pairs()
TITLES += [
    "On the limits of agency in agent-based models",
    "Does Sparsity Help in Learning Misspecified Linear Bandits?",
    "Subscribers Matter: a title that starts like the header",
    "--- A Title ---",
    "title: x",
]
# Abstracts that alone could pass for titles: read right only where a title stands before them.
ODD_ABSTRACTS = [
    "We anticipate the next actions of a person from egocentric video and a short…",
    "A Method That Learns To Act In Large Action Spaces…",
    "Short abstract.",
    "we model human skeletons as graphs and learn spatial and temporal relations between joints with a light "
    "transformer that runs in real time on commodity hardware and improves accuracy on two skeleton benchmarks",
]


def _one_of(pool: list[str]) -> st.SearchStrategy[str]:
    return st.integers(0, len(pool) - 1).map(lambda i: pool[i])  # a short repr, unlike sampled_from(pool)


_ITEM = st.one_of(
    st.tuples(st.just("pair"), _one_of(TITLES), _one_of(CLEAR_ABSTRACTS + ODD_ABSTRACTS)),
    st.tuples(st.just("title"), _one_of(TITLES), st.none()),
    st.tuples(st.just("abstract"), st.none(), _one_of(CLEAR_ABSTRACTS)),
)


def _plausible(items: list[tuple[str, str | None, str | None]]) -> bool:
    """A stray abstract comes first or right after a complete pair whose abstract is clear prose."""
    for before, item in zip([None, *items], items, strict=False):
        if item[0] == "abstract" and before is not None and not (before[0] == "pair" and before[2] in CLEAR_ABSTRACTS):
            return False
    return True


def _render(items: list[tuple[str, str | None, str | None]], layout: str) -> tuple[str, list, list]:
    """Listing text, the records expected (line, title, abstract) and the problems expected (line, kind)."""
    if layout == "A":
        lines = [
            "new",
            "",
            "Get trending papers in your email inbox!",
            "",
            "Subscribe",
            "",
            "byAK and the research community",
            "",
            "Apr 3",
        ]
    else:
        lines = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
    records, problems = [], []
    for kind, title, abstract in items:
        for part, role in ((title, "title"), (abstract, "abstract")):
            if part is None:
                continue
            if layout == "A":
                lines.append("")
            glued = layout == "B" and len(lines) == 2
            lines.append(("Subscribe" if glued else "") + part)
            if kind == "pair" and role == "title":
                records.append((len(lines), title, abstract))
            elif kind != "pair":
                problems.append((len(lines), ORPHAN_TITLE if kind == "title" else ORPHAN_ABSTRACT))
    return "\n".join(lines) + "\n", records, problems


@SETTINGS
@given(
    st.lists(_ITEM, min_size=1, max_size=25).filter(_plausible),
    st.sampled_from(["A", "B"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
def test_records_come_back_pair_by_pair_around_missing_lines(items, layout: str, newline: str, bom: bool) -> None:  # type: ignore[no-untyped-def]
    assume(any(kind == "pair" for kind, _, _ in items))
    text, expected_records, expected_problems = _render(items, layout)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode("utf-8")
    decoded, decode_problems = decode_dump("x.txt", data)
    assert decode_problems == [] and decoded is not None
    records, problems = parse_dump("x.txt", decoded)
    assert [(r.line, r.title, r.abstract) for r in records] == expected_records
    got = [(p.line, ORPHAN_TITLE if ORPHAN_TITLE in p.message else ORPHAN_ABSTRACT) for p in problems]
    assert got == expected_problems
    assert all(r.listed == ("Apr 3" if layout == "A" else None) for r in records)


# --- Slugs --------------------------------------------------------------------------------------

_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@SETTINGS
@given(st.text(max_size=300))
@example("")
@example("---")
@example("$^{}$")
@example("../../etc/passwd")
@example("..")
@example("🤖")
@example("中文标题")
@example("<script>alert(1)</script>")
def test_slug_is_safe_for_any_title(title: str) -> None:
    slug = urls.slug_for_title(title)
    assert slug and _SLUG_RE.fullmatch(slug) and ".." not in slug and len(slug) <= urls.SLUG_MAX, slug


def _paper(title: str, key: str) -> Paper:
    return Paper(key, title, "abstract", (), ())


_COLLIDING_TITLE = st.builds(
    lambda words, punct, upper: punct.join(words).upper() if upper else punct.join(words),
    st.lists(st.sampled_from(["action", "Action", "space", "Q", "2", "é", "e", "-", "🤖"]), min_size=0, max_size=4),
    st.sampled_from([" ", "-", ": ", "  ", "_", "\u00a0", "/"]),
    st.booleans(),
)


@SETTINGS
@given(st.lists(st.one_of(_COLLIDING_TITLE, st.text(max_size=120)), min_size=1, max_size=30, unique=True))
def test_assign_slugs_gives_every_paper_a_unique_safe_slug(titles: list[str]) -> None:
    papers = [_paper(t, f"{fold_key(t)}@{i}") for i, t in enumerate(titles)]
    slugs = urls.assign_slugs(papers)
    assert set(slugs) == {p.key for p in papers}
    assert len(set(slugs.values())) == len(papers)
    assert all(_SLUG_RE.fullmatch(s) for s in slugs.values())
    assert urls.assign_slugs(list(reversed(papers))) == slugs


def test_hashed_slug_cannot_collide_with_a_natural_slug() -> None:
    a, b = _paper("Action Spaces", "k1"), _paper("Action spaces!", "k2")
    crafted = f"Action Spaces {hashlib.sha1(b'k1').hexdigest()[:6]}"
    slugs = urls.assign_slugs([a, b, _paper(crafted, "k3")])
    assert len(set(slugs.values())) == 3, slugs


@pytest.mark.parametrize("title", ["Index", "INDEX."])
def test_slug_is_never_a_name_mkdocs_treats_as_an_index(title: str) -> None:
    from mkdocs.structure.files import File

    slug = urls.slug_for_title(title)
    page = File(urls.paper_path(slug), "/docs", "/site", use_directory_urls=True)
    assert page.url == urls.paper_url(slug)


# --- Escaping -----------------------------------------------------------------------------------

_OWN_TAGS = re.compile(r"</?su[bp]>")
_ENTITY = re.compile(r"&#[0-9]+;")
_MARKUP = set("&<>\"'\\`*_[](){}#|~!$^=+:")


@SETTINGS
@given(st.text(max_size=300))
@example("<script>alert(1)</script>")
@example("M^{<b>} x_{<i>} $<img src=x>$ \\'<e>")
@example("^{^{x}} _{_{1}} ^circ ^<")
def test_escaped_text_and_rendered_tex_hold_no_markup(text: str) -> None:
    escaped = escape_text(text)
    assert "<" not in escaped and not (set(_ENTITY.sub("", escaped)) & _MARKUP)
    rendered = to_html(text)
    bare = _OWN_TAGS.sub("", rendered)
    assert "<" not in bare and ">" not in bare, rendered
    assert not (set(_ENTITY.sub("", bare)) & _MARKUP), rendered
    opened = re.findall(r"<(/?)(su[bp])>", rendered)
    assert [o for o, _ in opened] == ["", "/"] * (len(opened) // 2)
