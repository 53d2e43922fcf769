"""Sitemaps past the protocol's 50,000 URLs per file: a sitemap index pointing at numbered parts.

MkDocs writes one `sitemap.xml` (and `sitemap.xml.gz`) whatever its size; search engines reject a
sitemap of more than 50,000 URLs (sitemaps.org). After the build, when the sitemap holds more
than `limit` URLs, `split_site_sitemap` writes `sitemap-1.xml`, `sitemap-2.xml`, ... (each with its
`.gz`) and replaces `sitemap.xml` (and `.gz`) with a sitemap index of the parts' absolute URLs.
`split_sitemap` is the pure part: text in, files' text out.
"""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

LIMIT = 50_000
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
PART_RE = re.compile(r"^sitemap-\d+\.xml(\.gz)?$")


@dataclass(frozen=True)
class Url:
    loc: str
    lastmod: str | None = None


def parse_urls(xml: str) -> list[Url]:
    """The `<url>` entries of a `<urlset>` sitemap, in order."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as err:
        raise ValueError(f"sitemap.xml is not well-formed XML: {err}") from err
    if root.tag != f"{{{NS}}}urlset":
        raise ValueError(f"not a sitemap <urlset>: <{root.tag}>")
    urls = []
    for node in root.iter(f"{{{NS}}}url"):
        loc = (node.findtext(f"{{{NS}}}loc") or "").strip()
        lastmod = (node.findtext(f"{{{NS}}}lastmod") or "").strip() or None
        if loc:
            urls.append(Url(loc, lastmod))
    return urls


def _urlset(urls: list[Url]) -> str:
    lines = [HEADER + f'<urlset xmlns="{NS}">']
    for url in urls:
        lastmod = f"\n         <lastmod>{escape(url.lastmod)}</lastmod>" if url.lastmod else ""
        lines.append(f"    <url>\n         <loc>{escape(url.loc)}</loc>{lastmod}\n    </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)


def _index(parts: list[tuple[str, str | None]]) -> str:
    lines = [HEADER + f'<sitemapindex xmlns="{NS}">']
    for loc, lastmod in parts:
        stamp = f"\n         <lastmod>{escape(lastmod)}</lastmod>" if lastmod else ""
        lines.append(f"    <sitemap>\n         <loc>{escape(loc)}</loc>{stamp}\n    </sitemap>")
    lines.append("</sitemapindex>\n")
    return "\n".join(lines)


def split_sitemap(xml: str, site_url: str, limit: int = LIMIT) -> dict[str, str] | None:
    """None when the sitemap holds at most `limit` URLs. Otherwise the files to write:
    `sitemap-1.xml` ... each with at most `limit` URLs in the original order, and `sitemap.xml`,
    the index pointing at them by absolute URL under `site_url` (with each part's latest lastmod)."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    urls = parse_urls(xml)
    if len(urls) <= limit:
        return None
    if not re.match(r"^https?://", site_url or ""):
        raise ValueError(f"a sitemap index needs an absolute site_url (http or https), got {site_url!r}")
    base = site_url if site_url.endswith("/") else site_url + "/"
    files: dict[str, str] = {}
    entries: list[tuple[str, str | None]] = []
    for number, start in enumerate(range(0, len(urls), limit), start=1):
        chunk = urls[start : start + limit]
        name = f"sitemap-{number}.xml"
        files[name] = _urlset(chunk)
        stamps = [u.lastmod for u in chunk if u.lastmod]
        entries.append((base + name, max(stamps) if stamps else None))
    files["sitemap.xml"] = _index(entries)
    return files


def _gzip_mtime(path: Path) -> int:
    """The timestamp MkDocs put in the gzip header (reproducible builds), or 0."""
    try:
        head = path.read_bytes()[:8]
    except OSError:
        return 0
    return int.from_bytes(head[4:8], "little") if head[:2] == b"\x1f\x8b" else 0


def split_site_sitemap(site_dir: Path, site_url: str | None, limit: int = LIMIT) -> int:
    """Split `site_dir/sitemap.xml` when it is over `limit` URLs; returns the number of parts
    written (0: left as it was). The `.gz` files always match the `.xml` files beside them."""
    site_dir = Path(site_dir)
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return 0
    files = split_sitemap(sitemap.read_text(encoding="utf-8"), site_url or "", limit)
    if files is None:
        return 0
    mtime = _gzip_mtime(site_dir / "sitemap.xml.gz")
    for old in site_dir.iterdir():  # parts of an earlier split, if the folder is reused
        if PART_RE.match(old.name):
            old.unlink()
    for name, text in files.items():
        data = text.encode("utf-8")
        (site_dir / name).write_bytes(data)
        with (
            open(site_dir / f"{name}.gz", "wb") as raw,
            gzip.GzipFile(filename=f"{name}.gz", fileobj=raw, mode="wb", mtime=mtime) as gz,
        ):
            gz.write(data)
    return len(files) - 1
