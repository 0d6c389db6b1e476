"""`nytt/`: documents and processes added, changed, repealed and removed since the previous published version."""

from __future__ import annotations

from ..handbook import Handbook
from ..publishing import changes_since
from . import SiteInfo, render

INDEX = "nytt/index.md"


def pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    found = changes_since(handbook, site.previous_catalog, site.catalog)
    return {INDEX: render("changes.md", INDEX, site, changes=found, stamp=site.stamp, handbook=handbook)}
