"""How long a process map takes to draw in Chromium: the swimlane map against the old flowchart.

    .venv/bin/python benchmarks/map_draw.py [--loads 15] [--renders 10]

Builds a handbook (in a temporary folder) with a process of 25 steps in 6 lanes (`large_process`:
decisions, a loop, subprocesses and linked documents) and the reference process *rekrytering*
(10 steps, 3 lanes), serves it on 127.0.0.1 and opens each map page in Debian's Chromium:

- **page load → SVG present**: from the start of the navigation (`performance.timeOrigin`) until
  Material has put the drawn diagram in the page; the median of `--loads` loads, each in a fresh
  page of one browser (mermaid.js is then in the HTTP cache, as for a reader's second page), and
  the first load on its own (nothing cached);
- **mermaid.render**: the median time of `--renders` calls of `mermaid.render` with the map's text,
  in a page where mermaid is loaded: the diagram's own cost without the page around it.

The old map is the flowchart of the generator before issue 15 (`flowchart TD`, one subgraph per
role, start and end outside the lanes), written here from the same process file by
`old_flowchart`; its page is the built page with the map's text swapped. The figures go in
benchmarks/RESULTS.md. tests/test_map_view.py builds the same large process (`handbook_files`).
"""

from __future__ import annotations

import argparse
import html
import platform
import re
import os
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

LANES = [("kundtjanst", "Kontaktcenter"), ("handlaggare", "Handläggare"), ("enhetschef", "Enhetschef"),
         ("jurist", "Kommunjurist"), ("registrator", "Registrator"), ("namnd", "Facknämnd")]
# (role index, name, kind, next): next is None (the step below), a list, or a {label: target} mapping.
STEPS = [
    (0, "Ta emot ärendet", "task", None),
    (0, "Registrera ärendet i diariet", "task", None),
    (4, "Kontrollera att ärendet är komplett", "decision", {"Ja": 5, "Nej": 3}),
    (0, "Begär komplettering från sökanden", "task", None),
    (0, "Ta emot kompletteringen", "task", [2]),
    (1, "Utse handläggare och planera utredningen", "task", None),
    (1, "Utred ärendet", "subprocess", None),
    (1, "Kommunicera underlaget med sökanden", "task", None),
    (1, "Behövs juridisk bedömning?", "decision", {"Ja": 9, "Nej": 11}),
    (3, "Gör en juridisk bedömning", "task", None),
    (3, "Skriv ett yttrande till handläggaren", "task", None),
    (1, "Skriv förslag till beslut", "task", None),
    (2, "Granska förslaget till beslut", "task", None),
    (2, "Är förslaget godkänt?", "decision", {"Ja": 14, "Nej": 11}),
    (2, "Avgör vem som fattar beslutet", "decision", {"Delegation": 15, "Nämnd": 16}),
    (2, "Besluta på delegation", "task", [18]),
    (1, "Skriv tjänsteskrivelse till nämnden", "task", None),
    (5, "Besluta i nämnden", "task", None),
    (4, "Expediera beslutet", "task", None),
    (0, "Informera sökanden om beslutet", "task", None),
    (3, "Har beslutet överklagats?", "decision", {"Ja": 21, "Nej": 22}),
    (3, "Pröva överklagandet och yttra sig", "subprocess", None),
    (4, "Arkivera ärendet", "task", None),
    (2, "Följ upp handläggningstiden", "task", None),
    (5, "Återrapportera till nämnden", "task", []),
]
ROLES = {"hr-chef": {"name": "HR-chef", "contact": "hr@example.se"},
         **{rid: {"name": name, "contact": f"{rid}@example.se"} for rid, name in LANES}}
DOCUMENT = ("---\ntitle: {title}\ndoc_type: rutin\nklassa: \"2.3.2\"\nowner: hr-chef\nversion: \"1.0\"\n"
            "review_date: 2027-06-30\nstate: fastställd\nvalid_from: 2025-01-01\ndecided_by: Kommunstyrelsen\n---\n\n"
            "Text.\n")


def large_process(pid: str = "arendehandlaggning", name: str = "Ärendehandläggning", version: str = "3.1",
                  subprocess_id: str = "utredning") -> dict:
    """25 steps in 6 lanes: the size the issue measures, with every kind of step."""
    ids = [f"s{index:02d}" for index in range(1, len(STEPS) + 1)]
    steps = []
    for index, (lane, step_name, kind, following) in enumerate(STEPS):
        step = {"id": ids[index], "name": step_name, "role": LANES[lane][0],
                "description": f"Beskrivning av steget {step_name.lower()}, tillräckligt lång för att brytas på flera rader i tabellen."}
        if kind != "task":
            step["kind"] = kind
        if kind == "subprocess":
            step["process"] = subprocess_id
        if isinstance(following, dict):
            step["next"] = {text: ids[target] for text, target in following.items()}
        elif following is not None:
            step["next"] = [ids[target] for target in following]
        if index % 4 == 1:
            step["documents"] = ["hr/rutin.md"]
        steps.append(step)
    return {"id": pid, "name": name, "klassa": "2.3.2", "owner": "hr-chef", "version": version,
            "review_date": "2027-06-30", "state": "fastställd", "purpose": "Att ärenden handläggs rättssäkert.",
            "trigger": "Ett ärende kommer in", "customer": "Sökanden", "result": "Ett beslut som har vunnit laga kraft",
            "steps": steps}


