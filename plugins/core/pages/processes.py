"""`processer/`: the process landscape, and `processer/<id>/`: one page with a map per process."""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2.utils import markupsafe

from ..governance import REVIEW_LABELS
from ..handbook import Handbook
from ..landscape import landscape
from ..maturity import maturity
from ..mermaid import process_map
from ..processes import Process, Step
from ..views import Link, document_link, process_link, role_link
from . import SiteInfo, render

INDEX = "processer/index.md"
KIND_LABELS = {"decision": "Beslut", "subprocess": "Delprocess"}


def page_uri(process_id: str) -> str:
    return f"processer/{process_id}.md"


@dataclass
class StepRow:
    """One row of the step table: what the map shows, in words, with every document."""

    number: int
    step: Step
    role: Link
    kind: str
    paragraphs: list[str]
    documents: list[Link]
    subprocess: Link | None
    next: list[tuple[str, str, str]] = field(default_factory=list)  # (label, step name, anchor)


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each on one line (an HTML block must not hold blank lines)."""
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def code_text(source: str) -> markupsafe.Markup:
    """Text in <code> as pymdownx.superfences writes a fence: `&`, `<` and `>` escaped, quotes as they are.

    The Mermaid text is safe by construction (core/mermaid.py); Mermaid reads the element's text.
    """
    return markupsafe.Markup(source.removesuffix("\n").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def anchor(step: Step) -> str:
    return f"steg-{step.id}"


def step_rows(handbook: Handbook, process: Process) -> list[StepRow]:
    rows = []
    for number, step in enumerate(process.steps, start=1):
        successors = process.successors(step)
        rows.append(StepRow(
            number, step,
            role_link(handbook, step.role) if step.role else Link("Roll saknas"),
            KIND_LABELS.get(step.kind, ""),
            paragraphs(step.description),
            [document_link(handbook, path) for path in step.documents],
            process_link(handbook, step.process) if step.kind == "subprocess" and step.process else None,
            [(text, process.step(target).name, anchor(process.step(target))) for text, target in successors
             if process.step(target)],
        ))
        if not successors:
            rows[-1].next.append(("", "Processen slutar", ""))
    return rows


def pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    statuses = {handbook.review_status(p) for p in handbook.published_processes()}
    levels = {p.id: maturity(handbook, p).level for p in handbook.published_processes()}
    result = {INDEX: render("processes_index.md", INDEX, site, landscape=landscape(handbook), handbook=handbook,
                            review_labels=REVIEW_LABELS, statuses=statuses, levels=levels)}
    for process in handbook.published_processes():
        uri = page_uri(process.id)
        mermaid = code_text(process_map(handbook, process, site.url_of(uri)))
        lanes = [role_link(handbook, role) for role in process.roles_in_order()]
        result[uri] = render("process.md", uri, site, process=process, mermaid=mermaid, lanes=lanes,
                             rows=step_rows(handbook, process), purpose=paragraphs(process.purpose),
                             maturity=maturity(handbook, process))
    return result
