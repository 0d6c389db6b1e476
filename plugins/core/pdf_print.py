"""Printing built pages to PDF with Debian's Chromium through Playwright, from a local server.

The site is served on 127.0.0.1 (a port of its own) while the pages are printed, as a reader's
browser would load them: nothing is fetched from anywhere else (requests off the server are
aborted). Each page is printed with `page.pdf(tagged=True, outline=True)` after its process map is
drawn, so map-view.js's print slices (vector SVG) are in the PDF.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import unquote

from .pdf_tags import finish_file
from .pdf import MAP_DRAWN, MARGIN, PDF_DIR, footer_template, header_template, targets

CACHE_VERSION = "2"  # raise when the PDFs change for the same page (engine, templates)

def chromium() -> str:
    """Debian's Chromium, or HANDBOOK_CHROMIUM."""
    return os.environ.get("HANDBOOK_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


class PrintError(RuntimeError):
    """Chromium or Playwright is missing or failed; the message is Swedish."""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a tab that moved on closes its connections: no traceback
        pass


@contextlib.contextmanager
def served(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
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
        if not Path(chromium()).exists():
            raise PrintError(f"Chromium saknas ({chromium()}); installera det med scripts/install-chromium (apt-get install chromium)")
        self._stack = contextlib.ExitStack()
        self.base = self._stack.enter_context(served(self.site))
        self._playwright = sync_playwright().start()
        self._stack.callback(self._playwright.stop)
        browser = self._playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        self._stack.callback(browser.close)
        context = browser.new_context(service_workers="block")
        context.route("**/*", self._route)
        self.tab = context.new_page()
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def _route(self, route) -> None:
        route.continue_() if _allowed(self.base, route.request.url) else route.abort()

    def page(self, url: str, out: Path, header: str, footer: str, process: bool = False) -> None:
        self.tab.goto(self.base + url, wait_until="load")
        try:
            self.tab.wait_for_function(MAP_DRAWN, timeout=60000)
        except Exception as exc:
            raise PrintError(f"{url}: processkartan ritades inte inom en minut ({type(exc).__name__})") from None
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


_ARTICLE = re.compile(rb"<article\b.*?</article>", re.S)


def page_key(site: Path, url: str, header: str, footer: str) -> str:
    """What decides a PDF: the page's article (not the site's nightly footer), its header and footer
    (without the print date), the engine and this module's version."""
    raw = (site / url / "index.html").read_bytes()
    found = _ARTICLE.search(raw)
    digest = hashlib.sha256()
    for part in (CACHE_VERSION.encode(), (found.group(0) if found else raw), header.encode(), footer.encode()):
        digest.update(part + b"\0")
    return digest.hexdigest()


def _previous_index(previous: Path | None) -> dict[str, dict]:
    if previous is None:
        return {}
    try:
        data = json.loads((previous / PDF_DIR / "index.json").read_text("utf-8"))
        return {e["pdf"]: e for e in data if isinstance(e, dict) and "pdf" in e and "key" in e}
    except (OSError, ValueError, TypeError):
        return {}


WORKERS = max(1, min(2, os.cpu_count() or 1))  # tabs printing at once; Chromium renders each in its own process


def print_jobs(site: Path, jobs: list[tuple[str, Path, str, str, bool, str]], workers: int = WORKERS) -> None:
    """Print (url, out, header, footer, is_process, title) with `workers` tabs of one Chromium at once."""
    import asyncio
    import concurrent.futures

    if not jobs:
        return  # nothing changed since last night: no browser started at all
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        raise PrintError("Playwright saknas; installera handboken med PDF-stöd: pip install 'processhandboken[pdf]'") from None
    if not Path(chromium()).exists():
        raise PrintError(f"Chromium saknas ({chromium()}); installera det med scripts/install-chromium (apt-get install chromium)")

    async def run(base: str) -> None:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            context = await browser.new_context(service_workers="block")

            async def route(r):
                if _allowed(base, r.request.url):
                    await r.continue_()
                else:
                    await r.abort()

            await context.route("**/*", route)
            queue = list(jobs)

            async def worker() -> None:
                tab = await context.new_page()
                while queue:
                    url, out, header, footer, process, title = queue.pop(0)
                    await tab.goto(base + url, wait_until="load")
                    try:
                        await tab.wait_for_function(MAP_DRAWN, timeout=60000)
                    except Exception as exc:
                        raise PrintError(f"{url}: processkartan ritades inte inom en minut ({type(exc).__name__})") from None
                    await tab.evaluate("document.fonts.ready")
                    out.parent.mkdir(parents=True, exist_ok=True)
                    await tab.pdf(path=str(out), tagged=True, outline=True, print_background=True,
                                  prefer_css_page_size=True, display_header_footer=True, header_template=header,
                                  footer_template=footer, margin=MARGIN)
                    finish_file(out, title)

            await asyncio.gather(*(worker() for _ in range(max(1, min(workers, len(jobs))))))
            await browser.close()

    with served(site) as base, concurrent.futures.ThreadPoolExecutor(1) as alone:
        # A thread of its own: the caller may run an event loop already (a server, Playwright's sync API).
        alone.submit(asyncio.run, run(base)).result()


def _allowed(base: str, url: str) -> bool:
    """Only the site itself; and not what a printed page never shows (the search index, which
    Material's search loads on every page and which grows with the handbook, the sitemap)."""
    inside = url.startswith(base) or url.startswith("data:")
    path = url[len(base):].split("?")[0] if url.startswith(base) else ""
    return inside and not (path.startswith("search/") or path.endswith(("search_index.json", "sitemap.xml", "sitemap.xml.gz")))


def write_pages(site: Path, handbook, site_url: str, today: dt.date, previous: Path | None = None, log=print) -> list[dict]:
    """Print every published document and process of the built `site` into site/pdf/; returns the index.

    A PDF of the `previous` site (last night's) whose page, header and footer are unchanged is copied
    instead of printed again; it keeps its print date (the day it was made).
    """
    entries, reused, jobs = [], 0, []
    started = time.monotonic()
    old = _previous_index(previous)
    for target in targets(handbook):
        if not (site / unquote(target.url) / "index.html").is_file():
            continue  # not built; nothing to print
        header = header_template(target)
        key = page_key(site, unquote(target.url), header, footer_template(target, site_url, dt.date.min))
        out = site / unquote(target.pdf)  # the file as the web server finds it for the (%-encoded) link
        before = old.get(target.pdf)
        printed = today
        if before and before["key"] == key and (previous / unquote(target.pdf)).is_file():
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(previous / unquote(target.pdf), out)
            printed = dt.date.fromisoformat(before.get("printed") or today.isoformat())
            reused += 1
        else:
            jobs.append((target.url, out, header, footer_template(target, site_url, today),
                         target.kind == "process", target.title))
        entries.append({"kind": target.kind, "key": key, "id": target.key, "title": target.title,
                        "version": target.version, "page": target.url, "pdf": target.pdf,
                        "printed": printed.isoformat()})
    print_jobs(site, jobs)
    (site / PDF_DIR).mkdir(exist_ok=True)
    (site / PDF_DIR / "index.json").write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", "utf-8")
    log(f"handbook pdf: {len(entries)} PDF i {site / PDF_DIR}, {len(entries) - reused} utskrivna och "
        f"{reused} oförändrade från förra versionen ({time.monotonic() - started:.1f} s)")
    return entries
