"""Generated pages: filled in by its own issue."""

from __future__ import annotations

from ...core.handbook import Handbook
from . import SiteInfo


def pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    return {}
