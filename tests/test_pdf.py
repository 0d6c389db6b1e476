"""Controlled PDFs (issue 18 item 5): one per published document and process, the edition, the
PDF/A archive copy; checked with poppler-utils and two independent validators from package
registries: outloud (PyPI, PDF/UA-1) on the tagged PDFs and Apache PDFBox Preflight (Debian's
libpdfbox2-java, PDF/A-1b) on the archive copies. One handbook is built once for the module."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
from pathlib import Path
import urllib.parse
import urllib.request
from urllib.parse import quote, unquote

import pikepdf
import pytest

from conftest import BIN, build, document, process, run_handbook, write_handbook


def handbook_child(*args, **kwargs):
    """`handbook` as a child process, as the nightly job runs it: printing uses Playwright's sync API, which
    cannot start beside the test process's own (browser.py)."""
    return run_handbook(*args, in_process=False, **kwargs)


pytestmark = pytest.mark.browser

CANARY = "KANARIEPDF91C2"
SITE_URL = "https://intra.tallby.se/handbok/"
TITLE = 'Rutin för <b>introduktion</b> & "mottagning"'
BODY = ("## Syfte\n\nAtt ta emot nya medarbetare.\n\n## Steg\n\n1. Förbered.\n2. Ta emot.\n3. Följ upp.\n\n"
        "## Checklista\n\n- [x] Dator beställd\n- [ ] Nycklar utlämnade\n\n"  # Chromium draws checkboxes as tagged forms
        "Se [processen](../processer/p/) och [hemliga rutinen](hemlig.md).\n\n![Schema över mottagandet](schema.png)\n")


