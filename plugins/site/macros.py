"""Macros for free pages (mkdocs-macros): lists that stay current without editing by hand.

    {{ documents(klassa="2.3", owner="hr-chef", doc_type="rutin", state="fastställd") }}
    {{ process_steps("rekrytering") }}
    {{ role_responsibilities("hr-chef") }}

mkdocs.yml loads this module (`modules: [handbook.site.macros]`) with `render_by_default: false`:
only a page whose front matter says `render_macros: true` is rendered, so Mermaid's `{{ }}` and
an author's braces on every other page stay text. On a page that opts in, Mermaid or literal
braces go inside `{% raw %} ... {% endraw %}`.

The macros read the Handbook the `handbook` plugin loaded for this build. Classified content is
never shown, every value is HTML-escaped by the templates, and a wrong argument is reported as
`PATH:LINE: error: MESSAGE` (so `mkdocs build --strict` fails) and shown on the page.
"""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path

from jinja2 import BaseLoader, FileSystemLoader, TemplateNotFound
from jinja2.utils import markupsafe
from mkdocs_macros.errors import format_error

from ..core.governance import REVIEW_LABELS
from ..core.handbook import Handbook
from ..core.macro_calls import call_text, cannot_run, process_reason, role_reason
from ..core.problems import Problem
from ..core.responsibilities import responsibilities
from ..core.selections import select_documents, values_of
from ..core.views import doc_type_label
from ..core.pages import SiteInfo, render
from ..core.pages.processes import anchor, step_rows
from ..core.pages.roles import DOCUMENT_HEADINGS, PROCESS_HEADINGS
from .withheld import WITHHELD_TEXT

log = logging.getLogger("mkdocs.plugins.handbook")


def define_env(env) -> None:
    def handbook() -> Handbook:
        return env.conf.plugins["handbook"].handbook

    def show(template: str, **context) -> str:
        site = SiteInfo(blocks=env.conf.plugins["handbook"].blocks)
        html = render(template, env.page.file.src_uri, site, handbook=handbook(),
                      review_labels=REVIEW_LABELS, step_anchor=anchor, **context)
        # An HTML block ends at a blank line; the whole result must be one block of its own.
        return "\n\n" + "\n".join(line for line in html.splitlines() if line.strip()) + "\n\n"

    def problem(name: str, arguments: dict, messages: list[str], shown: str = "") -> str:
        """Report to the log; show the reader what went wrong (`shown` when the details are not for readers)."""
        call = call_text(name, arguments)
        report(env, handbook(), [f"{call}: {m}" for m in messages], call_line(env.markdown, name, arguments))
        return error_html(f"{call} kan inte visas: {shown or '; '.join(messages)}")

    def failed(error: Exception, markdown: str, page) -> str:
        """Any other error while rendering a page's macros: a Swedish message, never a traceback."""
        message = cannot_run(error)
        report(env, handbook(), [message], _template_line(error) or 1)
        return error_html(message)

    format_error.register(Exception)(failed)

    @env.macro
    def documents(klassa=None, owner=None, doc_type=None, state=None) -> str:
        """Published documents at or below a Klassa code, by owner, type or state (not repealed unless asked)."""
        selection = select_documents(handbook(), klassa, owner, doc_type, state)
        if selection.problems:
            arguments = dict(klassa=klassa, owner=owner, doc_type=doc_type, state=state)
            return problem("documents", arguments, selection.problems)
        return show("macro_documents.md", documents=selection.documents,
                    caption=caption(handbook(), klassa, owner, doc_type, state))

    @env.macro
    def process_steps(id) -> str:  # noqa: A002 - authors write process_steps(id)
        """A process's step table, the text version of its map."""
        book = handbook()
        reason = process_reason(book, id)
        if reason:
            return problem("process_steps", {"id": id}, [reason], "processen finns inte eller publiceras inte")
        process = book.processes[str(id)]
        return show("macro_steps.md", process=process, rows=step_rows(book, process))

    @env.macro
    def role_responsibilities(role_id) -> str:
        """What a role owns, leads, does and is named in, published items only."""
        book = handbook()
        reason = role_reason(book, role_id)
        if reason:
            return problem("role_responsibilities", {"role_id": role_id}, [reason])
        return show("macro_role.md", entry=responsibilities(book)[role_id],
                    process_headings=PROCESS_HEADINGS, document_headings=DOCUMENT_HEADINGS)


def on_pre_page_macros(env) -> None:
    """Before a page's macros run (the Jinja environment exists only by then): guard its includes."""
    if not isinstance(env.env.loader, PublishedOnly):
        env.env.loader = PublishedOnly(env.env.loader, lambda: env.conf.plugins["handbook"].handbook)


class PublishedOnly(BaseLoader):
    """`{% include %}` on a page reaches only files the handbook publishes, never through a link out of their folder."""

    def __init__(self, loader: FileSystemLoader, handbook) -> None:
        self.loader, self.handbook = loader, handbook

    def get_source(self, environment, template: str):
        source, filename, uptodate = self.loader.get_source(environment, template)
        book, real = self.handbook(), Path(os.path.realpath(filename))
        if not any(real.is_relative_to(os.path.realpath(folder)) for folder in self.loader.searchpath) or (
                real.is_relative_to(book.docs_dir) and not book.publishes(real.relative_to(book.docs_dir).as_posix())):
            raise TemplateNotFound(WITHHELD_TEXT)  # not even the name of what was asked for
        return source, filename, uptodate


def error_html(text: str) -> str:
    return f'\n\n<p class="hb-macro-error" role="note">{markupsafe.escape(text)}</p>\n\n'


def _template_line(error: Exception) -> int | None:
    """The line of the page where Jinja stopped, from the traceback Jinja rewrites to the template."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == "<template>"]
    return frames[-1].lineno if frames else None


def caption(handbook: Handbook, klassa, owner, doc_type, state) -> str:
    """What the list holds, in words: "Dokument under 2.3 HR/Personal, av typen rutin, dokumentansvarig HR-chef"."""
    parts = []
    for code in values_of(klassa):
        parts.append(f"under {handbook.klassa[code].label}")
    types = [doc_type_label(t).lower() for t in values_of(doc_type)]
    if types:
        parts.append(("av typen " if len(types) == 1 else "av typerna ") + " eller ".join(types))
    parts += [f"dokumentansvarig {handbook.roles.name(r)}" for r in values_of(owner)]
    parts += [f"status {s}" for s in values_of(state)]
    return "Dokument" + (" " + ", ".join(parts) if parts else "")


def call_line(markdown: str | None, name: str, arguments: dict) -> int:
    """The line of the page's Markdown that calls the macro with these arguments (else the first call)."""
    calls = [(i, text) for i, text in enumerate((markdown or "").splitlines(), 1) if f"{name}(" in text]
    values = [str(v) for v in arguments.values() if v is not None]
    exact = [i for i, text in calls if all(v in text for v in values)]
    return (exact or [i for i, _ in calls] or [1])[0]


def report(env, handbook: Handbook, messages: list[str], line: int) -> None:
    """Log problems as PATH:LINE: error: MESSAGE, LINE counted in the file (front matter included)."""
    src_uri = env.page.file.src_uri
    doc = handbook.documents.get(src_uri)
    path = handbook.report_path(handbook.docs_dir / src_uri)
    for message in messages:
        log.warning(str(Problem(path, line + (doc.body_line - 1 if doc else 0), "error", message)))
