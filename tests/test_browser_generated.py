"""A handbook none of the tests were written for: the benchmark's generator with a seed of its own.

Every process's page is opened in Debian's Chromium at 1280 px. What the map must show is read
from the process files with PyYAML (not with the handbook's reader): one node per step, the start
event and an end event in each lane where the process ends, one swimlane per role, aligned and
in order, each node inside its role's lane, labels of 12 px or more, no Mermaid error; a
classified process has no page.
"""

import pytest
import yaml

from browser import Browser, diagram, served_site, swimlane_problems
from conftest import build, write_handbook
from test_generate import files, generate

SEED = 26  # not the benchmark's (1) nor any other test's; one of its nine processes is classified


def published(meta: dict) -> bool:
    return int(str(meta.get("information_class", "K1")).removeprefix("K")) <= 1  # classification_limit: 1


@pytest.fixture(scope="module")
def handbook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    root = write_handbook(folder / "h", files(generate(folder / "generated", 120, 9, seed=SEED)), roles=None)
    roles = yaml.safe_load((root / "processes" / "roles.yml").read_text("utf-8"))
    processes = {}
    for path in sorted((root / "processes").rglob("*.yml")):
        if path.name not in ("roles.yml", "klassa.yml", "krav.yml"):
            meta = yaml.safe_load(path.read_text("utf-8"))
            processes[meta["id"]] = meta
    (folder / "site").mkdir()
    with served_site(folder / "site") as base_url:
        built = build(root, site=folder / "site", today="2026-06-01", HANDBOOK_SITE_URL=base_url)
        assert built.returncode == 0, built.output
        with Browser(base_url) as session:
            session.page.set_viewport_size({"width": 1280, "height": 900})
            session.role_names = {role_id: entry["name"] for role_id, entry in roles.items()}
            yield session, processes


def test_the_generated_handbook_has_processes_of_every_kind(handbook):
    _, processes = handbook
    steps = [step for meta in processes.values() for step in meta["steps"]]
    assert len(processes) == 9
    assert sum(not published(meta) for meta in processes.values()) == 1
    assert {step.get("kind", "activity") for step in steps} >= {"activity", "decision", "subprocess"}
    assert any(step.get("documents") for step in steps)


def test_every_published_process_renders_its_map_and_no_other_has_a_page(handbook):
    session, processes = handbook
    drawn_maps = 0
    for pid, meta in processes.items():
        if not published(meta):
            assert session.page.request.get(session.url(f"processer/{pid}/")).status == 404, pid
            continue
        session.open(f"processer/{pid}/")
        drawn = diagram(session)
        assert drawn["error"] is False, pid
        assert drawn["lanes"] == len({step["role"] for step in meta["steps"]}), pid
        assert swimlane_problems(drawn, meta, session.role_names) == [], pid
        drawn_maps += 1
    assert drawn_maps >= 5
    assert session.errors == [] and session.foreign_requests() == []


def test_the_landscape_links_every_published_process(handbook):
    session, processes = handbook
    page = session.open("processer/")
    tiles = page.eval_on_selector_all("a.hb-process-tile", "els => els.map(a => a.dataset.process)")
    assert sorted(tiles) == sorted(pid for pid, meta in processes.items() if published(meta))
