"""The handbook's settings as written in `mkdocs.yml`, read without MkDocs.

The command line and the build must agree, so both take the `handbook` plugin's options
from the same file. `!ENV` is resolved as MkDocs resolves it; other tags such as
`!!python/name:` are read as empty values.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .handbook import Settings, today_from_env


class _TolerantLoader(yaml.SafeLoader):
    pass


def _environment_value(loader: yaml.SafeLoader, node: yaml.Node):
    """`!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable that is set, else the default."""
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[v] for v in variables if v in os.environ), default)


_TolerantLoader.add_constructor("!ENV", _environment_value)
_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass
class HandbookLayout:
    root: Path
    docs_dir: Path
    processes_dir: Path
    settings: Settings
    options: dict
    site_url: str = ""  # mkdocs.yml site_url: reminders and reports link to the published pages
    site_name: str = "Processhandboken"


def read_layout(root: str | Path, config_file: str = "mkdocs.yml") -> HandbookLayout:
    """Where docs/ and processes/ are and which settings apply, from `root/mkdocs.yml` if present."""
    root = Path(root).resolve()
    config: dict = {}
    path = root / config_file
    if path.is_file():
        try:
            loaded = yaml.load(path.read_text("utf-8"), Loader=_TolerantLoader)
            config = loaded if isinstance(loaded, dict) else {}
        except (yaml.YAMLError, UnicodeDecodeError):
            config = {}
    options = plugin_options(config)
    defaults = Settings(today=today_from_env())
    settings = Settings(
        today=defaults.today,
        due_days=int(options.get("due_days", defaults.due_days)),
        k_limit=int(options.get("classification_limit", defaults.k_limit)),
        doc_types=tuple(options.get("doc_types", defaults.doc_types)),
    )
    return HandbookLayout(root, root / str(config.get("docs_dir", "docs")),
                          root / str(options.get("processes_dir", "processes")), settings, options,
                          str(config.get("site_url") or ""), str(config.get("site_name") or "Processhandboken"))


def plugin_options(config: dict) -> dict:
    for entry in config.get("plugins") or []:
        if entry == "handbook":
            return {}
        if isinstance(entry, dict) and "handbook" in entry:
            return entry["handbook"] or {}
    return {}
