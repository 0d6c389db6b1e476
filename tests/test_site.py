"""Sites built by MkDocs from small handbooks: navigation, Klassa pages, cards, banners and handbook.json."""

import json
import re

import pytest

from conftest import MORE_ROLES, build, document, process, write_handbook

pytestmark = pytest.mark.engines  # run on MkDocs and, by make test, on ProperDocs

NAV_LINK = re.compile(r'<a href="([^"]*)" class="md-nav__link')


def nav_labels(html: str) -> list[str]:
    """Labels of the primary navigation, in order."""
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>\n</div>", 1)[0]
    labels = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.S)
    return [re.sub(r"\s+", " ", label) for label in labels]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site") / "handbook"
    files = {
        "docs/index.md": "---\ntitle: Start\n---\nVälkommen.\n",
        "docs/hjalp.md": "# Hjälp\n\nSå här läser du handboken.\n",
        "docs/hr/b-rutin.md": document("Rutin B", klassa="2.3.2", doc_type="rutin"),
        "docs/hr/a-policy.md": document("Policy A", klassa="2.3.2", doc_type="policy"),
        "docs/hr/lokal.md": document("Lokal rutin", klassa="2.3.2.1"),
        "docs/stod/tio.md": document("Förvaltningsstöd", klassa="2.10", version="1.10"),
        "docs/stod/nio.md": document("Information", klassa="2.9"),
        "docs/ledning/gammal.md": document("Gammal policy", klassa="1.1", state="upphävd", review_date="2026-01-01"),
        "docs/ledning/ny.md": document("Ny policy", klassa="1.1", replaces=["ledning/gammal.md"], review_date="2026-12-01"),
        "docs/ledning/fel.md": document("Trasig metadata", klassa="1.1", owner="okand"),
        "docs/ledning/okand-kod.md": document("Okänd kod", klassa="9.9.9"),
        "docs/hemlig.md": document("HEMLIGTITEL", klassa="1.1", information_class="K3"),
        "docs/lankar.md": "# Länkar\n\n[Se det hemliga](hemlig.md) och [Ny](ledning/ny.md).\n",
        "processes/rekrytering.yml": process("rekrytering", [{"id": "a", "name": "Steg A", "role": "hr-chef"}], klassa="2.3.2.1"),
    }
    root = write_handbook(root, files, roles=MORE_ROLES, klassa={"2.3.2.1": "Rekrytering"})
    built = build(root)
    assert built.returncode == 0, built.output
    return built


def test_lossless_values_in_catalog(site):
    entry = next(d for d in site.catalog["documents"] if d["path"] == "stod/tio.md")
    assert (entry["klassa"], entry["version"], entry["klassa_name"]) == ("2.10", "1.10", "Förvaltningsstöd")


def test_catalog_shape(site):
    catalog = site.catalog
    assert catalog["today"] == "2026-11-21"
    paths = [d["path"] for d in catalog["documents"]]
    assert paths == sorted(paths) and "hemlig.md" not in paths and "index.md" not in paths
    for entry in catalog["documents"]:
        assert set(entry) >= {"path", "url", "title", "doc_type", "klassa", "owner", "version", "state", "review_date", "review_status"}
        assert site.has_page(entry["url"].rstrip("/"))
    assert [p["id"] for p in catalog["processes"]] == ["rekrytering"]
    process = catalog["processes"][0]
    assert process["leader"] == "hr-chef" and process["steps"] == [{"id": "a", "name": "Steg A", "role": "hr-chef", "kind": "task"}]
    assert {r["id"]: r["url"] for r in catalog["roles"]}["hr-chef"] == "roller/hr-chef/"


def test_review_status_in_catalog_and_page(site):
    statuses = {d["path"]: d["review_status"] for d in site.catalog["documents"]}
    assert statuses["ledning/ny.md"] == "due" and statuses["ledning/gammal.md"] == "overdue" and statuses["hr/lokal.md"] == "ok"
    assert 'data-review-status="due"' in site.page("ledning/ny")
    assert 'data-review-status="overdue"' in site.page("ledning/gammal")
    assert "Revision försenad" in site.page("ledning/gammal")


def test_repealed_document_is_marked(site):
    html = site.page("ledning/gammal")
    assert 'data-state="upphävd"' in html and "upphävt och gäller inte längre" in html
    assert 'href="../../ledning/ny/"' in html  # "Ersatt av"


