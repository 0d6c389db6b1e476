"""The core knows nothing of MkDocs, so the domain can move to another site generator.

Python-Markdown is not MkDocs: it is the one extension point every engine runs (MkDocs, ProperDocs,
Zensical; issue 21 item 4), so the core's Markdown extensions may import it, and nothing else may.
"""

import pkgutil
import subprocess
import sys

import handbook.core

MARKDOWN_EXTENSIONS = {"handbook.core.html_blocks_extension", "handbook.core.tasklist"}


def _imported(modules: list[str]) -> list[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + \
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'material', 'pymdownx', 'markdown'}))"
    return eval(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def test_core_imports_nothing_from_mkdocs():
    modules = [f"handbook.core.{m.name}" for m in pkgutil.iter_modules(handbook.core.__path__)]
    assert len(modules) > 10 and MARKDOWN_EXTENSIONS <= set(modules)
    assert _imported([m for m in modules if m not in MARKDOWN_EXTENSIONS]) == []
    assert _imported(modules) == ["markdown"]  # the extensions bring Python-Markdown only
