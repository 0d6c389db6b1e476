"""BPMN 2.0 XML into process files: one process per pool, lanes as roles, what cannot be said kept as notes.

The reader is defensive: `defusedxml` refuses any DTD (so no entity expansion and no external
entity is ever resolved), the file has a size limit and the element tree a depth limit, and every
problem is a `BpmnError` with a Swedish message. Nothing here imports MkDocs.

What the contract can say is taken over: tasks of every type become steps, exclusive, inclusive,
complex and event-based gateways that split become decisions (branch labels from the outgoing
flows' names), call activities and sub-processes become subprocess steps (an embedded
sub-process becomes its own process), start and end events give `trigger` and `result`. What it
cannot say (parallel gateways, intermediate and boundary events, message flows, data objects,
annotations, loops) is listed as a `Note` with its BPMN id and name, and the flow is kept valid.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field

import yaml
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from .roles import one_line

DEFAULT_LANE = "Utförare"  # the lane of steps in a file with neither pools nor lanes
MAX_BYTES = 20 * 1024 * 1024  # the largest suite file is 0.25 MB; a tool's export of 160 processes is far below
MAX_DEPTH = 100  # BPMN nests process > sub-process > ... a few levels; the suite's deepest is under 20
MAX_ELEMENTS = 200_000  # a 160-process export is far below; bounds the time a file of many tiny elements takes

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
HANDBOOK_NS = "urn:processhandboken:bpmn:1"  # our own attributes in exported BPMN (ids the contract keeps)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The contract's process keys that BPMN has no place for: our export carries them as JSON in handbok:meta.
META_KEYS = ("klassa", "owner", "leader", "team", "version", "review_date", "state", "information_class", "valid_from",
             "decided_by", "decision_date", "diarienummer", "purpose", "description", "customer", "inputs", "outputs")

TASKS = ("task", "userTask", "serviceTask", "sendTask", "receiveTask", "manualTask", "businessRuleTask", "scriptTask")
SUBPROCESSES = ("subProcess", "transaction", "adHocSubProcess")
GATEWAYS = ("exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway")
DECISION_GATEWAYS = ("exclusiveGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway")
EVENTS = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent")
FLOW_NODES = TASKS + SUBPROCESSES + ("callActivity",) + GATEWAYS + EVENTS
DATA = ("dataObject", "dataObjectReference", "dataStoreReference", "dataStore")

# Swedish names of BPMN element types, for the notes.
KIND_NAMES = {
    "parallelGateway": "parallell grind", "eventBasedGateway": "händelsebaserad grind", "complexGateway": "komplex grind",
    "inclusiveGateway": "inkluderande grind", "exclusiveGateway": "exklusiv grind",
    "intermediateCatchEvent": "mellanliggande händelse", "intermediateThrowEvent": "mellanliggande händelse",
    "boundaryEvent": "gränshändelse", "startEvent": "starthändelse", "endEvent": "sluthändelse",
    "messageFlow": "meddelandeflöde", "dataObject": "dataobjekt", "dataObjectReference": "dataobjekt",
    "dataStoreReference": "datalager", "dataStore": "datalager", "textAnnotation": "textanteckning",
    "callActivity": "anropsaktivitet", "subProcess": "delprocess", "transaction": "transaktion",
    "adHocSubProcess": "ad hoc-delprocess", "participant": "pool", "process": "process", "lane": "bana",
    "sequenceFlow": "sekvensflöde", "task": "uppgift",
}
EVENT_DEFINITIONS = {
    "timerEventDefinition": "timer", "messageEventDefinition": "meddelande", "signalEventDefinition": "signal",
    "errorEventDefinition": "fel", "escalationEventDefinition": "eskalering", "compensateEventDefinition": "kompensation",
    "conditionalEventDefinition": "villkor", "linkEventDefinition": "länk", "terminateEventDefinition": "terminering",
    "cancelEventDefinition": "avbrott",
}


class BpmnError(Exception):
    """A file that cannot be imported; the message is Swedish and says what to do."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message, self.line = message, line


@dataclass
class Note:
    """One BPMN element the contract cannot express as it was, and what the import made of it."""

    kind: str
    bpmn_id: str
    name: str
    message: str

    def __str__(self) -> str:
        what = KIND_NAMES.get(self.kind, self.kind)
        name = f" \"{self.name}\"" if self.name else ""
        return f"{what} {self.bpmn_id}{name}: {self.message}"


@dataclass
class ImportedStep:
    id: str
    name: str
    lane: str
    kind: str = "task"
    description: str = ""
    process: str = ""
    next: list[tuple[str, str]] = field(default_factory=list)
    bpmn_id: str = ""
    documents: list[str] = field(default_factory=list)  # from a handbook's own export only


@dataclass
class ImportedProcess:
    id: str
    name: str
    bpmn_id: str
    trigger: str = ""
    result: str = ""
    description: str = ""
    steps: list[ImportedStep] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    lane_roles: dict[str, str] = field(default_factory=dict)  # lane name -> role id the file itself names
    meta: dict[str, object] = field(default_factory=dict)  # the contract's keys, from a handbook's own export

    @property
    def lanes(self) -> list[str]:
        """Lane names in order of first appearance in the step list."""
        return list(dict.fromkeys(s.lane for s in self.steps))


