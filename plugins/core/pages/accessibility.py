"""`tillganglighet/`: the accessibility statement (tillgänglighetsredogörelse) that DOS-lagen requires.

Built from the settings under `accessibility:` (config.AccessibilityConfig) after Digg's model: who
stands behind the site, how far it complies with the law, what is not accessible, how to report a
problem, the supervisory authority and how to reach it, and how and when the site was assessed.
A setting the statement needs but lacks is a warning naming mkdocs.yml's line; the page is built anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..handbook import Handbook
from . import SiteInfo, render

INDEX = "tillganglighet/index.md"
SETTING = "accessibility"
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")
# The supervisory authority and its reporting form, as Digg publishes them (digg.se/tdosanmalan).
DIGG = {"name": "Myndigheten för digital förvaltning (Digg)", "report_url": "https://www.digg.se/tdosanmalan",
        "email": "info@digg.se", "phone": "0771-11 44 00"}
COMPLIANCE = {"helt": "helt förenlig", "delvis": "delvis förenlig", "inte": "inte förenlig"}
_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
_WEB = re.compile(r"https?://[^\s<>\"]+")

log = logging.getLogger("mkdocs.plugins.handbook")


@dataclass
class Statement:
    site_name: str = "Processhandboken"
    responsible: str = ""
    contact: str = ""
    assessed: dt.date | None = None
    updated: dt.date | None = None
    method: str = "självskattning (intern granskning)"
    compliance: str = "delvis"
    known_issues: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what the statement lacks, for the owner of mkdocs.yml

    @property
    def contact_url(self) -> str | None:
        if _EMAIL.fullmatch(self.contact):
            return "mailto:" + self.contact
        return self.contact if _WEB.fullmatch(self.contact) else None

    @property
    def compliance_text(self) -> str:
        return COMPLIANCE[self.compliance]


def swedish_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _date(value, name: str, warnings: list[str]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        warnings.append(f"{name}: \"{text}\" är inget datum; skriv ÅÅÅÅ-MM-DD")
        return None


def statement(options, config) -> Statement:
    """The statement from the plugin's `accessibility:` options and the site's name and copyright line;
    what it lacks is logged as one warning at the line of `accessibility:` (else of the plugin) in mkdocs.yml."""
    warnings: list[str] = []
    fallback = (config.copyright or "").strip() or config.site_name or "Processhandboken"
    result = Statement(site_name=config.site_name or "Processhandboken",
                       responsible=options.responsible.strip() or fallback, contact=options.contact.strip(),
                       method=options.method.strip() or Statement.method, compliance=options.compliance,
                       known_issues=[issue.strip() for issue in options.known_issues if issue.strip()])
    result.assessed = _date(options.assessed, "assessed", warnings)
    result.updated = _date(options.updated, "updated", warnings) or result.assessed
    if not options.responsible.strip():
        warnings.insert(0, f"ange responsible, vem som står bakom webbplatsen (nu står det \"{result.responsible}\")")
    if not result.contact:
        warnings.append("ange contact, vart en läsare rapporterar brister (e-postadress, webbadress eller telefonnummer)")
    if result.assessed is None and not str(options.assessed or "").strip():
        warnings.append("ange assessed, datum för den senaste bedömningen (ÅÅÅÅ-MM-DD)")
    if result.compliance == "helt" and result.known_issues:
        warnings.append("compliance är helt men known_issues listar brister: skriv delvis eller inte")
    elif result.compliance != "helt" and not result.known_issues:
        warnings.append(f"compliance är {result.compliance} men known_issues är tom: beskriv det som inte är tillgängligt")
    result.warnings = warnings
    if warnings:
        log.warning(f"{_where(config)}: warning: tillgänglighetsredogörelsen (tillganglighet/) är ofullständig: "
                    + "; ".join(warnings) + f" (under {SETTING}: i handbook-pluginets inställningar; se README)")
    return result


def _where(config) -> str:
    """mkdocs.yml and the line of `accessibility:`, else of the handbook plugin, else none."""
    path = Path(config.config_file_path or "mkdocs.yml")
    lines = path.read_text("utf-8").splitlines() if path.is_file() else []
    for pattern in (rf"\s*{SETTING}:", r"\s*(-\s*)?handbook:?\s*$"):
        line = next((n for n, text in enumerate(lines, 1) if re.match(pattern, text)), None)
        if line:
            return f"{path.name}:{line}"
    return path.name


def pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    return {INDEX: render("accessibility.md", INDEX, site, statement=site.accessibility or Statement(),
                          digg=DIGG, swedish_date=swedish_date)}
