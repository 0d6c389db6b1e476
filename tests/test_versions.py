"""Issue 16 item 4: the history on a document or process page lists its versions, read from the file's
own history in real git commits: version, state, valid from, decided by, decision date, diarienummer and
what changed; a version that was classified when it was committed is not shown, nor its message anywhere."""

import os
import subprocess
from pathlib import Path

import pytest

from browser import Browser, served_site
from conftest import MORE_ROLES, build, document, process, write_handbook
from test_item9_history import site_bytes

HIDDEN = "(meddelandet visas inte: ändringen gällde även innehåll som inte publiceras)"
STEPS = [{"id": "s", "name": "Steg", "role": "hr-chef"}]
REVIEWED = '[{date: 2026-10-01, by: hr-konsult, note: "Gick igenom mot nya lagen"}]'


def git(repo: Path, *args: str, when: str = "2026-01-10T10:00:00+01:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Örjan Åberg", "GIT_AUTHOR_EMAIL": "orjan@tallby.se", "GIT_AUTHOR_DATE": when,
           "GIT_COMMITTER_NAME": "Örjan Åberg", "GIT_COMMITTER_EMAIL": "orjan@tallby.se", "GIT_COMMITTER_DATE": when,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def commit(repo: Path, when: str, message: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, "utf-8")
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message, when=f"{when}T10:00:00+01:00")


def rutin(version: str, **fields) -> str:
    return document("Rutin för löneväxling", version=version, **fields)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_handbook(tmp_path_factory.mktemp("versioner") / "h", {}, roles=MORE_ROLES)
    git(root, "init", "-q")
    roles = (root / "processes/roles.yml").read_text("utf-8")
    commit(root, "2026-01-10", "Första utkastet", {
        "docs/index.md": "# Start\n", "processes/roles.yml": roles,
        "docs/hr/lon.md": rutin("1.0", state="utkast", valid_from=None, decided_by=None),
        "docs/hr/grannen.md": document("Grannen"),
        "processes/p.yml": process("p", STEPS, version="1.0", state="utkast")})
    commit(root, "2026-01-20", "Fastställd av kommunstyrelsen", {
        "docs/hr/lon.md": rutin("1.0", valid_from="2026-02-01", decision_date="2026-01-20", diarienummer="KS 2026/12")})
    commit(root, "2026-03-05", "Ny lag om löneväxling & <pension>", {
        "docs/hr/lon.md": rutin("2.0", valid_from="2026-04-01", decided_by="Kommunfullmäktige",
                                decision_date="2026-03-02", diarienummer="KF 2026/7"),
        "processes/p.yml": process("p", STEPS, version="2.0", decided_by="Kommundirektören", diarienummer="KS 2026/99")})
    # A version above the classification limit when it was committed: neither it nor its message is shown.
    commit(root, "2026-05-01", "Tillfälligt skyddad CLASSIFIEDCANARY5120", {
        "docs/hr/lon.md": rutin("2.1-hemlig", information_class="K3", diarienummer="HEMLIGTDNR5120")})
    commit(root, "2026-06-01", "Öppen igen efter sekretessprövning", {"docs/hr/lon.md": rutin("2.2")})
    # The neighbour was classified at the time: the commit's message says nothing on either page.
    commit(root, "2026-06-10", "Stavfel, och grannen NEIGHBOURCANARY5120", {
        "docs/hr/lon.md": rutin("2.2", decision_date="2026-05-30"),
        "docs/hr/grannen.md": document("Grannen", information_class="K3")})
    commit(root, "2026-06-20", "Grannen offentlig igen", {"docs/hr/grannen.md": document("Grannen", version="1.1")})
    # A file withheld today has no history at all.
    commit(root, "2026-07-01", "Undanhållen WITHHELDCANARY5120", {
        "docs/hr/undanhallen.md": document("Undanhållen", version="9.9", information_class="K3")})
    commit(root, "2026-08-01", "Granskad", {"docs/hr/lon.md": rutin("2.2", decision_date="2026-05-30", reviewed=REVIEWED)})

    built = build(root)
    assert built.returncode == 0, built.output
    with served_site(built.site) as base_url, Browser(base_url) as browser:
        yield built, browser


