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

CHROMIUMS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")  # Debian's; the shell prints the same, sooner


def chromium() -> str:
    """HANDBOOK_CHROMIUM, or Debian's Chromium headless shell, or Debian's Chromium."""
    return os.environ.get("HANDBOOK_CHROMIUM") or next((c for c in CHROMIUMS if Path(c).exists()), CHROMIUMS[-1])

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


class PrintError(RuntimeError):
    """Chromium or Playwright is missing or failed; the message is Swedish."""


# What the printing browser may load: this server's files only (and data: and blob: addresses), with
# page scripts as the reader's browser runs them. A header on every response, so it costs nothing per request.
_POLICY = "default-src 'self' data: blob: 'unsafe-inline' 'unsafe-eval'; form-action 'none'"


class _Site(http.server.SimpleHTTPRequestHandler):
    """The built site as the printing browser loads it; what a printed page never shows is refused: the
    search index, which Material's search loads on every page and which grows with the handbook, and the sitemap."""

    def log_message(self, format, *args):  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", _POLICY)
        super().end_headers()

    def send_head(self):
        if not _allowed("/", self.path):
            self.send_error(404)
            return None
        return super().send_head()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a tab that moved on closes its connections: no traceback
        pass


@contextlib.contextmanager
def served(site: Path):
    handler = functools.partial(_Site, directory=str(site))
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

    def html(self, document: str, out: Path) -> None:
        """A page we write ourselves (the edition's cover and contents, its page numbers), printed as it is."""
        self.tab.set_content(document, wait_until="load")
        out.parent.mkdir(parents=True, exist_ok=True)
        self.tab.pdf(path=str(out), tagged=True, outline=False, print_background=True, prefer_css_page_size=True,
                     margin={"top": "0", "bottom": "0", "left": "0", "right": "0"})


_ARTICLE = re.compile(rb"<article\b.*?</article>", re.S)
_TAG = re.compile(rb"<[^>]*>")
# What in a page's article needs the page's scripts to print as a reader's browser prints it: a drawn
# diagram (Mermaid, the process map and its print slices), <details> (Material opens them on beforeprint;
# not the version history, which print.css leaves out),
# content tabs, code annotations, the sortable tables and the role filter. Any other page prints the same
# without them, in a tab with scripts off, which loads in half the time (README, Decisions: PDF).
_SCRIPTED = re.compile(rb'mermaid|hb-map|<details(?! class="hb-history")|tabbed-set|annotate|md-annotation|hb-sortable'
                       rb"|hb-rolefilter|<script|<iframe|<object|<embed", re.I)


def _article(raw: bytes) -> bytes:
    found = _ARTICLE.search(raw)
    return found.group(0) if found else raw


def needs_script(site: Path, url: str) -> bool:
    """Whether the page at `url` must be printed with its scripts running (see _SCRIPTED)."""
    try:
        return bool(_SCRIPTED.search(_article((site / unquote(url) / "index.html").read_bytes())))
    except OSError:
        return True


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in (CACHE_VERSION.encode(), *parts):
        digest.update(part + b"\0")
    return digest.hexdigest()


_SOURCE = re.compile(rb"""\b(?:src|href|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def page_key(article: bytes, header: str, footer: str) -> str:
    """What decides a PDF: the page's article (not the site's nightly footer), its header and footer
    (without the print date), the engine and this module's version; and files_key."""
    return _digest(article, header.encode(), footer.encode())


def words_key(article: bytes, header: str, footer: str) -> str:
    """What a reader reads in the PDF: the article's words, header and footer, without markup (and
    files_key). Last night's PDF with the same words is a true copy even if the markup around them
    changed (a new template)."""
    words = b" ".join(_TAG.sub(b" ", article).split())
    return _digest(words, header.encode(), footer.encode())


