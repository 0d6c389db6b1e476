"""Printing built pages to PDF with Debian's Chromium through Playwright, from a local server.

The site is served on 127.0.0.1 (a port of its own) while the pages are printed, as a reader's
browser would load them: nothing is fetched from anywhere else (requests off the server are
aborted). Each page is printed with `page.pdf(tagged=True, outline=True)` after its process map is
drawn, so map-view.js's print slices (vector SVG) are in the PDF.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path

from .pdf import MAP_DRAWN, MARGIN

CHROMIUM = os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


class PrintError(RuntimeError):
    """Chromium or Playwright is missing or failed; the message is Swedish."""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@contextlib.contextmanager
def served(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Printer:
    """One Chromium, one tab; `page(url, out, header, footer)` prints a page of the served site."""

    def __init__(self, site: Path) -> None:
        self.site = site

    def __enter__(self) -> "Printer":
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise PrintError("Playwright saknas; installera handboken med PDF-stöd: pip install 'processhandboken[pdf]'") from None
        if not Path(CHROMIUM).exists():
            raise PrintError(f"Chromium saknas ({CHROMIUM}); installera det med scripts/install-chromium (apt-get install chromium)")
        self._stack = contextlib.ExitStack()
        self.base = self._stack.enter_context(served(self.site))
        self._playwright = sync_playwright().start()
        self._stack.callback(self._playwright.stop)
        browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self._stack.callback(browser.close)
        context = browser.new_context(service_workers="block")
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(self.base)
                      or route.request.url.startswith("data:") else route.abort())
        self.tab = context.new_page()
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def page(self, url: str, out: Path, header: str, footer: str, process: bool = False) -> None:
        self.tab.goto(self.base + url, wait_until="load")
        if process:
            self.tab.wait_for_selector(MAP_DRAWN, state="attached", timeout=30000)
        self.tab.evaluate("document.fonts.ready")
        out.parent.mkdir(parents=True, exist_ok=True)
        self.tab.pdf(path=str(out), tagged=True, outline=True, print_background=True, prefer_css_page_size=True,
                     display_header_footer=True, header_template=header, footer_template=footer, margin=MARGIN)

    def html(self, document: str, out: Path) -> None:
        """A page we write ourselves (the edition's cover and contents, its page numbers), printed as it is."""
        self.tab.set_content(document, wait_until="load")
        out.parent.mkdir(parents=True, exist_ok=True)
        self.tab.pdf(path=str(out), tagged=True, outline=False, print_background=True, prefer_css_page_size=True,
                     margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})