def _translucent_png() -> bytes:
    """A PNG with an alpha channel: a fully transparent band and a half-transparent red rest."""
    import io

    from PIL import Image

    image = Image.new("RGBA", (60, 40), (200, 0, 0, 128))
    for x in range(20):
        for y in range(40):
            image.putpixel((x, y), (0, 0, 255, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()



FILES = {
    "docs/hr/schema.png": _translucent_png(),
    "docs/hr/rutin-för.md": document(TITLE, body=BODY, version="2.1", diarienummer="KS 2026/0042", valid_from="2025-01-01"),
    "docs/hr/hemlig.md": document(f"Hemlig {CANARY}", body=f"Text {CANARY}.\n", information_class="K3",
                                  diarienummer=f"DNR-{CANARY}"),
    "processes/p.yml": process("p", [
        {"id": "a", "name": "Förbered mottagandet", "role": "hr-chef", "documents": ["hr/rutin-för.md"]},
        {"id": "b", "name": "Är allt klart?", "role": "hr-chef", "kind": "decision", "next": {"Ja": "c", "Nej": "a"}},
        {"id": "c", "name": "Avsluta introduktionen", "role": "hr-chef"}], name="Introduktionsprocessen",
        diarienummer="KS 2026/0043", valid_from="2025-02-01"),
}
PREFLIGHT_CLASSPATH = ":".join(f"/usr/share/java/{jar}.jar" for jar in (
    "preflight", "pdfbox2", "fontbox2", "xmpbox", "commons-logging", "javax.activation", "jaxb-api"))


def git(repo: Path, *args: str, day: str = "2025-01-01") -> None:
    when = f"{day}T10:00:00+01:00"
    env = {**os.environ, "GIT_AUTHOR_NAME": "Anna", "GIT_AUTHOR_EMAIL": "anna@tallby.se", "GIT_AUTHOR_DATE": when,
           "GIT_COMMITTER_NAME": "Anna", "GIT_COMMITTER_EMAIL": "anna@tallby.se", "GIT_COMMITTER_DATE": when,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Version 2.0 of the rutin decided, then 2.1 (the one in FILES); built with PDFs, an edition, an archive export."""
    tmp = tmp_path_factory.mktemp("pdf")
    root = write_handbook(tmp / "h", {**FILES, "docs/hr/rutin-för.md": document(
        TITLE, body=BODY, version="2.0", diarienummer="KS 2024/0007", valid_from="2024-03-01")})
    git(root, "init", "-q")
    git(root, "add", "docs", "processes")
    git(root, "commit", "-q", "-m", "Version 2.0", day="2024-02-20")
    (root / "docs/hr/rutin-för.md").write_text(FILES["docs/hr/rutin-för.md"], "utf-8")
    git(root, "commit", "-q", "-am", "Version 2.1", day="2024-12-20")
    built = build(root, HANDBOOK_PDF="1", HANDBOOK_SITE_URL=SITE_URL)
    assert built.returncode == 0, built.output
    edition = tmp / "utgava.pdf"
    result = handbook_child(root, "pdf", "--edition", "--site-dir", str(built.site), "-o", str(edition), HANDBOOK_SITE_URL=SITE_URL)
    assert result.returncode == 0, result.stderr
    out = tmp / "diarium"
    exported = handbook_child(root, "archive", "--out", str(out), "--site-dir", str(built.site), HANDBOOK_SITE_URL=SITE_URL)
    assert exported.returncode == 0, exported.stderr
    again = handbook_child(root, "archive", "--out", str(out), "--site-dir", str(built.site), HANDBOOK_SITE_URL=SITE_URL)
    return built, edition, out, result.stdout, exported.stdout, again.stdout


def text(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-layout", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def info(path: Path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line) | {"_": out}


def pages(path: Path) -> int:
    return int(info(path)["Pages"].strip())


def test_pages_link_to_their_pdf_and_only_published_ones_have_one(made):
    built, *_ = made
    page = built.page("hr/rutin-för")
    link = re.search(r'<a class="md-button hb-pdf__link" href="([^"]+)"', page)
    assert link and link.group(1).endswith("pdf/hr/rutin-f%C3%B6r.pdf"), "ingen PDF-länk"
    from browser import served_site

    with served_site(built.site) as base:  # the link, followed as a browser does, gives the PDF
        response = urllib.request.urlopen(urllib.parse.urljoin(base + quote("hr/rutin-för/"), link.group(1)))
        assert response.status == 200 and response.read(5) == b"%PDF-"
    assert "Ladda ner som PDF" in built.page("processer/p")
    assert "Ladda ner som PDF" not in text(built.site / "pdf" / "hr" / "rutin-för.pdf")  # the button is not printed
    index = json.loads((built.site / "pdf" / "index.json").read_text("utf-8"))
    assert sorted(e["pdf"] for e in index) == [quote("pdf/hr/rutin-för.pdf"), "pdf/processer/p.pdf"]
    assert not (built.site / "pdf" / "hr" / "hemlig.pdf").exists()


def test_each_pdf_opens_tagged_with_header_and_footer_on_every_sheet(made):
    built, *_ = made
    for name, title, version, valid, dnr in (("hr/rutin-för", TITLE, "2.1", "2025-01-01", "KS 2026/0042"),
                                             ("processer/p", "Introduktionsprocessen", "1.0", "2025-02-01", "KS 2026/0043")):
        pdf = built.site / "pdf" / f"{name}.pdf"
        meta = info(pdf)
        address = SITE_URL + name + "/"  # as a reader types it: ö, not %C3%B6
        assert meta["Tagged"].strip() == "yes" and meta["Title"].strip() == title
        count = pages(pdf)
        for n in range(1, count + 1):
            sheet = " ".join(text(pdf, "-f", str(n), "-l", str(n)).split())
            assert f"{title} · version {version} · gäller fr.o.m. {valid} · diarienummer {dnr}" in sheet, (name, n)
            assert f"Utskriven kopia är ostyrd — gällande version finns på intranätet: {address}" in sheet
            assert "Utskriftsdatum 2026-11-21" in sheet and f"Sida {n} av {count}" in sheet


def test_the_process_map_is_in_the_pdf_as_vectors(made):
    built, *_ = made
    pdf = built.site / "pdf" / "processer" / "p.pdf"
    words = " ".join(text(pdf).split())
    assert "Processkarta: Introduktionsprocessen" in words
    for step in ("Förbered mottagandet", "Är allt klart?", "Avsluta introduktionen"):
        assert words.count(step) >= 2, step  # in the map's slice and in the step table
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2, images  # the header lines only: no raster anywhere
    sheets = [n for n in range(1, pages(pdf) + 1) if "Processkarta:" in text(pdf, "-f", str(n), "-l", str(n))]
    assert sheets
    with pikepdf.open(pdf) as doc:  # the map's sheet draws its boxes and arrows as paths
        page = doc.pages[sheets[0] - 1]
        assert float(page.mediabox[2]) > float(page.mediabox[3])  # landscape
        assert _paintings(page.obj) > 20


def _paintings(owner, seen=None) -> int:
    """Path-painting operators of a page or form, the forms it draws included."""
    seen = set() if seen is None else seen
    ops = [str(i.operator) for i in pikepdf.parse_content_stream(owner)]
    count = sum(ops.count(op) for op in ("f", "f*", "S", "s", "B", "B*", "b", "b*"))
    for xobject in owner.get("/Resources", {}).get("/XObject", {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            count += _paintings(xobject, seen)
    return count


def test_the_edition_has_cover_contents_every_item_and_page_numbers(made):
    built, edition, _, output, *_ = made
    stamp = json.loads((built.site / "handbook.json").read_text("utf-8"))["version"]
    count = pages(edition)
    assert f"utgåvan" in output and f"{count} sidor" in output
    cover = " ".join(text(edition, "-f", "1", "-l", "1").split())
    assert f"Version: {stamp['label']}" in cover
    contents = " ".join(text(edition, "-f", "2", "-l", "2").split())
    assert "Innehåll" in contents and "2.3.2" in contents
    item_pages = {name: pages(built.site / "pdf" / f"{name}.pdf") for name in ("processer/p", "hr/rutin-för")}
    assert count == 2 + sum(item_pages.values())
    # the contents give each item's first page; that page is the item's first sheet
    start_process = int(re.search(r"Introduktionsprocessen \(version 1\.0\) (\d+)", contents).group(1))
    start_doc = int(re.search(r"mottagning\" \(version 2\.1\) (\d+)", contents).group(1))
    assert (start_process, start_doc) == (3, 3 + item_pages["processer/p"])
    for n, title in ((start_process, "Introduktionsprocessen"), (start_doc, TITLE)):
        assert f"{title} · version" in " ".join(text(edition, "-f", str(n), "-l", str(n)).split())
    for n in range(2, count + 1):
        assert f"Sida {n} av {count}" in " ".join(text(edition, "-f", str(n), "-l", str(n)).split()), n
        # at the foot of the sheet, right, in the margin (not drawn in the sheet's own coordinates)
        boxes = subprocess.run(["pdftotext", "-bbox", "-f", str(n), "-l", str(n), str(edition), "-"],
                               capture_output=True, text=True, check=True).stdout
        size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', boxes)
        width, height = float(size.group(1)), float(size.group(2))
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', boxes)
        last = [w for w in words if w[4] == str(count)][-1]
        assert float(last[1]) > height - 15 * 72 / 25.4 and float(last[2]) > width * 0.8, (n, last, width, height)
    with pikepdf.open(edition) as doc, doc.open_outline() as outline:
        assert [i.title for i in outline.root] == ["Innehåll", "Introduktionsprocessen", TITLE]
        assert info(edition)["Tagged"].strip() == "yes"


def _outloud(paths: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "outloud"), "--layer", "conformance", "--fail-on", "error", *map(str, paths)],
                          capture_output=True, text=True)


def _preflight(path: Path) -> subprocess.Popen:
    return subprocess.Popen(["java", "-cp", PREFLIGHT_CLASSPATH, "org.apache.pdfbox.preflight.Validator_A1b", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_independent_validators_pass_tagged_pdfs_and_pdfa_copies_and_fail_what_is_not(made, tmp_path):
    built, edition, out, *_ = made
    printed = [built.site / "pdf" / "hr" / "rutin-för.pdf", built.site / "pdf" / "processer" / "p.pdf"]
    archive = {path.stem: path for path in sorted(out.glob("*.pdf"))}
    assert len(archive) == 3
    # Preflight on the newest rutin (picture, checklist) and the process (map); a JVM each, so not on 2.0 too
    running = {name: _preflight(path) for name, path in archive.items() if not name.endswith("version-2.0")}
    running["not-pdfa"] = _preflight(printed[1])  # Chromium's own output has transparency: must be refused
    checked = _outloud([*printed, edition])
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert "3 file(s): 3 pass, 0 review, 0 fail, 0 unreadable" in checked.stdout, checked.stdout[-3000:]
    # outloud fails a PDF whose content is outside the structure tree (what Chromium writes for its footer)
    raw = tmp_path / "raw.pdf"
    with pikepdf.open(printed[0]) as doc:
        for page in doc.pages:
            page.contents_add(doc.make_stream(b"BT /F1 9 Tf 10 10 Td (x) Tj ET"), prepend=False)
        doc.save(raw)
    assert _outloud([raw]).returncode != 0
    for name, proc in running.items():
        out = proc.communicate(timeout=120)[0]
        if name == "not-pdfa":
            assert "is not a valid PDF/A-1b file" in out and "Transparency" in out, out[-2000:]
        else:
            assert "is a valid PDF/A-1b file" in out, out[-3000:]
            assert info(archive[name])["Tagged"].strip() == "yes"
    with pikepdf.open(archive["hr-rutin-f-r_version-2.1"]) as doc:  # the picture is there, composited over white
        images = [pikepdf.PdfImage(x) for p in doc.pages for x in p.get_images().values()]
        assert len(images) == 1 and "/SMask" not in images[0].obj
        picture = images[0].as_pil_image().convert("RGB")
        assert picture.getpixel((5, 20)) == (255, 255, 255)  # the transparent band: white, not black or blue
        assert all(abs(a - b) <= 3 for a, b in zip(picture.getpixel((50, 20)), (227, 127, 127)))  # half red over white


def test_nothing_withheld_in_any_pdf(made, tmp_path):
    built, edition, out, *_ = made
    every = [*sorted((built.site / "pdf").rglob("*.pdf")), edition, *sorted(out.glob("*.pdf"))]
    for path in every:
        assert CANARY not in text(path), path
        plain = tmp_path / "plain.pdf"
        with pikepdf.open(path) as doc:
            doc.save(plain, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.all)
        assert CANARY.encode() not in plain.read_bytes() and CANARY.encode() not in path.read_bytes(), path
    assert "Se processen och [ej publicerat innehåll]." in " ".join(text(built.site / "pdf" / "hr" / "rutin-för.pdf").split())


def test_archive_export_writes_each_decided_version_once_with_its_record(made):
    built, _, out, _, exported, again = made
    assert "3 nya versioner" in exported and "0 nya versioner" in again and "(3 i arkivförteckningen)" in again
    records = json.loads((out / "arkivforteckning.json").read_text("utf-8"))
    by_version = {(r["id"], r["version"]): r for r in records}
    assert set(by_version) == {("hr/rutin-för.md", "2.0"), ("hr/rutin-för.md", "2.1"), ("p", "1.0")}
    old = by_version[("hr/rutin-för.md", "2.0")]
    assert (old["titel"], old["status"], old["diarienummer"], old["giltig_fran"], old["giltig_till"], old["beslutad_av"],
            old["klassa"]) == (TITLE, "fastställd", "KS 2024/0007", "2024-03-01", "2025-01-01", "Kommunstyrelsen", "2.3.2")
    assert re.fullmatch(r"[0-9a-f]{40}", old["commit"]) and old["pdf_format"].startswith("PDF/A-1b")
    assert old["adress"] == SITE_URL + quote("arkiv/hr/rutin-för/2.0/")
    assert json.loads((out / old["fil"].replace(".pdf", ".json")).read_text("utf-8")) == old
    sheet = " ".join(text(out / old["fil"]).split())  # the archived version's own text and metadata
    assert "version 2.0 · gäller fr.o.m. 2024-03-01 · diarienummer KS 2024/0007" in sheet
    assert "Detta är inte gällande version" in sheet
    rows = list(csv.reader((out / "arkivforteckning.csv").read_text("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:5] == ["fil", "typ", "id", "titel", "version"] and len(rows) == 4


def test_without_a_site_or_a_browser_a_swedish_error_and_nothing_written(made, tmp_path):
    built, *_ = made
    unbuilt = handbook_child(built.root, "pdf", "--site-dir", str(tmp_path / "saknas"))
    assert unbuilt.returncode == 2 and "ingen byggd webbplats" in unbuilt.stderr and "Traceback" not in unbuilt.stderr
    out = tmp_path / "utgava.pdf"
    missing = handbook_child(built.root, "pdf", "--edition", "--site-dir", str(built.site), "-o", str(out),
                           HANDBOOK_CHROMIUM=str(tmp_path / "ingen-chromium"))
    assert missing.returncode == 2 and "Chromium saknas" in missing.stderr and "Traceback" not in missing.stderr
    assert not out.exists()


def test_a_night_reuses_the_pdf_of_every_unchanged_page_and_prints_a_changed_one(made, tmp_path, monkeypatch):
    import datetime as dt
    import shutil

    from handbook.core.pdf_print import PrintError, write_pages
    from handbook.site.project import load_project

    built, *_ = made
    monkeypatch.setenv("HANDBOOK_CHROMIUM", str(tmp_path / "ingen-chromium"))  # printing anything would fail
    handbook = load_project(built.root).handbook()
    tonight = tmp_path / "site"
    shutil.copytree(built.site, tonight)
    shutil.rmtree(tonight / "pdf")
    entries = write_pages(tonight, handbook, SITE_URL, dt.date(2026, 11, 22), previous=built.site, log=lambda _: None)
    assert len(entries) == 2 and {e["printed"] for e in entries} == {"2026-11-21"}  # the night each was made
    for entry in entries:
        path = unquote(entry["pdf"])
        assert (tonight / path).read_bytes() == (built.site / path).read_bytes()
    page = tonight / "hr" / "rutin-för" / "index.html"
    page.write_text(page.read_text("utf-8").replace("Att ta emot nya medarbetare.", "Att ta emot alla nya medarbetare."), "utf-8")
    with pytest.raises(PrintError, match="Chromium saknas"):
        write_pages(tonight, handbook, SITE_URL, dt.date(2026, 11, 22), previous=built.site, log=lambda _: None)


def _link_addresses(pdf: Path) -> list[str]:
    with pikepdf.open(pdf) as doc:
        return [str(a.A.URI) for page in doc.pages for a in page.obj.get("/Annots", [])
                if "/A" in a and "/URI" in a.A]


def test_links_in_a_pdf_lead_to_the_intranet_not_to_the_printing_server(made):
    built, edition, out, *_ = made
    found = _link_addresses(built.site / "pdf" / "hr" / "rutin-för.pdf")
    assert SITE_URL + "roller/hr-chef/" in found, found
    archived = next(out.glob("*.pdf"))
    for pdf in (built.site / "pdf" / "hr" / "rutin-för.pdf", built.site / "pdf" / "processer" / "p.pdf", edition, archived):
        addresses = _link_addresses(pdf)
        assert not [a for a in addresses if "127.0.0.1" in a or not a.startswith(SITE_URL)], (pdf, addresses)


def test_a_page_without_scripted_parts_prints_the_same_without_scripts(made, tmp_path, monkeypatch):
    """The shortcut of print_jobs (a tab with scripts off for pages that need none) changes no word."""
    import datetime as dt

    from handbook.core import pdf_print
    from handbook.core.pdf import Target, footer_template, header_template

    built, *_ = made
    url = quote("hr/rutin-för/")
    assert not pdf_print.needs_script(built.site, url) and pdf_print.needs_script(built.site, "processer/p/")
    for part, scripted in (('<details class="note"><summary>Obs</summary>Text</details>', True),
                           ('<div class="tabbed-set">', True), ('<details class="hb-history">', False), ("<p>Text</p>", False)):
        (tmp_path / "s" / "x").mkdir(parents=True, exist_ok=True)
        (tmp_path / "s" / "x" / "index.html").write_text(f"<html><article>{part}</article></html>", "utf-8")
        assert pdf_print.needs_script(tmp_path / "s", "x/") is scripted, part
    target = Target("document", "hr/rutin-för.md", TITLE, "2.1", "2025-01-01", "KS 2026/0042", "", url)
    job = (url, tmp_path / "utan.pdf", header_template(target), footer_template(target, SITE_URL, dt.date(2026, 11, 21)),
           False, TITLE)
    answers = iter([False, True])  # one browser, one tab at a time: the page without scripts, then with them
    monkeypatch.setattr(pdf_print, "needs_script", lambda site, url: next(answers))
    assert pdf_print.print_jobs(built.site, [job, (url, tmp_path / "med.pdf", *job[2:])], site_url=SITE_URL, workers=1) == 2
    without, scripted = text(tmp_path / "utan.pdf"), text(tmp_path / "med.pdf")
    assert "Att ta emot nya medarbetare." in without and without == scripted
    assert pages(tmp_path / "utan.pdf") == pages(tmp_path / "med.pdf")


def test_a_time_limit_leaves_pdfs_for_a_later_build_and_their_links_out_meanwhile(made, tmp_path):
    import datetime as dt
    import shutil

    from handbook.core.pdf_print import write_pages
    from handbook.site.project import load_project

    built, *_ = made
    handbook = load_project(built.root).handbook()
    first = tmp_path / "natt1"
    shutil.copytree(built.site, first)
    shutil.rmtree(first / "pdf")
    said = []
    entries = write_pages(first, handbook, SITE_URL, dt.date(2026, 11, 22), log=said.append, time_limit=1e-9)
    assert entries == [] and not list((first / "pdf").rglob("*.pdf"))
    assert "2 väntar på ett senare bygge" in said[0] and "handbook pdf utan tidsgräns" in said[0]
    for page in ("hr/rutin-för", "processer/p"):
        html = (first / page / "index.html").read_text("utf-8")
        assert "Ladda ner som PDF" not in html and "<article" in html  # the link only is gone
    assert "Ladda ner som PDF" in built.page("hr/rutin-för")
    # Markup changed, the words not: last night's PDF stands for tonight and is printed again when time allows.
    second = tmp_path / "natt2"
    shutil.copytree(built.site, second)
    shutil.rmtree(second / "pdf")
    page = second / "hr" / "rutin-för" / "index.html"
    page.write_text(page.read_text("utf-8").replace("<article ", '<article data-ny-mall="1" ', 1), "utf-8")
    said.clear()
    entries = write_pages(second, handbook, SITE_URL, dt.date(2026, 11, 23), previous=built.site, log=said.append,
                          time_limit=1e-9)
    assert len(entries) == 2 and all(e["printed"] == "2026-11-21" for e in entries), entries
    assert (second / "pdf" / "hr" / "rutin-för.pdf").read_bytes() == (built.site / "pdf" / "hr" / "rutin-för.pdf").read_bytes()
    assert "1 med oförändrad text skrivs ut på nytt" in said[0] and "Ladda ner som PDF" in page.read_text("utf-8")


def test_the_time_limit_is_the_builds_share_unless_set():
    from handbook.core.pdf import LEAST_TIME, SHARE_OF_BUILD, time_limit

    assert time_limit(None, {}, 100.0) == SHARE_OF_BUILD * 100.0 < 100.0
    assert time_limit(None, {}, 1.0) == LEAST_TIME  # a small handbook is printed whole
    assert time_limit(30, {}, 100.0) == 30.0 and time_limit(0, {}, 100.0) is None
    assert time_limit(30, {"HANDBOOK_PDF_TIME_LIMIT": "0"}, 100.0) is None
    assert time_limit(None, {"HANDBOOK_PDF_TIME_LIMIT": "12.5"}, 100.0) == 12.5
    assert time_limit(30, {"HANDBOOK_PDF_TIME_LIMIT": "snart"}, 100.0) == 30.0  # not a number: the option


def test_an_earlier_releases_index_without_words_still_lends_its_pdfs(made, tmp_path, monkeypatch):
    import datetime as dt
    import shutil

    from handbook.core.pdf_print import write_pages
    from handbook.site.project import load_project

    built, *_ = made
    monkeypatch.setenv("HANDBOOK_CHROMIUM", str(tmp_path / "ingen-chromium"))  # printing anything would fail
    earlier = tmp_path / "forra"
    shutil.copytree(built.site, earlier)
    index = json.loads((earlier / "pdf" / "index.json").read_text("utf-8"))
    assert all("words" in entry for entry in index)
    (earlier / "pdf" / "index.json").write_text(json.dumps([{k: v for k, v in e.items() if k != "words"} for e in index]), "utf-8")
    tonight = tmp_path / "site"
    shutil.copytree(built.site, tonight)
    shutil.rmtree(tonight / "pdf")
    said = []
    entries = write_pages(tonight, handbook=load_project(built.root).handbook(), site_url=SITE_URL,
                          today=dt.date(2026, 11, 22), previous=earlier, log=said.append)
    assert len(entries) == 2 and "0 utskrivna, 2 oförändrade" in said[0], said


def test_an_image_replaced_under_the_same_name_is_printed_again(made, tmp_path, monkeypatch):
    import datetime as dt
    import shutil

    from handbook.core.pdf_print import PrintError, write_pages
    from handbook.site.project import load_project

    built, *_ = made
    monkeypatch.setenv("HANDBOOK_CHROMIUM", str(tmp_path / "ingen-chromium"))  # printing anything fails
    tonight = tmp_path / "site"
    shutil.copytree(built.site, tonight)
    shutil.rmtree(tonight / "pdf")
    assert 'src="../schema.png"' in (tonight / "hr" / "rutin-för" / "index.html").read_text("utf-8")
    (tonight / "hr" / "schema.png").write_bytes(_translucent_png() + b"\0")  # another picture, the same name
    with pytest.raises(PrintError, match="Chromium saknas"):
        write_pages(tonight, load_project(built.root).handbook(), SITE_URL, dt.date(2026, 11, 22), previous=built.site,
                    log=lambda _: None)
