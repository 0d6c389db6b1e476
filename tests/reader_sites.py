"""The two handbooks the reader tests (test_start_page.py, test_role_matrix.py) open in Chromium,
built once per test run: the reference handbook, and one from the benchmark's generator with 40
roles and 100 processes whose writing guide is in a folder of another name (option guide_folder).
Neither has a docs/index.md, so both get the generated start page.
"""

from __future__ import annotations

import functools

import pytest

from browser import Browser, served_site
from conftest import REPO, TODAY, Built, build, project_mkdocs_yml, write_handbook
from test_generate import files, generate

SEED = 16  # no other test's seed
PROCESSES = 100
GUIDE = "for-dokumentagare"
GUIDE_FILES = {
    f"docs/{GUIDE}/index.md": "# För dokumentägare\n\nSå skriver du i handboken.\n",
    f"docs/{GUIDE}/granska.md": "# Granska ett dokument\n\nSå granskar du.\n",
}
GENERATED_TODAY = "2026-06-01"  # the generator's review dates lie around it


def once(make):
    """Build on the first call of the test run; later calls, from any module, get the same site."""
    built = []

    @functools.wraps(make)
    def get(tmp_path_factory):
        if not built:
            built.append(make(tmp_path_factory))
        return built[0]
    return get


@once
def reference(tmp_path_factory) -> Built:
    assert not (REPO / "docs" / "index.md").exists(), "the reference handbook shows the generated start page"
    built = build(REPO, strict=True, today=TODAY, site=tmp_path_factory.mktemp("reference") / "site")
    assert built.returncode == 0, built.output
    built.today = TODAY
    return built


@once
def generated(tmp_path_factory) -> Built:
    folder = tmp_path_factory.mktemp("generated")
    content = files(generate(folder / "generated", 60, PROCESSES, seed=SEED))
    mkdocs_yml = project_mkdocs_yml().replace("  - handbook:\n", f"  - handbook:\n      guide_folder: {GUIDE}\n", 1)
    root = write_handbook(folder / "h", {**content, **GUIDE_FILES}, roles=None, mkdocs_yml=mkdocs_yml)
    (root / "docs" / "index.md").unlink()
    built = build(root, strict=True, today=GENERATED_TODAY)
    assert built.returncode == 0, built.output
    built.today = GENERATED_TODAY
    return built


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """Both handbooks, for a module's tests."""
    return {"referens": reference(tmp_path_factory), "genererad": generated(tmp_path_factory)}


@pytest.fixture(scope="module", params=["referens", "genererad"])
def browser(request, sites):
    """One Chromium per handbook, serving its site; the module's tests run once for each."""
    built = sites[request.param]
    with served_site(built.site) as base_url, Browser(base_url) as session:
        session.built, session.name = built, request.param
        yield session
