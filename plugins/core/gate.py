"""Which files of `docs/` the site may publish: default deny.

The engine (MkDocs) says which files it will build or copy (`SourceFile`); the handbook decides
for each of them. A page is published only when the handbook read it as a `.md` file inside
`docs/` and its K level is within the limit. Everything else that would reach the site is
withheld: other Markdown extensions, files behind a symbolic link out of `docs/`, front matter
that cannot be read. An attachment (image, PDF, stylesheet …) is published only when a published
page (or the site configuration) refers to it and no withheld page does: an attachment follows
the pages it belongs to, so the bilaga of a classified document is withheld with it.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

# What MkDocs builds as a page (any case); the handbook reads only `.md`.
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
# Attachments whose own text may refer to further attachments (a stylesheet's url(...)).
_TEXT_SUFFIXES = (".css", ".js", ".html", ".htm", ".svg")
_TOKEN = re.compile(r"[^\s\"'<>()\[\]{}|,=*`]+")


@dataclass(frozen=True)
class SourceFile:
    """A file the engine found in `docs/`: `src_uri` relative to docs/, `path` as the engine reads it."""

    src_uri: str
    path: Path
    excluded: bool = False  # the engine neither builds nor copies it (exclude_docs, drafts)


def is_page(src_uri: str) -> bool:
    return src_uri.lower().endswith(MARKDOWN_SUFFIXES)


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every symbolic link followed, lies in `folder` (itself resolved)."""
    try:
        real = os.path.realpath(path) if os.path.islink(path) else os.path.join(_real_folder(os.path.dirname(path)), path.name)
        return real.startswith(os.path.join(folder, ""))
    except (OSError, ValueError):
        return False


@functools.lru_cache(maxsize=4096)  # a handbook's files share a few hundred folders; cleared per reading
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def forget_folders() -> None:
    """A new reading: folders may have become links since the last one (`mkdocs serve`)."""
    _real_folder.cache_clear()


def walk_docs(docs_dir: Path) -> list[SourceFile]:
    """The files of docs/ as MkDocs' default settings take them, for use without MkDocs.

    Like MkDocs it follows symbolic links to folders, but never into a folder it has already
    walked, so a link loop ends.
    """
    found: list[SourceFile] = []
    seen: set[str] = set()
    for folder, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        relative = Path(folder).relative_to(docs_dir).as_posix()
        names = set(filenames)
        for name in sorted(filenames):
            src_uri = name if relative == "." else f"{relative}/{name}"
            excluded = (name.startswith(".") or src_uri.startswith("templates/")
                        or (name.lower() == "readme.md" and "index.md" in names))
            found.append(SourceFile(src_uri, Path(folder) / name, excluded))
    return found


def symlink_loops(folder: Path) -> list[Path]:
    """Symbolic links to folders that contain the link itself: an engine that follows links never ends."""
    loops = []
    for parent, dirnames, _ in os.walk(folder):  # does not follow links
        for name in dirnames:
            link = Path(parent) / name
            if link.is_symlink():
                target = Path(os.path.realpath(link))
                if Path(os.path.realpath(parent)).is_relative_to(target):
                    loops.append(link)
    return loops


def references(text: str, src_uri: str, page_url: str, candidates: dict[str, set[str]]) -> set[str]:
    """The attachments (`candidates`: last path segment → src_uris) that `text` may refer to.

    Deliberately generous: any token that resolves to an attachment from the source file's
    folder, the page's URL or the docs root counts, whatever Markdown or HTML form it stands in.
    """
    found: set[str] = set()
    if not candidates:
        return found
    bases = {posixpath.dirname(src_uri), page_url.rstrip("/"), ""}
    for token in _TOKEN.findall(text):
        path = unquote(token.split("#", 1)[0].split("?", 1)[0])
        name = path.rstrip("/").rsplit("/", 1)[-1]
        if name not in candidates:
            continue
        for base in bases:
            target = posixpath.normpath(posixpath.join(base, path.lstrip("/")) if not path.startswith("/") else path.lstrip("/"))
            if target in candidates[name]:
                found.add(target)
    return found


def attachment_candidates(src_uris) -> dict[str, set[str]]:
    candidates: dict[str, set[str]] = {}
    for src_uri in src_uris:
        candidates.setdefault(src_uri.rsplit("/", 1)[-1], set()).add(src_uri)
    return candidates


def is_text_attachment(src_uri: str) -> bool:
    return src_uri.lower().endswith(_TEXT_SUFFIXES)
