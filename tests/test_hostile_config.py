"""Hostile curated files (topics.yml, curation.yml): every defect is a `file:line: error:` problem
carried by a ConfigError, never a traceback, a hang or a swollen process; errors say how to fix."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.inputs.curation import Curation, parse_curation, resolve
from generator.inputs.taxonomy import parse_taxonomy
from generator.inputs.yaml_text import MAX_DEPTH, read_curated
from generator.models import ConfigError, Record, Severity
from generator.pipeline import Paths, build_catalogue

from .conftest import DATA, run_cli

Parser = Callable[[str, str], object]
PARSERS = [pytest.param(parse_taxonomy, id="topics"), pytest.param(parse_curation, id="curation")]

TOPIC = "{name: T, description: d, title: [x]}"
"""A valid topic, to build taxonomies around one hostile field."""


def _area(**fields: str) -> str:
    """A topics.yml with one area (fields as YAML flow text, overriding the valid defaults)."""
    values = {"name": "A", "description": "d", "topics": f"[{TOPIC}]", **fields}
    return "areas:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in values.items()) + "\n"


def _topic(**fields: str) -> str:
    """A topics.yml with one valid area holding one topic (fields as YAML flow text)."""
    values = {"name": "T", "description": "d", "title": "[x]", **fields}
    body = "\n        ".join(f"{k}: {v}" for k, v in values.items())
    return f"areas:\n  - name: A\n    description: d\n    topics:\n      - {body}\n"


def _errors(parser: Parser, text: str, name: str = "f.yml") -> list[tuple[int | None, str]]:
    """(line, first message line) of each problem; asserts they are errors naming the file."""
    with pytest.raises(ConfigError) as info:
        parser(name, text)
    problems = info.value.problems
    assert problems and all(p.file == name and p.severity is Severity.ERROR for p in problems)
    return [(p.line, p.message.split("\n")[0]) for p in problems]


def _has(errors: list[tuple[int | None, str]], line: int, fragment: str) -> bool:
    return any(got == line and fragment in message for got, message in errors)


# --- 1. unhashable keys ------------------------------------------------------------------------


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("? [a, b]\n: 1\n", 1),
        ("{[1]: x}\n", 1),
        ("merge: []\n? {a: 1}\n: x\n", 2),
        ("areas:\n  - name: A\n    ? [x]\n    : 1\n", 3),
        ("? [a]\n: 1\n? [a]\n: 2\n", 1),
    ],
)
def test_unhashable_key_is_an_error_on_its_line(parser: Parser, text: str, line: int) -> None:
    assert _has(_errors(parser, text), line, "a key must be text, not a")


# --- 2. deep nesting ---------------------------------------------------------------------------


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    "text",
    [
        "[" * 20000,
        "a: " + "{b: " * 20000,
        "".join(f"{'  ' * i}- \n" for i in range(1000)),
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    ],
)
def test_deep_nesting_is_refused_with_a_line(parser: Parser, text: str) -> None:
    errors = _errors(parser, text)
    assert any(line and f"nested more than {MAX_DEPTH} levels" in m for line, m in errors)


@pytest.mark.parametrize("parser", PARSERS)
def test_nesting_up_to_the_limit_is_fine(parser: Parser) -> None:
    """The limit refuses only what no curated file needs: 50 levels still parse (then fail shape checks)."""
    errors = _errors(parser, "keep_apart: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))
    assert not any("nested" in m for _, m in errors)


# --- 3. billion laughs and huge files ------------------------------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
)


@pytest.mark.parametrize("parser", PARSERS)
def test_alias_expansion_is_refused_quickly(parser: Parser) -> None:
    start = time.perf_counter()
    errors = _errors(parser, LAUGHS)
    assert time.perf_counter() - start < 2
    assert _has(errors, 2, "aliases (`*a`) are not allowed")


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("text", ["base: &b {paper: x}\npins:\n  - <<: *b\n", "x: &a 1\ny: *a\n"])
def test_any_alias_is_refused(parser: Parser, text: str) -> None:
    assert any("no need for anchors" in m for _, m in _errors(parser, text))


@pytest.mark.parametrize("parser", PARSERS)
def test_oversized_file_is_refused_before_parsing(parser: Parser) -> None:
    text = "# " + "x" * (6 * 1024 * 1024) + "\n"
    start = time.perf_counter()
    assert _has(_errors(parser, text), 1, "limited to 5 MB")
    assert time.perf_counter() - start < 1


# --- 4. shapes, everywhere ------------------------------------------------------------------------

HOSTILE_TOPICS = [
    ("areas: {}\n", 1, "`areas:` must be a non-empty list"),
    ("areas: []\n", 1, "`areas:` must be a non-empty list"),
    ("areas: x\n", 1, "`areas:` must be a non-empty list"),
    ("- areas\n", 1, "expected a mapping with a top-level `areas:` list"),
    ("areas:\n  - x\n  - [y]\n", 3, "each area must be a mapping"),
    (_area(name="[A]"), 2, "`name:` must be non-empty text, not a list"),
    (_area(name="2024-01-01"), 2, "not a date"),
    (_area(description="{a: b}"), 3, "not a mapping"),
    (_area(topics="x"), 4, "needs a non-empty `topics:` list"),
    (_area(topics="{a: b}"), 4, "needs a non-empty `topics:` list"),
    (_area(topics="[x]"), 4, "each topic must be a mapping"),
    (_area(slug="[a]"), 5, "`slug:` must be"),
    (_topic(name="123"), 5, "`name:` must be non-empty text, not a number"),
    (_topic(name="true"), 5, "not a boolean"),
    (_topic(name="null"), 5, "`name:` must be non-empty text"),
    (_topic(description="[d]"), 6, "not a list"),
    (_topic(title="x"), 7, "`title:` must be a list of phrases"),
    (_topic(title="{a: b}"), 7, "`title:` must be a list of phrases"),
    (_topic(title="[[x]]"), 7, "`title:` must be a list of phrases"),
    (_topic(title="[2024-01-01]"), 7, "`title:` must be a list of phrases"),
    (_topic(exclude="7"), 8, "`exclude:` must be a list of phrases"),
    (_topic(slug="3"), 8, "`slug:` must be"),
    (_topic(slug="{a: b}"), 8, "`slug:` must be"),
    (_topic(abstract="!!set {a}"), 8, "tag `!!set` is not allowed"),
    ("areas:\n  - name: A\n    description: d\n    topics:\n      - [x]\n", 5, "each topic must be a mapping"),
    ("areas: !!omap [{a: 1}]\n", 1, "tag `!!omap` is not allowed"),
    ("areas:\n  - !!binary aGVsbG8=\n", 2, "tag `!!binary` is not allowed"),
    ("areas: !foo x\n", 1, "tag `!foo` is not allowed"),
]

HOSTILE_CURATION = [
    ("just a string\n", 1, "expected a mapping with keys"),
    ("- merge\n", 1, "expected a mapping with keys"),
    ("42\n", 1, "expected a mapping with keys"),
    ("merge: 0\n", 1, "`merge:` must be a list"),
    ("merge: ''\n", 1, "`merge:` must be a list"),
    ("merge: x\n", 1, "`merge:` must be a list"),
    ("merge:\n  - x\n", 2, "two or more"),
    ("merge:\n  - [a, [b]]\n", 2, "two or more"),
    ("merge:\n  - [a, 2024-01-01]\n", 2, "two or more"),
    ("keep_apart:\n  - [a, b, c]\n", 2, "a list of 2 records"),
    ("keep_apart:\n  - {a: b}\n", 2, "a list of 2 records"),
    ("titles:\n  - [a, b]\n", 2, "exactly `paper:` and `title:`"),
    ("titles:\n  - {paper: 2024-01-01, title: x}\n", 2, "not a date"),
    ("titles:\n  - {paper: x, title: [y]}\n", 2, "not a list"),
    ("exclude:\n  - {record: x, reason: 5}\n", 2, "not a number"),
    ("pins:\n  - x\n", 2, "each `pins:` entry needs `paper:` and a non-empty `topics:` list"),
    ("pins:\n  - {paper: x, topics: bandits}\n", 2, "non-empty `topics:` list"),
    ("pins:\n  - {paper: x, topics: [1, 2]}\n", 2, "non-empty `topics:` list"),
    ("pins:\n  - {paper: [x], topics: [a]}\n", 2, "`paper:`"),
    ("pins:\n  - {paper: x, topics: [a], reason: y}\n", 2, "unknown key 'reason' in a `pins:` entry"),
    ("merge: !!set {a, b}\n", 1, "tag `!!set` is not allowed"),
    ("!!python/object:os.system {}\n", 1, "tag `!!python/object:os.system` is not allowed"),
    ("merge:\n  - [a, b]\n---\nmerge: []\n", 3, "a single document"),
]

SHARED = [
    ("null: 1\n", 1, "the key `null` is read as null, not text"),
    ("~: 1\n", 1, "is read as null, not text"),
    ("true: 1\n", 1, "the key `true` is read as a boolean, not text"),
    ("1: x\n", 1, "the key `1` is read as a number, not text"),
    ("2024-01-01: x\n", 1, "is read as a date, not text"),
    ("a: 1\nb:\n\t- x\n", 3, "tab"),
    ("a: [1, 2\n", 2, "invalid YAML"),
    ("a: 1\nb: \x00\n", 2, "invalid YAML: unacceptable character"),
    ("a: 1\na: 2\n", 2, "duplicate key 'a'"),
    ("a: 1\n  b: 2\n", 2, "invalid YAML"),
    ("a: 2024-13-45\n", 1, "cannot read this value"),
    ("a: " + "9" * 5000 + "\n", 1, "cannot read this value"),
    ("c:\n  <<: [1]\n", 2, "invalid YAML"),
    ("a: *x\n", 1, "aliases (`*x`) are not allowed"),
    ("'a': 1\n\"a\": 2\n", 2, "duplicate key"),
]


def _check(parser: Parser, text: str, line: int, fragment: str) -> None:
    errors = _errors(parser, text)
    assert all(isinstance(got, int) and got >= 1 for got, _ in errors), errors
    assert _has(errors, line, fragment), errors


@pytest.mark.parametrize(("text", "line", "fragment"), HOSTILE_TOPICS + SHARED)
def test_hostile_topics_yml_is_an_error_on_its_line(text: str, line: int, fragment: str) -> None:
    _check(parse_taxonomy, text, line, fragment)


@pytest.mark.parametrize(("text", "line", "fragment"), HOSTILE_CURATION + SHARED)
def test_hostile_curation_yml_is_an_error_on_its_line(text: str, line: int, fragment: str) -> None:
    _check(parse_curation, text, line, fragment)


def _data(tmp_path: Path, topics: str, curation: str | None = None) -> Path:
    """A data folder with no dumps: the curated files are read (and refused) before any dump."""
    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    (data / "topics.yml").write_text(topics, encoding="utf-8")
    if curation is not None:
        (data / "curation.yml").write_text(curation, encoding="utf-8")
    return data


def _build_errors(data: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        build_catalogue(Paths(data, data / "sources", data.parent / "docs", data.parent / "site"))
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(("text", "line", "fragment"), (HOSTILE_TOPICS + SHARED)[::3])
def test_hostile_topics_through_the_build(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    errors = _build_errors(_data(tmp_path, text))
    assert any(e.startswith(f"topics.yml:{line}: error: ") and fragment in e for e in errors), errors


@pytest.mark.parametrize(("text", "line", "fragment"), (HOSTILE_CURATION + SHARED)[::3])
def test_hostile_curation_through_the_build(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    errors = _build_errors(_data(tmp_path, (DATA / "topics.yml").read_text(encoding="utf-8"), text))
    assert any(e.startswith(f"curation.yml:{line}: error: ") and fragment in e for e in errors), errors


@pytest.mark.parametrize(
    ("topics", "curation", "expected"),
    [
        ("[" * 20000, "", "topics.yml:1: error: "),
        (None, LAUGHS, "curation.yml:2: error: "),
        (None, "? [a, b]\n: 1\n", "curation.yml:1: error: "),
        (_topic(name="'!!!'"), "", "topics.yml:5: error: the name `!!!` gives an empty URL slug"),
    ],
)
def test_cli_prints_file_line_error_and_exits_1(
    tmp_path: Path, topics: str | None, curation: str, expected: str
) -> None:
    data = _data(tmp_path, topics or (DATA / "topics.yml").read_text(encoding="utf-8"), curation)
    proc = run_cli("check", "--data", str(data))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert expected in proc.stderr, proc.stderr


# --- 5. slugs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (_topic(name="'!!!'"), 5, "the name `!!!` gives an empty URL slug: give it a `slug:`"),
        (_area(name="'***'"), 2, "the name `***` gives an empty URL slug: give it a `slug:`"),
        (_topic(slug="Offline RL"), 8, "`slug:` must be lowercase letters, digits and hyphens (such as 'offline-rl')"),
        (_topic(slug="a--b"), 8, "`slug:` must be lowercase letters"),
        (_topic(slug="-a"), 8, "`slug:` must be lowercase letters"),
        (_topic(slug="'caf\u00e9'"), 8, "`slug:` must be lowercase letters"),
        (_topic(slug="'!!!'"), 8, "`slug:` must be lowercase letters, digits and hyphens, not '!!!'"),
        (_topic(slug="''"), 8, "`slug:` must be"),
        (_topic(name="Index"), 5, "the slug 'index' is reserved"),
        (_topic(name="README"), 5, "the slug 'readme' is reserved"),
        (_topic(slug="page"), 8, "the slug 'page' is reserved"),
        (_area(slug="index"), 5, "the slug 'index' is reserved"),
        (_topic(name="W" + " w" * 60), 5, "is longer than 80 characters: give it a shorter `slug:`"),
    ],
)
def test_bad_slugs_are_errors_on_their_line(text: str, line: int, fragment: str) -> None:
    _check(parse_taxonomy, text, line, fragment)


def test_valid_explicit_slugs_are_kept() -> None:
    taxonomy = parse_taxonomy("t.yml", _topic(name="'!!!'", slug="bangs-2"))
    assert [t.slug for t in taxonomy.topics] == ["bangs-2"] and taxonomy.topics[0].name == "!!!"


def test_duplicate_slugs_name_the_right_line_after_a_broken_entry() -> None:
    text = f"areas:\n  - name: A\n    description: d\n    topics:\n      - x\n      - {TOPIC}\n      - {TOPIC}\n"
    errors = _errors(parse_taxonomy, text)
    assert _has(errors, 5, "each topic must be a mapping") and _has(errors, 7, "duplicate topic 'T'")


# --- 6. did you mean -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parser", "text", "line", "fragment"),
    [
        (parse_curation, "keep_appart: []\n", 1, "unknown key 'keep_appart': did you mean 'keep_apart'?"),
        (parse_curation, "pin: []\n", 1, "did you mean 'pins'?"),
        (
            parse_curation,
            "titles:\n  - {papr: x, title: y}\n",
            2,
            "unknown key 'papr' in a `titles:` entry: did you mean 'paper'?",
        ),
        (parse_curation, "exclude:\n  - {record: x, reson: y}\n", 2, "did you mean 'reason'?"),
        (
            parse_curation,
            "pins:\n  - {paper: x, topic: [a]}\n",
            2,
            "unknown key 'topic' in a `pins:` entry: did you mean 'topics'?",
        ),
        (parse_taxonomy, _topic(descripton="d"), 8, "unknown key 'descripton': did you mean 'description'?"),
        (parse_taxonomy, _area(topic="[]"), 5, "did you mean 'topics'?"),
        (parse_taxonomy, "area: []\n", 1, "unknown key 'area': did you mean 'areas'?"),
    ],
)
def test_misspelt_keys_get_a_suggestion(parser: Parser, text: str, line: int, fragment: str) -> None:
    assert _has(_errors(parser, text), line, fragment)


def test_a_misspelt_field_is_reported_once() -> None:
    """`papr:` is the problem; that `paper:` is then missing is the same problem, not a second one."""
    errors = _errors(parse_curation, "titles:\n  - {papr: x, title: y}\n")
    assert len(errors) == 1


def test_unknown_topic_in_pins_suggests_the_closest_slugs() -> None:
    curation = parse_curation("curation.yml", "pins:\n  - {paper: X, topics: [bandit]}\n")
    record = Record("a.txt", 1, "X", "y")
    slugs = ["bandits", "robot-manipulation", "gui-agents", "offline-reinforcement-learning"]
    with pytest.raises(ConfigError) as info:
        resolve("curation.yml", curation, [record], slugs)
    (problem,) = info.value.problems
    first = problem.message.split("\n")[0]
    assert problem.line == 2 and first == "unknown topic 'bandit': did you mean 'bandits'?"


def test_unknown_topic_with_no_close_slug_still_lists_them() -> None:
    curation = parse_curation("curation.yml", "pins:\n  - {paper: X, topics: [zzzz]}\n")
    with pytest.raises(ConfigError) as info:
        resolve("curation.yml", curation, [Record("a.txt", 1, "X", "y")], ["bandits", "gui-agents"])
    assert "(topic slugs: bandits, gui-agents)" in info.value.problems[0].message


# --- 7. edge cases ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# only a comment\n", "---\n", "~\n", "{}\n", "\ufeffmerge: []\n", "merge:\n"]
)
def test_empty_curation_means_no_overrides(text: str) -> None:
    assert parse_curation("curation.yml", text) == Curation()


def test_bom_and_crlf_are_read() -> None:
    text = "\ufeff" + _topic().replace("\n", "\r\n")
    assert [t.slug for t in parse_taxonomy("t.yml", text).topics] == ["t"]


@pytest.mark.parametrize("text", ["", "# nothing\n", "~\n"])
def test_empty_topics_yml_is_an_error(text: str) -> None:
    assert _has(_errors(parse_taxonomy, text), 1, "expected a mapping with a top-level `areas:` list")


def test_non_utf8_curated_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    data = _data(tmp_path, (DATA / "topics.yml").read_text(encoding="utf-8"))
    (data / "curation.yml").write_bytes(b"merge:\n  - [caf\xe9, b]\n")
    proc = run_cli("check", "--data", str(data))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "curation.yml" in proc.stderr


def test_read_curated_names_the_line_of_a_non_utf8_byte(tmp_path: Path) -> None:
    path = tmp_path / "curation.yml"
    path.write_bytes(b"merge:\n  - [caf\xe9, b]\n")
    with pytest.raises(ConfigError) as info:
        read_curated(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == ("curation.yml", 2) and "not UTF-8 (byte 0xe9" in problem.message


def test_read_curated_drops_a_bom_and_refuses_a_huge_file_unread(tmp_path: Path) -> None:
    path = tmp_path / "topics.yml"
    path.write_bytes(b"\xef\xbb\xbfareas: []\r\n")
    assert read_curated(path) == "areas: []\r\n"
    with path.open("wb") as f:
        f.truncate(6 * 1024 * 1024 * 1024)  # sparse: 6 GB that are never read
    with pytest.raises(ConfigError) as info:
        read_curated(path)
    assert info.value.problems[0].line == 1 and "limited to 5 MB" in info.value.problems[0].message
    with pytest.raises(ConfigError, match="file not found"):
        read_curated(tmp_path / "missing.yml")
