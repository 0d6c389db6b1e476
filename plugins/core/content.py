"""What a site of the handbook holds besides the authors' own pages, for both adapters.

The MkDocs plugin (`site/plugin.py`) and `handbook export` (`core/export.py`) call the same two
functions, so the generated pages, the version archive, the history, `handbook.json` and what
link hiding withholds cannot differ between a build with the plugin and a build of the export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .archive import Archive, link_history, version_archive
from .catalog import catalog
from .gate import is_page
from .handbook import Handbook
from .history import handbook_history, read_file_log
from .html_blocks import HtmlBlocks
from .pages import SiteInfo, generated_pages
from .pages import archive as archive_pages
from .withheld import Withheld, withheld_targets


@dataclass
class Content:
    history: dict  # Handbook.report_path → versions, newest first (core/history.py)
    archive: Archive
    catalog: dict  # handbook.json
    blocks: HtmlBlocks  # the generated pages' HTML blocks
    pages: dict[str, str]  # src_uri → Markdown: the generated pages and, unless left out, the archived versions
    originals: dict[str, tuple[str, str]] = field(default_factory=dict)  # archived page → (current URL, source)


def site_content(handbook: Handbook, *, stamp: dict | None, previous_catalog: dict | None, guide_folder: str,
                 accessibility, known: set[str], archived: bool = True,
                 select: Callable[[dict[str, str]], dict[str, str]] | None = None) -> Content:
    """The generated pages (through `select`, e.g. the preview's part), the archived versions when
    `archived` (their links written again knowing the `known` src_uris of the site), history and catalog."""
    git_files = read_file_log(handbook)  # one git log and one git cat-file for every file
    history = handbook_history(handbook, git_files)
    archive = version_archive(handbook, git_files)  # every decided version (core/archive.py)
    link_history(history, archive)
    blocks = HtmlBlocks()
    found = catalog(handbook, stamp=stamp, archive=archive)
    site = SiteInfo(previous_catalog=previous_catalog, catalog=found, stamp=stamp, blocks=blocks,
                    guide_folder=guide_folder, accessibility=accessibility)
    pages = generated_pages(handbook, site)
    if select is not None:
        pages = select(pages)
    content = Content(history, archive, found, blocks, pages)
    if archived:  # the archived versions, their links written again from the archive's addresses
        pages.update(archive_pages.pages(handbook, site, archive, set(pages) | set(known)))
        content.originals = archive_pages.originals(archive)
    return content


def withheld(handbook: Handbook, site_url: str = "") -> tuple[set[str], set[str], Withheld]:
    """What link hiding keeps out: the src_uris of withheld pages and of other withheld files, and every
    address of withheld content."""
    pages = {p for p, d in handbook.documents.items() if not handbook.is_published(d)}
    pages |= {u for u in handbook.withheld_files if is_page(u)}
    processes = {i for i, p in handbook.processes.items() if not handbook.is_published(p)}
    others = {u for u in handbook.withheld_files if not is_page(u)}
    return pages, others, Withheld(withheld_targets(pages, processes, others), site_url)
