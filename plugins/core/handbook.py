"""The whole handbook read once: Klassa, roles, documents and processes, with every problem."""

from __future__ import annotations

import datetime as dt
import functools
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from .documents import DEFAULT_DOC_TYPES, Document, read_document
from .gate import (SourceFile, attachment_candidates, forget_folders, inside, is_page, is_text_attachment, references,
                   symlink_loops, walk_docs)
from .governance import check_reviews, review_status
from .klassa import KlassaTree, add_local_codes, builtin_tree
from .problems import Problem, Problems, did_you_mean
from .processes import Process, read_process
from .requirements import REGISTER_FILE, RequirementRegister, read_register
from .roles import RoleRegister, read_roles
from .source import SourceError, decode, load_yaml
from .theme_keys import ThemeInventory
from .urls import document_url

# Folders of the built site that the handbook generates; docs/ must not use them.
GENERATED_DIRS = ("klassa", "processer", "roller", "revision", "nytt", "tillganglighet", "mognad", "krav", "arkiv")
TODAY_VARIABLE = "HANDBOOK_TODAY"
OUTSIDE = ("filen ligger bakom en symbolisk länk ut ur docs/ och varken läses eller publiceras; "
           "lägg filen i docs/ i stället för en länk till den")
MAX_SCANNED_BYTES = 5_000_000  # of a file read only to find the attachments it uses


class SettingsError(ValueError):
    """A setting that makes the handbook impossible to read, with a Swedish message."""


def today_from_env(environ=os.environ) -> dt.date:
    value = environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SettingsError(f"{TODAY_VARIABLE}=\"{value}\" är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2027-01-31") from None


@dataclass
class Settings:
    today: dt.date = field(default_factory=today_from_env)
    due_days: int = 60
    k_limit: int = 1
    doc_types: tuple = DEFAULT_DOC_TYPES
    theme: ThemeInventory | None = None  # icons and templates of the theme; None: not looked up
    evaluation_days: int = 365  # maturity step 9: an evaluation within this many days (maturity.py)
    activity_rutin_rule: str = "off"  # SOSFS 2011:9 4 kap. 4 §: warn, error or off (maturity.py)
    core_process_codes: tuple = ("3",)  # Klassa codes whose processes are kärnprocesser for that rule


