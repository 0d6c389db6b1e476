"""The start page for readers, when the handbook has none of its own (docs/index.md or README.md):
the ways in (find a process, my role, recently changed, to review) and the writing guide at the foot."""

from __future__ import annotations

from ..catalog import swedish_key
from ..documents import Document
from ..handbook import Handbook
from ..landscape import landscape
from ..publishing import changes_since
from ..review import counts, review_items
from . import SiteInfo, render

INDEX = "index.md"
NEWEST = 5  # documents under "Senast fastställt"


def has_own_start(handbook: Handbook) -> bool:
    return "index.md" in handbook.documents or "README.md" in handbook.documents


def guide_page(handbook: Handbook, folder: str) -> Document | None:
    """The writing guide's first page: the folder's index (or README), else its first free page by title."""
    prefix = folder.strip("/") + "/"
    pages = [d for d in handbook.published_documents() if not d.governed and d.path.startswith(prefix)] if folder.strip("/") else []
    for name in ("index.md", "README.md"):
        if any(d.path == prefix + name for d in pages):
            return next(d for d in pages if d.path == prefix + name)
    return min(pages, key=lambda d: (d.path.count("/"), swedish_key(d.title), d.path), default=None)


def newest(handbook: Handbook, count: int = NEWEST) -> list[Document]:
    """The documents that most recently came into force (fastställd, valid from today or earlier)."""
    today = handbook.settings.today
    found = [d for d in handbook.published_governed() if d.state == "fastställd" and d.valid_from and d.valid_from <= today]
    return sorted(found, key=lambda d: (-d.valid_from.toordinal(), swedish_key(d.title), d.path))[:count]


def pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    if has_own_start(handbook):
        return {}
    changes = changes_since(handbook, site.previous_catalog, site.catalog) if site.catalog is not None else None
    return {INDEX: render("start.md", INDEX, site, handbook=handbook, process_count=landscape(handbook).count(),
                          role_count=len(handbook.roles.roles), newest=newest(handbook), changes=changes,
                          to_review=counts(review_items(handbook)), guide=guide_page(handbook, site.guide_folder))}
