"""Process pages, the process landscape and `mkdocs serve` reloading when a process file changes."""

import html as htmllib
import json
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from test_site import nav_labels
from conftest import BIN, MORE_ROLES, build, document, environment, process, run_handbook, write_handbook

pytestmark = pytest.mark.engines  # run on MkDocs and, by make test, on ProperDocs

STEPS = [
    {"id": "behov", "name": "Analysera behov", "role": "chef", "description": "Chefen analyserar.\n\nOch stämmer av.",
     "documents": ["hr/kravprofil.md", "hr/hemlig.md", "hr/mall.md"]},
    {"id": "beslut", "name": "Ska tjänsten utlysas?", "kind": "decision", "role": "hr-chef",
     "next": {"Ja": "annons", "Nej": "hemligt"}},
    {"id": "annons", "name": "Annonsera", "role": "hr-konsult", "kind": "subprocess", "process": "annonsering"},
    {"id": "hemligt", "name": "Intern rekrytering", "role": "hr-konsult", "kind": "subprocess", "process": "intern"},
]
FILES = {
    "docs/hr/kravprofil.md": document("Rutin för kravprofil", klassa="2.3.2"),
    "docs/hr/mall.md": document("Mall för annons", klassa="2.3.2", doc_type="mall"),
    "docs/hr/hemlig.md": document("HEMLIG RUTIN", klassa="2.3.2", information_class="K3"),
    "processes/hr/rekrytering.yml": process(
        "rekrytering", STEPS, name="Rekrytering", klassa="2.3.2", purpose="Rätt person på rätt plats.",
        trigger="Behov av kompetens", customer="Rekryterande chef", result="En anställd medarbetare",
        inputs=["Bemanningsplan"], outputs=["Anställningsavtal", "Besked"]),
    "processes/hr/annonsering.yml": process("annonsering", [{"id": "a", "name": "Skriv annons", "role": "hr-konsult"}],
                                            name="Annonsering", klassa="2.3.2"),
    "processes/intern.yml": process("intern", [{"id": "a", "name": "HEMLIGT STEG", "role": "hr-konsult"}],
                                    name="HEMLIG PROCESS", klassa="2.3.2", information_class="K3"),
    "processes/styr.yml": process("styr", [{"id": "a", "name": "Dialogdag", "role": "hr-chef"}], name="Styrprocessen", klassa="1.2"),
    "processes/bygglov.yml": process("bygglov", [{"id": "a", "name": "Pröva", "role": "registrator"}], name="Bygglov",
                                     klassa="3.1", review_date="2026-01-01"),
    "processes/vilse.yml": process("vilse", [{"id": "a", "name": "Gör", "role": "chef"}], name="Vilsen process", klassa="9.9"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_handbook(tmp_path_factory.mktemp("processes") / "h", FILES, roles=MORE_ROLES)
    built = build(root)
    assert built.returncode == 0, built.output
    return built


def article(html: str) -> str:
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def test_process_page_shows_facts_card_map_and_steps(site):
    page = article(site.page("processer/rekrytering"))
    assert 'data-kind="process"' in page and "<h1>Rekrytering</h1>" in page
    text = text_of(page)
    assert '<h2 id="syfte">' in page
    for words in ("Rätt person på rätt plats.", "Startar när Behov av kompetens", "Kund / mottagare Rekryterande chef",
                  "Resultat En anställd medarbetare", "Indata Bemanningsplan", "Utdata Anställningsavtal Besked"):
        assert words in text
    assert page.count('<pre class="mermaid">') == 1
    assert text.index("Processkarta") < text.index("Steg Roll Beskrivning Dokument Nästa")


def step_rows(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr id="steg-([^"]+)"[^>]*>(.*?)</tr>', page, re.S))


def test_step_table_links_roles_documents_and_subprocesses(site):
    rows = step_rows(article(site.page("processer/rekrytering")))
    assert list(rows) == ["behov", "beslut", "annons", "hemligt"]
    assert '<a href="../../roller/chef/">Rekryterande chef</a>' in rows["behov"]
    assert '<a href="../../hr/kravprofil/">Rutin för kravprofil</a>' in rows["behov"]
    assert '<a href="../../hr/mall/">Mall för annons</a>' in rows["behov"]
    assert '<span class="hb-withheld">Ej publicerat dokument</span>' in rows["behov"]
    assert "<p>Chefen analyserar.</p><p>Och stämmer av.</p>" in rows["behov"]
    assert 'Ja: <a href="#steg-annons">Annonsera</a>' in rows["beslut"] and "(Beslut)" in rows["beslut"]
    assert 'Delprocess: <a href="../annonsering/">Annonsering</a>' in rows["annons"]
    assert '<span class="hb-withheld">Ej publicerad process</span>' in rows["hemligt"]
    assert "Processen slutar" in rows["hemligt"]


def test_classified_content_is_nowhere_in_maps_or_pages(site):
    for url in ("processer/rekrytering", "processer"):
        page = site.page(url)
        assert "HEMLIG" not in page and "hr/hemlig" not in page and "processer/intern" not in page
    assert not site.has_page("processer/intern")
    mermaid = htmllib.unescape(article(site.page("processer/rekrytering")).split('<pre class="mermaid"><code>')[1].split("</code>")[0])
    assert 'click hbStep1 href "../../hr/kravprofil/"' in mermaid
    assert 'click hbStep3 href "../annonsering/"' in mermaid and "click hbStep4" not in mermaid


def test_search_finds_the_steps_but_not_the_mermaid_source(site):
    index = json.loads((site.site / "search/search_index.json").read_text("utf-8"))
    text = " ".join(e["text"] for e in index["docs"] if e["location"].startswith("processer/rekrytering/"))
    assert "Analysera behov" in text and "Chefen analyserar." in text and "Och stämmer av." in text
    assert "Behov av kompetens" in text and "Rätt person på rätt plats." in text  # trigger and purpose
    assert "hbStep" not in text and "flowchart" not in text
    # The step table's links repeat other pages' titles: search finds those pages, not every table naming them.
    assert "Rutin för kravprofil" not in text and "Simbanor" not in text and "Romber är beslut" not in text
    # What search read instead of the table is not on the page; the table is.
    page = site.page("processer/rekrytering")
    assert "handbook-stand-in" not in page and "1. Analysera behov –" not in page and "Startar när: Behov" not in page
    assert page.count('<tr id="steg-behov"') == 1


def test_swimlane_legend_links_role_pages(site):
    page = article(site.page("processer/rekrytering"))
    legend = page.split('<p class="hb-lanes">', 1)[1].split("</p>", 1)[0]
    assert re.findall(r'href="([^"]+)"', legend) == ["../../roller/chef/", "../../roller/hr-chef/", "../../roller/hr-konsult/"]


def test_landscape_bands_and_unclassified(site):
    page = article(site.page("processer"))
    bands = re.findall(r'<section class="hb-landscape__band hb-landscape__band--(\w+)"', page)
    assert bands == ["management", "core", "support"]
    sections = dict(zip(bands, page.split('<section class="hb-landscape__band')[1:]))
    assert re.findall(r'data-process="([^"]+)"', sections["management"]) == ["styr"]
    assert re.findall(r'data-process="([^"]+)"', sections["core"]) == ["bygglov"]
    assert re.findall(r'data-process="([^"]+)"', sections["support"].split("</section>")[0]) == ["annonsering", "rekrytering"]
    assert 'href="bygglov/"' in sections["core"] and 'data-review-status="overdue"' in sections["core"]
    assert "Invånarens behov" in sections["core"] and "Nöjd mottagare" in sections["core"]
    unclassified = page.split("Processer utan giltig Klassa-kod", 1)[1]
    assert re.findall(r'data-process="([^"]+)"', unclassified) == ["vilse"] and 'href="vilse/"' in unclassified
    for pid in ("styr", "bygglov", "annonsering", "rekrytering", "vilse"):
        assert site.has_page(f"processer/{pid}")


def test_landscape_without_processes(tmp_path):
    built = build(write_handbook(tmp_path / "h", {"docs/a.md": document("A")}))
    assert built.returncode == 0, built.output
    assert "Inga publicerade kärnprocesser ännu." in built.page("processer")


def test_process_pages_sit_in_the_klassa_tree(site):
    labels = nav_labels(site.page("processer/rekrytering"))
    branch = labels.index("2.3.2 Kompetensförsörjning")
    assert {"Annonsering", "Rekrytering"} <= set(labels[branch + 1:branch + 5])
    labels = nav_labels(site.page("processer/styr"))  # navigation.prune: only the open branch is in the page
    assert labels.index("Styrprocessen") > labels.index("1.2 Styrning")
    klassa = article(site.page("klassa/2.3.2"))
    assert 'href="../../processer/rekrytering/">Rekrytering</a>' in klassa
    assert 'href="../../processer/annonsering/">Annonsering</a>' in klassa


def test_process_id_index_cannot_take_the_landscapes_place(tmp_path):
    root = write_handbook(tmp_path / "h", {"processes/index.yml": process("index", [{"id": "a", "name": "Steg", "role": "hr-chef"}],
                                                                           name="Indexprocessen")})
    check = run_handbook(root, "check")
    assert check.returncode == 1
    assert 'processes/index.yml:1: error: process-id "index" är reserverat' in check.stdout
    built = build(root)
    assert built.returncode == 0, built.output
    assert '<section class="hb-landscape__band' in built.page("processer")
    assert "<h1>Indexprocessen</h1>" in built.page("processer/index-process")
    assert 'href="index-process/"' in built.page("processer")


def test_a_process_named_by_an_odd_file_name_is_published_and_every_link_to_it_arrives(tmp_path):
    """The id comes from the file name when the file has none; a wrong one is an error, the page stays."""
    text = process("x", [{"id": "a", "name": "Steg", "role": "hr-chef"}], name="Öppen process", id=None)
    root = write_handbook(tmp_path / "h", {"processes/Öppen process.yml": text})
    built = build(root)
    assert built.returncode == 0, built.output
    assert 'filnamnet ger process-id "Öppen process"' in built.output
    links = 0
    for url in ("processer", "klassa/2.3.2", "roller/hr-chef"):
        for href in re.findall(r'href="([^"#]*processer/[^"#]+)"', article(built.page(url))):
            target = (built.site / url / urllib.parse.unquote(href)).resolve()
            assert (target / "index.html").is_file(), (url, href)
            links += 1
    assert links >= 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.5)
    return False


def test_mkdocs_serve_reloads_when_a_process_file_changes(tmp_path):
    files = {"processes/p.yml": process("p", [{"id": "a", "name": "Första versionen", "role": "hr-chef"}], name="Processen")}
    root = write_handbook(tmp_path / "h", files)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")  # a file, not a pipe nobody reads: the server never blocks on it
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=root, env=environment(), stdout=log, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/processer/p/"
        assert wait_for(url, "Första versionen"), (tmp_path / "serve.log").read_text()
        (root / "processes/p.yml").write_text(
            process("p", [{"id": "a", "name": "Andra versionen", "role": "hr-chef"}], name="Processen"), "utf-8")
        assert wait_for(url, "Andra versionen"), (tmp_path / "serve.log").read_text()
    finally:
        log.close()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
