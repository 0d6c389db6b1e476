"""Material's own page keys: a wrong value is a warning at its line and the page is built without it;
every text Material prints from a page's metadata is escaped once, so no value can run a script."""

import json
import time
from pathlib import Path

import material
import pytest
from markupsafe import Markup

from browser import Browser, served_site
from conftest import REPO, build, document, run_handbook, write_handbook
from handbook.core.problems import Problems
from handbook.core.source import split_front_matter
from handbook.core.theme_keys import _inventory, check_theme_keys, theme_inventory
from handbook.site.page_meta import for_theme

MATERIAL = Path(material.__file__).resolve().parent / "templates"
THEME = theme_inventory([REPO / "plugins" / "theme", MATERIAL])


def checked(front: str, theme=THEME) -> tuple[list[str], set[str]]:
    meta = split_front_matter(f"---\ntitle: Sida\n{front}\n---\n").meta
    problems = Problems("docs/p.md")
    dropped = check_theme_keys(meta, problems, theme)
    return [str(p) for p in problems.items], dropped


# front matter line(s) after `title:` → (line of the warning, its message begins, keys left out)
BAD_VALUES = {
    "icon: material/acount": (3, 'ikonen "material/acount" finns inte i temat. Menade du "material/account"?', {"icon"}),
    'icon: ":material-account:"': (3, 'ikonen ":material-account:" finns inte i temat. Menade du "material/account"?', {"icon"}),
    "icon: fontawsome/solid/user": (3, 'ikonen "fontawsome/solid/user" finns inte i temat. Menade du "fontawesome/solid/user"?', {"icon"}),
    "icon: [material/account]": (3, 'icon ska vara ett ikonnamn, t.ex. icon: material/account, inte ["material/account"]', {"icon"}),
    "template: mian.html": (3, 'mallen "mian.html" finns inte i temat. Menade du "main.html"?', {"template"}),
    "template:": (3, "template ska vara namnet på en mall i temat, t.ex. template: main.html, inte None", {"template"}),
    "hide: yes": (3, 'hide ska vara en lista, t.ex. hide: [toc], inte "yes"', {"hide"}),
    "hide: true": (3, "hide ska vara en lista, t.ex. hide: [toc], inte true", {"hide"}),
    "hide: [navigation, tco]": (3, 'hide: "tco" är inget som kan döljas. Menade du "toc"?', set()),
    "search: yes": (3, 'search ska vara nycklar med värden, t.ex. search: {exclude: true}, inte "yes"', {"search"}),
    "search:\n  exclude: true\n  boost: many": (5, 'search: boost ska vara ett tal, t.ex. boost: 2, inte "many"', {"search"}),
    "search:\n  exclude: no": (4, 'search: exclude ska vara true eller false, inte "no"', {"search"}),
    "search:\n  exlude: true": (4, 'search: okänd nyckel "exlude". Menade du "exclude"?', set()),
    'status: "New!"': (3, 'status ska vara ett ord (bokstäver, siffror, - eller _), t.ex. status: new eller status: deprecated, '
                          'inte "New!". Menade du "new"?', {"status"}),
    "status: [new]": (3, 'status ska vara ett ord (bokstäver, siffror, - eller _)', {"status"}),
    "tags: hr": (3, 'tags ska vara en lista med ord, t.ex. tags: [hr, rekrytering], inte "hr"', {"tags"}),
    "subtitle: {a: b}": (3, 'subtitle ska vara en text, inte {a: "b"}', {"subtitle"}),
    "description: [a, b]": (3, 'description ska vara en text, inte ["a", "b"]', {"description"}),
}


@pytest.mark.parametrize("front", BAD_VALUES)
def test_each_bad_value_is_one_warning_at_its_line(front):
    line, message, dropped_keys = BAD_VALUES[front]
    problems, dropped = checked(front)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"docs/p.md:{line}: warning: {message}")
    assert dropped == dropped_keys


def test_good_values_pass():
    front = ("icon: material/account\ntemplate: main.html\nhide: [navigation, toc]\nsearch: {boost: 2, exclude: false}\n"
             "status: deprecated\ntags: [hr, 2026, true]\ndescription: Om sidan\nsubtitle: 2026-01-01")
    assert checked(front) == ([], set())


def test_without_a_theme_only_types_are_checked():
    assert checked("icon: material/acount\ntemplate: mian.html", theme=None) == ([], set())
    problems, dropped = checked("icon: [x]\ntemplate:", theme=None)
    assert len(problems) == 2 and dropped == {"icon", "template"}


def test_inventory_lists_icons_and_templates(tmp_path):
    (tmp_path / "a" / ".icons" / "kommun").mkdir(parents=True)
    (tmp_path / "a" / ".icons" / "kommun" / "vapen.svg").write_text("<svg/>")
    (tmp_path / "a" / "partials").mkdir()
    (tmp_path / "a" / "partials" / "egen.html").write_text("")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "main.html").write_text("")
    inventory = theme_inventory([tmp_path / "a", tmp_path / "b", tmp_path / "saknas"])
    assert inventory.icons == {"kommun/vapen"}
    assert inventory.templates == {"partials/egen.html", "main.html"}


