"""Swedish everywhere a reader looks (issue 16, item 3).

Material's Swedish leaves a few texts in English ("Navigation" as the side navigation's name), and
so do MkDocs ("404 - Not found") and Python-Markdown (`title="Permanent link"` on every heading's
anchor). The reference handbook and a generated one are built and every sampled kind of page is
opened in Chromium at 1280 and 390 px: its visible text, the accessible names Chromium computes
(Playwright's ARIA snapshot: landmarks, buttons, links) and every naming attribute (`aria-label`,
`title`, `alt`, `placeholder`, in shadow roots too) must be free of the English words below; every
built page's bytes are scanned for the same attributes. The 404 page is opened the way a web server
shows it, for a missing address at any depth, also under a `site_url` with a path.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml
from playwright.sync_api import expect

from browser import Browser
from conftest import REPO, build, document, process, write_handbook
from test_generate import files, generate

ENGLISH = ("Navigation", "Search", "Permanent link", "Not found", "Back to top", "Previous", "Next",
           "Table of contents", "Skip to content", "Home", "Menu", "Close", "Share", "Copy to clipboard",
           "Copied to clipboard", "Type to start searching", "Initializing search", "No matching documents",
           "Footer", "Header", "Edit this page", "View source", "Last update", "Clear", "Link", "Toggle",
           "Open", "Loading", "Made with", "Select language", "Contents", "Results")
ENGLISH_WORD = re.compile(r"\b(?:" + "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ENGLISH) + r")\b",
                          re.IGNORECASE)
WIDTHS = (1280, 390)
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
NAMING_ATTRIBUTES = ("aria-label", "aria-description", "aria-roledescription", "aria-valuetext", "title", "alt",
                     "placeholder")
PERMALINK_TITLE = "Länk till det här avsnittet"
SMALL = {
    "docs/hr/rutin-kravprofil.md": document("Rutin för kravprofil", body="## Syfte\n\nText.\n"),
    "processes/rekrytering.yml": process("rekrytering", [{"id": "a", "name": "Ta fram kravprofil", "role": "hr-chef",
                                                           "documents": ["hr/rutin-kravprofil.md"]}]),
}
# The search's status line changes from "initializing" once Material's scripts and its search worker have run.
READY = "initial => document.querySelector('.md-search-result__meta').textContent.trim() !== initial.trim()"

# Every naming attribute in the page and in its shadow roots (browser.py opens them), and SVG titles.
NAMES = """names => {
  const out = [document.title];
  const walk = root => {
    for (const el of root.querySelectorAll("*")) {
      for (const name of names) if (el.getAttribute(name)) out.push(name + "=" + el.getAttribute(name));
      if (/^(title|desc)$/.test(el.localName) && el.closest("svg")) out.push("svg " + el.localName + "=" + el.textContent);
      if (el.localName === "input" && /^(submit|button|reset)$/.test(el.type)) out.push("value=" + el.value);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return out;
}"""


def english(texts) -> list[str]:
    """Each English word found, with a little of the text around it."""
    return sorted({" ".join(text[max(0, match.start() - 40):match.end() + 40].split())
                   for text in texts for match in ENGLISH_WORD.finditer(text)})


def snapshot_texts(snapshot: str) -> list[str]:
    """The names and texts of Playwright's ARIA snapshot, without the role words ("navigation", "link")."""
    texts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:  # `- role "name" [attributes]`, with or without children
                walk({item: None} if isinstance(item, str) else item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key != "/url":
                    texts.append(re.sub(r"^[a-z]+", "", str(key)))
                    walk(value)
        elif node is not None:  # a text: `- paragraph: text`
            texts.append(str(node))

    walk(yaml.safe_load(snapshot))
    return texts


def test_the_word_list_catches_what_the_themes_wrote():
    """What Material, MkDocs and Python-Markdown write without the handbook's Swedish is caught."""
    caught = ['title="Permanent link"', "404 - Not found", 'navigation "Navigation":', "Type to start searching",
              "Back to  top", 'link "Skip to content"']
    assert all(english([text]) for text in caught)
    assert english(["Navigationen till vänster", "Huvudmeny", "Sök", "Länk till det här avsnittet", "Sidan finns inte",
                    "Tillbaka till toppen", "Föregående", "Nästa", "Innehållsförteckning", "Sökresultat"]) == []
    texts = snapshot_texts('- navigation "Huvudmeny":\n  - link "Start":\n    - /url: http://x/link/\n- text: Sök\n'
                           '- navigation "Sök"\n- paragraph: Navigation')
    assert [text.strip() for text in texts if text.strip()] == ['"Huvudmeny"', '"Start"', "Sök", '"Sök"', "Navigation"]


# -- serving the site as a web server does: 404.html for every missing address -----------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "finns-inte-alls")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def served(site: Path, prefix: str = "/"):
    """The site at http://127.0.0.1:PORT<prefix>, with its 404.html for missing addresses."""
    handler = functools.partial(type("Handler", (_Handler,), {"prefix": prefix}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def sample(catalog: dict) -> dict[str, str]:
    """One page of each kind a reader meets, found in handbook.json."""
    documents = [d for d in catalog["documents"] if d["state"] == "fastställd"] or catalog["documents"]
    processes = catalog["processes"]
    return {"start": "", "document": documents[0]["url"], "process": max(processes, key=lambda p: len(p["steps"]))["url"],
            "landscape": "processer/", "klassa": "klassa/", "klassa-branch": catalog["klassa"][0]["url"],
            "role": next(r["url"] for r in catalog["roles"] if r["id"] == processes[0]["owner"]), "roles": "roller/",
            "revision": "revision/", "changes": "nytt/", "statement": "tillganglighet/", "404": "hr/finns/inte/"}


@pytest.fixture(scope="module", params=["reference", "generated", "under-a-path"])
def handbook(request, tmp_path_factory):
    """The reference handbook, a generated one, and a small one published under /handbok/, each served
    at the address its site_url names (Material's instant navigation follows only the sitemap's)."""
    folder = tmp_path_factory.mktemp(request.param)
    (folder / "site").mkdir()
    with served(folder / "site", "/handbok/" if request.param == "under-a-path" else "/") as base_url:
        if request.param == "reference":
            built = build(REPO, strict=True, site=folder / "site", HANDBOOK_SITE_URL=base_url)
        elif request.param == "generated":
            root = write_handbook(folder / "h", files(generate(folder / "generated", 60, 6, seed=16)), roles=None)
            built = build(root, strict=True, today="2026-06-01", site=folder / "site", HANDBOOK_SITE_URL=base_url)
        else:
            built = build(write_handbook(folder / "h", SMALL), strict=True, site=folder / "site", HANDBOOK_SITE_URL=base_url)
        assert built.returncode == 0, built.output
        with Browser(base_url) as session:
            session.built = built
            yield session


@pytest.mark.parametrize("width", WIDTHS)
def test_no_english_in_what_a_reader_sees_or_hears(handbook, width):
    session = handbook
    session.page.set_viewport_size({"width": width, "height": 900})
    found = {}
    initial = None
    for kind, url in sample(session.built.catalog).items():
        response = session.page.goto(session.url(url), wait_until="load")
        assert response.status == (404 if kind == "404" else 200), (kind, url)
        page = session.page
        if initial is None:  # once: the texts Material's scripts write when its search is ready
            initial = re.search(r'class="md-search-result__meta">\s*(.*?)\s*<', response.text()).group(1)
            page.wait_for_function(READY, arg=initial)
        texts = [page.locator("body").inner_text(), *snapshot_texts(page.locator("body").aria_snapshot()),
                 *page.evaluate(NAMES, list(NAMING_ATTRIBUTES))]
        if english(texts):
            found[kind] = english(texts)
    assert found == {}
    assert session.errors == []


def test_no_english_in_any_built_pages_names(handbook):
    """Every page's bytes: the naming attributes, the <title> and the document's language."""
    attribute = re.compile(r'\s(?:' + "|".join(NAMING_ATTRIBUTES) + r')="([^"]*)"')
    found, pages, permalinks = {}, 0, 0
    for path in sorted(handbook.built.site.rglob("*.html")):
        html = path.read_text("utf-8")
        pages += 1
        assert '<html lang="sv"' in html, path
        texts = attribute.findall(html) + re.findall(r"<title>(.*?)</title>", html, re.S)
        permalinks += html.count('class="headerlink" href="#')
        assert html.count(f'title="{PERMALINK_TITLE}"') == html.count('class="headerlink"'), path
        if english(texts):
            found[str(path.relative_to(handbook.built.site))] = english(texts)
    assert found == {}
    assert pages >= 10 and permalinks >= 5


# -- the 404 page ------------------------------------------------------------------------------


def notfound_page(session: Browser, path: str) -> None:
    """The 404 page at `path`: Swedish, styled, a search filled with the address's words, the way back."""
    page = session.page
    response = page.goto(session.url(path), wait_until="load")
    assert response.status == 404
    assert page.title() == "Sidan finns inte - Processhandboken"
    assert page.locator("article h1").inner_text() == "Sidan finns inte"
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"  # CSS arrived
    box = page.get_by_role("searchbox", name="Sök i handboken")
    assert box.input_value() == path.rstrip("/").rsplit("/", 1)[-1].replace("-", " ").removesuffix(".html")
    assert box.bounding_box()["width"] > 150
    for name in ("Till startsidan", "Översikten över Klassa", "Nytt och ändrat", "Tillgänglighetsredogörelse"):
        expect(way_back(page, name)).to_be_visible()


def way_back(page, name: str):
    return page.locator("footer" if name == "Tillgänglighetsredogörelse" else "article").get_by_role(
        "link", name=name, exact=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_missing_address_at_any_depth_gets_the_swedish_404_page(handbook, width):
    handbook.page.set_viewport_size({"width": width, "height": 800})
    for path in ("rutin-for-lon/", "hr/gamla/riktlinje-distansarbete/", "a/b/c/d/e/sida.html"):
        notfound_page(handbook, path)
    page = handbook.page
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    for name, target, heading in (("Till startsidan", "", None), ("Översikten över Klassa", "klassa/", "Klassa"),
                                  ("Tillgänglighetsredogörelse", "tillganglighet/", "Tillgänglighetsredogörelse")):
        page.goto(handbook.url("a/b/c/d/e/sida.html"), wait_until="load")
        way_back(page, name).click()
        page.wait_for_url(handbook.url(target))
        if heading:
            expect(page.locator("article h1").first).to_have_text(heading)
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert handbook.errors == []


def test_the_404_search_opens_the_handbooks_search_with_the_words(handbook):
    page = handbook.page
    page.set_viewport_size({"width": 1280, "height": 800})
    word = max(handbook.built.catalog["documents"][0]["title"].split(), key=len).lower()
    page.goto(handbook.url("hr/gammal/rutin/"), wait_until="load")
    page.get_by_role("searchbox", name="Sök i handboken").fill(word)
    with page.expect_navigation():
        page.get_by_role("button", name="Sök", exact=True).click()
    assert page.url.startswith(handbook.base_url + "?q=" + quote(word))
    assert page.locator("[data-md-component=search-query]").input_value() == word
    page.locator(".md-search-result__item").first.wait_for()
    assert page.locator(".md-search-result__item").count() > 0


def test_the_404_pages_addresses_start_with_site_urls_path(handbook):
    """MkDocs renders 404.html with base_url = site_url's path ("/" or "/handbok/"): absolute addresses."""
    path = urlsplit(handbook.base_url).path
    html = (handbook.built.site / "404.html").read_text("utf-8")
    for address in ("", "klassa/", "nytt/", "tillganglighet/"):
        assert f'href="{path}{address}"' in html, address
    assert f'action="{path}"' in html and f'href="{path}assets/' in html


def test_the_language_partial_is_materials_with_the_handbooks_words():
    """The override differs from Material's partials/language.html only by SWEDISH: it cannot drift unnoticed."""
    from material import templates
    theirs = (Path(templates.__file__).parent / "partials" / "language.html").read_text("utf-8").split("-#}\n", 1)[1]
    ours = (REPO / "plugins" / "theme" / "partials" / "language.html").read_text("utf-8").split("-#}\n", 1)[1]
    macro = "{% macro t(key) %}{{ lang.t(key) or fallback.t(key) or key }}{% endmacro %}"
    assert macro in theirs
    swedish = next(line for line in ours.splitlines() if line.startswith("{% set SWEDISH"))
    assert ours == theirs.replace(macro, swedish + "\n" + macro.replace("{{ lang.t(key)", "{{ SWEDISH[key] or lang.t(key)"))
