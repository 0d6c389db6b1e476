"""A process as BPMN 2.0 XML with diagram interchange: one pool, one lane per role, laid out left to right.

What the contract says is written in BPMN's own terms (tasks, exclusive gateways with named flows,
call activities, start and end events, lanes); the handbook's own ids (process, step and role
ids) ride along as attributes in our namespace, which BPMN allows on every element, so that an
import gives back exactly the same process. Nothing here imports MkDocs.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .bpmn_import import HANDBOOK_NS, META_KEYS, MODEL
from .processes import Process, Step
from .roles import RoleRegister

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NAMESPACES = {"bpmn": MODEL, "bpmndi": BPMNDI, "dc": DC, "di": DI, "handbok": HANDBOOK_NS}

# Sizes and spacing of the drawing (pixels, as BPMN tools use them).
TASK_W, TASK_H = 120, 80
GATEWAY = 50
EVENT = 36
COLUMN = 170
ROW = 120
POOL_LABEL = 30
LANE_LABEL = 30
MARGIN = 50
LEFT_PAD = 40
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ROLE_MISSING = "Roll saknas"


def _text(value: str) -> str:
    """Text XML 1.0 can carry: characters it forbids (control characters) are dropped."""
    return _XML_INVALID.sub("", value or "")


def _q(ns: str, tag: str) -> str:
    return f"{{{NAMESPACES[ns]}}}{tag}"


def ncname(value: str, prefix: str) -> str:
    """An XML id (NCName) for a handbook id: letters, digits, - _ . and not starting with a digit."""
    clean = re.sub(r"[^\w.-]", "_", value)
    return f"{prefix}_{clean}"


@dataclass
class _Box:
    id: str
    kind: str  # task, decision, subprocess, start, end
    lane: int
    column: int = 0
    row: int = 0
    x: float = 0
    y: float = 0
    w: float = TASK_W
    h: float = TASK_H


def export_bpmn(process: Process, roles: RoleRegister) -> str:
    """BPMN 2.0 XML of one process: semantics and drawing."""
    for prefix, uri in NAMESPACES.items():
        ET.register_namespace(prefix, uri)
    ET.register_namespace("xsi", XSI)
    pid = ncname(process.id, "Process")
    lanes = process.roles_in_order() or [""]
    if any(not s.role for s in process.steps) and "" not in lanes:
        lanes.append("")
    lane_index = {role: i for i, role in enumerate(lanes)}
    step_xml_id = {s.id: f"Step_{i + 1}" for i, s in enumerate(process.steps)}

    definitions = ET.Element(_q("bpmn", "definitions"), {
        "id": ncname(process.id, "Definitions"), "targetNamespace": f"urn:processhandboken:process:{process.id}",
        "exporter": "Processhandboken", "exporterVersion": "1"})
    collaboration = ET.SubElement(definitions, _q("bpmn", "collaboration"), {"id": "Collaboration_1"})
    ET.SubElement(collaboration, _q("bpmn", "participant"), {
        "id": "Participant_1", "name": _text(process.name), "processRef": pid})
    root = ET.SubElement(definitions, _q("bpmn", "process"), {
        "id": pid, "name": _text(process.name), "isExecutable": "false", _q("handbok", "id"): process.id,
        _q("handbok", "meta"): _text(json.dumps(_meta(process), ensure_ascii=False))})
    about = process.description or process.purpose
    if about:
        ET.SubElement(root, _q("bpmn", "documentation")).text = _text(about)
    lane_set = ET.SubElement(root, _q("bpmn", "laneSet"), {"id": "LaneSet_1"})
    lane_elements = []
    for i, role in enumerate(lanes):
        attributes = {"id": f"Lane_{i + 1}", "name": _text(roles.name(role) if role else ROLE_MISSING)}
        if role:
            attributes[_q("handbok", "role")] = role
        lane_elements.append(ET.SubElement(lane_set, _q("bpmn", "lane"), attributes))

    boxes: dict[str, _Box] = {}
    flows: list[tuple[str, str, str, str]] = []  # id, source, target, name
    first_lane = lane_index[process.steps[0].role] if process.steps else 0
    boxes["StartEvent_1"] = _Box("StartEvent_1", "start", first_lane, w=EVENT, h=EVENT)
    start = ET.SubElement(root, _q("bpmn", "startEvent"), {"id": "StartEvent_1", "name": _text(process.trigger or "Start")})
    nodes = {"StartEvent_1": start}
    for step in process.steps:
        nodes[step_xml_id[step.id]] = _step_element(root, step, step_xml_id[step.id], process)
        boxes[step_xml_id[step.id]] = _Box(step_xml_id[step.id], step.kind, lane_index[step.role],
                                           w=GATEWAY if step.kind == "decision" else TASK_W,
                                           h=GATEWAY if step.kind == "decision" else TASK_H)
    if process.steps:
        flows.append(("Flow_1", "StartEvent_1", step_xml_id[process.steps[0].id], ""))
    ends = 0
    for step in process.steps:
        source = step_xml_id[step.id]
        successors = process.successors(step)
        for label, target in successors:
            flows.append((f"Flow_{len(flows) + 1}", source, step_xml_id[target], label))
        if not successors:
            ends += 1
            end_id = f"EndEvent_{ends}"
            nodes[end_id] = ET.SubElement(root, _q("bpmn", "endEvent"), {"id": end_id, "name": _text(process.result or "Slut")})
            boxes[end_id] = _Box(end_id, "end", lane_index[step.role], w=EVENT, h=EVENT)
            flows.append((f"Flow_{len(flows) + 1}", source, end_id, ""))
    for flow_id, source, target, name in flows:
        ET.SubElement(nodes[source], _q("bpmn", "outgoing")).text = flow_id
        ET.SubElement(nodes[target], _q("bpmn", "incoming")).text = flow_id
    for flow_id, source, target, name in flows:
        attributes = {"id": flow_id, "sourceRef": source, "targetRef": target}
        if name:
            attributes["name"] = _text(name)
        ET.SubElement(root, _q("bpmn", "sequenceFlow"), attributes)
    for box in boxes.values():
        ET.SubElement(lane_elements[box.lane], _q("bpmn", "flowNodeRef")).text = box.id
    _order_flow_node_children(nodes)

    lane_top, width = _layout(boxes, flows, len(lanes))
    _diagram(definitions, boxes, flows, lane_top, width)
    ET.indent(definitions, "  ")
    return ET.tostring(definitions, encoding="unicode", xml_declaration=False).join(
        ['<?xml version="1.0" encoding="UTF-8"?>\n', "\n"])


def _meta(process: Process) -> dict[str, object]:
    """The contract's keys BPMN has no place for, as the file wrote them (dates as ISO text)."""
    meta: dict[str, object] = {}
    for key in META_KEYS:
        value = process.meta.get(key) if hasattr(process.meta, "get") else None
        if isinstance(value, list):
            meta[key] = [str(v) for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
        elif hasattr(value, "isoformat"):
            meta[key] = value.isoformat()
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            meta[key] = str(value)
    return meta


def _step_element(root, step: Step, xml_id: str, process: Process):
    attributes = {"id": xml_id, "name": _text(step.name), _q("handbok", "id"): step.id}
    if step.kind == "decision":
        tag = "exclusiveGateway"
    elif step.kind == "subprocess" and step.process:
        tag = "callActivity"
        attributes["calledElement"] = ncname(step.process, "Process")
        attributes[_q("handbok", "process")] = step.process
    else:
        tag = "task"
    if step.documents:
        attributes[_q("handbok", "documents")] = json.dumps(step.documents, ensure_ascii=False)
    element = ET.SubElement(root, _q("bpmn", tag), attributes)
    if step.description:
        ET.SubElement(element, _q("bpmn", "documentation")).text = _text(step.description)
    return element


def _order_flow_node_children(nodes) -> None:
    """The schema wants documentation first, then incoming, then outgoing."""
    order = {_q("bpmn", "documentation"): 0, _q("bpmn", "incoming"): 1, _q("bpmn", "outgoing"): 2}
    for element in nodes.values():
        children = sorted(list(element), key=lambda c: order.get(c.tag, 3))
        for child in list(element):
            element.remove(child)
        element.extend(children)


# --- layout ------------------------------------------------------------------------------------

def _layout(boxes: dict[str, _Box], flows, lane_count: int) -> tuple[list[float], float]:
    """Columns by the longest path from the start (back edges of loops left out); rows inside each lane."""
    successors: dict[str, list[str]] = {b: [] for b in boxes}
    for _, source, target, _ in flows:
        successors[source].append(target)
    back = _back_edges("StartEvent_1", successors)
    order = _topological([b for b in boxes], successors, back)
    column = {b: 0 for b in boxes}
    for node in order:
        for target in successors[node]:
            if (node, target) not in back:
                column[target] = max(column[target], column[node] + 1)
    rows: dict[tuple[int, int], int] = {}
    for node in order:
        box = boxes[node]
        box.column = column[node]
        box.row = rows.get((box.lane, box.column), 0)
        rows[(box.lane, box.column)] = box.row + 1
    rows_in_lane = [max([r for (lane, _), r in rows.items() if lane == i] or [1]) for i in range(lane_count)]
    lane_top = [MARGIN]
    for count in rows_in_lane:
        lane_top.append(lane_top[-1] + count * ROW)
    for box in boxes.values():
        cx = MARGIN + POOL_LABEL + LANE_LABEL + LEFT_PAD + box.column * COLUMN + TASK_W / 2
        cy = lane_top[box.lane] + box.row * ROW + ROW / 2
        box.x, box.y = cx - box.w / 2, cy - box.h / 2
    width = POOL_LABEL + LANE_LABEL + LEFT_PAD + (max(column.values(), default=0) + 1) * COLUMN
    return lane_top, width


def _back_edges(start: str, successors: dict[str, list[str]]) -> set[tuple[str, str]]:
    back: set[tuple[str, str]] = set()
    state: dict[str, int] = {}
    for root in [start, *successors]:
        if root in state:
            continue
        stack = [(root, iter(successors[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(successors[child])))
    return back


def _topological(nodes: list[str], successors, back) -> list[str]:
    indegree = {n: 0 for n in nodes}
    for n in nodes:
        for t in successors[n]:
            if (n, t) not in back:
                indegree[t] += 1
    ready = [n for n in nodes if indegree[n] == 0]
    order = []
    while ready:
        n = ready.pop(0)
        order.append(n)
        for t in successors[n]:
            if (n, t) not in back:
                indegree[t] -= 1
                if indegree[t] == 0:
                    ready.append(t)
    return order + [n for n in nodes if n not in order]


def _diagram(definitions, boxes: dict[str, _Box], flows, lane_top: list[float], width: float) -> None:
    diagram = ET.SubElement(definitions, _q("bpmndi", "BPMNDiagram"), {"id": "BPMNDiagram_1"})
    plane = ET.SubElement(diagram, _q("bpmndi", "BPMNPlane"), {"id": "BPMNPlane_1", "bpmnElement": "Collaboration_1"})
    _shape(plane, "Participant_1", MARGIN, MARGIN, width, lane_top[-1] - MARGIN, horizontal=True)
    for i in range(len(lane_top) - 1):
        _shape(plane, f"Lane_{i + 1}", MARGIN + POOL_LABEL, lane_top[i], width - POOL_LABEL, lane_top[i + 1] - lane_top[i],
               horizontal=True)
    for box in boxes.values():
        _shape(plane, box.id, box.x, box.y, box.w, box.h)
    for flow_id, source, target, _ in flows:
        edge = ET.SubElement(plane, _q("bpmndi", "BPMNEdge"), {"id": f"{flow_id}_di", "bpmnElement": flow_id})
        for x, y in _route(boxes[source], boxes[target]):
            ET.SubElement(edge, _q("di", "waypoint"), {"x": _n(x), "y": _n(y)})


def _shape(plane, element: str, x: float, y: float, w: float, h: float, horizontal: bool = False) -> None:
    attributes = {"id": f"{element}_di", "bpmnElement": element}
    if horizontal:
        attributes["isHorizontal"] = "true"
    shape = ET.SubElement(plane, _q("bpmndi", "BPMNShape"), attributes)
    ET.SubElement(shape, _q("dc", "Bounds"), {"x": _n(x), "y": _n(y), "width": _n(w), "height": _n(h)})


def _route(a: _Box, b: _Box) -> list[tuple[float, float]]:
    """Orthogonal waypoints: forwards from the right side to the left side, backwards around below."""
    ay, by = a.y + a.h / 2, b.y + b.h / 2
    if b.column > a.column:
        sx, tx = a.x + a.w, b.x
        if abs(ay - by) < 1:
            return [(sx, ay), (tx, by)]
        mid = sx + (COLUMN - TASK_W) / 2
        return [(sx, ay), (mid, ay), (mid, by), (tx, by)]
    ax, bx = a.x + a.w / 2, b.x + b.w / 2
    below = max(a.y + a.h, b.y + b.h) + (ROW - TASK_H) / 2 - 4
    return [(ax, a.y + a.h), (ax, below), (bx, below), (bx, b.y + b.h)]


def _n(value: float) -> str:
    return str(int(round(value)))
