"""Process maps are real swimlanes, measured in Debian's Chromium on the reference handbook.

Every published process's map is read from the rendered SVG (tests/browser.py): lanes are
swimlane bands aligned the whole length of the map, in the order of first appearance, every
node inside the band of its role, labels at 12 px or more at 1280 px; the map is named and
described for a screen reader, and axe finds nothing serious at 1280 and 390 px. What is
expected is read from the process files with PyYAML, not with the handbook's reader.

`swimlane-beta` is marked beta in Mermaid: the vendored version is pinned here, so re-vendoring
(scripts/update-mermaid) fails this module until someone has run it and looked at the maps.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from browser import Browser, diagram, served_site, swimlane_problems
from conftest import REPO
import reader_sites

MERMAID_VERSION = "11.17.2"
MERMAID = REPO / "plugins" / "assets" / "mermaid"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def process_files(root: Path) -> dict[str, dict]:
    found = {}
    for path in sorted((root / "processes").rglob("*.yml")):
        if path.name not in ("roles.yml", "klassa.yml", "krav.yml"):
            meta = yaml.safe_load(path.read_text("utf-8"))
            found[meta["id"]] = meta
    return found


def role_names(root: Path) -> dict[str, str]:
    roles = yaml.safe_load((root / "processes" / "roles.yml").read_text("utf-8"))
    return {role_id: entry["name"] for role_id, entry in roles.items()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    built = reader_sites.reference(tmp_path_factory)  # built once per test process, shared with the reader tests
    assert built.returncode == 0, built.output
    with served_site(built.site) as base_url, Browser(base_url) as session:
        yield session, built.catalog["processes"]
    assert session.foreign_requests() == []


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def visit_every_process(session: Browser, processes: list[dict], width: int) -> dict[str, tuple[dict, list[str]]]:
    """Each process page opened once at `width`: its drawn map and axe's serious or critical findings."""
    session.page.set_viewport_size({"width": width, "height": 900})
    seen = {}
    for entry in processes:
        page = session.open(entry["url"])
        drawn = diagram(session)
        serious = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in run_axe(page)
                   if v["impact"] in ("serious", "critical")]
        seen[entry["id"]] = drawn, serious
    return seen


@pytest.fixture(scope="module")
def desk(reference):
    return visit_every_process(*reference, 1280)


@pytest.fixture(scope="module")
def phone(reference):
    return visit_every_process(*reference, 390)


def test_the_vendored_mermaid_is_the_one_the_swimlanes_were_measured_with():
    """Re-vendoring changes a beta diagram type: run this module, look at screenshots/, then move the pin."""
    assert (MERMAID / "VERSION").read_text("utf-8").strip() == MERMAID_VERSION
    head = (MERMAID / "mermaid.min.js").read_text("utf-8")
    assert f'{{version:"{MERMAID_VERSION}"}}' in head  # what mermaid's own getVersion() returns
    assert "swimlane-beta" in head


def test_every_reference_map_is_drawn_as_aligned_swimlanes_with_readable_labels(reference, desk):
    session, processes = reference
    files, names = process_files(REPO), role_names(REPO)
    assert len(processes) >= 9 and set(desk) == {p["id"] for p in processes}
    for pid, (drawn, _) in desk.items():
        assert swimlane_problems(drawn, files[pid], names) == [], pid
    assert session.errors == []


def test_on_a_phone_the_lanes_hold_too(phone):
    files, names = process_files(REPO), role_names(REPO)
    for pid, (drawn, _) in phone.items():
        assert swimlane_problems(drawn, files[pid], names, min_font=0) == [], pid


def test_no_serious_axe_violation_on_any_process_page_at_either_width(desk, phone):
    for width, seen in ((1280, desk), (390, phone)):
        for pid, (_, serious) in seen.items():
            assert serious == [], f"{pid} at {width} px"


def test_the_map_is_named_and_its_description_leads_to_the_step_table(reference):
    session, processes = reference
    session.page.set_viewport_size({"width": 1280, "height": 900})
    entry = next(p for p in processes if p["id"] == "rekrytering")
    page = session.open(entry["url"])
    drawn = diagram(session)
    assert drawn["title"] == "Processkarta för Rekrytering"
    assert drawn["description"] == ("3 simbanor: Rekryterande chef, HR-konsult, Rekryteringsansvarig HR. 10 steg. "
                                    "Samma steg beskrivs i ord i tabellen Steg under kartan.")
    svg = page.locator("article div.mermaid svg")
    assert svg.get_attribute("aria-labelledby") and svg.get_attribute("aria-describedby")
    page.locator("#hb-map-help a", has_text="tabellen Steg").click()
    assert page.url.endswith("#steg")
