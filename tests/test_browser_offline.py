"""Offline: no page of any kind, nor the search, makes a request that leaves 127.0.0.1."""

import shutil

import pytest

from browser import Browser, served_site
from conftest import REPO, build


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    root = tmp_path_factory.mktemp("reference") / "h"
    root.mkdir()
    for name in ("mkdocs.yml", "docs", "processes", "overrides"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    built = build(root, strict=True)
    assert built.returncode == 0, built.output
    with served_site(built.site) as base_url, Browser(base_url) as b:
        b.catalog = built.catalog
        yield b


def kinds(catalog):
    """One page of each kind in the reference handbook."""
    return ["", catalog["documents"][0]["url"], catalog["processes"][0]["url"], "processer/", catalog["roles"][0]["url"],
            "roller/", "revision/", "klassa/", "klassa/2/", "nytt/", "finns-inte/"]


def test_no_request_leaves_the_machine(browser):
    for path in kinds(browser.catalog):
        page = browser.open(path)
        page.wait_for_load_state("networkidle")
    assert browser.foreign_requests() == []
    assert any(url.endswith("mermaid.min.js") for url in browser.requests)


def test_swedish_search_works_offline(browser):
    page = browser.open("")
    page.locator(".md-search__input").first.click()
    page.keyboard.type("rekrytering")  # Material listens to key events, not to a filled value
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert page.locator(".md-search-result__item").count() > 0
    assert browser.foreign_requests() == []
    assert any("lunr.sv" in url for url in browser.requests)
