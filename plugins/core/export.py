"""`handbook export DIR`: the handbook as an ordinary MkDocs-format project, a second adapter beside the plugin.

What the plugin does while MkDocs builds is done here once, into files: the gate is applied (only
published pages, the attachments the gate publishes, nothing withheld in any byte), the generated
pages are written as Markdown whose long HTML blocks (`core/html_blocks.py`), each written out in
full and its links checked for its page, lie in `handbook-blocks.json` beside `mkdocs.yml`, put
back by the Python-Markdown extension `handbook.core.html_blocks` that `mkdocs.yml` names (with
`standalone`, for a host without the handbook package: written into the Markdown, and no
`handbook.*` extension listed), the card, banners and history of
each document and process are rendered with the theme's own partials into the top and foot of
the page, macros are expanded, links to withheld content are removed, `nav:` is the Klassa tree
(`core/navigation.py`) and `handbook.json` lies beside the pages. Any engine that reads
`mkdocs.yml` builds it without the handbook plugin: MkDocs with Material, or Zensical.

The folder is written only when it is empty or holds an earlier export (a marker file lists what
that export wrote); only those files are ever removed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2
import markupsafe
import yaml

from .documents import Document
from .feedback import feedback
from .handbook import Handbook
from .html_blocks import HtmlBlocks
from .navigation import NavPage, NavSection, klassa_tree
from .page_meta import add_theme_titles, for_theme, overview, with_governance
from .processes import Process
from .scripts import strip_scripts
from .urls import document_url
from .views import ItemView, document_view, process_view
from .content import site_content, withheld as withheld_content
from .withheld import hide_html_links, hide_markdown_addresses, hide_markdown_links

PACKAGE = Path(__file__).resolve().parent.parent
MARKER = ".handbook-export.json"
MARKER_KIND = "handbook-export"
DOCS = "docs"
ASSETS = "assets/handbook/"
# Front matter keys the export does not carry: macros are already expanded; a template of the
# handbook's own theme folders is not in the exported project.
NOT_CARRIED = ("render_macros", "template")
BLOCKS_FILE = "handbook-blocks.json"  # beside mkdocs.yml: not in docs/, so no engine publishes it as a file
BLOCKS_EXTENSION = "handbook.core.html_blocks"
TASKLIST = "handbook.core.tasklist"
RENAMED = {"handbook.site.tasklist": TASKLIST}  # earlier names of the core's extensions
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[`~]*[ \t]*$", re.M | re.S)
_H1 = re.compile(r"^ {0,3}#(?!#)(?:[ \t]|$)|^\S.*\n ?={1,}[ \t]*$|<h1[\s>]", re.M | re.I)


class ExportError(ValueError):
    """The export cannot be written; the message is Swedish and says what to do."""


@dataclass
class ExportSettings:
    """What the export needs to know of the project, read from its mkdocs.yml by the command."""

    config: dict  # mkdocs.yml keys carried over as they are: site_name, theme, markdown_extensions, extra …
    theme_dirs: list[str]  # where the card's, banners' and history's partials are looked up
    site_url: str = ""
    guide_folder: str = ""
    feedback_url: str = ""
    allow_scripts: bool = True
    catalog_file: str = "handbook.json"
    accessibility: object = None
    previous_catalog: dict | None = None
    stamp: dict | None = None
    extra_css: list[str] = field(default_factory=list)  # the project's own, from docs/
    extra_javascript: list[str] = field(default_factory=list)
    standalone: bool = False  # for a host without the handbook package: blocks in the Markdown, no handbook.* extension


@dataclass
class Exported:
    folder: Path
    pages: int
    files: int
    warnings: list[str] = field(default_factory=list)


# (document, its Markdown, the export's HTML blocks) → Markdown with the macros run, their blocks carried by those
MacroExpander = Callable[[Document, str, HtmlBlocks], str]


def export(handbook: Handbook, settings: ExportSettings, target: Path, expand_macros: MacroExpander | None = None,
           force: bool = False) -> Exported:
    target = Path(target)
    _prepare(target, force)
    written: list[str] = []
    try:
        result = _write(handbook, settings, target, expand_macros, written)
    finally:  # whatever was written is listed, so that the next export can take it away
        _write_marker(target, sorted(set(written) | ({MARKER} if written else set())))
    return result


# -- the folder ----------------------------------------------------------------


def _prepare(target: Path, force: bool) -> list[str]:
    """Make `target` ready: absent or empty, or an earlier export whose files are removed (only those)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise ExportError(f"{target}: finns redan och är ingen mapp; välj en tom mapp eller en ny sökväg")
    if not target.exists():
        target.mkdir(parents=True)
        return []
    present = [p for p in target.iterdir()]
    if not present:
        return []
    marker = target / MARKER
    listed = _read_marker(marker) if marker.is_file() and not marker.is_symlink() else None
    if listed is None:
        raise ExportError(f"{target}: mappen är inte tom och innehåller ingen tidigare export; "
                          "välj en tom mapp eller en ny sökväg (handbook export tar aldrig bort filer den inte har skrivit)")
    mine = set(listed)
    others = sorted(dict.fromkeys(_shown(p.relative_to(target)) for p in target.rglob("*")
                                  if not p.is_dir() and p.relative_to(target).as_posix() not in mine))
    if others and not force:
        raise ExportError(f"{target}: mappen innehåller filer som den tidigare exporten inte skrev ({', '.join(others[:5])}"
                          f"{' …' if len(others) > 5 else ''}); ta bort dem (ett bygge i mappen, site/ och .cache/, kan "
                          "innehålla sådant som inte längre publiceras) eller kör med --force för att behålla dem")
    root = target.resolve()
    for name in listed:  # only what the earlier export wrote, never through a link out of the folder
        path = target / name
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(root):
            continue
        path.unlink()
    for name in sorted({str(Path(n).parent) for n in listed}, key=lambda n: -n.count("/")):
        folder = target / name
        while folder != target and folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return listed


