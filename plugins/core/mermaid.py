"""A process as a Mermaid flowchart: one swimlane (subgraph) per role, one node per step.

Nothing an author wrote reaches Mermaid as syntax. Node and lane ids are generated here,
every text is a quoted label in which each character outside a small safe set is written as a
Mermaid entity code `#<decimal>;` (Mermaid shows it as that character, never reads it as
syntax or HTML), and every link is a URL built here from ids and paths and checked once more.
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


def flowchart(process: Process, role_name: Callable[[str], str], step_url: Callable[[Step], str]) -> str:
    """The Mermaid text of the process map. `step_url(step)` is the step's link or ''."""
    nodes = {step.id: step_node(i) for i, step in enumerate(process.steps, start=1)}
    lines = ["flowchart TD", f'  {START}(["{label(process.trigger or "Start")}"])']
    lanes = process.roles_in_order() + ([""] if any(not s.role for s in process.steps) else [])
    for lane_index, role in enumerate(lanes, start=1):
        lines.append(f'  subgraph hbLane{lane_index}["{label(role_name(role) if role else MISSING_ROLE)}"]')
        for step in process.steps:
            if step.role == role:
                opening, closing = SHAPES.get(step.kind, SHAPES["task"])
                lines.append(f"    {nodes[step.id]}{opening}{label(step.name)}{closing}")
        lines.append("  end")
    lines.append(f'  {END}(["{label(process.result or "Slut")}"])')
    lines += _edges(process, nodes)
    links = [(nodes[s.id], safe_url(step_url(s))) for s in process.steps]
    links = [(node, url) for node, url in links if url]
    lines += [f'  click {node} href "{url}"' for node, url in links]
    lines += [f"  {style}" for style in STYLES]
    lines.append(f"  class {START} hbEvent")
    lines.append(f"  class {END} hbEvent,hbEnd")
    if links:
        lines.append(f"  class {','.join(node for node, _ in links)} hbLink")
    return "\n".join(lines) + "\n"


def _edges(process: Process, nodes: dict[str, str]) -> list[str]:
    lines = [f"  {START} --> {nodes[process.steps[0].id]}"] if process.steps else [f"  {START} --> {END}"]
    for step in process.steps:
        successors = process.successors(step)
        for text, target in successors:
            if target in nodes:
                arrow = f'-->|"{label(text)}"|' if text.strip() else "-->"
                lines.append(f"  {nodes[step.id]} {arrow} {nodes[target]}")
        if not successors:
            lines.append(f"  {nodes[step.id]} --> {END}")
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

    return flowchart(process, handbook.roles.name, step_url)
