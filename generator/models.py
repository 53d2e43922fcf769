"""The catalogue's records: immutable values passed from one pipeline stage to the next."""

from __future__ import annotations

import datetime
import enum
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

_T = TypeVar("_T")


class SplitWork(Protocol):
    """How a stage runs a pass over `n` items: `job(start, stop)` over ranges, the lists
    concatenated in order, so the result is job(0, n)'s. `scale` (how many papers or records the
    pass is about) says whether splitting it pays. Stages never fork themselves: the pipeline
    passes `forking.split_work()`, and a stage called alone runs in one process."""

    def __call__(self, job: Callable[[int, int], list[_T]], n: int, scale: int) -> list[_T]: ...


def one_process(job: Callable[[int, int], list[_T]], n: int, scale: int) -> list[_T]:
    """The whole pass in this process."""
    return job(0, n)


class Severity(enum.Enum):
    """How bad a reported problem is; `--strict` fails on warnings and errors, never on notes."""

    INFO = "note"
    WARNING = "warning"
    ERROR = "error"


class ProblemKind(enum.Enum):
    """What a reported problem is about, where a report counts problems of one kind."""

    GENERAL = "general"
    """Any problem not counted on its own."""
    ORPHAN_TITLE = "orphan title"
    """A dump's title with no abstract after it (skipped)."""
    ORPHAN_ABSTRACT = "orphan abstract"
    """A dump's abstract with no title before it (skipped)."""
    NEEDS_TOPIC = "needs a topic"
    """A paper whose evidence reaches no topic: a curator pins it or writes a better rule."""


FileContent = str | bytes | Callable[[], bytes]
"""What a generated file holds: its text, its bytes, or a function making its bytes for a
content-addressed file (its name says what it holds, e.g. a preview card), which the docs writer
calls only when the docs folder lacks the file."""


@dataclass(frozen=True)
class Problem:
    """Something in the input a curator should look at."""

    file: str
    """File name (a dump, `topics.yml`, `curation.yml`)."""
    line: int | None
    """1-based line, where one applies."""
    message: str
    """What is wrong and, where it helps, what a valid entry looks like."""
    severity: Severity = Severity.WARNING
    """Warnings publish the valid rest; errors mean the input could not be used; notes inform."""
    kind: ProblemKind = ProblemKind.GENERAL
    """What it is about, so a report can count problems of one kind without reading messages."""

    @property
    def counts(self) -> bool:
        """Whether it is a problem (not a note): counted in the summary, fatal under --strict."""
        return self.severity is not Severity.INFO

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity.value}: {self.message}"


@dataclass(frozen=True)
class Record:
    """One title/abstract pair as read from one dump."""

    file: str
    """Dump file name, e.g. `003_2eac55ab512abe74.txt`."""
    line: int
    """1-based line of the title in that file."""
    title: str
    """Title as written there (whitespace trimmed, nothing else changed)."""
    abstract: str
    """Abstract as written there."""
    listed: str | None = None
    """Listing date shown in the dump (`Apr 3`; dumps carry no year), if any."""
    position: int = 0
    """0-based order of the record within its dump."""

    @property
    def ref(self) -> str:
        """`file:line`, how reports name a record."""
        return f"{self.file}:{self.line}"


class Rule(enum.StrEnum):
    """The dedupe's verdict on two records: a rule that merges them, or why they were left apart.

    A `str` whose text (`str()`, `format()`, `.value`) is what reports and pages print."""

    SAME_TITLE_KEY = "same-title-key"
    SAME_ABSTRACT = "same-abstract"
    CLOSE_TITLE_ABSTRACT = "close-title+abstract"
    CURATION_MERGE = "curation: merge"
    BELOW_BAR = "review: below the merge bar"
    NUMBERS_DIFFER = "review: numbers in the titles differ"
    SAME_TITLE_OTHER_ABSTRACTS = "review: same title, different abstracts"
    KEPT_APART = "review: kept apart by curation"
    CHAINED_GROUP = "review: chained group"

    @property
    def merges(self) -> bool:
        """The two records become one paper (else the pair goes to review)."""
        return self in (Rule.SAME_TITLE_KEY, Rule.SAME_ABSTRACT, Rule.CLOSE_TITLE_ABSTRACT, Rule.CURATION_MERGE)

    @property
    def curated(self) -> bool:
        """A curator's override (curation.yml) decided it, not the scores."""
        return self in (Rule.CURATION_MERGE, Rule.KEPT_APART)

    @property
    def reason(self) -> str:
        """The text without its `review: ` mark: why a pair was left apart (`below the merge bar`),
        or the merging rule's name."""
        return self.value.removeprefix("review: ")


@dataclass(frozen=True)
class Merge:
    """Why a record was folded into a paper whose canonical record is another one."""

    record: Record
    """The record merged in."""
    into: Record
    """The paper's canonical record."""
    rule: Rule
    """Which rule joined them (`same-title-key`, `close-title+abstract`, `curation: merge`...)."""
    score: float
    """The rule's evidence, 0-100."""


