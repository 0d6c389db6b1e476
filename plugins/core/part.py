"""A part of the handbook: what lies under one Klassa code, or in one folder of docs/.

`handbook preview` builds only a part, so that a document owner sees an edit at once in a
large handbook. The whole handbook is still read, so every reference is checked against all
of it; the part only decides which documents and processes are published in the preview.

- `--klassa 2.3`: documents and processes whose code is 2.3 or lies under it (2.3.2, 2.3.2.1).
- `--folder hr`: documents in docs/hr/ (and its sub-folders), and the processes that name
  one of them, in a step or in the document's `processes`.

Free pages (start page, help pages) always belong to the part: the site needs its start page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .documents import Document
from .handbook import Handbook
from .problems import Problem, did_you_mean
from .processes import Process

# The environment variables that ask the plugin for a part (set by `handbook preview`).
KLASSA_VARIABLE = "HANDBOOK_PREVIEW_KLASSA"
FOLDER_VARIABLE = "HANDBOOK_PREVIEW_FOLDER"


@dataclass(frozen=True)
class Selection:
    klassa: str = ""
    folder: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "folder", self.folder.strip().strip("/"))
        object.__setattr__(self, "klassa", self.klassa.strip())

    def __bool__(self) -> bool:
        return bool(self.klassa or self.folder)

    def describe(self) -> str:
        return f"Klassa {self.klassa}" if self.klassa else f"mappen docs/{self.folder}/"


def check(handbook: Handbook, selection: Selection) -> str | None:
    """A Swedish message when the selection names nothing that exists, else None."""
    if selection.klassa and selection.folder:
        return "välj en del: antingen en Klassa-kod eller en mapp, inte båda"
    if selection.klassa and selection.klassa not in handbook.klassa:
        return (f"Klassa-koden \"{selection.klassa}\" finns inte.{handbook.klassa.hint(selection.klassa)} "
                "Ange en kod ur Klassa 2.1 eller ur processes/klassa.yml, t.ex. 2.3")
    if selection.folder and not (handbook.docs_dir / selection.folder).is_dir():
        folders = sorted({path.rsplit("/", 1)[0] for path in handbook.documents if "/" in path})
        return (f"mappen docs/{selection.folder}/ finns inte.{did_you_mean(selection.folder, folders)} "
                "Ange en mapp i docs/, t.ex. hr")
    if not selection:
        return "ange en del av handboken: en Klassa-kod (t.ex. 2.3) eller en mapp i docs/ (t.ex. hr)"
    return None


def _under(code: str, prefix: str) -> bool:
    return code == prefix or code.startswith(prefix + ".")


def _in_folder(path: str, folder: str) -> bool:
    return path.startswith(folder + "/")


def documents_in(handbook: Handbook, selection: Selection) -> set[str]:
    """Paths (relative to docs/) of the governed documents in the part."""
    if selection.klassa:
        return {d.path for d in handbook.governed() if d.klassa and _under(d.klassa, selection.klassa)}
    return {d.path for d in handbook.governed() if _in_folder(d.path, selection.folder)}


def processes_in(handbook: Handbook, selection: Selection, documents: set[str]) -> set[str]:
    if selection.klassa:
        return {p.id for p in handbook.processes.values() if p.klassa and _under(p.klassa, selection.klassa)}
    named = {pid for path in documents for pid in handbook.documents[path].processes}
    return {p.id for p in handbook.processes.values()
            if p.id in named or any(path in documents for step in p.steps for path in step.documents)}


@dataclass
class HandbookPart(Handbook):
    """The whole handbook (every lookup and link still works) that publishes only the part.

    Everything the site lists goes through `governed`, `published_documents` and
    `published_processes`, so Klassa pages, the navigation, role pages, the revision list
    and handbook.json show the part alone.
    """

    kept_documents: frozenset = frozenset()
    kept_processes: frozenset = frozenset()

    def governed(self) -> list[Document]:
        return [d for d in super().governed() if d.path in self.kept_documents]

    def published_documents(self) -> list[Document]:
        return [d for d in super().published_documents() if not d.governed or d.path in self.kept_documents]

    def published_processes(self) -> list[Process]:
        return [p for p in super().published_processes() if p.id in self.kept_processes]


def part_of(handbook: Handbook, selection: Selection) -> HandbookPart:
    documents = documents_in(handbook, selection)
    processes = processes_in(handbook, selection, documents)
    whole = {f.name: getattr(handbook, f.name) for f in dataclasses.fields(Handbook)}
    return HandbookPart(**whole, kept_documents=frozenset(documents), kept_processes=frozenset(processes))


def problems_in(part: HandbookPart) -> tuple[list[Problem], int]:
    """The problems of the part's own files (and of files that are no document or process, such
    as roles.yml), and how many problems elsewhere in the handbook are not shown."""
    elsewhere = {d.problems.path for d in part.documents.values() if d.governed and d.path not in part.kept_documents}
    elsewhere |= {p.problems.path for p in part.processes.values() if p.id not in part.kept_processes}
    shown = [p for p in part.problems if p.path not in elsewhere]
    return shown, len(part.problems) - len(shown)
