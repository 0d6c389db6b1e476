"""`mognad/`: every published process's maturity by verksamhetsområde and owner, sortable, with counts per level."""

from __future__ import annotations

from ..handbook import Handbook
from ..maturity import LEVELS, SOSFS, STEPS, activity_findings, counts, overview
from . import SiteInfo, render

INDEX = "mognad/index.md"


def pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    rows = overview(handbook)
    mode = handbook.settings.activity_rutin_rule
    findings = activity_findings(handbook, published_only=True) if mode in ("warn", "error") else []
    return {INDEX: render("maturity.md", INDEX, site, rows=rows, counts=counts([r.result for r in rows]), steps=STEPS,
                          levels=LEVELS, settings=handbook.settings, mode=mode, findings=findings, sosfs=SOSFS)}
