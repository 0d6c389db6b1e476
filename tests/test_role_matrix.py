"""The role × process matrix on roller/ at 1280 and 390 px, in Chromium: every role a row with the
processes it takes part in and its letters (Ä L T U), the page no wider than the window, every
role and process link inside the window and on top, the filter by role and verksamhetsområde
usable with the keyboard and offline; on the reference handbook and a generated one of 40 roles
and 100 processes. What the rows must say is read from handbook.json, not from the page's code.
"""

from __future__ import annotations

import pytest

from reader_sites import PROCESSES, browser, generated, reference, sites  # noqa: F401 - fixtures
from test_accessibility import SERIOUS, described, run_axe

WIDTHS = (1280, 390)
LETTERS = (("Ä", "owner"), ("L", "leader"), ("T", "team"), ("U", "performer"))

# Every link of the list, scrolled to the middle of the window: inside the window's width, not
# covered (the element at its first line's middle is the link), and what each row says.
MATRIX = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [], entries = [], roles = [];
  const reachable = a => {
    a.scrollIntoView({block: "center"});
    const box = a.getBoundingClientRect(), line = a.getClientRects()[0];
    const hit = line && document.elementFromPoint(line.left + line.width / 2, line.top + line.height / 2);
    if (!line || box.width === 0 || box.left < 0 || box.right > width + 0.5 || !(hit && a.contains(hit)))
      problems.push(`${a.textContent}: ${Math.round(box.left)}–${Math.round(box.right)} av ${width}, ` +
                    `överst: ${hit ? hit.outerHTML.slice(0, 60) : "inget"}`);
  };
  for (const row of document.querySelectorAll(".hb-rolematrix__row")) {
    const link = row.querySelector(".hb-rolematrix__role a");
    reachable(link);
    roles.push([row.dataset.role, link.href]);
    for (const item of row.querySelectorAll("li[data-process]")) {
      reachable(item.querySelector("a"));
      entries.push([row.dataset.role, item.dataset.process, item.querySelector(".hb-letters").textContent,
                    item.dataset.area]);
    }
  }
  return {problems, entries, roles, width, innerWidth: window.innerWidth,
          scrollWidth: document.documentElement.scrollWidth, bodyWidth: document.body.scrollWidth};
}"""

VISIBLE = """() => [...document.querySelectorAll(".hb-rolematrix__row")].filter(r => r.offsetParent !== null).map(r =>
  [r.dataset.role, [...r.querySelectorAll("li[data-process]")].filter(i => i.offsetParent !== null).map(i => i.dataset.process)])"""


def expected_entries(catalog: dict) -> dict[tuple[str, str], str]:
    """(role, process) → letters, from each process's owner, leader (the owner when none), team and steps."""
    found = {}
    for process in catalog["processes"]:
        parts = {"owner": {process["owner"]}, "leader": {process.get("leader") or process["owner"]},
                 "team": set(process.get("team") or []), "performer": {s["role"] for s in process["steps"]}}
        for role in set().union(*parts.values()):
            found[(role, process["id"])] = "".join(letter for letter, kind in LETTERS if role in parts[kind])
    return found


def area_of(process: dict) -> str:
    """The verksamhetsområde the landscape puts a process under: the first two parts of its Klassa code."""
    return ".".join(process["klassa"].split(".")[:2])


def test_the_generated_handbook_is_as_large_as_the_issue_asks(sites):
    catalog = sites["genererad"].catalog
    assert len(catalog["roles"]) >= 30 and len(catalog["processes"]) >= PROCESSES - 2  # a few are classified


