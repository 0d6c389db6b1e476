"""Revision history of every document and process from git, in ONE `git log` call.

Outside a git repository, or without git, the history is simply empty. Files that were
renamed keep the history from before the rename.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path

from .handbook import Handbook

_RECORD, _FIELD = "\x1e", "\x1f"
HIDDEN_SUBJECT = "(meddelandet visas inte: ändringen gällde även innehåll som inte publiceras)"
_FORMAT = "--format=%x1e%h%x1f%ad%x1f%an%x1f%s"  # git writes _RECORD and _FIELD for %x1e and %x1f


@dataclass(frozen=True)
class Revision:
    date: str  # YYYY-MM-DD, the author date
    commit: str  # short hash
    author: str
    subject: str
    # Every file the commit touched, by the path it has now; None for one that is no file of today.
    files: frozenset = field(default=frozenset(), compare=False, repr=False)


def git(root: Path, *args: str, timeout: float = 120) -> str | None:
    """The output of a git command in `root`, or None when git is missing or the command fails."""
    try:
        result = subprocess.run(["git", "-c", "log.showSignature=false", "-C", str(root), *args],
                                capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None


def history(root: Path, folders: list[Path]) -> dict[str, list[Revision]]:
    """Path relative to `root` → its revisions, newest first.

    `--full-diff` lists every file of each commit, also outside `folders` and outside `root`."""
    root = Path(root).resolve()
    specs = [p.relative_to(root).as_posix() for p in (Path(f).resolve() for f in folders) if p.is_relative_to(root)]
    if not specs:
        return {}
    output = git(root, "log", "-z", "-M", "--full-diff", "--name-status", "--no-color", "--date=short", _FORMAT, "--", *specs)
    return parse_log(output or "", _prefix(root))


def _prefix(root: Path) -> str:
    """The handbook's folder in its git repository, as git writes paths: "" at the top, else "folder/"."""
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return "" if folder == root else root.relative_to(folder).as_posix() + "/"
    return ""


def handbook_history(handbook: Handbook) -> dict[str, list[Revision]]:
    """The history of every file of the handbook, keyed by `Handbook.report_path`.

    A commit message may name whatever the commit changed, so it is shown only when every file the
    commit touched is one the handbook publishes today: a published document or process, or one of
    the public registers `roles.yml` and `klassa.yml` (role pages and the navigation show all of
    them). Fail closed: a withheld file, a file that no longer exists (its class is unknown), any
    other file (an image, `mkdocs.yml`, code) or a file outside the handbook's folder leaves the
    entry in the history without its message."""
    found = history(handbook.root, [handbook.docs_dir, handbook.processes_dir])
    public = {handbook.report_path(handbook.docs_dir / d.path) for d in handbook.published_documents()}
    public |= {p.path for p in handbook.published_processes()}
    public |= {handbook.report_path(handbook.processes_dir / name) for name in ("roles.yml", "klassa.yml")}
    return {path: [r if r.files <= public else replace(r, subject=HIDDEN_SUBJECT) for r in revisions]
            for path, revisions in found.items()}


def parse_log(output: str, prefix: str = "") -> dict[str, list[Revision]]:
    """Parse `git log -z --name-status` with our format (newest commit first).

    Each file is followed back through renames to the path it has now. Before a commit that added a
    path (or renamed a file to it), that path named another file, which is no file of today (None);
    so is every path outside `prefix`, the handbook's folder in the repository."""
    result: dict[str, list[Revision]] = {}
    now: dict[str, str | None] = {}  # a path in older commits → the path of that file today

    for record in output.split(_RECORD)[1:]:
        header, _, files = record.partition("\0")
        fields = header.split(_FIELD)
        if len(fields) != 4:
            continue
        tokens = [t for t in files.lstrip("\n").split("\0") if t]
        changes, index = [], 0
        while index < len(tokens):
            status = tokens[index]
            width = 3 if status[0] in "RC" else 2  # a rename or copy names the old and the new path
            paths = tokens[index + 1:index + width]
            index += width
            if len(paths) == width - 1:
                changes.append((status[0], paths))
        touched = {paths[-1]: now.get(paths[-1], _inside(paths[-1], prefix)) for _, paths in changes}
        revision = Revision(fields[1], fields[0], fields[2], fields[3], frozenset(touched.values()))
        for path in dict.fromkeys(p for p in touched.values() if p is not None):
            result.setdefault(path, []).append(revision)
        for status, paths in changes:  # what the paths named before this commit
            if status == "R":
                now[paths[0]] = touched[paths[1]]
            if status in "ARC":
                now[paths[-1]] = None
    return result


def _inside(path: str, prefix: str) -> str | None:
    return path[len(prefix):] if path.startswith(prefix) else None
