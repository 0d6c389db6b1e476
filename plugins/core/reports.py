"""The review report as JSON, CSV for Excel and Markdown.

CSV is written as UTF-8 with a byte order mark and `;` between fields: that is what Excel with
Swedish settings opens directly with å, ä and ö intact.
"""

from __future__ import annotations

import csv
import io
import json
import re

from .governance import REVIEW_LABELS, STATE_LABELS
from .handbook import Handbook
from .review import OwnerGroup, ReviewItem, counts

CSV_COLUMNS = ("Ansvarig roll", "Roll-id", "Kontakt", "Typ", "Namn", "Klassa", "Version", "Status",
               "Ska revideras senast", "Revisionsstatus", "Senast granskad", "Granskad av", "Granskningens anteckning",
               "Adress")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def address(url: str, site_url: str = "") -> str:
    """A page's address: absolute when the site's URL is known, else relative to the site root."""
    return f"{site_url.rstrip('/')}/{url}" if site_url else url


def item_record(item: ReviewItem) -> dict:
    return {
        "kind": item.kind,
        "id": item.key,
        "title": item.title,
        "type": item.type_label,
        "klassa": item.klassa or None,
        "owner": item.owner or None,
        "version": item.version or None,
        "state": item.state or None,
        "review_date": item.review_date.isoformat() if item.review_date else None,
        "review_status": item.status,
        "last_review": _last_review(item),
        "url": item.url,
    }


def _last_review(item: ReviewItem) -> dict | None:
    review = item.last_review
    if review is None:
        return None
    return {"date": review.date.isoformat(), "by": review.by or None, "by_name": item.reviewer or None, "note": review.note}


def to_json(handbook: Handbook, groups: list[OwnerGroup], filters: dict) -> str:
    items = [i for g in groups for i in g.items]
    data = {
        "today": handbook.settings.today.isoformat(),
        "due_days": handbook.settings.due_days,
        "filters": filters,
        "total": len(items),
        "counts": counts(items),
        "owners": [
            {"id": g.owner or None, "name": g.name, "contact": g.contact or None, "url": g.url or None,
             "total": len(g.items), "counts": counts(g.items), "items": [item_record(i) for i in g.items]}
            for g in groups
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cell(value: object) -> str:
    """Text that a spreadsheet shows as text: a leading = + - @ (or tab, carriage return) would start a formula."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_bytes(rows) -> bytes:
    """Every CSV the handbook writes: UTF-8 with BOM, `;`, and no cell that a spreadsheet runs as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def to_csv(groups: list[OwnerGroup], site_url: str = "") -> bytes:
    return csv_bytes([CSV_COLUMNS, *(
        [group.name, group.owner, group.contact, item.type_label, item.title, item.klassa, item.version,
         STATE_LABELS.get(item.state, item.state), item.review_date.isoformat() if item.review_date else "saknas",
         REVIEW_LABELS[item.status], *_review_cells(item), address(item.url, site_url)]
        for group in groups for item in group.items)])


def _review_cells(item: ReviewItem) -> list[str]:
    review = item.last_review
    return [review.date.isoformat(), item.reviewer, review.note_line] if review else ["", "", ""]


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", str(text).replace("\n", " "))


def summary_sentence(items: list[ReviewItem], due_days: int) -> str:
    """`5 dokument och processer: 3 med försenad revision, 2 ska revideras inom 60 dagar.`"""
    found = counts(items)
    parts = []
    if found.get("overdue"):
        parts.append(f"{found['overdue']} med försenad revision")
    if found.get("due"):
        parts.append(f"{found['due']} ska revideras inom {due_days} dagar")
    if found.get("ok"):
        parts.append(f"{found['ok']} med revision ok")
    return f"{len(items)} dokument och processer" + (": " + ", ".join(parts) if parts else "") + "."


def to_markdown(handbook: Handbook, groups: list[OwnerGroup], site_url: str = "") -> str:
    items = [i for g in groups for i in g.items]
    lines = [f"# Revision {handbook.settings.today.isoformat()}", "", summary_sentence(items, handbook.settings.due_days), ""]
    for group in groups:
        lines += [f"## {_md(group.name)} ({len(group.items)})", ""]
        if group.contact:
            lines += [f"Kontakt: {_md(group.contact)}", ""]
        lines += ["| Namn | Typ | Klassa | Version | Ska revideras senast | Revisionsstatus | Senast granskad |",
                  "|---|---|---|---|---|---|---|"]
        for item in group.items:
            name = f"[{_md(item.title)}]({address(item.url, site_url)})" if site_url else _md(item.title)
            if item.repealed:
                name += " (upphävd)"
            date = item.review_date.isoformat() if item.review_date else "saknas"
            reviewed = _md(item.last_review_text) or "–"
            lines.append(f"| {name} | {_md(item.type_label)} | {_md(item.klassa)} | {_md(item.version)} | {date} | "
                         f"{REVIEW_LABELS[item.status]} | {reviewed} |")
        lines.append("")
    return "\n".join(lines)
