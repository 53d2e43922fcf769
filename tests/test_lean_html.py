"""The whitespace cut of built pages (generator/site/lean_html.py): what a reader sees stays."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from generator.site import lean_html


def _rendered(html: str) -> str:
    """Text as HTML renders whitespace outside raw elements: every ASCII whitespace run is one space."""
    return re.sub(r"[ \t\n\r\f]+", " ", html)


def test_blank_lines_and_indentation_between_tags_become_one_newline() -> None:
    html = "<div>\n    \n      <p>A  paper</p>\n\n\n   <span>\n  Title\n   </span>\n</div>\n"
    assert lean_html.collapse_whitespace(html) == "<div>\n<p>A  paper</p>\n<span>\nTitle\n</span>\n</div>\n"


def test_raw_elements_comments_and_attribute_values_keep_their_whitespace() -> None:
    kept = [
        "<pre class='bibtex'><code>@misc{x,\n  title = {{A}},\n}</code></pre>",
        "<code>a\n\n   b</code>",
        "<kbd>\n  k</kbd>",
        "<textarea>\n\n  x</textarea>",
        "<script>var a = 1\n  \n  var b = 2</script>",
        "<style>\n  a { color: red }\n</style>",
        "<!-- a\n\n   b -->",
        '<meta name="citation_abstract" content="one\n\n   two">',
        "<a title='one\n   two'>x</a>",
    ]
    for piece in kept:
        assert lean_html.collapse_whitespace(f"<p>\n   {piece}\n   </p>") == f"<p>\n{piece}\n</p>"


def test_non_breaking_spaces_stay() -> None:
    assert lean_html.collapse_whitespace("<p>a\n\xa0  b\xa0\n  c</p>") == "<p>a\n\xa0  b\xa0\nc</p>"


_PIECES = st.sampled_from(
    ["<p>", "</p>", "<pre>", "</pre>", "<code>", "</code>", "<script>", "</script>", '<a href="x\n y">', "</a>"]
    + ["<!--", "-->", "\n", "  ", "\t", "\xa0", "word", "\n   \n", "=", '"', "'", "<", ">", "&amp;"]
)


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_the_cut_is_idempotent_and_never_changes_the_rendered_text(html: str) -> None:
    once = lean_html.collapse_whitespace(html)
    assert lean_html.collapse_whitespace(once) == once
    assert _rendered(once) == _rendered(html)
    assert len(once) <= len(html)


def test_builds_cut_unless_lean_html_is_off() -> None:
    assert lean_html.enabled({})
    assert lean_html.enabled({"LEAN_HTML": "1"})
    for off in ("0", "no", "false", "OFF"):
        assert not lean_html.enabled({"LEAN_HTML": off})
