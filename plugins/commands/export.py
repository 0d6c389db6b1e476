"""`handbook export DIR`: the handbook as an ordinary MkDocs-format project (see core/export.py).

This command is the adapter's MkDocs side: it reads mkdocs.yml with MkDocs' own loading (as every
command does), takes over what an engine without the plugin can use (theme, Markdown extensions
without the guard, the project's own stylesheets and scripts) and runs the macros of pages with
`render_macros: true` through the same macro functions the build uses.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from types import SimpleNamespace

from ..core.export import ExportError, ExportSettings, export
from ..core.handbook import SettingsError
from ..core.html_blocks import HtmlBlocks
from ..core.macro_calls import cannot_run
from ..core.page_meta import add_theme_titles  # noqa: F401 - the export adds the theme's titles itself
from ..core.publishing import LABEL_VARIABLE, PREVIOUS_VARIABLE, CatalogError, load_catalog, version_stamp
from ..site.project import Project, load_project
from . import bpmn

GUARD = "handbook.site.guard"
THEME_KEYS = ("name", "language", "features", "palette", "font", "logo", "favicon", "icon")


def register(sub) -> None:
    parser = sub.add_parser("export", help="skriv handboken som ett vanligt MkDocs-projekt som byggs utan handbokens plugin "
                                           "(till exempel med Zensical)")
    parser.add_argument("folder", metavar="MAPP", help="mappen som projektet skrivs till: tom, ny eller en tidigare export; "
                                                       "eller bpmn: handbook export bpmn PROCESS-ID [-o FIL]")
    parser.add_argument("process_id", nargs="?", default="", metavar="PROCESS-ID", help="med bpmn: processen som exporteras")
    parser.add_argument("--standalone", action="store_true",
                        help="för en byggvärd utan paketet handbook: HTML-blocken skrivs in i sidorna (långsammare bygge) "
                             "och inga handbook-tillägg listas i mkdocs.yml")
    parser.add_argument("--force", action="store_true",
                        help="skriv över en tidigare export även när mappen också har andra filer (de lämnas kvar)")
    bpmn.add_export_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.folder == "bpmn":  # handbook export bpmn PROCESS_ID: one process as BPMN 2.0 XML (commands/bpmn.py)
        return bpmn.run_export_bpmn(args)
    if args.process_id:
        raise SettingsError(f"okänt argument {args.process_id}: handbook export MAPP skriver hela handboken; "
                            "en process som BPMN exporteras med handbook export bpmn PROCESS-ID")
    project = load_project(args.root)
    handbook = project.handbook()
    for problem in handbook.problems:
        print(problem, file=sys.stderr)
    target = Path(args.folder)
    if not target.is_absolute():
        target = Path.cwd() / target
    if _inside(target, project.docs_dir) or _inside(project.docs_dir, target):
        raise SettingsError(f"{target}: exporten kan inte ligga i docs/ eller innehålla den; välj en mapp utanför handboken")
    try:
        chosen = settings(project)
        chosen.standalone = getattr(args, "standalone", False)
        result = export(handbook, chosen, target, expand_macros=macro_expander(project, handbook), force=args.force)
    except ExportError as exc:
        print(f"handbook: fel: {exc}", file=sys.stderr)
        return 2
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    print(f"Exporterade {result.pages} sidor till {result.folder}. Bygg med `mkdocs build` eller `zensical build` i mappen.")
    return 0


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def settings(project: Project) -> ExportSettings:
    config, options = project.config, project.options
    today = project.settings.today
    previous = os.environ.get(PREVIOUS_VARIABLE) or options.previous_catalog
    try:
        previous_catalog = load_catalog(project.root / previous) if previous else None
    except CatalogError as exc:
        raise SettingsError(str(exc)) from None
    from ..core.pages import accessibility
    quiet = logging.getLogger("mkdocs.plugins.handbook")
    level, quiet.level = quiet.level, logging.ERROR  # `handbook check` reports an incomplete statement
    try:
        statement = accessibility.statement(options.accessibility, config)
    finally:
        quiet.level = level
    carried = {key: config.get(key) for key in ("site_name", "site_description", "site_author", "site_url", "copyright",
                                                 "repo_url", "repo_name", "edit_uri") if config.get(key)}
    theme = {key: config.theme[key] for key in THEME_KEYS if key in config.theme and config.theme[key] not in (None, "")}
    carried["theme"] = {"name": "material", **{k: v for k, v in theme.items() if k != "name"}}
    search = config.plugins.get("search") or config.plugins.get("material/search")
    carried["plugins"] = [{"search": {"lang": search.config.lang}}] if search is not None and search.config.get("lang") else ["search"]
    carried["markdown_extensions"] = _extensions(config)
    carried["extra"] = dict(config.extra or {})
    return ExportSettings(
        config=carried, theme_dirs=[d for d in config.theme.dirs if "material" not in Path(d).parts[-2:]],
        site_url=project.site_url, guide_folder=options.guide_folder, feedback_url=options.feedback_url,
        allow_scripts=options.allow_scripts, catalog_file=options.catalog_file, accessibility=statement,
        previous_catalog=previous_catalog, stamp=version_stamp(project.root, today, os.environ.get(LABEL_VARIABLE, "")),
        extra_css=[str(getattr(s, "path", s)) for s in config.extra_css],
        extra_javascript=[str(getattr(s, "path", s)) for s in config.extra_javascript])


def _extensions(config) -> list:
    """The project's Markdown extensions with their options, less the guard (the export is already gated).
    MkDocs' own defaults (toc, tables, fenced_code) come first in its list; they are written as the project has them."""
    found = []
    for name in config.markdown_extensions:
        if name == GUARD or not isinstance(name, str):
            continue
        options = config.mdx_configs.get(name)
        found.append({name: options} if options else name)
    return found


def macro_expander(project: Project, handbook):
    """The macros of a page with `render_macros: true`, run as mkdocs-macros runs them (the same
    functions, a Jinja environment like its own, includes only of published files)."""
    from jinja2 import DebugUndefined, Environment, FileSystemLoader

    from ..site import macros

    functions: dict = {}
    plugin = SimpleNamespace(handbook=handbook, blocks=HtmlBlocks())
    env = SimpleNamespace(conf=SimpleNamespace(plugins={"handbook": plugin}), page=None, markdown="",
                          macro=lambda f: functions.setdefault(f.__name__, f))
    macros.define_env(env)
    loader = macros.PublishedOnly(FileSystemLoader([str(project.docs_dir)]), lambda: handbook)
    jinja = Environment(loader=loader, undefined=DebugUndefined)
    jinja.globals.update(functions)

    def expand(doc, markdown: str, blocks: HtmlBlocks) -> str:
        env.page = SimpleNamespace(file=SimpleNamespace(src_uri=doc.path), meta=doc.meta)
        env.markdown = markdown
        plugin.blocks = blocks  # the macros' HTML blocks go where the generated pages' go (core/export.py)
        try:
            return jinja.from_string(markdown).render(**{k: v for k, v in doc.meta.items() if isinstance(k, str)})
        except Exception as error:  # noqa: BLE001 - as the build: a Swedish message on the page and in the log
            message = cannot_run(error)
            print(f"{handbook.report_path(handbook.docs_dir / doc.path)}:{doc.body_line}: error: {message}", file=sys.stderr)
            return macros.error_html(message)

    return expand