def test_card_shows_metadata_with_role_and_klassa_links(site):
    html = site.page("hr/lokal")
    card = html.split('<aside class="hb-card"', 1)[1].split("</aside>", 1)[0]
    for text in ("Rutin", "HR-chef", "2.3.2.1 Rekrytering", "1.0", "Fastställd", "2025-01-01", "2027-06-30", "Kommunstyrelsen"):
        assert text in card, text
    assert 'href="../../roller/hr-chef/"' in card and 'href="../../klassa/2.3.2.1/"' in card


def test_invalid_document_is_published_with_banner(site):
    html = site.page("ledning/fel")
    assert "har fel i sina uppgifter" in html and "okänd roll" in html
    assert site.has_page("ledning/okand-kod")
    assert "Saknar giltig Klassa-kod" in nav_labels(html)


def test_navigation_is_the_klassa_tree(site):
    labels = nav_labels(site.page("stod/tio"))
    assert labels[:3] == ["Start", "Hjälp", "Länkar"]
    top = [label for label in labels if re.match(r"^\d [A-ZÅÄÖ]", label)]
    assert top == ["1 Ledning", "2 Verksamhetsstöd"]
    assert labels.index("2.9 Information och marknadsföring") < labels.index("2.10 Förvaltningsstöd")
    assert "3 Kärnverksamhet" not in labels  # empty branches are left out


def test_documents_in_type_order_under_their_code(site):
    labels = nav_labels(site.page("hr/a-policy"))
    assert labels.index("Policy A") < labels.index("Rutin B") < labels.index("2.3.2.1 Rekrytering")


def test_klassa_pages(site):
    index = site.page("klassa")
    assert index.index("1 Ledning") < index.index("2 Verksamhetsstöd")
    vt2 = site.page("klassa/2")
    for url in ("hr/b-rutin/", "hr/a-policy/", "hr/lokal/", "stod/tio/", "stod/nio/", "processer/rekrytering/"):
        assert f'href="../../{url}"' in vt2, url
    assert vt2.index("stod/nio/") < vt2.index("stod/tio/")
    assert not site.has_page("klassa/3") and not site.has_page("klassa/2.4")


def test_classified_document_is_nowhere(site):
    assert not site.has_page("hemlig")
    for path in site.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            assert "HEMLIGTITEL" not in path.read_text("utf-8", "replace"), path
            assert "hemlig/" not in path.read_text("utf-8", "replace"), path
    assert "ej publicerat innehåll" in site.page("lankar")


def test_swedish_and_offline(site):
    html = site.page("hr/lokal")
    assert '<html lang="sv"' in html
    assert "fonts.googleapis" not in html and "unpkg.com" not in html and "cdn.jsdelivr" not in html
    search = json.loads((site.site / "search" / "search_index.json").read_text("utf-8"))
    assert search["config"]["lang"] == ["sv"]
    assert (site.site / "assets/javascripts/lunr/min/lunr.sv.min.js").is_file()


def test_strict_build_fails_on_metadata_problems(site, tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/a.md": document("A", ownr="hr-chef")})
    built = build(root, strict=True)
    assert built.returncode == 1 and "docs/a.md:11: warning:" in built.output and "Traceback" not in built.output
    plain = build(root)
    assert plain.returncode == 0 and plain.has_page("a")


def test_broken_front_matter_withholds_the_page_and_keeps_the_others(tmp_path):
    """Its information class cannot be read, so it counts as the highest (fail closed)."""
    root = write_handbook(tmp_path / "h", {"docs/a.md": "---\ntitle: Trasig\nklassa: [2.3\nowner: hr-chef\n---\n\nBrödtexten finns kvar.\n",
                                           "docs/b.md": document("B")})
    built = build(root)
    assert built.returncode == 0, built.output
    assert not built.has_page("a") and built.has_page("b")
    assert "docs/a.md:3: error: YAML kan inte läsas" in built.output  # where the unclosed [ starts and "publiceras inte" in built.output


def test_windows_1252_page_still_builds(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/a.md": document("Åtgärd", body="Öppna dörren.\n").encode("cp1252")})
    built = build(root)
    assert built.returncode == 0 and "Traceback" not in built.output
    assert "Öppna dörren." in built.page("a") and "UTF-8" in built.output


def test_page_html_does_not_grow_with_the_handbook(tmp_path):
    def page_size(extra: int) -> int:
        files = {"docs/a/x.md": document("X", klassa="2.3.2")}
        for i in range(extra):
            files[f"docs/b/d{i}.md"] = document(f"Dokument {i}", klassa=f"3.{1 + i % 8}.{1 + i % 3}")
        built = build(write_handbook(tmp_path / f"h{extra}", files))
        assert built.returncode == 0, built.output
        return len(built.page("a/x"))

    small, large = page_size(2), page_size(120)
    assert large - small < 2500, (small, large)
