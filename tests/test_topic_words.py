"""The topic matcher finds phrases by words (set look-ups, one substring test) instead of a regex
scan per phrase: it must find exactly what `compile_phrase(p).search(text)` finds on folded text,
and `fold` must keep producing the text it relies on (`[0-9a-z]` words, single spaces)."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.inputs.taxonomy import parse_taxonomy
from generator.models import ConfigError
from generator.stages.topics import _Matcher, compile_phrase
from generator.texfrag import fold

_WORDS = ["a", "ab", "abc", "b", "ba", "2", "a2"]
_SEPARATORS = [" ", "-", "_", "/", " - ", "."]


@st.composite
def _phrases(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4))
    stars = draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    seps = draw(st.lists(st.sampled_from(_SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(w + ("*" if s else "") + sep for w, s, sep in zip(words, stars, seps, strict=True)).strip(" -_/")


_TEXTS = st.lists(st.sampled_from(_WORDS), max_size=12).map(" ".join).map(fold)


@settings(max_examples=400, deadline=None)
@given(st.lists(_phrases(), min_size=1, max_size=6), _TEXTS)
def test_word_matcher_finds_what_the_phrase_regex_finds(phrases: list[str], text: str) -> None:
    expected = {p for p in phrases if compile_phrase(p).search(text)}
    assert _Matcher(phrases).find(text) == expected


def test_word_matcher_on_every_short_phrase_and_text() -> None:
    """Exhaustive over a small alphabet where words are prefixes of each other."""
    vocab = ["a", "ab", "b", "ba"]
    pieces = [w + star for w in vocab[:3] for star in ("", "*")]
    phrases = [" ".join(ws) for n in (1, 2, 3) for ws in itertools.product(pieces, repeat=n)]
    matcher = _Matcher(phrases)
    patterns = {p: compile_phrase(p) for p in phrases}
    for n in range(5):
        for words in itertools.product(vocab, repeat=n):
            text = " ".join(words)
            assert matcher.find(text) == {p for p, pattern in patterns.items() if pattern.search(text)}, text


@pytest.mark.parametrize(
    ("phrase", "text", "hit"),
    [
        ("action*", "the actions taken", True),
        ("action*", "reaction", False),
        ("q value*", "a q values table", True),
        ("q value*", "a q value", True),
        ("q value", "a q values", False),
        ("act* value", "actions value", True),
        ("act* value", "actions values", False),
        ("vision-language act*", "a vision language actor", True),
        ("x.2*", "x 2b", True),
        ("a b c", "a b a b c", True),
        ("a b", "ab", False),
    ],
)
def test_prefixes_and_phrases_match_at_word_boundaries(phrase: str, text: str, hit: bool) -> None:
    assert bool(compile_phrase(phrase).search(text)) is hit
    assert (phrase in _Matcher([phrase]).find(text)) is hit


@given(st.text(max_size=60))
def test_fold_gives_single_spaced_ascii_words(text: str) -> None:
    folded = fold(text)
    assert re.fullmatch(r"(?:[0-9a-z]+(?: [0-9a-z]+)*)?", folded)


def test_a_phrase_without_letters_or_digits_is_refused() -> None:
    text = (
        "areas:\n  - name: A\n    description: d\n    topics:\n      - {name: T, description: d, title: [x, '--*']}\n"
    )
    with pytest.raises(ConfigError) as info:
        parse_taxonomy("topics.yml", text)
    assert any("need a letter or digit" in p.message and "'--*'" in p.message for p in info.value.problems)
