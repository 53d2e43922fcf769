"""A seeded synthetic catalogue: N papers written as listing dumps in the two real layouts.

Words come from the bundled dumps in data/sources/, so the topic rules match about as often as
they do on real listings: titles are words walked from a chain over the real titles around a generated acronym that is
unique in the catalogue (`ZORVEX: Value Decomposition for Cooperative Agents`), so every
synthetic paper is really a distinct paper; abstracts (80-200 words) are walked from a word
chain built on the real abstracts, so topic phrases (`policy gradient`, `action recognition`)
appear in context while no two abstracts share more than short runs.

About VARIANT_SHARE of the papers recur in a second dump as a variant the deduper must merge
(case change, trailing period, doubled space, non-breaking space, U+2010 hyphen), with the same
abstract. Records spread over files of about RECORDS_PER_FILE each, alternating layout A
(`new`, header lines, date lines, blank-line separated paragraphs) and layout B (two header
lines, one line per title and per abstract, the first title glued to `Subscribe`).

    python benchmarks/synth.py --papers 10000 --out DIR --seed 1

writes DIR/sources/*.txt, DIR/topics.yml (copied from data/) and DIR/synth.json (what was
generated, for the benchmark to check the deduper against), so `--data DIR` works.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

RECORDS_PER_FILE = 2000
VARIANT_SHARE = 0.15
ABSTRACT_WORDS = (80, 200)
DATE_EVERY = 250
"""Layout A dumps get a new listing-date line every this many records."""
ORDER1_SHARE = 0.25
"""Share of chain steps that follow one word of context instead of two: shorter verbatim runs."""

_HEADERS = {
    "new",
    "subscribe",
    "get trending papers in your email inbox!",
    "get trending papers in your email inbox once a day!",
    "byak and the research community",
}
_DATE_RE = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}$", re.IGNORECASE)
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_LAYOUT_A_HEAD = [
    "new",
    "",
    "Get trending papers in your email inbox!",
    "",
    "Subscribe",
    "",
    "byAK and the research community",
    "",
]
_LAYOUT_B_HEAD = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
_ONSETS = re.findall(r"\S+", "B C D F G H J K L M N P R S T V W Z BR CR DR FR GR KR PR TR ST SK SP PL KL FL GL SN")
_VOWELS = ["A", "E", "I", "O", "U", "Y", "AE", "AI", "OU", "EA"]
_CODAS = ["", "", "N", "R", "X", "L", "S", "NT", "RK", "M"]
_JOINING = frozenset(re.findall(r"\S+", "a an and as at by for from in into of on or the to via with without"))
VARIANT_KINDS = ("case", "trailing-period", "double-space", "nbsp", "hyphen")


@dataclass(frozen=True)
class SynthPaper:
    """One distinct synthetic paper."""

    title: str
    """Canonical title, as first listed."""
    abstract: str
    """80-200 words, one line, ending a sentence."""


@dataclass(frozen=True)
class Corpus:
    """What the bundled dumps lend the generator."""

    titles: tuple[tuple[str, ...], ...]
    """Real titles as words, with a leading `Name:` dropped (their first words open a chain walk)."""
    chain2: dict[tuple[str, str], list[str]]
    """Two words of abstract -> the words seen after them."""
    chain1: dict[str, list[str]]
    """One word of abstract -> the words seen after it."""
    starts: tuple[tuple[str, str], ...]
    """Word pairs that open a sentence in a real abstract."""
    title_chain: dict[str, list[str]]
    """One word of a title -> the words seen after it in titles."""


def _split_dump(text: str) -> tuple[list[str], list[str]]:
    """(titles, abstracts) of one real dump, told apart by length and sentence ends."""
    titles, abstracts = [], []
    for raw in text.replace("\r", "").split("\n"):
        line = " ".join(raw.replace("\ufeff", "").split())
        if not line or line.casefold() in _HEADERS or _DATE_RE.match(line):
            continue
        line = line.removeprefix("Subscribe")
        if len(line) > 150 or (line.endswith(".") and len(line.split()) >= 20):
            abstracts.append(line)
        else:
            titles.append(line)
    return titles, abstracts


def load_corpus(sources: Path = DATA / "sources") -> Corpus:
    """Title chunks and an abstract word chain from every `*.txt` dump in `sources`."""
    titles: list[tuple[str, ...]] = []
    chain2: dict[tuple[str, str], list[str]] = defaultdict(list)
    chain1: dict[str, list[str]] = defaultdict(list)
    starts: list[tuple[str, str]] = []
    title_chain: dict[str, list[str]] = defaultdict(list)
    for path in sorted(sources.glob("*.txt")):
        found_titles, abstracts = _split_dump(path.read_text(encoding="utf-8-sig"))
        for title in found_titles:
            head, sep, rest = title.partition(": ")
            words = (rest if sep and len(head.split()) <= 3 and rest else title).split()
            if len(words) >= 3:
                titles.append(tuple(words))
                for a, b in zip(words, words[1:], strict=False):
                    title_chain[a].append(b)
        for abstract in abstracts:
            words = [w for w in abstract.split() if "…" not in w and w != "..."]
            for i in range(len(words) - 2):
                chain2[(words[i], words[i + 1])].append(words[i + 2])
                chain1[words[i + 1]].append(words[i + 2])
                if (i == 0 or words[i - 1].endswith(".")) and words[i][:1].isupper():
                    starts.append((words[i], words[i + 1]))
    if not titles or not starts:
        raise SystemExit(f"no titles or abstracts found in {sources}")
    return Corpus(tuple(titles), dict(chain2), dict(chain1), tuple(starts), dict(title_chain))


def make_acronym(rng: random.Random) -> str:
    """A pronounceable made-up name of 2-3 syllables (`ZORVEX`), no digits."""
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.choice((2, 2, 3))))


def _chunk(rng: random.Random, corpus: Corpus, low: int, high: int) -> str:
    """Title words walked from the title word chain, not starting or ending on a joining word."""
    size = rng.randint(low, high)
    words = list(rng.choice(corpus.titles)[:1])
    while len(words) < size:
        nxt = corpus.title_chain.get(words[-1])
        if not nxt:
            break
        words.append(rng.choice(nxt))
    chunk = [w.strip(",;:.-–—") for w in words]
    while len(chunk) > 1 and chunk[-1].casefold() in _JOINING:
        chunk.pop()
    while len(chunk) > 1 and chunk[0].casefold() in _JOINING:
        chunk.pop(0)
    return " ".join(w for w in chunk if w) or "Agents"


def make_title(rng: random.Random, corpus: Corpus, acronym: str) -> str:
    """A real-title chunk around the acronym, in one of the shapes real titles take."""
    shape = rng.random()
    if shape < 0.5:
        title = f"{acronym}: {_chunk(rng, corpus, 3, 10)}"
    elif shape < 0.7:
        title = f"{acronym}: {_chunk(rng, corpus, 2, 6)} with {_chunk(rng, corpus, 2, 5)}"
    elif shape < 0.85:
        title = f"{_chunk(rng, corpus, 3, 8)} with {acronym.capitalize()}"
    else:
        title = f"{acronym.capitalize()}: {_chunk(rng, corpus, 3, 10)}"
    return " ".join(title.split()[:18])


def make_abstract(rng: random.Random, corpus: Corpus) -> str:
    """80-200 words walked from the word chain, ending on a sentence end."""
    target = rng.randint(*ABSTRACT_WORDS)
    a, b = rng.choice(corpus.starts)
    words = [a, b]
    while True:
        done = b.endswith(".") and len(words) >= target
        if done or len(words) >= ABSTRACT_WORDS[1]:
            break
        order1 = rng.random() < ORDER1_SHARE
        nxt = corpus.chain1.get(b) if order1 else corpus.chain2.get((a, b)) or corpus.chain1.get(b)
        if not nxt:
            a, b = rng.choice(corpus.starts)
            words += [a, b]
            continue
        a, b = b, rng.choice(nxt)
        words.append(b)
    if len(words) > ABSTRACT_WORDS[1]:
        words = words[: ABSTRACT_WORDS[1]]
    text = " ".join(words).rstrip(",;:-")
    return text if text.endswith(".") else text + "."


def _key(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", title.casefold())


def make_papers(n: int, seed: int, corpus: Corpus) -> list[SynthPaper]:
    """`n` distinct papers: unique acronyms, unique folded titles."""
    rng = random.Random(seed)
    seen_acronyms: set[str] = set()
    seen_keys: set[str] = set()
    papers: list[SynthPaper] = []
    while len(papers) < n:
        acronym = make_acronym(rng)
        if acronym in seen_acronyms:
            continue
        title = make_title(rng, corpus, acronym)
        if _key(title) in seen_keys:
            continue
        seen_acronyms.add(acronym)
        seen_keys.add(_key(title))
        papers.append(SynthPaper(title, make_abstract(rng, corpus)))
    return papers


def make_variant(rng: random.Random, title: str) -> tuple[str, str]:
    """(kind, title written another way) for the same paper."""
    kinds = [k for k in VARIANT_KINDS if k != "hyphen" or "-" in title or " " in title]
    kind = rng.choice(kinds)
    spaces = [i for i, ch in enumerate(title) if ch == " "]
    if kind == "case":
        return kind, title.lower() if rng.random() < 0.5 else title.title()
    if kind == "trailing-period":
        return kind, title + "."
    if kind == "hyphen":
        if "-" in title:
            return kind, title.replace("-", "\u2010")
        i = rng.choice(spaces)
        return kind, title[:i] + "\u2010" + title[i + 1 :]
    i = rng.choice(spaces)
    return kind, title[:i] + ("  " if kind == "double-space" else "\u00a0") + title[i + 1 :]


@dataclass(frozen=True)
class Plan:
    """Which records go into which dump."""

    files: tuple[tuple[tuple[str, str], ...], ...]
    """Per file, its (title, abstract) records in order."""
    variants: dict[str, int]
    """Variant kind -> how many records of that kind."""


def plan_files(papers: Sequence[SynthPaper], seed: int) -> Plan:
    """Originals in contiguous runs per file; each variant in another file than its original."""
    rng = random.Random(seed + 1)
    n = len(papers)
    recurring = sorted(rng.sample(range(n), round(VARIANT_SHARE * n))) if n else []
    count = max(2, math.ceil((n + len(recurring)) / RECORDS_PER_FILE))
    files: list[list[tuple[str, str]]] = [[] for _ in range(count)]
    for i, paper in enumerate(papers):
        files[i * count // n].append((paper.title, paper.abstract))
    kinds: dict[str, int] = defaultdict(int)
    for i in recurring:
        home = i * count // n
        other = (home + 1 + rng.randrange(count - 1)) % count
        kind, title = make_variant(rng, papers[i].title)
        kinds[kind] += 1
        files[other].insert(rng.randint(0, len(files[other])), (title, papers[i].abstract))
    return Plan(tuple(tuple(f) for f in files), dict(sorted(kinds.items())))


def _date(rng: random.Random) -> str:
    return f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}"


def render_layout_a(records: Sequence[tuple[str, str]], rng: random.Random) -> str:
    lines = list(_LAYOUT_A_HEAD)
    for i, (title, abstract) in enumerate(records):
        if i % DATE_EVERY == 0:
            lines += [_date(rng), ""]
        lines += [title, "", abstract, ""]
    return "\n".join(lines)


def render_layout_b(records: Sequence[tuple[str, str]]) -> str:
    lines = list(_LAYOUT_B_HEAD)
    for i, (title, abstract) in enumerate(records):
        lines += ["Subscribe" + title if i == 0 else title, abstract]
    return "\n".join(lines) + "\n"


def write_dumps(out: Path, papers: Sequence[SynthPaper], seed: int = 1, data: Path = DATA) -> dict[str, object]:
    """Write `papers` as dumps into out/sources/ (replacing it), topics.yml and synth.json; return the summary."""
    plan = plan_files(papers, seed)
    sources = out / "sources"
    if sources.exists():
        shutil.rmtree(sources)
    sources.mkdir(parents=True)
    rng = random.Random(seed + 2)
    names = []
    for i, records in enumerate(plan.files):
        name = f"{i:03d}_{rng.getrandbits(64):016x}.txt"
        text = render_layout_a(records, rng) if i % 2 == 0 else render_layout_b(records)
        (sources / name).write_text(text, encoding="utf-8")
        names.append(name)
    shutil.copy2(data / "topics.yml", out / "topics.yml")
    words = sorted(len(p.abstract.split()) for p in papers)
    summary: dict[str, object] = {
        "seed": seed,
        "papers": len(papers),
        "records": sum(len(f) for f in plan.files),
        "variants": plan.variants,
        "files": names,
        "abstract_words_median": words[len(words) // 2] if words else 0,
    }
    (out / "synth.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


def write_catalogue(
    out: Path, papers: int, seed: int = 1, data: Path = DATA
) -> tuple[list[SynthPaper], dict[str, object]]:
    """Generate `papers` distinct papers from the words of data/sources/ and write them into `out`."""
    made = make_papers(papers, seed, load_corpus(data / "sources"))
    return made, write_dumps(out, made, seed, data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, required=True, help="distinct papers to generate")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (sources/, topics.yml, synth.json)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--data", type=Path, default=DATA, help="real data folder lending words and topics.yml")
    args = parser.parse_args(argv)
    if args.papers < 1:
        parser.error("--papers must be at least 1")
    start = time.perf_counter()
    _, summary = write_catalogue(args.out, args.papers, args.seed, args.data)
    files = summary["files"]
    assert isinstance(files, list)
    print(
        f"{summary['papers']} papers, {summary['records']} records in {len(files)} dumps "
        f"(variants: {summary['variants']}) -> {args.out} in {time.perf_counter() - start:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
