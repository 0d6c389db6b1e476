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


# -- handbook report --maturity and --requirements (issue 19) ------------------------------------

MATURITY_COLUMNS = ("Process", "Process-id", "Verksamhetsområde", "Processägare", "Nivå", "Nästa steg", "Saknas",
                    *(f"Steg {n}" for n in range(1, 11)), "Adress")


def _maturity_record(row, site_url: str = "") -> dict:
    process = row.process
    return {
        "id": process.id, "name": process.name, "url": address(f"processer/{process.id}/", site_url),
        "klassa": process.klassa or None, "area": row.area, "owner": process.owner or None, "owner_name": row.owner_name,
        "level": row.level,
        "steps": [{"number": s.number, "title": s.title, "met": s.met, "missing": s.missing or None,
                   "evidence": [e.text for e in s.evidence]} for s in row.result.steps],
    }


def maturity_json(handbook: Handbook, rows, findings, filters: dict, site_url: str = "") -> str:
    from .maturity import counts
    data = {
        "today": handbook.settings.today.isoformat(),
        "evaluation_days": handbook.settings.evaluation_days,
        "filters": filters,
        "total": len(rows),
        "counts": {str(level): n for level, n in counts([r.result for r in rows]).items()},
        "processes": [_maturity_record(r, site_url) for r in rows],
        "activity_rutin_rule": {"mode": handbook.settings.activity_rutin_rule,
                                "findings": [_finding_record(f) for f in findings]},
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _finding_record(finding) -> dict:
    return {"kind": finding.kind, "process": finding.process.id, "step": finding.step.id if finding.step else None,
            "document": finding.document.path if finding.document is not None else None, "message": finding.message}


def maturity_csv(rows, site_url: str = "") -> bytes:
    lines = [MATURITY_COLUMNS]
    for row in rows:
        nxt = row.result.next_step
        lines.append([row.process.name, row.process.id, row.area, row.owner_name, row.level,
                      f"{nxt.number}. {nxt.title}" if nxt else "Alla steg uppfyllda", nxt.missing if nxt else "",
                      *("Ja" if s.met else "Nej" for s in row.result.steps),
                      address(f"processer/{row.process.id}/", site_url)])
    return csv_bytes(lines)


def maturity_markdown(handbook: Handbook, rows, findings, site_url: str = "") -> str:
    from .maturity import counts
    found = counts([r.result for r in rows])
    lines = [f"# Mognad {handbook.settings.today.isoformat()}", "",
             f"{len(rows)} processer. Per nivå: " + ", ".join(f"nivå {level}: {n}" for level, n in found.items() if n) + ".", "",
             "| Process | Verksamhetsområde | Processägare | Nivå | Nästa steg |", "|---|---|---|---|---|"]
    for row in rows:
        name = _md(row.process.name)
        if site_url:
            name = f"[{name}]({address(f'processer/{row.process.id}/', site_url)})"
        nxt = row.result.next_step
        step = f"{nxt.number}. {_md(nxt.title)}: {_md(nxt.missing)}" if nxt else "Alla steg uppfyllda"
        lines.append(f"| {name} | {_md(row.area)} | {_md(row.owner_name)} | {row.level} | {step} |")
    lines.append("")
    if handbook.settings.activity_rutin_rule in ("warn", "error"):
        lines += ["## Aktiviteter och rutiner (SOSFS 2011:9)", ""]
        lines += [f"- {_md(f.message)}" for f in findings] or ["Alla steg i kärnprocesserna har en rutin som anger ansvarig roll."]
        lines.append("")
    return "\n".join(lines)


REQUIREMENT_COLUMNS = ("Krav-id", "Källa", "Krav", "Bevakas av", "Kontrollerad", "Uppfylls av (antal)", "Uppfylls av", "Adress")


def _fulfillers(entry) -> list[str]:
    return ([f"Process: {p.name}" for p, _ in entry.processes] + [f"Steg: {s.name} ({p.name})" for p, s, _ in entry.steps]
            + [f"Dokument: {d.title}" for d, _ in entry.documents])


def requirements_json(handbook: Handbook, entries, site_url: str = "") -> str:
    data = {
        "today": handbook.settings.today.isoformat(),
        "total": len(entries),
        "uncovered": [e.requirement.id for e in entries if not e.count()],
        "requirements": [{
            "id": e.requirement.id, "title": e.requirement.title, "source": e.requirement.source,
            "link": e.requirement.link or None, "checked": e.requirement.checked.isoformat() if e.requirement.checked else None,
            "owner": e.requirement.owner or None, "url": address(f"krav/{e.requirement.id}/", site_url),
            "processes": [p.id for p, _ in e.processes],
            "steps": [{"process": p.id, "step": s.id} for p, s, _ in e.steps],
            "documents": [d.path for d, _ in e.documents],
        } for e in entries],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def requirements_csv(handbook: Handbook, entries, site_url: str = "") -> bytes:
    return csv_bytes([REQUIREMENT_COLUMNS, *(
        [e.requirement.id, e.requirement.source, e.requirement.title, handbook.roles.name(e.requirement.owner) if e.requirement.owner else "",
         e.requirement.checked.isoformat() if e.requirement.checked else "saknas", e.count(), "; ".join(_fulfillers(e)),
         address(f"krav/{e.requirement.id}/", site_url)] for e in entries)])


def requirements_markdown(handbook: Handbook, entries, site_url: str = "") -> str:
    uncovered = [e for e in entries if not e.count()]
    lines = [f"# Krav {handbook.settings.today.isoformat()}", "",
             f"{len(entries)} krav, varav {len(uncovered)} som inget i handboken uppfyller.", ""]
    if uncovered:
        lines += ["## Krav som inget uppfyller", ""] + [f"- {_md(e.requirement.source)}: {_md(e.requirement.title)}" for e in uncovered] + [""]
    lines += ["## Alla krav", "", "| Källa | Krav | Kontrollerad | Uppfylls av |", "|---|---|---|---|"]
    for e in entries:
        title = _md(e.requirement.title)
        if site_url:
            title = f"[{title}]({address(f'krav/{e.requirement.id}/', site_url)})"
        checked = e.requirement.checked.isoformat() if e.requirement.checked else "saknas"
        lines.append(f"| {_md(e.requirement.source)} | {title} | {checked} | {_md('; '.join(_fulfillers(e))) or '–'} |")
    lines.append("")
    return "\n".join(lines)
