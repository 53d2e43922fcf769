"""The 404 page rescues a mangled paper link: truncated or misspelled, it suggests the paper."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .browser import CHROMIUM_ARGS, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _serve_with_404(site: Path):  # type: ignore[no-untyped-def]
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            if code != 404:
                return super().send_error(code, message, explain)
            body = (site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize(
    "mangle",
    [
        lambda slug: slug[: len(slug) // 2],  # cut short when pasted
        lambda slug: slug.replace("network", "netwrok", 1),  # misspelled
    ],
    ids=["truncated", "misspelled"],
)
def test_404_suggests_the_right_paper(engine_site: Path, mangle) -> None:  # type: ignore[no-untyped-def]
    site = engine_site / "site"
    cat = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    paper = next(p for p in cat["papers"] if p["title"].startswith("Iterated Q-Network"))
    playwright_api = pytest.importorskip("playwright.sync_api")
    server = _serve_with_404(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with playwright_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{base}papers/{mangle(paper['slug'])}/")
            first = page.locator("#suggestion-list a").first
            first.wait_for(timeout=15000)
            assert first.get_attribute("href").endswith(f"/papers/{paper['slug']}/")
            assert first.inner_text().startswith("Iterated Q-Network")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
