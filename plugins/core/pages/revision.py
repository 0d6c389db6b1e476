"""`revision/`: every due and overdue document and process, grouped by owner, oldest date first."""

from __future__ import annotations

import re

from ..governance import REVIEW_LABELS
from ..handbook import Handbook
from ..review import OwnerGroup, counts, group_by_owner, review_items
from . import SiteInfo, render

INDEX = "revision/index.md"


def anchor(group: OwnerGroup) -> str:
    """A stable anchor per owner (the heading's text changes with the count)."""
    return "roll-" + (re.sub(r"[^a-z0-9-]+", "-", group.owner.lower()).strip("-") or "saknas")


def pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    items = review_items(handbook)
    return {INDEX: render("revision.md", INDEX, site, groups=group_by_owner(handbook, items), total=counts(items),
                          count=len(items), counts=counts, anchor=anchor, settings=handbook.settings, labels=REVIEW_LABELS)}
