"""The catalogue export in parts (render/catalogue_parts.py, issue 19): a program fetches one
paper or one topic of the built site without `catalogue.json`, and finds the same records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.render.catalogue_parts import part_key, render_parts


def test_a_paper_is_in_the_part_named_by_the_hash_of_its_slug() -> None:
    assert part_key("arraybot") == hashlib.sha256(b"arraybot").hexdigest()[:2]
    slugs = [s for s in (f"paper-{i}" for i in range(2000)) if part_key(s) == "3f"][:2]
    doc = {
        "papers": [{"slug": s, "title": s} for s in (*reversed(slugs), "bb", "c")],
        "topics": [{"slug": "t", "name": "T", "area": "a", "papers": ["ab-1", "c"]}],
        "areas": [],
        "listings": [],
        "excluded": [],
    }
    files = dict(render_parts(doc))
    assert len(slugs) == 2
    expected = [json.dumps({"slug": s, "title": s}, separators=(",", ":")) for s in sorted(slugs)]
    assert files["catalogue/papers/3f.jsonl"].splitlines() == expected
    assert set(files) == {
        "catalogue/papers/3f.jsonl",
        f"catalogue/papers/{part_key('bb')}.jsonl",
        f"catalogue/papers/{part_key('c')}.jsonl",
        "catalogue/topics/t.json",
        "catalogue/index.json",
    }
    index = json.loads(files["catalogue/index.json"])
    assert index["papers"] == 4 and sorted(p["papers"] for p in index["paper_parts"]) == [1, 1, 2]
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