def test_materials_inventory_is_fast_and_read_once():
    dirs = (str(REPO / "plugins" / "theme"), str(MATERIAL))
    _inventory.cache_clear()
    start = time.perf_counter()
    inventory = theme_inventory(dirs)
    assert time.perf_counter() - start < 1.0  # about 0.02 s for Material's 14,000 icons
    assert len(inventory.icons) > 10_000 and {"material/account", "fontawesome/solid/user"} <= inventory.icons
    assert {"main.html", "blog.html", "partials/handbook/card.html"} <= inventory.templates
    assert theme_inventory(list(dirs)) is inventory


def test_for_theme_escapes_once_and_leaves_out_what_cannot_be_used():
    meta = {"title": "A & <b>", "description": "<i>", "tags": ["<x>", 5], "status": 'new" onclick="x',
            "icon": "material/acount", "hide": ["toc"], "search": {"exclude": True}, "doc_type": "<rutin>"}
    once = for_theme(meta, {"icon"})
    assert once == {"title": "A &amp; &lt;b&gt;", "description": "&lt;i&gt;", "tags": ["&lt;x&gt;", "5"],
                    "hide": ["toc"], "search": {"exclude": True}, "doc_type": "<rutin>"}
    assert isinstance(once["title"], Markup)
    assert for_theme(once) == once  # a second pass escapes nothing again
    assert for_theme({"status": "new"}) == {"status": "new"}


# -- a real build --------------------------------------------------------------------------------

CANARY = "kanarie7f3a"
PAYLOADS = ['"><img src=x onerror=window.__pwned=1>', "</title><script>window.__pwned=2</script>"]
PRINTED = ("description", "subtitle", "author", "revision_date")


def payload(key: str) -> str:
    return f"{key}{CANARY} {' '.join(PAYLOADS)}"


def page(title: str, front: str, body: str = "Text.") -> str:
    return f"---\ntitle: {title}\n{front}\n---\n\n{body}\n"


# Values Material cannot use: each page states its own (line 3).
TYPE_PAGES = {
    "docs/dolj-ja.md": "hide: yes",
    "docs/dolj-sant.md": "hide: true",
    "docs/sok-ja.md": "search: yes",
    "docs/sok-vikt.md": "search: {boost: many}",
    "docs/ikon-lista.md": "icon: [material/account]",
    "docs/mall-tom.md": "template:",
    "docs/status-lista.md": "status: [new]",
    "docs/taggar.md": "tags: {a: b}",
}
INJECTED = "\n".join([f"title: {json.dumps(payload('title'))}", *(f"{key}: {json.dumps(payload(key))}" for key in PRINTED),
                      f"tags: {json.dumps([payload('tags')])}",
                      f"status: {json.dumps(chr(34).join(['new', ' onmouseover=', 'window.__pwned=3']))}"])


def handbook_files() -> dict[str, str]:
    files = {path: page(path[5:-3], front) for path, front in TYPE_PAGES.items()}
    files["docs/rutin.md"] = document("Rutin", **{"hide": "true", "search": "yes"})
    files["docs/injektion.md"] = f"---\n{INJECTED}\n---\n\nSidan om {CANARY}.\n"
    files["docs/styrd-injektion.md"] = document("x", body=f"Styrd {CANARY}.\n").replace("title: x", INJECTED)
    files["docs/status-ok.md"] = page("Status", "status: new")
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build(write_handbook(tmp_path_factory.mktemp("theme-keys") / "h", handbook_files()))
    assert built.returncode == 0, built.output
    return built


def test_plain_build_publishes_every_page_without_the_bad_value(site):
    for path, front in TYPE_PAGES.items():
        key = front.split(":")[0]
        assert f"{path}:3: warning: {key}" in site.output
        html = site.page(path[5:-3])
        assert 'class="md-header' in html  # Material's own template: the page is built as any other
    assert "docs/rutin.md:" in site.output and site.has_page("rutin")
    assert "Traceback" not in site.output
    index = (site.site / "search" / "search_index.json").read_text("utf-8")
    assert "many" not in index
    assert site.page("sok-ja").count("md-sidebar--primary") == 1  # hide: yes hides nothing, as if it were not there


def test_strict_build_fails_on_the_warnings(site):
    strict = build(site.root, strict=True, site=site.root / "strict-site")
    assert strict.returncode != 0
    assert "docs/dolj-sant.md:3: warning: hide ska vara en lista" in strict.output


def test_check_prints_the_same_warnings(site):
    result = run_handbook(site.root, "check")
    assert "Traceback" not in result.stdout + result.stderr
    for path, front in TYPE_PAGES.items():
        line = next(line for line in site.output.splitlines() if f"{path}:3: warning: " in line)
        assert line[line.index(path):] in result.stdout


