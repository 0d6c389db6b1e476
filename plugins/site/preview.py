"""`handbook preview`: the plugin builds one part of the handbook when the environment asks for it.

    HANDBOOK_PREVIEW_KLASSA=2.3    documents and processes under Klassa 2.3
    HANDBOOK_PREVIEW_FOLDER=hr     documents in docs/hr/ and the processes that name them

`handbook preview` sets one of them for `mkdocs serve`; they work the same for `mkdocs build`.
The whole handbook is read and checked as always; the site holds the part's documents and
processes, every free page and the generated pages for the part (its Klassa branches, its
process pages, the role pages of the roles it names, the process landscape, revision list and
catalog of the part). A link that leaves the part leads nowhere in the preview, so MkDocs
reports such links as INFO instead of warnings; problems in files outside the part are counted,
not listed (`handbook check` lists them all).

`handbook preview` serves with `--dirty`: after the first build MkDocs reads only the pages whose
files changed. The others keep no title of their own, so the plugin gives them theirs again
(`unread_pages`), or every rebuilt page would list them as "None" in its navigation.
"""

from __future__ import annotations

import logging
import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ..core.handbook import Handbook
from ..core.part import FOLDER_VARIABLE, KLASSA_VARIABLE, HandbookPart, Selection, check, part_of, problems_in
from ..core.problems import Problem
from ..core.pages.roles import INDEX as ROLES_INDEX
from ..core.pages.roles import page_uri as role_page

def selection_from(environ=os.environ) -> Selection:
    return Selection(klassa=environ.get(KLASSA_VARIABLE, ""), folder=environ.get(FOLDER_VARIABLE, ""))


class _DirtyNotice(logging.Filter):
    """`handbook preview` asks for `mkdocs serve --dirty` on purpose; MkDocs' English warning about it is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "A 'dirty' build is being performed" not in record.getMessage()


_DIRTY_NOTICE = _DirtyNotice()


def unread_pages(files: Files) -> list[Page]:
    """The pages a dirty rebuild did not read (their source and title are still None)."""
    return [file.page for file in files.documentation_pages() if file.page is not None and file.page.markdown is None]


def prepare(config: MkDocsConfig) -> None:
    """Links that leave the part are INFO, not warnings; the preview's own dirty rebuilds pass quietly."""
    config.validation.links.not_found = logging.INFO
    build_log = logging.getLogger("mkdocs.commands.build")
    if _DIRTY_NOTICE not in build_log.filters:
        build_log.addFilter(_DIRTY_NOTICE)


def restrict(handbook: Handbook, selection: Selection, files: Files, log: logging.Logger) -> tuple[HandbookPart, list[Problem]]:
    """The part as the handbook the site is built from, its problems, and `files` without the rest."""
    message = check(handbook, selection)
    if message:
        raise PluginError(f"handbook preview: {message} ({KLASSA_VARIABLE} / {FOLDER_VARIABLE})")
    part = part_of(handbook, selection)
    for doc in handbook.governed():
        if doc.path not in part.kept_documents:
            file = files.get_file_from_path(doc.path)
            if file is not None:
                files.remove(file)
    shown, hidden = problems_in(part)
    elsewhere = f"; {hidden} problem i resten av handboken visas inte (handbook check visar alla)" if hidden else ""
    log.info(f"handbook preview: {selection.describe()}: {len(part.kept_documents)} dokument och "
             f"{len(part.kept_processes)} processer{elsewhere}")
    return part, shown


def needed_pages(part: HandbookPart, pages: dict[str, str]) -> dict[str, str]:
    """The generated pages without the role pages of roles the part does not name."""
    roles = set()
    for doc in part.published_governed():
        roles.update([doc.owner, *doc.roles])
    for process in part.published_processes():
        roles.update([process.owner, process.leader, *process.team, *(step.role for step in process.steps)])
    other_roles = {role_page(r) for r in part.roles.roles if r not in roles}
    return {uri: text for uri, text in pages.items() if uri not in other_roles or uri == ROLES_INDEX}
