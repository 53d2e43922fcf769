"""The one writer: puts generated files into the docs folder, touching only what changed.

It records what it generated in a manifest, so a later run deletes only its own stale files
(never a hand-written page), and it refuses two outputs for one path.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MANIFEST = ".generated.json"


class WriteError(Exception):
    """The outputs cannot be written as asked (collision, or a hand-written file in the way)."""


@dataclass(frozen=True)
class WriteStats:
    """What a write did."""

    written: int
    unchanged: int
    removed: int


def collect(outputs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Path -> text, refusing a path produced twice (a slug collision that survived is a bug)."""
    out: dict[str, str] = {}
    for path, text in outputs:
        if path in out:
            raise WriteError(f"two generated files for one path: {path}")
        out[path] = text
    return out


def _read_manifest(docs: Path) -> set[str]:
    try:
        return set(json.loads((docs / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def write_outputs(docs: Path, files: dict[str, str]) -> WriteStats:
    """Write `files` under `docs`: changed bytes only; remove files this writer made before and no longer makes."""
    previous = _read_manifest(docs)
    for rel in files:
        target = docs / rel
        if rel not in previous and target.exists() and target.read_bytes() != files[rel].encode("utf-8"):
            raise WriteError(f"{target} exists and was not generated: move it away or delete it")
    written = unchanged = 0
    for rel, text in sorted(files.items()):
        data = text.encode("utf-8")
        target = docs / rel
        if target.exists() and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written += 1
    removed = 0
    for rel in sorted(previous - files.keys()):
        target = docs / rel
        if target.is_file():
            target.unlink()
            removed += 1
            _prune_empty_dirs(target.parent, docs)
    manifest = json.dumps(sorted(files), indent=0) + "\n"
    if not (docs / MANIFEST).exists() or (docs / MANIFEST).read_text(encoding="utf-8") != manifest:
        (docs / MANIFEST).write_text(manifest, encoding="utf-8")
    log.debug("wrote %d, unchanged %d, removed %d", written, unchanged, removed)
    return WriteStats(written, unchanged, removed)


def _prune_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
