"""The one writer: puts generated files into the docs folder, touching only what changed.

It records what it generated in a manifest, so a later run deletes only its own stale files
(never a hand-written page), and it refuses two outputs for one path.

A write is a small transaction, so a failure never leaves a half-written docs folder:
`stage_outputs` checks every path and writes the changed files into a hidden work folder
inside the docs folder (MkDocs skips dot-folders); `Staged.apply` moves them into place,
keeping what they replace aside; `Staged.commit` drops the kept files, `Staged.rollback` puts
them back (the build does that when MkDocs then fails). The manifest claims the union of old
and new paths while files move, so even a killed run is cleaned up by the next one.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator import forking
from generator.models import FileContent

log = logging.getLogger(__name__)

MANIFEST = ".generated.json"
_WORK_PREFIX = ".generator-write-"


class WriteError(Exception):
    """The outputs cannot be written as asked (collision, a hand-written file in the way, a disk error)."""


@dataclass(frozen=True)
class WriteStats:
    """What a write did."""

    written: int
    unchanged: int
    removed: int


def _read_manifest(docs: Path) -> set[str]:
    try:
        return {p for p in json.loads((docs / MANIFEST).read_text(encoding="utf-8")) if _is_safe(p)}
    except (OSError, ValueError, TypeError):
        return set()


def _is_safe(rel: object) -> bool:
    """A relative POSIX path inside the docs folder, neither the manifest nor in a work folder."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\x00" in rel or rel.endswith("/"):
        return False
    path = PurePosixPath(rel)
    if path.is_absolute() or any(p in ("", ".", "..") for p in rel.split("/")):
        return False
    return rel != MANIFEST and not path.parts[0].startswith(_WORK_PREFIX)


