"""Output folders checked before anything is written.

The site folder is replaced whole by each build and the docs folder receives generated pages,
so a mistyped `--site .` or `--docs data` must be refused, not obeyed: an output folder may not
be, contain, or lie inside an input (the data folder, the dumps, the MkDocs config), may not be
or contain the repository or the working folder, and the two outputs may not overlap. An
existing site folder is replaced only if it is empty or a site this command built (it carries
`SITE_MARK`), so the swap never deletes what it did not create.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

SITE_MARK = ".catalogue-site"
"""A file every built site carries: a folder without it was not made by `build`."""
SITE_MARK_TEXT = "Built by `python -m generator build`; the next build replaces this whole folder.\n"
_LEGACY_SITE = ("catalogue.json", "404.html", "sitemap.xml")
"""What a site built before SITE_MARK existed holds at its root."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output(what: str, out: Path, inputs: Mapping[str, Path], keep: Mapping[str, Path]) -> list[str]:
    """Errors for an output folder `out` (`what`: "site", "docs"). `inputs`: folders and files it
    may neither be, contain, nor lie inside; `keep`: folders it may neither be nor contain (it may
    lie inside them, as `site/` lies inside the repository)."""
    target = out.resolve()
    errors = []
    for name, path in inputs.items():
        other = path.resolve()
        if _inside(other, target) or _inside(target, other):
            relation = "is" if other == target else "contains" if _inside(other, target) else "lies inside"
            errors.append(f"the {what} folder {out} {relation} the {name} {path}: choose a folder of its own")
    for name, path in keep.items():
        if _inside(path.resolve(), target):
            relation = "is" if path.resolve() == target else "contains"
            errors.append(f"the {what} folder {out} {relation} the {name} {path}: choose a folder of its own")
    if (target / ".git").exists():
        errors.append(f"the {what} folder {out} is a git repository: choose a folder of its own")
    return errors


def check_site_replaceable(site: Path) -> list[str]:
    """Errors unless `site` is missing, an empty folder, or a site `build` made."""
    if not site.exists() and not site.is_symlink():
        return []
    if site.is_symlink() or not site.is_dir():
        return [f"the site folder {site} exists and is not a folder: move it away"]
    names = {p.name for p in site.iterdir()}
    if not names or SITE_MARK in names or all(n in names for n in _LEGACY_SITE):
        return []
    return [
        f"the site folder {site} holds files that no build made (no {SITE_MARK} in it), and a build "
        "replaces the whole folder: choose an empty or new folder, or move its files away"
    ]
