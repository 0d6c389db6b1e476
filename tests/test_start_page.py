"""The start page for readers, generated when docs/ has no index.md, and the writing guide moved out
of the readers' way: opened in Chromium at 1280 and 390 px on the reference handbook and on a
generated one (40 roles, 100 processes, its guide in a folder of another name). The ways in lead
to pages that exist, the lists follow handbook.json, the search form searches offline, the guide
is the last item of the navigation and one click from the start page.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from conftest import build, document, write_handbook
from reader_sites import GUIDE, browser, generated, reference, sites  # noqa: F401 - fixtures
from test_accessibility import SERIOUS, described, run_axe

WIDTHS = (1280, 390)
ENTRIES = {"processer": "processer/", "roller": "roller/", "nytt": "nytt/", "revision": "revision/"}
GUIDES = {"referens": ("Skriva i handboken", "skriva-i-handboken/"), "genererad": ("För dokumentägare", f"{GUIDE}/")}

START = """() => {
  const article = document.querySelector("article");
  return {
    entries: [...article.querySelectorAll(".hb-start__entry")].map(s => [s.dataset.entry, s.querySelector("h2 a").href]),
    links: [...article.querySelectorAll("a[href]")].filter(a => !a.classList.contains("headerlink")).map(a => a.href),
    newest: [...article.querySelectorAll(".hb-start__newest li")].map(li => [li.querySelector("a").href, li.querySelector("time").dateTime]),
    review: article.querySelector('[data-entry="revision"]').innerText,
    guide: [...article.querySelectorAll(".hb-start-guide a")].map(a => [a.textContent, a.href]),
    lastLink: [...article.querySelectorAll("a[href]")].pop().href,
    text: article.innerText,
    scrollWidth: document.documentElement.scrollWidth,
    outside: [...article.querySelectorAll("a, h2, input, button")].filter(e => {
      const box = e.getBoundingClientRect(); return box.left < 0 || box.right > document.documentElement.clientWidth; }).length,
  };
}"""
NAVIGATION = """() => [...document.querySelectorAll("nav.md-nav--primary > ul.md-nav__list > li.md-nav__item")].map(li =>
  (li.querySelector(":scope > a, :scope > label, :scope > div > a") || li).textContent.trim())"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_ways_in_lead_to_pages_that_exist(browser, width):
    browser.page.set_viewport_size({"width": width, "height": 900})
    page = browser.open("")
    assert page.title().startswith("Startsida")
    found = page.evaluate(START)
    assert found["entries"] == [[entry, browser.url(url)] for entry, url in ENTRIES.items()]
    for url in dict.fromkeys(found["links"]):
        assert url.startswith(browser.base_url), url
        assert page.request.get(url).status == 200, url
    assert found["scrollWidth"] == width and found["outside"] == 0
    assert browser.errors == [] and browser.foreign_requests() == []


def test_the_guide_is_one_click_away_and_last_in_the_navigation(browser):
    title, url = GUIDES[browser.name]
    page = browser.open("")
    found = page.evaluate(START)
    assert found["guide"] == [[title, browser.url(url)]] and found["lastLink"] == browser.url(url)
    for width in WIDTHS:  # the same navigation, in the drawer on a phone
        page.set_viewport_size({"width": width, "height": 900})
        items = page.evaluate(NAVIGATION)
        assert items[0] == "Startsida" and items[-1] == title, items
        assert items.count(title) == 1
    page.goto(browser.url(url))
    assert page.title().startswith(title)


def test_recently_changed_and_to_review_follow_the_catalog(browser):
    catalog = browser.built.catalog
    today = dt.date.fromisoformat(browser.built.today)
    page = browser.open("")
    found = page.evaluate(START)
    in_force = {browser.url(d["url"]): d["valid_from"] for d in catalog["documents"]
                if d["state"] == "fastställd" and dt.date.fromisoformat(d["valid_from"]) <= today}
    shown = found["newest"]
    assert len(shown) == min(5, len(in_force)) > 0
    assert all(in_force[url] == date for url, date in shown)
    dates = [date for _, date in shown]
    assert dates == sorted(dates, reverse=True)
    assert {url for url, date in in_force.items() if date > dates[-1]} <= {url for url, _ in shown}  # the newest
    items = catalog["documents"] + catalog["processes"]
    overdue = sum(i["review_status"] == "overdue" for i in items)
    due = sum(i["review_status"] == "due" for i in items)
    assert overdue and due
    assert f"{overdue} dokument och processer har passerat sitt revideringsdatum och {due} ska revideras snart" in found["review"]


