"""Issue 18 items 1-4: every decided version stays readable (arkiv/...), the version list on each page,
`handbook as-of` and handbook.json's validity intervals, succession both ways.

One handbook with real git commits (several decided versions, a correction without a new version, a
repeal with a successor, one without, a version that was K2 and lowered without a new number, a version
classified in between, a document withheld today with older public versions), built ONCE; the core is
asked in-process; one CLI run per format."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import MORE_ROLES, build, document, process, run_handbook, write_handbook
from test_item9_history import site_bytes

from handbook.core.archive import IN_FORCE, NOT_PUBLISHED, NOT_YET, REPEALED, version_archive
from handbook.core.handbook import Handbook, Settings

TODAY = "2026-11-21"
CANARIES = (b"CANARYUNREADABLE", b"TRASIG10", b"TRASIG11", b"CANARYK3LON30", b"CANARYK3DNR", b"CANARYK2SANKT", b"CANARYWITHHELDTODAY", b"CANARYHEMLIGSTEG")


def git(repo: Path, *args: str, when: str = "2025-01-01T10:00:00+01:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Anna", "GIT_AUTHOR_EMAIL": "anna@tallby.se", "GIT_AUTHOR_DATE": when,
           "GIT_COMMITTER_NAME": "Anna", "GIT_COMMITTER_EMAIL": "anna@tallby.se", "GIT_COMMITTER_DATE": when,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def commit(repo: Path, day: str, message: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, "utf-8")
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message, when=f"{day}T10:00:00+01:00")


def lon(version: str, body: str, **fields) -> str:
    return document("Rutin för löneväxling", body, version=version, **fields)


LON_20 = """Text VERSIONLON20.

Se [Grannen](grannen.md), [den hemliga](hemlig.md "titel") och [en borttagen](borta.md).
Också ![bild](bilder/logga.png) och [grannens mapp](../grannen/).

[ref-hemlig]: hemlig.md

