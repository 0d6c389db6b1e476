"""Hostile text in every author-written field is shown as text: no script runs, every diagram renders.

A corpus of injection payloads is planted in document metadata, the role register, the local
Klassa codes and a process file; the built pages are opened in headless Chromium.
"""

import json

import pytest

from browser import Browser, diagram, served_site, swimlane_problems
from conftest import build, document, process, write_handbook

PAYLOADS = [
    '<script>window.__pwned = "script"</script>',
    '<img src=x onerror="window.__pwned=\'img\'">',
    '"><svg onload="window.__pwned=\'svg\'">',
    "[klick](javascript:window.__pwned='md')",
    '%%{init: {"securityLevel": "loose"}}%%',
    '"]; click a call window.__pwnedfn(); %%',
    "end\nsubgraph x\n<b>fet</b>",
    "{{ config.site_name }} {% raw %}",
    "</title><script>window.__pwned='title'</script>",
    "'; window.__pwned='quote'; '",
]
HOSTILE = " ".join(PAYLOADS)
ROLES = {
    "chef": {"name": "Chef " + PAYLOADS[1], "description": PAYLOADS[0], "contact": 'x@example.se"><script>window.__pwned=1</script>'},
    "handlaggare": {"name": "Handläggare " + PAYLOADS[5], "description": PAYLOADS[2]},
}


def quoted(text: str) -> str:
    """A front matter value as YAML needs it (a JSON string is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def hostile_steps() -> list[dict]:
    return [
        {"id": "a", "name": "Start " + HOSTILE, "role": "chef", "description": HOSTILE, "documents": ["a.md"]},
        {"id": "b", "name": "Beslut " + PAYLOADS[5], "role": "handlaggare", "kind": "decision",
         "next": {PAYLOADS[5]: "c", PAYLOADS[0]: "d"}},
        {"id": "c", "name": PAYLOADS[4], "role": "chef", "kind": "subprocess", "process": "under"},
        {"id": "d", "name": PAYLOADS[6], "role": "handlaggare"},
    ]


def hostile_handbook(root):
    steps = hostile_steps()
    fields = dict(name="Process " + HOSTILE, trigger=HOSTILE, result=HOSTILE, purpose=HOSTILE, customer=HOSTILE,
                  inputs=[HOSTILE], outputs=[PAYLOADS[3]], klassa="2.3.2.1", owner="chef", review_date="2026-12-01")
    files = {
        "docs/a.md": document(quoted("Titel " + HOSTILE), owner="chef", klassa="2.3.2.1", diarienummer=quoted(PAYLOADS[1]),
                              decided_by=quoted(PAYLOADS[2]), version=quoted(PAYLOADS[9]), review_date="2026-01-01",
                              roles=["handlaggare"], processes=["p"]),
        "processes/p.yml": process("p", steps, **fields),
        "processes/under.yml": process("under", [{"id": "x", "name": PAYLOADS[8], "role": "chef"}], owner="chef"),
    }
    return write_handbook(root, files, roles=ROLES, klassa={"2.3.2.1": "Lokal " + PAYLOADS[0]})


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    built = build(hostile_handbook(tmp_path_factory.mktemp("hostile") / "h"))
    assert built.returncode == 0, built.output
    with served_site(built.site) as base_url, Browser(base_url) as b:
        dialogs = []
        b.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        b.dialogs = dialogs
        yield b


PAGES = ["a/", "processer/p/", "processer/", "roller/", "roller/chef/", "roller/handlaggare/", "klassa/", "klassa/2.3.2.1/",
         "revision/", ""]


@pytest.mark.parametrize("path", PAGES)
def test_no_script_runs(browser, path):
    page = browser.open(path)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("typeof window.__pwnedfn") == "undefined"
    assert browser.dialogs == [] and browser.errors == []


def test_payload_is_shown_as_text(browser):
    page = browser.open("a/")
    heading = page.locator("h1").first.inner_text()
    assert "<script>" in heading and "[klick](javascript:" in heading
    card = page.locator(".hb-card").inner_text()
    assert "onerror" in card  # the diarienummer, as text
    assert page.locator(".hb-card script, .hb-card img").count() == 0


def test_diagrams_still_render(browser):
    page = browser.open("processer/p/")
    page.wait_for_selector("div.mermaid", state="attached", timeout=15000)
    page.wait_for_function("() => [...document.querySelectorAll('div.mermaid')].every(d => d.shadowRoot && d.shadowRoot.querySelector('svg'))",
                           timeout=15000)
    texts = page.evaluate("() => [...document.querySelectorAll('div.mermaid')].map(d => d.shadowRoot.textContent)")
    assert texts and all("Syntax error" not in t for t in texts)
    nodes = page.evaluate("() => document.querySelector('div.mermaid').shadowRoot.querySelectorAll('g.node').length")
    assert nodes >= 4
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert browser.foreign_requests() == []


def test_the_swimlane_map_shows_every_payload_as_text(browser):
    """Process name, lane names (the role names), labels and branches: all text in the drawn SVG,
    its accessible title and description included, and the lanes are still aligned swimlanes."""
    browser.open("processer/p/")
    drawn = diagram(browser)
    assert drawn["kind"] == "swimlane" and drawn["scripts"] == 0
    assert drawn["title"] == "Processkarta för " + " ".join(("Process " + HOSTILE).split())
    for role in ROLES.values():
        assert " ".join(role["name"].split()) in drawn["description"]
    flat = " ".join(drawn["text"].split())
    for payload in PAYLOADS:
        assert " ".join(payload.split()) in flat
    names = {role_id: role["name"] for role_id, role in ROLES.items()}
    assert swimlane_problems(drawn, {"steps": hostile_steps()}, names) == []
    assert browser.page.evaluate("typeof window.__pwned") == "undefined"
