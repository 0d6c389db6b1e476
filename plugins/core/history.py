"""The versions of every document and process, read from git: ONE `git log` over the whole tree and
ONE `git cat-file --batch` for the file contents it names.

Each commit that changed a file is read as the file was then (its front matter, or the process
file), with the handbook's own bounded reader; consecutive commits with the same version make one
version. Outside a git repository, or without git, there is simply no history. Files that were
renamed keep the history from before the rename.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .governance import (HIGHEST_K, STATE_CLASSES, STATE_LABELS, read_classification, read_date, read_state, read_text,
                         read_text_list)
from .handbook import Handbook
from .problems import Problems
from .roles import one_line
from .source import LineDict, SourceError, decode, load_yaml, split_front_matter
from .views import Link, reviews_of

_RECORD, _FIELD = "\x1e", "\x1f"
HIDDEN_SUBJECT = "(meddelandet visas inte: ändringen gällde även innehåll som inte publiceras)"
_FORMAT = "--format=%x1e%H%x1f%ad%x1f%an%x1f%s"  # git writes _RECORD and _FIELD for %x1e and %x1f
_NO_BLOB = NO_BLOB = "0" * 40  # a deleted file
_FILE_MODES = ("100644", "100755")  # a symbolic link (120000) or a submodule is no document
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


@dataclass(frozen=True)
class Commit:
    commit: str
    date: str  # YYYY-MM-DD, the author date
    author: str
    subject: str
    # (the path of the file today, or None for one that is no file of today; its blob after the commit)
    changes: tuple = ()

    @property
    def files(self) -> frozenset:
        return frozenset(path for path, _ in self.changes)


@dataclass(frozen=True)
class Snapshot:
    """What a file said about itself in one commit."""

    version: str = ""
    state: str = ""
    valid_from: str = ""
    decided_by: str = ""
    decision_date: str = ""
    diarienummer: str = ""
    k_level: int = HIGHEST_K
    readable: bool = False  # False: the front matter or process file could not be read (class unknown)
    title: str = ""  # a document's title (or first heading), a process's name
    doc_type: str = ""
    klassa: str = ""
    owner: str = ""
    information_class: str = ""
    repealed_from: str = ""  # governance.REPEAL_KEYS
    repeal_note: str = ""
    replaces: tuple = ()  # a document's replaces: paths in docs/


UNREADABLE = Snapshot()  # its information class is unknown: counts as the highest level


@dataclass
class Entry:
    """One line under "Vad ändrades": a commit's message, or a review recorded without a new version."""

    date: str
    text: str  # the message, or the review's note
    kind: str = "change"  # change or review
    by: Link | None = None


@dataclass
class Version:
    version: str
    state: str
    state_label: str
    state_class: str  # the status language's modifier (hb-tag--…)
    valid_from: str = ""
    decided_by: str = ""
    decision_date: str = ""
    diarienummer: str = ""
    since: str = ""  # the date of its first commit
    valid_to: str = ""  # a decided version's end, exclusive: the next version's valid_from or the repeal (core/archive.py)
    valid_until: str = ""  # the same as a reader reads it: the last day it applied (Gällde t.o.m.)
    archive_url: str = ""  # its archived page, when published (core/archive.py)
    entries: list[Entry] = field(default_factory=list)  # newest first