VERSIONS = """() => [...document.querySelectorAll(".hb-history .hb-version")].map(v => ({
  title: v.querySelector(".hb-version__title").innerText.replace(/\\s+/g, " ").trim(),
  facts: Object.fromEntries([...v.querySelectorAll(".hb-version__facts > div")].map(
    d => [d.querySelector("dt").innerText.trim(), d.querySelector("dd").innerText.trim()])),
  changes: [...v.querySelectorAll(".hb-version__changes > li")].map(li => li.innerText.replace(/\\s+/g, " ").trim()),
}))"""


def versions(browser: Browser, path: str) -> list[dict]:
    page = browser.open(path)
    page.click(".hb-history > summary")
    assert page.locator(".hb-version").first.is_visible()
    return page.evaluate(VERSIONS)


def test_a_document_lists_its_versions_with_decision_and_what_changed(site):
    built, browser = site
    assert versions(browser, "hr/lon/") == [
        {"title": "Version 2.2 Fastställd",
         "facts": {"Gäller fr.o.m.": "2025-01-01", "Beslutad av": "Kommunstyrelsen", "Beslutsdatum": "2026-05-30"},
         "changes": ["2026-10-01 Granskad utan ny version av HR-konsult: Gick igenom mot nya lagen",
                     "2026-08-01 Granskad", f"2026-06-10 {HIDDEN}", "2026-06-01 Öppen igen efter sekretessprövning"]},
        {"title": "Version 2.0 Fastställd",  # 2.2's valid_from (2025-01-01, never updated) came first: it never applied
         "facts": {"Gäller fr.o.m.": "2026-04-01", "Gällde t.o.m.": "ersattes innan den började gälla",
                   "Beslutad av": "Kommunfullmäktige", "Beslutsdatum": "2026-03-02",
                   "Diarienummer": "KF 2026/7"},
         "changes": ["2026-03-05 Ny lag om löneväxling & <pension>"]},
        {"title": "Version 1.0 Fastställd",  # the utkast and its decision are one version, as it was decided
         "facts": {"Gäller fr.o.m.": "2026-02-01", "Gällde t.o.m.": "2026-03-31", "Beslutad av": "Kommunstyrelsen",
                   "Beslutsdatum": "2026-01-20",
                   "Diarienummer": "KS 2026/12"},
         "changes": ["2026-01-20 Fastställd av kommunstyrelsen", "2026-01-10 Första utkastet"]},
    ]
    html = built.page("hr/lon")
    assert "<summary>Versionshistorik (3 versioner, 1 granskning)</summary>" in html
    # Committer names and hashes are not shown.
    assert "Örjan" not in html and "Version i git" not in html


def test_a_process_lists_its_versions(site):
    _, browser = site
    assert versions(browser, "processer/p/") == [
        {"title": "Version 2.0 Fastställd", "facts": {"Beslutad av": "Kommundirektören", "Diarienummer": "KS 2026/99"},
         "changes": ["2026-03-05 Ny lag om löneväxling & <pension>"]},
        {"title": "Version 1.0 Utkast", "facts": {}, "changes": ["2026-01-10 Första utkastet"]},
    ]


def test_classified_versions_and_withheld_files_leave_no_trace(site):
    built, browser = site
    everything = site_bytes(built.site)
    for canary in (b"CLASSIFIEDCANARY5120", b"HEMLIGTDNR5120", b"2.1-hemlig", b"NEIGHBOURCANARY5120", b"WITHHELDCANARY5120"):
        assert canary not in everything, canary
    neighbour = versions(browser, "hr/grannen/")
    assert [v["title"] for v in neighbour] == ["Version 1.1 Fastställd", "Version 1.0 Fastställd"]
    assert neighbour[0]["changes"] == ["2026-06-20 Grannen offentlig igen"]
    assert neighbour[1]["changes"] == ["2026-01-10 Första utkastet"]
    assert not (built.site / "hr/undanhallen").exists()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_open_history_and_the_card_pass_axe_and_fit_the_screen(site, width):
    from test_accessibility import AXE, SERIOUS, described
    _, browser = site
    browser.page.set_viewport_size({"width": width, "height": 900})
    versions(browser, "hr/lon/")
    page = browser.page
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    assert not [v for v in found if v["impact"] in SERIOUS], described(found)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in (".hb-version", ".hb-version__facts > div", ".hb-version__changes > li"):
        for box in page.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())"):
            assert 0 <= box["left"] and box["right"] <= width, (selector, box)