def files_key(site: Path, url: str, article: bytes) -> str:
    """The addresses and texts of what the article shows or links to, with the bytes of the site's own
    files among them: an image replaced under the same name changes what is printed."""
    digest = hashlib.sha256()
    root = site.resolve()
    for match in _SOURCE.finditer(article):
        value = match.group(1) if match.group(1) is not None else match.group(2)
        digest.update(value + b"\0")
        address = unquote(value.decode("utf-8", "replace")).split("#")[0].split("?")[0]
        if address and ":" not in address and not address.startswith("/"):
            path = (site / url / address).resolve()
            if path.is_file() and path.is_relative_to(root):
                digest.update(hashlib.sha256(path.read_bytes()).digest())
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


def relinker(base: str, site_url: str):
    """A printed link to the printing server (`base`) as the reader follows it: the page's address on
    the intranet (core.pdf.address); other addresses as they are."""
    from .pdf import address

    def relink(uri: str) -> str:
        return address(site_url, uri[len(base):]) if uri.startswith(base) else uri

    return relink


def print_jobs(site: Path, jobs: list[tuple[str, Path, str, str, bool, str]], workers: int = WORKERS,
               site_url: str = "", deadline: float | None = None) -> int:
    """Print (url, out, header, footer, is_process, title) with `workers` tabs of one Chromium at once.

    Jobs are taken in order; none is started after `deadline` (time.monotonic()). Returns how many
    were printed: jobs[:n] are done, the rest untouched.
    """
    import asyncio
    import concurrent.futures

    if not jobs or (deadline is not None and time.monotonic() >= deadline):
        return 0  # nothing changed since last night, or no time left: no browser started at all
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        raise PrintError("Playwright saknas; installera handboken med PDF-stöd: pip install 'processhandboken[pdf]'") from None
    if not Path(chromium()).exists():
        raise PrintError(f"Chromium saknas ({chromium()}); installera det med scripts/install-chromium (apt-get install chromium)")
    done = [False] * len(jobs)

    async def run(base: str, finishing) -> None:
        relink = relinker(base, site_url)
        loop = asyncio.get_running_loop()
        finished = []
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            scripted = await browser.new_context(service_workers="block")
            plain = await browser.new_context(service_workers="block", java_script_enabled=False)
            queue = list(enumerate(jobs))

            async def worker() -> None:
                tabs = {}
                while queue and (deadline is None or time.monotonic() < deadline):
                    index, (url, out, header, footer, process, title) = queue.pop(0)
                    script = process or needs_script(site, url)
                    if script not in tabs:
                        tabs[script] = await (scripted if script else plain).new_page()
                    tab = tabs[script]
                    await tab.goto(base + url, wait_until="load")
                    if script:
                        try:
                            await tab.wait_for_function(MAP_DRAWN, timeout=60000)
                        except Exception as exc:
                            raise PrintError(f"{url}: processkartan ritades inte inom en minut ({type(exc).__name__})") from None
                    await tab.evaluate("document.fonts.ready")
                    out.parent.mkdir(parents=True, exist_ok=True)
                    await tab.pdf(path=str(out), tagged=True, outline=True, print_background=True,
                                  prefer_css_page_size=True, display_header_footer=True, header_template=header,
                                  footer_template=footer, margin=MARGIN)
                    finished.append(loop.run_in_executor(finishing, finish_file, out, title, relink))
                    done[index] = True

            await asyncio.gather(*(worker() for _ in range(max(1, min(workers, len(jobs))))))
            await asyncio.gather(*finished)  # the tags made whole beside the printing (pikepdf, off the event loop)
            await browser.close()

    with served(site) as base, concurrent.futures.ThreadPoolExecutor(1) as alone, \
            concurrent.futures.ThreadPoolExecutor(1) as finishing:
        # A thread of its own: the caller may run an event loop already (a server, Playwright's sync API).
        alone.submit(asyncio.run, run(base, finishing)).result()
    return done.index(False) if False in done else len(jobs)


def _allowed(base: str, url: str) -> bool:
    """Only the site itself; and not what a printed page never shows (the search index, which
    Material's search loads on every page and which grows with the handbook, the sitemap)."""
    inside = url.startswith(base) or url.startswith("data:")
    path = url[len(base):].split("?")[0] if url.startswith(base) else ""
    return inside and not (path.startswith("search/") or path.endswith(("search_index.json", "sitemap.xml", "sitemap.xml.gz")))


