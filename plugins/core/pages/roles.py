"""`roller/` and `roller/<role-id>/`: who owns, leads and does what."""

from __future__ import annotations


from ..governance import REVIEW_LABELS
from ..handbook import Handbook
from ..klassa import PROCESS_KINDS
from ..responsibilities import PROCESS_INVOLVEMENTS, email_address, matrix, responsibilities
from . import SiteInfo, render
from .processes import anchor

INDEX = "roller/index.md"
PROCESS_HEADINGS = {"owner": "Processägare för", "leader": "Processledare för", "team": "Med i processteamet för",
                    "performer": "Utför steg i"}
DOCUMENT_HEADINGS = {"owner": "Dokumentansvarig för", "named": "Berörd roll i"}


def page_uri(role_id: str) -> str:
    return f"roller/{role_id}.md"


def pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    entries = responsibilities(handbook)
    common = dict(handbook=handbook, involvements=PROCESS_INVOLVEMENTS, review_labels=REVIEW_LABELS,
                  step_anchor=anchor,
                  process_headings=PROCESS_HEADINGS, document_headings=DOCUMENT_HEADINGS)
    result = {INDEX: render("roles_index.md", INDEX, site, entries=entries, matrix=matrix(handbook),
                            process_kinds=PROCESS_KINDS, **common)}
    for role_id, entry in entries.items():
        result[page_uri(role_id)] = render("role.md", page_uri(role_id), site, entry=entry,
                                           title=entry.role.name, email=email_address(entry.role.contact), **common)
    return result
