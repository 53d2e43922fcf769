"""The reader's navigation: topics grouped under their area (render/listings.py writes it,
site/navigation.py gives it to MkDocs), checked as data and in the built site."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator import urls
from generator.site.navigation import nav_override


def _docs(tmp_path: Path, nav: object, pages: list[str]) -> Path:
    for page in pages:
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("# x\n", encoding="utf-8")
    (tmp_path / urls.NAVIGATION_FILE).write_text(json.dumps(nav), encoding="utf-8")
    return tmp_path


def test_the_generated_nav_is_used_without_pages_the_docs_folder_lacks(tmp_path: Path) -> None:
    nav = [{"Home": "index.md"}, {"About": "about.md"}, {"Area": [{"All": "areas/a.md"}, {"T": "topics/t.md"}]}]
    docs = _docs(tmp_path, nav, ["index.md", "areas/a.md", "topics/t.md"])
    assert nav_override(None, docs) == {"nav": [{"Home": "index.md"}, nav[2]]}


def test_a_config_nav_wins_and_no_file_means_no_override(tmp_path: Path) -> None:
    docs = _docs(tmp_path, [{"Home": "index.md"}], ["index.md"])
    assert nav_override([{"Mine": "index.md"}], docs) == {}
    assert nav_override(None, tmp_path / "elsewhere") == {}


def test_a_broken_navigation_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / urls.NAVIGATION_FILE).write_text('{"not": "a list"', encoding="utf-8")
    with pytest.raises(ValueError, match="not a navigation"):
        nav_override(None, tmp_path)
    (tmp_path / urls.NAVIGATION_FILE).write_text('[["a", "b"]]', encoding="utf-8")
    with pytest.raises(ValueError, match="generate"):
        nav_override(None, tmp_path)


def _nav_sections(html: str) -> dict[str, list[str]]:
    """Section title -> the link texts under it, in Material's primary navigation."""
    nav = html[html.index("md-nav--primary") :]
    sections: dict[str, list[str]] = {}
    current = ""
    for m in re.finditer(r'<(a|label)[^>]*class="md-nav__link[^"]*"[^>]*>(.*?)</(?:a|label)>', nav, re.S):
        text = re.sub(r"<[^>]+>|\s+", " ", m.group(2)).strip()
        if m.group(1) == "label":
            current = text
            sections.setdefault(current, [])
        elif text:
            sections.setdefault(current, []).append(text)
    return sections


@pytest.mark.slow
def test_the_built_site_groups_topics_under_their_area(bundled_site: Path) -> None:
    site = bundled_site / "site"
    catalogue: dict[str, Any] = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    topics = {t["slug"]: t["name"] for t in catalogue["topics"]}
    # A page outside the navigation: no entry of its own (with its table of contents) is open in it.
    sections = _nav_sections((site / "a-z" / "index.html").read_text(encoding="utf-8"))
    for area in catalogue["areas"]:
        assert sections[area["name"]] == [f"All of {area['name']}", *(topics[t] for t in area["topics"])]
    assert "Topics" not in sections and "Papers" not in sections
    assert not (site / urls.NAVIGATION_FILE).exists()  # a dot-file: MkDocs does not publish it