@dataclass(frozen=True)
class Pair:
    """Two records the dedupe compared, with its scores and verdict."""

    a: Record
    b: Record
    rule: Rule
    """Merge rule that fired, or `review: <why>` for a pair left apart."""
    title_score: float
    """rapidfuzz ratio of the folded titles, 0-100."""
    abstract_score: float
    """rapidfuzz ratio of the folded abstracts (a cut abstract against the same-length opening), 0-100."""

    @property
    def merges(self) -> bool:
        return self.rule.merges


@dataclass(frozen=True)
class Paper:
    """One deduplicated paper, before topics and links are added."""

    key: str
    """Stable identity: the folded title key of the canonical title."""
    title: str
    """Canonical title (TeX fragments kept for rendering)."""
    abstract: str
    """Canonical abstract: the longest untruncated one."""
    aliases: tuple[str, ...]
    """Other titles seen for this paper, as written."""
    sources: tuple[Record, ...]
    """Every record that became this paper, in file/line order."""


@dataclass(frozen=True)
class TopicRule:
    """How a topic recognises its papers."""

    title: tuple[str, ...] = ()
    """Phrases that count strongly when found in the title."""
    abstract: tuple[str, ...] = ()
    """Phrases that count when found in the abstract (title matches count too)."""
    exclude: tuple[str, ...] = ()
    """Phrases that keep a paper out even when another phrase matched."""
    generic: tuple[str, ...] = ()
    """Phrases too general to place a paper on their own (`agent`, `planning`, `benchmark`): they
    count, as title or abstract evidence, only beside a `title:` or `abstract:` phrase of the topic."""
    key: tuple[str, ...] = ()
    """Phrases that name the topic itself (`offline reinforcement learning`): they count as title
    phrases in the title, and as two abstract phrases in the abstract."""
    context: tuple[str, ...] = ()
    """When given, one of these phrases (the setting the topic is about: `reinforcement learning`,
    `robot*`) must occur in the title or abstract for any other phrase of the topic to count."""


@dataclass(frozen=True)
class Topic:
    """A curated topic from `data/topics.yml`."""

    slug: str
    name: str
    description: str
    area: str
    """Slug of the area above it."""
    rule: TopicRule = field(default_factory=TopicRule)


@dataclass(frozen=True)
class Area:
    """A group of topics (the taxonomy's first level)."""

    slug: str
    name: str
    description: str
    topics: tuple[str, ...]
    """Topic slugs in curated order."""


_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_iso_date(value: object) -> bool:
    """`2026-11-21`, a real day of the calendar."""
    if not isinstance(value, str) or not _ISO_DATE_RE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class SourceInfo:
    """What a curator knows of one dump (`data/sources.yml`)."""

    listed: str | None = None
    """`YYYY-MM-DD`, or the day as the listing shows it (`Apr 3`) when the year is unknown."""
    source: str | None = None
    """Where the listing was copied from."""

    @property
    def date(self) -> str | None:
        """The listing's day as an ISO date, when the curator knows its year."""
        return self.listed if is_iso_date(self.listed) else None


PINNED_SCORE = 99
"""The score of a curator's pin: above any rule's."""


@dataclass(frozen=True)
class TopicMatch:
    """A paper's membership of a topic, with the evidence shown on its page."""

    topic: str
    """Topic slug."""
    score: int
    """Weighted count of matched phrases."""
    reason: str
    """What matched, e.g. `title: "action recognition"`, or `chosen by the curators` (a pin)."""

    @property
    def pinned(self) -> bool:
        """Whether a curator chose this topic (a pin) rather than the rules."""
        return self.score >= PINNED_SCORE


@dataclass(frozen=True)
class RelatedLink:
    """A related paper, and why: the terms that weigh most in both texts, the strong topics both are in."""

    other: str
    """The related paper: its key inside the related stage, its slug in an Entry."""
    terms: tuple[str, ...]
    """Folded terms (words or word pairs) both papers weigh most, heaviest first."""
    topics: tuple[str, ...]
    """Slugs of topics both papers are in on strong evidence, in this paper's order."""


@dataclass(frozen=True)
class Entry:
    """A paper as published: slug, topics and related papers resolved."""

    slug: str
    paper: Paper
    topics: tuple[TopicMatch, ...]
    links: tuple[RelatedLink, ...]
    """Related papers (`other` is a slug), best first."""
    added: str | None = None
    """`YYYY-MM-DD` the paper was first published in this catalogue (from the URL ledger), or None
    when no one knows (a ledger entry written before dates that git cannot date)."""

    @property
    def related(self) -> tuple[str, ...]:
        """Slugs of related papers, best first."""
        return tuple(link.other for link in self.links)


