"""A process as a Mermaid swimlane diagram: one lane per role, one node per step.

The map is a `swimlane-beta TB` diagram (mermaid ≥ 11.16; the vendored copy's version is pinned
by a test): each top-level subgraph is drawn as a column the full height of the diagram, all
columns aligned. The rules of the drawing:

- **Lanes**: one per role, in order of first appearance in the step list, so the lane of the
  first step comes first (leftmost); steps without a valid role share one lane *Roll saknas*,
  placed by the same rule. The order never depends on anything but the process file.
- **Events**: the start event (the trigger) is in the lane of the first step; an end event (the
  result) is in each lane that holds a step ending the process (a step with no successor), and
  every ending step flows to the end event of its own lane (a process that never ends, a loop,
  has its end event in the first lane). No node stands outside a lane.
- **Shapes**: a task is a box, a decision a diamond whose branches carry their labels, a
  subprocess a double-framed box (`[[…]]`); a step with a link (its published subprocess, else its
  first published document) has a thick frame and a `click … href`.
- **Layout**: every edge counts when steps are ranked (`ignoreCrossLaneEdges: false`), so each
  step is drawn below the one before it, also across lanes. The SVG keeps Mermaid's
  `useMaxWidth`: it scales down to its frame, and the page (assets/map-view.js) keeps it wide
  enough for 12 px labels, scrolling in its frame when it is wider.
- **Accessibility**: `accTitle` and `accDescr` name the process and point to the step table.

Nothing an author wrote reaches Mermaid as syntax. Node and lane ids are generated here,
every text is a quoted label (or an accessibility line) in which each character outside a small
safe set is written as a Mermaid entity code `#<decimal>;` (Mermaid shows it as that character,
never reads it as syntax or HTML), and every link is a URL built here from ids and paths and
checked once more.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .handbook import Handbook
from .processes import Process, Step
from .urls import document_url, process_url, relative

START, END = "hbStart", "hbEnd"
MISSING_ROLE = "Roll saknas"
SHAPES = {"task": ('["', '"]'), "decision": ('{"', '"}'), "subprocess": ('[["', '"]]')}
# Our own configuration, ahead of the diagram (author text never reaches it): cross-lane edges
# count when steps are ranked, so the flow runs downwards across lanes too; `nodeSpacing` is
# written per map (see `_spacing`).
HEADER = ("---", "config:", "  flowchart:", "    nodeSpacing: {spacing}", "  swimlane:", "    ignoreCrossLaneEdges: false",
          "---", "swimlane-beta TB")
# Mermaid draws a lane's title on one line only when the lane is wider than the title (a longer
# one wraps out of the title band and widens its lane over the next). A lane is about as wide as
# its widest node plus twice the spacing between nodes, so the spacing grows until each title
# fits. Widths are estimated at 16 px: titles on the wide side, nodes on the narrow side.
SPACING, TITLE_PX, NODE_PX, WRAP_PX = 50, 9, 7, 200
# What a link in a `click` line may contain: the output of `document_url`/`relative`.
_SAFE_URL = re.compile(r"^[A-Za-z0-9_.~/%-]+$")
STYLES = (
    "classDef hbEvent stroke-width:2px",
    "classDef hbEnd stroke-width:4px",
    "classDef hbLink stroke-width:3px,stroke-dasharray:0,cursor:pointer",
)


_UNSAFE = re.compile(r"[^A-Za-z0-9 ]")  # kept as they are: ASCII letters and digits, spaces, any letter (below)


def _encoded(match: re.Match) -> str:
    char = match.group()
    return char if char.isalpha() else f"#{ord(char)};"


def label(text: object) -> str:
    """Author text as the inside of a quoted Mermaid label: whitespace collapsed, all else encoded."""
    return _UNSAFE.sub(_encoded, " ".join(str(text).split()))


def safe_url(url: str) -> str:
    """The URL when it can only be a link we built, else empty (then no link is drawn)."""
    return url if url and _SAFE_URL.match(url) and not url.startswith("//") else ""


def step_node(index: int) -> str:
    return f"hbStep{index}"


def lanes(process: Process) -> list[str]:
    """The lanes' roles, left to right: order of first appearance ('' = steps without a role)."""
    return list(dict.fromkeys(step.role for step in process.steps)) or [process.owner]


