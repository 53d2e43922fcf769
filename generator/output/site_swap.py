"""The built site goes into a new hidden folder beside the site folder and is swapped in whole:
MkDocs --strict aborts after writing pages, so it never builds in place, and a failed build
leaves the previous site as it was. The old site (checked to be one a build made, folders.py)
is removed only once the new one is in place."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from generator.output import atomic
from generator.output.folders import SITE_MARK, SITE_MARK_TEXT


def fresh_folder(site: Path) -> Path:
    """A new empty hidden folder beside `site`, after removing the hidden folders a killed run
    left there. Raises OSError."""
    site.parent.mkdir(parents=True, exist_ok=True)
    for prefix in (f".{site.name}.new-", f".{site.name}.old-"):
        for leftover in site.parent.glob(f"{prefix}*"):
            shutil.rmtree(leftover, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))


def mark(built: Path) -> None:
    """Mark a folder as a site a build made: the next build may replace it."""
    (built / SITE_MARK).write_text(SITE_MARK_TEXT, encoding="utf-8")


def swap_in(fresh: Path, site: Path) -> None:
    """Put the folder `fresh` where `site` is, keeping the old folder's permissions."""
    if site.exists() and not site.is_dir():
        raise OSError(f"{site} exists and is not a folder")
    fresh.chmod(stat.S_IMODE(site.stat().st_mode) if site.is_dir() else 0o777 & ~atomic.umask())
    if not site.exists():
        os.rename(fresh, site)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
    try:
        os.rename(site, aside / site.name)
        try:
            os.rename(fresh, site)
        except OSError:
            os.rename(aside / site.name, site)
            raise
    finally:
        shutil.rmtree(aside, ignore_errors=True)
