"""What a reader is shown about a document or process: card rows and banners, in Swedish.

Values stay plain text here; the templates escape them. URLs are relative to the site root.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .documents import Document
from .governance import REVIEW_LABELS, STATE_LABELS, Review
from .handbook import Handbook
from .processes import Process
from .urls import document_url, klassa_url, process_url, role_url

DOC_TYPE_LABELS = {
    "policy": "Policy", "strategi": "Strategi", "program": "Program", "plan": "Plan",
    "riktlinje": "Riktlinje", "regler": "Regler", "anvisning": "Anvisning", "rutin": "Rutin",
    "instruktion": "Instruktion", "processbeskrivning": "Processbeskrivning", "mall": "Mall",
    "checklista": "Checklista", "handbok": "Handbok",
}


@dataclass
class Link:
    text: str
    url: str = ""  # empty: shown as text only


@dataclass
class Row:
    label: str
    links: list[Link]
    prefix: str = ""  # text before the links
    note: str = ""  # text after them, on a row of its own width


@dataclass
class ReviewView:
    """A recorded review as the card and the history show it."""

    date: str
    by: Link | None
    note: str  # on one line


@dataclass
class Banner:
    kind: str  # error, repealed, overdue, due, draft
    title: str
    text: str = ""
    links: list[Link] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


@dataclass
class ItemView:
    kind: str  # document or process
    title: str
    state: str
    review_status: str
    review_label: str
    rows: list[Row]
    banners: list[Banner]
    history: list = field(default_factory=list)
    reviews: list[ReviewView] = field(default_factory=list)  # newest first


def doc_type_label(doc_type: str) -> str:
    return DOC_TYPE_LABELS.get(doc_type, doc_type.capitalize())


def type_label(item: Document | Process) -> str:
    """What a reader calls the item: its document type, or Process."""
    return "Process" if isinstance(item, Process) else doc_type_label(item.doc_type or "dokument")


def status_labels(handbook: Handbook, item: Document | Process, late_only: bool = False) -> list[str]:
    """The item's state and review status in the one status language; `late_only`: review status only when due or overdue."""
    review = handbook.review_status(item)
    labels = [STATE_LABELS.get(item.state, "Status saknas")]
    return labels + ([REVIEW_LABELS[review]] if review != "ok" or not late_only else [])


def iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def role_link(handbook: Handbook, role_id: str) -> Link:
    return Link(handbook.roles.name(role_id), role_url(role_id) if role_id in handbook.roles else "")


def klassa_link(handbook: Handbook, code: str) -> Link:
    node = handbook.klassa.nodes.get(code)
    return Link(node.label, klassa_url(code)) if node else Link("saknas")


def document_link(handbook: Handbook, path: str) -> Link:
    doc = handbook.documents.get(path)
    if doc is None or not handbook.is_published(doc):
        return Link("Ej publicerat dokument")
    return Link(doc.title, document_url(path))


def process_link(handbook: Handbook, process_id: str) -> Link:
    process = handbook.processes.get(process_id)
    if process is None or not handbook.is_published(process):
        return Link("Ej publicerad process")
    return Link(process.name, process_url(process_id))


def requirement_links(handbook: Handbook, refs) -> list[Link]:
    """Links to the requirements an item fulfils (krav/<id>/); a withheld one without its title or address."""
    links = []
    for rid in dict.fromkeys(r.id for r in refs):
        req = handbook.requirements.get(rid)
        if req is None:
            continue
        links.append(Link(f"{req.source}: {req.title}", f"krav/{rid}/") if handbook.is_published(req) else Link("Ej publicerat krav"))
    return links


def _requirements_row(handbook: Handbook, refs) -> Row | None:
    links = requirement_links(handbook, refs)
    return Row("Uppfyller krav", links) if links else None


def _text_rows(pairs) -> list[Row]:
    return [Row(label, [Link(value)]) for label, value in pairs if value]


def _review_row(handbook: Handbook, item) -> Row:
    status = handbook.review_status(item)
    text = iso(item.review_date) or "saknas"
    return Row("Ska revideras senast", [Link(f"{text} ({REVIEW_LABELS[status].lower()})")])


def review_view(handbook: Handbook, review: Review) -> ReviewView:
    return ReviewView(review.date.isoformat(), role_link(handbook, review.by) if review.by else None, review.note_line)


def reviews_of(handbook: Handbook, item) -> list[ReviewView]:
    """Every recorded review, newest first (of two on the same day, the one written last first)."""
    order = sorted(enumerate(item.reviews), key=lambda pair: (pair[1].date, pair[0]), reverse=True)
    return [review_view(handbook, review) for _, review in order]