_PDF_LINK = re.compile(r'\s*<p class="hb-pdf">.*?</p>', re.S)


def _unlink(site: Path, url: str) -> None:
    """The page without its "Ladda ner som PDF": its PDF waits for the next build."""
    page = site / unquote(url) / "index.html"
    page.write_text(_PDF_LINK.sub("", page.read_text("utf-8"), count=1), "utf-8")


def write_pages(site: Path, handbook, site_url: str, today: dt.date, previous: Path | None = None, log=print,
                time_limit: float | None = None) -> list[dict]:
    """Print every published document and process of the built `site` into site/pdf/; returns the index.

    A PDF of the `previous` site (last night's) whose page, header and footer are unchanged is copied
    instead of printed again; it keeps its print date (the day it was made). One whose words are
    unchanged but not its markup (a new template) is copied too, and printed again if time allows.
    With `time_limit` (seconds), no PDF is started after it: a page still without a true PDF loses its
    link until a later build prints it (the changed and the new first, then the refreshed).
    """
    started = time.monotonic()
    old = _previous_index(previous)
    entries, reused, urgent, refresh = [], 0, [], []
    for target in targets(handbook):
        if not (site / unquote(target.url) / "index.html").is_file():
            continue  # not built; nothing to print
        header, blank = header_template(target), footer_template(target, site_url, dt.date.min)
        article = _article((site / unquote(target.url) / "index.html").read_bytes())  # read once for the three keys
        key, words = page_key(article, header, blank), words_key(article, header, blank)
        files = files_key(site, unquote(target.url), article)
        out = site / unquote(target.pdf)  # the file as the web server finds it for the (%-encoded) link
        entry = {"kind": target.kind, "key": key, "words": words, "files": files, "id": target.key, "title": target.title,
                 "version": target.version, "page": target.url, "pdf": target.pdf, "printed": today.isoformat()}
        job = (target.url, out, header, footer_template(target, site_url, today), target.kind == "process", target.title)
        before = old.get(target.pdf) or {}
        same_files = before.get("files", files) == files  # (an index of an earlier release has no "files", no "words")
        same_page = before.get("key") == key and same_files
        if (same_page or (before.get("words") == words and same_files)) and (previous / unquote(target.pdf)).is_file():
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(previous / unquote(target.pdf), out)
            entry.update(key=before["key"], printed=before.get("printed") or today.isoformat())
            if same_page:
                reused += 1
            else:
                refresh.append((job, entry, key))
        else:
            urgent.append((job, entry, key))
        entries.append(entry)
    queue = urgent + refresh
    deadline = None if not time_limit else started + time_limit
    printed = print_jobs(site, [job for job, _, _ in queue], site_url=site_url, deadline=deadline)
    for _, entry, key in queue[:printed]:
        entry.update(key=key, printed=today.isoformat())
    waiting = [entry for _, entry, _ in urgent[printed:]]
    for entry in waiting:
        _unlink(site, entry["page"])
    published = [entry for entry in entries if entry not in waiting]
    (site / PDF_DIR).mkdir(exist_ok=True)
    (site / PDF_DIR / "index.json").write_text(json.dumps(published, ensure_ascii=False, indent=2) + "\n", "utf-8")
    stale = len(refresh) - max(0, printed - len(urgent))
    log(f"handbook pdf: {len(published)} PDF i {site / PDF_DIR}: {printed} utskrivna, {reused} oförändrade från "
        f"förra versionen ({time.monotonic() - started:.1f} s)"
        + (f"; {stale} med oförändrad text skrivs ut på nytt i ett senare bygge" if stale else "")
        + (f"; {len(waiting)} väntar på ett senare bygge och saknar länk till PDF tills dess (tidsgränsen "
           f"{time_limit:.0f} s nåddes; kör handbook pdf utan tidsgräns för att skriva ut alla nu)" if waiting else ""))
    return published
