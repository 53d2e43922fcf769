"""What a reader does, in a real headless Chromium against the built site on localhost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .browser import CHROMIUM_ARGS, chromium_path, serve_folder

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser_page(bundled_site: Path) -> Iterator[tuple[object, str, list[str], list[str]]]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    exe = chromium_path()
    if exe is None:
        pytest.fail("chromium is not installed: run `make browser` (Debian package chromium)")
    with serve_folder(bundled_site / "site") as base, playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        outside: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) and not r.url.startswith("data:") else None)
        yield page, base, errors, outside
        browser.close()


def test_search_a_word_from_an_abstract_and_open_the_paper(browser_page, bundled_site: Path) -> None:  # type: ignore[no-untyped-def]
    page, base, errors, outside = browser_page
    cat = json.loads((bundled_site / "site" / "catalogue.json").read_text(encoding="utf-8"))
    paper = next(p for p in cat["papers"] if p["title"].startswith("Iterated Q-Network"))
    page.goto(base)
    page.keyboard.press("/")
    page.fill("input.md-search__input", "Bellman iterated")
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=15000)
    assert paper["slug"] in (first.get_attribute("href") or "")
    first.click()
    page.wait_for_url(lambda url: f"/papers/{paper['slug']}/" in url)
    assert "Iterated Q-Network" in page.locator("h1").first.inner_text()
    page.locator("a[href*='/topics/']").first.click()
    page.wait_for_url(lambda url: "/topics/" in url)
    assert errors == [] and outside == []
