import pytest

from generator.inputs.curation import parse_curation, resolve
from generator.inputs.dumps_folder import read_sources
from generator.inputs.taxonomy import parse_taxonomy
from generator.models import ConfigError, Paper, ProblemKind, Record
from generator.pipeline import Paths, build_catalogue
from generator.stages.dedupe import find_duplicates
from generator.stages.topics import MAX_TOPICS, assign_topics, compile_phrase, report_topics

from .conftest import DATA


@pytest.mark.parametrize(
    ("phrase", "text", "hit"),
    [
        ("vision language action", "a vision language action model", True),
        ("manipulat*", "robotic manipulation skills", True),
        ("gui", "a guided policy", False),
        ("gui*", "guided", True),
        ("rl", "controlled experiments", False),
        ("q value*", "step level q values", True),
    ],
)
def test_phrases_match_whole_words(phrase: str, text: str, hit: bool) -> None:
    assert bool(compile_phrase(phrase).search(text)) is hit


def test_bundled_taxonomy_gives_every_real_paper_one_to_four_topics() -> None:
    cat = build_catalogue(Paths(DATA, DATA / "sources", DATA.parent / "docs", DATA.parent / "site")).catalogue
    assert len(cat.entries) == 364
    assert all(1 <= len(e.topics) <= MAX_TOPICS for e in cat.entries)
    assert 20 <= len(cat.topics) <= 40


def test_rules_alone_leave_only_the_pinned_papers_without_topic() -> None:
    taxonomy = parse_taxonomy("topics.yml", (DATA / "topics.yml").read_text(encoding="utf-8"))
    records, _, _ = read_sources(DATA / "sources")
    papers = find_duplicates(records).papers
    assigned = assign_topics(papers, taxonomy.topics).by_paper
    curated = parse_curation("curation.yml", (DATA / "curation.yml").read_text(encoding="utf-8"))
    resolved = resolve("curation.yml", curated, records, [t.slug for t in taxonomy.topics])
    pinned = {r for members, _ in resolved.pins for r in members}
    # A paper the rules leave without a topic is never guessed: a curator pinned every one.
    assert all(assigned[p.key] or pinned.intersection(p.sources) for p in papers)
    assert sum(not assigned[p.key] for p in papers) <= 0.1 * len(papers)


def test_exclusions_and_pins() -> None:
    taxonomy = parse_taxonomy(
        "t.yml",
        """
areas:
  - name: A
    description: d
    topics:
      - name: Recognition
        description: d
        title: [action recognition]
        exclude: [skeleton]
      - name: Other
        description: d
        title: [zzz]
""",
    )
    r = Record("a.txt", 1, "Skeleton Action Recognition", "x")
    paper = Paper("k", r.title, r.abstract, (), (r,))
    assert assign_topics([paper], taxonomy.topics).by_paper["k"] == ()
    pinned = assign_topics([paper], taxonomy.topics, {"k": ["other"]}).by_paper["k"]
    assert [m.topic for m in pinned] == ["other"] and pinned[0].reason == "chosen by the curators"
    # A pin is the paper's whole set: the rules add nothing to it.
    plain = Paper(
        "p", "Action Recognition in Kitchens", "x", (), (Record("a.txt", 2, "Action Recognition in Kitchens", "x"),)
    )
    assert [m.topic for m in assign_topics([plain], taxonomy.topics).by_paper["p"]] == ["recognition"]
    assert [m.topic for m in assign_topics([plain], taxonomy.topics, {"p": ["other"]}).by_paper["p"]] == ["other"]


GENERIC = """
areas:
  - name: A
    description: d
    topics:
      - name: Model-based RL
        description: d
        title: [model based, world model*]
        abstract: [dynamics model*]
        generic: [planning, planner]
      - name: Procedures
        description: d
        title: [procedure planning]
"""


