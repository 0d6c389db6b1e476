"""The whole published handbook as one PDF edition: cover, contents by Klassa, every item, page numbers.

Each item is printed on its own (so a process map keeps its print slices and a page keeps its
orientation); the parts are then joined with pikepdf into one tagged PDF: the structure trees become
the children of one Document element (the parent trees renumbered), the outline gets one entry per
item, and every sheet gets "Sida n av N" of the edition, printed by Chromium and laid over the
sheet as an artifact (not content a screen reader reads twice).
"""

from __future__ import annotations

import html
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from .pdf import Section


def _nums(tree) -> list[tuple[int, object]]:
    """A number tree's (key, value) pairs, its kids included."""
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        if "/Nums" in node:
            nums = list(node.Nums)
            found.extend((int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2))
        for kid in node.get("/Kids", []):
            stack.append(kid)
    return sorted(found, key=lambda pair: pair[0])


def merge(parts: list[tuple[Path, str]], out_path: Path, title: str, language: str = "sv-SE") -> list[int]:
    """Join tagged PDFs into one tagged PDF at `out_path`; returns each part's first page (0-based).

    `parts` are (file, outline title); an empty title adds no outline entry.
    """
    out = pikepdf.new()
    kids = Array()
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=kids))
    numbers: list = []
    next_key = 0
    role_map = Dictionary()
    starts = []
    sources = []
    for path, _ in parts:
        src = pikepdf.open(path)
        sources.append(src)
        start = len(out.pages)
        starts.append(start)
        out.add_pages_from(src, outlines="ignore")
        tree = src.Root.get("/StructTreeRoot")
        if tree is None:
            continue
        for page in out.pages[start:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + next_key
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + next_key
        copied = out.copy_foreign(tree)
        top = copied.get("/K")
        top = list(top) if isinstance(top, Array) else ([top] if top is not None else [])
        for element in top:
            if isinstance(element, Dictionary):
                element.P = document
            kids.append(element)
        last = -1
        if "/ParentTree" in copied:
            for key, value in _nums(copied.ParentTree):
                numbers.extend([key + next_key, value])
                last = max(last, key)
        for name, value in dict(copied.get("/RoleMap", Dictionary())).items():
            role_map[name] = value
        next_key += max(int(tree.get("/ParentTreeNextKey", 0)), last + 1)
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=document,
                                        ParentTree=out.make_indirect(Dictionary(Nums=Array(numbers))),
                                        ParentTreeNextKey=next_key))
    if len(role_map):
        root.RoleMap = role_map
    document.P = root
    out.Root.StructTreeRoot = root
    out.Root.MarkInfo = Dictionary(Marked=True)
    out.Root.Lang = pikepdf.String(language)
    out.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    with out.open_outline() as outline:
        for (_, label), start in zip(parts, starts):
            if label:
                outline.root.append(pikepdf.OutlineItem(label, start))
    with out.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title
        meta["dc:language"] = [language]
    out.docinfo[Name.Title] = title
    out.save(out_path)
    for src in sources:
        src.close()
    return starts


def page_sizes(path: Path) -> list[tuple[float, float]]:
    with pikepdf.open(path) as pdf:
        return [(float(p.mediabox[2]) - float(p.mediabox[0]), float(p.mediabox[3]) - float(p.mediabox[1]))
                for p in pdf.pages]


def numbers_html(sizes: list[tuple[float, float]], label: str, skip: int) -> str:
    """One sheet per page of the edition, each its size, with "Sida n av N" where the footer's right end is."""
    total = len(sizes)
    styles, sheets = [], []
    for i, (width, height) in enumerate(sizes):
        styles.append(f"@page s{i} {{ size: {width:.2f}pt {height:.2f}pt; margin: 0; }}"
                      f" .s{i} {{ page: s{i}; width: {width:.2f}pt; height: {height:.2f}pt; }}")
        text = "" if i < skip else f"{html.escape(label)} · Sida {i + 1} av {total}"
        sheets.append(f'<div class="sheet s{i}"><p>{text}</p></div>')
    return ("<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Sidnummer</title><style>"
            "body { margin: 0; } .sheet { position: relative; break-after: page; overflow: hidden; }"
            " .sheet p { position: absolute; right: 12mm; bottom: 5mm; margin: 0; font: 7.5pt 'Liberation Sans', Arial, sans-serif; }"
            + "".join(styles) + "</style></head><body>" + "".join(sheets) + "</body></html>")


def overlay_numbers(edition: Path, numbers: Path) -> None:
    """Lay each sheet of `numbers` over the edition's sheet of the same index (pikepdf's overlay wraps
    the sheet's own content in q … Q first); `pdf_tags.finish` then marks it an artifact."""
    with pikepdf.open(edition, allow_overwriting_input=True) as pdf, pikepdf.open(numbers) as over:
        for page, sheet in zip(pdf.pages, over.pages):
            page.add_overlay(sheet, pikepdf.Rectangle(*[float(v) for v in page.mediabox]))
        pdf.save(edition)


def cover_html(site_name: str, stamp: dict, sections: list[Section], pages: dict[tuple[str, str], int] | None) -> str:
    """The cover (handbook, "Utgåva", the version stamp) and the contents by Klassa with page numbers."""
    rows = []
    for section in sections:
        if not section.targets and section.depth > 1:
            continue
        rows.append(f"<h3 class=\"d{min(section.depth, 6)}\">{html.escape(section.label)}</h3>")  # the code shows the depth
        if section.targets:
            items = "".join(
                f"<li><span>{html.escape(t.title)}{' (version ' + html.escape(t.version) + ')' if t.version else ''}</span>"
                f"<span class=\"p\">{(pages or {}).get((t.kind, t.key), 0)}</span></li>" for t in section.targets)
            rows.append(f"<ul>{items}</ul>")
    label = html.escape(stamp.get("label") or "")
    return ("<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(site_name)} – utgåva</title><style>"
            "@page { size: A4; margin: 20mm 18mm 22mm; } body { font: 11pt 'Liberation Sans', Arial, sans-serif; color: #000; }"
            " .cover { break-after: page; padding-top: 60mm; } .cover h1 { font-size: 28pt; margin: 0 0 8mm; }"
            " .cover p { font-size: 13pt; margin: 2mm 0; } h2 { font-size: 16pt; } h3 { font-size: 11.5pt; margin: 5mm 0 1mm; } .d1 { font-size: 13pt; }"
            " ul { list-style: none; padding: 0; margin: 0; } li { display: flex; justify-content: space-between; gap: 6mm;"
            " border-bottom: 0.5pt dotted #666; padding: 0.8mm 0; break-inside: avoid; } .p { white-space: nowrap; }"
            "</style></head><body>"
            f"<section class=\"cover\"><h1>{html.escape(site_name)}</h1><p>Utgåva {html.escape(stamp.get('date') or '')}</p>"
            f"<p>Version: {label}</p><p>Utskriven kopia är ostyrd — gällande version finns på intranätet.</p></section>"
            f"<main><h2>Innehåll</h2>{''.join(rows)}</main></body></html>")
