"""The dedupe's verdicts as a typed `Rule` (printed exactly as the old strings), and its title key."""

from __future__ import annotations

import jinja2
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.forking import split_work
from generator.inputs.dumps_folder import read_sources
from generator.models import Merge, Pair, Record, Rule
from generator.stages.dedupe import _normalize, find_duplicates
from generator.texfrag import fold, fold_key

from .conftest import DATA

# Text (as printed in reports and pages), merges, decided by a curator.
RULES = {
    Rule.SAME_TITLE_KEY: ("same-title-key", True, False),
    Rule.SAME_ABSTRACT: ("same-abstract", True, False),
    Rule.CLOSE_TITLE_ABSTRACT: ("close-title+abstract", True, False),
    Rule.CURATION_MERGE: ("curation: merge", True, True),
    Rule.BELOW_BAR: ("review: below the merge bar", False, False),
    Rule.NUMBERS_DIFFER: ("review: numbers in the titles differ", False, False),
    Rule.SAME_TITLE_OTHER_ABSTRACTS: ("review: same title, different abstracts", False, False),
    Rule.KEPT_APART: ("review: kept apart by curation", False, True),
    Rule.CHAINED_GROUP: ("review: chained group", False, False),
}


def test_every_rule_knows_its_text_whether_it_merges_and_whether_a_curator_decided() -> None:
    assert set(RULES) == set(Rule)
    for rule, (text, merges, curated) in RULES.items():
        assert (rule.value, str(rule), f"{rule}", rule.merges, rule.curated) == (text, text, text, merges, curated)
        assert rule == text and Rule(text) is rule
        assert rule.reason == (text if merges else text.removeprefix("review: "))


def test_templates_and_reports_print_the_rule_text() -> None:
    a, b = Record("a.txt", 3, "A", "x"), Record("b.txt", 5, "B", "y")
    pair, merge = Pair(a, b, Rule.BELOW_BAR, 80.0, 50.0), Merge(a, b, Rule.CLOSE_TITLE_ABSTRACT, 95.0)
    for autoescape in (False, True):
        env = jinja2.Environment(autoescape=autoescape)
        # As report-merges.md.j2 and report-review.md.j2 print them.
        page = env.from_string('{{ m.rule }}|{{ p.rule.removeprefix("review: ") }}|{{ p.rule.reason }}')
        assert page.render(m=merge, p=pair) == "close-title+abstract|below the merge bar|below the merge bar"
    assert not pair.merges and f"[{merge.rule}, {merge.score:.0f}]" == "[close-title+abstract, 95]"


def test_bundled_verdicts_are_rules_in_one_process_and_two() -> None:
    records, _, _ = read_sources(DATA / "sources")
    one, two = find_duplicates(records), find_duplicates(records, split=split_work(workers=2))
    assert one == two
    verdicts = [m.rule for m in one.merges] + [p.rule for p in one.review]
    assert verdicts and all(type(rule) is Rule for rule in verdicts)
    assert all(m.rule.merges for m in one.merges) and not any(p.merges for p in one.review)


# Titles made of the pieces fold treats specially (TeX, dashes, accents, scripts, ligatures), or any text.
PIECES = [*"aZ 09.-–_^$\\{}'\"`~c²ⁿ₃éÉß\u00a0\u2010İﬁ", "--", "\\'e", "^{2}", "_3", "$A^2$", "\\circ "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=20).map("".join) | st.text(max_size=40)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_the_dedupe_title_key_is_fold_key(title: str) -> None:
    # The expression dedupe used before it called fold_key: the two agree on every title.
    key = fold(title).replace(" ", "")
    assert fold_key(title) == key
    assert _normalize(Record("a.txt", 1, title, "abstract")).key == key
