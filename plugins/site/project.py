"""One reading of the settings, for the build and the command line alike.

The command line loads `mkdocs.yml` with MkDocs' own configuration loading (plugins as a list or
a mapping, `!ENV`, `INHERIT`), so the `handbook` plugin's options are validated by
`HandbookConfig` exactly as in the build, and it takes the list of files from MkDocs too: `check`,
`report`, `remind`, `publish` and the build cannot disagree on what is published.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError
from mkdocs.structure.files import get_files

from .. import engine
from ..core.gate import symlink_loops
from ..core.handbook import Handbook, Settings, SettingsError, today_from_env
from ..core.theme_keys import theme_inventory
from . import sources
from .config import HandbookConfig

PACKAGE = Path(__file__).resolve().parent.parent
CONFIG_FILE = "mkdocs.yml"
_TYPES = {"int": "ett heltal", "str": "text", "bool": "true eller false", "list": "en lista"}
_OPTION_ERROR = re.compile(r"Plugin 'handbook' option '([^']+)': (.*)")


def add_theme_dirs(config: MkDocsConfig, root: Path, overrides_dir: str) -> list[str]:
    """Templates: the municipality's overrides/, then the package's, then Material's own."""
    dirs = config.theme.dirs
    package = str(PACKAGE / "theme")
    if package not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, package)
        overrides = root / overrides_dir
        if overrides.is_dir() and not config.theme.custom_dir:
            dirs.insert(0, str(overrides))
    return dirs


def core_settings(options: HandbookConfig, today, theme_dirs) -> Settings:
    return Settings(today=today, due_days=options.due_days, k_limit=options.classification_limit,
                    doc_types=tuple(options.doc_types), theme=theme_inventory(theme_dirs),
                    evaluation_days=options.evaluation_days, activity_rutin_rule=options.activity_rutin_rule,
                    core_process_codes=tuple(str(c).strip() for c in options.core_process_codes))


@dataclass
class Project:
    """The handbook's folder, its MkDocs configuration and the plugin's options, as the build reads them."""

    root: Path
    config: MkDocsConfig
    options: HandbookConfig
    settings: Settings

    @property
    def docs_dir(self) -> Path:
        return Path(self.config.docs_dir)

    @property
    def processes_dir(self) -> Path:
        return self.root / self.options.processes_dir

    @property
    def site_url(self) -> str:
        return self.config.site_url or ""

    @property
    def site_name(self) -> str:
        return self.config.site_name or "Processhandboken"

    def handbook(self) -> Handbook:
        """The handbook read from the files MkDocs would build and copy."""
        found = None
        if self.docs_dir.is_dir() and not symlink_loops(self.docs_dir):
            found = sources.docs_sources(get_files(self.config), self.config)
        return Handbook.load(self.root, self.docs_dir, self.processes_dir, self.settings,
                             sources=found, config_refs=sources.config_references(self.config))


def find_root(start: str | Path) -> Path:
    """The folder of the nearest mkdocs.yml, from `start` upwards."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise SettingsError(f"hittar ingen {CONFIG_FILE} i {start} eller mapparna ovanför; kör kommandot i handbokens mapp "
                        "eller ange den med --root")


def load_project(start: str | Path = ".") -> Project:
    engine.name()  # HANDBOOK_ENGINE names an engine that is there
    root = find_root(start)
    config = _load(root / CONFIG_FILE)
    plugin = config.plugins.get("handbook")
    if plugin is None:
        raise SettingsError(f"{root / CONFIG_FILE}: handbook-pluginet saknas under plugins:; lägg till raden - handbook")
    add_theme_dirs(config, root, plugin.config.overrides_dir)
    settings = core_settings(plugin.config, today_from_env(), config.theme.dirs)
    return Project(root, config, plugin.config, settings)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _load(path: Path) -> MkDocsConfig:
    """MkDocs' loading with its English messages turned into one Swedish settings error."""
    collect, logger = _Collect(), logging.getLogger("mkdocs")
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    try:
        return load_config(config_file=str(path))
    except (Abort, ConfigurationError) as exc:
        messages = collect.messages or [str(exc)]
        raise SettingsError(f"{path}: inställningarna kan inte läsas: " + "; ".join(_swedish(m) for m in messages)) from None
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate


def _swedish(message: str) -> str:
    match = _OPTION_ERROR.search(message)
    if not match:
        return message.removeprefix("Aborted with a configuration error!").strip()
    option, detail = match.groups()
    expected = re.search(r"Expected type: <class '(\w+)'>", detail)
    if expected:
        return f"handbook-inställningen {option} ska vara {_TYPES.get(expected.group(1), expected.group(1))}"
    if "Unrecognised configuration name" in detail or "unrecognised" in detail.lower():
        return f"handbook-inställningen {option} finns inte; se README, avsnittet om pluginets inställningar"
    return f"handbook-inställningen {option} har ett felaktigt värde ({detail})"
