"""A built site in a real browser: a local HTTP server and Debian's Chromium driven by Playwright.

Import it from a test module:

    from browser import Browser, served_site
    from conftest import build, write_handbook

    @pytest.fixture(scope="module")
    def browser(tmp_path_factory):
        built = build(write_handbook(tmp_path_factory.mktemp("site") / "h", {...}))
        with served_site(built.site) as base_url, Browser(base_url) as b:
            yield b

`Browser.requests` records every request the pages make, so a test can assert that none
leaves 127.0.0.1. No browser is ever downloaded: Playwright drives /usr/bin/chromium.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]

# Material draws each Mermaid diagram into a CLOSED shadow root, which no script (and no
# Playwright selector) can look into. Tests open it: every attachShadow becomes mode "open".
OPEN_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: "open"}); };
})();
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def served_site(site: Path):
    """Serve a built site on 127.0.0.1 at a free port, in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class Browser:
    """One Chromium with one page; every request of the page is kept in `requests`."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.requests: list[str] = []
        self.errors: list[str] = []

    def __enter__(self) -> "Browser":
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.context = self._browser.new_context(service_workers="block")
        self.context.add_init_script(OPEN_SHADOW_ROOTS)
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        return self

    def __exit__(self, *exc) -> None:
        self._browser.close()
        self._playwright.stop()

    def url(self, path: str = "") -> str:
        return self.base_url + path

    def open(self, path: str = ""):
        self.page.goto(self.url(path), wait_until="load")
        return self.page

    def foreign_requests(self) -> list[str]:
        """Requests that went anywhere but the local server (data: and blob: URLs stay in the page)."""
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).hostname != "127.0.0.1"]


# Counts what Mermaid drew into the (opened) shadow root of the first diagram on the page.
DIAGRAM = """() => {
  const host = document.querySelector("article div.mermaid");
  const root = host && host.shadowRoot;
  const svg = root && root.querySelector("svg");
  if (!svg) return null;
  return {
    nodes: svg.querySelectorAll("g.node").length,
    lanes: svg.querySelectorAll("g.cluster").length,
    links: [...svg.querySelectorAll("a")].map(a => a.getAttribute("href") || a.getAttribute("xlink:href")),
    scripts: root.querySelectorAll("script, img, iframe, foreignObject [onerror]").length,
    error: /Syntax error|Parse error/i.test(root.textContent) || !!svg.querySelector(".error-icon"),
    text: svg.textContent,
  };
}"""


def diagram(session: Browser) -> dict:
    session.page.wait_for_function(f"({DIAGRAM})() !== null", timeout=20000)
    return session.page.evaluate(DIAGRAM)
