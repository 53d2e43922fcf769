"""Serve a built site on localhost and drive Debian's chromium with Playwright (no browser download).

`reader(site)` gives one headless Chromium per test module. Every page it opens records console
errors and uncaught exceptions, and every request that is not for the local server. Chromium is
launched so that such a request fails (see CHROMIUM_ARGS): nothing a test does reaches the network.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    # Nothing reaches the network: every host name but the local server's address fails to resolve,
    # and every request not for a loopback address goes to a proxy that is not there (Chromium never
    # sends loopback requests through a proxy). Tests still record such requests, and fail on them.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
]

# Schemes that never touch the network.
LOCAL_SCHEMES = ("data:", "blob:", "about:")

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Reader:
    """One browser against one served site, with what every page it opened did wrong."""

    browser: Any
    base: str
    errors: list[str] = field(default_factory=list)  # "url: message", since the last reset()
    outside: list[str] = field(default_factory=list)  # requests not for `base`, since the last reset()
    all_outside: list[str] = field(default_factory=list)  # the same, for the whole module
    visited: list[str] = field(default_factory=list)  # every URL a page finished loading

    def is_local(self, url: str) -> bool:
        return url.startswith(self.base) or url.startswith(LOCAL_SCHEMES)

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")

    def reset(self) -> None:
        self.errors.clear()
        self.outside.clear()

    def _on_request(self, request: Any) -> None:
        if not self.is_local(request.url):
            self.outside.append(request.url)
            self.all_outside.append(request.url)

    def _on_console(self, page: Any, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"{page.url}: console error: {message.text}")

    @contextlib.contextmanager
    def page(self, **context_options: Any) -> Iterator[Any]:
        """A fresh page in a fresh context (its own localStorage); `context_options` as for new_context."""
        options: dict[str, Any] = {"viewport": DESKTOP, "color_scheme": "light", "service_workers": "block"}
        options.update(context_options)
        context = self.browser.new_context(**options)
        context.on("request", self._on_request)
        page = context.new_page()
        page.on("console", functools.partial(self._on_console, page))
        page.on("pageerror", lambda err: self.errors.append(f"{page.url}: uncaught: {err}"))
        page.on("load", lambda: self.visited.append(page.url))
        try:
            yield page
        finally:
            context.close()

    def assert_clean(self) -> None:
        """No console error on any page visited since the last reset(), and no request left localhost."""
        assert self.outside == [], f"requests left localhost: {self.outside}"
        assert self.errors == [], "errors in the browser:\n" + "\n".join(self.errors)


@contextlib.contextmanager
def reader(site: Path) -> Iterator[Reader]:
    """Serve `site` on localhost and launch Debian's chromium (never a downloaded browser)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    exe = chromium_path()
    if exe is None:
        pytest.fail("chromium is not installed: run `make browser` (Debian package chromium)")
    with serve_folder(site) as base, playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield Reader(browser, base)
        finally:
            browser.close()


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG file's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
