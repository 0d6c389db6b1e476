"""The `handbook` MkDocs plugin: a thin adapter from MkDocs events to the core.

Event order (MkDocs 1.x):
- on_config: settings, theme templates and assets of the package.
- on_files: read the whole handbook once, report its problems, leave out classified
  pages and add the generated ones (Klassa, processes, roles, revision).
- on_nav: replace the navigation with the Klassa tree.
- on_page_*: lossless metadata, hidden links to withheld content, the card's view.
- on_post_build: write `handbook.json`.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import os
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..core.gate import symlink_loops
from ..core.handbook import Handbook, SettingsError, today_from_env
from ..core.feedback import feedback
from . import guard, material_nav, page_meta, project, scripts, sources, withheld
from ..core.html_blocks import HtmlBlocks, HtmlBlocksExtension
from .config import HandbookConfig

# The navigation, the generated pages, publishing, preview and PDF are imported in the hooks that use them: MkDocs
# imports this module whenever it reads mkdocs.yml, also for `handbook check` (issue 19: ≤ 1 s).

log = logging.getLogger("mkdocs.plugins.handbook")
PACKAGE = Path(__file__).resolve().parent.parent
EMPTY_FRONT_MATTER = "---\n{}\n---\n"  # MkDocs reads it as no metadata at all


def _pin_build_date(today) -> None:
    """With HANDBOOK_TODAY set, MkDocs' own dates (sitemap, gzip header) follow it: builds repeat byte for byte."""
    if os.environ.get("HANDBOOK_TODAY") and not os.environ.get("SOURCE_DATE_EPOCH"):
        midnight = datetime.datetime.combine(today, datetime.time(), datetime.timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))


def guarded(event):
    """No input may show a Python traceback: an unexpected failure becomes a plain MkDocs error."""

    @functools.wraps(event)
    def run(self, *args, **kwargs):
        try:
            return event(self, *args, **kwargs)
        except PluginError:
            raise
        except Exception as exc:
            log.debug("handbook: %s failed", event.__name__, exc_info=True)
            raise PluginError(f"handbook: internt fel i {event.__name__} ({type(exc).__name__}: {exc}). "
                              "Kör med --verbose för detaljer och rapportera felet till handbokens förvaltare.") from None

    return run


def _keep_directory_urls(config: MkDocsConfig) -> None:
    """The contract's addresses are folders (`processer/<id>/`), and every generated link is written so.

    `use_directory_urls: false` would leave those links pointing at folders that do not exist, so it
    is overruled with a warning that names the line.
    """
    if config.use_directory_urls:
        return
    path = Path(config.config_file_path or "mkdocs.yml")
    lines = path.read_text("utf-8").splitlines() if path.is_file() else []
    line = next((n for n, text in enumerate(lines, 1) if text.startswith("use_directory_urls")), None)
    where, fix = (f"{path.name}:{line}", "Ta bort raden.") if line else (path.name, "Bygg utan --no-directory-urls.")
    log.warning(f"{where}: warning: use_directory_urls: false stöds inte: handbokens adresser är "
                f"mappar (processer/<id>/), och sidorna byggs så ändå. {fix}")
    config.use_directory_urls = True


def _script_order(path: Path) -> tuple:
    """Libraries (such as mermaid) load before the handbook's own scripts."""
    return (not path.name.startswith("mermaid"), path.as_posix())


