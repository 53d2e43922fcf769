"""Golden output: `generate` over a small fixture catalogue gives exactly the committed docs tree
(`tests/golden/small/docs/`), and over the bundled catalogue exactly the committed checksums
(`tests/golden/bundled.sha256`). A change to what the generator writes shows here as a diff.

Refresh both after a change meant to alter the output, then read the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.output import run_stamp

from .conftest import DATA, copy_data

GOLDEN = Path(__file__).parent / "golden"
SMALL = GOLDEN / "small"
BUNDLED_SUMS = GOLDEN / "bundled.sha256"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _generate(data: Path, docs: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Every file `generate` writes into an empty docs folder (relative path -> bytes), but the
    run's own record (output/run_stamp.py: modification times, tested in test_incremental.py)."""
    monkeypatch.delenv("SITE_URL", raising=False)
    assert cli.main(["generate", "--data", str(data), "--docs", str(docs)]) == 0
    files = sorted(p for p in docs.rglob("*") if p.is_file() and p.name != run_stamp.STAMP)
    return {p.relative_to(docs).as_posix(): _body(p) for p in files}


def _body(path: Path) -> bytes:
    """A file's bytes; a preview card's are a marker: its name is a hash of what it shows, and
    tests/test_cards.py checks the images themselves (their bytes follow Pillow's version)."""
    return b"preview card\n" if path.parent.name == "cards" and path.suffix == ".png" else path.read_bytes()


def test_the_small_catalogue_generates_the_golden_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(SMALL / "data", data)
    files = _generate(data, tmp_path / "docs", monkeypatch)
    expected_dir = SMALL / "docs"
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, body in files.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_bytes(body)
    expected = {p.relative_to(expected_dir).as_posix(): p.read_bytes() for p in expected_dir.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(expected)
    changed = [rel for rel in files if files[rel] != expected[rel]]
    assert not changed, f"generated files differ from tests/golden/small/docs: {changed[:10]}"
    # The fixture's own ledger grows by the new slugs; the committed one never changes.
    assert (SMALL / "data" / "published.json").read_bytes() != (data / "published.json").read_bytes()


def test_the_bundled_catalogue_generates_the_golden_checksums(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = copy_data(tmp_path / "data")
    files = _generate(data, tmp_path / "docs", monkeypatch)
    sums = "".join(f"{hashlib.sha256(body).hexdigest()}  {rel}\n" for rel, body in sorted(files.items()))
    if UPDATE:
        BUNDLED_SUMS.write_text(sums, encoding="utf-8")
    expected = BUNDLED_SUMS.read_text(encoding="utf-8")
    if sums != expected:
        want = dict(line.split("  ", 1)[::-1] for line in expected.splitlines())
        got = dict(line.split("  ", 1)[::-1] for line in sums.splitlines())
        differ = sorted(k for k in want.keys() | got.keys() if want.get(k) != got.get(k))
        pytest.fail(f"{len(differ)} generated files differ from tests/golden/bundled.sha256: {differ[:10]}")
    assert (data / "published.json").read_bytes() == (DATA / "published.json").read_bytes()
