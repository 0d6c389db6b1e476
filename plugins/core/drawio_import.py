"""draw.io (diagrams.net) files into process files, by way of BPMN: swimlanes are lanes, shapes are steps.

A `.drawio` file is `<mxfile>` with one `<diagram>` per page, each holding an `<mxGraphModel>`
either as XML or compressed (base64 of raw deflate of the URL-encoded XML). Every page is read
into a BPMN 2.0 `definitions` element in memory (one pool per top swimlane, its inner swimlanes as
lanes) and handed to the BPMN importer, so both formats are simplified and reported the same way.

Shapes: a rhombus or BPMN gateway is a gateway (parallel when its style says so), an ellipse or
BPMN event is a start, end or intermediate event by its edges, a text cell an annotation, any other
vertex a task. Values are HTML in draw.io (`Granska<br>ansökan`) and become plain text. The
compressed form is inflated with a limit, so a deflate bomb is refused like any other large file.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import urllib.parse
import xml.etree.ElementTree as ET
import zlib

from .bpmn_import import MAX_BYTES, MODEL, BpmnError, ImportResult, clean, import_bpmn, safe_xml

WHAT = "draw.io-fil (.drawio)"
MAX_NESTING = 50  # swimlanes in swimlanes in groups: a real diagram nests a few levels


def _text(value: str | None) -> str:
    """A draw.io value as plain text: <br> and block ends as spaces, other tags dropped, entities decoded."""
    value = value or ""
    if "<" in value or "&" in value:
        value = re.sub(r"<(br|/div|/p|/li)\b[^<>]{0,200}>", " ", value, flags=re.I)
        value = html.unescape(re.sub(r"<[^<>]{0,2000}>", "", value))
    return clean(value)


def _style(cell) -> dict[str, str]:
    parts = (cell.get("style") or "").split(";")
    style = {}
    for part in parts:
        key, sep, value = part.partition("=")
        style[key.strip()] = value.strip() if sep else "1"
    return style


def _inflate(text: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=False)
    except (binascii.Error, ValueError):
        raise BpmnError("en sida i draw.io-filen är varken XML eller komprimerad draw.io; spara filen på nytt i draw.io") from None
    inflater = zlib.decompressobj(-15)
    try:
        data = inflater.decompress(raw, MAX_BYTES + 1)
    except zlib.error:
        raise BpmnError("en komprimerad sida i draw.io-filen går inte att packa upp; spara filen på nytt i draw.io") from None
    if len(data) > MAX_BYTES or inflater.unconsumed_tail:
        raise BpmnError(f"en komprimerad sida i draw.io-filen blir större än {MAX_BYTES // 1024 // 1024} MB uppackad; "
                        "dela upp diagrammet i flera filer")
    return urllib.parse.unquote(data.decode("utf-8", "replace")).encode("utf-8")


def _models(root) -> list[tuple[str, object]]:
    """(page name, mxGraphModel element) of every page."""
    if root.tag == "mxGraphModel":
        return [("", root)]
    if root.tag != "mxfile":
        raise BpmnError("filen är XML men inte draw.io: rotelementet ska vara mxfile eller mxGraphModel. "
                        "Spara diagrammet som .drawio i draw.io")
    models = []
    for diagram in root.findall("diagram"):
        model = diagram.find("mxGraphModel")
        if model is None and (diagram.text or "").strip():
            model = safe_xml(_inflate(diagram.text), what=WHAT)
        if model is not None and model.tag == "mxGraphModel":
            models.append((_text(diagram.get("name")), model))
    if not models:
        raise BpmnError("draw.io-filen har inga sidor med diagram")
    return models


def drawio_to_bpmn(data: bytes) -> bytes:
    """The draw.io file as BPMN 2.0 XML: one process per pool (top swimlane), inner swimlanes as lanes."""
    root = safe_xml(data, what=WHAT)
    definitions = ET.Element(f"{{{MODEL}}}definitions", {"id": "drawio", "targetNamespace": "urn:drawio"})
    collaboration = ET.SubElement(definitions, f"{{{MODEL}}}collaboration", {"id": "collaboration"})
    for page_index, (page, model) in enumerate(_models(root)):
        _page(definitions, collaboration, page, model, f"sida{page_index + 1}:" if page_index else "")
    return ET.tostring(definitions)


def _page(definitions, collaboration, page: str, model, prefix: str) -> None:
    cells = {c.get("id"): c for c in model.iter("mxCell") if c.get("id")}
    parent = {cid: c.get("parent", "") for cid, c in cells.items()}
    # draw.io wraps a cell with custom properties in <object label="..."><mxCell/></object>
    labels = {}
    for holder in list(model.iter("object")) + list(model.iter("UserObject")):
        inner = holder.find("mxCell")
        if holder.get("id") and inner is not None:
            inner.set("id", holder.get("id"))
            cells[holder.get("id")] = inner
            parent[holder.get("id")] = inner.get("parent", "")
            labels[holder.get("id")] = holder.get("label", "")
    value = {cid: _text(labels.get(cid, c.get("value"))) for cid, c in cells.items()}
    swimlanes = {cid for cid, c in cells.items() if c.get("vertex") == "1" and "swimlane" in _style(c)}

    def ancestors(cid: str) -> list[str]:
        chain, seen = [], set()
        while cid in parent and cid not in seen:
            seen.add(cid)
            cid = parent[cid]
            chain.append(cid)
            if len(chain) > MAX_NESTING:
                raise BpmnError(f"formerna i draw.io-filen ligger i varandra mer än {MAX_NESTING} nivåer djupt; "
                                "det gör inget processdiagram")
        return chain

    def lane_of(cid: str) -> str:
        return next((a for a in ancestors(cid) if a in swimlanes), "")

    def top_of(lane: str) -> str:
        outer = [a for a in ancestors(lane) if a in swimlanes]
        return outer[-1] if outer else lane

    pools: dict[str, list[str]] = {}
    order = {cid: i for i, cid in enumerate(cells)}
    for lane in sorted(swimlanes, key=order.__getitem__):
        pools.setdefault(top_of(lane), [])
        if lane != top_of(lane):
            pools[top_of(lane)].append(lane)
    edges = [c for c in cells.values() if c.get("edge") == "1" and c.get("source") in cells and c.get("target") in cells]
    edge_labels = {}
    for cid, c in cells.items():  # a label dragged off an edge is a child cell of the edge
        if parent.get(cid) in cells and cells[parent[cid]].get("edge") == "1" and value[cid]:
            edge_labels.setdefault(parent[cid], value[cid])
    vertices = [cid for cid, c in cells.items() if c.get("vertex") == "1" and cid not in swimlanes
                and not (parent.get(cid) in cells and cells[parent[cid]].get("edge") == "1")]
    incoming = {cid: 0 for cid in cells}
    outgoing = {cid: 0 for cid in cells}
    for e in edges:
        outgoing[e.get("source")] += 1
        incoming[e.get("target")] += 1

    def pool_of(cid: str) -> str:
        lane = lane_of(cid)
        return top_of(lane) if lane else ""

    groups: dict[str, list[str]] = {}
    for cid in vertices:
        groups.setdefault(pool_of(cid), []).append(cid)
    nid = {cid: f"{prefix}{cid}" for cid in cells}  # draw.io's own ids, so the notes name what the owner sees
    for pool, members in groups.items():
        pid = f"{prefix}process{len(definitions)}"
        name = value.get(pool, "") or page
        process = ET.SubElement(definitions, f"{{{MODEL}}}process", {"id": pid, "name": name})
        if name:
            ET.SubElement(collaboration, f"{{{MODEL}}}participant", {"id": f"{pid}_pool", "name": name, "processRef": pid})
        lanes = pools.get(pool, [])
        if lanes:
            lane_set = ET.SubElement(process, f"{{{MODEL}}}laneSet", {"id": f"{pid}_lanes"})
            for lane in lanes:
                element = ET.SubElement(lane_set, f"{{{MODEL}}}lane", {"id": nid[lane], "name": value[lane]})
                for cid in members:
                    if lane_of(cid) == lane:
                        ET.SubElement(element, f"{{{MODEL}}}flowNodeRef").text = nid[cid]
        member_set = set(members)
        for cid in members:
            tag, attributes = _kind(cells[cid], incoming[cid], outgoing[cid])
            element = ET.SubElement(process, f"{{{MODEL}}}{tag}", {"id": nid[cid], "name": value[cid], **attributes})
            if tag == "textAnnotation":
                element.attrib.pop("name")
                ET.SubElement(element, f"{{{MODEL}}}text").text = value[cid]
        for e in edges:
            if e.get("source") in member_set and e.get("target") in member_set:
                ET.SubElement(process, f"{{{MODEL}}}sequenceFlow", {
                    "id": nid[e.get("id")], "sourceRef": nid[e.get("source")], "targetRef": nid[e.get("target")],
                    "name": value[e.get("id")] or edge_labels.get(e.get("id"), "")})
        for e in edges:
            if (e.get("source") in member_set) != (e.get("target") in member_set) and e.get("source") in member_set:
                ET.SubElement(collaboration, f"{{{MODEL}}}messageFlow", {
                    "id": nid[e.get("id")], "sourceRef": nid[e.get("source")], "targetRef": nid[e.get("target")],
                    "name": value[e.get("id")]})


def _kind(cell, incoming: int, outgoing: int) -> tuple[str, dict[str, str]]:
    style = _style(cell)
    shape = style.get("shape", "")
    if "text" in style and "shape" not in style:
        return "textAnnotation", {}
    if "rhombus" in style or shape == "rhombus" or "gateway" in shape:
        parallel = style.get("gwType") == "parallel" or style.get("symbol") == "parallelGw"
        return ("parallelGateway" if parallel else "exclusiveGateway"), {}
    if "ellipse" in style or shape == "ellipse" or "event" in shape or style.get("outline") in ("end", "standard", "catching", "throwing"):
        if style.get("outline") == "end" or (outgoing == 0 and incoming > 0):
            return "endEvent", {}
        if incoming == 0:
            return "startEvent", {}
        return "intermediateCatchEvent", {}
    if "call" in style.get("bpmnShapeType", ""):
        return "callActivity", {}
    return "task", {}


def import_drawio(data: bytes, base_id: str = "", source_name: str = "", pool: str = "") -> ImportResult:
    """A draw.io file imported as its BPMN equivalent (see `drawio_to_bpmn`)."""
    return import_bpmn(drawio_to_bpmn(data), base_id=base_id, source_name=source_name, pool=pool)
