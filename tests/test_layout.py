"""The project's mkdocs.yml builds a handbook folder that has only mkdocs.yml, docs/ and processes/."""

import shutil

from conftest import build, document, write_handbook


def test_builds_without_overrides_folder(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/a.md": document("A")})
    shutil.rmtree(root / "overrides")
    built = build(root, strict=True)
    assert built.returncode == 0, built.output
    assert 'class="hb-card"' in built.page("a")


def test_overrides_folder_is_used_when_present(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/a.md": document("A")})
    (root / "overrides" / "main.html").write_text('{% extends "base.html" %}{% block announce %}KOMMUNENS-EGEN-RUBRIK{% endblock %}', "utf-8")
    built = build(root, strict=True)
    assert "KOMMUNENS-EGEN-RUBRIK" in built.page("a")


def test_a_handbook_without_start_page_gets_one(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/a.md": document("A")})
    (root / "docs" / "index.md").unlink()
    built = build(root, strict=True)
    assert built.returncode == 0, built.output
    start = (built.site / "index.html").read_text("utf-8")
    assert "Startsida" in start and 'href="klassa/"' in start and 'href="processer/"' in start
    assert "Startsida" in built.page("a").split("md-nav--primary", 1)[1]  # first in the navigation
