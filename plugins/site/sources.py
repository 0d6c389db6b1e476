"""What MkDocs will build and copy, for the handbook's gate (`core.gate`).

MkDocs follows symbolic links in `docs/` and copies the theme folders' files (the municipality's
`overrides/` among them), so each file is placed by where MkDocs found it, and checked by where
it really is.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..core.gate import SourceFile, inside


def in_folder(path: str, folder: str) -> bool:
    """Whether `path` lies in `folder` as written (without following links)."""
    return os.path.normpath(path).startswith(os.path.normpath(folder) + os.sep)


def docs_sources(files: Files, config: MkDocsConfig) -> list[SourceFile]:
    return [SourceFile(f.src_uri, Path(f.abs_src_path), f.inclusion.is_excluded())
            for f in files if f.abs_src_path and in_folder(f.abs_src_path, config.docs_dir)]


def config_references(config: MkDocsConfig) -> set[str]:
    """Files of docs/ the configuration itself uses: stylesheets, scripts, logo and favicon."""
    found = {str(getattr(s, "path", s)) for s in [*config.extra_css, *config.extra_javascript]}
    found |= {str(config.theme.get(key) or "") for key in ("logo", "favicon")}
    return {f.lstrip("/") for f in found if f and "://" not in f}


def outside_theme(file: File, config: MkDocsConfig) -> str | None:
    """A theme file that is a link out of its theme folder (or whose folder is unknown): its path, else None."""
    for folder in config.theme.dirs:
        if in_folder(file.abs_src_path, folder):
            return None if inside(Path(file.abs_src_path), Path(os.path.realpath(folder))) else file.abs_src_path
    return file.abs_src_path
