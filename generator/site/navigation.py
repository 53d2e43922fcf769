"""The navigation MkDocs renders: the generator's (topics grouped by area, `.navigation.json` in
the docs folder, written by render/listings.py) unless `mkdocs.yml` sets its own `nav:`.

`mkdocs.yml` stays plain (no generated `nav:` in it), so plain `mkdocs serve` still works, with
MkDocs' navigation from the folders; `python -m generator build` and `serve`, and the build
benchmark, pass the grouped one as a `load_config` override. Entries naming a page the docs
folder lacks (a hand-written page a curator removed) are left out, so the strict build does not
fail on them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator import urls


def _existing(entries: list[Any], docs: Path) -> list[Any]:
    out: list[Any] = []
    for entry in entries:
        ((title, target),) = entry.items()
        if isinstance(target, list):
            kept = _existing(target, docs)
            if kept:
                out.append({title: kept})
        elif (docs / target).is_file():
            out.append(entry)
    return out


def nav_override(config_nav: object, docs: Path) -> dict[str, Any]:
    """`{"nav": [...]}` for `load_config`, or `{}` when the config has a `nav:` of its own or the
    docs folder holds no generated navigation. Raises ValueError when the file is not a nav."""
    path = Path(docs) / urls.NAVIGATION_FILE
    if config_nav is not None or not path.is_file():
        return {}
    try:
        nav = json.loads(path.read_text(encoding="utf-8"))
        return {"nav": _existing(nav, Path(docs))}
    except (ValueError, TypeError, AttributeError) as err:
        raise ValueError(f"{path}: not a navigation ({err}); run `python -m generator generate` again") from None
