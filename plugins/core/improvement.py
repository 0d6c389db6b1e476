"""What a process file says about its improvement: requirements, measures, goals, follow-up,
knowledge and evaluations (issue 19). Read here with file:line problems; judged in maturity.py.

Every key is optional. A list key also takes one mapping (read as a list of one), as `reviewed` does.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .governance import read_date, read_text
from .problems import Problems, did_you_mean
from .roles import RoleRegister
from .source import LineDict

REQUIREMENT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
IMPROVEMENT_KEYS = ("requirements", "measures", "goals", "follow_up", "knowledge", "evaluations")
MEASURE_KEYS = ("name", "unit", "target", "frequency", "result")
GOAL_KEYS = ("name", "date")
FOLLOW_UP_KEYS = ("how", "by")
KNOWLEDGE_KINDS = ("utbildning", "introduktion", "material")
KNOWLEDGE_KEYS = ("name", "kind", "link")
EVALUATION_KEYS = ("date", "what", "found", "improved", "goals_raised")
REQUIREMENT_REF_KEYS = ("id", "note")
_URL = re.compile(r"^https?://[^\s<>\"]+$", re.I)

EXAMPLES = {
    "requirements": "requirements: [sosfs-2011-9-4-kap-2, {id: sol-3-kap-3, note: Kvalitet i insatserna}]",
    "measures": "measures: [{name: Handläggningstid, unit: dagar, target: \"högst 30\", frequency: varje månad, result: https://…}]",
    "goals": "goals: [{name: Handläggningstiden är högst 25 dagar, date: 2027-12-31}]",
    "follow_up": "follow_up: {how: Månadsuppföljning i ledningsgruppen, by: enhetschef}",
    "knowledge": "knowledge: [{name: Introduktion för nyanställda, kind: introduktion, link: hr/checklista-introduktion.md}]",
    "evaluations": "evaluations: [{date: 2026-10-01, what: Handläggningstiden, found: …, improved: …, goals_raised: true}]",
}


@dataclass(frozen=True)
class RequirementRef:
    """A reference from a process, step or document to an entry of processes/krav.yml."""

    id: str
    note: str = ""
    line: int = 1


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str = ""
    target: str = ""
    frequency: str = ""  # how often it is followed up
    result: str = ""  # where the latest result is found: an address, a docs/ path or text
    line: int = 1


@dataclass(frozen=True)
class Goal:
    name: str
    date: dt.date | None = None
    line: int = 1


@dataclass(frozen=True)
class FollowUp:
    how: str
    by: str = ""  # role id
    line: int = 1


@dataclass(frozen=True)
class Knowledge:
    name: str
    kind: str = ""
    link: str = ""  # an address or a docs/ path
    line: int = 1


@dataclass(frozen=True)
class Evaluation:
    date: dt.date
    what: str
    found: str = ""
    improved: str = ""
    goals_raised: bool = False
    line: int = 1


def is_url(text: str) -> bool:
    return bool(_URL.match(text))


def is_doc_path(text: str) -> bool:
    return text.split("#", 1)[0].endswith(".md") and not is_url(text)


def _entries(meta: LineDict, key: str, problems: Problems, what: str) -> list[LineDict]:
    """The mappings of a list key (one mapping alone is a list of one); anything else is an error."""
    value = meta.get(key)
    if value is None:
        return []
    entries = [value] if isinstance(value, dict) else value
    if not isinstance(entries, list):
        problems.error(meta.line_of(key), f"{key} ska vara en lista med {what}, t.ex. {EXAMPLES[key]}")
        return []
    result = []
    for entry in entries:
        if isinstance(entry, LineDict):
            result.append(entry)
        else:
            problems.error(meta.line_of(key), f"varje post under {key} ska vara en mappning ({what}), t.ex. {EXAMPLES[key]}")
    return result


def _unknown(entry: LineDict, keys, where: str, problems: Problems) -> None:
    for key in entry:
        if key not in keys:
            problems.warning(entry.line_of(key), f"okänd nyckel \"{key}\" i {where}."
                                                 f"{did_you_mean(key, keys) or ' Använd ' + ', '.join(keys) + '.'}")


def _link(entry: LineDict, key: str, problems: Problems, where: str) -> str:
    text = read_text(entry, key, problems, False, f"adress eller sökväg i docs/ ({where})")
    if text and not (is_url(text) or is_doc_path(text)):
        problems.error(entry.line_of(key), f"{key} \"{text}\" i {where} är varken en webbadress (https://…) eller en sida i docs/ "
                                           "(t.ex. hr/rutin.md); skriv en av dem")
        return ""
    return text


def read_requirement_refs(meta: LineDict, problems: Problems, where: str = "") -> list[RequirementRef]:
    """`requirements`: ids of processes/krav.yml, each alone or as {id, note}."""
    key = "requirements"
    value = meta.get(key)
    if value is None:
        return []
    line = meta.line_of(key)
    items = [value] if isinstance(value, (str, dict)) else value
    if not isinstance(items, list):
        problems.error(line, f"{key}{where} ska vara en lista med krav-id ur processes/krav.yml, t.ex. {EXAMPLES[key]}")
        return []
    refs = []
    for item in items:
        if isinstance(item, LineDict):
            _unknown(item, REQUIREMENT_REF_KEYS, f"{key}{where}", problems)
            rid = read_text(item, "id", problems, True, "krav-id ur processes/krav.yml")
            note = read_text(item, "note", problems, False, "hur kravet uppfylls")
            item_line = item.line_of("id", item.line)
        elif isinstance(item, (str, int)) and not isinstance(item, bool) and str(item).strip():
            rid, note, item_line = str(item).strip(), "", line
        else:
            problems.error(line, f"varje post under {key}{where} ska vara ett krav-id eller {{id: krav-id, note: text}}")
            continue
        if rid and not REQUIREMENT_ID.match(rid):
            problems.error(item_line, f"krav-id \"{rid}\" i {key}{where} får bara innehålla a–z, 0–9 och bindestreck")
        elif rid:
            refs.append(RequirementRef(rid, note, item_line))
    return refs


def read_measures(meta: LineDict, problems: Problems) -> list[Measure]:
    found = []
    for entry in _entries(meta, "measures", problems, "mått (name, unit, target, frequency, result)"):
        _unknown(entry, MEASURE_KEYS, "ett mått under measures", problems)
        name = read_text(entry, "name", problems, True, "måttets namn")
        texts = {k: read_text(entry, k, problems, False, k) for k in ("unit", "target", "frequency")}
        result = read_text(entry, "result", problems, False, "var senaste resultatet finns")
        if name:
            found.append(Measure(name, result=result, line=entry.line, **texts))
    return found


def read_goals(meta: LineDict, problems: Problems) -> list[Goal]:
    found = []
    for entry in _entries(meta, "goals", problems, "mål (name, date)"):
        _unknown(entry, GOAL_KEYS, "ett mål under goals", problems)
        name = read_text(entry, "name", problems, True, "vad målet är")
        date = read_date(entry, "date", problems, True, "när målet ska vara nått")
        if name:
            found.append(Goal(name, date, entry.line))
    return found


def read_follow_up(meta: LineDict, roles: RoleRegister, problems: Problems) -> FollowUp | None:
    value = meta.get("follow_up")
    if value is None:
        return None
    if not isinstance(value, LineDict):
        problems.error(meta.line_of("follow_up"), f"follow_up ska vara en mappning med how och by, t.ex. {EXAMPLES['follow_up']}")
        return None
    _unknown(value, FOLLOW_UP_KEYS, "follow_up", problems)
    how = read_text(value, "how", problems, True, "hur mätning och uppföljning går till")
    by = value.get("by")
    if by is None or by == "":
        problems.error(value.line, "by saknas i follow_up; ange roll-id för den som följer upp")
        by = ""
    elif not roles.check(by, problems, value.line_of("by"), "by under follow_up"):
        by = ""
    return FollowUp(how, by, value.line) if how else None


def read_knowledge(meta: LineDict, problems: Problems) -> list[Knowledge]:
    found = []
    for entry in _entries(meta, "knowledge", problems, "hur de berörda lär sig processen (name, kind, link)"):
        _unknown(entry, KNOWLEDGE_KEYS, "knowledge", problems)
        name = read_text(entry, "name", problems, True, "vad de berörda får, t.ex. en utbildning")
        kind = read_text(entry, "kind", problems, False, "utbildning, introduktion eller material")
        if kind and kind not in KNOWLEDGE_KINDS:
            problems.error(entry.line_of("kind"), f"kind \"{kind}\" i knowledge är okänd; välj utbildning, introduktion eller material."
                                                  f"{did_you_mean(kind, KNOWLEDGE_KINDS)}")
            kind = ""
        link = _link(entry, "link", problems, "knowledge")
        if name:
            found.append(Knowledge(name, kind, link, entry.line))
    return found


def read_evaluations(meta: LineDict, problems: Problems) -> list[Evaluation]:
    found = []
    for entry in _entries(meta, "evaluations", problems, "utvärderingar (date, what, found, improved, goals_raised)"):
        _unknown(entry, EVALUATION_KEYS, "en utvärdering under evaluations", problems)
        date = read_date(entry, "date", problems, True, "dagen för utvärderingen")
        what = read_text(entry, "what", problems, True, "vad som utvärderades")
        texts = {k: read_text(entry, k, problems, False, k) for k in ("found", "improved")}
        raised = entry.get("goals_raised", False)
        if raised is None:
            raised = False
        if not isinstance(raised, bool):
            problems.error(entry.line_of("goals_raised"), f"goals_raised ska vara true eller false (om målen höjdes), inte \"{raised}\"")
            raised = False
        if date and what:
            found.append(Evaluation(date, what, goals_raised=raised, line=entry.line_of("date", entry.line), **texts))
    return found
