"""A build by an engine that does not run the `handbook` plugin fails, and publishes nothing classified.

Zensical (pinned in the test extras) reads mkdocs.yml, skips our plugin and runs the Markdown
extensions; so does MkDocs with `- handbook` taken out of `plugins:`. The extension
handbook.site.guard refuses to render any page then. Zensical stops at the first page it cannot
render (exit 1) and leaves behind only its theme's assets, an empty search index, an empty
sitemap, a 404 page with the site name and its cache: nothing from any page.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, REPO, build, document, environment, write_handbook

TITLE_CANARY = "KANARIE-TITEL-7f3a"
BODY_CANARY = "KANARIE-TEXT-7f3a"
SWEDISH = "pluginet handbook inte har körts"

FILES = {
    "docs/hr/hemlig.md": document(f"Hemlig {TITLE_CANARY}", f"Hemlig text {BODY_CANARY}.\n", information_class="K3"),
    "docs/hr/oppen.md": document("Öppen rutin", "Öppen text.\n", information_class="K1"),
}


def leaks(folder: Path) -> list[str]:
    """Every file under folder (but docs/, the sources) holding a canary in its bytes or its name."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and "docs" not in path.relative_to(folder).parts[:1]:
            data = path.read_bytes()
            if any(c.encode() in data or c in str(path) for c in (TITLE_CANARY, BODY_CANARY)):
                found.append(str(path.relative_to(folder)))
    return found


def without_handbook_plugin(config: str) -> str:
    """mkdocs.yml with the `- handbook:` entry and its options taken out of `plugins:`."""
    return re.sub(r"\n  - handbook:\n(?:      .*\n)+", "\n", config)


def test_zensical_fails_in_swedish_and_publishes_nothing_classified(tmp_path):
    root = write_handbook(tmp_path / "h", FILES)
    result = subprocess.run([str(BIN / "zensical"), "build"], cwd=root, env=environment(),
                            capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert SWEDISH in output and "mkdocs build" in output
    assert (root / "site").is_dir()  # it did write: assets, 404.html, search.json, sitemap.xml
    assert not list((root / "site").rglob("index.html"))  # but not one page
    assert leaks(root) == []
    assert TITLE_CANARY not in output and BODY_CANARY not in output


def test_mkdocs_without_the_plugin_fails_in_swedish(tmp_path):
    config = without_handbook_plugin((REPO / "mkdocs.yml").read_text("utf-8"))
    assert "- handbook:" not in config and "handbook.site.guard" in config
    root = write_handbook(tmp_path / "h", FILES, mkdocs_yml=config)
    built = build(root)
    assert built.returncode != 0, built.output
    assert SWEDISH in built.output and "Traceback" not in built.output
    assert leaks(root) == []


def test_with_the_plugin_the_guard_lets_pages_render(tmp_path):
    built = build(write_handbook(tmp_path / "h", FILES), strict=True)
    assert built.returncode == 0, built.output
    assert "Öppen text." in built.page("hr/oppen")
    assert leaks(built.root) == []


@pytest.mark.parametrize("engine", ["zensical", "mkdocs"])
def test_the_guard_is_what_stops_them(tmp_path, engine):
    """Without the guard in mkdocs.yml both engines publish the classified page: the guard is the protection."""
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = "\n".join(line for line in config.splitlines() if "handbook.site.guard" not in line) + "\n"
    if engine == "mkdocs":
        config = without_handbook_plugin(config)
    root = write_handbook(tmp_path / "h", FILES, mkdocs_yml=config)
    if engine == "zensical":
        result = subprocess.run([str(BIN / "zensical"), "build"], cwd=root, env=environment(),
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
    else:
        assert build(root).returncode == 0
    assert leaks(root) != []
