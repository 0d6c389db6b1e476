"""The whole handbook read once: Klassa, roles, documents and processes, with every problem."""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from .documents import DEFAULT_DOC_TYPES, Document, read_document
from .governance import review_status
from .klassa import KlassaTree, add_local_codes, builtin_tree
from .problems import Problem, Problems, did_you_mean
from .processes import Process, read_process
from .roles import RoleRegister, read_roles
from .source import SourceError, decode, load_yaml

# Folders of the built site that the handbook generates; docs/ must not use them.
GENERATED_DIRS = ("klassa", "processer", "roller", "revision", "nytt")
TODAY_VARIABLE = "HANDBOOK_TODAY"


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


@dataclass
class Handbook:
    root: Path
    docs_dir: Path
    processes_dir: Path
    settings: Settings
    klassa: KlassaTree = field(default_factory=KlassaTree)
    roles: RoleRegister = field(default_factory=RoleRegister)
    documents: dict[str, Document] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    file_problems: list[Problems] = field(default_factory=list)
    files_read: int = 0

    # -- reading -------------------------------------------------------------

    @classmethod
    def load(cls, root: str | Path, docs_dir: str | Path | None = None,
             processes_dir: str | Path | None = None, settings: Settings | None = None) -> "Handbook":
        root = Path(root).resolve()
        handbook = cls(root, Path(docs_dir or root / "docs").resolve(),
                       Path(processes_dir or root / "processes").resolve(), settings or Settings())
        handbook._read_klassa()
        handbook._read_roles()
        handbook._read_processes()
        handbook._read_documents()
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

    def _read_processes(self) -> None:
        if not self.processes_dir.is_dir():
            return
        for path in sorted(self.processes_dir.rglob("*")):
            relative = path.relative_to(self.processes_dir).as_posix()
            if not path.is_file() or _hidden(relative) or relative in ("roles.yml", "klassa.yml"):
                continue
            if path.suffix == ".yaml":
                self._problems(path).warning(1, "processfiler ska sluta på .yml; filen läses inte. Byt namn till .yml")
                continue
            if path.suffix != ".yml":
                continue
            data = self._read_bytes(path, problems := self._problems(path))
            process = read_process(problems.path, data or b"", self.klassa, self.roles)
            problems.items.extend(process.problems.items)
            process.problems = problems
            if process.id in self.processes:
                other = self.processes[process.id].path
                problems.error(process.meta.line_of("id", 1), f"process-id \"{process.id}\" används redan av {other}; ge processen ett eget id")
                continue
            self.processes[process.id] = process

    def _read_documents(self) -> None:
        if not self.docs_dir.is_dir():
            problems = self._problems(self.docs_dir)
            problems.error(1, "mappen docs/ saknas; handboken behöver minst docs/index.md")
            return
        for path in sorted(self.docs_dir.rglob("*.md")):
            relative = path.relative_to(self.docs_dir).as_posix()
            if _hidden(relative) or not path.is_file():
                continue
            problems = self._problems(path)
            data = self._read_bytes(path, problems)
            doc = read_document(relative, data or b"", self.klassa, self.roles, self.settings.doc_types, problems.path)
            problems.items.extend(doc.problems.items)
            doc.problems = problems
            if relative.split("/", 1)[0] in GENERATED_DIRS:
                problems.error(1, f"mappen docs/{relative.split('/', 1)[0]}/ används av handbokens genererade sidor; flytta filen till en annan mapp")
            self.documents[relative] = doc

    def _check_references(self) -> None:
        for doc in self.governed():
            for pid in doc.processes:
                if pid not in self.processes:
                    doc.problems.error(doc.line_of("processes"), f"okänd process \"{pid}\" i processes.{did_you_mean(pid, self.processes)}")
            for old in doc.replaces:
                if old not in self.documents:
                    doc.problems.warning(doc.line_of("replaces"), f"replaces: dokumentet {old} finns inte i docs/.{did_you_mean(old, self.documents)}")
        for process in self.processes.values():
            for step in process.steps:
                for path in step.documents:
                    if path not in self.documents:
                        process.problems.error(step.lines.get("documents", step.line),
                                               f"steg {step.id} länkar dokumentet {path} som inte finns i docs/.{did_you_mean(path, self.documents)}")
                if step.process and step.process not in self.processes:
                    process.problems.error(step.lines.get("process", step.line),
                                           f"steg {step.id} pekar på delprocessen \"{step.process}\" som inte finns.{did_you_mean(step.process, self.processes)}")
        self._check_unused_roles()

    def _check_unused_roles(self) -> None:
        used = set()
        for doc in self.governed():
            used.update([doc.owner, *doc.roles])
        for process in self.processes.values():
            used.update([process.owner, process.leader, *process.team, *(s.role for s in process.steps)])
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

    def is_published(self, item: Document | Process) -> bool:
        return item.k_level <= self.settings.k_limit

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


def _hidden(relative: str) -> bool:
    return any(part.startswith(".") for part in relative.split("/"))