def small_process(pid: str = "utredning") -> dict:
    return {"id": pid, "name": "Utredning", "klassa": "2.3.2", "owner": "hr-chef", "version": "1.2",
            "review_date": "2027-06-30", "state": "fastställd", "purpose": "Att utreda.", "trigger": "Ett uppdrag",
            "customer": "Handläggaren", "result": "Ett utrett ärende",
            "steps": [{"id": "samla", "name": "Samla underlag", "role": "handlaggare",
                       "description": "Ett mycket långt ord: " + "Utredningsunderlagsförteckningsmallen" * 3 + "."},
                      {"id": "bedom", "name": "Bedöm underlaget", "role": "jurist"}]}


def handbook_files() -> dict[str, str]:
    """docs/ and processes/ of the benchmark's handbook (for tests/conftest.write_handbook)."""
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False)  # noqa: E731
    return {"docs/hr/rutin.md": DOCUMENT.format(title="Rutin för ärenden"),
            "processes/arendehandlaggning.yml": dump(large_process()),
            "processes/utredning.yml": dump(small_process()),
            "processes/roles.yml": dump(ROLES)}


# -- the old map --------------------------------------------------------------------------------

def _successors(steps: list[dict], index: int) -> list[tuple[str, str]]:
    following = steps[index].get("next")
    if isinstance(following, dict):
        return [(str(text), target) for text, target in following.items()]
    if following is not None:
        return [("", target) for target in following]
    return [("", steps[index + 1]["id"])] if index + 1 < len(steps) else []


def old_flowchart(meta: dict, role_names: dict[str, str], links: dict[str, str]) -> str:
    """The map as the generator wrote it before issue 15 (plugins/core/mermaid.py at 6fb4e13)."""
    from handbook.core.mermaid import SHAPES, label

    steps = meta["steps"]
    nodes = {step["id"]: f"hbStep{index}" for index, step in enumerate(steps, start=1)}
    lines = ["flowchart TD", f'  hbStart(["{label(meta.get("trigger") or "Start")}"])']
    for lane, role in enumerate(dict.fromkeys(step.get("role", "") for step in steps), start=1):
        lines.append(f'  subgraph hbLane{lane}["{label(role_names.get(role, "Roll saknas"))}"]')
        for step in steps:
            if step.get("role", "") == role:
                opening, closing = SHAPES.get(step.get("kind", "task"), SHAPES["task"])
                lines.append(f"    {nodes[step['id']]}{opening}{label(step['name'])}{closing}")
        lines.append("  end")
    lines.append(f'  hbEnd(["{label(meta.get("result") or "Slut")}"])')
    lines.append(f"  hbStart --> {nodes[steps[0]['id']]}")
    for index, step in enumerate(steps):
        successors = _successors(steps, index)
        for text, target in successors:
            arrow = f'-->|"{label(text)}"|' if text.strip() else "-->"
            lines.append(f"  {nodes[step['id']]} {arrow} {nodes[target]}")
        if not successors:
            lines.append(f"  {nodes[step['id']]} --> hbEnd")
    lines += [f'  click {nodes[sid]} href "{url}"' for sid, url in links.items()]
    lines += ["  classDef hbEvent stroke-width:2px", "  classDef hbEnd stroke-width:4px",
              "  classDef hbLink stroke-width:3px,stroke-dasharray:0,cursor:pointer",
              "  class hbStart hbEvent", "  class hbEnd hbEvent,hbEnd"]
    if links:
        lines.append(f"  class {','.join(nodes[sid] for sid in links)} hbLink")
    return "\n".join(lines) + "\n"


_CODE = re.compile(r'(<pre class="mermaid"><code>)(.*?)(</code></pre>)', re.S)


def map_text(page: str) -> str:
    return html.unescape(_CODE.search(page).group(2))


def with_map(page: str, text: str) -> str:
    return _CODE.sub(lambda m: m.group(1) + html.escape(text, quote=False) + m.group(3), page, count=1)


# -- measuring --------------------------------------------------------------------------------

# Records when Material puts a drawn diagram (div.mermaid) in the page, in ms since the navigation began.
DRAWN = """
new MutationObserver((changes, observer) => {
  for (const change of changes) for (const node of change.addedNodes)
    if (node.nodeType === 1 && node.matches("div.mermaid")) { window.hbDrawn = performance.now(); observer.disconnect(); }
}).observe(document, {childList: true, subtree: true});
"""