<a href="../hemlig/">rå länk</a>
"""
HOSTILE_TITLE = "'<script>alert(\"ELAKTITEL\")</script> *fet* & {{ x }}'"
HOSTILE_VERSION = "'2.0/../<b>HOSTILEV</b>'"
STEPS_1 = [{"id": "s1", "name": "Steg ETT", "role": "hr-chef", "documents": ["hr/grannen.md"]}]
STEPS_2 = [{"id": "s1", "name": "Steg TVÅ", "role": "hr-chef", "documents": ["hr/hemlig.md", "hr/grannen.md"]},
           {"id": "s2", "name": "Avsluta", "role": "hr-konsult"}]


@pytest.fixture(scope="module")
def handbook_root(tmp_path_factory) -> Path:
    root = write_handbook(tmp_path_factory.mktemp("arkiv") / "h", {}, roles=MORE_ROLES)
    git(root, "init", "-q")
    roles = (root / "processes/roles.yml").read_text("utf-8")
    commit(root, "2025-01-10", "Start", {
        "docs/index.md": "# Start\n", "processes/roles.yml": roles,
        "docs/hr/lon.md": lon("1.0", "Text VERSIONLON10.\n", state="utkast", valid_from=None, decided_by=None),
        "docs/hr/grannen.md": document("Grannen", "![Logga](bilder/logga.png)\n"),
        "docs/hr/bilder/logga.png": "PNG",
        "docs/hr/gammal.md": document("Gammal rutin", "Text VERSIONGAMMAL10.\n", valid_from="2024-01-01"),
        "docs/hr/ensam.md": document("Ensam rutin", valid_from="2024-01-01"),
        "docs/hr/hemlig.md": document("Hemlig rutin", "Text CANARYWITHHELDTODAY publik då.\n", valid_from="2024-01-01"),
        "docs/hr/sankt.md": document("Sänkt rutin", "Text CANARYK2SANKT.\n", information_class="K2", valid_from="2025-01-01"),
    })
    commit(root, "2025-01-20", "Fastställd", {
        "docs/hr/lon.md": lon("1.0", "Text VERSIONLON10.\n", valid_from="2025-02-01", decision_date="2025-01-20",
                              diarienummer="KS 2025/1"),
        "processes/p.yml": process("p", STEPS_1, version="1.0", valid_from="2025-02-01", decided_by="Kommundirektören"),
        "docs/hr/elak.md": document(HOSTILE_TITLE, "Text ELAK1.\n", version='"1.0"', diarienummer='"<b>DNRHOSTILE</b>"'),
        "docs/hr/trasig.md": document("Trasig", "Text TRASIG10.\n", valid_from="2025-02-01")})
    # Front matter that cannot be read (its class unknown): the versions on both sides of it stay out.
    commit(root, "2025-02-10", "Trasig", {"docs/hr/trasig.md": "---\ntitle: [\ninformation_class: K3\n---\nCANARYUNREADABLE\n"})
    commit(root, "2025-02-20", "Hel igen", {"docs/hr/trasig.md": document("Trasig", "Text TRASIG11.\n", version="1.1",
                                                                         valid_from="2025-02-20")})
    commit(root, "2025-03-01", "Stavfel", {
        "docs/hr/lon.md": lon("1.0", "Text VERSIONLON10 rättad.\n", valid_from="2025-02-01", decision_date="2025-01-20",
                              diarienummer="KS 2025/1")})
    commit(root, "2025-06-01", "Utkast 2.0", {
        "docs/hr/lon.md": lon("2.0", LON_20, state="utkast", valid_from=None, decided_by=None),
        "docs/hr/hemlig.md": document("Hemlig rutin", "Nu K3.\n", version="2.0", information_class="K3"),
        "docs/hr/sankt.md": document("Sänkt rutin", "Text sänkt.\n", valid_from="2025-01-01")})
    commit(root, "2025-06-15", "Version 2.0", {
        "docs/hr/lon.md": lon("2.0", LON_20, valid_from="2025-07-01", decided_by="Kommunfullmäktige", diarienummer="KF 2025/7"),
        "processes/p.yml": process("p", STEPS_2, version="2.0", valid_from="2025-07-01", decided_by="Kommundirektören",
                                   diarienummer="KS 2025/99")})
    commit(root, "2025-09-01", "Skyddad version", {
        "docs/hr/lon.md": lon("3.0", "Text CANARYK3LON30.\n", valid_from="2025-09-01", information_class="K3",
                              diarienummer="CANARYK3DNR"),
        "docs/hr/gammal.md": document("Gammal rutin", "Text VERSIONGAMMAL10.\n", valid_from="2024-01-01", state="upphävd",
                                      repealed_from="2025-09-01"),
        "docs/hr/ny.md": document("Ny rutin", valid_from="2025-09-01", replaces=["hr/gammal.md"]),
        "docs/hr/ensam.md": document("Ensam rutin", valid_from="2024-01-01", state="upphävd")})
    commit(root, "2025-10-01", "Version 3.1", {
        "docs/hr/lon.md": lon("3.1", "Text VERSIONLON31.\n", valid_from="2025-10-01"),
        "docs/hr/sankt.md": document("Sänkt rutin", "Text sänkt 1.1.\n", version="1.1", valid_from="2025-10-01"),
        "docs/hr/elak.md": document(HOSTILE_TITLE, "Text ELAK2.\n", version=HOSTILE_VERSION, valid_from="2025-10-01"),
        "docs/hr/trasig.md": document("Trasig", "Text TRASIG12.\n", version="1.2", valid_from="2025-10-01")})
    return root


@pytest.fixture(scope="module")
def archive(handbook_root):
    handbook = Handbook.load(handbook_root, settings=Settings(today=dt.date.fromisoformat(TODAY)))
    return version_archive(handbook)


def test_decided_versions_with_their_metadata_and_gate(archive):
    lon = archive.item("document", "hr/lon.md")
    assert [(v.version, v.valid_from, v.valid_to, v.publishable) for v in lon.versions] == [
        ("1.0", "2025-02-01", "2025-07-01", True), ("2.0", "2025-07-01", "2025-09-01", True),
        ("3.0", "2025-09-01", "2025-10-01", False), ("3.1", "2025-10-01", "", True)]
    first = lon.versions[0]
    assert (first.decided_by, first.decision_date, first.diarienummer, first.url) == \
        ("Kommunstyrelsen", "2025-01-20", "KS 2025/1", "arkiv/hr/lon/1.0/")
    assert first.decided_commit != first.commit  # decided, then corrected without a new version
    assert b"VERSIONLON10 r\xc3\xa4ttad" in archive.content(first)
    assert archive.content(lon.versions[2]) is None
    sankt = archive.item("document", "hr/sankt.md")
    assert [(v.version, v.publishable) for v in sankt.versions] == [("1.0", False), ("1.1", True)]
    assert archive.item("document", "hr/hemlig.md") is None  # withheld today: no version anywhere
    gammal = archive.item("document", "hr/gammal.md")
    assert gammal.repeal.date == "2025-09-01" and gammal.versions[-1].valid_to == "2025-09-01"
    assert archive.item("document", "hr/ensam.md").repeal.date == "2025-09-01"  # the repealing commit's date
    trasig = archive.item("document", "hr/trasig.md")
    assert [(v.version, v.publishable) for v in trasig.versions] == [("1.0", False), ("1.1", False), ("1.2", True)]
    p = archive.item("process", "p")
    assert [(v.version, v.url) for v in p.versions] == [("1.0", "arkiv/processer/p/1.0/"), ("2.0", "arkiv/processer/p/2.0/")]


@pytest.mark.parametrize("day, expected", [
    ("2025-01-15", {"hr/lon.md": (NOT_YET, None), "hr/gammal.md": (IN_FORCE, "1.0"), "p": (NOT_YET, None)}),
    ("2025-03-15", {"hr/lon.md": (IN_FORCE, "1.0"), "p": (IN_FORCE, "1.0"), "hr/sankt.md": (NOT_PUBLISHED, None)}),
    ("2025-07-01", {"hr/lon.md": (IN_FORCE, "2.0"), "p": (IN_FORCE, "2.0")}),
    ("2025-09-15", {"hr/lon.md": (NOT_PUBLISHED, None), "hr/gammal.md": (REPEALED, None), "hr/ny.md": (IN_FORCE, "1.0")}),
    ("2026-11-21", {"hr/lon.md": (IN_FORCE, "3.1"), "hr/sankt.md": (IN_FORCE, "1.1"), "hr/ensam.md": (REPEALED, None)}),
])
def test_as_of_before_between_and_after_versions(archive, day, expected):
    found = {a.item.key: (a.status, a.version.version if a.version else None) for a in archive.as_of(day)}
    assert "hr/hemlig.md" not in found
    for key, answer in expected.items():
        assert found[key] == answer, (day, key)


@pytest.fixture(scope="module")
def built(handbook_root):
    result = build(handbook_root, today=TODAY)
    assert result.returncode == 0, result.output
    return result


def test_archived_pages_exist_with_text_banner_and_card(built):
    assert built.has_page("arkiv/hr/lon/1.0") and built.has_page("arkiv/hr/lon/2.0") and built.has_page("arkiv/hr/lon/3.1")
    assert not (built.site / "arkiv/hr/lon/3.0").exists()  # classified then
    assert not (built.site / "arkiv/hr/sankt/1.0").exists() and built.has_page("arkiv/hr/sankt/1.1")  # K2, lowered without a new number
    assert not (built.site / "arkiv/hr/hemlig").exists()  # withheld today: none of its public versions either
    old = built.page("arkiv/hr/lon/1.0")
    assert "VERSIONLON10 rättad" in old and "Detta är inte gällande version" in old
    assert 'data-archive="archived-old"' in old and 'href="../../../../hr/lon/"' in old
    assert "Gällde t.o.m.</dt><dd>2025-06-30" in old and "KS 2025/1" in old
    current = built.page("arkiv/hr/lon/3.1")
    assert 'data-archive="archived-current"' in current and "VERSIONLON31" in current
    repealed = built.page("arkiv/hr/gammal/1.0")
    assert "Upphävd" in repealed and 'href="../../../../hr/ny/">Ny rutin</a>' in repealed
    assert "Ersatt av</dt>" in repealed
    process_page = built.page("arkiv/processer/p/1.0")
    assert "Steg ETT" in process_page and 'class="mermaid"' in process_page and "Detta är inte gällande version" in process_page
    assert "Steg TVÅ" in built.page("arkiv/processer/p/2.0")


def test_links_in_an_archived_text_lead_where_they_did_or_nowhere(built):
    page = built.page("arkiv/hr/lon/2.0")
    assert 'href="../../../../hr/grannen/">Grannen</a>' in page
    assert 'src="../../../../hr/bilder/logga.png"' in page
    assert 'href="../../../../hr/grannen/">grannens mapp</a>' in page
    assert "en borttagen" in page and "borta" not in page.replace("en borttagen", "")
    assert "hemlig" not in page.lower() and page.count("[ej publicerat innehåll]") >= 2
    warnings = [line for line in built.output.splitlines() if line.startswith("WARNING")]
    assert not [line for line in warnings if "arkiv/" in line or "not found" in line], warnings


def test_archived_pages_are_outside_navigation_and_search(built):
    # navigation.prune: a page in the navigation is marked active in it and has neighbours in the footer
    assert "md-nav__link--active" in built.page("hr/lon") and "md-footer__link" in built.page("hr/lon")
    for url in ("arkiv/hr/lon/1.0", "arkiv/processer/p/2.0"):
        assert "md-nav__link--active" not in built.page(url) and "md-footer__link" not in built.page(url)
    index = json.loads((built.site / "search/search_index.json").read_text("utf-8"))
    assert not [d["location"] for d in index["docs"] if "arkiv/" in d["location"]]
    sitemap = (built.site / "sitemap.xml").read_text("utf-8")
    assert "/hr/lon/</loc>" in sitemap and "arkiv/" not in sitemap  # nor for an intranet crawler
    assert '<meta name="robots" content="noindex">' in built.page("arkiv/hr/lon/1.0")
    assert 'name="robots"' not in built.page("hr/lon")


def test_hostile_titles_and_versions_are_text(built, archive):
    elak = archive.item("document", "hr/elak.md")
    assert [v.slug for v in elak.versions] == ["1.0", "2.0-..-b-HOSTILEV-b"]
    for version in elak.versions:
        page = built.page(version.url)
        assert "<script>alert" not in page and "<b>HOSTILEV" not in page and "<b>DNRHOSTILE" not in page
        assert "&lt;script&gt;alert(&#34;ELAKTITEL&#34;)" in page or "&lt;script&gt;alert(&quot;ELAKTITEL&quot;)" in page
    assert "&lt;b&gt;DNRHOSTILE&lt;/b&gt;" in built.page(elak.versions[0].url)


def test_no_classified_version_anywhere(built):
    everything = site_bytes(built.site)
    for canary in CANARIES:
        assert canary not in everything, canary


def test_version_list_on_the_page_and_in_handbook_json(built):
    page = built.page("hr/lon")
    for url in ("arkiv/hr/lon/1.0/", "arkiv/hr/lon/2.0/", "arkiv/hr/lon/3.1/"):
        assert f'/{url}">Läs version' in page
    assert "Gällde t.o.m.</dt><dd class=\"hb-version__valid-to\">2025-08-31" in page
    entry = next(d for d in built.catalog["documents"] if d["path"] == "hr/lon.md")
    assert [(v["version"], v["valid_from"], v["valid_to"]) for v in entry["versions"]] == [
        ("1.0", "2025-02-01", "2025-07-01"), ("2.0", "2025-07-01", "2025-09-01"), ("3.1", "2025-10-01", None)]
    gammal = next(d for d in built.catalog["documents"] if d["path"] == "hr/gammal.md")
    assert gammal["repealed"] == {"date": "2025-09-01", "note": None}
    process_entry = next(p for p in built.catalog["processes"] if p["id"] == "p")
    assert [v["url"] for v in process_entry["versions"]] == ["arkiv/processer/p/1.0/", "arkiv/processer/p/2.0/"]


def test_succession_both_ways(built):
    assert "Ersätter</dt>" in built.page("hr/ny") and "Ersatt av</dt>" in built.page("hr/gammal")
    assert 'Ersätter</dt><dd><a href="../../../../hr/gammal/">Gammal rutin</a>' in built.page("arkiv/hr/ny/1.0")
    assert 'Ersatt av</dt><dd><a href="../../../../hr/ny/">Ny rutin</a>' in built.page("arkiv/hr/gammal/1.0")


def test_as_of_command(handbook_root):
    found = run_handbook(handbook_root, "as-of", "2025-09-15", "--format", "json", today=TODAY)
    assert found.returncode == 0, found.stderr
    items = {i["id"]: i for i in json.loads(found.stdout)["items"]}
    assert items["hr/lon.md"]["status"] == "ej publicerad" and items["hr/lon.md"]["version"] is None
    assert items["hr/ny.md"]["version"]["version"] == "1.0" and items["hr/gammal.md"]["status"] == "upphävd"
    assert items["p"]["version"]["url"] == "arkiv/processer/p/2.0/"
    assert "hr/hemlig.md" not in items and not any(c.decode() in found.stdout for c in CANARIES)
    markdown = run_handbook(handbook_root, "as-of", "2025-03-15", "--klassa", "2.3", today=TODAY)
    assert markdown.returncode == 0, markdown.stderr
    assert "# Gällande vid 2025-03-15" in markdown.stdout and "| Rutin för löneväxling | Rutin | 2.3.2 | Gällande | [1.0](http" in markdown.stdout
    wrong = run_handbook(handbook_root, "as-of", "15/3 2025", today=TODAY)
    assert wrong.returncode == 2 and "inget datum" in wrong.stderr and "Traceback" not in wrong.stderr


def test_succession_checks(tmp_path):
    root = write_handbook(tmp_path / "h", {
        "docs/hr/gammal-rutin.md": document("Gammal", state="upphävd"),
        "docs/hr/ny.md": document("Ny", replaces=["hr/gamal-rutin.md"]),
        "docs/hr/utan.md": document("Utan efterträdare", state="upphävd"),
        "docs/hr/med-not.md": document("Med anteckning", state="upphävd", repeal_note="Uppgiften har upphört."),
        "docs/hr/fel-not.md": document("Gällande med anteckning", repeal_note="x"),
        "processes/p.yml": process("p", [{"id": "s", "name": "S", "role": "hr-chef"}], state="upphävd")})
    handbook = Handbook.load(root, settings=Settings(today=dt.date.fromisoformat(TODAY)))
    problems = [str(p) for p in handbook.problems]
    # Outside git: today's file is the only version; it answers as-of but has no archived page to link.
    outside = version_archive(handbook)
    assert [(v.version, v.commit, v.url) for v in outside.item("document", "hr/ny.md").versions] == [("1.0", "", "")]
    assert {a.item.key: a.status for a in outside.as_of(TODAY)}["hr/ny.md"] == IN_FORCE
    from handbook.core.pages import SiteInfo, archive as archive_pages
    assert archive_pages.pages(handbook, SiteInfo(), outside, set()) == {}
    assert any(p.startswith("docs/hr/ny.md:") and ": error: replaces: dokumentet hr/gamal-rutin.md finns inte" in p
               and "hr/gammal-rutin.md" in p.split("finns inte", 1)[1] for p in problems), problems
    assert any(p.startswith("docs/hr/utan.md:") and "warning: dokumentet är upphävt men inget dokument ersätter det" in p
               for p in problems), problems
    assert any(p.startswith("docs/hr/gammal-rutin.md:") and "upphävt men" in p for p in problems)  # the typo replaces nothing
    assert not any(p.startswith("docs/hr/med-not.md:") for p in problems), problems
    assert any(p.startswith("docs/hr/fel-not.md:") and "repeal_note används bara när state är upphävd" in p for p in problems)
    assert any(p.startswith("processes/p.yml:") and "processen är upphävd men saknar repeal_note" in p for p in problems)


def test_as_of_csv_in_process(handbook_root, archive):
    from handbook.core.as_of import rows, to_csv
    handbook = Handbook.load(handbook_root, settings=Settings(today=dt.date.fromisoformat(TODAY)))
    lines = to_csv(rows(handbook, archive, "2025-07-01"), "https://intra.tallby.se/handbok/").decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Namn;Typ;Klassa;Status;Version;Gäller fr.o.m.;Gällde t.o.m.")
    assert "Rutin för löneväxling;Rutin;2.3.2;Gällande;2.0;2025-07-01;2025-08-31;Kommunfullmäktige;;KF 2025/7;" \
           "https://intra.tallby.se/handbok/arkiv/hr/lon/2.0/" in lines
    assert "Sänkt rutin;Rutin;2.3.2;Versionen publiceras inte;;;;;;;" in lines