@dataclass
class ImportResult:
    processes: list[ImportedProcess]
    notes: list[Note]  # about the file as a whole (empty pools); also at the head of the first process's notes


# --- reading XML safely -----------------------------------------------------------------------

def parse_xml(data: bytes, max_bytes: int = MAX_BYTES):
    """The root element of BPMN XML, or a BpmnError: no DTD, no entities, bounded size and depth."""
    root = safe_xml(data, max_bytes)
    if root.tag != f"{{{MODEL}}}definitions":
        raise BpmnError("filen är XML men inte BPMN 2.0: rotelementet ska vara definitions i namnrymden "
                        f"{MODEL}. Välj BPMN 2.0 XML (.bpmn) när du exporterar")
    return root


def safe_xml(data: bytes, max_bytes: int = MAX_BYTES, what: str = "BPMN 2.0 XML"):
    """The root element of any XML, read safely: no DTD (so no entities), bounded size, depth and element count."""
    if len(data) > max_bytes:
        raise BpmnError(f"filen är {len(data) / 1024 / 1024:.0f} MB; gränsen är {max_bytes // 1024 // 1024} MB. "
                        "Dela upp modellen i flera filer (en pool per fil) och importera dem var för sig")
    depth = count = 0
    root = None
    try:
        for event, element in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                count += 1
                if root is None:
                    root = element
                if depth > MAX_DEPTH:
                    raise BpmnError(f"elementen är nästlade mer än {MAX_DEPTH} nivåer djupt; det gör ingen processmodell. "
                                    "Kontrollera att filen verkligen är en export från ett processverktyg")
                if count > MAX_ELEMENTS:
                    raise BpmnError(f"filen har fler än {MAX_ELEMENTS} element; dela upp modellen i flera filer")
            else:
                depth -= 1
    except DefusedXmlException:
        raise BpmnError("filen innehåller en DTD eller entitetsdeklarationer, som processmodeller inte använder och som "
                        "kan användas för att läsa andra filer eller fylla minnet; de läses aldrig. Exportera "
                        "modellen på nytt från modelleringsverktyget") from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 1
        raise BpmnError(f"filen är inte giltig XML ({_expat_message(exc)}); exportera modellen på nytt som {what}",
                        line) from None
    if root is None:
        raise BpmnError(f"filen är tom; exportera modellen som {what}")
    return root


def _expat_message(exc: ParseError) -> str:
    text = str(exc).split(":")[0]
    return {"syntax error": "syntaxfel", "not well-formed (invalid token)": "otillåtet tecken",
            "no element found": "filen tar slut mitt i", "mismatched tag": "taggarna passar inte ihop",
            "unclosed token": "något är inte avslutat", "junk after document element": "text efter rotelementet",
            "undefined entity": "okänd entitet"}.get(text, text)


# --- small helpers ----------------------------------------------------------------------------

def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_model(element) -> bool:
    return isinstance(element.tag, str) and element.tag.startswith(f"{{{MODEL}}}")


def _children(element, *names: str):
    return [c for c in element if _is_model(c) and _local(c.tag) in names]


_CP1252_HIGH = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122"
_MOJIBAKE = re.compile(f"(?:[\u00c2-\u00f4][{_CP1252_HIGH}]+)+")


def _decode_run(match: re.Match) -> str:
    run = match.group(0)
    try:
        return run.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        try:
            return run.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run


def repair_mojibake(text: str) -> str:
    """UTF-8 that a tool read as Windows-1252 (å as Ã¥, ä as Ã¤, ö as Ã¶), once or twice: decoded back.

    Each run of such characters is decoded on its own (a name may mix a right ä with a wrong Ã¶), and only
    when it decodes cleanly; any other text is kept as it is."""
    for _ in range(3):
        repaired = _MOJIBAKE.sub(_decode_run, text)
        if repaired == text:
            break
        text = repaired
    return text


def clean(text: object) -> str:
    """A name as people meant it: line breaks, tabs, non-breaking and zero-width spaces and runs of spaces as one
    space, and UTF-8 read as Windows-1252 decoded back (a common fault of exports: Ã¤ for ä)."""
    if not isinstance(text, str):
        return ""
    text = repair_mojibake(text)
    text = text.replace("\u200b", "").replace("\ufeff", "").replace("\u00ad", "")
    return one_line(unicodedata.normalize("NFC", text).replace("\u00a0", " "))


def slug(text: str, fallback: str = "steg", limit: int = 40) -> str:
    """An id of a–z, 0–9 and hyphens from a name: å, ä, ö, é become a, a, o, e."""
    ascii_text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(value) > limit:
        value = value[:limit].rsplit("-", 1)[0] if "-" in value[:limit] else value[:limit]
    return value.strip("-") or fallback


def _unique(base: str, taken: set[str]) -> str:
    value, n = base, 2
    while value in taken:
        value = f"{base}-{n}"
        n += 1
    taken.add(value)
    return value


def _documentation(element) -> str:
    """Documentation as plain text: tools write HTML into it (<p>, <br>, &amp;), which becomes text here."""
    text = " ".join("".join(d.itertext()) for d in _children(element, "documentation"))
    if "<" in text:
        text = re.sub(r"<[^<>]{0,2000}>", " ", text)
    return clean(html.unescape(text)) if "&" in text else clean(text)