def test_status_must_be_one_css_class(site):
    assert 'md-status md-status--new"' in site.page("status-ok")
    for url in ("injektion", "styrd-injektion"):
        assert f"docs/{url}.md:" in site.output and "status ska vara ett ord" in site.output
    assert "onmouseover" not in "".join(path.read_text("utf-8", "replace") for path in site.site.rglob("*.html"))


def test_printed_keys_are_escaped_in_every_page_and_the_search_index(site):
    """(handbook.json is data, not HTML: it keeps the title as written.)"""
    pages = [*site.site.rglob("*.html"), site.site / "search" / "search_index.json"]
    outputs = "".join(path.read_text("utf-8", "replace") for path in pages)
    assert CANARY in outputs
    for text in PAYLOADS:
        assert text not in outputs
        assert json.dumps(text)[1:-1] not in outputs  # not even in the search index's JSON


@pytest.fixture(scope="module")
def browser(site):
    with served_site(site.site) as base_url, Browser(base_url) as b:
        yield b


@pytest.mark.parametrize("url", ["injektion/", "styrd-injektion/"])
def test_no_payload_runs_in_the_browser(browser, url):
    page = browser.open(url)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img[src=x], [onerror], [onmouseover]").count() == 0
    assert page.evaluate("[...document.scripts].some(s => s.textContent.includes('__pwned'))") is False
    assert page.title() == f"{payload('title')} - Processhandboken"
    head = {key: page.locator(f'meta[name="{key}"]').get_attribute("content") for key in ("description", "author")}
    assert head == {key: payload(key) for key in head}
    assert payload("subtitle") in page.locator(".md-nav--primary small").all_inner_texts()
    assert payload("revision_date") in page.locator(".md-source-file").inner_text()
    assert payload("title") in page.locator("h1").first.inner_text()
    assert browser.errors == []


def test_search_results_show_tags_as_text(browser):
    page = browser.open("")
    page.locator(".md-search__input").first.click()
    page.keyboard.type(f"sidan om {CANARY}")
    page.wait_for_selector(".md-search-result__item .md-tag", timeout=15000)
    assert payload("tags") in page.locator(".md-search-result .md-tag").all_inner_texts()
    assert page.locator(".md-search-result img, .md-search-result script").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


# -- names looked up in the theme: needs the handbook to pass Settings.theme to read_document -------------

NAME_PAGES = {
    "docs/ikon.md": ("icon: material/acount", 'ikonen "material/acount" finns inte i temat. Menade du "material/account"?'),
    "docs/mall.md": ("template: mian.html", 'mallen "mian.html" finns inte i temat. Menade du "main.html"?'),
}


@pytest.fixture(scope="module")
def named(tmp_path_factory):
    files = {path: page(path[5:-3], front) for path, (front, _) in NAME_PAGES.items()}
    files["docs/styrd-ikon.md"] = document("Styrd ikon", icon="material/acount")
    files["docs/ikon-ok.md"] = page("Ikon", "icon: material/account-box")
    files["docs/egen-ikon.md"] = page("Egen ikon", "icon: kommun/vapen")
    files["overrides/.icons/kommun/vapen.svg"] = '<svg id="kommunvapen"></svg>'
    return write_handbook(tmp_path_factory.mktemp("theme-names") / "h", files)


def test_unknown_icon_or_template_is_a_warning_and_the_page_is_built(named):
    built = build(named)
    assert built.returncode == 0, built.output
    for path, (_, message) in NAME_PAGES.items():
        assert f"{path}:3: warning: {message}" in built.output
        assert built.has_page(path[5:-3])
    assert 'docs/styrd-ikon.md:' in built.output and built.has_page("styrd-ikon")
    assert 'id="kommunvapen"' in built.page("egen-ikon")  # icons of overrides/ are the theme's too
    assert "docs/ikon-ok.md" not in built.output and "docs/egen-ikon.md" not in built.output
    assert 'class="md-ellipsis"' in built.page("ikon-ok") and "<svg" in built.page("ikon-ok").split('class="md-ellipsis"')[0]


def test_check_names_unknown_icons_and_templates(named):
    result = run_handbook(named, "check")
    for path, (_, message) in NAME_PAGES.items():
        assert f"{path}:3: warning: {message}" in result.stdout


def test_the_theme_folders_are_listed_only_when_a_page_asks(tmp_path):
    """`handbook check` of pages without icon or template does not list Material's icons (issue 19)."""
    _inventory.cache_clear()
    inventory = theme_inventory([tmp_path / "listad-forst-nu"])
    assert _inventory.cache_info().currsize == 0
    problems, _ = checked("title: Utan ikon", theme=inventory)
    assert problems == [] and _inventory.cache_info().currsize == 0
    assert inventory.icons == frozenset() and _inventory.cache_info().currsize == 1
