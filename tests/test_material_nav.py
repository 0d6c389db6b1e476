"""The side navigation written in Python (site/material_nav.py) is Material's, on every page.

Each handbook is built twice, with `fast_navigation` on and off (Material's own Jinja macro), and
every HTML page must be the same but for whitespace between tags.
"""

from __future__ import annotations

import re
from pathlib import Path

import markupsafe
import pytest
from material import templates as material_templates
from mkdocs.theme import Theme

from conftest import REPO, build, document, process, write_handbook, MORE_ROLES
from handbook.site import material_nav
from test_generate import files, generate

OPTION = "      overrides_dir: overrides   # the municipality's own look, used when the folder exists\n"


EXTRA = "extra:\n  generator: false\n"


def mkdocs_yml(fast: bool, features: tuple[str, ...] = (), status_titles: bool = False) -> str:
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    assert OPTION in text and EXTRA in text
    if status_titles:  # Material's page status: titles from extra.status
        text = text.replace(EXTRA, EXTRA + "  status:\n    new: Ny sida\n")
    text = text.replace(OPTION, OPTION + f"      fast_navigation: {'true' if fast else 'false'}\n")
    text = text.replace("    - navigation.instant\n", "".join(f"    - {f}\n" for f in features) + "    - navigation.instant\n")
    return text


def normalized(html: str) -> str:
    """Whitespace runs as one space, none between two tags: how a browser lays the navigation out."""
    return re.sub(r"> <", "><", re.sub(r"\s+", " ", html))


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in sorted(site.rglob("*.html"))}


def build_both(tmp_path: Path, files: dict[str, str], roles=MORE_ROLES, today: str = "2026-11-21", **yml) -> tuple[dict, dict]:
    sites = []
    for fast in (True, False):
        root = write_handbook(tmp_path / f"fast-{fast}", files, roles=roles, mkdocs_yml=mkdocs_yml(fast, **yml))
        built = build(root, today=today)
        assert built.returncode == 0, built.output
        sites.append(pages(built.site))
    return sites[0], sites[1]


def assert_same_pages(fast: dict, slow: dict) -> None:
    assert fast.keys() == slow.keys()
    assert len(fast) > 5
    for name in fast:
        assert normalized(fast[name]) == normalized(slow[name]), name
    # The comparison means something only if the two ways really wrote different bytes.
    assert all(fast[name] != slow[name] for name in fast)


def test_reference_handbook_navigation_is_materials(tmp_path):
    handbook = {**{f"docs/{k}": v for k, v in files(REPO / "docs").items()},
                **{f"processes/{k}": v for k, v in files(REPO / "processes").items()}}
    fast, slow = build_both(tmp_path, handbook, roles=None)
    assert_same_pages(fast, slow)


def test_generated_handbook_navigation_is_materials(tmp_path):
    """Deep Klassa trees, busy and quiet codes, free folders, classified pages left out."""
    out = generate(tmp_path / "generated", 120, 6)
    fast, slow = build_both(tmp_path, files(out), roles=None, today="2026-06-01")
    assert_same_pages(fast, slow)


HOSTILE = 'Rutin <b>fet</b> & "citat" \'apostrof\' {{ x }} %% <script>alert(1)</script>'