@pytest.mark.parametrize(
    ("title", "abstract", "expected"),
    [
        # A general word alone places a paper nowhere: "planning" is every planner's word.
        ("Planning with Language", "We study planning for household tasks.", []),
        ("Procedure Planning from Instructional Videos", "We plan steps.", ["procedures"]),
        # Beside a specific phrase it counts as evidence (title weight here: 3 + 1).
        ("Planning with a Learned Dynamics Model", "A dynamics model for control.", ["model-based-rl"]),
        ("Efficient Planners", "We learn a world model and plan with it.", []),
    ],
)
def test_generic_words_count_only_beside_a_specific_phrase(title: str, abstract: str, expected: list[str]) -> None:
    taxonomy = parse_taxonomy("t.yml", GENERIC)
    r = Record("a.txt", 1, title, abstract)
    got = assign_topics([Paper("k", title, abstract, (), (r,))], taxonomy.topics).by_paper["k"]
    assert [m.topic for m in got] == expected


def test_the_bundled_rules_leave_no_paper_without_topic_and_no_topic_too_large() -> None:
    cat = build_catalogue(Paths(DATA, DATA / "sources", DATA.parent / "docs", DATA.parent / "site")).catalogue
    assert all(e.topics for e in cat.entries)
    largest = max(len(members) for members in cat.topic_members.values())
    assert largest <= len(cat.entries) / 6  # no catch-all bucket (robot manipulation: 54 of 364)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("areas: [\n  - name: x", None, "invalid YAML"),
        (
            "areas:\n  - name: A\n    description: d\n    colour: red\n    topics:\n      - {name: T, description: d, title: [x]}\n",  # noqa: E501
            4,
            "unknown key 'colour'",
        ),
        (
            "areas:\n  - name: A\n    description: d\n    topics:\n      - name: T\n        description: d\n        title: x\n",  # noqa: E501
            7,
            "list of phrases",
        ),
        (
            "areas:\n  - name: A\n    description: d\n    topics:\n      - {name: T, description: d, title: [x]}\n      - {name: T, description: e, title: [y]}\n",  # noqa: E501
            6,
            "duplicate topic",
        ),
        ("areas:\n  - name: A\n    name: B\n", 3, "duplicate key"),
    ],
)
def test_bad_taxonomy_names_line_and_shows_example(text: str, line: int | None, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_taxonomy("topics.yml", text)
    problem = next(p for p in info.value.problems if fragment in p.message)
    if line is not None:
        assert problem.line == line
    assert "topics.yml" in str(problem)


def test_phrases_that_never_match_are_noted_not_counted() -> None:
    from generator.stages.topics import report_topics

    taxonomy = parse_taxonomy(
        "t.yml",
        "areas:\n  - name: A\n    description: d\n    topics:\n      - {name: T, description: d, title: [robot, zebra crossing]}\n",  # noqa: E501
    )
    r = Record("a.txt", 1, "Robot Learning", "x")
    paper = Paper("k", r.title, r.abstract, (), (r,))
    assignment = assign_topics([paper], taxonomy.topics)
    assert assignment.unused == {"t": ("zebra crossing",)}
    notes = report_topics([paper], taxonomy.topics, assignment)
    assert any("zebra crossing" in p.message and not p.counts for p in notes)


def test_weak_evidence_is_never_guessed_into_a_topic_but_reported() -> None:
    """One abstract phrase (score 1 of the 3 needed) used to place a paper in its best guess."""
    taxonomy = parse_taxonomy("t.yml", GENERIC)
    r = Record("a.txt", 7, "Efficient Learning", "We fit a dynamics model.")
    paper = Paper("k", r.title, r.abstract, (), (r,))
    assignment = assign_topics([paper], taxonomy.topics)
    assert assignment.by_paper["k"] == ()
    (needs,) = [p for p in report_topics([paper], taxonomy.topics, assignment) if p.kind is ProblemKind.NEEDS_TOPIC]
    assert (needs.file, needs.line) == ("a.txt", 7) and needs.counts and "needs a topic" in needs.message
