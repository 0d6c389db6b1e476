"""A process's maturity, computed from its own data: the ten steps of the checklist for following up
and improving a process (Lidköpings kommun's plan for a kommungemensamt ledningssystem), and the
SOSFS 2011:9 rule that every activity of a kärnprocess has a rutin saying who is responsible.

The rules live here and nowhere else; pages, reports and the catalog ask `maturity(handbook, process)`.

1. Identifierad, processansvarig utsedd: the process has an owner (a known role).
2. Definierad: purpose, trigger, customer and result are all written.
3. Beskriven och dokumenterad: state fastställd, and every task step links at least one existing document.
4. Krav fastställda: the process or one of its steps refers to a requirement of processes/krav.yml.
5. Mått definierade: at least one measure.
6. Mätning och uppföljning etablerad: follow_up (how and by whom) and a measure that says where its latest result is.
7. Mål satta: at least one goal with a date.
8. Berörda har kunskap: at least one knowledge entry (utbildning, introduktion, material).
9. Utvärderad och förbättrad: an evaluation dated within the evaluation period (evaluation_days, default 365) up to today.
10. Målen höjda, ständig förbättring: an evaluation within the period with goals_raised: true.

The level is the highest step with every step up to it met (0 when step 1 is not met).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .handbook import Handbook
from .improvement import is_url
from .processes import Process
from .requirements import REGISTER_FILE
from .urls import document_url, role_url

STEPS = (
    "Processen är identifierad och processansvarig är utsedd",
    "Processen är definierad",
    "Processen är beskriven och dokumenterad",
    "Krav på processen är fastställda",
    "Mått är definierade",
    "Mätning och uppföljning är etablerad",
    "Mål för processen är satta",
    "Berörda har tillräcklig kunskap",
    "Utvärdering och förbättringar är genomförda",
    "Målen är höjda och kontinuerligt förbättringsarbete bedrivs",
)
LEVELS = len(STEPS)
RULE_MODES = ("warn", "error", "off")
RUTIN_TYPES = ("rutin", "instruktion")
SOSFS = "SOSFS 2011:9 4 kap. 4 §"  # a rutin: how an activity is done and who is responsible


@dataclass(frozen=True)
class Evidence:
    """What shows that a step is met: text, and where to read more (site-root relative, or an https:// address)."""

    text: str
    url: str = ""

    @property
    def external(self) -> bool:
        return is_url(self.url)


@dataclass
class StepResult:
    number: int
    title: str
    met: bool
    evidence: list[Evidence] = field(default_factory=list)
    missing: str = ""  # Swedish: what is missing, when not met


@dataclass
class Maturity:
    process: Process
    steps: list[StepResult]

    @property
    def level(self) -> int:
        level = 0
        for step in self.steps:
            if not step.met:
                break
            level = step.number
        return level

    @property
    def next_step(self) -> StepResult | None:
        return next((s for s in self.steps if not s.met), None)


def level_label(level: int) -> str:
    return f"Nivå {level} av {LEVELS}"


# -- the ten rules -----------------------------------------------------------------


def _doc(handbook: Handbook, path: str) -> Evidence:
    doc = handbook.documents.get(path.split("#", 1)[0])
    if doc is None or not handbook.is_published(doc):
        return Evidence("Ej publicerat dokument")
    return Evidence(doc.title, document_url(doc.path))


def _link(handbook: Handbook, text: str, target: str) -> Evidence:
    """An author's link: an https:// address as it is, a docs/ path to its page (never a withheld one's title)."""
    if is_url(target):
        return Evidence(text, target)
    if target:
        shown = _doc(handbook, target)
        return Evidence(text, shown.url) if shown.url else Evidence(text)
    return Evidence(text)


def _role(handbook: Handbook, role_id: str) -> Evidence:
    return Evidence(handbook.roles.name(role_id), role_url(role_id) if role_id in handbook.roles else "")


def step_1(handbook: Handbook, process: Process) -> StepResult:
    if process.owner:
        return StepResult(1, STEPS[0], True, [Evidence("Processägare: " + handbook.roles.name(process.owner), role_url(process.owner))])
    return StepResult(1, STEPS[0], False, missing="Processägare saknas: ange owner med ett roll-id ur processes/roles.yml.")


DEFINITION = (("purpose", "syfte (purpose)"), ("trigger", "vad som startar processen (trigger)"),
              ("customer", "mottagare (customer)"), ("result", "resultat (result)"))


def step_2(handbook: Handbook, process: Process) -> StepResult:
    absent = [label for key, label in DEFINITION if not getattr(process, key)]
    if absent:
        return StepResult(2, STEPS[1], False, missing="Saknar " + _and(absent) + ".")
    return StepResult(2, STEPS[1], True, [Evidence("Syfte, start, mottagare och resultat är beskrivna")])


def step_3(handbook: Handbook, process: Process) -> StepResult:
    missing = []
    if process.state != "fastställd":
        missing.append(f"Processen är inte fastställd (state: {process.state or 'saknas'}); den ska beslutas och få state: fastställd.")
    bare = [s.name for s in process.steps if s.kind == "task" and not any(p in handbook.documents for p in s.documents)]
    if bare:
        missing.append(f"Steg utan dokument: {_and(bare)}. Länka en rutin, instruktion eller mall under documents.")
    if not process.steps:
        missing.append("Processen saknar steg.")
    if missing:
        return StepResult(3, STEPS[2], False, missing=" ".join(missing))
    docs = list(dict.fromkeys(p for s in process.steps for p in s.documents if p in handbook.documents))
    return StepResult(3, STEPS[2], True, [Evidence("Fastställd"), *(_doc(handbook, p) for p in docs)])


def requirement_refs(process: Process):
    """The process's own requirement references and its steps', in order."""
    return [*process.requirements, *(r for s in process.steps for r in s.requirements)]


def step_4(handbook: Handbook, process: Process) -> StepResult:
    known = list(dict.fromkeys(r.id for r in requirement_refs(process) if r.id in handbook.requirements))
    if not known:
        return StepResult(4, STEPS[3], False, missing=f"Inga krav angivna: lägg till requirements med id ur processes/{REGISTER_FILE} "
                                                      "(lagar, föreskrifter och andra krav som processen ska uppfylla).")
    evidence = []
    for rid in known:
        req = handbook.requirements.get(rid)
        evidence.append(Evidence(f"{req.source}: {req.title}", f"krav/{rid}/") if handbook.is_published(req)
                        else Evidence("Ej publicerat krav"))
    return StepResult(4, STEPS[3], True, evidence)


def step_5(handbook: Handbook, process: Process) -> StepResult:
    if not process.measures:
        return StepResult(5, STEPS[4], False, missing="Inga mått: lägg till measures med name, unit, target och frequency.")
    return StepResult(5, STEPS[4], True, [Evidence(_measure_text(m)) for m in process.measures])


def _measure_text(measure) -> str:
    parts = [measure.name]
    if measure.target:
        parts.append(f"målvärde {measure.target}{' ' + measure.unit if measure.unit else ''}")
    elif measure.unit:
        parts.append(f"i {measure.unit}")
    if measure.frequency:
        parts.append(f"följs upp {measure.frequency}")
    return ", ".join(parts)


def step_6(handbook: Handbook, process: Process) -> StepResult:
    missing = []
    if process.follow_up is None:
        missing.append("Uppföljningen är inte beskriven: lägg till follow_up med how (hur) och by (roll-id).")
    with_result = [m for m in process.measures if m.result]
    if not with_result:
        missing.append("Inget mått anger var det senaste resultatet finns: lägg till result på ett mått.")
    if missing:
        return StepResult(6, STEPS[5], False, missing=" ".join(missing))
    follow = process.follow_up
    evidence = [Evidence(f"Uppföljning: {follow.how}"), *([_role(handbook, follow.by)] if follow.by else [])]
    evidence += [_link(handbook, f"Senaste resultat: {m.name}", m.result) if (is_url(m.result) or m.result.endswith(".md"))
                 else Evidence(f"Senaste resultat för {m.name}: {m.result}") for m in with_result]
    return StepResult(6, STEPS[5], True, evidence)


def step_7(handbook: Handbook, process: Process) -> StepResult:
    goals = [g for g in process.goals if g.date]
    if not goals:
        return StepResult(7, STEPS[6], False, missing="Inga mål: lägg till goals med name och date (när målet ska vara nått).")
    return StepResult(7, STEPS[6], True, [Evidence(f"{g.name} (senast {g.date.isoformat()})") for g in goals])


def step_8(handbook: Handbook, process: Process) -> StepResult:
    if not process.knowledge:
        return StepResult(8, STEPS[7], False, missing="Det står inte hur de berörda lär sig processen: lägg till knowledge "
                                                      "(utbildning, introduktion eller material, gärna med en länk).")
    return StepResult(8, STEPS[7], True, [_link(handbook, k.name + (f" ({k.kind})" if k.kind else ""), k.link) for k in process.knowledge])


def recent_evaluations(handbook: Handbook, process: Process):
    today = handbook.settings.today
    start = today - dt.timedelta(days=handbook.settings.evaluation_days)
    return sorted((e for e in process.evaluations if start <= e.date <= today), key=lambda e: e.date, reverse=True)


def step_9(handbook: Handbook, process: Process) -> StepResult:
    recent = recent_evaluations(handbook, process)
    days = handbook.settings.evaluation_days
    if not recent:
        past = [e for e in process.evaluations if e.date <= handbook.settings.today]
        older = f" Den senaste är från {max(e.date for e in past).isoformat()}." if past else ""
        return StepResult(9, STEPS[8], False, missing=f"Ingen utvärdering de senaste {days} dagarna.{older} Utvärdera processen "
                                                      "och lägg till en post under evaluations (date, what, found, improved).")
    return StepResult(9, STEPS[8], True, [Evidence(f"{e.date.isoformat()}: {e.what}" + (f". Förbättrat: {e.improved}" if e.improved else ""))
                                          for e in recent])


def step_10(handbook: Handbook, process: Process) -> StepResult:
    raised = [e for e in recent_evaluations(handbook, process) if e.goals_raised]
    if not raised:
        return StepResult(10, STEPS[9], False, missing=f"Ingen utvärdering de senaste {handbook.settings.evaluation_days} dagarna "
                                                       "har höjt målen: skriv goals_raised: true på utvärderingen när målen höjs.")
    return StepResult(10, STEPS[9], True, [Evidence(f"{e.date.isoformat()}: målen höjdes efter utvärderingen av {e.what}") for e in raised])


RULES = (step_1, step_2, step_3, step_4, step_5, step_6, step_7, step_8, step_9, step_10)


def maturity(handbook: Handbook, process: Process) -> Maturity:
    return Maturity(process, [rule(handbook, process) for rule in RULES])


def counts(results: list[Maturity]) -> dict[int, int]:
    """Level → number of processes, every level 0–10 present."""
    found = dict.fromkeys(range(LEVELS + 1), 0)
    for result in results:
        found[result.level] += 1
    return found


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " och " + items[-1] if len(items) > 1 else "".join(items)


# -- SOSFS 2011:9: a rutin for every activity of a kärnprocess ----------------------------------


@dataclass
class Finding:
    """An activity without a rutin, or a rutin that does not say who is responsible."""

    kind: str  # "step" or "rutin"
    process: Process
    message: str
    step: object = None
    document: object = None


def is_core(handbook: Handbook, process: Process) -> bool:
    code = process.klassa
    return bool(code) and any(code == c or code.startswith(c + ".") for c in handbook.settings.core_process_codes)


def activity_findings(handbook: Handbook, published_only: bool = False) -> list[Finding]:
    """Each task step (not a decision or delprocess) of a kärnprocess without a linked rutin or instruktion, and each linked
    rutin or instruktion that names no responsible role (`roles`), once per document."""
    found, seen = [], set()
    processes = handbook.published_processes() if published_only else sorted(handbook.processes.values(), key=lambda p: p.id)
    for process in processes:
        if not is_core(handbook, process):
            continue
        for step in process.steps:
            if step.kind != "task":  # a decision belongs to an activity; a delprocess has its own steps
                continue
            docs = [handbook.documents[p] for p in step.documents if p in handbook.documents]
            rutiner = [d for d in docs if d.doc_type in RUTIN_TYPES]
            if not rutiner:
                found.append(Finding("step", process, f"steget {step.name} ({step.id}) i kärnprocessen {process.name} har ingen länkad "
                                                      f"rutin eller instruktion ({SOSFS}); länka en under documents i steget", step=step))
            for doc in rutiner:
                if doc.roles or doc.path in seen or (published_only and not handbook.is_published(doc)):
                    continue
                seen.add(doc.path)
                found.append(Finding("rutin", process, f"{doc.title} ({doc.doc_type}) anger inte vem som ansvarar ({SOSFS}); "
                                                       "lägg till roles: [roll-id] med den roll som ansvarar för aktiviteten",
                                     step=step, document=doc))
    return found


def check_activity_rutin(handbook: Handbook) -> None:
    """The SOSFS rule as warnings or errors at the step's or the rutin's line; and evaluations dated after today."""
    for process in handbook.processes.values():
        for evaluation in process.evaluations:
            if evaluation.date > handbook.settings.today:
                process.problems.error(evaluation.line, f"utvärderingen är daterad {evaluation.date.isoformat()}, efter dagens datum "
                                                        f"{handbook.settings.today.isoformat()}; registrera den när den är gjord")
    mode = handbook.settings.activity_rutin_rule
    if mode not in ("warn", "error"):
        return
    for finding in activity_findings(handbook):
        if finding.kind == "step":
            problems, line = finding.process.problems, finding.step.lines.get("documents", finding.step.line)
        else:
            problems, line = finding.document.problems, finding.document.line_of("doc_type")
        (problems.error if mode == "error" else problems.warning)(line, finding.message)


# -- every published process, as the page mognad/ and `handbook report --maturity` list them ----------


@dataclass
class ProcessMaturity:
    result: Maturity
    area_code: str  # the verksamhetsområde (Klassa VO), or the VT when the process sits directly at one
    area: str
    owner_name: str

    @property
    def process(self) -> Process:
        return self.result.process

    @property
    def level(self) -> int:
        return self.result.level


def overview(handbook: Handbook) -> list[ProcessMaturity]:
    """Published processes with their maturity, by verksamhetsområde (code order), then name."""
    from .catalog import swedish_key
    from .klassa import code_key

    found = []
    for process in handbook.published_processes():
        chain = handbook.klassa.ancestors(process.klassa) if process.klassa in handbook.klassa else []
        code = chain[1] if len(chain) > 1 else (chain[0] if chain else "")
        area = handbook.klassa[code].label if code else "Utan giltig Klassa-kod"
        owner = handbook.roles.name(process.owner) if process.owner else "Processägare saknas"
        found.append(ProcessMaturity(maturity(handbook, process), code, area, owner))
    return sorted(found, key=lambda m: (code_key(m.area_code) if m.area_code else (9999,), swedish_key(m.process.name), m.process.id))
