"""Which engine builds the handbook: MkDocs 1.x or ProperDocs, its maintained fork; the plugin runs on both.

`HANDBOOK_ENGINE=mkdocs|properdocs` chooses when both are installed; otherwise the installed one is
used, MkDocs first. ProperDocs answers `import mkdocs` only once its alias is loaded (its own
command line does that first), so the `handbook` command loads it before anything imports MkDocs.
"""

from __future__ import annotations

import importlib.util
import os
import sys

VARIABLE = "HANDBOOK_ENGINE"
ENGINES = ("mkdocs", "properdocs")


class EngineError(ValueError):
    """No engine, or not the one asked for, with a Swedish message."""


def name() -> str:
    chosen = os.environ.get(VARIABLE, "").strip().lower()
    if chosen and chosen not in ENGINES:
        raise EngineError(f"{VARIABLE}={chosen} är ingen motor som handboken kan byggas med; välj mkdocs eller properdocs")
    for engine in [chosen] if chosen else ENGINES:
        if _installed(engine):
            return engine
    if chosen:
        raise EngineError(f"{VARIABLE}={chosen}, men {chosen} är inte installerat; installera det med pip install {chosen}")
    raise EngineError("varken MkDocs eller ProperDocs är installerat; installera handboken med pip install -e .")


def _installed(engine: str) -> bool:
    module = sys.modules.get(engine)
    return (module is not None and module.__name__ == engine) or importlib.util.find_spec(engine) is not None


def command(*args: str) -> list[str]:
    """The chosen engine's command line, run by this Python: `[python, -m, mkdocs, *args]`."""
    return [sys.executable, "-m", name(), *args]


def load() -> None:
    """Before anything imports MkDocs: let `import mkdocs` reach the chosen engine."""
    try:
        chosen = name()
    except EngineError:
        return  # said when a command needs the engine
    if chosen == "properdocs" and "mkdocs" not in sys.modules:
        import properdocs.replacement  # noqa: F401 - installs the alias mkdocs → properdocs
