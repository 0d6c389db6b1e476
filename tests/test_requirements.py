"""Issue 19: the requirements register processes/krav.yml (core/requirements.py), read and judged in this
process: every problem with file:line and a fix, what fulfils each requirement, coverage gaps, and the
classification gate over every generated page and report. The built site is tested in test_maturity.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from conftest import document, write_handbook
from handbook.core.catalog import catalog
from handbook.core.handbook import Handbook, Settings
from handbook.core.maturity import activity_findings, overview
from handbook.core.pages import SiteInfo, generated_pages
from handbook.core.reports import (maturity_csv, maturity_json, maturity_markdown, requirements_csv, requirements_json,
                                   requirements_markdown)
from handbook.core.requirements import fulfilments

TODAY = dt.date(2026, 11, 21)
ROLES = {"hr-chef": {"name": "HR-chef", "contact": "hr@example.se"}, "arkivarie": {"name": "Arkivarie"}}
CANARY = "KRAVKANARIE5521"
REGISTER = f"""\
arkivlagen-6:
  title: Arkivvård
  source: Arkivlagen (1990:782) 6 §
  link: https://rkrattsbaser.gov.se/sfst?bet=1990:782
  checked: 2026-06-01
  owner: arkivarie
osl-5-kap-1:
  title: Registrering av allmänna handlingar
  source: OSL 5 kap. 1 §
  checked: 2026-06-01
  owner: hr-chef
  klassa: "2.3"
ingen:
  title: Krav som inget uppfyller
  source: SFS 2099:1
  checked: 2026-06-01
  owner: hr-chef
hemlig-{CANARY.lower()}:
  title: <script>{CANARY}</script>
  source: "{CANARY} 2 kap."
  link: https://example.se/{CANARY}
  description: "{CANARY} *fet*"
  checked: 2026-06-01
  owner: hr-chef
  information_class: K3
"""
BROKEN = """\
Fel Id:
  title: X
arkiv:
  titel: Arkiv
  source: Arkivlagen
  link: www.riksdagen.se
  checked: 2027-01-01
  owner: arkivarien
  klassa: "9.9"
tomt: text
dubbel:
  title: Först
dubbel:
  title: Igen
  source: Y
  checked: 30/6 2026
  owner: hr-chef
