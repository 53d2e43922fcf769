"""Property tests (hypothesis): whatever text or structure the curated files hold, both parsers
return or raise a ConfigError whose problems are errors naming the file and a real line."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.inputs.curation import parse_curation
from generator.inputs.taxonomy import parse_taxonomy
from generator.models import ConfigError, Severity

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PARSERS = [pytest.param(parse_taxonomy, id="topics"), pytest.param(parse_curation, id="curation")]
Parser = Callable[[str, str], object]

KEYS = [
    *("areas", "name", "description", "topics", "title", "abstract", "exclude", "slug"),
    *("keep_apart", "merge", "titles", "exclude", "pins", "paper", "record", "reason"),
    *("descripton", "papr", "<<", "null", "true", "1"),
]
TOKENS = [
    *("[", "]", "{", "}", ":", ": ", "- ", ",", "?", "? ", "\n", "  ", "    ", "\t", "#", "'", '"', "|", ">"),
    *("&a ", "*a", "&b ", "*b", "!!set ", "!!python/object:os.system ", "!foo ", "!!binary ", "!!str ", "!!omap "),
    *("---", "...", "%YAML 1.1\n", "null", "~", "true", "no", "2024-01-01", "2024-13-45", "1e999", "0x1f", "=", "<<"),
    *("\ufeff", "\x00", "\x85", "\u2028", "\r\n", "\r", "!!!", "index", "page", "caf\u00e9", "9" * 5000),
    *KEYS,
]


def _assert_clean(parser: Parser, text: str) -> None:
    """The parser returns, or raises a ConfigError of errors that name the file and a line in it."""
    try:
        parser("f.yml", text)
    except ConfigError as err:
        lines = len(text.splitlines()) + 1
        assert err.problems
        for p in err.problems:
            assert p.file == "f.yml" and p.severity is Severity.ERROR and p.message
            assert isinstance(p.line, int) and 1 <= p.line <= lines, (p.line, lines, p.message)


@SETTINGS
@pytest.mark.parametrize("parser", PARSERS)
@given(st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=60).map("".join))
@example("? [a, b]\n: 1\n")
@example("{[1]: x}")
@example("[" * 20000)
@example("a: &a [x, x]\nb: [*a, *a]\n")
@example("areas:\n  - name: '!!!'\n    description: d\n    topics: [{name: T, description: d, title: [x]}]\n")
def test_yaml_ish_text_never_raises_anything_but_config_error(parser: Parser, text: str) -> None:
    _assert_clean(parser, text)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.dates(),
    st.datetimes(timezones=st.just(datetime.UTC)),
    st.text(max_size=20),
    st.sampled_from(["", " ", "!!!", "index", "Page", "x", "offline-rl", "Offline RL", "a.txt:1", "*"]),
)
KEY = st.one_of(st.sampled_from(KEYS), st.text(max_size=10), st.integers(), st.none(), st.booleans())


def _nested(keys: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        SCALARS,
        lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=5)),
        max_leaves=40,
    )


TEXT_KEYED = _nested(st.sampled_from(KEYS))
"""Structures keyed like the real files, so that the parsers go past their first checks."""


@SETTINGS
@pytest.mark.parametrize("parser", PARSERS)
@given(
    st.one_of(
        _nested(KEY),
        st.dictionaries(st.sampled_from(KEYS), TEXT_KEYED, max_size=6),
        st.fixed_dictionaries(
            {"areas": st.lists(st.dictionaries(st.sampled_from(KEYS), TEXT_KEYED, max_size=6), max_size=4)}
        ),
    ),
    st.sampled_from([None, True, False]),
)
def test_random_structures_dumped_to_yaml_never_raise_anything_but_config_error(
    parser: Parser, data: Any, flow: bool | None
) -> None:
    _assert_clean(parser, yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True))


WORDS = st.text(st.characters(codec="ascii", categories=["Ll", "Lu", "Nd"]), min_size=1, max_size=12)
NAMES = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)


@SETTINGS
@given(st.lists(st.lists(NAMES, min_size=1, max_size=4, unique_by=str.lower), min_size=1, max_size=4))
def test_valid_taxonomies_parse_to_their_names(areas: list[list[str]]) -> None:
    """A well-formed file with distinct names always parses, whatever the names (bar reserved slugs)."""
    doc = {
        "areas": [
            {
                "name": f"Area {i}",
                "description": "d",
                "topics": [{"name": n, "description": "d", "title": ["x"]} for n in names],
            }
            for i, names in enumerate(areas)
        ]
    }
    names = [n for names in areas for n in names]
    text = yaml.safe_dump(doc, allow_unicode=True)
    reserved = {"index", "readme", "page"}
    slugs = [n.lower().replace(" ", "-") for n in names]
    if len(set(slugs)) < len(slugs) or reserved & set(slugs):
        with pytest.raises(ConfigError):
            parse_taxonomy("t.yml", text)
        return
    taxonomy = parse_taxonomy("t.yml", text)
    assert [t.name for t in taxonomy.topics] == names and [t.slug for t in taxonomy.topics] == slugs
