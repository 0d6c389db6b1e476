"""What Chromium's tagged PDF lacks for PDF/UA-1, put right with pikepdf after printing.

Chromium (`page.pdf(tagged=True)`) writes a structure tree, but (found by the independent checker
outloud, see tests/test_pdf.py):
- its header and footer, and CSS generated text (print.css's note above the content), are painted
  outside any structure element: they are page furniture, so they are marked `/Artifact`;
- HTML's own element names (`Aside`, `Strong`, `Em` …) are used as structure types without a
  role map: each non-standard type is mapped to the standard type that fits;
- list items hold their content directly: it is put in an `LBody` (the number or bullet is CSS and
  not in the tree);
- link annotations carry no description: each gets /Contents from its address.
The parent tree is rebuilt from the structure tree afterwards, so it agrees with it.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator

STANDARD = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct", "Private",
    "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead",
    "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
}
ROLES = {"Aside": "Sect", "Strong": "Span", "Em": "Span", "Section": "Sect", "Article": "Art", "Nav": "Div",
         "Header": "Div", "Footer": "Div", "Main": "Div", "Title": "H1", "Sub": "Span", "FENote": "Note",
         "Em ": "Span", "Mark": "Span", "Small": "Span", "S": "Span", "U": "Span", "Abbr": "Span", "Time": "Span"}

_PATH_START = {"m", "re"}
_PATH_END = {"n", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*"}
_PATH_OPS = {"m", "l", "c", "v", "y", "h", "re"}
_SHOW = {"Tj", "TJ", "'", '"', "Do", "sh"}


def _has_mcid(form, seen=None) -> bool:
    seen = set() if seen is None else seen
    if form.objgen in seen:
        return False
    seen.add(form.objgen)
    for instruction in pikepdf.parse_content_stream(form):
        if (not isinstance(instruction, pikepdf.ContentStreamInlineImage) and str(instruction.operator) == "BDC"
                and len(instruction.operands) > 1 and isinstance(instruction.operands[1], Dictionary)
                and "/MCID" in instruction.operands[1]):
            return True
    return any(_has_mcid(x, seen) for x in form.get("/Resources", Dictionary()).get("/XObject", Dictionary()).values()
               if x.get("/Subtype") == Name.Form)


def _mark_artifacts(pdf: pikepdf.Pdf, stream_owner) -> None:
    """Every painting operator outside marked content wrapped in /Artifact BMC … EMC (not a form that
    holds tagged content of its own: Chromium draws a checkbox so)."""
    xobjects = (stream_owner.obj if isinstance(stream_owner, pikepdf.Page) else stream_owner).get(
        "/Resources", Dictionary()).get("/XObject", Dictionary())
    tagged_forms = {str(k) for k, v in xobjects.items() if v.get("/Subtype") == Name.Form and _has_mcid(v)}
    out = []
    depth, in_text, in_path, artifact, artifact_in_text = 0, False, False, False, False
    marks: list[str] = []  # the open marked-content sequences: "tagged", "artifact" or "dropped"
    tagged = 0  # how many of them are tagged content

    def close():
        nonlocal artifact
        if artifact:
            out.append(pikepdf.ContentStreamInstruction([], Operator("EMC")))
            artifact = False

    def open_():
        nonlocal artifact, artifact_in_text
        if not artifact:
            out.append(pikepdf.ContentStreamInstruction([Name.Artifact], Operator("BMC")))
            artifact, artifact_in_text = True, in_text

    for instruction in pikepdf.parse_content_stream(stream_owner):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            if depth == 0:
                open_()
            out.append(instruction)
            continue
        op = str(instruction.operator)
        if op in ("BDC", "BMC"):
            artifact_tag = bool(instruction.operands) and instruction.operands[0] == Name.Artifact
            if artifact_tag and tagged:  # Chromium marks a checkbox an artifact inside tagged content:
                marks.append("dropped")  # it is drawn as part of that content (PDF/UA: no nesting of the two)
                continue
            if not in_path:
                close()
            depth += 1
            marks.append("artifact" if artifact_tag else "tagged")
            tagged += marks[-1] == "tagged"
        elif op == "EMC":
            kind = marks.pop() if marks else "tagged"
            if kind == "dropped":
                continue
            depth -= 1
            tagged -= kind == "tagged"
        elif op in ("BT", "ET"):
            if artifact and (op == "BT" or artifact_in_text):
                close()
            in_text = op == "BT"
        elif op in ("q", "Q"):
            if not in_path:
                close()
        elif op == "Do" and instruction.operands and str(instruction.operands[0]) in tagged_forms:
            close()
        elif depth == 0 and (op in _SHOW or (op in _PATH_START and not in_path)):
            open_()
        if op in _PATH_OPS:
            in_path = True
        out.append(instruction)
        if op in _PATH_END:
            in_path = False
    close()
    if isinstance(stream_owner, pikepdf.Page):
        stream_owner.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    else:
        stream_owner.write(pikepdf.unparse_content_stream(out))


def _forms(owner, seen: set) -> list:
    found = []
    for xobject in owner.get("/Resources", Dictionary()).get("/XObject", Dictionary()).values():
        if xobject.get("/Subtype") == Name.Form and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            found.append(xobject)
            found.extend(_forms(xobject, seen))
    return found


def _unmark_forms(pdf: pikepdf.Pdf) -> None:
    """A form (a drawn checkbox) that marks its own drawing an artifact, with no tagged content in it,
    takes the marking of where it is drawn: tagged inside tagged content, an artifact elsewhere."""
    seen: set = set()
    for page in pdf.pages:
        for form in _forms(page.obj, seen):
            instructions = pikepdf.parse_content_stream(form)
            marks = [i for i in instructions if not isinstance(i, pikepdf.ContentStreamInlineImage)
                     and str(i.operator) in ("BMC", "BDC")]
            if not marks or any(i.operands[0] != Name.Artifact for i in marks):
                continue
            kept = [i for i in instructions if isinstance(i, pikepdf.ContentStreamInlineImage)
                    or str(i.operator) not in ("BMC", "BDC", "EMC")]
            form.write(pikepdf.unparse_content_stream(kept))


def _walk(element, parent=None):
    yield element, parent
    kids = element.get("/K")
    if kids is None:
        return
    for kid in (kids if isinstance(kids, Array) else [kids]):
        if isinstance(kid, Dictionary) and kid.get("/Type", Name.StructElem) == Name.StructElem and "/S" in kid:
            yield from _walk(kid, element)


def _list_bodies(pdf: pikepdf.Pdf, root) -> None:
    """Each LI: its label (Lbl) if Chromium wrote one, and the rest in an LBody."""
    for element, _ in list(_walk(root)):
        if element.get("/S") != Name.LI:
            continue
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, Array) else ([kids] if kids is not None else [])
        if any(isinstance(k, Dictionary) and k.get("/S") == Name.LBody for k in kids):
            continue
        labels = [k for k in kids if isinstance(k, Dictionary) and k.get("/S") == Name.Lbl]
        rest = [k for k in kids if not (isinstance(k, Dictionary) and k.get("/S") == Name.Lbl)]
        if len(rest) == 1 and isinstance(rest[0], Dictionary) and rest[0].get("/S") in (Name.NonStruct, Name.Div, Name.Span):
            rest[0].S = Name.LBody  # Chromium's NonStruct around the item's content is its body
            continue
        body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=element, K=Array(rest)))
        if "/Pg" in element:
            body.Pg = element.Pg
        for kid in rest:
            if isinstance(kid, Dictionary) and "/S" in kid:
                kid.P = body
        element.K = Array([*labels, body])


def _tag_links(pdf: pikepdf.Pdf, root) -> None:
    """Link annotations no structure element names (links in the drawn map) get a Link element each."""
    named = set()
    for element, _ in _walk(root):
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, Array) else [kids] if kids is not None else []):
            if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR and "/Obj" in kid:
                named.add(kid.Obj.objgen)
    top = root.get("/K")
    parent = top[0] if isinstance(top, Array) and len(top) else top
    if not isinstance(parent, Dictionary):
        return
    if not isinstance(parent.get("/K"), Array):
        parent.K = Array([parent.K] if "/K" in parent else [])
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") == Name.Link and annot.objgen not in named:
                link = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, P=parent, Pg=page.obj,
                                                    K=Array([Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj)])))
                parent.K.append(link)


def _role_map(root) -> None:
    used = {str(element.S)[1:] for element, _ in _walk(root) if "/S" in element}
    role_map = root.get("/RoleMap", Dictionary())
    for name in sorted(used - STANDARD):
        if Name("/" + name) not in role_map:
            role_map[Name("/" + name)] = Name("/" + ROLES.get(name, "Span"))
    if len(role_map):
        root.RoleMap = role_map


def _parent_tree(pdf: pikepdf.Pdf, root) -> None:
    """The parent tree rebuilt from the structure tree: each page's MCIDs and each annotation's element."""
    pages = {page.obj.objgen: page for page in pdf.pages}
    by_page: dict[tuple, dict[int, object]] = {}
    by_form: dict[tuple, tuple[object, dict[int, object]]] = {}
    annots: list[tuple[object, object]] = []
    for element, _ in _walk(root):
        kids = element.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, Array) else [kids]):
            if isinstance(kid, int) or (not isinstance(kid, Dictionary) and hasattr(kid, "__int__")):
                page = element.get("/Pg")
                if page is not None:
                    by_page.setdefault(page.objgen, {})[int(kid)] = element
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR and "/Stm" in kid:
                by_form.setdefault(kid.Stm.objgen, (kid.Stm, {}))[1][int(kid.MCID)] = element
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                page = kid.get("/Pg", element.get("/Pg"))
                if page is not None:
                    by_page.setdefault(page.objgen, {})[int(kid.MCID)] = element
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR and "/Obj" in kid:
                annots.append((kid.Obj, element))
    nums, key = [], 0
    for objgen, page in pages.items():
        mcids = by_page.get(objgen)
        if not mcids:
            if "/StructParents" in page.obj:
                del page.obj["/StructParents"]
            continue
        page.obj.StructParents = key
        nums.extend([key, Array([mcids.get(i, pikepdf.Object.parse(b"null")) for i in range(max(mcids) + 1)])])
        key += 1
    for form, mcids in by_form.values():
        form.StructParents = key
        nums.extend([key, Array([mcids.get(i, pikepdf.Object.parse(b"null")) for i in range(max(mcids) + 1)])])
        key += 1
    for annot, element in annots:
        annot.StructParent = key
        nums.extend([key, element])
        key += 1
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = key


def _link_contents(pdf: pikepdf.Pdf, relink=None) -> None:
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != Name.Link:
                continue
            action = annot.get("/A", Dictionary())
            uri = action.get("/URI")
            if uri is not None and relink is not None:
                uri = relink(str(uri))
                action.URI = pikepdf.String(uri)
                annot.Contents = pikepdf.String(f"Länk till {uri}")
            elif "/Contents" not in annot:
                annot.Contents = pikepdf.String(f"Länk till {uri}" if uri is not None else "Länk inom dokumentet")


def finish(pdf: pikepdf.Pdf, title: str = "", language: str = "sv-SE", ua: bool = True, relink=None) -> None:
    """Make a Chromium-tagged PDF whole for PDF/UA-1 in place (see the module's text).

    `relink` maps each link's address as printed (the printing server's) to the one the reader follows.
    """
    _unmark_forms(pdf)
    for page in pdf.pages:
        _mark_artifacts(pdf, page)
    root = pdf.Root.get("/StructTreeRoot")
    if root is not None:
        top = root.get("/K")
        for element in (top if isinstance(top, Array) else [top] if top is not None else []):
            if isinstance(element, Dictionary):
                _list_bodies(pdf, element)
        _tag_links(pdf, root)
        _role_map(root)
        _parent_tree(pdf, root)
    _link_contents(pdf, relink)
    if "/Lang" not in pdf.Root:
        pdf.Root.Lang = pikepdf.String(language)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        if title:
            meta["dc:title"] = title
        if ua:  # the claim, checked by outloud in the tests (what a machine can check of PDF/UA-1)
            meta["pdfuaid:part"] = "1"
    if title:
        pdf.docinfo[Name.Title] = title


def finish_file(path, title: str = "", relink=None) -> None:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        finish(pdf, title, relink=relink)
        pdf.save(path)