def paper_keys(papers: Iterable[Paper]) -> dict[Record, str]:
    """Record -> key of the paper it became (before slugs are assigned)."""
    return {r: p.key for p in papers for r in p.sources}


def record_owners(entries: Iterable[Entry]) -> dict[Record, str]:
    """Record -> slug of the published paper it is part of."""
    return {r: e.slug for e in entries for r in e.paper.sources}


def listed_files(entries: Iterable[Entry]) -> set[str]:
    """The dumps with a listing page: those a published paper's record comes from."""
    return {r.file for e in entries for r in e.paper.sources}


@dataclass(frozen=True)
class Redirect:
    """An old or alias URL and the paper page it now leads to."""

    slug: str
    """The slug that must keep resolving."""
    target: str
    """Slug of the current paper page."""
    title: str
    """What the old URL showed, for the stub page."""
    why: str
    """`renamed or merged`, or `alias title`."""


@dataclass(frozen=True)
class Gone:
    """A published paper URL whose paper is no longer in the catalogue: its page says so."""

    slug: str
    title: str
    """The title it was published under."""
    why: str


@dataclass(frozen=True)
class Joined:
    """A record new in this build that joined a paper made of other records."""

    record: Record
    """As written in its dump."""
    slug: str
    """The paper it joined."""
    published_before: bool
    """The paper was published by an earlier build (else it is new in this build, first listed
    by another of its records)."""


@dataclass(frozen=True)
class DumpChange:
    """One dump's records: what they became, and what is new since the ledger."""

    file: str
    records: int
    """Records read from it: first_listed + merged + excluded."""
    first_listed: int
    """Papers whose first record (in file and line order) is here."""
    merged: int
    """Its other published records: each joined a paper first listed elsewhere or earlier here."""
    excluded: int
    new_records: int
    """Records not in the ledger: what this build adds from this dump."""
    new_papers: tuple[tuple[Record, str], ...]
    """(record, slug) of papers first published by this build and first listed here."""
    joined: tuple[Joined, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Override:
    """A curator's override in force, as the report lists it."""

    kind: str
    """`title`, `pin`, `keep apart` or `merge`."""
    line: int
    """Its line in curation.yml."""
    text: str
    """What it does, in words."""
    slugs: tuple[str, ...]
    """The papers it acts on."""


@dataclass(frozen=True)
class Catalogue:
    """Everything the renderer needs, built before anything is written."""

    entries: tuple[Entry, ...]
    """Papers, sorted by slug."""
    areas: tuple[Area, ...]
    topics: tuple[Topic, ...]
    merges: tuple[Merge, ...]
    problems: tuple[Problem, ...]
    records_read: int
    files: tuple[str, ...]
    """Dump files read, sorted."""
    review: tuple[Pair, ...] = ()
    """Close pairs kept apart, for a curator to confirm."""
    excluded: tuple[tuple[Record, str], ...] = ()
    """Records a curator excluded, with the reason."""
    redirects: tuple[Redirect, ...] = ()
    """Old and alias paper slugs, each leading to a current page."""
    gone: tuple[Gone, ...] = ()
    """Published paper URLs whose paper is no longer in the catalogue."""
    kept_apart: tuple[Pair, ...] = ()
    """Close pairs a curator keeps apart: confirmed, no longer to review."""
    overrides: tuple[Override, ...] = ()
    changes: tuple[DumpChange, ...] = ()
    """Per dump: what its records became, and what this build adds since the URL ledger."""
    sources_meta: tuple[tuple[str, SourceInfo], ...] = ()
    """Dump file -> what a curator knows of it (`data/sources.yml`), in file order."""

    @functools.cached_property
    def source_info(self) -> dict[str, SourceInfo]:
        """Dump file -> SourceInfo (an empty one for a dump without an entry)."""
        return dict(self.sources_meta)

    def listed_day(self, record: Record) -> str | None:
        """The day a record's listing shows: the curator's entry for its dump, else the dump's own."""
        info = self.source_info.get(record.file)
        return info.listed if info and info.listed else record.listed

    def listing_date(self, record: Record) -> str | None:
        """The ISO day of a record's listing, when a curator knows its year (`data/sources.yml`)."""
        info = self.source_info.get(record.file)
        return info.date if info else None

    @functools.cached_property
    def owner(self) -> dict[Record, str]:
        """Record -> slug of the paper it is part of."""
        return record_owners(self.entries)

    @functools.cached_property
    def topic_members(self) -> dict[str, list[Entry]]:
        """Topic slug -> its papers (in slug order); every topic of the taxonomy, empty ones too."""
        members: dict[str, list[Entry]] = {t.slug: [] for t in self.topics}
        for entry in self.entries:
            for match in entry.topics:
                members.setdefault(match.topic, []).append(entry)
        return members


class ConfigError(Exception):
    """The input cannot be used at all (a curated file, the ledger, the sources folder); carries
    every problem found, each with its file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