def _run(root: Path, *args: str, data: bytes | None = None, timeout: float = 120) -> bytes | None:
    try:
        result = subprocess.run(["git", "-c", "log.showSignature=false", "-C", str(root), *args], input=data,
                                capture_output=True, timeout=timeout, stdin=None if data is not None else subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def git(root: Path, *args: str, timeout: float = 120) -> str | None:
    """The output of a git command in `root`, or None when git is missing or the command fails."""
    output = _run(root, *args, timeout=timeout)
    return None if output is None else output.decode("utf-8", "replace")


def log(root: Path, folders: list[Path]) -> list[Commit]:
    """Every commit that touched `folders`, newest first.

    `--full-diff` lists every file of each commit, also outside `folders` and outside `root`."""
    root = Path(root).resolve()
    specs = [p.relative_to(root).as_posix() for p in (Path(f).resolve() for f in folders) if p.is_relative_to(root)]
    if not specs:
        return []
    output = git(root, "log", "-z", "-M", "--full-diff", "--raw", "--no-abbrev", "--no-color", "--date=short", _FORMAT, "--", *specs)
    return parse_log(output or "", _prefix(root))


def contents(root: Path, blobs) -> dict[str, bytes]:
    """The content of each blob, read by one `git cat-file --batch`."""
    blobs = sorted(set(blobs))
    if not blobs:
        return {}
    output = _run(root, "cat-file", "--batch", "--buffer", data="".join(f"{b}\n" for b in blobs).encode("ascii"), timeout=600)
    found, at = {}, 0
    while output and at < len(output):
        end = output.index(b"\n", at)
        header = output[at:end].split()
        at = end + 1
        if len(header) != 3:  # "<blob> missing"
            continue
        size = int(header[2])
        found[header[0].decode("ascii")] = output[at:at + size]
        at += size + 1
    return found


def _prefix(root: Path) -> str:
    """The handbook's folder in its git repository, as git writes paths: "" at the top, else "folder/"."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return "" if folder == root else root.relative_to(folder).as_posix() + "/"
    return ""


def parse_log(output: str, prefix: str = "") -> list[Commit]:
    """Parse `git log -z --raw --no-abbrev` with our format (newest commit first).

    Each file is followed back through renames to the path it has now. Before a commit that added a
    path (or renamed a file to it), that path named another file, which is no file of today (None);
    so is every path outside `prefix`, the handbook's folder in the repository."""
    commits: list[Commit] = []
    now: dict[str, str | None] = {}  # a path in older commits → the path of that file today

    for record in output.split(_RECORD)[1:]:
        header, _, files = record.partition("\0")
        fields = header.split(_FIELD)
        if len(fields) != 4:
            continue
        tokens = [t for t in files.lstrip("\n").split("\0") if t]
        changes, index = [], 0
        while index < len(tokens):
            raw = tokens[index].lstrip(":\n").split(" ")  # ":100644 100644 <old> <new> M"
            status = raw[-1] if len(raw) == 5 else "?"
            width = 3 if status[0] in "RC" else 2  # a rename or copy names the old and the new path
            paths = tokens[index + 1:index + width]
            index += width
            if len(paths) == width - 1:
                blob = raw[3] if raw[1] in _FILE_MODES else _NO_BLOB
                changes.append((status[0], paths, blob))
        touched = [(now.get(paths[-1], _inside(paths[-1], prefix)), blob) for _, paths, blob in changes]
        commits.append(Commit(fields[0], fields[1], fields[2], fields[3], tuple(touched)))
        for (status, paths, _), (today, _) in zip(changes, touched):  # what the paths named before this commit
            if status == "R":
                now[paths[0]] = today
            if status in "ARC":
                now[paths[-1]] = None
    return commits


def _inside(path: str, prefix: str) -> str | None:
    return path[len(prefix):] if path.startswith(prefix) else None


def snapshot(data: bytes, kind: str) -> Snapshot:
    """The metadata of a document's front matter (kind "document") or of a process file, as it was."""
    text, _ = decode(data)
    body = ""
    if kind == "document":
        front = split_front_matter(text)
        if front.error:
            return UNREADABLE
        meta, body = front.meta, front.body
    else:
        try:
            meta = load_yaml(text)
        except SourceError:
            return UNREADABLE
        if not isinstance(meta, LineDict):
            return UNREADABLE
    scratch = Problems("")
    date = lambda key: (value.isoformat() if (value := read_date(meta, key, scratch, False, key)) else "")
    text_of = lambda key: one_line(read_text(meta, key, scratch, False, key))
    information_class, k_level = read_classification(meta, scratch)
    if kind == "document":
        heading = _HEADING.search(body)
        title = text_of("title") or (one_line(heading.group(1).strip()) if heading else "")
    else:
        title = text_of("name")
    return Snapshot(version=text_of("version"), state=read_state(meta, scratch), valid_from=date("valid_from"),
                    decided_by=text_of("decided_by"), decision_date=date("decision_date"),
                    diarienummer=text_of("diarienummer"), k_level=k_level, readable=True, title=title,
                    doc_type=text_of("doc_type"), klassa=text_of("klassa"), owner=text_of("owner"),
                    information_class=information_class, repealed_from=date("repealed_from"),
                    repeal_note=text_of("repeal_note"),
                    replaces=tuple(p.removeprefix("./") for p in read_text_list(meta, "replaces", scratch, "")) if kind == "document" else ())


@dataclass
class FileLog:
    """The git history of every document and process the handbook publishes today, read once.

    `commits` newest first; `texts` the content of each blob of those files (blob → bytes);
    `snapshots` each blob read (blob → Snapshot). Shared by the version history on the pages
    (`handbook_history`) and the version archive (`core/archive.py`)."""

    commits: list[Commit] = field(default_factory=list)
    items: dict = field(default_factory=dict)  # report path → the published Document or Process
    kinds: dict[str, str] = field(default_factory=dict)  # report path → "document" or "process"
    public: set[str] = field(default_factory=set)  # report paths whose commits may show their messages
    texts: dict[str, bytes] = field(default_factory=dict)
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    _by_path: dict | None = field(default=None, repr=False)

    def changes(self, path: str) -> list[tuple[Commit, str, Snapshot]]:
        """Every commit that changed the file `path` (a report path), newest first, with its blob and snapshot."""
        if self._by_path is None:
            self._by_path = {}
            for commit in self.commits:
                for changed, blob in commit.changes:
                    if changed in self.kinds:
                        self._by_path.setdefault(changed, []).append((commit, blob))
        return [(commit, blob, self.snapshots.get(blob, UNREADABLE)) for commit, blob in self._by_path.get(path, [])]


def read_file_log(handbook: Handbook) -> FileLog:
    """One `git log` and one `git cat-file --batch` for every published document and process."""
    commits = log(handbook.root, [handbook.docs_dir, handbook.processes_dir])
    docs = handbook.report_path(handbook.docs_dir) + "/"
    items = {docs + d.path: d for d in handbook.published_documents()}
    kinds = dict.fromkeys(items, "document")
    processes = {p.path: p for p in handbook.published_processes()}
    items |= processes
    kinds |= dict.fromkeys(processes, "process")
    public = set(items) | {handbook.report_path(handbook.processes_dir / name) for name in ("roles.yml", "klassa.yml")}
    wanted = {}
    for commit in commits:
        for path, blob in commit.changes:
            if path in kinds and blob != _NO_BLOB:
                wanted.setdefault(blob, kinds[path])
    texts = contents(handbook.root, wanted)
    snapshots = {blob: snapshot(texts[blob], kind) if blob in texts else UNREADABLE for blob, kind in wanted.items()}
    return FileLog(commits, items, kinds, public, texts, snapshots)


def handbook_history(handbook: Handbook, files: FileLog | None = None) -> dict[str, list[Version]]:
    """The versions of every published document and process, newest first, keyed by `Handbook.report_path`.

    A version that was above the classification limit when it was committed is left out, and so is
    its message everywhere. A commit's message is shown only when, besides, every file it touched is
    one the handbook publishes today: a published document or process, or one of the public registers
    `roles.yml` and `klassa.yml` (role pages and the navigation show all of them). Fail closed: a
    withheld file, a file that no longer exists (its class is unknown), a file that could not be read
    then, any other file (an image, `mkdocs.yml`, code) or a file outside the handbook's folder leaves
    the entry without its message. Reviews recorded without a new version (`reviewed:`) are listed
    under the version that was current on their date. `files`: the log already read (`read_file_log`)."""
    files = files or read_file_log(handbook)
    limit = handbook.settings.k_limit
    found: dict[str, list[tuple[Commit, Snapshot, bool]]] = {}
    for commit in files.commits:
        shots = {path: files.snapshots.get(blob, UNREADABLE) for path, blob in commit.changes if path in files.kinds}
        secret = any(s.k_level > limit for s in shots.values())
        shown = not secret and commit.files <= files.public
        for path, shot in shots.items():
            if shot.k_level <= limit:
                found.setdefault(path, []).append((commit, shot, shown))

    result = {}
    for path, item in files.items.items():
        governed = files.kinds[path] == "process" or item.governed
        if governed and (path in found or item.reviews):
            result[path] = _versions(found.get(path, []), item, handbook)
    return result


def _versions(changes: list[tuple[Commit, Snapshot, bool]], item, handbook: Handbook) -> list[Version]:
    """Consecutive commits with the same version as one version, described as its newest commit left it."""
    versions: list[Version] = []
    last: Snapshot | None = None
    for commit, shot, shown in changes:
        if last is None or shot.version != last.version:
            versions.append(_version(shot))
        last = shot
        entry = Entry(commit.date, commit.subject if shown else HIDDEN_SUBJECT)
        if shown or not any(e.text == HIDDEN_SUBJECT for e in versions[-1].entries):
            versions[-1].entries.append(entry)
        versions[-1].since = commit.date
    if not versions:  # no history (outside git): the version of today, for its reviews
        versions.append(_version(Snapshot(item.version, item.state, _iso(getattr(item, "valid_from", None)),
                                          getattr(item, "decided_by", ""), _iso(getattr(item, "decision_date", None)),
                                          getattr(item, "diarienummer", ""), item.k_level)))
    for review in reviews_of(handbook, item):
        version = next((v for v in versions if v.since <= review.date), versions[-1])
        version.entries.append(Entry(review.date, review.note, "review", review.by))
    for version in versions:
        version.entries.sort(key=lambda e: e.date, reverse=True)  # stable: of one day, commits keep their order
    return versions


def _version(shot: Snapshot) -> Version:
    return Version(shot.version, shot.state, STATE_LABELS.get(shot.state, ""), STATE_CLASSES.get(shot.state, ""),
                   shot.valid_from, shot.decided_by, shot.decision_date, shot.diarienummer)


def _iso(value) -> str:
    return value.isoformat() if value else ""
