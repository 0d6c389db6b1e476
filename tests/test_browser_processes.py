"""Process maps in Debian's Chromium: every map renders offline as aligned swimlanes (a large one
of 6 lanes and 25 steps too), after instant navigation too, and hostile text in a process file
neither breaks a map nor runs a script."""

import re

import pytest
import yaml

from browser import Browser, diagram, served_site, swimlane_problems
from conftest import MORE_ROLES, build, document, process, write_handbook

HOSTILE = {
    "script": "</script><script>window.__pwned=1</script>",
    "click": '"]; click hbStep1 call alert(1); x["',
    "init": '%%{init: {"securityLevel":"loose"}}%%',
    "js": "javascript:alert(1)",
    "img": "<img src=x onerror=window.__pwned=2>",
    "syntax": "A --> B\nend\nsubgraph x",
}
ROLES = {**MORE_ROLES, "hostile": {"name": HOSTILE["click"] + HOSTILE["img"]},
         "ekonom": {"name": "Ekonom på ekonomiavdelningen"}, "it": {"name": "IT-samordnare"}}

REKRYTERING = [
    {"id": "behov", "name": "Analysera behov", "role": "chef", "documents": ["hr/kravprofil.md"]},
    {"id": "beslut", "name": "Ska tjänsten utlysas?", "kind": "decision", "role": "hr-chef",
     "next": {"Ja": "annons", "Nej": "avslut"}},
    {"id": "annons", "name": "Annonsera", "role": "hr-konsult", "kind": "subprocess", "process": "annonsering"},
    {"id": "avslut", "name": "Avsluta", "role": "hr-konsult"},
]
HOSTILE_STEPS = [
    {"id": "s1", "name": HOSTILE["script"], "role": "hostile", "description": HOSTILE["script"], "kind": "decision",
     "next": {HOSTILE["init"]: "s2", HOSTILE["js"]: "s3"}},
    {"id": "s2", "name": HOSTILE["click"], "role": "chef", "documents": ["hr/kravprofil.md"], "next": ["s4"]},
    {"id": "s3", "name": HOSTILE["init"], "role": "hostile", "kind": "subprocess", "process": "rekrytering"},
    {"id": "s4", "name": HOSTILE["img"], "role": "chef"},
    {"id": "s5", "name": HOSTILE["syntax"], "role": "hr-chef", "next": []},
]
# The largest map a page must show with labels of 12 px at 1280 px: 6 lanes, 25 steps, long names,
# decisions, loops back, a subprocess and two ends.
LARGE_ROLES = ["chef", "hr-chef", "hr-konsult", "registrator", "ekonom", "it"]
LARGE = [{"id": f"s{i}", "name": f"Steg {i}: granska och dokumentera underlaget för beslut nummer {i}",
          "role": LARGE_ROLES[(i * 7 // 5) % 6]} for i in range(1, 26)]
LARGE[4].update(kind="decision", name="Är underlaget komplett och korrekt ifyllt?", next={"Ja": "s6", "Nej, komplettera": "s2"})
LARGE[11].update(kind="decision", name="Behövs upphandling?", next={"Ja": "s13", "Nej": "s15"})
LARGE[13].update(next=["s16"])
LARGE[16].update(kind="subprocess", process="annonsering")
LARGE[19].update(kind="decision", name="Godkänt?", next={"Ja": "s21", "Nej": "s25"})
LARGE[23].update(next=[])
PROCESSES = {
    "rekrytering": process("rekrytering", REKRYTERING, klassa="2.3.2"),
    "annonsering": process("annonsering", [{"id": "a", "name": "Skriv annons", "role": "hr-konsult"},
                                           {"id": "b", "name": "Publicera", "role": "registrator"}], klassa="2.3.2"),
    "styrning": process("styrning", [{"id": "a", "name": "Dialogdag", "role": "hr-chef"}], klassa="1.2"),
    "bygglov": process("bygglov", [{"id": "a", "name": "Pröva ansökan", "role": "registrator"}], klassa="3.1"),
    "stor": process("stor", LARGE, klassa="3.1", name="Stor process med sex simbanor"),
    "fientlig": process("fientlig", HOSTILE_STEPS, klassa="3.1", name=HOSTILE["script"], trigger=HOSTILE["click"],
                        result=HOSTILE["init"], purpose=HOSTILE["img"], inputs=[HOSTILE["js"]]),
}
STEP_COUNTS = {"rekrytering": 4, "annonsering": 2, "styrning": 1, "bygglov": 1, "stor": 25, "fientlig": 5}
END_COUNTS = {"rekrytering": 1, "annonsering": 1, "styrning": 1, "bygglov": 1, "stor": 2, "fientlig": 1}
LANE_COUNTS = {"rekrytering": 3, "annonsering": 2, "styrning": 1, "bygglov": 1, "stor": 6, "fientlig": 3}
ROLE_NAMES = {role_id: entry["name"] for role_id, entry in ROLES.items()}


def nodes(pid: str) -> int:
    """The steps, the start event and an end event in each lane where the process ends."""
    return STEP_COUNTS[pid] + 1 + END_COUNTS[pid]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    files = {f"processes/{pid}.yml": text for pid, text in PROCESSES.items()}
    files["docs/hr/kravprofil.md"] = document("Rutin för kravprofil")
    folder = tmp_path_factory.mktemp("browser")
    (folder / "site").mkdir()
    with served_site(folder / "site") as base_url:
        # Material navigates instantly only to pages listed in sitemap.xml, whose addresses come
        # from site_url; the project's mkdocs.yml takes it from HANDBOOK_SITE_URL.
        root = write_handbook(folder / "h", files, roles=ROLES)
        built = build(root, site=folder / "site", HANDBOOK_SITE_URL=base_url)
        assert built.returncode == 0, built.output
        with Browser(base_url) as session:
            session.dialogs = []
            session.page.on("dialog", lambda dialog: (session.dialogs.append(dialog.message), dialog.dismiss()))
            yield session
    assert session.foreign_requests() == []


@pytest.mark.parametrize("pid", list(PROCESSES))
def test_every_map_renders_as_aligned_swimlanes_with_readable_labels(browser, pid):
    browser.page.set_viewport_size({"width": 1280, "height": 900})
    browser.open(f"processer/{pid}/")
    drawn = diagram(browser)
    assert drawn["error"] is False
    assert drawn["nodes"] == nodes(pid)
    assert drawn["lanes"] == LANE_COUNTS[pid]
    assert swimlane_problems(drawn, yaml.safe_load(PROCESSES[pid]), ROLE_NAMES) == []
    assert browser.errors == []
    assert browser.foreign_requests() == []


def test_mermaid_is_served_by_the_site_only_where_a_map_is_drawn(browser):
    browser.requests.clear()
    browser.open("hr/kravprofil/")
    assert browser.page.evaluate("typeof window.mermaid.render") == "function"  # the stand-in keeps Material off unpkg
    assert not [url for url in browser.requests if url.endswith("mermaid.min.js")]
    browser.open("processer/rekrytering/")
    diagram(browser)
    assert [url for url in browser.requests if url.endswith("mermaid.min.js")] == [
        browser.url("assets/handbook/mermaid/mermaid.min.js")]
    assert not [url for url in browser.requests if "unpkg" in url or "jsdelivr" in url]


def test_map_links_lead_to_documents_and_subprocesses(browser):
    browser.open("processer/rekrytering/")
    drawn = diagram(browser)
    assert sorted(drawn["links"]) == ["../../hr/kravprofil/", "../annonsering/"]
    browser.page.click("div.mermaid g.node[id*='-flowchart-hbStep3-']")  # Playwright sees into open shadow roots
    browser.page.wait_for_url("**/processer/annonsering/")
    assert diagram(browser)["nodes"] == nodes("annonsering")


def test_map_renders_after_instant_navigation(browser):
    page = browser.open("processer/")
    page.evaluate("window.__sameDocument = true")
    page.click("a.hb-process-tile[data-process='rekrytering']")
    page.wait_for_url("**/processer/rekrytering/")
    assert page.evaluate("window.__sameDocument") is True  # Material's instant navigation, no reload
    drawn = diagram(browser)
    assert drawn["nodes"] == nodes("rekrytering") and drawn["error"] is False
    page.click("article td a[href$='processer/annonsering/']")  # the subprocess, from the step table
    page.wait_for_url("**/processer/annonsering/")
    assert page.evaluate("window.__sameDocument") is True
    assert diagram(browser)["nodes"] == nodes("annonsering")


def test_hostile_text_is_shown_as_text_and_runs_nothing(browser):
    page = browser.open("processer/fientlig/")
    drawn = diagram(browser)
    assert drawn["error"] is False and drawn["nodes"] == nodes("fientlig")
    assert drawn["scripts"] == 0
    flat = re.sub(r"\s+", " ", drawn["text"])
    for text in HOSTILE.values():
        assert " ".join(text.split()) in flat
    assert drawn["title"] == "Processkarta för " + HOSTILE["script"]  # the accessible name, as text
    assert ROLES["hostile"]["name"] in drawn["description"]
    assert [b["label"] for b in drawn["bands"]] and all(b["swimlane"] for b in drawn["bands"])
    assert sorted(drawn["links"]) == ["../../hr/kravprofil/", "../rekrytering/"]
    page.wait_for_timeout(200)  # let any injected handler fire, if one got in
    assert page.evaluate("window.__pwned") is None
    assert browser.dialogs == [] and browser.errors == []
    assert page.locator("h1").inner_text() == HOSTILE["script"]


def test_landscape_links_every_process(browser):
    page = browser.open("processer/")
    tiles = page.eval_on_selector_all("a.hb-process-tile", "els => els.map(a => [a.dataset.process, a.href])")
    assert sorted(pid for pid, _ in tiles) == sorted(PROCESSES)
    for pid, href in tiles:
        assert href == browser.url(f"processer/{pid}/")
        assert page.request.get(href).ok
    bands = page.eval_on_selector_all("section.hb-landscape__band", "els => els.map(s => s.getAttribute('aria-label'))")
    assert bands == ["Ledningsprocesser", "Kärnprocesser", "Stödprocesser"]