class HandbookPlugin(BasePlugin[HandbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.handbook: Handbook | None = None
        self.blocks = HtmlBlocks()
        self.process_pages: dict[str, str] = {}
        self.archive_originals: dict[str, tuple[str, str]] = {}

    # -- configuration -------------------------------------------------------

    @guarded
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.started = time.monotonic()  # the build's own time is the PDFs' default time limit
        try:
            today = today_from_env()
        except SettingsError as exc:
            raise PluginError(str(exc)) from None
        _pin_build_date(today)
        _keep_directory_urls(config)
        page_meta.add_theme_titles(config.extra)
        if loops := symlink_loops(Path(config.docs_dir)):  # MkDocs would follow them before any plugin runs again
            raise PluginError(f"{loops[0]}: error: den symboliska länken pekar på en mapp som innehåller länken själv; "
                              "bygget skulle aldrig bli klart. Ta bort länken")
        from ..core.publishing import LABEL_VARIABLE, PREVIOUS_VARIABLE, CatalogError, load_catalog, version_stamp
        from . import preview

        self.preview = preview.selection_from()  # `handbook preview`: build one part of the handbook
        if self.preview:
            preview.prepare(config)
        root = Path(config.config_file_path or ".").resolve().parent
        self.settings = project.core_settings(self.config, today, project.add_theme_dirs(config, root, self.config.overrides_dir))
        self.processes_dir = (root / self.config.processes_dir).resolve()
        self.root = root
        # Publishing: the version stamp and the previous published catalog ("Nytt och ändrat").
        self.stamp = version_stamp(root, today, os.environ.get(LABEL_VARIABLE, ""))
        previous = os.environ.get(PREVIOUS_VARIABLE) or self.config.previous_catalog
        try:
            self.previous_catalog = load_catalog(root / previous) if previous else None
        except CatalogError as exc:
            raise PluginError(str(exc)) from None
        self.overrides_dir = root / self.config.overrides_dir
        # The generated pages' searched HTML blocks are put back by a Markdown extension of the core (the
        # one an export names too), reading this build's blocks; the unsearched ones in on_post_page.
        config.markdown_extensions[:] = [e for e in config.markdown_extensions if not isinstance(e, HtmlBlocksExtension)]
        config.markdown_extensions.append(HtmlBlocksExtension(source=lambda: self.blocks))
        for path in sorted((PACKAGE / "assets").rglob("*"), key=_script_order):
            uri = "assets/handbook/" + path.relative_to(PACKAGE / "assets").as_posix()
            if path.suffix == ".css" and uri not in config.extra_css:
                config.extra_css.append(uri)
            # Scripts in sub-folders are libraries a script loads on demand (mermaid/: mermaid-loader.js).
            elif path.suffix == ".js" and path.parent == PACKAGE / "assets" and uri not in config.extra_javascript:
                config.extra_javascript.append(uri)
        return config

    # -- reading -------------------------------------------------------------

    @guarded
    @event_priority(50)  # before search and other plugins see the files
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        from ..core.content import site_content
        from ..core.pages import accessibility
        from . import preview

        self.handbook = Handbook.load(self.root, config.docs_dir, self.processes_dir, self.settings,
                                      sources=sources.docs_sources(files, config),
                                      config_refs=sources.config_references(config))
        problems = self.handbook.problems
        if self.preview:
            self.handbook, problems = preview.restrict(self.handbook, self.preview, files, log)
        for problem in problems:
            log.warning(str(problem))
        self._withhold(files, config)
        guard.clear()  # what is withheld is gone: the Markdown extension lets pages render
        found = site_content(  # generated pages, version archive, history, handbook.json (core/content.py)
            self.handbook, stamp=self.stamp, previous_catalog=self.previous_catalog, guide_folder=self.config.guide_folder,
            accessibility=accessibility.statement(self.config.accessibility, config),
            known={f.src_uri for f in files}, archived=not self.preview,
            select=(lambda found: preview.needed_pages(self.handbook, found)) if self.preview else None)
        self.history, self.archive, self.catalog = found.history, found.archive, found.catalog
        self.blocks = found.blocks  # the generated pages' HTML blocks, put back when each page is rendered
        self.archive_originals = found.originals
        pages = found.pages
        for src_uri, content in pages.items():
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, src_uri, content=content))
        self.process_pages = {f"processer/{p.id}.md": p.id for p in self.handbook.published_processes()}
        self._add_assets(files, config)
        return files

    def _withhold(self, files: Files, config: MkDocsConfig) -> None:
        """Default deny: of the files MkDocs found, only what the handbook read and cleared stays."""
        from ..core.content import withheld as withheld_content

        handbook = self.handbook
        for file in list(files):
            if file.abs_src_path is None or file.generated_by is not None:
                continue  # another plugin's own page
            if sources.in_folder(file.abs_src_path, config.docs_dir):
                keep = handbook.publishes(file.src_uri)
            elif outside := sources.outside_theme(file, config):
                log.warning(f"{outside}: error: filen är en symbolisk länk ut ur temamappen (overrides/) och publiceras inte; "
                            "lägg filen i mappen i stället för en länk till den")
                keep = False
            else:
                keep = True
            if not keep:
                files.remove(file)
        self.withheld_paths, _, self.withheld = withheld_content(handbook, config.site_url or "")

    def _add_assets(self, files: Files, config: MkDocsConfig) -> None:
        assets = PACKAGE / "assets"
        for path in sorted(assets.rglob("*")):
            if path.is_file():
                src_uri = "assets/handbook/" + path.relative_to(assets).as_posix()
                files.append(File.generated(config, src_uri, abs_src_path=str(path)))

    @guarded
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        from .navigation import klassa_navigation

        pages = {page.file.src_uri: page for page in nav.pages}
        return klassa_navigation(self.handbook, pages, self.config.guide_folder)

    # -- pages ---------------------------------------------------------------

    @guarded
    def on_page_read_source(self, page: Page, config: MkDocsConfig) -> str | None:
        """The body as the handbook read it, behind an empty front matter: MkDocs parses no YAML of
        its own (no second, unbounded reading); the page's meta is the handbook's (on_page_markdown)."""
        doc = self.handbook.documents.get(page.file.src_uri)
        return None if doc is None else EMPTY_FRONT_MATTER + doc.body

    @guarded
    @event_priority(50)  # before mkdocs-macros renders the page
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        self._set_meta(page)
        return withheld.hide_markdown_links(markdown, page.file.src_uri, self.withheld_paths)

    def _set_meta(self, page: Page) -> None:
        doc = self.handbook.documents.get(page.file.src_uri)
        if doc is not None:
            page.meta = {**doc.meta, "title": doc.title}
        # Material prints its keys unescaped (nav, <title>, header, <meta>): escaped once here.
        page.meta = page_meta.for_theme(page.meta, doc.dropped_keys if doc is not None else ())
        # Search and the side navigation speak the status language (page_meta.py).
        item = doc if doc is not None and doc.governed else self.handbook.processes.get(self.process_pages.get(page.file.src_uri, ""))
        if item is not None:
            page.meta = page_meta.with_governance(page.meta, self.handbook, item)
        elif page.file.generated_by == "handbook":
            page.meta = page_meta.overview(page.meta)

    @guarded
    @event_priority(-100)  # last: whatever other plugins wrote into the page is checked too
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.config.allow_scripts:
            html, removed = scripts.strip_scripts(html)
            if removed:
                path = self.handbook.report_path(self.handbook.docs_dir / page.file.src_uri)
                log.warning(f"{path}:1: warning: sidan innehöll skript som togs bort ({', '.join(dict.fromkeys(removed))}), "
                            "eftersom allow_scripts är false i mkdocs.yml; ta bort dem ur sidan")
        html = withheld.hide_html_links(html, page.url, page.file.src_uri, self.withheld)
        if page.file.src_uri in self.archive_originals:  # an archived text is read from its original address too
            url, src_uri = self.archive_originals[page.file.src_uri]
            html = withheld.hide_html_links(html, url, src_uri or page.file.src_uri, self.withheld)
            # Out of sitemap.xml (rendered before the pages; MkDocs lists a page there only with an address).
            page.canonical_url = page.abs_url = None
        return html

    @guarded
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # Lists that only repeat other pages' titles are put back after search has read the page.
        output = self.blocks.restore_unsearched(
            output, lambda block: withheld.hide_html_links(block, page.url, page.file.src_uri, self.withheld))
        if page.file.src_uri in self.archive_originals:
            # An archived version is found from its document's version list, not by an intranet crawler.
            output = output.replace("<head>", '<head>\n    <meta name="robots" content="noindex">', 1)
        return output

    @guarded
    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav: Navigation):
        from ..core import pdf as controlled_pdf
        from ..core.views import ItemView, document_view, process_view

        doc = self.handbook.documents.get(page.file.src_uri)
        if doc is not None and doc.governed:
            context["handbook"] = document_view(self.handbook, doc)
        elif page.file.src_uri in self.process_pages:
            context["handbook"] = process_view(self.handbook, self.handbook.processes[self.process_pages[page.file.src_uri]])
        if isinstance(context.get("handbook"), ItemView):
            context["handbook"].history = self._history_of(page.file.src_uri)
            item = doc if doc is not None and doc.governed else self.handbook.processes[self.process_pages[page.file.src_uri]]
            context["handbook"].feedback = feedback(self.handbook, item, page.url, config.site_url or "", self.config.feedback_url)
            if controlled_pdf.enabled(self.config.pdf, os.environ) and not getattr(self, "serving", False):
                context["handbook"].pdf = controlled_pdf.pdf_url(page.url)
        return context

    def _history_of(self, src_uri: str) -> list:
        """The git history of a page's source file: the document, or the process's .yml."""
        if src_uri in self.process_pages:
            path = self.handbook.processes[self.process_pages[src_uri]].path
        else:
            path = self.handbook.report_path(self.handbook.docs_dir / src_uri)
        return self.history.get(path, [])

    @guarded
    def on_env(self, env, config: MkDocsConfig, files: Files):
        from . import preview

        env.globals["handbook_stamp"] = self.stamp  # the footer's version stamp, on every page
        for page in preview.unread_pages(files):  # skipped by a dirty rebuild; the navigation needs their titles
            page.read_source(config)
            self._set_meta(page)
        features = config.theme.get("features") or []
        if self.config.fast_navigation and material_nav.stands_in(env, features):
            env.globals["handbook_navigation"] = material_nav.PrimaryNavigation(env, config, features)
        return env

    # -- output --------------------------------------------------------------

    @guarded
    def on_post_build(self, config: MkDocsConfig) -> None:
        from ..core import pdf as controlled_pdf

        target = Path(config.site_dir) / self.config.catalog_file
        target.write_text(json.dumps(self.catalog, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        if controlled_pdf.enabled(self.config.pdf, os.environ) and not getattr(self, "serving", False):
            from ..core.pdf_print import PrintError, write_pages

            previous = os.environ.get(controlled_pdf.PDF_PREVIOUS_VARIABLE)
            limit = controlled_pdf.time_limit(self.config.pdf_time_limit, os.environ, time.monotonic() - self.started)
            try:
                write_pages(Path(config.site_dir), self.handbook, config.site_url or "", self.handbook.settings.today,
                            Path(previous) if previous else None, log=log.info, time_limit=limit)
            except PrintError as exc:
                raise PluginError(f"PDF: {exc}") from None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"  # a preview prints no PDFs: every rebuild would print them all

    @guarded
    def on_serve(self, server, config: MkDocsConfig, builder):
        for folder in (self.processes_dir, self.overrides_dir):
            if folder.is_dir():
                server.watch(str(folder))
        return server
