"""The catalogue export in parts (render/catalogue_parts.py, issue 19): a program fetches one
paper or one topic of the built site without `catalogue.json`, and finds the same records."""

from __future__ import annotations

import json
from pathlib import Path

from generator.render.catalogue_parts import part_key, render_parts


def test_a_paper_is_in_the_part_named_by_the_first_two_characters_of_its_slug() -> None:
    assert part_key("arraybot-reinforcement-learning") == "ar"
    assert part_key("x") == "x-"
    doc = {
        "papers": [{"slug": s, "title": s} for s in ("bb", "ab-2", "ab-1", "c")],
        "topics": [{"slug": "t", "name": "T", "area": "a", "papers": ["ab-1", "c"]}],
        "areas": [],
        "listings": [],
        "excluded": [],
    }
    files = dict(render_parts(doc))
    assert files["catalogue/papers/ab.jsonl"].splitlines() == [
        '{"slug":"ab-1","title":"ab-1"}',
        '{"slug":"ab-2","title":"ab-2"}',
    ]
    assert set(files) == {
        "catalogue/papers/ab.jsonl",
        "catalogue/papers/bb.jsonl",
        "catalogue/papers/c-.jsonl",
        "catalogue/topics/t.json",
        "catalogue/index.json",
    }
    index = json.loads(files["catalogue/index.json"])
    assert index["papers"] == 4 and [p["papers"] for p in index["paper_parts"]] == [2, 1, 1]
    assert index["topics"] == [{"slug": "t", "name": "T", "area": "a", "papers": 2, "file": "catalogue/topics/t.json"}]


def test_the_built_site_serves_every_paper_and_topic_in_parts(bundled_site: Path) -> None:
    site = bundled_site / "site"
    whole = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    index = json.loads((site / "catalogue" / "index.json").read_text(encoding="utf-8"))
    assert index["papers"] == len(whole["papers"])
    assert index["areas"] == whole["areas"] and index["listings"] == whole["listings"]
    for paper in whole["papers"]:
        part = site / "catalogue" / "papers" / f"{part_key(paper['slug'])}.jsonl"
        lines = [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines()]
        assert [p for p in lines if p["slug"] == paper["slug"]] == [paper]
    assert sum(p["papers"] for p in index["paper_parts"]) == len(whole["papers"])
    for topic in whole["topics"]:
        assert json.loads((site / "catalogue" / "topics" / f"{topic['slug']}.json").read_text("utf-8")) == topic
