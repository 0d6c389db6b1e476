"""Processes in `processes/**/*.yml`: governed like documents, drawn as swimlane maps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .documents import read_klassa
from .governance import REPEAL_KEYS, REVIEWED, Governance, read_governance, read_role_list, read_text, read_text_list
from .improvement import (IMPROVEMENT_KEYS, Evaluation, FollowUp, Goal, Knowledge, Measure, RequirementRef, read_evaluations,
                          read_follow_up, read_goals, read_knowledge, read_measures, read_requirement_refs)
from .klassa import KlassaTree
from .problems import Problems, did_you_mean
from .roles import RoleRegister
from .source import LineDict, SourceError, decode, load_yaml, repeated_keys

PROCESS_ID = re.compile(r"^[a-z0-9-]+$")
PROCESS_KEYS = (
    "id", "name", "klassa", "owner", "leader", "team", "version", "review_date", "state",
    "information_class", "purpose", "trigger", "customer", "result", "inputs", "outputs", "steps",
    "description", "valid_from", "decided_by", "decision_date", "diarienummer", REVIEWED, *REPEAL_KEYS, *IMPROVEMENT_KEYS,
)
STEP_KEYS = ("id", "name", "role", "kind", "description", "documents", "next", "process", "requirements")
STEP_KINDS = ("task", "decision", "subprocess")
RESERVED_FILES = ("roles.yml", "klassa.yml", "krav.yml")
RESERVED_IDS = ("index",)  # processer/index.md is the process landscape


@dataclass
class Step:
    id: str
    name: str
    role: str = ""
    kind: str = "task"
    description: str = ""
    documents: list[str] = field(default_factory=list)
    process: str = ""
    next: list[tuple[str, str]] = field(default_factory=list)
    explicit_next: bool = False
    requirements: list[RequirementRef] = field(default_factory=list)
    line: int = 1
    lines: dict = field(default_factory=dict)


@dataclass
class Process(Governance):
    id: str = ""
    path: str = ""
    name: str = ""
    klassa: str = ""
    leader: str = ""
    team: list[str] = field(default_factory=list)
    purpose: str = ""
    trigger: str = ""
    customer: str = ""
    result: str = ""
    description: str = ""
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    requirements: list[RequirementRef] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    follow_up: FollowUp | None = None
    knowledge: list[Knowledge] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    problems: Problems = field(default_factory=lambda: Problems(""))
    meta: LineDict = field(default_factory=LineDict)

    @property
    def lead(self) -> str:
        """The processledare: the named leader, or the owner when none is named."""
        return self.leader or self.owner

    def successors(self, step: Step) -> list[tuple[str, str]]:
        """Where a step flows: its `next`, else the step below it; the last step ends."""
        if step.explicit_next:
            return step.next
        index = self.steps.index(step)
        return [("", self.steps[index + 1].id)] if index + 1 < len(self.steps) else []

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def roles_in_order(self) -> list[str]:
        """Step roles in order of first appearance: the swimlanes."""
        return list(dict.fromkeys(s.role for s in self.steps if s.role))


def read_process(path: str, data: bytes, klassa: KlassaTree, roles: RoleRegister) -> Process:
    """Read one process file; `path` is relative to the handbook root."""
    problems = Problems(path)
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    process = Process(id=stem, path=path, name=stem, problems=problems)
    text, decode_error = decode(data)
    if decode_error:
        problems.error(decode_error.line, decode_error.message)
    try:
        meta = load_yaml(text)
    except SourceError as exc:
        problems.error(exc.line, exc.message)
        return process
    if not isinstance(meta, LineDict):
        problems.error(1, "processfilen ska vara en mappning med nycklar som name, klassa, owner och steps")
        return process
    process.meta = meta
    _read_header(process, meta, klassa, roles, problems)
    _read_steps(process, meta, roles, problems)
    _check_flow(process, problems)
    return process


def _read_header(process: Process, meta: LineDict, klassa: KlassaTree, roles: RoleRegister, problems: Problems) -> None:
    for key, line in repeated_keys(meta):
        problems.warning(line, f"nyckeln {key} står flera gånger; bara den sista gäller. Ta bort den som inte ska gälla")
    for key in meta:
        if key not in PROCESS_KEYS:
            problems.warning(meta.line_of(key), f"okänd nyckel \"{key}\".{did_you_mean(key, PROCESS_KEYS) or ' Ta bort den eller rätta stavningen.'}")
    if "id" in meta:
        pid = read_text(meta, "id", problems, False, "process-id")
        if pid and not PROCESS_ID.match(pid):
            problems.error(meta.line_of("id"), f"id \"{pid}\" får bara innehålla a–z, 0–9 och bindestreck, t.ex. {_slug(pid)}")
        elif pid:
            process.id = pid
    elif not PROCESS_ID.match(process.id):
        problems.error(1, f"filnamnet ger process-id \"{process.id}\", som bara får innehålla a–z, 0–9 och bindestreck; döp om filen eller ange id: {_slug(process.id)}")
    if process.id in RESERVED_IDS:
        problems.error(meta.line_of("id", 1), f"process-id \"{process.id}\" är reserverat för processkartan processer/; "
                                              f"ange ett annat id, t.ex. id: {process.id}-process")
        process.id = f"{process.id}-process"
    process.name = read_text(meta, "name", problems, True, "processens namn") or process.id
    process.klassa = read_klassa(meta, klassa, problems)
    gov = read_governance(meta, roles, problems, "processägare")
    for name in Governance.__dataclass_fields__:
        setattr(process, name, getattr(gov, name))
    leader = meta.get("leader")
    if isinstance(leader, list):
        problems.error(meta.line_of("leader"), "leader ska vara högst ett roll-id (processledare), inte en lista")
    elif leader not in (None, "") and roles.check(leader, problems, meta.line_of("leader"), "leader"):
        process.leader = leader
    process.team = read_role_list(meta, "team", roles, problems, "team")
    for key in ("purpose", "trigger", "customer", "result", "description"):
        setattr(process, key, read_text(meta, key, problems, False, key))
    process.inputs = read_text_list(meta, "inputs", problems, "inputs")
    process.outputs = read_text_list(meta, "outputs", problems, "outputs")
    process.requirements = read_requirement_refs(meta, problems)
    process.measures = read_measures(meta, problems)
    process.goals = read_goals(meta, problems)
    process.follow_up = read_follow_up(meta, roles, problems)
    process.knowledge = read_knowledge(meta, problems)
    process.evaluations = read_evaluations(meta, problems)


def _slug(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", " ": "-", "_": "-"})
    return re.sub(r"[^a-z0-9-]", "", text.lower().translate(table)) or "processens-id"


def _read_steps(process: Process, meta: LineDict, roles: RoleRegister, problems: Problems) -> None:
    steps = meta.get("steps")
    if not isinstance(steps, list) or not steps:
        problems.error(meta.line_of("steps", 1), "processen saknar steps: en lista med minst ett steg (id, name, role)")
        return
    for index, raw in enumerate(steps, start=1):
        if not isinstance(raw, LineDict):
            problems.error(meta.line_of("steps"), f"steg {index} ska vara en mappning med id, name och role")
            continue
        step = _read_step(raw, index, roles, problems)
        if process.step(step.id):
            problems.error(step.line, f"steg-id \"{step.id}\" används redan i processen; ge varje steg ett eget id")
            continue
        process.steps.append(step)


def _read_step(raw: LineDict, index: int, roles: RoleRegister, problems: Problems) -> Step:
    for key in raw:
        if key not in STEP_KEYS:
            problems.warning(raw.line_of(key), f"okänd nyckel \"{key}\" i steg.{did_you_mean(key, STEP_KEYS) or ' Ta bort den eller rätta stavningen.'}")
    step_id = read_text(raw, "id", problems, True, f"steg {index} behöver ett id") or f"steg-{index}"
    name = read_text(raw, "name", problems, True, f"stegets namn i steg {step_id}") or step_id
    step = Step(id=step_id, name=name, line=raw.line, lines=raw.lines)
    if "role" not in raw:
        problems.error(raw.line, f"steg {step_id} saknar role (roll-id som utför steget)")
    elif roles.check(raw["role"], problems, raw.line_of("role"), f"role i steg {step_id}"):
        step.role = raw["role"]
    step.kind = read_text(raw, "kind", problems, False, "task, decision eller subprocess") or "task"
    if step.kind not in STEP_KINDS:
        problems.error(raw.line_of("kind"), f"kind \"{step.kind}\" i steg {step_id} är okänd; välj task, decision eller subprocess.{did_you_mean(step.kind, STEP_KINDS)}")
        step.kind = "task"
    step.description = read_text(raw, "description", problems, False, "beskrivning")
    step.documents = [d[2:] if d.startswith("./") else d for d in read_text_list(raw, "documents", problems, "sökvägar i docs/")]
    step.process = read_text(raw, "process", problems, False, "process-id")
    if step.kind == "subprocess" and not step.process:
        problems.error(raw.line, f"steg {step_id} är en subprocess men saknar process: (id på delprocessen)")
    elif step.process and step.kind != "subprocess":
        problems.warning(raw.line_of("process"), f"steg {step_id} anger process men är inte kind: subprocess; lägg till kind: subprocess")
    step.requirements = read_requirement_refs(raw, problems, f" i steg {step_id}")
    _read_next(step, raw, problems)
    return step


def _read_next(step: Step, raw: LineDict, problems: Problems) -> None:
    if "next" not in raw or raw["next"] is None:
        if step.kind == "decision":
            problems.error(raw.line, f"beslutet {step.id} saknar next; ange utfallen som next: {{Ja: steg-id, Nej: steg-id}}")
        return
    value, line = raw["next"], raw.line_of("next")
    step.explicit_next = True
    if isinstance(value, dict):
        if step.kind != "decision":
            problems.warning(line, f"next med etiketter hör till beslut; lägg till kind: decision i steg {step.id} eller skriv next som en lista")
        for label, target in value.items():
            if isinstance(target, (str, int)) and str(target).strip():
                step.next.append((str(label), str(target).strip()))
            else:
                problems.error(value.line_of(label), f"utfallet \"{label}\" i steg {step.id} ska peka på ett steg-id")
    elif isinstance(value, (list, str)):
        targets = [value] if isinstance(value, str) else value
        for target in targets:
            if isinstance(target, (str, int)) and str(target).strip():
                step.next.append(("", str(target).strip()))
            else:
                problems.error(line, f"next i steg {step.id} ska vara en lista med steg-id")
        if step.kind == "decision":
            problems.warning(line, f"beslutet {step.id} bör namnge sina utfall: next: {{Ja: steg-id, Nej: steg-id}}")
    else:
        problems.error(line, f"next i steg {step.id} ska vara en lista med steg-id eller, för ett beslut, etikett: steg-id")


def _check_flow(process: Process, problems: Problems) -> None:
    ids = [s.id for s in process.steps]
    for step in process.steps:
        valid = []
        for label, target in step.next:
            if target in ids:
                valid.append((label, target))
            else:
                problems.error(step.lines.get("next", step.line),
                               f"steg {step.id} pekar på steget \"{target}\" som inte finns.{did_you_mean(target, ids)}")
        step.next = valid
    if not process.steps:
        return
    reached, queue = {process.steps[0].id}, [process.steps[0]]
    while queue:
        for _, target in process.successors(queue.pop()):
            if target not in reached:
                reached.add(target)
                queue.append(process.step(target))
    for step in process.steps:
        if step.id not in reached:
            problems.error(step.line, f"steg {step.id} kan inte nås från första steget; låt ett tidigare steg peka på det med next")
