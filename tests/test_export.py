"""`handbook export DIR`: an ordinary MkDocs project that plain Material and Zensical build without the plugin.

The reference handbook is built once with the plugin and once from its export by each engine; every
page's article text and navigation labels are compared. The one expected difference: Zensical
prints a page's tags (its type and state, which the export keeps for search) at the foot of the
article, where Material without its tags plugin prints none; that element is left out of the
comparison. A second, small handbook carries a canary in everything the gate withholds and
hostile titles in the navigation.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markupsafe
import pytest
import yaml

from handbook.core.handbook import Handbook

from conftest import BIN, REPO, build, document, environment, process, run_handbook, write_handbook
from reader_sites import reference

CANARY = "KANARIEEXPORT9q2"
FORGED = "0123456789abcdef" * 2  # an author's page naming an HTML block: none is pulled in, no comment is left
HOSTILE = ['Titel: <b>fet</b> & ]: [x] #ej kommentar', "- *stjärna* !tagg 'enkel' \"dubbel\" {a: b} | yes",
           "null", "&amp; <script>alert(1)</script> `kod` %s {{ x }}"]


# -- reading built pages -----------------------------------------------------------------


class _Page(HTMLParser):
    """The text of `article.md-content__inner` (less Zensical's md-tags) and the primary navigation's labels."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base", "embed", "track"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.article = self.skip = self.nav = self.label = 0
        self.text: list[str] = []
        self.labels: list[str] = []
        self._label: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.skip or (self.article and "md-tags" in classes):
            self.skip += 1
            return
        if self.article or (tag == "article" and "md-content__inner" in classes):
            self.article += 1
        if self.nav or (tag == "nav" and "md-nav--primary" in classes):
            self.nav += 1
        if self.label or (self.nav and tag == "span" and "md-ellipsis" in classes):
            self.label += 1
            self._label = self._label if self.label > 1 else []

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.skip:
            self.skip -= 1
            return
        self.article = max(self.article - 1, 0)
        if self.label:
            self.label -= 1
            if not self.label:
                self.labels.append(" ".join("".join(self._label).split()))
        self.nav = max(self.nav - 1, 0)

    def handle_data(self, data):
        if self.article and not self.skip:
            self.text.append(data)
        if self.label:
            self._label.append(data)


@functools.lru_cache(maxsize=None)
def read(path: Path) -> tuple[str, list[str]]:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    return " ".join(" ".join(page.text).split()), tuple(page.labels)


def pages(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).parent.as_posix(): p for p in site.rglob("index.html") if p.relative_to(site).parts[0] != "assets"}


def zensical(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "zensical"), "build"], cwd=folder, env=environment(), capture_output=True, text=True,
                          timeout=300)


def export_and_build(root: Path, folder: Path) -> dict:
    result = run_handbook(root, "export", str(folder))
    assert result.returncode == 0, result.stderr
    material = build(folder, strict=True, site=folder.parent / f"{folder.name}-material")
    assert material.returncode == 0, material.output
    zen = zensical(folder)
    assert zen.returncode == 0, zen.stdout + zen.stderr
    return {"material": material.site, "zensical": folder / "site"}


# -- the reference handbook: plugin build against the export's two builds ------------------------


@pytest.fixture(scope="module")
def reference_sites(tmp_path_factory):
    plugin = reference(tmp_path_factory)
    folder = tmp_path_factory.mktemp("export") / "export"
    return plugin.site, folder, export_and_build(REPO, folder)