def _last_review_row(handbook: Handbook, item) -> Row | None:
    """`Senast granskad: 2026-11-21 av HR-chef: what was checked and found`."""
    review = item.last_review
    if review is None:
        return None
    shown = review_view(handbook, review)
    return Row("Senast granskad", [shown.by] if shown.by else [], f"{shown.date} av " if shown.by else shown.date, shown.note)


def replaced_by(handbook: Handbook, doc: Document) -> list[Document]:
    return list(handbook.replacements.get(doc.path, []))


def document_view(handbook: Handbook, doc: Document) -> ItemView:
    rows = [
        Row("Dokumenttyp", [Link(doc_type_label(doc.doc_type))]) if doc.doc_type else None,
        Row("Klassa", [klassa_link(handbook, doc.klassa)]),
        Row("Dokumentansvarig", [role_link(handbook, doc.owner)] if doc.owner else [Link("saknas")]),
        *_text_rows([("Version", doc.version), ("Status", STATE_LABELS.get(doc.state, doc.state or "saknas")),
                     ("Gäller fr.o.m.", iso(doc.valid_from))]),
        _review_row(handbook, doc),
        _last_review_row(handbook, doc),
        *_text_rows([("Beslutad av", doc.decided_by), ("Beslutsdatum", iso(doc.decision_date)),
                     ("Diarienummer", doc.diarienummer), ("Informationsklass", doc.information_class)]),
        Row("Berörda roller", [role_link(handbook, r) for r in doc.roles]) if doc.roles else None,
        Row("Berörda processer", [process_link(handbook, p) for p in doc.processes]) if doc.processes else None,
        Row("Ersätter", [document_link(handbook, p) for p in doc.replaces]) if doc.replaces else None,
        _requirements_row(handbook, doc.requirements),
    ]
    successors = replaced_by(handbook, doc)
    if successors:
        rows.append(Row("Ersatt av", [document_link(handbook, d.path) for d in successors]))
    return ItemView("document", doc.title, doc.state, handbook.review_status(doc),
                    REVIEW_LABELS[handbook.review_status(doc)], [r for r in rows if r],
                    banners(handbook, doc, "Dokumentet", "Dokumentansvarig", successors), reviews=reviews_of(handbook, doc))


def process_view(handbook: Handbook, process: Process) -> ItemView:
    rows = [
        Row("Klassa", [klassa_link(handbook, process.klassa)]),
        Row("Processägare", [role_link(handbook, process.owner)] if process.owner else [Link("saknas")]),
        Row("Processledare", [role_link(handbook, process.lead)] if process.lead else [Link("saknas")]),
        Row("Processteam", [role_link(handbook, r) for r in process.team]) if process.team else None,
        *_text_rows([("Version", process.version), ("Status", STATE_LABELS.get(process.state, process.state or "saknas"))]),
        _review_row(handbook, process),
        _last_review_row(handbook, process),
        *_text_rows([("Informationsklass", process.information_class)]),
        _requirements_row(handbook, process.requirements),
    ]
    return ItemView("process", process.name, process.state, handbook.review_status(process),
                    REVIEW_LABELS[handbook.review_status(process)], [r for r in rows if r],
                    banners(handbook, process, "Processen", "Processägare", []), reviews=reviews_of(handbook, process))


def banners(handbook: Handbook, item, noun: str, owner_label: str, successors: list) -> list[Banner]:
    result = []
    if item.problems.has_errors:
        result.append(Banner("error", f"{noun} har fel i sina uppgifter",
                             "Uppgifterna nedan kan vara ofullständiga. Den ansvarige behöver rätta felen:",
                             details=[f"rad {p.line}: {p.message}" for p in item.problems.items if p.is_error]))
    if item.state == "upphävd":
        result.append(Banner("repealed", f"{noun} är upphävt och gäller inte längre" if noun == "Dokumentet" else f"{noun} är upphävd och gäller inte längre",
                             "Följ inte instruktionerna här." + (" Det har ersatts av:" if successors else ""),
                             links=[document_link(handbook, d.path) for d in successors]))
    status = handbook.review_status(item)
    owner = [role_link(handbook, item.owner)] if item.owner else []
    date = iso(item.review_date) or "saknas"
    if status == "overdue":
        result.append(Banner("overdue", "Revision försenad",
                             f"{noun} skulle ha reviderats senast {date} och kan vara inaktuellt. {owner_label}:", links=owner))
    elif status == "due":
        days = (item.review_date - handbook.settings.today).days
        result.append(Banner("due", "Ska revideras snart",
                             f"{noun} ska revideras senast {date} (om {days} dagar). {owner_label}:", links=owner))
    if item.state == "utkast":
        result.append(Banner("draft", "Utkast", f"{noun} är inte fastställt ännu." if noun == "Dokumentet" else f"{noun} är inte fastställd ännu."))
    return result
