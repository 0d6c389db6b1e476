"""A review leaves a record: `reviewed:` in front matter or a process file, checked with file and line,
shown on the card, the role pages, `revision/`, the history, `handbook.json` and every report format,
and written by `handbook review` without losing the owner's formatting."""

import csv
import hashlib
import io
import json
import re
import shlex
import shutil

import pytest
import yaml

from conftest import MORE_ROLES, REPO, build, document, process, project_mkdocs_yml, run_handbook, write_handbook

ROLES = {role: MORE_ROLES[role] for role in ("hr-chef", "hr-konsult", "chef")}  # each used, so a strict build passes

TODAY = "2026-11-21"
SECRET = "Hemliggranskning7Q"  # the note of a classified document: must reach nothing
HOSTILE = '<img src=x onerror=alert(1)> *fet* {{ 7*7 }} | rör'  # markup, Markdown, Jinja and a table pipe

REVIEWED_DOC = f"""---
title: Rutin för introduktion
doc_type: rutin
klassa: "2.3.2"
owner: hr-chef
version: "1.0"
review_date: 2026-12-10
state: fastställd
valid_from: 2025-01-01
decided_by: Kommunstyrelsen
reviewed:
  - date: 2025-12-01   # the newest, although written first
    by: hr-konsult
    note: |
      {HOSTILE}
      Andra raden.
  - date: 2024-12-01
    by: hr-chef
    note: Första granskningen.
---

Text.
"""