@pytest.mark.parametrize("engine", ["material", "zensical"])
def test_every_page_reads_as_in_the_plugin_build(reference_sites, engine):
    plugin, _, built = reference_sites
    expected, got = pages(plugin), pages(built[engine])
    assert sorted(got) == sorted(expected) and len(expected) > 100
    text_differs = [url for url in expected if read(expected[url])[0] != read(got[url])[0]]
    nav_differs = [url for url in expected if read(expected[url])[1] != read(got[url])[1]]
    assert text_differs == [] and nav_differs == []
    # The comparison sees what matters: the card, a banner, a process's step table, a Klassa list, the macros.
    texts = {url: read(path)[0] for url, path in got.items()}
    assert sum("Dokumentansvarig" in t for t in texts.values()) > 30 and any("Versionshistorik" in t for t in texts.values())
    assert sum("Steg Roll Beskrivning Dokument Nästa" in t for t in texts.values()) >= 5
    assert "Dokument av typen mall" in texts["skriva-i-handboken/listor"]
    catalogs = [json.loads((site / "handbook.json").read_text("utf-8")) for site in (built[engine], plugin)]
    for found in catalogs:  # the version stamp names the commit: another may land between the two builds
        found.pop("version")
    assert catalogs[0] == catalogs[1] and catalogs[0]["documents"]


def test_the_export_is_an_ordinary_project(reference_sites):
    _, folder, _ = reference_sites
    config = yaml.load((folder / "mkdocs.yml").read_text("utf-8"), Loader=yaml.Loader)  # noqa: S506 - our own file
    assert "handbook" not in json.dumps(config.get("plugins"))  # no plugin of ours, so nothing an engine may skip
    assert "handbook.site.guard" not in (folder / "mkdocs.yml").read_text("utf-8")
    assert config["theme"]["name"] == "material" and config["theme"]["language"] == "sv"
    assert "assets/handbook/mermaid-loader.js" in config["extra_javascript"]
    assert (folder / "docs/assets/handbook/mermaid/mermaid.min.js").is_file()  # drawn from the site itself
    # Nothing of what the reference handbook withholds is in the export: not its K2+ documents, not unused files.
    withheld = Handbook.load(REPO).withheld_files
    assert any(why == "klassad" for why in withheld.values())
    for src_uri in withheld:
        assert not (folder / "docs" / src_uri).exists(), src_uri


# -- canary and hostile titles -------------------------------------------------------------------


FILES = {
    "docs/hr/rutin.md": document("Rutin för kravprofil", f"""Se [den hemliga planen {CANARY}](hemlig-{CANARY}.md) och
[bilagan {CANARY}](underlag-{CANARY}.pdf), <a href="../hemlig-{CANARY}/">html {CANARY}</a>,
[referens][r], [processen {CANARY}](../processer/hemlig/) och http://127.0.0.1:8000/hr/hemlig-{CANARY}/ .

- [ ] Kryssa i

<!--handbook-html:{FORGED}-->

<!--handbook-html-unsearched:{FORGED}-->

[r]: hemlig-{CANARY}.md
"""),
    f"docs/hr/hemlig-{CANARY}.md": document(f"Plan {CANARY}", f"Text {CANARY} och [bilagan](underlag-{CANARY}.pdf).\n",
                                            information_class="K3"),
    f"docs/hr/underlag-{CANARY}.pdf": f"%PDF-1.4 {CANARY}".encode(),
    "docs/hr/bild.png": b"\x89PNG published attachment",
    "docs/hr/med-bild.md": document(json.dumps(HOSTILE[0]), "![bild](bild.png)\n"),
    "docs/hr/b.md": document(json.dumps(HOSTILE[1]), klassa="2.3.2.1"),
    "docs/hr/c.md": document(json.dumps(HOSTILE[2]), doc_type="riktlinje"),
    "docs/fria/index.md": f"---\ntitle: {json.dumps(HOSTILE[3])}\n---\n\nFri sida.\n",
    "docs/fria/annan.md": "# Annan fri sida\n\nText.\n",
    "processes/p.yml": process("p", [{"id": "a", "name": "Pröva", "role": "hr-chef", "documents": ["hr/rutin.md"]}],
                               name=HOSTILE[0]),
    "processes/hemlig.yml": process("hemlig", [{"id": "x", "name": f"Steg {CANARY}", "role": "hr-chef",
                                                "documents": [f"hr/hemlig-{CANARY}.md"]}],
                                    name=f"Process {CANARY}", information_class="K3"),
}


