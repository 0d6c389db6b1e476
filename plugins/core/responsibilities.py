"""Who owns, leads and does what: each role's published processes and documents.

Only published items count: a classified process or document (K level above the
limit) never shows up here, nor do its steps.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .catalog import swedish_key
from .documents import Document
from .handbook import Handbook
from .landscape import landscape
from .processes import Process, Step
from .roles import Role

# Kinds of involvement in a process, in the order they are shown: matrix letter and meaning.
PROCESS_INVOLVEMENTS = {
    "owner": ("Ä", "processägare"),
    "leader": ("L", "processledare"),
    "team": ("T", "med i processteamet"),
    "performer": ("U", "utför steg"),
}
DOCUMENT_INVOLVEMENTS = ("owner", "named")
_STATUS_ORDER = {"overdue": 0, "due": 1, "ok": 2}
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
# The area of processes without a valid Klassa code (last in the landscape).
UNCLASSIFIED = ""


@dataclass
class ProcessPart:
    process: Process
    involvement: str
    review_status: str
    steps: list[Step] = field(default_factory=list)  # the steps the role performs


@dataclass
class DocumentPart:
    document: Document
    involvement: str  # owner or named (in `roles:`)
    review_status: str


@dataclass
class Responsibilities:
    role: Role
    processes: dict[str, list[ProcessPart]] = field(default_factory=lambda: {k: [] for k in PROCESS_INVOLVEMENTS})
    documents: dict[str, list[DocumentPart]] = field(default_factory=lambda: {k: [] for k in DOCUMENT_INVOLVEMENTS})

    def process_count(self) -> int:
        return len({p.process.id for parts in self.processes.values() for p in parts})

    def document_count(self) -> int:
        return len({d.document.path for parts in self.documents.values() for d in parts})

    def to_review(self) -> dict[str, int]:
        """How many of the items this role owns are overdue and due: what revision/ lists for it."""
        statuses = [p.review_status for p in self.processes["owner"]] + [d.review_status for d in self.documents["owner"]]
        return {status: statuses.count(status) for status in ("overdue", "due")}


def involvements(process: Process) -> dict[str, list[str]]:
    """role id → kinds of involvement in the process, in PROCESS_INVOLVEMENTS order."""
    found: dict[str, set[str]] = {}
    for kind, roles in (("owner", [process.owner]), ("leader", [process.lead]), ("team", process.team),
                        ("performer", [s.role for s in process.steps])):
        for role_id in roles:
            if role_id:
                found.setdefault(role_id, set()).add(kind)
    return {role_id: [k for k in PROCESS_INVOLVEMENTS if k in kinds] for role_id, kinds in found.items()}


def review_order(handbook: Handbook, item: Process | Document, name: str) -> tuple:
    """What to review next first: overdue, then due, then by review date; repealed items last."""
    return (item.state == "upphävd", _STATUS_ORDER[handbook.review_status(item)],
            item.review_date or dt.date.min, swedish_key(name))


def responsibilities(handbook: Handbook) -> dict[str, Responsibilities]:
    """Every role in the register with what it owns, leads and does, published items only."""
    result = {role_id: Responsibilities(role) for role_id, role in handbook.roles.roles.items()}
    for process in handbook.published_processes():
        status = handbook.review_status(process)
        for role_id, kinds in involvements(process).items():
            if role_id not in result:
                continue
            for kind in kinds:
                steps = [s for s in process.steps if s.role == role_id] if kind == "performer" else []
                result[role_id].processes[kind].append(ProcessPart(process, kind, status, steps))
    for doc in handbook.published_governed():
        status = handbook.review_status(doc)
        for role_id, kind in [(doc.owner, "owner"), *((r, "named") for r in dict.fromkeys(doc.roles))]:
            if role_id in result:
                result[role_id].documents[kind].append(DocumentPart(doc, kind, status))
    for entry in result.values():
        for parts in entry.processes.values():
            parts.sort(key=lambda p: (review_order(handbook, p.process, p.process.name), p.process.id))
        for parts in entry.documents.values():
            parts.sort(key=lambda d: (review_order(handbook, d.document, d.document.title), d.document.path))
    return result


def roles_in_order(handbook: Handbook) -> list[Role]:
    return sorted(handbook.roles.roles.values(), key=lambda r: (swedish_key(r.name), r.id))


@dataclass
class MatrixEntry:
    process: Process
    kinds: list[str]  # the role's kinds of involvement, in PROCESS_INVOLVEMENTS order
    area: str  # the process's verksamhetsområde in the landscape (or its VT), UNCLASSIFIED without


@dataclass
class MatrixRow:
    role: Role
    entries: list[MatrixEntry]  # the published processes the role takes part in, in landscape order


@dataclass
class MatrixArea:
    code: str
    title: str
    band: str  # the landscape band it belongs to: a VT code of PROCESS_KINDS


@dataclass
class Matrix:
    rows: list[MatrixRow]  # every role in the register
    areas: list[MatrixArea]  # verksamhetsområden that have a published process, in landscape order

    def process_count(self) -> int:
        return len({e.process.id for row in self.rows for e in row.entries})


def matrix(handbook: Handbook) -> Matrix:
    """Each role (a row) with the published processes it takes part in and how, in landscape order."""
    land = landscape(handbook)
    placed: list[tuple[Process, str]] = []
    areas = []
    for band in (land.management, land.core, land.support):
        for group in band.groups:
            areas.append(MatrixArea(group.node.code, group.node.label, band.code))
            placed += [(process, group.node.code) for process in group.processes]
    placed += [(process, UNCLASSIFIED) for process in land.unclassified]
    rows = {role.id: MatrixRow(role, []) for role in roles_in_order(handbook)}
    for process, area in placed:
        for role_id, kinds in involvements(process).items():
            if role_id in rows:
                rows[role_id].entries.append(MatrixEntry(process, kinds, area))
    return Matrix(list(rows.values()), areas)


def email_address(contact: str) -> str:
    """The e-mail address when a role's contact is one (with or without mailto:), else ""."""
    address = contact.strip().removeprefix("mailto:")
    return address if _EMAIL.match(address) else ""
