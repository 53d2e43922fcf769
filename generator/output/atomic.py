"""Replace a file so that a reader (or the next run) sees either the old bytes or the new ones,
never an empty or half-written file: write a temporary file beside it, flush it to disk, rename
it over the target, then flush the folder entry.

`prepare` does the part that can fail (writing, a full disk) without touching the target;
`Pending.commit` is the rename. The build prepares the URL ledger before it swaps the new site
in and commits it right after, so a failure leaves both the old site and the old ledger.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pending:
    """New bytes for `target`, written and flushed to a temporary file beside it."""

    target: Path
    temporary: Path

    def commit(self) -> None:
        """Rename the new bytes over the target (atomic on one file system)."""
        os.replace(self.temporary, self.target)
        _sync_folder(self.target.parent)

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.temporary.unlink()


def prepare(target: Path, data: bytes) -> Pending:
    """Write `data` to a temporary file beside `target` and flush it; the target is unchanged.
    Raises OSError (and leaves no temporary file) when the bytes cannot be written."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):  # keep the target's permissions (mkstemp makes it 0600)
            os.chmod(temporary, target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~umask())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return Pending(target, temporary)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened and synced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def umask() -> int:
    """The process's file mode creation mask."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