@dataclass
class Staged:
    """Changed files written aside, ready to move into the docs folder."""

    docs: Path
    files: set[str]
    """Every path generated this run (written or unchanged)."""
    changed: list[str]
    stale: list[str]
    previous: set[str]
    work: Path
    unchanged: int
    _moves: list[tuple[str, bool]] = field(default_factory=list)
    """(path, whether the old file was kept aside), in the order applied."""
    _made_dirs: list[Path] = field(default_factory=list)
    _known_dirs: set[str] = field(default_factory=set)
    """Folders of the docs folder known to exist (checked or made once)."""
    _manifest_old: bytes | None = None
    _manifest_read: bool = False
    _done: bool = False

    def apply(self) -> WriteStats:
        """Move the staged files into place and remove stale ones; on any failure put everything back."""
        try:
            self._manifest_old = _read_bytes(self.docs / MANIFEST)
            self._manifest_read = True
            # While files move, the manifest claims old and new paths: a killed run is then
            # cleaned up by the next one instead of stopping on "not generated" files.
            self._write_manifest(self.previous | self.files)
            for rel in self.changed:
                self._place(rel)
            for rel in self.stale:
                self._set_aside(rel)
            self._write_manifest(self.files)
        except OSError as err:
            self.rollback()
            raise WriteError(f"writing {self.docs} failed, previous files restored: {err}") from err
        log.debug("wrote %d, unchanged %d, removed %d", len(self.changed), self.unchanged, len(self.stale))
        return WriteStats(len(self.changed), self.unchanged, len(self.stale))

    def commit(self) -> None:
        """Keep what `apply` did: drop the old files kept aside."""
        if self._done:
            return
        self._done = True
        for rel in self.stale:
            _prune_empty_dirs((self.docs / rel).parent, self.docs)
        shutil.rmtree(self.work, ignore_errors=True)

    def rollback(self) -> None:
        """Undo `apply` (as far as it went) and drop the staged files: the docs folder is as before."""
        if self._done:
            return
        self._done = True
        backup = self.work / "old"
        for rel, kept in reversed(self._moves):
            target = self.docs / rel
            try:
                if kept:
                    os.replace(backup / rel, target)
                elif target.is_file():
                    target.unlink()
            except OSError as err:  # keep going: restore as much as possible
                log.error("could not restore %s: %s", target, err)
        for folder in reversed(self._made_dirs):
            _prune_empty_dirs(folder, self.docs)
        try:
            if self._manifest_read:
                _restore_bytes(self.docs / MANIFEST, self._manifest_old)
        except OSError as err:
            log.error("could not restore %s: %s", self.docs / MANIFEST, err)
        shutil.rmtree(self.work, ignore_errors=True)

    def _place(self, rel: str) -> None:
        # Plain strings, not pathlib: this runs once per changed file (100,000 on a first build).
        target = os.path.join(self.docs, rel)
        folder = os.path.dirname(target)
        if folder not in self._known_dirs:
            self._make_parents(Path(folder))
            self._known_dirs.add(folder)
        kept = os.path.lexists(target)
        if kept:
            (self.work / "old" / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, self.work / "old" / rel)
        self._moves.append((rel, kept))
        os.replace(os.path.join(self.work, "new", rel), target)

    def _set_aside(self, rel: str) -> None:
        target = self.docs / rel
        (self.work / "old" / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(target, self.work / "old" / rel)
        self._moves.append((rel, True))

    def _make_parents(self, folder: Path) -> None:
        missing = []
        while not folder.is_dir():
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            made.mkdir()
            self._made_dirs.append(made)

    def _write_manifest(self, paths: set[str]) -> None:
        data = (json.dumps(sorted(paths), indent=0) + "\n").encode("utf-8")
        if _read_bytes(self.docs / MANIFEST) != data:
            _replace_bytes(self.docs / MANIFEST, data)


Outputs = Mapping[str, FileContent] | Iterable[tuple[str, FileContent]]
"""Path -> content, as a mapping or as pairs made one at a time (a renderer that yields pages)."""


def stage_outputs(docs: Path, files: Outputs) -> Staged:
    """Check every output path and write the changed files aside (nothing in the docs folder
    changes). Pairs are consumed one at a time, so only one page's text is held at once."""
    previous = _read_manifest(docs)
    try:
        docs.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(docs)
        work = Path(tempfile.mkdtemp(prefix=_WORK_PREFIX, dir=docs))
    except OSError as err:
        raise WriteError(f"cannot prepare writing {docs}: {err}") from err
    staged = Staged(docs, set(), [], [], previous, work, 0)
    try:
        _stage_all(staged, files.items() if isinstance(files, Mapping) else files)
    except OSError as err:
        staged.rollback()
        raise WriteError(f"writing {docs} failed before any file changed: {err}") from err
    except BaseException:
        staged.rollback()
        raise
    return staged


DRAWN_MIN = 64
"""From this many files made on demand, worker processes make them (forking.ordered_map)."""


def _stage_all(staged: Staged, pairs: Iterable[tuple[str, FileContent]]) -> None:
    docs, checked = staged.docs, {str(staged.docs)}
    made: set[str] = set()
    later: list[tuple[str, Callable[[], bytes]]] = []
    for rel, text in pairs:
        if not _is_safe(rel):
            raise WriteError(f"refusing to write outside the docs folder or into a hidden path: {rel!r}")
        if rel in staged.files:
            raise WriteError(f"two generated files for one path: {rel}")
        staged.files.add(rel)
        target = os.path.join(docs, rel)
        folder = os.path.dirname(target)
        if folder not in checked:
            _check_folders(docs, rel, Path(folder), checked)
        if callable(text):
            if rel in staged.previous and os.path.isfile(target):
                staged.unchanged += 1  # named by its content: the file there is this one
                continue
            later.append((rel, text))
            continue
        _stage_one(staged, rel, text, made)
    # What the docs folder lacks of the files made on demand (preview cards, mostly: about 20 ms
    # each, 5,000 of them in a first build of 5,000 papers), made on every core.
    contents = forking.ordered_map(_made, [make for _, make in later], min_items=DRAWN_MIN)
    for (rel, _), text in zip(later, contents, strict=True):
        _stage_one(staged, rel, text, made)
    staged.stale = sorted(rel for rel in staged.previous - staged.files if (docs / rel).is_file())


def _made(make: Callable[[], bytes]) -> bytes:
    return make()


def _stage_one(staged: Staged, rel: str, text: str | bytes, made: set[str]) -> None:
    """Write one file aside when it differs from the one in the docs folder."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    target = os.path.join(staged.docs, rel)
    found = _compare(target, data)
    if found is _SAME:
        staged.unchanged += 1
        return
    if found is not _MISSING and rel not in staged.previous:
        raise WriteError(f"{target} exists and was not generated: move it away or delete it")
    staged.changed.append(rel)
    path = os.path.join(staged.work, "new", rel)
    folder = os.path.dirname(path)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    _write_file(path, data)


def _write_file(path: str, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


_SAME, _DIFFERENT, _MISSING = object(), object(), object()


def _compare(target: str, data: bytes) -> object:
    """Whether `target` holds exactly `data` (_SAME), something else (_DIFFERENT) or nothing
    (_MISSING); sizes are compared before any read."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return _MISSING
    if stat.S_ISDIR(st.st_mode):
        raise WriteError(f"{target} is a folder, but a generated file goes there: move it away")
    if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
        return _DIFFERENT
    with open(target, "rb") as fh:
        return _SAME if fh.read() == data else _DIFFERENT


def _check_folders(docs: Path, rel: str, folder: Path, checked: set[str]) -> None:
    """Every folder above `rel` is a folder or missing (each folder checked once per run)."""
    while str(folder) not in checked:
        if folder.exists() and not folder.is_dir():
            raise WriteError(f"{folder} is a file, but {rel} needs it to be a folder: move it away")
        checked.add(str(folder))
        folder = folder.parent


def _remove_leftovers(docs: Path) -> None:
    """Work folders of a run that was killed: the manifest already claims what they held."""
    for old in docs.glob(_WORK_PREFIX + "*"):
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def write_outputs(docs: Path, files: Outputs) -> WriteStats:
    """Write `files` under `docs`: changed bytes only; remove files this writer made before and no longer makes."""
    staged = stage_outputs(docs, files)
    stats = staged.apply()
    staged.commit()
    return stats


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _restore_bytes(path: Path, data: bytes | None) -> None:
    if data is None:
        path.unlink(missing_ok=True)
    elif _read_bytes(path) != data:
        _replace_bytes(path, data)


def _replace_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        _write_file(str(tmp), data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _prune_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
