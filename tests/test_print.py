"""Printing: a document prints with its metadata card and banners, without navigation, header,
footer, search or table of contents, and the content uses the whole sheet."""

from __future__ import annotations

import re

import pytest

from browser import Browser, served_site
from conftest import build, document, process, write_handbook

BODY = "## Syfte\n\nText om syftet.\n\n## Genomförande\n\n1. Ett steg.\n2. Ett till.\n"
FILES = {
    "docs/hr/rutin.md": document("Rutin för introduktion", body=BODY, review_date="2026-10-01"),
    "docs/hr/annan.md": document("Annan rutin", body=BODY),
    "processes/p.yml": process("p", [{"id": "a", "name": "Gör", "role": "hr-chef", "documents": ["hr/rutin.md"]},
                                     {"id": "b", "name": "Klart?", "role": "hr-chef", "kind": "decision",
                                      "next": {"Ja": "c", "Nej": "a"}},
                                     {"id": "c", "name": "Avsluta", "role": "hr-chef"}], name="Processen"),
}
HIDDEN = {  # what must not be printed: selector → what it is
    ".md-header": "sidhuvud",
    ".md-search": "sök",
    ".md-tabs": "flikar",
    ".md-sidebar--primary": "navigation",
    ".md-sidebar--secondary": "innehållsförteckning",
    ".md-footer": "sidfot",
    ".md-top": "till toppen",
}
VISIBLE = """selector => [...document.querySelectorAll(selector)].some(e => e.checkVisibility())"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    root = write_handbook(tmp_path_factory.mktemp("print") / "h", FILES)
    built = build(root, strict=True)
    assert built.returncode == 0, built.output
    with served_site(built.site) as base_url, Browser(base_url) as b:
        yield b


def visible(page, selector: str) -> bool:
    return page.evaluate(VISIBLE, selector)


def test_screen_shows_the_navigation_print_does_not(browser):
    page = browser.open("hr/rutin/")
    page.emulate_media(media="screen")
    assert visible(page, ".md-header") and visible(page, ".md-sidebar--primary") and visible(page, ".md-footer")
    page.emulate_media(media="print")
    shown = [name for selector, name in HIDDEN.items() if visible(page, selector)]
    assert shown == []


def test_print_keeps_card_banner_and_text(browser):
    page = browser.open("hr/rutin/")
    page.emulate_media(media="print")
    for selector in (".hb-card", ".hb-banner--overdue", "article h1", "article h2"):
        assert visible(page, selector), selector
    card = page.inner_text(".hb-card")
    for label in ("Dokumentansvarig", "Klassa", "Version", "Gäller fr.o.m.", "Ska revideras senast", "Beslutad av"):
        assert label in card
    banner = page.eval_on_selector(".hb-banner--overdue", """e => {
        const s = getComputedStyle(e); return [s.backgroundColor, s.printColorAdjust, s.breakInside]; }""")
    assert banner[0] not in ("rgba(0, 0, 0, 0)", "transparent") and banner[1] == "exact" and banner[2] == "avoid"
    notice = page.eval_on_selector(".md-content__inner", "e => getComputedStyle(e, '::before').content")
    assert "Kontrollera i handboken att du läser den gällande versionen" in notice


def test_print_content_fills_the_sheet(browser):
    page = browser.open("hr/rutin/")
    page.emulate_media(media="print")
    left, width = page.eval_on_selector(".md-content", "e => [e.getBoundingClientRect().left, e.getBoundingClientRect().width]")
    viewport = page.evaluate("window.innerWidth")
    assert left < 0.05 * viewport and width > 0.9 * viewport


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def test_document_and_process_print_to_pdf(browser):
    page = browser.open("hr/rutin/")
    document_pdf = page.pdf(format="A4")
    assert document_pdf.startswith(b"%PDF") and pdf_pages(document_pdf) == 1
    page = browser.open("processer/p/")
    page.wait_for_selector("div.mermaid svg", timeout=20000)
    page.emulate_media(media="print")
    assert visible(page, ".hb-card") and visible(page, ".hb-steps table") and visible(page, ".hb-map div.mermaid")
    assert not visible(page, ".md-sidebar--primary")
    process_pdf = page.pdf(format="A4")
    assert process_pdf.startswith(b"%PDF") and 1 <= pdf_pages(process_pdf) <= 3