@pytest.fixture(scope="module")
def canary_sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("canary")
    # The task-list extension under its earlier name, as an older project's mkdocs.yml has it.
    config = (REPO / "mkdocs.yml").read_text("utf-8").replace("- handbook.core.tasklist", "- handbook.site.tasklist")
    root = write_handbook(base / "h", FILES, klassa={"2.3.2.1": "Lokal ]: <i>kod</i> & #1"}, mkdocs_yml=config)
    folder = base / "export"
    return root, folder, export_and_build(root, folder)


def test_nothing_withheld_in_any_byte(canary_sites):
    root, folder, built = canary_sites
    checked = 0
    for top in (folder, built["material"]):
        for path in top.rglob("*"):
            assert CANARY not in str(path.relative_to(top)), path
            if path.is_file():
                assert CANARY.encode() not in path.read_bytes(), path
                checked += 1
    assert checked > 50 and (folder / "site" / "hr" / "rutin" / "index.html").is_file()
    assert (folder / "docs/hr/bild.png").is_file()  # the attachment the gate publishes is there
    page = (built["material"] / "hr/rutin/index.html").read_text("utf-8")
    assert page.count("[ej publicerat innehåll]") >= 5
    assert 'aria-label="Kryssa i"' in page  # the task-list extension runs in the export too
    assert "- handbook.core.tasklist" in (folder / "mkdocs.yml").read_text("utf-8")  # by its current name
    for engine in ("material", "zensical"):
        assert "<!--handbook" not in (built[engine] / "hr/rutin/index.html").read_text("utf-8")
    # The generated pages' HTML blocks lie beside mkdocs.yml (checked above with every byte), not in docs/.
    blocks = json.loads((folder / "handbook-blocks.json").read_text("utf-8"))["blocks"]
    assert len(blocks) >= 5 and not (built["material"] / "handbook-blocks.json").exists()
    assert any("hb-steps" in html and "Pröva" in html for html in blocks.values())
    assert "hb-steps" not in (folder / "docs/processer/p.md").read_text("utf-8")  # the page's Markdown names the block


def test_a_standalone_export_builds_without_the_handbook_package(canary_sites, tmp_path):
    root, _, built = canary_sites
    folder = tmp_path / "fristaende"
    result = run_handbook(root, "export", str(folder), "--standalone")
    assert result.returncode == 0 and "handbook.core.tasklist" in result.stderr and "skärmläsare" in result.stderr
    config = yaml.load((folder / "mkdocs.yml").read_text("utf-8"), Loader=yaml.Loader)  # noqa: S506 - our own file
    assert not [e for e in config["markdown_extensions"] if "handbook" in json.dumps(e, default=str)], config["markdown_extensions"]
    assert "pymdownx.tasklist" in json.dumps(config["markdown_extensions"], default=str) and not (folder / "handbook-blocks.json").exists()
    blocked = ("import sys; sys.modules['handbook'] = None; from mkdocs.__main__ import cli; "
               "cli.main(['build', '--strict', '-q'], prog_name='mkdocs')")  # any import of the package fails
    made = subprocess.run([sys.executable, "-c", blocked], cwd=folder, env=environment(), capture_output=True, text=True,
                          timeout=300)
    assert made.returncode == 0, made.stderr
    for path in [*folder.rglob("*")]:
        assert CANARY not in str(path) and (path.is_dir() or CANARY.encode() not in path.read_bytes()), path
    for url in ("klassa", "processer/p", "hr/rutin"):  # the blocks written into the page read as those of the file
        assert read(folder / "site" / url / "index.html")[0] == read(built["material"] / url / "index.html")[0], url


def test_hostile_titles_reach_the_navigation_as_text(canary_sites):
    root, folder, built = canary_sites
    config = yaml.load((folder / "mkdocs.yml").read_text("utf-8"), Loader=yaml.Loader)  # noqa: S506 - our own file

    def titles(items):
        for item in items:
            (title, value), = item.items()
            yield title
            if isinstance(value, list):
                yield from titles(value)

    written = list(titles(config["nav"]))
    for title in [*HOSTILE, "Lokal ]: <i>kod</i> & #1"]:  # one escaping, for a theme that prints titles as HTML
        assert any(str(markupsafe.escape(title)) in w for w in written), title
    for engine in ("material", "zensical"):
        labels = read(built[engine] / "index.html")[1] + read(built[engine] / "hr/b/index.html")[1]
        for title in [*HOSTILE, "Lokal ]: <i>kod</i> & #1"]:
            assert any(title in label for label in labels), (engine, title, labels)
        assert "<script>alert(1)" not in (built[engine] / "index.html").read_text("utf-8")