def test_no_words_that_are_wrong_on_a_phone(browser):
    text = browser.open("").evaluate(START)["text"].casefold()
    assert "till vänster" not in text and "navigationen" not in text
    for path in browser.built.site.rglob("*.html"):
        assert not re.search(r"(navigationen|menyn) till vänster", path.read_text("utf-8"), re.I), path


def test_search_from_the_start_page_offline(browser):
    word = browser.built.catalog["processes"][0]["name"].split()[-1].casefold()
    for width in WIDTHS:
        browser.page.set_viewport_size({"width": width, "height": 900})
        page = browser.open("")
        page.focus("#hb-start-q")
        page.keyboard.type(word)
        page.keyboard.press("Enter")
        page.wait_for_selector(".md-search-result__item", timeout=10000)
        assert page.url == browser.url(f"?q={quote(word)}")
    assert browser.errors == [] and browser.foreign_requests() == []


def test_the_start_page_passes_axe(browser):
    """test_accessibility.py runs axe on the reference handbook's start page at 1280 px."""
    for width in (390,) if browser.name == "referens" else WIDTHS:
        browser.page.set_viewport_size({"width": width, "height": 900})
        serious = [v for v in run_axe(browser.open("")) if v["impact"] in SERIOUS]
        assert serious == [], f"{width} px:\n{described(serious)}"


class TopNavigation(HTMLParser):
    """The first words of each top-level item of the primary navigation in a built page."""

    def __init__(self, html: str):
        super().__init__()
        self.depth, self.items, self.inside = 0, [], False
        self.feed(html[html.index("md-nav--primary") - 50:])

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "nav" and "md-nav--primary" in classes:
            self.inside = True
        elif self.inside and tag == "ul":
            self.depth += 1
        elif self.inside and tag == "li" and self.depth == 1:
            self.items.append("")

    def handle_endtag(self, tag):
        if self.inside and tag == "ul":
            self.depth -= 1
            self.inside = self.depth > 0

    def handle_data(self, data):
        if self.inside and self.depth == 1 and self.items and not self.items[-1]:
            self.items[-1] = data.strip()


FILES = {
    "docs/om/index.md": "# Om handboken\n\nText.\n",
    "docs/skriva-i-handboken/index.md": "# Skriva i handboken\n\nText.\n",
    "docs/skriva-i-handboken/mallar.md": "# Mallar\n\nText.\n",
    "docs/hjalp/agare/index.md": "# För ägare\n\nText.\n",
    "docs/hr/a.md": document("Rutin A"),
}


@pytest.mark.parametrize("guide_folder, expected", [
    (None, ["Start", "Hjalp", "Om handboken", "Processer", "Roller", "Revision", "Nytt och ändrat", "Klassa",
            "Processernas mognad", "2 Verksamhetsstöd", "Skriva i handboken"]),
    ("hjalp/agare/", ["Start", "Om handboken", "Skriva i handboken", "Processer", "Roller", "Revision",
                      "Nytt och ändrat", "Klassa", "Processernas mognad", "2 Verksamhetsstöd", "För ägare"]),
    ("", ["Start", "Hjalp", "Om handboken", "Skriva i handboken", "Processer", "Roller", "Revision",
          "Nytt och ändrat", "Klassa", "Processernas mognad", "2 Verksamhetsstöd"]),
])
def test_a_handbook_with_its_own_start_page_keeps_it_and_the_guide_goes_last(tmp_path, guide_folder, expected):
    root = write_handbook(tmp_path / "h", FILES)
    if guide_folder is not None:
        config = root / "mkdocs.yml"
        config.write_text(config.read_text("utf-8").replace("  - handbook:\n", f"  - handbook:\n      guide_folder: '{guide_folder}'\n", 1), "utf-8")
    built = build(root, strict=True)
    assert built.returncode == 0, built.output
    start = (built.site / "index.html").read_text("utf-8")
    assert "Välkommen." in start and "hb-start" not in start
    assert TopNavigation(start).items == expected