@dataclass
class Handbook:
    root: Path
    docs_dir: Path
    processes_dir: Path
    settings: Settings
    klassa: KlassaTree = field(default_factory=KlassaTree)
    roles: RoleRegister = field(default_factory=RoleRegister)
    requirements: RequirementRegister = field(default_factory=RequirementRegister)
    documents: dict[str, Document] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    file_problems: list[Problems] = field(default_factory=list)
    files_read: int = 0
    # docs/ files the engine would publish that the handbook withholds: src_uri → why
    withheld_files: dict[str, str] = field(default_factory=dict)
    attachments: set[str] = field(default_factory=set)  # attachments the handbook publishes

    # -- reading -------------------------------------------------------------

    @classmethod
    def load(cls, root: str | Path, docs_dir: str | Path | None = None,
             processes_dir: str | Path | None = None, settings: Settings | None = None,
             sources: list[SourceFile] | None = None, config_refs: set[str] = frozenset()) -> "Handbook":
        """Read the handbook. `sources` are the files of docs/ the engine will build or copy
        (without them, docs/ is walked as MkDocs would); `config_refs` the files of docs/ the
        site's configuration uses (stylesheets, scripts, logo)."""
        root = Path(root).resolve()
        forget_folders()
        handbook = cls(root, Path(docs_dir or root / "docs").resolve(),
                       Path(processes_dir or root / "processes").resolve(), settings or Settings())
        handbook._read_klassa()
        handbook._read_roles()
        handbook._read_requirements()
        handbook._read_processes()
        if handbook._check_docs_dir():
            sources = walk_docs(handbook.docs_dir) if sources is None else _with_dropped_pages(sources, handbook.docs_dir)
            handbook._read_documents(sources)
            handbook._decide_attachments(sources, config_refs)
        handbook._check_references()
        return handbook

    def report_path(self, path: Path) -> str:
        if path.is_relative_to(self.root) and ".." not in path.parts:
            return path.relative_to(self.root).as_posix()
        return Path(os.path.relpath(path, self.root)).as_posix()

    def _problems(self, path: Path) -> Problems:
        problems = Problems(self.report_path(path))
        self.file_problems.append(problems)
        return problems

    def _problems_of_source(self, src_uri: str) -> Problems:
        """The problems of `docs/<src_uri>`, without a Path per file (thousands of them)."""
        problems = Problems(f"{self._docs_shown}/{src_uri}")
        self.file_problems.append(problems)
        return problems

    @functools.cached_property
    def _docs_shown(self) -> str:
        return self.report_path(self.docs_dir)

    def _read_bytes(self, path: Path, problems: Problems) -> bytes | None:
        self.files_read += 1
        try:
            return path.read_bytes()
        except OSError as exc:
            problems.error(1, f"filen kan inte läsas ({exc.strerror})")
            return None

    def _read_register(self, name: str):
        path = self.processes_dir / name
        if not path.is_file():
            return None, self._problems(path)
        problems = self._problems(path)
        if not self._inside(path, self.processes_dir, problems):
            return None, problems
        data = self._read_bytes(path, problems)
        if data is None:
            return None, problems
        text, decode_error = decode(data)
        if decode_error:
            problems.error(decode_error.line, decode_error.message)
        try:
            return load_yaml(text), problems
        except SourceError as exc:
            problems.error(exc.line, exc.message)
            return None, problems

    def _read_klassa(self) -> None:
        self.klassa = builtin_tree()
        data, problems = self._read_register("klassa.yml")
        add_local_codes(self.klassa, data, problems)

    def _read_roles(self) -> None:
        data, problems = self._read_register("roles.yml")
        self.roles = read_roles(data, problems, problems.path)

    def _read_requirements(self) -> None:
        data, problems = self._read_register(REGISTER_FILE)
        self.requirements = read_register(data, problems, self.roles, self.klassa, self.settings.today)

    def _inside(self, path: Path, folder: Path, problems: Problems) -> bool:
        """A symbolic link that leads out of its folder is refused: nothing behind it is read."""
        if inside(path, folder.resolve()):
            return True
        problems.error(1, f"filen är en symbolisk länk ut ur {self.report_path(folder)}/ och läses inte; "
                          "lägg filen i mappen i stället för en länk till den")
        return False

    def _read_processes(self) -> None:
        if not self.processes_dir.is_dir():
            return
        for path in sorted(self.processes_dir.rglob("*")):  # does not follow links to folders
            relative = path.relative_to(self.processes_dir).as_posix()
            if not path.is_file() or _hidden(relative) or relative in ("roles.yml", "klassa.yml", REGISTER_FILE):
                continue
            if path.suffix == ".yaml":
                self._problems(path).warning(1, "processfiler ska sluta på .yml; filen läses inte. Byt namn till .yml")
                continue
            if path.suffix != ".yml" or not self._inside(path, self.processes_dir, problems := self._problems(path)):
                continue
            data = self._read_bytes(path, problems)
            process = read_process(problems.path, data or b"", self.klassa, self.roles)
            problems.items.extend(process.problems.items)
            process.problems = problems
            if process.id in self.processes:
                other = self.processes[process.id].path
                problems.error(process.meta.line_of("id", 1), f"process-id \"{process.id}\" används redan av {other}; ge processen ett eget id")
                continue
            self.processes[process.id] = process

    def _check_docs_dir(self) -> bool:
        if not self.docs_dir.is_dir():
            self._problems(self.docs_dir).error(1, "mappen docs/ saknas; handboken behöver minst docs/index.md")
            return False
        for link in symlink_loops(self.docs_dir):
            self._problems(link).error(1, "den symboliska länken pekar på en mapp som innehåller länken själv; "
                                          "bygget skulle aldrig bli klart. Ta bort länken")
        return True

    def _withhold(self, source: SourceFile, problems: Problems | None, message: str) -> None:
        self.withheld_files[source.src_uri] = message
        if problems is not None:
            problems.error(1, message)

    def _read_documents(self, sources: list[SourceFile]) -> None:
        real_docs = self.docs_dir.resolve()
        for source in sources:
            if not is_page(source.src_uri) or _hidden(source.src_uri):
                continue
            problems = self._problems_of_source(source.src_uri)
            if source.excluded:
                problems.warning(1, "MkDocs bygger inte den här filen (README.md bredvid index.md, mappen templates/ "
                                    "eller exclude_docs i mkdocs.yml), så den publiceras inte; byt namn på den eller flytta den")
                self.withheld_files[source.src_uri] = "byggs inte"
                continue
            if not inside(source.path, real_docs):
                self._withhold(source, problems, OUTSIDE)
                continue
            if not source.src_uri.endswith(".md"):
                name = source.src_uri.rsplit("/", 1)[-1]
                self._withhold(source, problems, f"handboken läser bara sidor som slutar på .md, så filen publiceras inte; "
                                                 f"byt namn till {name[:name.rindex('.')]}.md")
                continue
            data = self._read_bytes(source.path, problems)
            doc = read_document(source.src_uri, data or b"", self.klassa, self.roles, self.settings.doc_types, problems.path,
                                self.settings.theme)
            problems.items.extend(doc.problems.items)
            doc.problems = problems
            top = source.src_uri.split("/", 1)[0]
            if top in GENERATED_DIRS and "/" in source.src_uri:
                problems.error(1, f"mappen docs/{top}/ används av handbokens genererade sidor; flytta filen till en annan mapp")
            self.documents[source.src_uri] = doc
            if not self.is_published(doc):
                self.withheld_files[source.src_uri] = "klassad"

    def _decide_attachments(self, sources: list[SourceFile], config_refs) -> None:
        """An attachment is published when a published page or the configuration uses it and no withheld page does."""
        real_docs = self.docs_dir.resolve()
        attachments = {}
        for source in sources:
            if is_page(source.src_uri) or _hidden(source.src_uri) or source.excluded:
                continue
            if not inside(source.path, real_docs):
                self._withhold(source, self._problems_of_source(source.src_uri), OUTSIDE)
                continue
            attachments[source.src_uri] = source
        candidates = attachment_candidates(attachments)
        used, withheld = set(config_refs) & attachments.keys(), set()
        for source in sources:
            if not is_page(source.src_uri) or source.excluded or self.withheld_files.get(source.src_uri) == OUTSIDE:
                continue
            doc = self.documents.get(source.src_uri)
            text = doc.body if doc is not None else _text_of(source.path)
            found = references(text, source.src_uri, _page_url(source.src_uri), candidates)
            (used if doc is not None and self.is_published(doc) else withheld).update(found)
        todo = [u for u in used if is_text_attachment(u)]
        while todo:  # a published stylesheet's own url(...) references
            src_uri = todo.pop()
            for found in references(_text_of(attachments[src_uri].path), src_uri, posixpath.dirname(src_uri), candidates) - used:
                used.add(found)
                if is_text_attachment(found):
                    todo.append(found)
        for src_uri in sorted(attachments):
            if src_uri in withheld:
                self.withheld_files[src_uri] = "bilaga till ej publicerat innehåll"
            elif src_uri in used:
                self.attachments.add(src_uri)
            else:
                self.withheld_files[src_uri] = "används inte"
                self._problems_of_source(src_uri).warning(
                    1, "filen används inte av någon publicerad sida och publiceras inte; länka den från sidan den hör till "
                       "eller ta bort den")

    def _check_references(self) -> None:
        for doc in self.governed():
            for pid in doc.processes:
                if pid not in self.processes:
                    doc.problems.error(doc.line_of("processes"), f"okänd process \"{pid}\" i processes.{did_you_mean(pid, self.processes)}")
            for old in doc.replaces:
                if old not in self.documents:
                    doc.problems.error(doc.line_of("replaces"), f"replaces: dokumentet {old} finns inte i docs/.{did_you_mean(old, self.documents)} "
                                                                "Skriv sökvägen relativt docs/, t.ex. hr/gammal-rutin.md; ett ersatt dokument "
                                                                "ligger kvar med state: upphävd så att dess versioner finns i arkivet")
        self._check_repeals()
        for process in self.processes.values():
            for step in process.steps:
                for path in step.documents:
                    if path not in self.documents:
                        process.problems.error(step.lines.get("documents", step.line),
                                               f"steg {step.id} länkar dokumentet {path} som inte finns i docs/.{did_you_mean(path, self.documents)}")
                if step.process and step.process not in self.processes:
                    process.problems.error(step.lines.get("process", step.line),
                                           f"steg {step.id} pekar på delprocessen \"{step.process}\" som inte finns.{did_you_mean(step.process, self.processes)}")
        for item in [*self.governed(), *self.processes.values()]:
            check_reviews(item, item.problems, item.meta, self.settings.today)
        from . import maturity, requirements  # they read the handbook as a whole
        requirements.check(self)
        maturity.check_activity_rutin(self)
        self._check_unused_roles()

    def _check_repeals(self) -> None:
        """A repealed item says what applies instead: a document that replaces it, or repeal_note."""
        successors = {old for doc in self.governed() for old in doc.replaces}
        for item in [*self.governed(), *self.processes.values()]:
            if item.state != "upphävd" or item.repeal_note or getattr(item, "path", "") in successors:
                continue
            if isinstance(item, Document):
                said = "dokumentet är upphävt men inget dokument ersätter det (replaces) och det saknar repeal_note"
                fix = f"lägg till replaces: [{item.path}] i dokumentet som ersätter det, eller skriv"
            else:
                said, fix = "processen är upphävd men saknar repeal_note", "skriv"
            item.problems.warning(item.meta.line_of("state", 1), f"{said}; {fix} repeal_note: \"varför det upphävdes "
                                                                 "och vad som gäller i stället\"")

    def _check_unused_roles(self) -> None:
        used = set()
        for doc in self.governed():
            used.update([doc.owner, *doc.roles, *(r.by for r in doc.reviews)])
        for process in self.processes.values():
            used.update([process.owner, process.leader, *process.team, *(s.role for s in process.steps),
                         *(r.by for r in process.reviews), process.follow_up.by if process.follow_up else ""])
        used.update(r.owner for r in self.requirements.requirements.values())
        problems = next(p for p in self.file_problems if p.path == self.roles.path)
        for role in self.roles.roles.values():
            if role.id not in used:
                problems.warning(role.line, f"rollen {role.id} används inte av något dokument eller någon process; ta bort den ur registret eller använd den")

    # -- questions -----------------------------------------------------------

    @property
    def problems(self) -> list[Problem]:
        return sorted(p for problems in self.file_problems for p in problems.items)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def governed(self) -> list[Document]:
        return [d for d in self.documents.values() if d.governed]

    def is_published(self, item) -> bool:
        """Whether a document, process or requirement is cleared by the gate (its K level within the limit)."""
        return item.k_level <= self.settings.k_limit

    def publishes(self, src_uri: str) -> bool:
        """Whether the docs/ file `src_uri` may reach the site (a read, cleared page or a used attachment)."""
        doc = self.documents.get(src_uri)
        return self.is_published(doc) if doc is not None else src_uri in self.attachments

    def published_documents(self) -> list[Document]:
        return [d for d in self.documents.values() if self.is_published(d)]

    def published_governed(self) -> list[Document]:
        return [d for d in self.governed() if self.is_published(d)]

    @functools.cached_property
    def replacements(self) -> dict[str, list[Document]]:
        """Document path → the published documents whose `replaces` names it, by path; built once."""
        found: dict[str, list[Document]] = {}
        for doc in sorted(self.published_governed(), key=lambda d: d.path):
            for old in dict.fromkeys(doc.replaces):
                found.setdefault(old, []).append(doc)
        return found

    def published_processes(self) -> list[Process]:
        return sorted((p for p in self.processes.values() if self.is_published(p)), key=lambda p: p.id)

    def review_status(self, item: Document | Process) -> str:
        return review_status(item.review_date, self.settings.today, self.settings.due_days)

    def problems_of(self, item: Document | Process) -> list[Problem]:
        return list(item.problems.items)


def _with_dropped_pages(sources: list[SourceFile], docs_dir: Path) -> list[SourceFile]:
    """The engine's files, and as excluded the pages MkDocs leaves out altogether: README.md beside index.md."""
    taken = {s.src_uri for s in sources}
    dropped = []
    for source in sources:
        folder, _, name = source.src_uri.rpartition("/")
        readme = f"{folder}/README.md" if folder else "README.md"
        if name == "index.md" and readme not in taken and (docs_dir / readme).is_file():
            dropped.append(SourceFile(readme, docs_dir / readme, True))
    return sources + dropped


def _text_of(path: Path) -> str:
    try:
        return path.read_bytes()[:MAX_SCANNED_BYTES].decode("utf-8", "replace")
    except OSError:
        return ""


def _page_url(src_uri: str) -> str:
    return unquote(document_url(src_uri.rsplit(".", 1)[0] + ".md"))


def _hidden(relative: str) -> bool:
    return any(part.startswith(".") for part in relative.split("/"))