def test_the_folder_is_written_only_when_empty_or_an_earlier_export(canary_sites, tmp_path):
    root, folder, _ = canary_sites
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "egen.txt").write_text("min fil")
    refused = run_handbook(root, "export", str(busy), "--force")
    assert refused.returncode == 2 and "inte tom" in refused.stderr and "Traceback" not in refused.stderr
    assert [p.name for p in busy.iterdir()] == ["egen.txt"]
    # An earlier export with a build in it (site/, .cache/) or a file of one's own is replaced only with --force.
    (folder / "docs" / "egen.md").write_text("# Egen\n")
    kept = run_handbook(root, "export", str(folder))
    assert kept.returncode == 2 and "docs/egen.md" in kept.stderr and "site/" in kept.stderr
    assert (folder / "docs" / "hr" / "c.md").is_file()
    # What the gate withholds since the last export is taken away with it.
    (root / "docs" / "hr" / "c.md").write_text(document(json.dumps(HOSTILE[2]), information_class="K3"), "utf-8")
    assert run_handbook(root, "export", str(folder), "--force").returncode == 0
    assert (folder / "docs" / "egen.md").is_file() and not (folder / "docs" / "hr" / "c.md").exists()
    assert "hr/c.md" not in (folder / "mkdocs.yml").read_text("utf-8")
    inside = run_handbook(root, "export", str(root / "docs" / "ut"))
    assert inside.returncode == 2 and "docs/" in inside.stderr and not (root / "docs" / "ut").exists()


@pytest.mark.browser
def test_zensical_draws_the_map_offline(reference_sites):
    """The export's Zensical build draws a process map with the site's own mermaid.js; nothing leaves 127.0.0.1."""
    from browser import Browser, diagram, served_site  # here, not at the top: only this test drives Chromium

    _, _, built = reference_sites
    with served_site(built["zensical"]) as base_url, Browser(base_url) as session:
        session.open("processer/rekrytering/")
        drawn = diagram(session)
        assert drawn["nodes"] >= 5 and drawn["lanes"] >= 2 and not drawn["error"]
        assert any(url.endswith("assets/handbook/mermaid/mermaid.min.js") for url in session.requests)
        assert session.foreign_requests() == [] and session.errors == []


def _search_entries(site: Path) -> list[dict]:
    """The search index's entries: Material's search/search_index.json ("docs") or Zensical's search.json ("items")."""
    for path, key in ((site / "search" / "search_index.json", "docs"), (site / "search.json", "items")):
        if path.is_file():
            return json.loads(path.read_text("utf-8"))[key]
    raise AssertionError(f"inget sökindex i {site}")


def test_lists_search_leaves_out_in_the_plugin_build_are_left_out_of_the_exports_search_too(reference_sites):
    """A Klassa page's list of documents is put back after search by the plugin; an engine with no stage
    after search is told by data-search-exclude (Zensical also refuses a section too long for its index)."""
    plugin, _, built = reference_sites
    klassa = [p for p in pages(plugin) if p.startswith("klassa/")]
    listed = {url: [a.strip() for a in re.findall(r'<li[^>]*>\s*<a [^>]*>([^<]{12,})</a>', pages(plugin)[url].read_text("utf-8"))]
              for url in klassa}
    listed = {url: titles for url, titles in listed.items() if titles}
    assert listed, "ingen Klassa-sida med en lista"
    for site in (plugin, built["material"], built["zensical"]):
        entries = _search_entries(site)
        for url, titles in listed.items():
            text = " ".join(e.get("text", "") for e in entries if e["location"].split("#")[0].rstrip("/") == url)
            assert not [t for t in titles if t in text], (site, url)
    assert any(t in " ".join(e.get("text", "") for e in _search_entries(built["zensical"])) for ts in listed.values() for t in ts)