@pytest.mark.parametrize("width", WIDTHS)
def test_every_role_and_process_is_in_the_window_and_says_its_part(browser, width):
    browser.page.set_viewport_size({"width": width, "height": 900})
    page = browser.open("roller/")
    found = page.evaluate(MATRIX)
    assert found["scrollWidth"] == found["width"] == width and found["bodyWidth"] <= width  # no sideways scroll
    assert found["problems"] == []
    catalog = browser.built.catalog
    assert sorted(role for role, _ in found["roles"]) == sorted(r["id"] for r in catalog["roles"])
    assert all(href == browser.url(f"roller/{role}/") for role, href in found["roles"])
    assert {(role, pid): letters for role, pid, letters, _ in found["entries"]} == expected_entries(catalog)
    assert len(found["entries"]) == len(expected_entries(catalog))  # each process once per role
    areas = {p["id"]: area_of(p) for p in catalog["processes"]}
    assert all(area == areas[pid] for _, pid, _, area in found["entries"])
    assert browser.errors == [] and browser.foreign_requests() == []


def test_processes_of_a_role_follow_the_landscape(browser):
    """Ledningsprocesser, then kärnprocesser, then stödprocesser, each in Klassa code order."""
    page = browser.open("roller/")
    order = {"1": 0, "3": 1, "2": 2}
    klassa = {p["id"]: p["klassa"] for p in browser.built.catalog["processes"]}
    for role, processes in page.evaluate(VISIBLE):
        keys = [(order[klassa[pid][0]], [int(part) for part in klassa[pid].split(".")]) for pid in processes]
        assert keys == sorted(keys), role


@pytest.mark.parametrize("width", WIDTHS)
def test_filter_by_role_and_area_with_the_keyboard(browser, width):
    browser.page.set_viewport_size({"width": width, "height": 900})
    page = browser.open("roller/")
    catalog = browser.built.catalog
    entries = expected_entries(catalog)
    roles = catalog["roles"]
    status = page.locator(".hb-rolefilter__status")
    assert status.inner_text() == f"Visar alla {len(roles)} roller och {len(catalog['processes'])} processer."

    page.focus("#hb-rolefilter-role")  # a plain select: the arrow keys choose
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = page.eval_on_selector("#hb-rolefilter-role", "s => s.value")
    own = sorted(pid for (role, pid) in entries if role == chosen)
    shown = page.evaluate(VISIBLE)
    assert [role for role, _ in shown] == [chosen] and sorted(shown[0][1]) == own
    assert status.inner_text() == f"Visar 1 av {len(roles)} roller och {len(own)} av {len(catalog['processes'])} processer."

    area = area_of(catalog["processes"][0])
    page.select_option("#hb-rolefilter-role", "")
    page.select_option("#hb-rolefilter-area", area)
    inside = {p["id"] for p in catalog["processes"] if area_of(p) == area}
    shown = {role: set(processes) for role, processes in page.evaluate(VISIBLE)}
    assert shown == {role: {pid for (r, pid) in entries if r == role and pid in inside}
                     for role in {r for (r, pid) in entries if pid in inside}}
    assert status.inner_text() == (f"Visar {len(shown)} av {len(roles)} roller och {len(inside)} av "
                                   f"{len(catalog['processes'])} processer.")
    assert page.evaluate("document.documentElement.scrollWidth") == width

    page.focus(".hb-rolefilter__reset")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('.hb-rolematrix__row[hidden], li[data-process][hidden]')")
    assert status.inner_text().startswith("Visar alla")
    assert browser.errors == [] and browser.foreign_requests() == []


def test_without_script_the_whole_list_shows_and_the_filter_stays_hidden(sites):
    html = sites["genererad"].page("roller")
    assert '<form class="hb-rolefilter" hidden' in html
    assert html.count('class="hb-rolematrix__row"') == len(sites["genererad"].catalog["roles"])
    assert "<table" not in html  # no wide table any more


def test_the_matrix_passes_axe_filtered(browser):
    """test_accessibility.py runs axe on the reference handbook's roller/ at 1280 px."""
    for width in (390,) if browser.name == "referens" else WIDTHS:
        browser.page.set_viewport_size({"width": width, "height": 900})
        page = browser.open("roller/")
        page.select_option("#hb-rolefilter-area", area_of(browser.built.catalog["processes"][0]))
        serious = [v for v in run_axe(page) if v["impact"] in SERIOUS]
        assert serious == [], f"{width} px:\n{described(serious)}"
