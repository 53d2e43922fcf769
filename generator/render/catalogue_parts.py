"""The catalogue export in parts, for programs (issue 19): `catalogue.json` is one file, 220 MB at
100,000 papers; `catalogue/` holds the same records so that a client fetches one paper or one
topic without the rest:

- `catalogue/index.json`: the counts, the areas, the listings, the excluded records, every topic
  (with its file and count), and every part of the papers (its file and count);
- `catalogue/papers/<key>.jsonl`: the papers whose `part_key` is `<key>` (the first two hex
  digits of the SHA-256 of the slug: at most 256 parts of even size, about 400 papers each at
  100,000, where slug prefixes would be very uneven), one JSON record per line, by slug, the
  same records as `catalogue.json`'s `papers`;
- `catalogue/topics/<slug>.json`: one topic as `catalogue.json` gives it (with its papers' slugs).

To fetch a paper by slug: `catalogue/papers/{part_key(slug)}.jsonl`, then the line whose `slug`
is it. Pure: from the record `catalogue.json` is made of, to (path, text) pairs.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

FOLDER = "catalogue"
FORMAT = 1


def part_key(slug: str) -> str:
    """Which part holds a paper: the first two hex digits of the SHA-256 of its slug (UTF-8)."""
    return hashlib.sha256(slug.encode("utf-8")).hexdigest()[:2]


def paper_part_path(key: str) -> str:
    return f"{FOLDER}/papers/{key}.jsonl"


def topic_path(slug: str) -> str:
    return f"{FOLDER}/topics/{slug}.json"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def render_parts(doc: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(docs-relative path, text) of every file of `catalogue/`, from `doc`, what `catalogue.json`
    holds (papers, topics, areas, listings, excluded)."""
    parts: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for paper in doc["papers"]:
        parts[part_key(paper["slug"])].append(paper)
    for key, papers in sorted(parts.items()):
        lines = [_compact(p) for p in sorted(papers, key=lambda p: p["slug"])]
        yield paper_part_path(key), "\n".join(lines) + "\n"
    for topic in doc["topics"]:
        yield topic_path(topic["slug"]), _compact(topic) + "\n"
    index = {
        "format": FORMAT,
        "papers": len(doc["papers"]),
        "paper_part": "papers/<first two hex digits of the SHA-256 of the slug>.jsonl, one paper per line, by slug",
        "paper_parts": [
            {"key": key, "file": paper_part_path(key), "papers": len(papers)} for key, papers in sorted(parts.items())
        ],
        "topics": [
            {
                "slug": t["slug"],
                "name": t["name"],
                "area": t["area"],
                "papers": len(t["papers"]),
                "file": topic_path(t["slug"]),
            }
            for t in doc["topics"]
        ],
        "areas": doc["areas"],
        "listings": doc["listings"],
        "excluded": doc["excluded"],
    }
    yield f"{FOLDER}/index.json", json.dumps(index, ensure_ascii=False, indent=1) + "\n"