FILES = {
    "docs/hr/introduktion.md": REVIEWED_DOC,
    "docs/hr/ogranskad.md": document("Ogranskad rutin", review_date="2026-12-20"),
    "docs/hr/hemlig.md": document("Hemlig rutin", information_class="K3", review_date="2026-12-01",
                                  reviewed=[{"date": "2026-01-01", "by": "hr-chef", "note": SECRET}]),
    "processes/rekrytering.yml": process("rekrytering", [{"id": "a", "name": "A", "role": "chef"}], owner="chef",
                                         review_date="2027-01-10",
                                         reviewed={"date": "2026-01-10", "by": "chef", "note": "=HYPERLINK(\"x\") Flödet stämmer"}),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_handbook(tmp_path_factory.mktemp("reviews") / "h", FILES, roles=ROLES,
                          mkdocs_yml=project_mkdocs_yml(site_url=False))
    built = build(root, strict=True, today=TODAY)
    assert built.returncode == 0, built.output
    return built


def card_row(html: str, label: str) -> str | None:
    match = re.search(rf'<div class="hb-card__row[^"]*">\s*<dt>{label}</dt>\s*<dd>(.*?)</dd>', html, re.S)
    return match.group(1) if match else None


def site_bytes(built):
    for path in sorted(built.site.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes()


def test_card_shows_the_newest_review_with_its_note_escaped(site):
    html = site.page("hr/introduktion")
    row = card_row(html, "Senast granskad")
    assert row == ('2025-12-01 av <a href="../../roller/hr-konsult/">HR-konsult</a>: <span class="hb-card__note">'
                   '&lt;img src=x onerror=alert(1)&gt; *fet* {{ 7*7 }} | rör Andra raden.</span>')
    assert card_row(site.page("processer/rekrytering"), "Senast granskad") == (
        '2026-01-10 av <a href="../../roller/chef/">Rekryterande chef</a>: <span class="hb-card__note">'
        '=HYPERLINK(&#34;x&#34;) Flödet stämmer</span>')
    assert card_row(site.page("hr/ogranskad"), "Senast granskad") is None


def test_history_lists_every_review_newest_first(site):
    html = site.page("hr/introduktion")
    # Built outside git: today's version with its reviews.
    assert "<summary>Versionshistorik (1 version, 2 granskningar)</summary>" in html
    rows = re.findall(r'<li class="hb-history__review"><time datetime="[^"]*">([^<]*)</time> (.*?)</li>', html)
    assert rows == [
        ("2025-12-01", 'Granskad utan ny version av <a href="../../roller/hr-konsult/">HR-konsult</a>: '
                       "&lt;img src=x onerror=alert(1)&gt; *fet* {{ 7*7 }} | rör Andra raden."),
        ("2024-12-01", 'Granskad utan ny version av <a href="../../roller/hr-chef/">HR-chef</a>: Första granskningen.'),
    ]
    assert "hb-history" not in site.page("hr/ogranskad")


def test_role_pages_and_revision_show_the_last_review(site):
    role = site.page("roller/hr-chef")
    item = re.search(r'<li class="hb-role-item"[^>]*data-document="hr/introduktion.md".*?</li>', role, re.S).group(0)
    assert ('<span class="hb-last-review">granskad <time datetime="2025-12-01">2025-12-01</time> av HR-konsult: '
            '&lt;img src=x onerror=alert(1)&gt; *fet* {{ 7*7 }} | rör Andra raden.</span>') in item
    unreviewed = re.search(r'<li class="hb-role-item"[^>]*data-document="hr/ogranskad.md".*?</li>', role, re.S).group(0)
    assert "hb-last-review" not in unreviewed
    assert "granskad <time datetime=\"2026-01-10\">2026-01-10</time> av Rekryterande chef: =HYPERLINK" in site.page("roller/chef")

    revision = site.page("revision")
    cells = dict(re.findall(r'data-key="([^"]+)".*?<td class="hb-last-review">(.*?)</td></tr>', revision, re.S))
    assert cells == {
        "hr/introduktion.md": '<time datetime="2025-12-01">2025-12-01</time> av HR-konsult: '
                              '&lt;img src=x onerror=alert(1)&gt; *fet* {{ 7*7 }} | rör Andra raden.',
        "hr/ogranskad.md": "–",
        "rekrytering": '<time datetime="2026-01-10">2026-01-10</time> av Rekryterande chef: =HYPERLINK(&#34;x&#34;) Flödet stämmer',
    }


def test_catalog_keeps_the_note_as_written(site):
    documents = {d["path"]: d for d in site.catalog["documents"]}
    assert documents["hr/introduktion.md"]["last_review"] == {
        "date": "2025-12-01", "by": "hr-konsult", "by_name": "HR-konsult", "note": f"{HOSTILE}\nAndra raden."}
    assert documents["hr/ogranskad.md"]["last_review"] is None
    assert site.catalog["processes"][0]["last_review"] == {
        "date": "2026-01-10", "by": "chef", "by_name": "Rekryterande chef", "note": "=HYPERLINK(\"x\") Flödet stämmer"}


def test_no_live_markup_and_no_classified_review_in_any_byte_of_the_site(site):
    for path, data in site_bytes(site):
        assert SECRET.lower().encode() not in data.lower(), path
        if path.suffix == ".html":
            assert b"<img src=x" not in data, path  # the note's markup is never live
    assert "49" not in card_row(site.page("hr/introduktion"), "Senast granskad")


def test_report_in_every_format_shows_the_last_review(site, tmp_path):
    everything = ("--status", "ok", "--status", "due", "--status", "overdue")
    data = json.loads(run_handbook(site.root, "report", "--format", "json", *everything, today=TODAY).stdout)
    items = {i["id"]: i for o in data["owners"] for i in o["items"]}
    assert items["hr/introduktion.md"]["last_review"] == {
        "date": "2025-12-01", "by": "hr-konsult", "by_name": "HR-konsult", "note": f"{HOSTILE}\nAndra raden."}
    assert items["hr/ogranskad.md"]["last_review"] is None

    target = tmp_path / "r.csv"
    assert run_handbook(site.root, "report", "-o", str(target), *everything, today=TODAY).returncode == 0
    table = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"), newline=""), delimiter=";"))
    rows = {row[4]: dict(zip(table[0], row)) for row in table[1:]}
    reviewed = rows["Rutin för introduktion"]
    assert (reviewed["Senast granskad"], reviewed["Granskad av"], reviewed["Granskningens anteckning"]) == (
        "2025-12-01", "HR-konsult", f"{HOSTILE} Andra raden.")  # one line: the row stays one row high
    assert rows["Rekrytering"]["Granskningens anteckning"] == "'=HYPERLINK(\"x\") Flödet stämmer"  # no formula
    assert (rows["Ogranskad rutin"]["Senast granskad"], rows["Ogranskad rutin"]["Granskningens anteckning"]) == ("", "")

    markdown = run_handbook(site.root, "report", *everything, today=TODAY).stdout
    assert ("| Rutin för introduktion | Rutin | 2.3.2 | 1.0 | 2026-12-10 | Ska revideras snart | 2025-12-01 av HR-konsult: "
            "\\<img src=x onerror=alert(1)\\> \\*fet\\* \\{\\{ 7\\*7 \\}\\} \\| rör Andra raden. |") in markdown
    assert "| Ogranskad rutin | Rutin | 2.3.2 | 1.0 | 2026-12-20 | Ska revideras snart | – |" in markdown
    for output in (json.dumps(data), target.read_text("utf-8-sig"), markdown):
        assert SECRET not in output


# -- handbook check -----------------------------------------------------------

MISTAKES = """---
title: Rutin med fel i granskningar
doc_type: rutin
klassa: "2.3.2"
owner: hr-chef
version: "1.0"
review_date: 2026-10-01
state: utkast
reviewed:
  - date: 2026-12-24
    by: hr-chef
    note: I framtiden.
  - date: 30/6 2026
    by: hr-chef
    note: Fel datumformat.
  - date: 2026-02-30
    by: hr-chf
    note: Ogiltigt datum och okänd roll.
  - date: 2026-10-05
    note: Ingen granskare.
  - date: 2026-03-01
    by: hr-chef
  - date: 2026-04-01
    by: hr-chef
    nte: Felstavad nyckel.
  - 2026-05-01
---

Text.
"""


def test_check_names_every_mistake_in_a_review_with_file_and_line(tmp_path):
    files = {
        "docs/hr/fel.md": MISTAKES,
        "docs/hr/bara-datum.md": document("Bara datum", reviewed="2026-01-01"),
        "docs/hr/stavfel.md": document("Stavfel", reviwed=[{"date": "2026-01-01", "by": "hr-chef", "note": "x"}]),
        "docs/fri.md": "---\nreviewed: [{date: 2026-01-01, by: hr-chef, note: x}]\n---\n\n# Fri sida\n",
        "processes/p.yml": process("p", [{"id": "a", "name": "A", "role": "hr-chef"}],
                                   reviewed=[{"date": "2026-11-21", "by": "hr-chef", "note": "Gick igenom flödet."}]),
    }
    root = write_handbook(tmp_path / "h", files)
    result = run_handbook(root, "check", today=TODAY)
    lines = [line for line in result.stdout.splitlines() if not line.startswith("processes/roles.yml")]
    advice = ('reviewed ska vara en lista med granskningar (date, by och note), t.ex. reviewed: [{date: 2026-11-21, '
              'by: hr-chef, note: "Gick igenom rutinen mot nya lagen; inget behövde ändras"}]')
    assert lines == [
        "docs/fri.md:2: warning: reviewed hör till styrda dokument (med owner och review_date); "
        "på en sida utan dem används granskningen inte",
        f"docs/hr/bara-datum.md:11: error: {advice}",
        "docs/hr/fel.md:7: warning: review_date 2026-10-01 ligger inte efter den senaste granskningen (2026-10-05); "
        "sätt review_date till dagen för nästa granskning, t.ex. 2027-10-05",
        "docs/hr/fel.md:9: error: varje granskning under reviewed ska vara en mappning med date, by och note, t.ex. "
        + advice.split("t.ex. ", 1)[1],
        "docs/hr/fel.md:10: error: granskningen är daterad 2026-12-24, efter dagens datum 2026-11-21; "
        "registrera en granskning när den är gjord",
        'docs/hr/fel.md:13: error: date: "30/6 2026" är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2027-03-01',
        'docs/hr/fel.md:16: error: date: "2026-02-30" är inget giltigt datum; kontrollera månad och dag',
        'docs/hr/fel.md:17: error: okänd roll "hr-chf" i by under reviewed. Menade du "hr-chef"? '
        "Lägg till rollen i processes/roles.yml eller rätta id:t.",
        "docs/hr/fel.md:19: error: by saknas i en granskning under reviewed; ange roll-id för den som granskade, t.ex. by: hr-chef",
        "docs/hr/fel.md:21: warning: en granskning utan anteckning säger inte vad som kontrollerades; "
        "skriv vad du gick igenom och vad du fann",
        "docs/hr/fel.md:23: warning: en granskning utan anteckning säger inte vad som kontrollerades; "
        "skriv vad du gick igenom och vad du fann",
        'docs/hr/fel.md:25: warning: okänd nyckel "nte" i en granskning under reviewed. Menade du "note"?',
        'docs/hr/stavfel.md:11: warning: okänd nyckel "reviwed". Menade du "reviewed"?',
        "7 fel, 6 varningar i 7 filer.",
    ]
    assert result.returncode == 1
    # The future review does not count: the last review is the one of 2026-10-05 (above), not of 2026-12-24.
    data = json.loads(run_handbook(root, "report", "--format", "json", "--status", "ok", "--status", "overdue",
                                   today=TODAY).stdout)
    items = {i["id"]: i for o in data["owners"] for i in o["items"]}
    assert items["hr/fel.md"]["last_review"]["date"] == "2026-10-05"
    assert items["p"]["last_review"]["note"] == "Gick igenom flödet."  # reviewed today: no problem


# -- handbook review ----------------------------------------------------------

OWNER_DOC = ("---\r\n"
             "# Uppgifter om rutinen\r\n"
             "title: 'Rutin för: avslut'\r\n"
             "doc_type: rutin\r\n"
             "klassa: \"2.3.2\"\r\n"
             "owner: hr-chef   # ändras inte\r\n"
             "version: \"1.10\"\r\n"
             "review_date: \"2026-11-30\"  # nästa granskning\r\n"
             "state: utkast\r\n"
             "---\r\n"
             "\r\n"
             "Text: med *Markdown*.\r\n")

LISTED_DOC = """---
title: Listad rutin
doc_type: rutin
klassa: "2.3.2"
owner: hr-chef
version: "1.0"
review_date: 2026-12-01
state: utkast
reviewed:
    -   date: 2025-11-01
        by: hr-konsult
        note: >
          Vikt text
          på två rader.
    # sista kommentaren i listan
tags: [a]
---

Text.
"""


def tree_digest(root) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def owners_handbook(tmp_path):
    files = {"docs/hr/avslut.md": OWNER_DOC.encode("utf-8"), "docs/hr/listad.md": LISTED_DOC,
             "processes/rekrytering.yml": "# Processen för rekrytering\nid: rekrytering\nname: Rekrytering\nklassa: \"2.3.2\"\n"
                                          "owner: chef\nversion: \"2.0\"\nreview_date: 2026-12-24\nstate: fastställd\n"
                                          "steps:\n  - id: a\n    name: A\n    role: chef\n"}
    return write_handbook(tmp_path / "h", files, roles=ROLES, mkdocs_yml=project_mkdocs_yml(site_url=False))


def review(root, *args, today=TODAY):
    return run_handbook(root, "review", *args, today=today)


def test_review_appends_an_entry_and_moves_the_review_date_keeping_the_owners_text(owners_handbook):
    root = owners_handbook
    note = 'Gick igenom rutinen mot nya lagen: inget behövde ändras. "Citat" \\ och <b>'
    result = review(root, "docs/hr/avslut.md", "--note", note)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Granskningen är registrerad i docs/hr/avslut.md (2026-11-21, HR-chef):",
        "  rad 10–12: ny granskning under reviewed",
        "  rad 8: review_date ändrat från 2026-11-30 till 2027-11-21",
        "Nästa granskning är satt till ett år från i dag; ange --next ÅÅÅÅ-MM-DD för ett annat datum.",
        "Lämna in ändringen som vanligt (se Skriva i handboken › Lämna in).",
    ]
    expected = OWNER_DOC.replace('review_date: "2026-11-30"  # nästa granskning\r\n',
                                 'review_date: 2027-11-21  # nästa granskning\r\n'
                                 "reviewed:\r\n  - date: 2026-11-21\r\n    by: hr-chef\r\n"
                                 '    note: "Gick igenom rutinen mot nya lagen: inget behövde ändras. \\"Citat\\" \\\\ och <b>"\r\n')
    assert (root / "docs/hr/avslut.md").read_bytes() == expected.encode("utf-8")  # comments, quotes and CRLF kept

    # Into an existing list: after its last entry, with its own indentation; the comment and the next key stay.
    result = review(root, "hr/listad.md", "--note", "Andra granskningen.", "--by", "hr-konsult", "--next", "2027-06-30")
    assert result.returncode == 0, result.stderr
    assert "rad 7: review_date ändrat från 2026-12-01 till 2027-06-30" in result.stdout
    assert "ett år från i dag" not in result.stdout
    assert (root / "docs/hr/listad.md").read_text("utf-8") == LISTED_DOC.replace("review_date: 2026-12-01", "review_date: 2027-06-30").replace(
        "          på två rader.\n",
        "          på två rader.\n    -   date: 2026-11-21\n        by: hr-konsult\n        note: \"Andra granskningen.\"\n")

    # A process by its id; 29 February plus a year is 28 February.
    result = review(root, "rekrytering", "--note", "=1+1 Flödet\nstämmer\u2028fortfarande", today="2028-02-29")
    assert result.returncode == 0, result.stderr
    text = (root / "processes/rekrytering.yml").read_text("utf-8")
    assert "review_date: 2029-02-28\nreviewed:\n  - date: 2028-02-29\n    by: chef\n" in text
    assert text.startswith("# Processen för rekrytering\n")

    check = run_handbook(root, "check", today="2028-02-29")  # the owner's files have no problem
    assert check.returncode == 0 and [line for line in check.stdout.splitlines() if line.startswith(("docs/", "processes/rekrytering"))] == []
    data = json.loads(run_handbook(root, "report", "--format", "json", "--status", "ok", "--status", "due",
                                   "--status", "overdue", today="2028-02-29").stdout)
    items = {i["id"]: i["last_review"] for o in data["owners"] for i in o["items"]}
    assert items == {
        "hr/avslut.md": {"date": "2026-11-21", "by": "hr-chef", "by_name": "HR-chef", "note": note},
        "hr/listad.md": {"date": "2026-11-21", "by": "hr-konsult", "by_name": "HR-konsult", "note": "Andra granskningen."},
        "rekrytering": {"date": "2028-02-29", "by": "chef", "by_name": "Rekryterande chef",
                        "note": "=1+1 Flödet\nstämmer\u2028fortfarande"},  # read back exactly as given
    }


REFUSED = {
    "docs/hr/mappning.md": document("Mappning", reviewed={"date": "2025-01-01", "by": "hr-chef", "note": "x"}),
    "docs/hr/flodeslista.md": document("Flödeslista", reviewed=[{"date": "2025-01-01", "by": "hr-chef", "note": "x"}]),
    "docs/hr/nasta-rad.md": "---\ntitle: Nästa rad\ndoc_type: rutin\nklassa: \"2.3.2\"\nowner: hr-chef\nversion: \"1.0\"\n"
                            "review_date:\n  2026-12-01\nstate: utkast\n---\n\nText.\n",
    "docs/hr/trasig.md": "---\ntitle: \"Trasig\ndoc_type: rutin\nowner: hr-chef\n---\n\nText.\n",
    "docs/hr/ok.md": document("Ok"),
}


@pytest.mark.parametrize("args, message", [
    (("docs/hr/mappning.md", "--note", "x"), "docs/hr/mappning.md: reviewed är en enda granskning (en mappning), inte en lista"),
    (("docs/hr/flodeslista.md", "--note", "x"), "reviewed är skrivet på ett sätt som kommandot inte kan bygga ut säkert"),
    (("docs/hr/nasta-rad.md", "--note", "x"), "filens uppgifter är skrivna på ett sätt som kommandot inte kan ändra säkert"),
    (("docs/hr/trasig.md", "--note", "x"), "citattecknet som börjar på raden stängs aldrig"),
    (("docs/hr/ok.md", "--note", "  "), "--note är tom; skriv vad du gick igenom och vad du fann"),
    (("docs/hr/ok.md", "--note", "x", "--by", "hr-chf"), 'okänd roll "hr-chf" i --by. Menade du "hr-chef"?'),
    (("docs/hr/ok.md", "--note", "x", "--next", TODAY), "--next 2026-11-21 ligger inte efter dagens datum 2026-11-21"),
    (("docs/hr/ok.md", "--note", "x", "--next", "2027-02-30"), '--next "2027-02-30" är inget datum'),
    (("docs/index.md", "--note", "x"), "docs/index.md är en fri sida utan dokumentansvarig och review_date"),
    (("docs/hr/okk.md", "--note", "x"), '"docs/hr/okk.md" är varken en fil eller ett process-id. Menade du "docs/hr/ok.md"?'),
    (("mkdocs.yml", "--note", "x"), "mkdocs.yml ligger varken i docs/ eller i processes/"),
])
def test_review_refuses_and_changes_nothing(tmp_path, args, message):
    root = write_handbook(tmp_path / "h", REFUSED, roles=MORE_ROLES, mkdocs_yml=project_mkdocs_yml(site_url=False))
    before = tree_digest(root)
    result = review(root, *args)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("handbook review: fel: ") and message in result.stderr, result.stderr
    assert result.stderr.rstrip().endswith("Ingen fil ändrades.") and "Traceback" not in result.stderr
    assert tree_digest(root) == before


def test_a_refusal_shows_how_to_add_the_review_by_hand(tmp_path):
    root = write_handbook(tmp_path / "h", REFUSED, roles=MORE_ROLES, mkdocs_yml=project_mkdocs_yml(site_url=False))
    result = review(root, "docs/hr/flodeslista.md", "--note", 'Kollat "allt"')
    assert ("Lägg till granskningen för hand i docs/hr/flodeslista.md: skriv den sist i listan under reviewed: "
            "(eller börja listan), så här:\n\nreviewed:\n  - date: 2026-11-21\n    by: hr-chef\n"
            '    note: "Kollat \\"allt\\""\n\noch ändra review_date till 2027-11-21.') in result.stderr


GUIDE = REPO / "docs" / "skriva-i-handboken" / "granska.md"


def test_the_guides_example_records_a_review_in_the_reference_handbook(tmp_path):
    root = write_handbook(tmp_path / "h", {}, roles=None)
    shutil.rmtree(root / "docs")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "processes", root / "processes")
    blocks = re.findall(r"^```(\w*)\n(.*?)^```", GUIDE.read_text("utf-8"), re.S | re.M)
    command = [line for _, block in blocks for line in block.splitlines() if line.startswith("handbook review ")]
    assert len(command) == 1
    args = shlex.split(command[0])[2:]
    result = review(root, *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Granskningen är registrerad i {args[0]} ({TODAY}, ")

    check = run_handbook(root, "check", today=TODAY)
    assert check.returncode == 0 and args[0] not in check.stdout, check.stdout
    data = json.loads(run_handbook(root, "report", "--format", "json", "--status", "ok", today=TODAY).stdout)
    item = next(i for o in data["owners"] for i in o["items"] if f"docs/{i['id']}" == args[0])
    assert (item["review_date"], item["last_review"]["date"], item["last_review"]["note"]) == ("2027-11-21", TODAY, args[2])

    # The guide's hand-written example has the keys the command writes.
    example = yaml.safe_load(next(block for kind, block in blocks if kind == "yaml" and "reviewed:" in block))
    text = (root / args[0]).read_text("utf-8")
    written = yaml.safe_load(text.split("---\n")[1])["reviewed"]
    assert [list(entry) for entry in example["reviewed"]] == [list(entry) for entry in written] == [["date", "by", "note"]]