def test_odd_titles_tables_of_contents_and_materials_own_page_keys(tmp_path):
    files = {
        "docs/hr/fet.md": document(HOSTILE, "## Första <i>rubrik</i> & mer\n\nText.\n\n### Under\n\nText.\n\n## Andra\n\nText.\n"),
        "docs/hr/h1.md": document("Med H1", "# Stor rubrik\n\n## Del ett\n\nText.\n\n## Del två\n\nText.\n", klassa="2.3.2.1"),
        "docs/hr/ingen-toc.md": document("Utan rubriker", "Bara text.\n", klassa="2.3.2.1"),
        "docs/hr/ikon.md": document("Med ikon", "## A\n\nText.\n", icon="material/file-document", subtitle="Undertitel <em>x</em>",
                                    status="new", klassa="2.3.1"),
        "docs/hr/status.md": document("Med status", "Text.\n", status="deprecated", klassa="2.3.1"),
        "docs/fritt/index.md": "# Fri mapp\n\nText.\n",
        "docs/fritt/sida.md": "---\ntitle: Fri <sida>\n---\n\n## Rubrik\n\nText.\n",
        "docs/fritt/djup/sida.md": "# Djup sida\n\nText.\n",
        "processes/rekrytering.yml": process("rekrytering", [
            {"id": "a", "name": "Analysera", "role": "chef", "documents": ["hr/fet.md"]},
            {"id": "b", "name": "Besluta", "role": "hr-chef"}], klassa="2.3.2.1"),
    }
    fast, slow = build_both(tmp_path, files, status_titles=True)
    assert_same_pages(fast, slow)
    escaped = str(markupsafe.escape(HOSTILE))
    assert f'<span class="md-ellipsis"> {escaped} </span>' in fast["hr/fet/index.html"]
    assert "<script>alert(1)" not in fast["hr/fet/index.html"]
    assert '<span class="md-status md-status--new" title="Ny sida"></span>' in fast["hr/ikon/index.html"]
    assert '<span class="md-status md-status--deprecated"></span>' in fast["hr/ikon/index.html"]


SMALL = {
    "docs/hr/a.md": document("Rutin A", "## Del\n\nText.\n"),
    "docs/hr/b.md": document("Rutin B", klassa="2.3.2.1"),
    "docs/fritt/sida.md": "# Fri sida\n\nText.\n",
}


def test_features_it_does_not_write_leave_the_navigation_to_material(tmp_path):
    fast, slow = build_both(tmp_path, SMALL, features=("navigation.tabs", "navigation.sections"))
    assert fast == slow
    assert "md-nav__item--section" in fast["hr/a/index.html"]


def test_a_municipalitys_own_nav_item_template_is_used(tmp_path):
    theirs = (Path(material_templates.__file__).parent / "partials" / "nav-item.html").read_text("utf-8")
    marked = theirs.replace('<span class="md-ellipsis">', '<span class="md-ellipsis" data-tallby>')
    assert marked != theirs
    root = write_handbook(tmp_path / "h", {**SMALL, "overrides/partials/nav-item.html": marked})
    built = build(root)
    assert built.returncode == 0, built.output
    assert "data-tallby" in built.page("hr/a")


def test_nav_partial_is_materials_with_the_python_items():
    """The override differs from Material's partial only by the if/else around its loop: it cannot drift."""
    theirs = (Path(material_templates.__file__).parent / "partials" / "nav.html").read_text("utf-8").split("-#}\n", 1)[1]
    ours = (REPO / "plugins" / "theme" / "partials" / "nav.html").read_text("utf-8").split("-#}\n", 1)[1]
    loop = ('    {% for nav_item in nav.items %}\n      {% set path = "__nav_" ~ loop.index %}\n'
            '      {{ item.render(nav_item, path, 1) }}\n    {% endfor %}\n')
    assert loop in theirs
    assert ours == theirs.replace(loop, '    {% if handbook_navigation %}\n'
                                        '      {{ handbook_navigation(nav, page, base_url, lang.t("toc")) }}\n'
                                        '    {% else %}\n' + loop + '    {% endif %}\n')


@pytest.fixture(scope="module")
def material_env():
    return Theme(name="material").get_env()


@pytest.mark.parametrize("version", ["9.8.0", "9.8.2", "9.9.0", "10.0.0", "9.8.1.post1", "9.8"])
def test_another_material_version_gets_materials_own_navigation(material_env, version):
    assert not material_nav.stands_in(material_env, [], material_version=version)
    assert material_nav.stands_in(material_env, [], material_version=material_nav.WRITTEN_FOR)


def test_the_installed_material_is_the_version_it_was_written_for(material_env):
    assert material_nav.installed_material() == material_nav.WRITTEN_FOR == "9.8.1"
    assert material_nav.stands_in(material_env, [])
