"""A run that has nothing to do does nothing (issue 19: a no-change regenerate in seconds at any
size). After a `generate` or `build`, `docs/.generated-inputs.json` records a hash of everything
the generated docs depend on (`inputs_key`) and the size and modification time of every docs file
as it was left. The next run with the same key and an untouched docs folder prints the report it
recorded and writes nothing; anything else, and it runs in full. A failed run puts the docs
folder back as it was, so the stamp still describes it truly (and matches only the inputs that
made it).

The stamp also records, for every paper page, the key of the inputs it was made from
(render/pages.py `PageReuse`): a later run that does have work to do skips rendering the paper
pages whose key did not change and whose file is as the stamp left it (`untouched_pages`).

What the key covers: every file of the data folder (dumps, topics, curation, sources list, URL
ledger) and of the dumps and ledger when they live elsewhere, the templates, the generator's own
code and fonts, where the ledger is, the environment variables the output reads, and the build day (new papers are
dated with it). A ledger with entries written before dates is dated from git history, which the
key does not cover: such a run is never skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

STAMP = ".generated-inputs.json"
ENVIRONMENT = ("SITE_URL", "PAPER_CARDS_UP_TO", "SOURCE_DATE_EPOCH")
VERSION = 2


@dataclass(frozen=True)
class Stamp:
    """What the last run recorded."""

    key: str
    report: str
    papers: int
    problems: bool
    docs: Mapping[str, tuple[int, int]]
    pages: Mapping[str, str]
    """Paper page path -> the key of the inputs it was made from (render/pages.py `PageReuse`)."""


def _files(folder: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            yield Path(root) / name


def inputs_key(folders: Iterable[Path], files: Iterable[Path], today: str, options: str = "") -> str:
    """A hash of every file under `folders`, of `files`, of the environment the output reads, of
    the build day and of `options` (what else the run was asked)."""
    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)

    seen: set[Path] = set()
    for path in [p for folder in folders for p in _files(folder)] + list(files):
        resolved = path.resolve()
        if resolved in seen or not resolved.is_file():
            continue
        seen.add(resolved)
        add(str(resolved), resolved.read_bytes())
    for name in ENVIRONMENT:
        add("env:" + name, os.environ.get(name, "\0unset").encode("utf-8"))
    add("today", today.encode())
    add("options", options.encode("utf-8"))
    return h.hexdigest()


def file_stamps(folder: Path, hidden: bool = True) -> dict[str, tuple[int, int]]:
    """Every file under `folder`: relative path -> (size, mtime_ns) of what it names; without
    dot-files and dot-folders unless `hidden`. Plain strings and scandir: 100,000 papers make
    200,000 files. Also what an incremental site build compares (site/incremental.py)."""
    out: dict[str, tuple[int, int]] = {}
    stack = [(str(folder), "")]
    while stack:
        where, prefix = stack.pop()
        with os.scandir(where) as entries:
            for entry in entries:
                if not hidden and entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, prefix + entry.name + "/"))
                else:
                    st = entry.stat()
                    out[prefix + entry.name] = (st.st_size, st.st_mtime_ns)
    return out


def docs_state(docs: Path) -> dict[str, tuple[int, int]]:
    """Every file of the docs folder but this stamp and the writer's work folders."""
    return {
        rel: stamp
        for rel, stamp in file_stamps(docs).items()
        if rel not in (STAMP, STAMP + ".tmp") and not rel.startswith(".generator-write-")
    }


def read(docs: Path) -> Stamp | None:
    try:
        raw = json.loads((docs / STAMP).read_text(encoding="utf-8"))
        if raw.get("version") != VERSION:
            return None
        files = {k: (int(v[0]), int(v[1])) for k, v in raw["docs"].items()}
        pages = {str(k): str(v) for k, v in raw["pages"].items()}
        return Stamp(str(raw["key"]), str(raw["report"]), int(raw["papers"]), bool(raw["problems"]), files, pages)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def unchanged(docs: Path, key: str) -> Stamp | None:
    """The last run's stamp when it had this key and the docs folder is as it left it."""
    stamp = read(docs)
    if stamp is None or stamp.key != key:
        return None
    try:
        return stamp if docs_state(docs) == stamp.docs else None
    except OSError:
        return None


def untouched_pages(docs: Path) -> dict[str, str]:
    """The keys of the paper pages the last run recorded, for the pages whose file is as that run
    left it (same size and modification time): those files are what those inputs made."""
    stamp = read(docs)
    if stamp is None or not stamp.pages:
        return {}
    try:
        now = docs_state(docs)
    except OSError:
        return {}
    then = stamp.docs
    return {path: key for path, key in stamp.pages.items() if path in now and now[path] == then.get(path)}


def write(
    docs: Path, key: str, report: str, papers: int, problems: bool, pages: Mapping[str, str] | None = None
) -> None:
    """Record this run (once its docs are in place), with the key of each paper page's inputs
    (`pages`); a failure to record only costs the next run its shortcuts."""
    state = {
        "version": VERSION,
        "key": key,
        "report": report,
        "papers": papers,
        "problems": problems,
        "docs": docs_state(docs),
        "pages": dict(pages or {}),
    }
    tmp = docs / (STAMP + ".tmp")
    try:
        tmp.write_text(json.dumps(state, separators=(",", ":")) + "\n", encoding="utf-8")
        os.replace(tmp, docs / STAMP)
    except OSError:
        tmp.unlink(missing_ok=True)
