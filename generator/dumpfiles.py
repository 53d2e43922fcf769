"""Read the dumps folder: every `*.txt` dump, decoded and parsed (sources.py), with a problem
naming the file for anything that could not be read."""

from __future__ import annotations

from pathlib import Path

from . import sources
from .config import ConfigError
from .models import Problem, Record, Severity


def read_sources(folder: Path) -> tuple[list[Record], list[Problem], list[str]]:
    """Every `*.txt` dump in `folder`: records, problems, and the names of files read."""
    if not folder.is_dir():
        raise ConfigError([Problem(str(folder), None, "sources folder not found", Severity.ERROR)])
    records: list[Record] = []
    problems: list[Problem] = []
    names: list[str] = []
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        names.append(path.name)
        if path.is_dir():
            msg = "a folder among the dumps: its files are not read; put dumps directly in the sources folder"
            problems.append(Problem(path.name + "/", None, msg, Severity.ERROR))
            continue
        if path.suffix.lower() != ".txt":
            problems.append(Problem(path.name, None, "not a .txt dump: skipped", Severity.ERROR))
            continue
        try:
            data = path.read_bytes()
        except OSError as err:
            problems.append(Problem(path.name, None, f"cannot be read ({err.strerror or err}): skipped", Severity.ERROR))
            continue
        text, decode_problems = sources.decode_dump(path.name, data)
        problems += decode_problems
        if text is None:
            continue
        found, parse_problems = sources.parse_dump(path.name, text)
        records += found
        problems += parse_problems
    return records, problems, names
