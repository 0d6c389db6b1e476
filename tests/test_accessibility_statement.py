"""The accessibility statement (tillgänglighetsredogörelse, DOS-lagen; issue 16, item 8).

A generated page `tillganglighet/` from the settings under `accessibility:` with what Digg's model
asks for: who stands behind the site, how far it complies, the content that is not accessible,
how to report a problem, the supervisory authority (Digg) and how to reach it, and how and when
the site was assessed. Every page's footer links it. Missing or contradictory settings are warnings
naming mkdocs.yml's line; `docs/tillganglighet/` is reserved for it.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import Browser, served_site
from conftest import REPO, build, document, process, run_handbook, write_handbook

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
STATEMENT = "tillganglighet/"
RESPONSIBLE = "Kanariekommunen <b>KANARIEFET</b>"
ISSUES = ["KANARIEBRIST ett: kartan <script>window.hbKanarie = 1</script> saknar text", "KANARIEBRIST två *inte kursiv*"]
SETTINGS = f"""      accessibility:
        responsible: "{RESPONSIBLE}"
        contact: tillganglighet-kanarie@example.se
        assessed: 2026-10-15
        updated: 2026-11-02
        method: KANARIEMETOD med skärmläsare
        compliance: delvis
        known_issues:
          - "{ISSUES[0]}"
          - "{ISSUES[1]}"
"""
FILES = {
    "docs/hr/rutin.md": document("Rutin för kravprofil", klassa="2.3.2"),
    "processes/p.yml": process("p", [{"id": "a", "name": "Steg", "role": "hr-chef", "documents": ["hr/rutin.md"]}]),
}


def mkdocs_yml(accessibility: str = "") -> str:
    """The project's mkdocs.yml with its own accessibility: block replaced (or left out)."""
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    text, replaced = re.subn(r"      accessibility:.*?\n(?=  - )", accessibility, text, flags=re.S)
    assert replaced == 1
    return text


def handbook(root: Path, accessibility: str = "", files: dict | None = None, **kwargs):
    return build(write_handbook(root, {**FILES, **(files or {})}, mkdocs_yml=mkdocs_yml(accessibility)), **kwargs)


def statement_warning(output: str) -> str:
    """The build's one warning about the statement, from its PATH:LINE: on, or ""."""
    found = re.findall(r"\S+: warning: tillgänglighetsredogörelsen \(tillganglighet/\).*", output)
    assert len(found) <= 1, found
    return found[0] if found else ""


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    built = handbook(tmp_path_factory.mktemp("statement") / "h", SETTINGS, strict=True)
    assert built.returncode == 0, built.output
    with served_site(built.site) as base_url, Browser(base_url) as session:
        session.built = built
        yield session


def test_the_settings_build_strictly_without_a_warning(configured):
    assert statement_warning(configured.built.output) == ""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_statement_says_what_digg_asks_for(configured, width):
    page = configured.page
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(configured.url(STATEMENT), wait_until="load")
    assert response.status == 200
    assert page.title() == "Tillgänglighetsredogörelse - Processhandboken"
    article = page.locator("article")
    expect(article.locator("h1")).to_have_text("Tillgänglighetsredogörelse")
    assert [h.replace("¶", "") for h in article.locator("h2").all_inner_texts()] == [
        "Hur tillgänglig är webbplatsen?", "Innehåll som inte är tillgängligt",
        "Rapportera brister eller be om innehåll i annan form", "Tillsyn", "Hur vi har testat webbplatsen"]
    text = article.inner_text()
    # Who: the public actor and the service, written as text (never as markup).
    assert f"{RESPONSIBLE} står bakom webbplatsen Processhandboken" in text
    assert article.locator("b").count() == 0
    # How far it complies: Digg's wording.
    expect(article.locator(".hb-a11y-compliance")).to_have_text(re.compile(
        r"^Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital offentlig service, "
        r"på grund av de brister som beskrivs nedan\.$"))
    # What is not accessible: each known issue as written.
    expect(article.locator(".hb-a11y-issues li")).to_have_text(ISSUES)
    assert page.evaluate("window.hbKanarie") is None
    # How to report: the contact as a mailto: link.
    contact = article.get_by_role("link", name="tillganglighet-kanarie@example.se")
    expect(contact).to_have_attribute("href", "mailto:tillganglighet-kanarie@example.se")
    # The supervisory authority and how to reach it.
    assert "Myndigheten för digital förvaltning (Digg) ansvarar för tillsynen" in text
    expect(article.get_by_role("link", name="Anmäl bristande tillgänglighet till Digg")).to_have_attribute(
        "href", "https://www.digg.se/tdosanmalan")
    expect(article.get_by_role("link", name="info@digg.se")).to_have_attribute("href", "mailto:info@digg.se")
    assert "Telefon: 0771-11 44 00" in text
    # How and when it was assessed.
    assessment = article.locator(".hb-a11y-assessment")
    expect(assessment).to_have_text("Vi har bedömt webbplatsen genom KANARIEMETOD med skärmläsare. Den senaste "
                                    "bedömningen gjordes 15 oktober 2026. Redogörelsen uppdaterades senast 2 november 2026.")
    assert assessment.locator("time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))") == \
        ["2026-10-15", "2026-11-02"]
    # Readable on a phone: nothing wider than the window.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    violations = [v["id"] for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert violations == []
    assert configured.errors == []


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def footer_targets(site: Path, html_file: Path) -> list[str]:
    """Where the footer's statement link of a built page leads, as a path in the site."""
    html = html_file.read_text("utf-8")
    footer = html[html.index('<footer class="md-footer">'):]
    hrefs = re.findall(r'<a href="([^"]*)">Tillgänglighetsredogörelse</a>', footer)
    if html_file.name == "404.html":
        return [href.lstrip("/") for href in hrefs]  # absolute: site_url's path is /
    page = html_file.parent.relative_to(site).as_posix()
    return [posixpath.normpath(posixpath.join(page, href)) + "/" for href in hrefs]


