"""The core knows nothing of MkDocs, so the domain can move to another site generator."""

import pkgutil
import subprocess
import sys

import handbook.core


def test_core_imports_nothing_from_mkdocs():
    modules = [f"handbook.core.{m.name}" for m in pkgutil.iter_modules(handbook.core.__path__)]
    assert len(modules) > 10
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + \
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'pymdownx', 'markdown')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
