"""Where things live in the built site: MkDocs' directory URLs (the contract's), relative to the site root."""

from __future__ import annotations

import functools
import posixpath
from urllib.parse import quote


@functools.lru_cache(maxsize=None)  # pure, and asked for again by every list that names the page
def document_url(path: str) -> str:
    """The URL of `docs/<path>`, as MkDocs gives it."""
    parent, _, name = path.rpartition("/")
    stem = name.removesuffix(".md")
    prefix = f"{parent}/" if parent else ""
    return quote(prefix if stem in ("index", "README") else f"{prefix}{stem}/")


@functools.lru_cache(maxsize=None)
def process_url(process_id: str) -> str:
    return f"processer/{quote(process_id)}/"


@functools.lru_cache(maxsize=None)
def role_url(role_id: str) -> str:
    return f"roller/{quote(role_id)}/"


def klassa_url(code: str | None = None) -> str:
    return f"klassa/{code}/" if code else "klassa/"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, both relative to the site root."""
    base = posixpath.dirname(from_url.rstrip("/")) if not from_url.endswith("/") else from_url.rstrip("/")
    target, anchor = (to_url.split("#", 1) + [""])[:2]
    rel = _relpath(target or ".", base or ".")
    if (target == "" or target.endswith("/")) and rel != ".":
        rel += "/"
    if rel == ".":
        rel = "./"
    return rel + (f"#{anchor}" if anchor else "")


def _relpath(target: str, base: str) -> str:
    """posixpath.relpath for two site-root-relative paths, without its calls to os.getcwd()."""
    if target.startswith("/") or base.startswith("/") or ".." in target or ".." in base:
        return posixpath.relpath(target, base)
    to = [part for part in target.split("/") if part not in ("", ".")]
    start = [part for part in base.split("/") if part not in ("", ".")]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."
