"""Governed documents and free pages in `docs/**/*.md`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .governance import HIGHEST_K, REPEAL_KEYS, REVIEWED, Governance, read_classification, read_date, read_governance, read_role_list, read_text, read_text_list
from .improvement import RequirementRef, read_requirement_refs
from .klassa import KlassaTree
from .problems import Problems, did_you_mean
from .roles import RoleRegister
from .source import FrontMatter, decode, repeated_keys, split_front_matter
from .theme_keys import ThemeInventory, check_theme_keys

GOVERNED_MARKERS = ("doc_type", "klassa", "owner", "review_date")
DOCUMENT_KEYS = (
    "title", "doc_type", "klassa", "owner", "version", "review_date", "state", "valid_from",
    "decided_by", "decision_date", "diarienummer", "replaces", "information_class", "roles", "processes", REVIEWED,
    "requirements", *REPEAL_KEYS,
)
# Keys that MkDocs, Material and mkdocs-macros read from front matter.
THEME_KEYS = (
    "description", "tags", "hide", "icon", "template", "search", "status", "subtitle", "comments",
    "social", "robots", "authors", "date", "render_macros", "ignore_macros", "nav_title", "author",
)
DEFAULT_DOC_TYPES = (
    "policy", "strategi", "program", "plan", "riktlinje", "regler", "anvisning", "rutin",
    "instruktion", "processbeskrivning", "mall", "checklista", "handbok",
)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


@dataclass
class Document(Governance):
    path: str = ""
    title: str = ""
    governed: bool = False
    body: str = ""
    body_line: int = 1
    front_matter: FrontMatter = field(default_factory=FrontMatter)
    doc_type: str = ""
    klassa: str = ""
    valid_from: dt.date | None = None
    decided_by: str = ""
    decision_date: dt.date | None = None
    diarienummer: str = ""
    replaces: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    processes: list[str] = field(default_factory=list)
    requirements: list[RequirementRef] = field(default_factory=list)  # ids of processes/krav.yml it fulfils
    problems: Problems = field(default_factory=lambda: Problems(""))
    dropped_keys: set[str] = field(default_factory=set)  # Material's keys whose values the theme cannot use

    @property
    def meta(self):
        return self.front_matter.meta

    def line_of(self, key: str) -> int:
        return self.meta.line_of(key, 1)


def is_governed(meta: dict) -> bool:
    return any(key in meta for key in GOVERNED_MARKERS)


def read_document(path: str, data: bytes, klassa: KlassaTree, roles: RoleRegister,
                  doc_types=DEFAULT_DOC_TYPES, report_path: str | None = None, theme: ThemeInventory | None = None) -> Document:
    """Read one Markdown file; every problem is collected, nothing is raised."""
    problems = Problems(report_path or path)
    text, decode_error = decode(data)
    if decode_error:
        problems.error(decode_error.line, decode_error.message)
    front = split_front_matter(text)
    if front.error:
        problems.error(front.error.line, f"{front.error.message.rstrip('.')}. Sidan publiceras inte förrän front matter kan läsas "
                                         f"(okänd informationsklass räknas som K{HIGHEST_K})")
    meta = front.meta
    doc = Document(path=path, front_matter=front, body=front.body, body_line=front.body_line, problems=problems)
    doc.governed = is_governed(meta)
    for key, line in repeated_keys(meta):
        problems.warning(line, f"nyckeln {key} står flera gånger; bara den sista gäller. Ta bort den som inte ska gälla")
    doc.title = _title(meta, front.body, path, problems, doc.governed)
    _check_unknown_keys(meta, problems, doc.governed)
    doc.dropped_keys = check_theme_keys(meta, problems, theme)
    if doc.governed:
        _read_governed(doc, meta, klassa, roles, doc_types, problems)
    else:
        doc.information_class, doc.k_level = read_classification(meta, problems)
        if REVIEWED in meta:
            problems.warning(meta.line_of(REVIEWED), "reviewed hör till styrda dokument (med owner och review_date); "
                                                     "på en sida utan dem används granskningen inte")
        if "requirements" in meta:
            problems.warning(meta.line_of("requirements"), "requirements hör till styrda dokument (med owner och review_date); "
                                                           "på en sida utan dem räknas kraven inte som uppfyllda")
    if front.error:  # its information class is unknown: withheld as the highest level
        doc.k_level = HIGHEST_K
    return doc


def _title(meta, body: str, path: str, problems: Problems, governed: bool) -> str:
    title = meta.get("title")
    if isinstance(title, (str, int, float)) and str(title).strip():
        return str(title).strip()
    heading = _HEADING.search(body)
    if heading:
        return heading.group(1).strip()
    if governed:
        problems.error(meta.line_of("title", 1), "dokumentet saknar title; lägg till title: i front matter eller en rubrik # Rubrik")
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    return stem.replace("-", " ").replace("_", " ").capitalize() or path


def _check_unknown_keys(meta, problems: Problems, governed: bool) -> None:
    known = DOCUMENT_KEYS + THEME_KEYS
    for key in meta:
        if key in known:
            continue
        hint = did_you_mean(key, DOCUMENT_KEYS)
        if governed or hint:
            problems.warning(meta.line_of(key), f"okänd nyckel \"{key}\".{hint or ' Ta bort den eller rätta stavningen.'}")


def _read_governed(doc: Document, meta, klassa: KlassaTree, roles: RoleRegister, doc_types, problems: Problems) -> None:
    gov = read_governance(meta, roles, problems, "dokumentansvarig")
    for name in Governance.__dataclass_fields__:
        setattr(doc, name, getattr(gov, name))
    doc.doc_type = read_text(meta, "doc_type", problems, True, "dokumenttyp")
    if doc.doc_type and doc.doc_type not in doc_types:
        problems.error(meta.line_of("doc_type"), f"doc_type \"{doc.doc_type}\" är ingen känd dokumenttyp.{did_you_mean(doc.doc_type, doc_types)} "
                                                 f"Giltiga typer: {', '.join(doc_types)}.")
    doc.klassa = read_klassa(meta, klassa, problems)
    doc.valid_from = read_date(meta, "valid_from", problems, doc.state == "fastställd", "gäller fr.o.m., krävs när state är fastställd")
    doc.decided_by = read_text(meta, "decided_by", problems, doc.state == "fastställd", "beslutsinstans, krävs när state är fastställd")
    doc.decision_date = read_date(meta, "decision_date", problems, False, "beslutsdatum")
    doc.diarienummer = read_text(meta, "diarienummer", problems, False, "diarienummer")
    doc.replaces = [p.lstrip("./") if p.startswith("./") else p for p in read_text_list(meta, "replaces", problems, "sökvägar i docs/")]
    doc.roles = read_role_list(meta, "roles", roles, problems, "roles")
    doc.processes = read_text_list(meta, "processes", problems, "process-id")
    doc.requirements = read_requirement_refs(meta, problems)


def read_klassa(meta, klassa: KlassaTree, problems: Problems) -> str:
    code = read_text(meta, "klassa", problems, True, "Klassa-kod, t.ex. \"2.3.2\"")
    if code and code not in klassa:
        problems.error(meta.line_of("klassa"), f"Klassa-koden \"{code}\" finns inte.{klassa.hint(code)} "
                                               "Använd en kod ur Klassa 2.1 eller lägg till den i processes/klassa.yml.")
        return ""
    return code
