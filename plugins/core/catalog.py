"""What the handbook publishes: the Klassa content tree and `handbook.json`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .archive import repeal_entry, version_entries
from .documents import Document
from .handbook import Handbook
from .klassa import KlassaNode, code_key
from .processes import Process
from .urls import document_url, klassa_url, process_url, role_url

_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "è": "e", "ü": "y", "æ": "|", "ø": "}"})


def swedish_key(text: str) -> str:
    """Sort text the Swedish way: z < å < ä < ö."""
    return str(text).casefold().translate(_SWEDISH)


@dataclass
class Branch:
    """A Klassa code with the published documents and processes at or below it."""

    node: KlassaNode
    processes: list[Process] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    children: list["Branch"] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.node.code

    def count(self) -> int:
        return len(self.processes) + len(self.documents) + sum(c.count() for c in self.children)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def document_order(handbook: Handbook):
    types = {t: i for i, t in enumerate(handbook.settings.doc_types)}
    return lambda d: (types.get(d.doc_type, len(types)), swedish_key(d.title), d.path)


def content_tree(handbook: Handbook) -> list[Branch]:
    """The Klassa tree cut down to codes with published content, in code order."""
    processes, documents = {}, {}
    for process in handbook.published_processes():
        if process.klassa:
            processes.setdefault(process.klassa, []).append(process)
    for doc in handbook.published_governed():
        if doc.klassa:
            documents.setdefault(doc.klassa, []).append(doc)
    used = set()
    for code in [*processes, *documents]:
        used.update(handbook.klassa.ancestors(code))
    order = document_order(handbook)

    def branch(code: str) -> Branch:
        b = Branch(handbook.klassa[code])
        b.processes = sorted(processes.get(code, []), key=lambda p: (swedish_key(p.name), p.id))
        b.documents = sorted(documents.get(code, []), key=order)
        b.children = [branch(c) for c in handbook.klassa[code].children if c in used]
        return b

    return [branch(code) for code in handbook.klassa.roots() if code in used]


def unclassified(handbook: Handbook) -> tuple[list[Process], list[Document]]:
    """Published items whose Klassa code is missing or unknown: shown apart, never dropped."""
    processes = [p for p in handbook.published_processes() if not p.klassa]
    documents = sorted((d for d in handbook.published_governed() if not d.klassa), key=document_order(handbook))
    return processes, documents


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def last_review_entry(handbook: Handbook, item: Document | Process) -> dict | None:
    """The newest review recorded without a new version (`reviewed:`), the note as written."""
    review = item.last_review
    if review is None:
        return None
    return {"date": review.date.isoformat(), "by": review.by or None,
            "by_name": handbook.roles.name(review.by) if review.by else None, "note": review.note}


def document_entry(handbook: Handbook, doc: Document, archive=None) -> dict:
    klassa = handbook.klassa.nodes.get(doc.klassa)
    return {
        "path": doc.path,
        "url": document_url(doc.path),
        "title": doc.title,
        "doc_type": doc.doc_type,
        "klassa": doc.klassa,
        "klassa_name": klassa.name if klassa else None,
        "owner": doc.owner,
        "owner_name": handbook.roles.name(doc.owner) if doc.owner else None,
        "version": doc.version,
        "state": doc.state,
        "review_date": _date(doc.review_date),
        "review_status": handbook.review_status(doc),
        "last_review": last_review_entry(handbook, doc),
        "valid_from": _date(doc.valid_from),
        "decided_by": doc.decided_by or None,
        "decision_date": _date(doc.decision_date),
        "diarienummer": doc.diarienummer or None,
        "information_class": doc.information_class,
        "replaces": [p for p in doc.replaces if _published_path(handbook, p)],
        "roles": doc.roles,
        "processes": [p for p in doc.processes if p in handbook.processes and handbook.is_published(handbook.processes[p])],
        "valid": not doc.problems.has_errors,
        **_versions(archive, "document", doc.path),
    }


def _versions(archive, kind: str, key: str) -> dict:
    """The decided versions with their validity (core/archive.py), when the archive was read."""
    if archive is None:
        return {}
    item = archive.item(kind, key)
    return {"versions": version_entries(item), "repealed": repeal_entry(item)}


def _published_path(handbook: Handbook, path: str) -> bool:
    doc = handbook.documents.get(path)
    return doc is not None and handbook.is_published(doc)


def process_entry(handbook: Handbook, process: Process, archive=None) -> dict:
    klassa = handbook.klassa.nodes.get(process.klassa)
    return {
        "id": process.id,
        "name": process.name,
        "path": process.path,
        "url": process_url(process.id),
        "klassa": process.klassa,
        "klassa_name": klassa.name if klassa else None,
        "owner": process.owner,
        "leader": process.lead,
        "team": process.team,
        "version": process.version,
        "state": process.state,
        "review_date": _date(process.review_date),
        "review_status": handbook.review_status(process),
        "last_review": last_review_entry(handbook, process),
        "information_class": process.information_class,
        "steps": [{"id": s.id, "name": s.name, "role": s.role, "kind": s.kind} for s in process.steps],
        "maturity": _maturity_level(handbook, process),  # 0–10, core/maturity.py
        "valid": not process.problems.has_errors,
        **_versions(archive, "process", process.id),
    }


def _maturity_level(handbook: Handbook, process: Process) -> int:
    from .maturity import maturity  # it reads the whole handbook; imported when a catalog is written
    return maturity(handbook, process).level


def catalog(handbook: Handbook, stamp: dict | None = None, archive=None) -> dict:
    """The machine-readable catalog of everything published, in a stable order; with `archive`
    (core/archive.py) each document and process carries its decided versions and repeal."""
    documents = sorted(handbook.published_governed(), key=lambda d: d.path)
    return {
        "today": handbook.settings.today.isoformat(),
        "version": stamp or {},
        "due_days": handbook.settings.due_days,
        "documents": [document_entry(handbook, d, archive) for d in documents],
        "processes": [process_entry(handbook, p, archive) for p in handbook.published_processes()],
        "roles": [
            {"id": r.id, "name": r.name, "url": role_url(r.id), "description": r.description, "contact": r.contact}
            for r in sorted(handbook.roles.roles.values(), key=lambda r: r.id)
        ],
        "klassa": [
            {"code": b.code, "name": b.node.name, "url": klassa_url(b.code), "count": b.count()}
            for root in content_tree(handbook) for b in root.walk()
        ],
    }
