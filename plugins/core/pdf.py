"""Controlled PDFs of the published handbook: what is printed, with which header and footer, where it goes.

The engine is Debian's Chromium driven by Playwright (see README, Decisions: *PDF*): a PDF is the
built page printed as the reader's browser would print it (print.css, the process map cut into
A4-landscape slices by map-view.js, vector SVG), tagged (`tagged=True`) with an outline. This
module knows nothing of MkDocs: it is given the handbook, the built site's folder and its address.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .catalog import content_tree, unclassified
from .handbook import Handbook
from .urls import document_url, process_url

PDF_DIR = "pdf"  # the PDFs' folder in the built site
NOTICE = "Utskriven kopia är ostyrd — gällande version finns på intranätet"
MARGIN = {"top": "16mm", "bottom": "17mm", "left": "12mm", "right": "12mm"}
# Every process map of the page drawn and measured by map-view.js (it sets --hb-map-width on the host),
# so its print slices are made when the page is printed; true at once on a page without a map.
MAP_DRAWN = ("() => [...document.querySelectorAll('.hb-map pre.mermaid, .hb-map div.mermaid')]"
             ".every(h => h.tagName === 'DIV' && h.style.getPropertyValue('--hb-map-width'))")


@dataclass
class Target:
    """One published document or process, as its PDF names it."""

    kind: str  # "document" or "process"
    key: str  # path in docs/ or process id
    title: str
    version: str
    valid_from: str
    diarienummer: str
    klassa: str
    url: str  # the page, relative to the site root, e.g. "hr/rutin/"

    @property
    def pdf(self) -> str:
        """The PDF, relative to the site root: pdf/<the page's address>.pdf."""
        return pdf_url(self.url)


def pdf_url(page_url: str) -> str:
    """pdf/hr/rutin.pdf for hr/rutin/, pdf/index.pdf for the site root."""
    stem = page_url.strip("/") or "index"
    return f"{PDF_DIR}/{stem}.pdf"


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def document_target(doc) -> Target:
    return Target("document", doc.path, doc.title, doc.version, _iso(doc.valid_from), doc.diarienummer,
                  doc.klassa, document_url(doc.path))


def _process_value(process, key: str) -> str:
    """A key the process file may have that the core does not keep as an attribute (valid_from, diarienummer)."""
    value = getattr(process, key, None)
    if value in (None, ""):
        meta = getattr(process, "meta", None) or {}
        value = meta.get(key) if hasattr(meta, "get") else None
    return _iso(value) if isinstance(value, (dt.date, str)) else ""


def process_target(process) -> Target:
    return Target("process", process.id, process.name, process.version, _process_value(process, "valid_from"),
                  _process_value(process, "diarienummer"), process.klassa, process_url(process.id))


@dataclass
class Section:
    """A Klassa code of the edition's contents, with its items in the site's order."""

    label: str
    depth: int
    targets: list[Target] = field(default_factory=list)


def edition_sections(handbook: Handbook) -> list[Section]:
    """The edition's contents by Klassa (the site's order: processes, then documents by type and title).

    Only what the gate publishes: `content_tree` and `unclassified` list published items only.
    """
    sections = []
    for root in content_tree(handbook):
        for branch in root.walk():
            targets = [process_target(p) for p in branch.processes] + [document_target(d) for d in branch.documents]
            sections.append(Section(branch.node.label, branch.node.depth, targets))
    processes, documents = unclassified(handbook)
    if processes or documents:
        sections.append(Section("Utan Klassa-kod", 1, [process_target(p) for p in processes]
                                + [document_target(d) for d in documents]))
    return sections


def targets(handbook: Handbook) -> list[Target]:
    """Every published document and process, each once, in the edition's order."""
    seen, found = set(), []
    for section in edition_sections(handbook):
        for target in section.targets:
            if (target.kind, target.key) not in seen:
                seen.add((target.kind, target.key))
                found.append(target)
    return found


def address(site_url: str, page_url: str) -> str:
    """The page's address on the intranet (site_url + the page), or the page's path without site_url; as a
    reader types it (å, ä, ö as letters, not %-escapes: a browser takes either)."""
    page_url = unquote(page_url)
    return (site_url.rstrip("/") + "/" + page_url) if site_url else "/" + page_url


_STYLE = ("font-family: 'Liberation Sans', Arial, sans-serif; font-size: 7.5pt; color: #000; width: 100%; "
          "margin: 0 12mm; display: flex; justify-content: space-between; gap: 4mm;")


def header_template(target: Target) -> str:
    """Title, version, valid from and diarienummer at the top of every sheet (every value escaped)."""
    parts = [f"<strong>{html.escape(target.title)}</strong>"]
    if target.version:
        parts.append(f"version {html.escape(target.version)}")
    if target.valid_from:
        parts.append(f"gäller fr.o.m. {html.escape(target.valid_from)}")
    if target.diarienummer:
        parts.append(f"diarienummer {html.escape(target.diarienummer)}")
    return f'<div style="{_STYLE}"><span>{" · ".join(parts)}</span></div>'


def footer_template(target: Target, site_url: str, printed: dt.date, numbered: bool = True) -> str:
    """The notice with the address, the print date and page x of y at the foot of every sheet.

    `numbered` False leaves the page number out (the edition numbers its pages itself).
    """
    where = html.escape(address(site_url, target.url))
    number = ('Sida <span class="pageNumber"></span> av <span class="totalPages"></span>' if numbered else "")
    return (f'<div style="{_STYLE} align-items: flex-end;"><span>{html.escape(NOTICE)}: {where}<br>'
            f"Utskriftsdatum {printed.isoformat()}</span><span style=\"white-space: nowrap\">{number}</span></div>")


def load_stamp(site: Path, catalog_file: str = "handbook.json") -> dict:
    """The built site's version stamp (handbook.json's `version`); empty when there is none."""
    try:
        data = json.loads((site / catalog_file).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    stamp = data.get("version") if isinstance(data, dict) else None
    return stamp if isinstance(stamp, dict) else {}


PDF_VARIABLE = "HANDBOOK_PDF"  # 1 or 0: overrides the option `pdf`; `handbook publish` sets it
PDF_PREVIOUS_VARIABLE = "HANDBOOK_PDF_PREVIOUS"  # last night's site, whose unchanged PDFs are reused


def enabled(option: bool, environ) -> bool:
    value = (environ.get(PDF_VARIABLE) or "").strip()
    return value == "1" if value in ("0", "1") else bool(option)


TIME_LIMIT_VARIABLE = "HANDBOOK_PDF_TIME_LIMIT"  # seconds, 0 for none: overrides the option `pdf_time_limit`
SHARE_OF_BUILD = 0.85  # of the build's own time, by default; with the tail the PDFs add at most about as much
LEAST_TIME = 10.0  # seconds printing may always take: a small handbook's PDFs are all printed in its first build


def time_limit(option, environ, build_seconds: float) -> float | None:
    """Seconds the PDFs may take after a build that took `build_seconds`: the variable, else the option,
    else 85 % of the build's own time (so a build with PDFs takes at most about twice as long, or LEAST_TIME more);
    None for no limit."""
    value = (environ.get(TIME_LIMIT_VARIABLE) or "").strip()
    try:
        chosen = float(value) if value else option
    except ValueError:
        chosen = option
    if chosen is None:  # the pages in print when time is up, and closing the browser, come on top
        return max(SHARE_OF_BUILD * build_seconds, LEAST_TIME)
    return float(chosen) if chosen > 0 else None
