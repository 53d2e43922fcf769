"""Read the dumps folder: every `*.txt` dump, decoded and parsed (dump_parse.py), with a problem
naming the file for anything that could not be read.

Only regular files are read (a symlink to one is fine): a named pipe, a device or a socket is
reported without being opened for long, so a FIFO cannot hang the run and `/dev/zero` cannot fill
memory. A dump larger than `MAX_DUMP_BYTES` is reported and skipped; at most that many bytes and
one more are ever read from a file. Hidden files are not read but reported: a hidden `.txt` file
as a warning (likely a dump saved under the wrong name), other hidden files (`.DS_Store`) as a note.
"""

from __future__ import annotations

from pathlib import Path

from generator.inputs import dump_parse, safe_read
from generator.models import ConfigError, Problem, Record, Severity

MAX_DUMP_BYTES = 64 * 1024 * 1024
"""Largest dump read (the real ones are a few hundred KB): a larger file is reported and skipped."""
HIDDEN_DUMP = "hidden file: not read; rename it without the leading dot to read it"
HIDDEN_JUNK = "hidden file: not read (not a dump)"


def read_sources(folder: Path) -> tuple[list[Record], list[Problem], list[str]]:
    """Every `*.txt` dump in `folder`: records, problems, and the names of the files looked at
    (hidden files other than `*.txt` are left out)."""
    if not folder.is_dir():
        raise ConfigError([Problem(str(folder), None, "sources folder not found", Severity.ERROR)])
    records: list[Record] = []
    problems: list[Problem] = []
    names: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            problems += _hidden(path, names)
            continue
        names.append(path.name)
        found, file_problems = _read_one(path)
        records += found
        problems += file_problems
    return records, problems, names


def _hidden(path: Path, names: list[str]) -> list[Problem]:
    if path.suffix.lower() == ".txt" and not path.name.startswith("._") and not path.is_dir():
        names.append(path.name)
        return [Problem(path.name, None, HIDDEN_DUMP, Severity.WARNING)]
    return [Problem(path.name, None, HIDDEN_JUNK, Severity.INFO)]


def _read_one(path: Path) -> tuple[list[Record], list[Problem]]:
    """Records and problems of one entry of the sources folder."""
    if path.is_dir():
        msg = "a folder among the dumps: its files are not read; put dumps directly in the sources folder"
        return [], [Problem(path.name + "/", None, msg, Severity.ERROR)]
    if path.suffix.lower() != ".txt":
        return [], [Problem(path.name, None, "not a .txt dump: skipped", Severity.ERROR)]
    data = read_dump_bytes(path)
    if isinstance(data, str):
        return [], [Problem(path.name, None, data, Severity.ERROR)]
    text, problems = dump_parse.decode_dump(path.name, data)
    if text is None:
        return [], problems
    found, parse_problems = dump_parse.parse_dump(path.name, text)
    return found, problems + parse_problems


def read_dump_bytes(path: Path) -> bytes | str:
    """The bytes of a regular file of at most MAX_DUMP_BYTES, or why it was not read."""
    try:
        data = safe_read.read_regular(path, MAX_DUMP_BYTES)
    except FileNotFoundError:  # gone since the folder was listed, or a dangling symlink
        return "cannot be read (no such file): skipped"
    if isinstance(data, safe_read.TooLarge):
        return _too_large()
    return f"{data}: skipped; only plain text files are read as dumps" if isinstance(data, str) else data


def _too_large() -> str:
    mib = 1024 * 1024
    cap = f"{MAX_DUMP_BYTES // mib} MiB" if mib <= MAX_DUMP_BYTES else f"{MAX_DUMP_BYTES} bytes"
    return f"larger than {cap}, too large for a listing dump: skipped"
