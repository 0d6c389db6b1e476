"""What must be reviewed: published documents and processes by review status, grouped by owner.

The status comes from the review date alone (see `governance.review_status`); a missing or
unreadable date counts as overdue. Classified (unpublished) items are never listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .catalog import swedish_key
from .governance import Review
from .handbook import Handbook
from .urls import document_url, process_url, role_url
from .views import doc_type_label

STATUSES = ("overdue", "due", "ok")
NEEDS_REVIEW = ("overdue", "due")
NO_OWNER = "Ingen giltig ansvarig roll"


@dataclass
class ReviewItem:
    kind: str  # document or process
    key: str  # the path relative to docs/, or the process id
    title: str
    url: str  # relative to the site root
    type_label: str
    klassa: str
    owner: str
    version: str
    state: str
    review_date: dt.date | None
    status: str
    last_review: Review | None = None  # recorded without a new version (reviewed:)
    reviewer: str = ""  # the name of the last review's role

    @property
    def repealed(self) -> bool:
        return self.state == "upphävd"

    @property
    def last_review_text(self) -> str:
        """`2026-11-21 av HR-chef: what was checked and found`, on one line; empty when none is recorded."""
        review = self.last_review
        if review is None:
            return ""
        text = review.date.isoformat() + (f" av {self.reviewer}" if self.reviewer else "")
        return f"{text}: {review.note_line}" if review.note_line else text


@dataclass
class OwnerGroup:
    owner: str  # role id; empty when the item has no valid owner
    name: str
    contact: str
    url: str
    items: list[ReviewItem]

    def count(self, status: str | None = None) -> int:
        return sum(1 for item in self.items if status in (None, item.status))


def in_klassa(code: str, prefix: str) -> bool:
    """`2.3` covers 2.3 and everything below it (2.3.2), but not 2.30."""
    prefix = prefix.strip().rstrip(".")
    return bool(code) and (code == prefix or code.startswith(prefix + "."))


def review_items(handbook: Handbook, statuses=NEEDS_REVIEW, owners=None, klassa: str | None = None) -> list[ReviewItem]:
    """Published governed documents and processes with one of `statuses`, oldest review date first."""
    items = [
        ReviewItem("document", d.path, d.title, document_url(d.path), doc_type_label(d.doc_type),
                   d.klassa, d.owner, d.version, d.state, d.review_date, handbook.review_status(d), *_last(handbook, d))
        for d in handbook.published_governed()
    ] + [
        ReviewItem("process", p.id, p.name, process_url(p.id), "Process",
                   p.klassa, p.owner, p.version, p.state, p.review_date, handbook.review_status(p), *_last(handbook, p))
        for p in handbook.published_processes()
    ]
    items = [i for i in items if i.status in statuses and (not owners or i.owner in owners)
             and (not klassa or in_klassa(i.klassa, klassa))]
    return sorted(items, key=lambda i: (i.review_date or dt.date.min, swedish_key(i.title), i.key))


def _last(handbook: Handbook, item) -> tuple[Review | None, str]:
    review = item.last_review
    return review, handbook.roles.name(review.by) if review and review.by else ""


def group_by_owner(handbook: Handbook, items: list[ReviewItem]) -> list[OwnerGroup]:
    """One group per owner role, by role name; items without a valid owner come last."""
    groups: dict[str, OwnerGroup] = {}
    for item in items:
        if item.owner not in groups:
            role = handbook.roles.roles.get(item.owner)
            groups[item.owner] = OwnerGroup(item.owner, role.name if role else NO_OWNER, role.contact if role else "",
                                            role_url(item.owner) if role else "", [])
        groups[item.owner].items.append(item)
    return sorted(groups.values(), key=lambda g: (not g.url, swedish_key(g.name), g.owner))


def counts(items: list[ReviewItem]) -> dict[str, int]:
    """How many items have each status, in the order overdue, due, ok; statuses with none left out."""
    return {status: n for status in STATUSES if (n := sum(1 for i in items if i.status == status))}
