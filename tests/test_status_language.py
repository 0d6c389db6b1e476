"""One status language: every item on every kind of page says its state and review status in the
same words, each word with its own tag class (and so its icon; colour is never alone), and
"aktuell" is never said of an item.

Items are every element that carries `data-review-status` on the built pages of the reference
handbook and of a generated one (built with an empty previous catalog, so *Nytt och ändrat*
lists everything): Klassa pages, role pages, the landscape, the revision page, *Nytt och ändrat*,
the macros' tables and lists, and the card of every document and process page. The side
navigation marks a draft or repealed page with Material's status, titled with the same word.
"""

import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from conftest import REPO, build, write_handbook
from test_generate import files, generate

# Written out here, not imported: the test fails if the code's words change.
STATES = {"utkast": ("Utkast", "draft"), "fastställd": ("Fastställd", "current"), "upphävd": ("Upphävd", "repealed")}
REVIEWS = {"ok": "Revision ok", "due": "Ska revideras snart", "overdue": "Revision försenad"}
NAV = {"utkast": "hb-utkast", "upphävd": "hb-upphavd"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Items(HTMLParser):
    """Every element with data-review-status: its attributes, its text, and its status tags (class, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[dict] = []
        self.open: list[tuple[int, dict]] = []  # (depth, item)
        self.tags: list[tuple[int, list]] = []  # open hb-tag spans: (depth, [classes, text])
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.depth += 1
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "data-review-status" in attrs:
            item = {"tag": tag, "attrs": attrs, "text": "", "tags": [], "dl": []}
            self.items.append(item)
            self.open.append((self.depth, item))
        if "hb-tag" in classes and self.open:
            tag_record = [classes, ""]
            self.open[-1][1]["tags"].append(tag_record)
            self.tags.append((self.depth, tag_record))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.tags and self.tags[-1][0] >= self.depth:
            self.tags.pop()
        while self.open and self.open[-1][0] >= self.depth:
            self.open.pop()
        self.depth -= 1

    def handle_data(self, data):
        for _, item in self.open:
            item["text"] += data
        for _, record in self.tags:
            record[1] += data


def items_of(html: str) -> list[dict]:
    parser = Items()
    parser.feed(html)
    return parser.items


def squash(text: str) -> str:
    return " ".join(text.split())


def check_page(url: str, html: str, problems: list[str], kinds: Counter) -> None:
    for item in items_of(html):
        state, review = item["attrs"].get("data-state", ""), item["attrs"]["data-review-status"]
        where = f"{url}: {squash(item['text'])[:90]!r}"
        if review not in REVIEWS or state not in STATES:
            problems.append(f"{where}: unknown state {state!r} or review status {review!r}")
            continue
        if "aktuell" in item["text"].lower():
            problems.append(f"{where}: says 'aktuell'")
        if "hb-card" in (item["attrs"].get("class") or ""):
            kinds["card"] += 1
            rows = dict(re.findall(r"<dt>([^<]+)</dt>\s*<dd>(.*?)</dd>", card_html(html), re.S))
            if rows.get("Status") != STATES[state][0]:
                problems.append(f"{where}: card status {rows.get('Status')!r}, not {STATES[state][0]!r}")
            if not rows.get("Ska revideras senast", "").endswith(f"({REVIEWS[review].lower()})"):
                problems.append(f"{where}: card review row {rows.get('Ska revideras senast')!r}")
            continue
        kinds[url.split("/")[0] or "start"] += 1
        shown = [(squash(text), classes) for classes, text in item["tags"]]
        expected = [(STATES[state][0], f"hb-tag--{STATES[state][1]}"), (REVIEWS[review], f"hb-tag--{review}")]
        for word, css in expected:
            if not any(text == word and css in classes for text, classes in shown):
                problems.append(f"{where}: no tag {word!r} with class {css}; tags {shown}")
        allowed = {label for label, _ in STATES.values()} | set(REVIEWS.values())
        for text, _ in shown:
            if text not in allowed:
                problems.append(f"{where}: tag {text!r} is not in the vocabulary")


def card_html(html: str) -> str:
    return html.split('<aside class="hb-card"', 1)[1].split("</aside>", 1)[0]


def check_site(site, catalog: dict) -> tuple[list[str], Counter]:
    problems, kinds = [], Counter()
    for path in sorted(site.rglob("index.html")):
        url = path.parent.relative_to(site).as_posix()
        url = "" if url == "." else url + "/"
        check_page(url, path.read_text("utf-8"), problems, kinds)
    # The side navigation: a draft or repealed page's own link carries Material's status, titled in words.
    items = [(d["url"], d["state"]) for d in catalog["documents"]] + [(p["url"], p["state"]) for p in catalog["processes"]]
    for url, state in items:
        html = (site / url / "index.html").read_text("utf-8")
        active = re.search(r'<a href="\./" class="md-nav__link md-nav__link--active">(.*?)</a>', html, re.S)
        marker = re.findall(r'<span class="md-status md-status--([\w-]+)" title="([^"]*)"></span>', active.group(1)) if active else []
        expected = [(NAV[state], STATES[state][0])] if state in NAV else []
        if marker != expected:
            problems.append(f"{url}: navigation marker {marker}, expected {expected}")
        kinds["nav"] += 1
    return problems, kinds


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    built = build(REPO, site=tmp_path_factory.mktemp("reference") / "site")
    assert built.returncode == 0, built.output
    return built


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("status")
    root = write_handbook(folder / "h", files(generate(folder / "generated", 60, 8, seed=16)), roles=None)
    previous = folder / "previous.json"
    previous.write_text(json.dumps({"version": {"label": "förra"}, "documents": [], "processes": []}), "utf-8")
    built = build(root, today="2026-06-01", HANDBOOK_PREVIOUS_CATALOG=str(previous))
    assert built.returncode == 0, built.output
    return built


@pytest.mark.parametrize("name", ["reference", "generated"])
def test_one_status_language(name, request):
    built = request.getfixturevalue(name)
    problems, kinds = check_site(built.site, built.catalog)
    assert not problems, "\n".join(problems[:40])
    # Every kind of page was seen, with items in every state the handbook has.
    for kind in ("klassa", "roller", "processer", "card", "nav"):
        assert kinds[kind], (kind, kinds)
    if name == "generated":
        assert kinds["nytt"] and kinds["revision"], kinds
    states = {d["state"] for d in built.catalog["documents"]}
    assert {"fastställd", "upphävd"} <= states, states


def test_landscape_marks_every_band(reference):
    """The core band's chevrons say their review status as the other bands do (no CSS hides it)."""
    html = reference.page("processer")
    core = html.split("hb-landscape__band--core", 1)[1].split("hb-landscape__band--support", 1)[0]
    tiles = items_of(core)
    assert tiles and all(t["tags"] for t in tiles)
    assert any(t["attrs"]["data-review-status"] != "ok" for t in items_of(html))