def load_time(context, url: str) -> float:
    """One load in a new page of `context`: ms from the start of the navigation to the drawn map."""
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_function("window.hbDrawn !== undefined", timeout=60000)
    drawn = page.evaluate("window.hbDrawn")
    page.close()
    return drawn


def cold_load_time(browser, url: str) -> float:
    """A load in a new browser context: nothing cached."""
    context = browser.new_context(service_workers="block", viewport={"width": 1280, "height": 900})
    context.add_init_script(DRAWN)
    try:
        return load_time(context, url)
    finally:
        context.close()


def render_times(page, texts: list[str], renders: int) -> list[list[float]]:
    """`mermaid.render` of each text, `renders` rounds, the texts taking turns within a round."""
    return page.evaluate("""async ([texts, renders]) => {
      const times = texts.map(() => []);
      for (let i = 0; i < renders; i++) for (const [n, text] of texts.entries()) {
        const start = performance.now();
        await mermaid.render(`bench${i}_${n}`, text);
        times[n].push(performance.now() - start);
      }
      return times;
    }""", [texts, renders])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=15)
    parser.add_argument("--renders", type=int, default=10)
    args = parser.parse_args()

    from browser import CHROMIUM, Browser, served_site
    from conftest import build, write_handbook

    with tempfile.TemporaryDirectory() as folder:
        files = handbook_files()
        files["processes/rekrytering.yml"] = (REPO / "processes/stod/rekrytering.yml").read_text("utf-8")
        files["processes/klassa.yml"] = (REPO / "processes/klassa.yml").read_text("utf-8")
        reference_roles = yaml.safe_load((REPO / "processes/roles.yml").read_text("utf-8"))
        roles = {**reference_roles, **ROLES}
        files["processes/roles.yml"] = yaml.safe_dump(roles, allow_unicode=True, sort_keys=False)
        root = write_handbook(Path(folder) / "h", files, roles=None)
        built = build(root)
        if built.returncode != 0:
            print(built.output, file=sys.stderr)
            return 1
        names = {rid: entry["name"] for rid, entry in roles.items()}
        cases = []
        for pid in ("arendehandlaggning", "rekrytering"):
            meta = yaml.safe_load(files[f"processes/{pid}.yml"] if pid != "rekrytering"
                                  else (REPO / "processes/stod/rekrytering.yml").read_text("utf-8"))
            page_file = built.site / "processer" / pid / "index.html"
            page = page_file.read_text("utf-8")
            new_text = map_text(page)
            links = dict(re.findall(r'click hbStep(\d+) href "([^"]+)"', new_text))
            links = {meta["steps"][int(n) - 1]["id"]: url for n, url in links.items()}
            old_text = old_flowchart(meta, names, links)
            old_dir = built.site / "processer" / f"{pid}-flowchart"
            old_dir.mkdir()
            (old_dir / "index.html").write_text(with_map(page, old_text), "utf-8")
            lanes = len({step.get("role") for step in meta["steps"]})
            cases.append((f"{meta['name']} ({len(meta['steps'])} steg, {lanes} simbanor)", pid, new_text, old_text))

        rows = []
        load_before = os.getloadavg()[0]
        with served_site(built.site) as base_url, Browser(base_url) as session:
            session.page.set_viewport_size({"width": 1280, "height": 900})
            session.context.add_init_script(DRAWN)
            browser = session.context.browser
            for title, pid, new_text, old_text in cases:
                kinds = [("swimlane-beta", f"processer/{pid}/"), ("flowchart (före)", f"processer/{pid}-flowchart/")]
                first = [cold_load_time(browser, session.url(path)) for _, path in kinds]
                loads = [[], []]
                for _ in range(args.loads):  # the two maps take turns, so a busy moment hits both
                    for n, (_, path) in enumerate(kinds):
                        loads[n].append(load_time(session.context, session.url(path)))
                session.open(kinds[0][1])
                session.page.wait_for_function("window.hbDrawn !== undefined", timeout=60000)
                renders = render_times(session.page, [new_text, old_text], args.renders)
                for n, (kind, _) in enumerate(kinds):
                    rows.append((title, kind, first[n], statistics.median(loads[n]), min(loads[n]), max(loads[n]),
                                 statistics.median(renders[n])))
            version = browser.version
        print(f"Chromium {version} ({CHROMIUM}), {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
              f"Python {platform.python_version()}; load average (1 min) {load_before:.2f} before, "
              f"{os.getloadavg()[0]:.2f} after")
        print(f"{args.loads} loads and {args.renders} renders of each map, taking turns; viewport 1280 × 900\n")
        print("| map | diagram | first load → SVG (ms) | load → SVG, median (min–max) (ms) | mermaid.render, median (ms) |")
        print("|---|---|---:|---:|---:|")
        for title, kind, first, median, low, high, render in rows:
            print(f"| {title} | {kind} | {first:.0f} | {median:.0f} ({low:.0f}–{high:.0f}) | {render:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
