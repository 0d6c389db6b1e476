"""Revision history of every document and process from git, in ONE `git log` call.

Outside a git repository, or without git, the history is simply empty. Files that were
renamed keep the history from before the rename.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, replace
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


def git(root: Path, *args: str, timeout: float = 120) -> str | None:
    """The output of a git command in `root`, or None when git is missing or the command fails."""
    try:
        result = subprocess.run(["git", "-c", "log.showSignature=false", "-C", str(root), *args],
                                capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None


def history(root: Path, folders: list[Path]) -> dict[str, list[Revision]]:
    """Path relative to `root` → its revisions, newest first."""
    root = Path(root).resolve()
    specs = [p.relative_to(root).as_posix() for p in (Path(f).resolve() for f in folders) if p.is_relative_to(root)]
    if not specs:
        return {}
    output = git(root, "log", "-z", "-M", "--name-status", "--no-color", "--date=short", "--relative", _FORMAT, "--", *specs)
    return parse_log(output or "")


def handbook_history(handbook: Handbook) -> dict[str, list[Revision]]:
    """The history of every file of the handbook, keyed by `Handbook.report_path`.

    A commit that also changed an unpublished file may name it in its message, so such a
    message is not shown."""
    found = history(handbook.root, [handbook.docs_dir, handbook.processes_dir])
    withheld = [handbook.report_path(handbook.docs_dir / d.path) for d in handbook.documents.values() if not handbook.is_published(d)]
    withheld += [p.path for p in handbook.processes.values() if not handbook.is_published(p)]
    hidden = {r.commit for path in withheld for r in found.get(path, [])}
    return {path: [replace(r, subject=HIDDEN_SUBJECT) if r.commit in hidden else r for r in revisions]
            for path, revisions in found.items()}


def parse_log(output: str) -> dict[str, list[Revision]]:
    """Parse `git log -z --name-status` with our format, following renames back in time."""
    result: dict[str, list[Revision]] = {}
    renamed: dict[str, str] = {}  # an older path → the path it has now

    def current(path: str) -> str:
        seen = set()
        while path in renamed and path not in seen:
            seen.add(path)
            path = renamed[path]
        return path

    for record in output.split(_RECORD)[1:]:
        header, _, files = record.partition("\0")
        fields = header.split(_FIELD)
        if len(fields) != 4:
            continue
        revision = Revision(fields[1], fields[0], fields[2], fields[3])
        tokens = [t for t in files.lstrip("\n").split("\0") if t]
        index = 0
        while index < len(tokens):
            status = tokens[index]
            width = 3 if status[0] in "RC" else 2  # a rename or copy names the old and the new path
            paths = tokens[index + 1:index + width]
            index += width
            if not paths:
                break
            path = current(paths[-1])
            if status[0] == "R" and len(paths) == 2:
                renamed[paths[0]] = path
            result.setdefault(path, []).append(revision)
    return result
