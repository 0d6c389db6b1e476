"""The requirements register `processes/krav.yml`: requirements of external origin (laws, regulations,
föreskrifter) and what in the handbook fulfils each of them.

ISO 9001 asks for documents of external origin to be identified and controlled, and SOSFS 2011:9
for the processes to be traced to the requirements on the business. A requirement follows the
classification gate like a document: one above the site's limit is never published anywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .governance import read_classification, read_date, read_text
from .improvement import REQUIREMENT_ID, RequirementRef, is_url
from .klassa import KlassaTree
from .problems import Problems, did_you_mean
from .roles import RoleRegister
from .source import LineDict

if TYPE_CHECKING:  # pragma: no cover
    from .documents import Document
    from .handbook import Handbook
    from .processes import Process, Step

REGISTER_FILE = "krav.yml"
REQUIREMENT_KEYS = ("title", "source", "link", "checked", "owner", "klassa", "information_class", "description")
EXAMPLE = ('sol-3-kap-3:\n  title: Insatser av god kvalitet\n  source: SoL 3 kap. 3 §\n'
           '  link: https://www.riksdagen.se/…\n  checked: 2026-09-01\n  owner: socialchef')


@dataclass
class Requirement:
    id: str
    title: str = ""
    source: str = ""  # e.g. "SOSFS 2011:9 4 kap. 2 §"
    link: str = ""
    checked: dt.date | None = None  # the day the source was last checked against the handbook
    owner: str = ""  # role id
    klassa: str = ""
    description: str = ""
    information_class: str = "K1"
    k_level: int = 1
    line: int = 1


@dataclass
class RequirementRegister:
    path: str = f"processes/{REGISTER_FILE}"
    requirements: dict[str, Requirement] = field(default_factory=dict)
    present: bool = False  # whether the file exists

    def __contains__(self, rid: object) -> bool:
        return rid in self.requirements

    def get(self, rid: str) -> Requirement | None:
        return self.requirements.get(rid)


def read_register(data: object, problems: Problems, roles: RoleRegister, klassa: KlassaTree, today: dt.date) -> RequirementRegister:
    """`krav.yml`: a mapping krav-id → {title, source, link, checked, owner, klassa, information_class, description}."""
    register = RequirementRegister(problems.path)
    if data is None:
        return register
    register.present = True
    if not isinstance(data, LineDict):
        problems.error(1, f"krav.yml ska vara en mappning krav-id: {{title, source, link, checked, owner}}, t.ex.\n{EXAMPLE}")
        return register
    for rid, line in data.duplicates:
        problems.error(line, f"kravet {rid} står flera gånger i registret; bara det sista gäller. Ge varje krav ett eget id")
    for rid, entry in data.items():
        line = data.line_of(rid)
        if not REQUIREMENT_ID.match(rid):
            problems.error(line, f"krav-id \"{rid}\" får bara innehålla a–z, 0–9 och bindestreck (det blir sidans adress krav/<id>/)")
            continue
        if not isinstance(entry, LineDict):
            problems.error(line, f"kravet {rid} ska vara en mappning med title, source, link, checked och owner")
            continue
        register.requirements[rid] = _read_entry(rid, entry, problems, roles, klassa, today)
    return register


def _read_entry(rid: str, entry: LineDict, problems: Problems, roles: RoleRegister, klassa: KlassaTree, today: dt.date) -> Requirement:
    for key in entry:
        if key not in REQUIREMENT_KEYS:
            problems.warning(entry.line_of(key), f"okänd nyckel \"{key}\" i kravet {rid}."
                                                 f"{did_you_mean(key, REQUIREMENT_KEYS) or ' Ta bort den eller rätta stavningen.'}")
    req = Requirement(rid, line=entry.line)
    req.information_class, req.k_level = read_classification(entry, problems)
    req.title = read_text(entry, "title", problems, True, f"kravets rubrik i {rid}")
    req.source = read_text(entry, "source", problems, True, f"var kravet står, t.ex. SoL 3 kap. 3 § eller SOSFS 2011:9 4 kap. 2 §, i {rid}")
    req.description = read_text(entry, "description", problems, False, "beskrivning")
    req.link = read_text(entry, "link", problems, False, "webbadress till källan")
    if req.link and not is_url(req.link):
        problems.error(entry.line_of("link"), f"link \"{req.link}\" i kravet {rid} är ingen webbadress; skriv https://…")
        req.link = ""
    req.checked = read_date(entry, "checked", problems, True, f"dagen då källan senast kontrollerades, i {rid}")
    if req.checked and req.checked > today:
        problems.error(entry.line_of("checked"), f"checked {req.checked.isoformat()} i kravet {rid} ligger efter dagens datum "
                                                 f"{today.isoformat()}; skriv dagen då källan kontrollerades")
    owner = entry.get("owner")
    if owner is None or owner == "":
        problems.error(entry.line, f"owner saknas i kravet {rid}; ange roll-id för den som bevakar kravet")
    elif roles.check(owner, problems, entry.line_of("owner"), f"owner i kravet {rid}"):
        req.owner = owner
    code = read_text(entry, "klassa", problems, False, "Klassa-kod")
    if code and code not in klassa:
        problems.error(entry.line_of("klassa"), f"Klassa-koden \"{code}\" i kravet {rid} finns inte.{klassa.hint(code)}")
    elif code:
        req.klassa = code
    return req


# -- what fulfils a requirement ---------------------------------------------------


@dataclass
class Fulfilment:
    """What refers to one requirement: processes, steps of processes and documents."""

    requirement: Requirement
    processes: list[tuple["Process", RequirementRef]] = field(default_factory=list)
    steps: list[tuple["Process", "Step", RequirementRef]] = field(default_factory=list)
    documents: list[tuple["Document", RequirementRef]] = field(default_factory=list)

    def count(self) -> int:
        return len(self.processes) + len(self.steps) + len(self.documents)


def references(handbook: "Handbook", published_only: bool = False):
    """Every requirement reference in the handbook: (file's Problems, ref, process, step, document); with
    `published_only`, only those of what the site publishes (the gate, and a preview's part)."""
    processes = handbook.published_processes() if published_only else list(handbook.processes.values())
    documents = handbook.published_governed() if published_only else [d for d in handbook.documents.values() if d.governed]
    for process in processes:
        for ref in process.requirements:
            yield process.problems, ref, process, None, None
        for step in process.steps:
            for ref in step.requirements:
                yield process.problems, ref, process, step, None
    for doc in documents:
        for ref in doc.requirements:
            yield doc.problems, ref, None, None, doc


def check(handbook: "Handbook") -> None:
    """References to requirements that do not exist are errors that name the closest id."""
    register = handbook.requirements
    for problems, ref, _, _, _ in references(handbook):
        if ref.id not in register:
            where = register.path if register.present else f"{register.path} (filen finns inte)"
            problems.error(ref.line, f"okänt krav \"{ref.id}\".{did_you_mean(ref.id, register.requirements)} "
                                     f"Lägg till kravet i {where} eller rätta id:t.")


def fulfilments(handbook: "Handbook", published_only: bool = True) -> dict[str, Fulfilment]:
    """Requirement id → what fulfils it, in the register's order; with `published_only`, only what the gate clears."""
    found = {rid: Fulfilment(req) for rid, req in handbook.requirements.requirements.items()
             if not published_only or handbook.is_published(req)}
    for _, ref, process, step, doc in references(handbook, published_only):
        entry = found.get(ref.id)
        if entry is None:
            continue
        if doc is not None:
            entry.documents.append((doc, ref))
        elif step is not None:
            entry.steps.append((process, step, ref))
        else:
            entry.processes.append((process, ref))
    return found


def published_requirements(handbook: "Handbook") -> list[Requirement]:
    return [r for r in handbook.requirements.requirements.values() if handbook.is_published(r)]