def _shown(path: Path) -> str:
    """A file as the refusal names it: an engine's output folder as a whole."""
    return path.parts[0] + "/" if path.parts[0] in ("site", ".cache") else path.as_posix()


def _read_marker(path: Path) -> list[str] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("kind") != MARKER_KIND or not isinstance(data.get("files"), list):
        return None
    return [f for f in data["files"] if isinstance(f, str) and not f.startswith("/") and ".." not in f.split("/")]


def _write_marker(target: Path, files: list[str]) -> None:
    if not files:
        return
    data = {"kind": MARKER_KIND, "note": "Skriven av handbook export; nästa export tar bort just dessa filer.", "files": files}
    (target / MARKER).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


# -- writing ---------------------------------------------------------------------


def _write(handbook: Handbook, settings: ExportSettings, target: Path, expand_macros, written: list[str]) -> Exported:
    def put(name: str, content: str | bytes) -> None:
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, "utf-8")
        else:
            path.write_bytes(content)
        written.append(name)

    warnings: list[str] = []
    known = {d.path for d in handbook.published_documents()} | set(handbook.attachments)
    content = site_content(handbook, stamp=settings.stamp, previous_catalog=settings.previous_catalog,
                           guide_folder=settings.guide_folder, accessibility=settings.accessibility, known=known)
    generated, history, originals, blocks = content.pages, content.history, content.originals, content.blocks
    the_catalog = content.catalog
    pages, others, withheld = withheld_content(handbook, settings.site_url)
    withheld_paths = pages | others  # no plugin checks the HTML: Markdown links to withheld files go too
    partials = _partials(settings.theme_dirs)
    processes = {f"processer/{p.id}.md": p for p in handbook.published_processes()}

    def _hide(markdown: str, url: str, src_uri: str) -> str:
        markdown = hide_markdown_links(markdown, src_uri, withheld_paths)  # Markdown links to withheld pages and files
        markdown = hide_markdown_addresses(markdown, url, src_uri, withheld)  # … and to any withheld address
        return hide_html_links(markdown, url, src_uri, withheld)  # every tag and absolute address

    def checked(src_uri: str, markdown: str, removed: list[str]) -> str:
        """What the plugin checks in the produced HTML, checked in the Markdown (or HTML block) an engine will read."""
        markdown = _hide(markdown, document_url(src_uri), src_uri)
        if src_uri in originals:  # an archived text is read from its original address too
            original_url, original_src = originals[src_uri]
            markdown = _hide(markdown, original_url, original_src or src_uri)
        if not settings.allow_scripts:
            markdown, gone = strip_scripts(markdown)
            removed.extend(gone)
        return markdown

    def finish(src_uri: str, markdown: str, removed: list[str] | None = None) -> str:
        removed = list(removed or [])
        markdown = checked(src_uri, markdown, removed)
        if removed:
            warnings.append(f"{handbook.report_path(handbook.docs_dir / src_uri)}:1: warning: sidan innehöll skript som "
                            f"togs bort ({', '.join(dict.fromkeys(removed))}), eftersom allow_scripts är false i mkdocs.yml")
        return markdown

    carried = HtmlBlocks()  # the blocks of every page, each checked for its page: handbook-blocks.json

    def written_out(src_uri: str, markdown: str, removed: list[str]) -> str:
        """The page's HTML blocks in handbook-blocks.json, checked for the page (or, standalone, in the Markdown)."""
        if settings.standalone:
            return blocks.inline(markdown)
        return blocks.carried_by(markdown, carried, lambda html: checked(src_uri, html, removed))

    titles: dict[str, str] = {}
    for doc in handbook.published_documents():
        if doc.path in generated or not doc.path.endswith(".md"):
            continue
        body = doc.body
        removed: list[str] = []
        if expand_macros is not None and doc.meta.get("render_macros") is True:  # macros carry blocks as pages do
            body = written_out(doc.path, expand_macros(doc, hide_markdown_links(body, doc.path, withheld_paths), blocks),
                               removed)
        meta = {**doc.meta, "title": doc.title}
        meta = for_theme(meta, doc.dropped_keys)
        view = None
        if doc.governed:
            meta = with_governance(meta, handbook, doc)
            view = document_view(handbook, doc)
            view.history = history.get(handbook.report_path(handbook.docs_dir / doc.path), [])
            view.feedback = feedback(handbook, doc, document_url(doc.path), settings.site_url, settings.feedback_url)
        titles[doc.path] = doc.title
        put(f"{DOCS}/{doc.path}", finish(doc.path, _page(meta, body, view, doc.path, partials), removed))
    for src_uri, markdown in generated.items():
        front, body = _split(markdown)
        title = front.get("title") if isinstance(front.get("title"), (str, int, float)) else None
        title = str(title) if title is not None else _first_heading(body) or src_uri
        meta = for_theme({**front, "title": title})
        view = None
        if src_uri in processes:
            process = processes[src_uri]
            meta = with_governance(meta, handbook, process)
            view = process_view(handbook, process)
            view.history = history.get(process.path, [])
            view.feedback = feedback(handbook, process, document_url(src_uri), settings.site_url, settings.feedback_url)
        else:
            meta = overview(meta)
        titles[src_uri] = title
        removed = []
        body = written_out(src_uri, body, removed)
        put(f"{DOCS}/{src_uri}", finish(src_uri, _page(meta, body, view, src_uri, partials), removed))
    for src_uri in sorted(handbook.attachments):
        put(f"{DOCS}/{src_uri}", (handbook.docs_dir / src_uri).read_bytes())
    assets = PACKAGE / "assets"
    css, scripts = [], []
    for path in sorted(assets.rglob("*"), key=lambda p: (not p.name.startswith("mermaid"), p.as_posix())):
        if path.is_file():
            uri = ASSETS + path.relative_to(assets).as_posix()
            put(f"{DOCS}/{uri}", path.read_bytes())
            if path.suffix == ".css":
                css.append(uri)
            elif path.suffix == ".js" and path.parent == assets:
                scripts.append(uri)
    put(f"{DOCS}/{settings.catalog_file}", json.dumps(the_catalog, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
    if not settings.standalone:
        put(BLOCKS_FILE, carried.dumps())
    nav = _nav(klassa_tree(handbook, titles, settings.guide_folder), titles)
    put("mkdocs.yml", _mkdocs_yml(settings, nav, css, scripts, warnings))
    return Exported(target, pages=len(titles), files=len(written) + 1, warnings=warnings)


def _split(markdown: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(markdown)
    if not match:
        return {}, markdown
    data = yaml.safe_load(match.group(1))
    return (data if isinstance(data, dict) else {}), markdown[match.end():]


def _first_heading(body: str) -> str | None:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", body, re.M)
    return match.group(1) if match else None


def _has_h1(body: str) -> bool:
    """Whether the Markdown renders an h1 of its own (as the theme checks the rendered page); code is not read."""
    return bool(_H1.search(_FENCE.sub("", body)))


def _front_matter(meta: dict) -> str:
    """Front matter as JSON (which YAML reads): every value quoted, nothing read as a YAML tag or alias."""
    plain = {k: v for k, v in _plain(meta).items() if k not in NOT_CARRIED}
    return "---\n" + json.dumps(plain, ensure_ascii=False, indent=1, default=str) + "\n---\n\n"


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)  # a Markup value as the text it is
    return value


def _page(meta: dict, body: str, view: ItemView | None, src_uri: str, partials: jinja2.Environment) -> str:
    """The page's Markdown: as the handbook's content partial lays out the plugin's page: banners, the
    title when the page has no h1 of its own, the card, the text, the history."""
    if view is None:
        return _front_matter(meta) + body
    context = {"handbook": view, "base_url": _base_url(document_url(src_uri))}
    top = [partials.get_template("partials/handbook/banners.html").render(context)]
    if not _has_h1(body):
        top.append(f"<h1>{markupsafe.escape(meta.get('title', ''))}</h1>")
    top.append(partials.get_template("partials/handbook/card.html").render(context))
    bottom = ""
    if view.history or view.reviews:
        bottom = partials.get_template("partials/handbook/history.html").render(context)
    parts = [_html_block(html) for html in top if html.strip()]
    return (_front_matter(meta) + "".join(parts) + body.rstrip("\n") + "\n"
            + (_html_block(bottom) if bottom.strip() else ""))


def _html_block(html: str) -> str:
    """HTML that Markdown keeps as one raw block: no blank line inside, blank lines around."""
    return "\n" + "\n".join(line for line in html.splitlines() if line.strip()) + "\n\n"


def _base_url(page_url: str) -> str:
    depth = page_url.strip("/").count("/") + 1 if page_url.strip("/") else 0
    return "/".join([".."] * depth) or "."


def _partials(theme_dirs: list[str]) -> jinja2.Environment:
    """The theme's own partials of the card, banners and history (a municipality's overrides first)."""
    dirs = [d for d in theme_dirs if Path(d).is_dir()]
    return jinja2.Environment(loader=jinja2.FileSystemLoader([*dirs, str(PACKAGE / "theme")]), autoescape=False)


# -- mkdocs.yml --------------------------------------------------------------------


def _nav(items: list, titles: dict[str, str]) -> list:
    """`nav:` entries: each title escaped once for the theme (which prints it as HTML), YAML quoting by the dumper."""
    nav = []
    for item in items:
        if isinstance(item, NavPage):
            nav.append({str(markupsafe.escape(titles[item.src_uri])): item.src_uri})
        elif isinstance(item, NavSection):
            nav.append({str(markupsafe.escape(item.title)): _nav(item.children, titles)})
    return nav


class _Dumper(yaml.Dumper):
    """YAML with the project's own Python names kept (`!!python/name:` of a Markdown extension's option)."""

    def ignore_aliases(self, data) -> bool:
        return True


def _extensions(found: list, standalone: bool, warnings: list[str]) -> list:
    """The project's Markdown extensions, the core's by their current names, and the HTML blocks' extension
    with its file; with `standalone` none of the handbook package's (the host does not have it)."""
    extensions = []
    for item in found:
        name = item if isinstance(item, str) else next(iter(item), "") if isinstance(item, dict) else ""
        if name in RENAMED:
            name, item = RENAMED[name], (RENAMED[name] if isinstance(item, str) else {RENAMED[name]: item[name]})
        if name == BLOCKS_EXTENSION:
            continue
        if standalone and name.startswith("handbook."):
            warnings.append(f"mkdocs.yml: warning: --standalone: tillägget {name} skrivs inte in i exportens mkdocs.yml, "
                            "eftersom paketet handbook saknas där den byggs"
                            + ("; kryssrutorna i checklistor får då inget namn för skärmläsare" if name == TASKLIST else "")
                            + ". Gör så här: installera handbook där exporten byggs och exportera utan --standalone")
            continue
        extensions.append(item)
    if not standalone:
        extensions.append({BLOCKS_EXTENSION: {"file": BLOCKS_FILE}})
    return extensions


def _mkdocs_yml(settings: ExportSettings, nav: list, css: list[str], scripts: list[str], warnings: list[str]) -> str:
    config = dict(settings.config)
    config["markdown_extensions"] = _extensions(list(config.get("markdown_extensions") or []), settings.standalone, warnings)
    extra = dict(config.get("extra") or {})
    add_theme_titles(extra)
    config["extra"] = extra
    config["docs_dir"] = DOCS
    config["use_directory_urls"] = True
    config["extra_css"] = [*settings.extra_css, *css]
    config["extra_javascript"] = [*settings.extra_javascript, *scripts]
    config["nav"] = nav
    header = ("# Skriven av `handbook export`: en vanlig MkDocs-konfiguration utan handbokens plugin.\n"
              "# Bygg med `mkdocs build` (Material) eller `zensical build`. Ändra inte här: exportera igen.\n"
              + ("" if settings.standalone else
                 f"# Bygg i den här mappen, där paketet handbook är installerat ({BLOCKS_EXTENSION} läser {BLOCKS_FILE}).\n"))
    return header + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                              default_flow_style=False)