def _event_kinds(element) -> list[str]:
    return [EVENT_DEFINITIONS[_local(c.tag)] for c in element if _local(c.tag) in EVENT_DEFINITIONS]


def _own(element, name: str) -> str:
    return (element.get(f"{{{HANDBOOK_NS}}}{name}") or "").strip()


def _own_meta(element) -> dict[str, object]:
    """handbok:meta as our export wrote it: text or lists of text under the contract's keys; anything else is ignored."""
    try:
        data = json.loads(_own(element, "meta") or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    meta: dict[str, object] = {}
    for key in META_KEYS:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            meta[key] = value.strip()
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            meta[key] = [v.strip() for v in value if v.strip()]
    return meta


def _own_list(element, name: str) -> list[str]:
    """A list our export wrote as JSON in one of our attributes; anything else is ignored."""
    value = _own(element, name)
    if not value:
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    return [clean(i) for i in items if isinstance(i, str) and clean(i)] if isinstance(items, list) else []


# --- the model --------------------------------------------------------------------------------

@dataclass
class _Node:
    id: str
    tag: str
    name: str
    element: object
    lane: str = ""


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str


def import_bpmn(data: bytes, base_id: str = "", source_name: str = "", pool: str = "") -> ImportResult:
    """Every pool of a BPMN file as processes (embedded sub-processes as processes of their own); with
    `pool`, only the pool (or process) of that name."""
    root = parse_xml(data)
    stem = slug(re.sub(r"\.bpmn$|\.xml$", "", source_name.rsplit("/", 1)[-1], flags=re.I), "process")
    participants: dict[str, tuple[str, str]] = {}
    file_notes: list[Note] = []
    message_flows = []
    for collaboration in _children(root, "collaboration"):
        for participant in _children(collaboration, "participant"):
            if participant.get("processRef"):
                participants[participant.get("processRef")] = (clean(participant.get("name")), participant.get("id", ""))
            else:
                file_notes.append(Note("participant", participant.get("id", ""), clean(participant.get("name")),
                                       "poolen har ingen process (en svart låda); den blir ingen process här"))
        message_flows += _children(collaboration, "messageFlow")
    processes = _children(root, "process")
    all_processes = {p.get("id", ""): p for p in processes}
    with_steps = [p for p in processes if _has_flow_nodes(p)]
    for process in processes:
        if process not in with_steps:
            name = participants.get(process.get("id", ""), ("", ""))[0] or clean(process.get("name"))
            file_notes.append(Note("process", process.get("id", ""), name,
                                   "processen har inga steg i filen (en tom pool); den blir ingen process här"))
    if pool:
        def named(process) -> str:
            return participants.get(process.get("id", ""), ("", ""))[0] or clean(process.get("name"))
        chosen = [p for p in with_steps if named(p).casefold() == clean(pool).casefold()]
        if not chosen:
            names = ", ".join(f"\"{named(p)}\"" for p in with_steps if named(p)) or "inga namngivna"
            raise BpmnError(f"filen har ingen pool som heter \"{clean(pool)}\"; poolerna med steg är: {names}")
        with_steps = chosen
    if not with_steps:
        raise BpmnError("filen har ingen process med steg (uppgifter, grindar eller händelser); exportera en "
                        "modell där minst en pool har ett flöde")
    taken: set[str] = {"index"}  # processer/index is the landscape
    ids: dict[str, str] = {}  # BPMN process id -> our process id
    for index, process in enumerate(with_steps):
        name = participants.get(process.get("id", ""), ("", ""))[0] or clean(process.get("name"))
        own = _own(process, "id")
        if base_id and index == 0:
            ids[process.get("id", "")] = _unique(base_id, taken)
        elif own and re.fullmatch(r"[a-z0-9-]+", own) and own not in taken:
            ids[process.get("id", "")] = _unique(own, taken)
        else:
            prefix = f"{base_id}-" if base_id else ""
            ids[process.get("id", "")] = _unique(prefix + slug(name or stem, stem), taken)
    element_process = {}  # flow node id -> BPMN process id, for message flows
    for process in with_steps:
        for element in process.iter():
            if _is_model(element) and element.get("id"):
                element_process[element.get("id")] = process.get("id", "")
    callers = _caller_lanes(processes, participants)
    names = {e.get("id"): clean(e.get("name")) for e in root.iter() if e.get("id") and e.get("name")} if message_flows else {}
    result: list[ImportedProcess] = []
    for process in with_steps:
        pid = process.get("id", "")
        pool_name = participants.get(pid, ("", ""))[0]
        name = pool_name or clean(process.get("name")) or stem
        # A process outside every pool that a call activity calls is performed by the caller's lane.
        default_lane = pool_name or callers.get(pid) or DEFAULT_LANE
        builder = _Builder(process, ids[pid], name, default_lane, ids, all_processes, taken)
        imported = builder.build()
        if not imported[0].steps:
            taken.discard(ids[pid])
            file_notes.append(Note("process", pid, name, "processen har bara händelser och inga steg; den blir ingen "
                                                         "process här"))
            file_notes += imported[0].notes
            imported = imported[1:]
        for flow in message_flows:
            ends = {element_process.get(flow.get("sourceRef", "")), element_process.get(flow.get("targetRef", ""))}
            if pid in ends:
                ends_named = " till ".join(f"\"{names.get(flow.get(k, ''), '') or flow.get(k, '')}\"" for k in ("sourceRef", "targetRef"))
                imported[0].notes.append(Note("messageFlow", flow.get("id", ""), clean(flow.get("name")),
                                              f"meddelandet från {ends_named} kan inte uttryckas mellan processer; "
                                              "beskriv det i stegens text"))
        result += imported
    if not result:
        raise BpmnError("filen har ingen process med steg (uppgifter, delprocesser eller beslut); exportera en "
                        "modell där minst en pool har ett flöde med uppgifter")
    result[0].notes[:0] = file_notes  # what became no process is listed (and written) with the first one
    return ImportResult(result, file_notes)


def _caller_lanes(processes, participants) -> dict[str, str]:
    """BPMN process id -> the lane (or pool) of the first call activity that calls it."""
    lane_of: dict[str, str] = {}
    for process in processes:
        pool = participants.get(process.get("id", ""), ("", ""))[0]
        for lane in process.iter(f"{{{MODEL}}}lane"):
            for ref in _children(lane, "flowNodeRef"):
                lane_of[(ref.text or "").strip()] = clean(lane.get("name")) or pool
    callers: dict[str, str] = {}
    for process in processes:
        pool = participants.get(process.get("id", ""), ("", ""))[0]
        for call in process.iter(f"{{{MODEL}}}callActivity"):
            called = (call.get("calledElement") or "").split(":")[-1]
            lane = lane_of.get(call.get("id", "")) or pool
            if called and lane:
                callers.setdefault(called, lane)
    return callers


def _has_flow_nodes(process) -> bool:
    return any(_local(c.tag) in FLOW_NODES for c in process if _is_model(c))


class _Builder:
    """One process (or embedded sub-process) into steps."""

    def __init__(self, container, pid: str, name: str, default_lane: str, ids: dict[str, str],
                 all_processes: dict, taken: set[str], lanes: dict[str, str] | None = None,
                 lane_roles: dict[str, str] | None = None) -> None:
        self.container, self.pid, self.name = container, pid, name
        self.default_lane, self.ids, self.all_processes, self.taken = default_lane, ids, all_processes, taken
        self.notes: list[Note] = []
        self.extra: list[ImportedProcess] = []
        self.lane_roles: dict[str, str] = dict(lane_roles or {})
        self.lanes = dict(lanes or {})
        if lanes is None:
            self._read_lanes()

    def _read_lanes(self) -> None:
        counter = 0

        def walk(lane_set, inherited: str) -> None:
            nonlocal counter
            for lane in _children(lane_set, "lane"):
                counter += 1
                name = clean(lane.get("name")) or inherited or self.default_lane
                role = _own(lane, "role")
                if role:
                    self.lane_roles[name] = role
                for ref in _children(lane, "flowNodeRef"):
                    self.lanes[(ref.text or "").strip()] = name  # inner lanes come later and win
                for child_set in _children(lane, "childLaneSet"):
                    walk(child_set, name)

        for lane_set in _children(self.container, "laneSet"):
            walk(lane_set, "")

    # -- graph --------------------------------------------------------------------------------

    def build(self) -> list[ImportedProcess]:
        c = self.container
        nodes = {}
        for element in c:
            tag = _local(element.tag) if _is_model(element) else ""
            if tag in FLOW_NODES and element.get("id"):
                nodes[element.get("id")] = _Node(element.get("id"), tag, clean(element.get("name")), element)
        flows = [_Flow(f.get("id", ""), f.get("sourceRef", ""), f.get("targetRef", ""), clean(f.get("name")))
                 for f in _children(c, "sequenceFlow")]
        flows = [f for f in flows if f.source in nodes and f.target in nodes]
        self.nodes, self.out = nodes, {n: [] for n in nodes}
        incoming = {n: 0 for n in nodes}
        for f in flows:
            self.out[f.source].append(f)
            incoming[f.target] += 1
        self._boundary_and_compensation(nodes, incoming)
        self._assign_lanes(nodes, flows)
        self._notes_for_elements(nodes)
        # steps
        self.step_of: dict[str, ImportedStep] = {}
        step_ids: set[str] = set()
        for node in nodes.values():
            if self._is_step(node):
                self.step_of[node.id] = self._step(node, step_ids)
        self.synthetic_ends: dict[str, ImportedStep] = {}
        self.step_ids = step_ids
        for node in nodes.values():
            if node.tag == "subProcess" and node.element.get("triggeredByEvent") == "true":
                self._event_subprocess(node)
        for node_id, step in list(self.step_of.items()):
            step.next = self._successors(nodes[node_id], step)
        entries = self._entries(nodes, incoming)
        steps = self._order(entries)
        meta = _own_meta(c)
        process = ImportedProcess(self.pid, self.name, c.get("id", ""), lane_roles=self.lane_roles, meta=meta,
                                  description=str(meta.get("description", "")) if meta else _documentation(c))
        starts = [n for n in nodes.values() if n.tag == "startEvent"]
        ends = [n for n in nodes.values() if n.tag == "endEvent"]
        process.trigger = "; ".join(dict.fromkeys(n.name for n in starts if n.name))
        process.result = "; ".join(dict.fromkeys(n.name for n in ends if n.name))
        process.steps = steps
        process.notes = self.notes
        return [process] + self.extra

    def _boundary_and_compensation(self, nodes, incoming) -> None:
        for node in nodes.values():
            if node.tag == "boundaryEvent":
                host = node.element.get("attachedToRef", "")
                if host in nodes:
                    self.out[host].append(_Flow("", host, node.id, node.name))
                    incoming[node.id] += 1
        self.compensates: dict[str, str] = {}  # compensation handler -> the activity it undoes
        for association in _children(self.container, "association"):
            source, target = association.get("sourceRef", ""), association.get("targetRef", "")
            if source in nodes and target in nodes and nodes[source].tag == "boundaryEvent":
                host = nodes.get(nodes[source].element.get("attachedToRef", ""))
                self.compensates[target] = host.name or host.id if host else ""

    def _assign_lanes(self, nodes, flows) -> None:
        for node in nodes.values():
            node.lane = self.lanes.get(node.id, "")
        for node in nodes.values():  # a boundary event sits on its activity
            if not node.lane and node.tag == "boundaryEvent":
                node.lane = nodes.get(node.element.get("attachedToRef", ""), node).lane
        neighbours: dict[str, list[str]] = {n: [] for n in nodes}
        for f in flows:
            neighbours[f.source].append(f.target)
            neighbours[f.target].append(f.source)
        queue = deque(n.id for n in nodes.values() if n.lane)
        while queue:  # a node outside every lane takes the lane of the nearest node in one (breadth first)
            current = queue.popleft()
            for other in neighbours[current]:
                if not nodes[other].lane:
                    nodes[other].lane = nodes[current].lane
                    queue.append(other)
        for node in nodes.values():
            node.lane = node.lane or self.default_lane

    def _notes_for_elements(self, nodes) -> None:
        for node in nodes.values():
            e, tag = node.element, node.tag
            kinds = _event_kinds(e)
            if tag == "parallelGateway":
                if len(self.out[node.id]) > 1:
                    self.note(node, "grenarna sker samtidigt i BPMN; här blir de flera utgångar (next) från steget före")
                else:
                    self.note(node, "grenarna möts; flödet går vidare utan grind")
            elif tag == "complexGateway":
                self.note(node, "blir ett beslut; villkoren för när flödet går vidare finns inte kvar")
            elif tag == "eventBasedGateway":
                self.note(node, "blir ett beslut med händelserna som utfall")
            elif tag in ("intermediateCatchEvent", "intermediateThrowEvent"):
                kind = f" ({', '.join(kinds)})" if kinds else ""
                self.note(node, f"händelsen{kind} tas bort ur flödet; flödet går direkt vidare. Skriv den i stegets beskrivning om den behövs")
            elif tag == "boundaryEvent":
                host = nodes.get(e.get("attachedToRef", ""))
                kind = f" ({', '.join(kinds)})" if kinds else ""
                where = f" på \"{host.name or host.id}\"" if host else ""
                if "kompensation" in kinds:
                    self.note(node, f"gränshändelsen{kind}{where} leder till ett kompenserande steg, som står som notering")
                else:
                    self.note(node, f"gränshändelsen{kind}{where} blir en extra utgång (next) från steget")
            elif tag in ("startEvent", "endEvent") and kinds:
                which = "trigger" if tag == "startEvent" else "result"
                self.note(node, f"händelsens typ ({', '.join(kinds)}) kan inte uttryckas; namnet står i {which}")
            if tag in TASKS + SUBPROCESSES + ("callActivity",):
                loops = _children(e, "standardLoopCharacteristics", "multiInstanceLoopCharacteristics")
                if loops:
                    what = "upprepas (loop)" if _local(loops[0].tag) == "standardLoopCharacteristics" else "görs i flera instanser"
                    self.note(node, f"steget {what} i BPMN; skriv det i stegets beskrivning")
                if e.get("isForCompensation") == "true":
                    host = self.compensates.get(node.id, "")
                    undone = f" \"{host}\"" if host else " ett annat steg"
                    self.note(node, f"steget ångrar{undone} när något senare går fel (kompensation); det blir inget eget steg. "
                                    "Skriv det i beskrivningen av steget som ångras")
        referenced = {e.get("dataObjectRef") for e in _children(self.container, "dataObjectReference")}
        for element in self.container:
            tag = _local(element.tag) if _is_model(element) else ""
            if tag in DATA and not (tag == "dataObject" and element.get("id") in referenced):
                self.notes.append(Note(tag, element.get("id", ""), clean(element.get("name")),
                                       "data kan inte uttryckas; skriv det som inputs/outputs eller i stegens text"))
            elif tag == "textAnnotation":
                text = clean(" ".join("".join(t.itertext()) for t in _children(element, "text")))
                self.notes.append(Note(tag, element.get("id", ""), text[:200], "anteckningen står bara här"))

    def note(self, node: _Node, message: str) -> None:
        self.notes.append(Note(node.tag, node.id, node.name, message))

    def _is_step(self, node: _Node) -> bool:
        if node.element.get("isForCompensation") == "true":
            return False
        if node.tag in TASKS + SUBPROCESSES + ("callActivity",):
            return not (node.tag == "subProcess" and node.element.get("triggeredByEvent") == "true")
        return node.tag in DECISION_GATEWAYS and len(self.out[node.id]) > 1

    def _step(self, node: _Node, step_ids: set[str]) -> ImportedStep:
        own = _own(node.element, "id")
        name = node.name
        if not name:
            name = "Beslut" if node.tag in GATEWAYS else "Namnlöst steg"
            self.note(node, f"elementet saknar namn; det heter \"{name}\" här. Ge steget ett namn")
        sid = _unique(own if own and own not in step_ids else slug(name), step_ids)
        step = ImportedStep(sid, name, node.lane, description=_documentation(node.element), bpmn_id=node.id,
                            documents=_own_list(node.element, "documents"))
        if node.tag in GATEWAYS:
            step.kind = "decision"
        elif node.tag == "callActivity":
            self._call(node, step)
        elif node.tag in SUBPROCESSES:
            self._embedded(node, step)
        return step

    def _call(self, node: _Node, step: ImportedStep) -> None:
        called = (node.element.get("calledElement") or "").split(":")[-1]
        own = _own(node.element, "process")
        if own and re.fullmatch(r"[a-z0-9-]+", own):
            step.kind, step.process = "subprocess", own
        elif called in self.ids:
            step.kind, step.process = "subprocess", self.ids[called]
        else:
            target = f" \"{called}\"" if called else ""
            self.note(node, f"den anropade processen{target} finns inte i filen; steget blir en vanlig uppgift. "
                            "Skriv kind: subprocess och process: <id> när processen finns i handboken")

    def _embedded(self, node: _Node, step: ImportedStep) -> None:
        if not _has_flow_nodes(node.element):
            if node.tag != "subProcess" or node.element.get("triggeredByEvent") != "true":
                self.note(node, "delprocessen har inget innehåll i filen; den blir en vanlig uppgift")
            return
        if node.tag != "subProcess":
            self.note(node, "blir en vanlig delprocess")
        sub_id = self._sub_process(node, node.name or step.name)
        if sub_id:
            step.kind, step.process = "subprocess", sub_id
            self.note(node, f"den inbäddade delprocessen blir en egen process, {sub_id}")
        else:
            self.note(node, "delprocessen har bara händelser och inga steg; den blir en vanlig uppgift")

    def _event_subprocess(self, node: _Node) -> None:
        if not _has_flow_nodes(node.element):
            self.note(node, "den händelsestyrda delprocessen har inget innehåll i filen och tas inte med")
            return
        starts = [clean(e.get("name")) for e in _children(node.element, "startEvent")]
        name = node.name or next((s for s in starts if s), "") or "Händelsestyrd delprocess"
        sub_id = self._sub_process(node, name)
        if not sub_id:
            self.note(node, "den händelsestyrda delprocessen har bara händelser och inga steg och tas inte med")
            return
        self.note(node, f"den händelsestyrda delprocessen blir en egen process, {sub_id}; den startar av en händelse "
                        "och har ingen länk från stegen här")

    def _sub_process(self, node: _Node, name: str) -> str:
        sub_id = _unique(f"{self.pid}-{slug(name, 'delprocess', 30)}", self.taken)
        inner_lanes = dict(self.lanes)
        for element in node.element.iter():
            if _is_model(element) and element.get("id") and element.get("id") not in inner_lanes:
                inner_lanes[element.get("id")] = node.lane
        builder = _Builder(node.element, sub_id, name, node.lane, self.ids, self.all_processes,
                           self.taken, inner_lanes, self.lane_roles)
        built = builder.build()
        if not built[0].steps:  # only events inside: nothing the handbook can show as a process
            self.taken.discard(sub_id)
            self.notes += built[0].notes
            noted = {n.bpmn_id for n in built[0].notes}
            for inner in node.element.iter():
                if (_is_model(inner) and _local(inner.tag) in FLOW_NODES and inner is not node.element
                        and inner.get("id") not in noted):
                    self.notes.append(Note(_local(inner.tag), inner.get("id", ""), clean(inner.get("name")),
                                           f"ligger i delprocessen \"{name}\", som bara har händelser och inga steg; "
                                           "den blir ingen egen process"))
            return ""
        self.extra += built
        return sub_id

    # -- flow ---------------------------------------------------------------------------------

    def _resolve(self, node_id: str, seen: set[str]) -> list[str]:
        """The steps (or ends, as 'END:<id>') a flow into node_id reaches, through pass-through nodes."""
        found: list[str] = []
        stack = [node_id]
        while stack:
            current = stack.pop()
            if current in self.step_of:
                reached = current
            elif current in seen:
                continue
            else:
                seen.add(current)
                if self.nodes[current].tag != "endEvent" and self.out[current]:
                    stack += reversed([f.target for f in self.out[current]])
                    continue
                reached = f"END:{current}"
            if reached not in found:
                found.append(reached)
        return found

    def _successors(self, node: _Node, step: ImportedStep) -> list[tuple[str, str]]:
        result: list[tuple[str, str]] = []
        labels: set[str] = set()
        for f in self.out[node.id]:
            targets = self._resolve(f.target, {node.id})
            if step.kind != "decision":
                for t in targets:
                    if not t.startswith("END:") and t not in [x for _, x in result]:
                        result.append(("", t))
                continue
            for n, target in enumerate(targets or [f"END:{f.target}"]):
                label = f.name or self._target_name(f.target, target)
                if n:
                    self.note(self.nodes[f.target], f"utfallet \"{label}\" leder till flera steg samtidigt; här blir de "
                                                    "skilda utfall av beslutet")
                result.append((_unique_label(label, labels), target))
        if step.kind == "decision":
            result = [(label, self._end_step(t) if t.startswith("END:") else t) for label, t in result]
        return [(label, self.step_of[t].id if t in self.step_of else t) for label, t in result]

    def _target_name(self, first: str, target: str) -> str:
        node = self.nodes.get(target[4:] if target.startswith("END:") else target)
        direct = self.nodes.get(first)
        for candidate in (direct, node):
            if candidate and candidate.name:
                return candidate.name
        return "Annars"

    def _end_step(self, end: str) -> str:
        """A decision's branch that ends the process needs a step to point to: one per end event."""
        node_id = end[4:]
        if node_id not in self.synthetic_ends:
            node = self.nodes[node_id]
            name = node.name or "Processen avslutas"
            step = ImportedStep(_unique(slug(name, "avslut"), self.step_ids), name, node.lane, bpmn_id=node_id)
            self.synthetic_ends[node_id] = step
            self.step_of[f"SYN:{node_id}"] = step
            self.notes.append(Note(node.tag, node.id, node.name,
                                   f"ett utfall av ett beslut slutar här; det blir steget \"{name}\" som avslutar processen"))
        return f"SYN:{node_id}"

    def _entries(self, nodes, incoming) -> list[tuple[str, str]]:
        """(label, step key) where the process can begin: start events first, then elements no flow reaches.

        A start that leads to several steps at once (through a parallel gateway) is one start: the steps
        after the first become further ways out (next) of the first, as a parallel split does elsewhere."""
        entries: list[tuple[str, str]] = []
        starts_first = sorted(nodes.values(), key=lambda n: n.tag != "startEvent")  # stable: file order otherwise
        for node in starts_first:
            if node.tag == "startEvent" or (incoming[node.id] == 0 and node.tag != "boundaryEvent"
                                            and node.element.get("isForCompensation") != "true"):
                targets = [t for t in self._resolve(node.id, set()) if not t.startswith("END:")]
                if node.tag != "startEvent" and node.id in self.step_of:
                    targets = [node.id]
                if targets:
                    entries.append((node.name, targets[0]))
                if len(targets) > 1:
                    self._parallel_start(node, targets)
        return entries

    def _parallel_start(self, node: _Node, targets: list[str]) -> None:
        first = self.step_of[targets[0]]
        labels = {label for label, _ in first.next}
        for key in targets[1:]:
            other = self.step_of[key]
            if other.id not in [t for _, t in first.next] and other is not first:
                first.next.append((_unique_label(other.name, labels) if first.kind == "decision" else "", other.id))
        names = ", ".join(f"\"{self.step_of[k].name}\"" for k in targets)
        self.note(node, f"processen börjar med flera steg samtidigt ({names}); här följer de efter \"{first.name}\"")

    def _order(self, entries: list[tuple[str, str]]) -> list[ImportedStep]:
        """Steps in the order the flow visits them (depth first), so that most steps simply flow to the one below."""
        by_id = {s.id: s for s in self.step_of.values()}
        placed: list[ImportedStep] = []
        seen: set[str] = set()
        roots: list[tuple[str, ImportedStep]] = []

        def visit(first: ImportedStep) -> None:
            stack = [first]
            while stack:
                step = stack.pop()
                if step.id in seen:
                    continue
                seen.add(step.id)
                placed.append(step)
                for _, target in reversed(step.next):
                    if target not in seen:
                        stack.append(by_id[target])

        keys = [k for _, k in entries] + [k for k in self.step_of if not k.startswith("SYN:")]
        labels = [label for label, _ in entries] + [""] * (len(keys) - len(entries))
        for label, key in zip(labels, keys):
            step = self.step_of[key]
            if step.id not in seen:
                roots.append((label, step))
                visit(step)
        real = [k for k in self.step_of if not k.startswith("SYN:")]
        if real and all(_own(self.nodes[k].element, "id") for k in real) and len(placed) == len(real):
            # Exported by a handbook: the steps' order in the file is the order the owner wrote them in.
            position = {id(e): i for i, e in enumerate(self.container)}
            placed = sorted(placed, key=lambda s: position[id(self.nodes[s.bpmn_id].element)])
        elif len(roots) > 1:
            placed = self._start_decision(roots, placed)
        for index, step in enumerate(placed):  # an unlabelled flow to the step below needs no next
            below = placed[index + 1].id if index + 1 < len(placed) else None
            if step.kind != "decision" and [t for _, t in step.next] == ([below] if below else []):
                step.next = []
                step_explicit = False
            else:
                step_explicit = True
            setattr(step, "explicit", step_explicit)
        return placed

    def _start_decision(self, roots, placed) -> list[ImportedStep]:
        labels: set[str] = set()
        first = roots[0][1]
        name = "Hur startar processen?"
        decision = ImportedStep(_unique("start", self.step_ids), name, first.lane, kind="decision")
        decision.next = [(_unique_label(label or step.name, labels), step.id) for label, step in roots]
        self.notes.append(Note("startEvent", "", "", "processen kan börja på flera sätt; beslutet \"Hur startar processen?\" "
                                                    "väljer väg (" + ", ".join(label for label, _ in decision.next) + ")"))
        return [decision] + placed


def _unique_label(label: str, taken: set[str]) -> str:
    value, n = label, 2
    while value in taken:
        value = f"{label} ({n})"
        n += 1
    taken.add(value)
    return value


# --- roles -------------------------------------------------------------------------------------

@dataclass
class RolePlan:
    """Lane name -> role id, and which ids are new (to add with --add-roles or to map with --role)."""

    roles: dict[str, str]
    new: dict[str, str]  # role id -> lane name, for ids not in the register


def plan_roles(lanes: list[str], known: dict[str, str], mapping: dict[str, str],
               own: dict[str, str] | None = None) -> RolePlan:
    """`known` is the register's role id -> name; `mapping` the owner's --role "Lane=role-id"; `own` the file's ids."""
    by_name = {clean(name).casefold(): rid for rid, name in known.items()}
    roles, new = {}, {}
    taken = set(known)
    for lane in lanes:
        given = mapping.get(lane) or mapping.get(clean(lane)) or next(
            (v for k, v in mapping.items() if clean(k).casefold() == lane.casefold()), None)
        if given:
            roles[lane] = given
        elif own and own.get(lane) in known:
            roles[lane] = own[lane]
        elif lane.casefold() in by_name:
            roles[lane] = by_name[lane.casefold()]
        elif slug(lane, "roll") in known:
            roles[lane] = slug(lane, "roll")
        else:
            rid = _unique(slug(lane, "roll"), taken)
            roles[lane] = rid
            new[rid] = lane
    return RolePlan(roles, new)


# --- writing the process file ------------------------------------------------------------------

def scalar(text: str, flow: bool = False) -> str:
    """A YAML scalar that reads back as exactly this text: plain when it can be, else double-quoted.
    `flow`: inside [..] or {..}, where a comma or bracket would end it."""
    plain = (text and text == text.strip() and "\n" not in text and not text[0] in "-?:,[]{}#&*!|>'\"%@`"
             and ": " not in text and " #" not in text and not text.endswith(":")
             and not (flow and any(c in text for c in ",[]{}")))
    if plain:
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def process_yaml(process: ImportedProcess, roles: dict[str, str], klassa: str, owner: str, today: dt.date,
                 source_name: str) -> str:
    """The process file: the contract's keys, the steps, and the notes as comments at the top.

    A new process is an utkast at version 0.1 with a review date a year ahead; a process our own export
    carried (handbook:meta) keeps what it had, but for the klassa and owner given here."""
    from .templates import one_year_after

    meta = process.meta
    lines = [f"# Importerad från {one_line(source_name)} (process {one_line(process.bpmn_id)}) {today.isoformat()}."]
    if process.notes:
        lines.append("# Förenklat vid importen (BPMN kan säga mer än handboken; se över stegen nedan):")
        lines += [f"#   - {one_line(str(note))}" for note in process.notes]
    values: dict[str, object] = {
        "klassa": klassa or meta.get("klassa", ""), "owner": owner or meta.get("owner", ""),
        "version": meta.get("version", "0.1"), "review_date": meta.get("review_date", one_year_after(today).isoformat()),
        "state": meta.get("state", "utkast"), "information_class": meta.get("information_class", "K1"),
    }
    lines += [f"id: {process.id}", f"name: {scalar(process.name)}"]
    for key in META_KEYS:
        value = values.get(key, meta.get(key))
        if key == "description":
            value = process.description
        if key in ("klassa", "version") and isinstance(value, str):
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")  # 2.10 stays text
        elif key in ("review_date", "valid_from", "decision_date") and isinstance(value, str) and value:
            lines.append(f"{key}: {value if _ISO_DATE.fullmatch(value) else json.dumps(value)}")
        elif isinstance(value, list):
            lines.append(f"{key}: [" + ", ".join(scalar(v, True) for v in value) + "]")
        elif value:
            lines.append(f"{key}: {scalar(str(value))}")
        if key == "description":
            for extra in ("trigger", "result"):
                if getattr(process, extra):
                    lines.append(f"{extra}: {scalar(getattr(process, extra))}")
    lines.append("steps:")
    for step in process.steps:
        lines.append(f"  - id: {scalar(step.id)}")
        lines.append(f"    name: {scalar(step.name)}")
        lines.append(f"    role: {scalar(roles.get(step.lane, slug(step.lane, 'roll')))}")
        if step.kind != "task":
            lines.append(f"    kind: {step.kind}")
        if step.process:
            lines.append(f"    process: {step.process}")
        if step.description:
            lines.append(f"    description: {scalar(step.description)}")
        if step.documents:
            lines.append("    documents: [" + ", ".join(scalar(d, True) for d in step.documents) + "]")
        if step.kind == "decision":
            lines.append("    next: {" + ", ".join(f"{scalar(label, True)}: {scalar(target, True)}" for label, target in step.next) + "}")
        elif getattr(step, "explicit", bool(step.next)):
            lines.append("    next: [" + ", ".join(scalar(t, True) for _, t in step.next) + "]")
    return "\n".join(lines) + "\n"
