"""Issue 18, a first step: Zensical (Material's successor, `zensical` 0.0.73) builds the docs the
generator wrote for the bundled catalogue, from the same `mkdocs.yml` and `templates/theme/`
(written in the subset of Jinja that MiniJinja runs: no Python string methods), and the site it
makes has the same pages, canonical links and link previews as the MkDocs build.

Not yet (see the issue): a `--engine zensical` build, Pagefind over the Zensical site, redirect
stubs (the bundled catalogue has none), the browser journeys against it, and the benchmark.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

_META = re.compile(r'<(?:link rel="canonical" href|meta property="og:(?:title|image|type)" content)="([^"]*)"')


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def zensical_site(bundled_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site's generated docs, built by Zensical with the project's config and theme."""
    work = tmp_path_factory.mktemp("zensical")
    shutil.copytree(bundled_site / "docs", work / "docs")
    shutil.copytree(ROOT / "templates", work / "templates")
    shutil.copy2(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    zensical = Path(sys.executable).with_name("zensical")
    proc = subprocess.run(
        [str(zensical), "build", "-f", "mkdocs.yml"], cwd=work, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "No issues found" in proc.stdout + proc.stderr, proc.stdout + proc.stderr  # no broken link
    return work / "site"


def test_zensical_builds_the_same_pages_as_mkdocs(zensical_site: Path, bundled_site: Path) -> None:
    mkdocs_pages = _pages(bundled_site / "site")
    assert len(mkdocs_pages) > 400
    assert _pages(zensical_site) == mkdocs_pages


def test_paper_and_topic_pages_carry_the_same_canonical_link_and_previews(
    zensical_site: Path, bundled_site: Path
) -> None:
    pages = sorted(p for p in _pages(bundled_site / "site") if p.startswith(("papers/", "topics/")))
    for rel in pages:
        mkdocs_html = (bundled_site / "site" / rel).read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in mkdocs_html:
            continue  # a redirect stub: checked below
        zensical_html = (zensical_site / rel).read_text(encoding="utf-8")
        assert _META.findall(zensical_html) == _META.findall(mkdocs_html), rel
        for card in re.findall(r'property="og:image" content="[^"]*/(cards/[^"]+)"', zensical_html):
            assert (zensical_site / card).is_file(), card


def test_the_not_found_page_is_there_with_its_paper_finder(zensical_site: Path) -> None:
    page = (zensical_site / "404.html").read_text(encoding="utf-8")
    assert "paper-index/" in page  # the script that finds the paper a mangled address meant
