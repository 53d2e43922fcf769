"""When the slugs of a ledger written before dates were first published: the commit date of the
first version of the ledger file, in git, that holds each slug. Local history only (no network);
outside a git work tree, or where git is missing, nothing is known and nothing is guessed."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from pathlib import Path

GIT_TIMEOUT = 60


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        proc = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc if proc.returncode == 0 else None


def first_published(ledger: Path, slugs: Iterable[str]) -> dict[str, str]:
    """Slug -> `YYYY-MM-DD` of the oldest commit whose version of `ledger` lists it, for the
    slugs git knows; one `git show` per commit that touched the file, oldest first, until every
    slug is dated."""
    wanted = set(slugs)
    folder = ledger.resolve().parent
    log = _git(folder, "log", "--reverse", "--format=%H %cs", "--", ledger.name) if wanted else None
    found: dict[str, str] = {}
    for line in log.stdout.splitlines() if log else ():
        commit, _, day = line.partition(" ")
        shown = _git(folder, "show", f"{commit}:./{ledger.name}")
        try:
            papers = json.loads(shown.stdout).get("papers", {}) if shown else {}
        except (ValueError, AttributeError):
            continue
        if not isinstance(papers, dict):
            continue
        for slug in wanted.intersection(papers):
            found[slug] = day
        wanted.difference_update(found)
        if not wanted:
            break
    return found