def test_every_page_links_the_statement_in_its_footer(configured):
    site = configured.built.site
    pages = sorted(site.rglob("index.html")) + [site / "404.html"]
    assert len(pages) >= 10
    for html_file in pages:
        assert footer_targets(site, html_file) == [STATEMENT], html_file
    assert (site / STATEMENT / "index.html").is_file()


def test_the_footer_link_leads_to_the_statement_at_both_widths(configured):
    page = configured.page
    catalog = configured.built.catalog
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for url in ("", catalog["documents"][0]["url"], catalog["processes"][0]["url"], "roller/hr-chef/", "klassa/"):
            page.goto(configured.url(url), wait_until="load")
            link = page.locator("footer").get_by_role("link", name="Tillgänglighetsredogörelse")
            link.scroll_into_view_if_needed()
            expect(link).to_be_visible()
            link.click()
            page.wait_for_url(configured.url(STATEMENT))
            expect(page.locator("article h1")).to_have_text("Tillgänglighetsredogörelse")


def test_the_reference_handbooks_statement(tmp_path):
    built = build(REPO, strict=True, site=tmp_path / "site")
    assert built.returncode == 0, built.output
    assert statement_warning(built.output) == ""
    html = built.page("tillganglighet")
    assert "Tallby kommun står bakom webbplatsen Processhandboken" in html
    assert 'href="mailto:tillganglighet@tallby.se"' in html
    assert len(re.findall(r"<li>", html.split('class="hb-a11y-issues"')[1].split("</ul>")[0])) >= 1


def test_missing_settings_warn_at_the_plugins_line_and_the_page_is_still_built(tmp_path):
    built = handbook(tmp_path / "h")
    assert built.returncode == 0, built.output
    line = mkdocs_yml().splitlines().index("  - handbook:") + 1
    warning = statement_warning(built.output)
    assert warning.startswith(f"mkdocs.yml:{line}: warning: tillgänglighetsredogörelsen (tillganglighet/) är ofullständig")
    for key in ("ange responsible", "ange contact", "ange assessed", "compliance är delvis men known_issues är tom"):
        assert key in warning
    html = built.page("tillganglighet")
    assert "Tallby kommun står bakom webbplatsen Processhandboken" in html  # the copyright line stands in
    assert "Datum för den senaste bedömningen är inte angivet." in html
    assert "Kontakta Tallby kommun." in html
    assert "Traceback" not in built.output
    strict = handbook(tmp_path / "s", strict=True)
    assert strict.returncode == 1 and statement_warning(strict.output)


def test_a_web_address_contact_a_full_compliance_and_wrong_values(tmp_path):
    full = handbook(tmp_path / "full", """      accessibility:
        responsible: Tallby kommun
        contact: https://tallby.example.se/synpunkter?amne=tillganglighet&x=1
        assessed: 2026-09-30
        compliance: helt
""", strict=True)
    assert full.returncode == 0, full.output
    html = full.page("tillganglighet")
    assert 'href="https://tallby.example.se/synpunkter?amne=tillganglighet&amp;x=1"' in html
    assert "<strong>helt förenlig</strong> med lagen om tillgänglighet till digital offentlig service.</p>" in html
    assert "Vi känner inte till några brister i webbplatsens tillgänglighet." in html
    assert "Redogörelsen uppdaterades senast <time datetime=\"2026-09-30\">30 september 2026</time>" in html
    wrong = handbook(tmp_path / "wrong", """      accessibility:
        responsible: Tallby kommun
        contact: 0500-12 34 56
        assessed: 30/9 2026
        compliance: helt
        known_issues: [Bilagor i PDF]
""")
    assert wrong.returncode == 0, wrong.output
    warning = statement_warning(wrong.output)
    assert warning.startswith("mkdocs.yml:"), warning
    assert 'assessed: "30/9 2026" är inget datum; skriv ÅÅÅÅ-MM-DD' in warning
    assert "compliance är helt men known_issues listar brister" in warning
    assert "ange responsible" not in warning and "ange contact" not in warning
    html = wrong.page("tillganglighet")
    assert '<span class="hb-a11y-contact">0500-12 34 56</span>' in html
    reported = int(warning.split(":")[1])
    assert wrong.root.joinpath("mkdocs.yml").read_text("utf-8").splitlines()[reported - 1].strip() == "accessibility:"


def test_an_unknown_compliance_is_a_settings_error(tmp_path):
    root = write_handbook(tmp_path / "h", FILES, mkdocs_yml=mkdocs_yml("      accessibility:\n        compliance: kanske\n"))
    result = run_handbook(root, "check")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "handbook-inställningen accessibility" in result.stderr and "Traceback" not in result.stderr
    assert build(root).returncode != 0


def test_docs_may_not_use_the_statements_folder(tmp_path):
    built = handbook(tmp_path / "h", SETTINGS, files={"docs/tillganglighet/egen.md": "# Egen redogörelse\n"})
    assert "docs/tillganglighet/egen.md:1: error: mappen docs/tillganglighet/ används av handbokens genererade sidor" \
        in built.output