"""


def process_file(pid: str, **fields) -> str:
    data = {"id": pid, "name": pid.capitalize(), "klassa": "2.3.2", "owner": "hr-chef", "version": "1.0",
            "review_date": "2027-06-30", "state": "fastställd",
            "steps": [{"id": "a", "name": "Gör", "role": "hr-chef", "documents": ["hr/rutin.md"],
                       "requirements": [{"id": "osl-5-kap-1", "note": "Diarieförs"}]}], **fields}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def handbook(tmp_path_factory) -> Handbook:
    files = {
        "processes/krav.yml": REGISTER,
        "processes/p.yml": process_file("p", requirements=["arkivlagen-6", f"hemlig-{CANARY.lower()}"]),
        "processes/hemlig.yml": process_file("hemlig", information_class="K3", requirements=["ingen"]),
        "docs/hr/rutin.md": document("Rutin", requirements=["arkivlagen-6", f"hemlig-{CANARY.lower()}"]),
        "docs/hr/hemlig.md": document("Hemlig", information_class="K2", requirements=["ingen"]),
    }
    root = write_handbook(tmp_path_factory.mktemp("krav"), files, roles=ROLES)
    return Handbook.load(root, settings=Settings(today=TODAY))


def test_a_valid_register_has_no_problems(handbook):
    assert handbook.problems == []
    assert list(handbook.requirements.requirements) == ["arkivlagen-6", "osl-5-kap-1", "ingen", f"hemlig-{CANARY.lower()}"]
    assert handbook.requirements.get("osl-5-kap-1").klassa == "2.3"


def test_every_mistake_in_the_register_names_its_line_and_a_fix(tmp_path):
    root = write_handbook(tmp_path / "h", {"processes/krav.yml": BROKEN}, roles=ROLES)
    found = {(p.line, p.severity, p.message) for p in Handbook.load(root, settings=Settings(today=TODAY)).problems
             if p.path == "processes/krav.yml"}

    def has(line, severity, fragment):
        return any(l == line and s == severity and fragment in m for l, s, m in found)

    assert has(1, "error", 'krav-id "Fel Id" får bara innehålla a–z')
    assert has(4, "warning", 'okänd nyckel "titel" i kravet arkiv. Menade du "title"?')
    assert has(4, "error", "title saknas (kravets rubrik i arkiv)")
    assert has(6, "error", 'link "www.riksdagen.se" i kravet arkiv är ingen webbadress; skriv https://')
    assert has(7, "error", "checked 2027-01-01 i kravet arkiv ligger efter dagens datum 2026-11-21")
    assert has(8, "error", 'okänd roll "arkivarien" i owner i kravet arkiv. Menade du "arkivarie"?')
    assert has(9, "error", 'Klassa-koden "9.9" i kravet arkiv finns inte')
    assert has(10, "error", "kravet tomt ska vara en mappning")
    assert has(13, "error", "kravet dubbel står flera gånger i registret")
    assert has(16, "error", 'checked: "30/6 2026" är inget datum')
    for text in ("[", "- bara en lista\n", "a: [\n"):
        (root / "processes" / "krav.yml").write_text(text, "utf-8")
        problems = [p for p in Handbook.load(root, settings=Settings(today=TODAY)).problems if p.path == "processes/krav.yml"]
        assert problems and all(p.is_error and "Traceback" not in p.message for p in problems), text


def test_unknown_requirements_are_errors_with_the_closest_id(tmp_path):
    files = {"processes/krav.yml": REGISTER, "processes/p.yml": process_file("p", requirements=["arkivlagen-7"]),
             "docs/hr/rutin.md": document("Rutin", requirements=["osl-5-kap-2"]),
             "docs/fri.md": "---\ntitle: Fri sida\nrequirements: [ingen]\n---\nText.\n"}
    root = write_handbook(tmp_path / "h", files, roles=ROLES)
    messages = {(p.path, p.message.split(".")[0] + "." + p.message.split(".")[1]) for p in Handbook.load(root).problems if p.is_error}
    assert any(path == "processes/p.yml" and 'okänt krav "arkivlagen-7". Menade du "arkivlagen-6"?' in m for path, m in
               [(p.path, p.message) for p in Handbook.load(root).problems])
    assert any(p.path == "docs/hr/rutin.md" and 'okänt krav "osl-5-kap-2". Menade du "osl-5-kap-1"?' in p.message
               for p in Handbook.load(root).problems)
    assert messages
    assert [(p.line, p.severity) for p in Handbook.load(root).problems if p.path == "docs/fri.md"] == [(3, "warning")]
    (root / "processes" / "krav.yml").unlink()  # no register at all: every reference says so
    problems = [p.message for p in Handbook.load(root).problems if "okänt krav" in p.message]
    assert len(problems) == 3 and all("processes/krav.yml (filen finns inte)" in m for m in problems)


def test_what_fulfils_each_requirement_through_the_gate(handbook):
    published = fulfilments(handbook)
    assert list(published) == ["arkivlagen-6", "osl-5-kap-1", "ingen"]  # the K3 requirement is not there
    arkiv = published["arkivlagen-6"]
    assert [p.id for p, _ in arkiv.processes] == ["p"] and [d.path for d, _ in arkiv.documents] == ["hr/rutin.md"]
    assert [(p.id, s.id, r.note) for p, s, r in published["osl-5-kap-1"].steps] == [("p", "a", "Diarieförs")]
    assert published["ingen"].count() == 0  # only the withheld process and document name it
    everything = fulfilments(handbook, published_only=False)
    assert everything["ingen"].count() == 2 and f"hemlig-{CANARY.lower()}" in everything


def test_a_classified_requirement_is_in_no_generated_page_catalog_or_report(handbook):
    site = SiteInfo()
    pages = {uri: site.blocks.inline(text) for uri, text in generated_pages(handbook, site).items()}  # the HTML blocks too
    assert "krav/index.md" in pages and "krav/arkivlagen-6.md" in pages and not any("hemlig" in uri for uri in pages)
    rows = overview(handbook)
    entries = list(fulfilments(handbook).values())
    outputs = [*pages.values(), repr(catalog(handbook)),
               maturity_json(handbook, rows, activity_findings(handbook, True), {}), maturity_csv(rows).decode("utf-8-sig"),
               maturity_markdown(handbook, rows, []), requirements_json(handbook, entries),
               requirements_csv(handbook, entries).decode("utf-8-sig"), requirements_markdown(handbook, entries)]
    for text in outputs:
        assert CANARY.lower() not in text.lower()
    assert "Ej publicerat krav" in pages["processer/p.md"]
    index = pages["krav/index.md"]
    assert re.search(r'uncovered">\s*<li data-requirement="ingen">', index)
    ingen = pages["krav/ingen.md"]
    assert "Inget publicerat i handboken uppfyller det här kravet ännu" in ingen and "Hemlig" not in ingen


def test_markup_in_a_requirement_is_shown_as_text(tmp_path):
    register = REGISTER.replace("title: Arkivvård", 'title: "<img src=x onerror=alert(1)> *Arkiv* [länk](javascript:x)"')
    root = write_handbook(tmp_path / "h", {"processes/krav.yml": register, "processes/p.yml": process_file(
        "p", requirements=["arkivlagen-6"])}, roles=ROLES)
    site = SiteInfo()
    pages = {uri: site.blocks.inline(text) for uri, text in generated_pages(Handbook.load(root, settings=Settings(today=TODAY)), site).items()}
    for uri in ("krav/index.md", "krav/arkivlagen-6.md", "processer/p.md"):
        body = pages[uri].split("\n---\n", 1)[1]  # the title in front matter is escaped by the plugin, as every title
        assert "<img" not in body and "javascript:" not in body.replace("](javascript:x)", ""), uri
        assert ("&lt;img src=x onerror=alert(1)&gt;" in body) == (uri != "krav/arkivlagen-6.md"), uri  # its page: as title


def test_a_process_with_requirements_and_a_question_is_read_the_fast_way(monkeypatch):
    """`requirements: [a, b]` beside a decision named "Klart?" stays on libyaml's fast way (a 2,000-document
    handbook with requirements on every process is checked in its time); a "?" inside [ ] is read the careful way."""
    from handbook.core import source

    text = 'name: P\nrequirements: [osl-5-kap-1, arkivlagen-6]\nsteps:\n  - {id: a, name: "Klart?", role: x}\n  - id: b\n    name: Är det klart?\n'
    careful = []
    original = source._LosslessLoader.get_single_data
    monkeypatch.setattr(source._LosslessLoader, "get_single_data", lambda self: careful.append(1) or original(self))
    data = source.load_yaml(text)
    assert data["requirements"] == ["osl-5-kap-1", "arkivlagen-6"] and data["steps"][1]["name"] == "Är det klart?"
    assert careful == [1]  # "Klart?" stands inside { }: the careful way
    careful.clear()
    assert source.load_yaml(text.replace('{id: a, name: "Klart?", role: x}', "id: a")) and careful == []


def test_the_editor_schema_of_the_register_flags_what_check_flags():
    """schemas/requirements.schema.json is the command's output; it accepts the reference register and the
    valid one above, and flags each mistake that check flags (the future date only check can know)."""
    import json

    from jsonschema import Draft202012Validator

    from conftest import REPO
    from handbook.commands.schema import render
    from handbook.core.schemas import requirements_schema
    from handbook.core.source import load_yaml
    from test_schemas import plain

    assert (REPO / "schemas" / "requirements.schema.json").read_text("utf-8") == render("requirements", ())
    validator = Draft202012Validator(requirements_schema())
    Draft202012Validator.check_schema(requirements_schema())
    for text in ((REPO / "processes" / "krav.yml").read_text("utf-8"), REGISTER):
        assert [e.message for e in validator.iter_errors(plain(load_yaml(text)))] == []
    flagged = {tuple(e.absolute_path) for e in validator.iter_errors(plain(load_yaml(BROKEN)))}
    for path in [(), ("arkiv",), ("arkiv", "link"), ("tomt",), ("dubbel", "checked")]:  # not: a future date, an unknown role
        assert any(found[:len(path)] == path for found in flagged), (path, flagged)
    messages = json.dumps([e.schema.get("errorMessage", "") for e in validator.iter_errors(plain(load_yaml(BROKEN)))], ensure_ascii=False)
    assert "krav-id får bara innehålla" in messages and "okänd nyckel i kravet" in messages and "title saknas" in messages
