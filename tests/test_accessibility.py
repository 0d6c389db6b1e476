"""WCAG 2.1 AA (DOS-lagen): axe-core in Chromium over the reference handbook finds no serious or
critical violation, and a process map has a text alternative a screen reader reaches.

axe-core is vendored in tests/vendor/axe-core/ (MPL-2.0, see its README): the tests run offline
and always with the same rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import Browser, served_site
from conftest import REPO
import reader_sites

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = reader_sites.reference(tmp_path_factory)  # built once per test process, shared with the reader tests
    assert built.returncode == 0, built.output
    return built


@pytest.fixture(scope="module")
def browser(site):
    with served_site(site.site) as base_url, Browser(base_url) as b:
        yield b


def first(items, **wanted):
    return next(i for i in items if all(i.get(k) == v for k, v in wanted.items()))


def page_url(catalog: dict, kind: str) -> str:
    """The URL of a page of each kind in the reference handbook, found in handbook.json."""
    documents, processes = catalog["documents"], catalog["processes"]
    return {
        "start": "",
        "document": lambda: first(documents, state="fastställd", review_status="ok")["url"],
        "document-overdue": lambda: first(documents, review_status="overdue")["url"],
        "document-due": lambda: first(documents, review_status="due")["url"],
        "document-draft": lambda: first(documents, state="utkast")["url"],
        "document-repealed": lambda: first(documents, state="upphävd")["url"],
        "checklist": lambda: first(documents, doc_type="checklista")["url"],
        "process": lambda: max(processes, key=lambda p: len(p["steps"]))["url"],
        "role": lambda: first(catalog["roles"], id=processes[0]["owner"])["url"],
        "revision": "revision/",
        "klassa": "klassa/",
        "klassa-branch": "klassa/2/",
        "landscape": "processer/",
        "roles": "roller/",
        "guide": "skriva-i-handboken/",
        "guide-macros": "skriva-i-handboken/listor/",
    }[kind]


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def described(violations: list[dict]) -> str:
    return "\n".join(f"[{v['impact']}] {v['id']}: {v['help']}\n" + "\n".join(
        f"    {n['target']}: {n['failureSummary']}" for n in v["nodes"][:5]) for v in violations)


def open_rendered(browser: Browser, url: str):
    page = browser.open(url)
    if page.locator("pre.mermaid, div.mermaid").count():
        page.wait_for_selector("div.mermaid svg", timeout=20000)  # the map, drawn by Mermaid
    return page


@pytest.mark.parametrize("kind", ["start", "document", "document-overdue", "document-due", "document-draft",
                                  "document-repealed", "checklist", "process", "role", "revision", "klassa", "klassa-branch",
                                  "landscape", "roles", "guide", "guide-macros"])
def test_no_serious_or_critical_violations(site, browser, kind):
    url = page_url(site.catalog, kind)
    url = url() if callable(url) else url
    page = open_rendered(browser, url)
    violations = [v for v in run_axe(page) if v["impact"] in SERIOUS]
    assert violations == [], f"{url}:\n{described(violations)}"


def test_axe_finds_what_it_should(browser):
    """The harness itself: a page with known faults is reported as such."""
    page = browser.open("")
    page.set_content('<html><body><img src="x.png"><a href="#"></a><p style="color:#bbb;background:#fff">Grått</p></body></html>')
    found = {v["id"]: v["impact"] for v in run_axe(page)}
    assert {"image-alt", "link-name", "color-contrast", "html-has-lang"} <= set(found)
    assert found["image-alt"] in SERIOUS


def test_process_map_has_a_text_alternative_a_screen_reader_reaches(site, browser):
    process = max(site.catalog["processes"], key=lambda p: len(p["steps"]))
    page = open_rendered(browser, process["url"])
    figure = page.get_by_role("figure", name=f"Processkarta för {process['name']}")
    expect(figure).to_have_count(1)
    expect(figure.locator("svg").first).to_be_visible()
    expect(figure).to_have_accessible_description(re.compile("Samma steg finns i tabellen Steg nedan"))
    page.get_by_role("link", name="tabellen Steg").click()
    assert page.url.endswith("#steg")
    expect(page.get_by_role("heading", name=re.compile(r"^Steg\b"), level=2)).to_have_count(1)
    table = page.locator("#steg ~ .hb-steps table")
    expect(table.get_by_role("columnheader")).to_have_text(["Steg", "Roll", "Beskrivning", "Dokument", "Nästa"])
    tree = table.aria_snapshot()
    for step in process["steps"]:
        assert step["name"] in tree
    assert len(table.get_by_role("row").all()) == len(process["steps"]) + 1


def test_checklist_boxes_are_named_after_their_text():
    import markdown
    html = markdown.markdown("- [ ] Första *punkten*\n- [x] Andra & sista\n    - [ ] Inre\n",
                             extensions=["pymdownx.tasklist", "handbook.core.tasklist"],
                             extension_configs={"pymdownx.tasklist": {"custom_checkbox": True}})
    names = re.findall(r'<input type="checkbox" disabled( checked)? aria-label="([^"]*)"/>', html)
    assert names == [("", "Första punkten"), (" checked", "Andra &amp; sista"), ("", "Inre")]


def test_search_dialog_partial_is_materials_with_a_name():
    """The override differs from Material's partial only by the dialog's name: it cannot drift."""
    from material import templates
    theirs = (Path(templates.__file__).parent / "partials" / "search.html").read_text("utf-8")
    ours = (REPO / "plugins" / "theme" / "partials" / "search.html").read_text("utf-8")
    theirs_body = theirs.split("-#}\n", 1)[1]
    ours_body = ours.split("-#}\n", 1)[1]
    dialog = '<div class="md-search" data-md-component="search" role="dialog">'
    assert dialog in theirs_body
    assert ours_body == theirs_body.replace(dialog, dialog[:-1] + ' aria-label="{{ lang.t(\'search\') }}">')