def swimlanes(process: Process, role_name: Callable[[str], str], step_url: Callable[[Step], str]) -> str:
    """The Mermaid text of the process map. `step_url(step)` is the step's link or ''."""
    nodes = {step.id: step_node(i) for i, step in enumerate(process.steps, start=1)}
    roles = lanes(process)
    lane_of = {step.id: roles.index(step.role) + 1 for step in process.steps}
    ending = {lane_of[step.id] for step in process.steps if not process.successors(step)} or {1}
    names = [role_name(role) if role else MISSING_ROLE for role in roles]
    texts = [[s.name for s in process.steps if lane_of[s.id] == i] for i in range(1, len(roles) + 1)]
    texts[0].append(process.trigger or "Start")
    for i in ending:
        texts[i - 1].append(process.result or "Slut")
    lines = [line.format(spacing=_spacing(names, texts)) for line in HEADER] + [
        f"  accTitle: Processkarta för {label(process.name or process.id)}",
        f"  accDescr: {label(_description(process, names))}",
    ]
    for index, name in enumerate(names, start=1):
        lines.append(f'  subgraph hbLane{index}["{label(name)}"]')
        if index == 1:
            lines.append(f'    {START}(["{label(process.trigger or "Start")}"])')
        for step in process.steps:
            if lane_of[step.id] == index:
                opening, closing = SHAPES.get(step.kind, SHAPES["task"])
                lines.append(f"    {nodes[step.id]}{opening}{label(step.name)}{closing}")
        if index in ending:
            lines.append(f'    {END}{index}(["{label(process.result or "Slut")}"])')
        lines.append("  end")
    lines += _edges(process, nodes, lane_of)
    links = [(nodes[s.id], safe_url(step_url(s))) for s in process.steps]
    links = [(node, url) for node, url in links if url]
    lines += [f'  click {node} href "{url}"' for node, url in links]
    lines += [f"  {style}" for style in STYLES]
    lines.append(f"  class {START} hbEvent")
    lines.append(f"  class {','.join(f'{END}{i}' for i in sorted(ending))} hbEvent,hbEnd")
    if links:
        lines.append(f"  class {','.join(node for node, _ in links)} hbLink")
    return "\n".join(lines) + "\n"


def _spacing(names: list[str], texts: list[list[str]]) -> int:
    """The node spacing at which every lane is wider than its title (names: the lanes' titles;
    texts: the labels of the nodes in each lane)."""
    needed = SPACING
    for name, labels in zip(names, texts):
        title = len(" ".join(name.split())) * TITLE_PX + 8
        node = min(max(len(" ".join(t.split())) for t in labels) * NODE_PX, WRAP_PX) + 30
        needed = max(needed, -(-(title - node - 20) // 2))
    return needed


def _description(process: Process, names: list[str]) -> str:
    lanes_text = f"{len(names)} simbana" if len(names) == 1 else f"{len(names)} simbanor"
    return (f"{lanes_text}: {', '.join(names)}. {len(process.steps)} steg. "
            "Samma steg beskrivs i ord i tabellen Steg under kartan.")


def _edges(process: Process, nodes: dict[str, str], lane_of: dict[str, int]) -> list[str]:
    if not process.steps:
        return [f"  {START} --> {END}1"]
    lines = [f"  {START} --> {nodes[process.steps[0].id]}"]
    for step in process.steps:
        successors = process.successors(step)
        for text, target in successors:
            if target in nodes:
                arrow = f'-->|"{label(text)}"|' if text.strip() else "-->"
                lines.append(f"  {nodes[step.id]} {arrow} {nodes[target]}")
        if not successors:
            lines.append(f"  {nodes[step.id]} --> {END}{lane_of[step.id]}")
    return lines


def step_target(handbook: Handbook, step: Step) -> str:
    """Where a step leads, relative to the site root: its published subprocess, else its first
    published document; '' when there is none (then the step is not drawn as a link)."""
    sub = handbook.processes.get(step.process) if step.kind == "subprocess" else None
    if sub is not None and handbook.is_published(sub):
        return process_url(sub.id)
    for path in step.documents:
        doc = handbook.documents.get(path)
        if doc is not None and handbook.is_published(doc):
            return document_url(path)
    return ""


def process_map(handbook: Handbook, process: Process, page_url: str) -> str:
    """The map of a process for the page at `page_url`, links relative to that page."""
    def step_url(step: Step) -> str:
        target = step_target(handbook, step)
        return relative(page_url, target) if target else ""

    return swimlanes(process, handbook.roles.name, step_url)
