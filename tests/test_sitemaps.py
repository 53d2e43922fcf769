"""Sitemaps past the URL limit become a sitemap index with parts (generator/site/sitemaps.py)."""

from __future__ import annotations

import gzip
import math
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.site.sitemaps import LIMIT, NS, parse_urls, split_site_sitemap, split_sitemap

SITE_URL = "https://example.org/catalogue/"


def _sitemap(n: int, lastmod: str | None = "2026-11-21") -> str:
    """A sitemap in the shape MkDocs writes."""
    stamp = f"\n         <lastmod>{lastmod}</lastmod>" if lastmod else ""
    urls = "".join(f"\n    <url>\n         <loc>{SITE_URL}papers/p{i}/</loc>{stamp}\n    </url>" for i in range(n))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">{urls}\n</urlset>'


def _index_locs(xml: str) -> list[str]:
    root = ET.fromstring(xml)
    assert root.tag == f"{{{NS}}}sitemapindex"
    return [node.findtext(f"{{{NS}}}loc") for node in root.iter(f"{{{NS}}}sitemap")]


def test_the_protocol_limit_is_50000() -> None:
    assert LIMIT == 50_000


@pytest.mark.parametrize("n", [0, 1, 3])
def test_at_or_under_the_limit_nothing_changes(n: int) -> None:
    assert split_sitemap(_sitemap(n), SITE_URL, limit=3) is None


def test_over_the_limit_parts_in_order_and_an_index_of_absolute_urls() -> None:
    original = parse_urls(_sitemap(7))
    files = split_sitemap(_sitemap(7), SITE_URL, limit=3)
    assert files is not None
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    parts = [parse_urls(files[f"sitemap-{i}.xml"]) for i in (1, 2, 3)]
    assert [len(p) for p in parts] == [3, 3, 1]
    assert [u for p in parts for u in p] == original  # every URL once, same order, lastmod kept
    assert _index_locs(files["sitemap.xml"]) == [f"{SITE_URL}sitemap-{i}.xml" for i in (1, 2, 3)]


def test_index_lastmod_is_each_parts_latest_and_site_url_without_slash_works() -> None:
    xml = _sitemap(2).replace("2026-11-21", "2026-01-01", 1)
    files = split_sitemap(xml, SITE_URL.rstrip("/"), limit=1)
    assert files is not None
    assert _index_locs(files["sitemap.xml"]) == [f"{SITE_URL}sitemap-1.xml", f"{SITE_URL}sitemap-2.xml"]
    assert re.findall(r"<lastmod>(.*?)</lastmod>", files["sitemap.xml"]) == ["2026-01-01", "2026-11-21"]
    nodate = split_sitemap(_sitemap(2, lastmod=None), SITE_URL, limit=1)
    assert nodate is not None and "lastmod" not in nodate["sitemap.xml"]


def test_special_characters_in_urls_stay_escaped() -> None:
    xml = _sitemap(2).replace("papers/p0/", "papers/a&amp;b/")
    files = split_sitemap(xml, SITE_URL, limit=1)
    assert files is not None
    assert "a&amp;b" in files["sitemap-1.xml"]
    assert parse_urls(files["sitemap-1.xml"])[0].loc == f"{SITE_URL}papers/a&b/"


@pytest.mark.parametrize("site_url", ["", "/catalogue/", "example.org"])
def test_an_index_needs_an_absolute_site_url(site_url: str) -> None:
    with pytest.raises(ValueError, match="site_url"):
        split_sitemap(_sitemap(3), site_url, limit=1)


def test_not_a_sitemap_is_an_error() -> None:
    with pytest.raises(ValueError):
        split_sitemap("<html></html>", SITE_URL, limit=1)
    with pytest.raises(ValueError):
        split_sitemap("<urlset", SITE_URL, limit=1)


def _write_site(folder: Path, xml: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitemap.xml").write_text(xml, encoding="utf-8")
    with gzip.GzipFile(folder / "sitemap.xml.gz", "wb", mtime=1_700_000_000) as gz:
        gz.write(xml.encode("utf-8"))
    return folder


def _check_consistent(site: Path) -> None:
    for xml in site.glob("sitemap*.xml"):
        assert gzip.decompress((site / f"{xml.name}.gz").read_bytes()) == xml.read_bytes(), xml.name


def test_file_step_writes_parts_and_gz_and_removes_parts_of_an_earlier_split(tmp_path: Path) -> None:
    site = _write_site(tmp_path / "site", _sitemap(5))
    (site / "sitemap-9.xml").write_text("stale", encoding="utf-8")
    assert split_site_sitemap(site, SITE_URL, limit=2) == 3
    assert sorted(p.name for p in site.glob("sitemap*")) == sorted(
        [f"sitemap{s}.xml{z}" for s in ("", "-1", "-2", "-3") for z in ("", ".gz")]
    )
    _check_consistent(site)
    header = (site / "sitemap.xml.gz").read_bytes()[:8]
    assert int.from_bytes(header[4:8], "little") == 1_700_000_000  # the build's reproducible timestamp is kept


def test_file_step_leaves_a_small_sitemap_alone(tmp_path: Path) -> None:
    site = _write_site(tmp_path / "site", _sitemap(5))
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    assert split_site_sitemap(site, SITE_URL, limit=5) == 0
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before
    assert split_site_sitemap(tmp_path / "nothing", SITE_URL) == 0


@pytest.mark.slow
def test_the_real_built_sitemap_splits_into_parts_holding_every_url(bundled_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        shutil.copy2(bundled_site / "site" / name, site / name)
    urls = parse_urls((site / "sitemap.xml").read_text(encoding="utf-8"))
    assert len(urls) > 400  # every paper and topic page
    site_url = urls[0].loc  # the home page: the site_url MkDocs wrote
    parts = split_site_sitemap(site, site_url, limit=100)
    assert parts == math.ceil(len(urls) / 100)
    locs = _index_locs((site / "sitemap.xml").read_text(encoding="utf-8"))
    assert locs == [f"{site_url}sitemap-{i}.xml" for i in range(1, parts + 1)]
    again = [u for i in range(1, parts + 1) for u in parse_urls((site / f"sitemap-{i}.xml").read_text("utf-8"))]
    assert again == urls
    _check_consistent(site)


@pytest.mark.slow
def test_a_real_build_keeps_one_sitemap_under_the_limit(bundled_site: Path) -> None:
    site = bundled_site / "site"
    assert ET.parse(site / "sitemap.xml").getroot().tag == f"{{{NS}}}urlset"
    assert not list(site.glob("sitemap-*.xml"))
