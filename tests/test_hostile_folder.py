"""The sources folder as curators fill it: every file in it is read or reported, never a crash."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.inputs import dumps_folder
from generator.models import Severity

from .conftest import DATA

DUMP = next((DATA / "sources").glob("003_*.txt"))


def test_every_top_level_file_is_read_or_reported(tmp_path: Path) -> None:
    shutil.copy2(DUMP, tmp_path / DUMP.name)
    (tmp_path / "notes.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    records, problems, names = dumps_folder.read_sources(tmp_path)
    assert names == sorted([DUMP.name, "notes.md", "empty.txt"])
    assert {r.file for r in records} == {DUMP.name}
    assert {p.file for p in problems if p.severity is Severity.ERROR} == {"notes.md", "empty.txt"}


def test_a_dump_in_a_subfolder_is_read_or_reported(tmp_path: Path) -> None:
    (tmp_path / "2025").mkdir()
    shutil.copy2(DUMP, tmp_path / "2025" / DUMP.name)
    records, problems, _ = dumps_folder.read_sources(tmp_path)
    assert records or any("2025" in p.file or "2025" in p.message for p in problems)


def test_an_unreadable_dump_is_reported_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy2(DUMP, tmp_path / DUMP.name)
    (tmp_path / "locked.txt").write_text("x", encoding="utf-8")
    real = os.open

    def locked_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *args)

    monkeypatch.setattr(os, "open", locked_open)
    records, problems, _ = dumps_folder.read_sources(tmp_path)
    locked = [p for p in problems if p.file == "locked.txt"]
    assert records and [p.severity for p in locked] == [Severity.ERROR]
    assert "Permission denied" in locked[0].message
