"""`handbook as-of`: which version of each document and process applied on a day, as Markdown, CSV or JSON.

The answer comes from the version archive (core/archive.py): the decided version whose validity
interval holds the day (valid from ≤ day < the next version's valid from or the repeal). Only what
the gate publishes is named: a version that was classified is answered as *Versionen publiceras
inte*, without its number or metadata, and an item withheld today is not listed at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .archive import IN_FORCE, NONE, NOT_PUBLISHED, NOT_YET, REPEALED, Applicable, Archive, until_text
from .catalog import swedish_key
from .handbook import Handbook
from .klassa import code_key
from .reports import address, csv_bytes
from .review import in_klassa
from .views import doc_type_label

STATUS_LABELS = {IN_FORCE: "Gällande", REPEALED: "Upphävd", NOT_YET: "Ingen fastställd version ännu",
                 NOT_PUBLISHED: "Versionen publiceras inte", NONE: "Ingen version gällde"}
COLUMNS = ("Namn", "Typ", "Klassa", "Status", "Version", "Gäller fr.o.m.", "Gällde t.o.m.", "Beslutad av", "Beslutsdatum",
           "Diarienummer", "Adress")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


@dataclass
class Row:
    kind: str
    key: str
    title: str
    type_label: str
    klassa: str
    answer: Applicable


def rows(handbook: Handbook, archive: Archive, day: str, klassa: str | None = None) -> list[Row]:
    found = []
    for answer in archive.as_of(day):
        item = answer.item
        current = handbook.documents.get(item.key) if item.kind == "document" else handbook.processes.get(item.key)
        code = current.klassa if current is not None else ""
        if klassa and not in_klassa(code, klassa):
            continue
        title = answer.version.title if answer.version and answer.version.title else item.title
        label = doc_type_label(current.doc_type) if item.kind == "document" and current is not None and current.doc_type \
            else ("Process" if item.kind == "process" else "Dokument")
        found.append(Row(item.kind, item.key, title, label, code, answer))
    return sorted(found, key=lambda r: (code_key(r.klassa) if r.klassa else (float("inf"),), swedish_key(r.title), r.key))


def _cells(row: Row, site_url: str) -> list[str]:
    v = row.answer.version
    status = STATUS_LABELS[row.answer.status]
    if v is None:
        return [row.title, row.type_label, row.klassa, status, "", "", "", "", "", "", ""]
    return [row.title, row.type_label, row.klassa, status, v.version, v.valid_from, until_text(v), v.decided_by,
            v.decision_date, v.diarienummer, address(v.url, site_url) if v.url else ""]


def to_csv(found: list[Row], site_url: str = "") -> bytes:
    return csv_bytes([COLUMNS, *(_cells(row, site_url) for row in found)])


def to_json(handbook: Handbook, found: list[Row], day: str, klassa: str | None) -> str:
    items = []
    for row in found:
        v = row.answer.version
        items.append({
            "kind": row.kind, "id": row.key, "title": row.title, "type": row.type_label, "klassa": row.klassa or None,
            "status": row.answer.status,
            "version": None if v is None else {
                "version": v.version, "valid_from": v.valid_from or None, "valid_to": v.valid_to or None,
                "decided_by": v.decided_by or None, "decision_date": v.decision_date or None,
                "diarienummer": v.diarienummer or None, "url": v.url or None},
        })
    data = {"date": day, "today": handbook.settings.today.isoformat(), "filters": {"klassa": klassa or None},
            "total": len(items), "items": items}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", str(text).replace("\n", " "))


def to_markdown(found: list[Row], day: str, site_url: str = "") -> str:
    counts = {}
    for row in found:
        counts[row.answer.status] = counts.get(row.answer.status, 0) + 1
    summary = ", ".join(f"{n} {STATUS_LABELS[s].lower()}" for s, n in counts.items())
    lines = [f"# Gällande vid {day}", "", f"{len(found)} dokument och processer" + (f": {summary}." if summary else "."), "",
             "| " + " | ".join(COLUMNS[:-1]) + " |", "|" + "---|" * (len(COLUMNS) - 1)]
    for row in found:
        cells = [_md(c) for c in _cells(row, site_url)]
        if cells[-1] and site_url:
            cells[4] = f"[{cells[4]}]({cells[-1]})"
        lines.append("| " + " | ".join(cells[:-1]) + " |")
    return "\n".join(lines) + "\n"
