"""Read an input file safely: only a regular file (a symlink to one is fine), never more than a
cap. A named pipe, a device or a socket is refused without being read (a FIFO would hang the
run, `/dev/zero` would fill memory); a file over the cap is refused after reading at most the
cap and one byte more."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TooLarge:
    """The file holds more than the cap."""

    cap: int


def read_regular(path: Path, cap: int) -> bytes | TooLarge | str:
    """The bytes of `path`; TooLarge; or why it was not read (its kind, or the OS error).
    FileNotFoundError is raised, so that a caller can treat a missing file as it needs."""
    try:
        info = os.stat(path)  # follows a symlink: its target must be a regular file
        if not stat.S_ISREG(info.st_mode):
            return _not_regular(info.st_mode)
        if info.st_size > cap:
            return TooLarge(cap)
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening it cannot wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return _not_regular(os.fstat(fd).st_mode)
            data = _read_at_most(fd, cap + 1)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise
    except OSError as err:
        return f"cannot be read ({err.strerror or err})"
    return TooLarge(cap) if len(data) > cap else data


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "a special file")
    return f"not a regular file ({kind})"
