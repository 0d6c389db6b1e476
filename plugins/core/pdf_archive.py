"""PDF/A-1b archive copies of the printed PDFs: transparency flattened over white, then pikepdf.pdfa.

Chromium (Skia) writes tagged PDF 1.4 with transparency: alpha in graphics states (Material's
translucent greys, Mermaid's label backgrounds), transparency groups and soft masks. PDF/A-1
forbids all of it. A page printed on white paper looks the same when every translucent colour is
replaced by that colour composited over white, so that is what `flatten_transparency` does in the
content streams (colours `rg RG g G sc SC`, graphics states `gs`, forms drawn under an alpha, images
with an alpha channel); whatever is fully transparent is not painted at all. Only translucency over
a coloured background comes out lighter than on screen. Text, vectors and tags are kept as they are.

Then `pikepdf.pdfa.save` adds what PDF/A-1b asks of the file itself (sRGB output intent, XMP
metadata with the PDF/A identification, CIDSet of subset fonts, annotation print flags, trailer ID)
and checks the result with its own allowlist; the tests check it again with Apache PDFBox Preflight.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from pikepdf import Name, Operator

FLAVOUR = "1b"  # PDF/A-1b (ISO 19005-1, level B); the file stays tagged (StructTreeRoot, MarkInfo)

_FILL_OPS = {"f", "F", "f*"}
_STROKE_OPS = {"S", "s"}
_BOTH_OPS = {"B", "B*", "b", "b*"}
_TEXT_SHOW = {"Tj", "TJ", "'", '"'}


def _blend(values, alpha: float) -> list[float]:
    return [round(alpha * float(v) + (1.0 - alpha), 4) for v in values]


def _rgb(operands, space: str):
    numbers = [float(v) for v in operands]
    if space == "gray" and len(numbers) == 1:
        return numbers * 3
    if space == "rgb" and len(numbers) == 3:
        return numbers
    return None


class _Flattener:
    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.done: dict[tuple, pikepdf.Object] = {}
        self.alphas: dict[object, tuple] = {}  # each graphics state's own alphas, before it is made opaque

    def page(self, page: pikepdf.Page) -> None:
        if "/Group" in page.obj:
            del page.obj["/Group"]
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        page.obj.Resources = resources
        data = self._rewrite(pikepdf.parse_content_stream(page.obj), resources, 1.0, 1.0)
        page.obj.Contents = self.pdf.make_stream(data)

    def _form(self, form: pikepdf.Stream, fill_alpha: float, stroke_alpha: float) -> pikepdf.Stream:
        key = (form.objgen, fill_alpha, stroke_alpha)
        if key in self.done:
            return self.done[key]
        if (fill_alpha, stroke_alpha) == (1.0, 1.0) and form.objgen != (0, 0):
            target = form
        else:  # a copy of the form for the alpha it is drawn under
            target = self.pdf.make_stream(b"")
            for k, v in form.items():
                if k not in ("/Length", "/Filter", "/DecodeParms"):
                    target[k] = v
        self.done[key] = target
        if "/Group" in target:
            del target["/Group"]
        resources = form.get("/Resources", pikepdf.Dictionary())
        target.Resources = resources
        data = self._rewrite(pikepdf.parse_content_stream(form), resources, fill_alpha, stroke_alpha)
        target.write(data)
        return target

    def _rewrite(self, instructions, resources, fill_alpha: float, stroke_alpha: float) -> bytes:
        out = []
        state = {"ca": fill_alpha, "CA": stroke_alpha, "fill": [0.0, 0.0, 0.0], "stroke": [0.0, 0.0, 0.0],
                 "fs": "rgb", "ss": "rgb"}
        stack = []
        ext = resources.get("/ExtGState", pikepdf.Dictionary())
        xobjects = resources.get("/XObject", pikepdf.Dictionary())
        renamed: dict[str, str] = {}

        def colour(op: str, values) -> None:
            out.append(pikepdf.ContentStreamInstruction(_blend(values, state["ca" if op == "rg" else "CA"]), Operator(op)))

        for instruction in instructions:
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                if state["ca"] > 0:
                    out.append(instruction)
                continue
            operands, op = list(instruction.operands), str(instruction.operator)
            if op == "q":
                stack.append(dict(state))
            elif op == "Q":
                if stack:
                    state = stack.pop()
            elif op == "gs" and operands and str(operands[0]) in ext:
                gs = ext[str(operands[0])]
                own = self.alphas.setdefault(gs.objgen if gs.objgen != (0, 0) else id(gs),
                                             (float(gs["/ca"]) if "/ca" in gs else None,
                                              float(gs["/CA"]) if "/CA" in gs else None))
                ca = own[0] * fill_alpha if own[0] is not None else state["ca"]
                CA = own[1] * stroke_alpha if own[1] is not None else state["CA"]
                for k, v in (("/ca", 1.0), ("/CA", 1.0)):
                    if k in gs:
                        gs[k] = v
                if "/SMask" in gs:
                    gs.SMask = Name("/None")  # the mask's shading is lost; what it covered is painted whole
                if "/BM" in gs:
                    gs.BM = Name.Normal
                for k in ("/TR", "/TR2"):
                    if k in gs:
                        del gs[k]
                out.append(instruction)
                if (ca, CA) != (state["ca"], state["CA"]):
                    state["ca"], state["CA"] = ca, CA
                    if state["fs"] == "rgb":
                        colour("rg", state["fill"])
                    if state["ss"] == "rgb":
                        colour("RG", state["stroke"])
                continue
            elif op in ("rg", "g", "RG", "G"):
                rgb = _rgb(operands, "gray" if op in ("g", "G") else "rgb")
                fill = op in ("rg", "g")
                if rgb is not None:
                    state["fill" if fill else "stroke"] = rgb
                    state["fs" if fill else "ss"] = "rgb"
                    colour("rg" if fill else "RG", rgb)
                    continue
            elif op in ("cs", "CS"):
                space = str(operands[0]) if operands else ""
                state["fs" if op == "cs" else "ss"] = {"/DeviceRGB": "rgb", "/DeviceGray": "gray"}.get(space, "other")
            elif op in ("sc", "scn", "SC", "SCN"):
                fill = op in ("sc", "scn")
                space = state["fs" if fill else "ss"]
                rgb = _rgb(operands, space) if space in ("rgb", "gray") and all(
                    isinstance(v, (int, float)) or hasattr(v, "__float__") for v in operands) else None
                if rgb is not None:
                    state["fill" if fill else "stroke"] = rgb
                    out.append(pikepdf.ContentStreamInstruction(_blend(rgb if space == "rgb" else rgb[:1],
                                                                       state["ca" if fill else "CA"]), Operator(op)))
                    continue
            elif op in ("k", "K"):
                state["fs" if op == "k" else "ss"] = "other"
            elif op in _FILL_OPS and state["ca"] <= 0.004:
                op, operands = "n", []
            elif op in _STROKE_OPS and state["CA"] <= 0.004:
                op, operands = ("n", []) if op == "S" else ("h", [])
                if op == "h":
                    out.append(pikepdf.ContentStreamInstruction([], Operator("h")))
                    op = "n"
            elif op in _BOTH_OPS:
                no_fill, no_stroke = state["ca"] <= 0.004, state["CA"] <= 0.004
                if no_fill and no_stroke:
                    op, operands = "n", []
                elif no_fill:
                    op = "s" if op in ("b", "b*") else "S"
                elif no_stroke:
                    op = "f*" if op.endswith("*") else "f"
            elif op in _TEXT_SHOW and state["ca"] <= 0.004:
                if op in ("'", '"'):
                    out.append(pikepdf.ContentStreamInstruction([], Operator("T*")))
                continue
            elif op == "Do" and operands and str(operands[0]) in xobjects:
                name = str(operands[0])
                xobject = xobjects[name]
                subtype = xobject.get("/Subtype")
                if subtype == "/Form":
                    if state["ca"] <= 0.004 and state["CA"] <= 0.004:
                        continue
                    alphas = (state["ca"], state["CA"])
                    target = self._form(xobject, *alphas)
                    if target.objgen != xobject.objgen:
                        new = renamed.get((name, alphas))
                        if new is None:
                            new = f"{name}a{len(renamed)}"
                            while new in xobjects:
                                new += "x"
                            xobjects[new] = target
                            renamed[(name, alphas)] = new
                        out.append(pikepdf.ContentStreamInstruction([Name(new)], Operator("Do")))
                        continue
                elif subtype == "/Image":
                    if state["ca"] <= 0.004:
                        continue
                    self._opaque_image(xobject, state["ca"])
            out.append(pikepdf.ContentStreamInstruction(operands, Operator(op)))
        return pikepdf.unparse_content_stream(out)

    def _opaque_image(self, image: pikepdf.Stream, alpha: float) -> None:
        """An image with an alpha channel (SMask) or drawn under an alpha, composited over white."""
        key = ("image", image.objgen, alpha)
        if key in self.done:
            return
        self.done[key] = image
        if "/SMask" not in image and alpha >= 1.0:
            return
        from PIL import Image

        picture = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
        mask = None
        if "/SMask" in image:
            mask = pikepdf.PdfImage(image.SMask).as_pil_image().convert("L")
            if mask.size != picture.size:
                mask = mask.resize(picture.size)
        if alpha < 1.0:
            faded = Image.new("L", picture.size, int(round(255 * alpha)))
            mask = faded if mask is None else _multiply(mask, faded)
        white = Image.new("RGB", picture.size, (255, 255, 255))
        flat = Image.composite(picture, white, mask) if mask is not None else picture
        if image.get("/Filter") == "/DCTDecode":
            buffer = io.BytesIO()
            flat.save(buffer, format="JPEG", quality=92)
            image.write(buffer.getvalue(), filter=Name.DCTDecode)
        else:
            image.write(_deflate(flat.tobytes()), filter=Name.FlateDecode)
        for k in ("/SMask", "/Mask", "/DecodeParms", "/Decode", "/Interpolate"):
            if k in image:
                del image[k]
        image.ColorSpace = Name.DeviceRGB
        image.BitsPerComponent = 8
        image.Width, image.Height = flat.size


def _multiply(a, b):
    from PIL import ImageChops

    return ImageChops.multiply(a, b)


def _deflate(data: bytes) -> bytes:
    import zlib

    return zlib.compress(data, 6)


def flatten_transparency(pdf: pikepdf.Pdf) -> None:
    """Every translucent thing of every page painted as it looks over white; no transparency left."""
    flattener = _Flattener(pdf)
    for page in pdf.pages:
        flattener.page(page)
    for obj in pdf.objects:  # what no page draws (or draws only through a copy) is made opaque too
        if isinstance(obj, pikepdf.Dictionary) or isinstance(obj, pikepdf.Stream):
            if obj.get("/Subtype") == "/Form" and "/Group" in obj:
                del obj["/Group"]
            if obj.get("/Type", Name.ExtGState) == Name.ExtGState and ("/ca" in obj or "/CA" in obj or "/SMask" in obj):
                for key in ("/ca", "/CA"):
                    if key in obj:
                        obj[key] = 1.0
                if "/SMask" in obj and obj.SMask != Name("/None"):
                    obj.SMask = Name("/None")


def _pdf14_only(pdf: pikepdf.Pdf) -> None:
    """Keys Chromium writes that PDF 1.4, on which PDF/A-1 is built, does not define.

    /Tabs (tab order by structure, PDF 1.5) matters to PDF/UA and stays in the download PDFs; the
    archive copy is PDF/A-1 and keeps its structure tree, which gives the same order.
    """
    for page in pdf.pages:
        if "/Tabs" in page.obj:
            del page.obj["/Tabs"]
    for key in ("/MarkInfo", "/ViewerPreferences"):
        if key in pdf.Root and "/Type" in pdf.Root[key]:
            del pdf.Root[key]["/Type"]
    if "/Outlines" in pdf.Root:
        stack = [pdf.Root.Outlines]
        while stack:
            item = stack.pop()
            if "/SE" in item:
                del item["/SE"]
            for key in ("/First", "/Next"):
                if key in item:
                    stack.append(item[key])


def to_pdfa(source: Path, target: Path, title: str = "", language: str = "sv-SE") -> None:
    """Write `source` (a PDF printed by Chromium) as PDF/A-1b at `target`, tags kept.

    Raises pikepdf.pdfa.PdfaError when pikepdf's own check of the written file does not pass.
    """
    import pikepdf.pdfa

    from .pdf_tags import finish

    with pikepdf.open(source) as pdf:
        finish(pdf, title, language, ua=False)  # tags made whole; PDF/A-1's XMP has no room for the PDF/UA claim
        flatten_transparency(pdf)
        _pdf14_only(pdf)
        if "/Lang" not in pdf.Root:
            pdf.Root.Lang = pikepdf.String(language)
        pikepdf.pdfa.save(pdf, target, FLAVOUR)
