"""`handbook new`: documents and processes that pass `handbook check` from the first save."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from conftest import MORE_ROLES, REPO, build, run_handbook, write_handbook
from handbook.core.documents import DEFAULT_DOC_TYPES
from handbook.core.schemas import document_schema, process_schema
from handbook.core.source import load_yaml, split_front_matter
from test_schemas import plain

KLASSA = {"2.3.2.1": "Rekrytering"}


@pytest.fixture
def root(tmp_path):
    return write_handbook(tmp_path / "h", {}, roles=MORE_ROLES, klassa=KLASSA)


def new(root, *args, today="2026-11-21"):
    result = run_handbook(root, "new", *args, today=today)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def headings(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, re.M)


def check_is_clean(root):
    """No error, and no warning but the register's roles that nothing uses yet."""
    result = run_handbook(root, "check")
    problems = [line for line in result.stdout.splitlines()[:-1] if not line.startswith("processes/roles.yml:")]
    assert result.returncode == 0 and problems == [], result.stdout


def test_every_document_type_starts_valid_and_builds(tmp_path):
    root = write_handbook(tmp_path / "h", {}, roles={"hr-konsult": MORE_ROLES["hr-konsult"]}, klassa=KLASSA)
    for doc_type in DEFAULT_DOC_TYPES:
        result = new(root, doc_type, f"hr/{doc_type}-ny.md", "--klassa", "2.3.2.1", "--owner", "hr-konsult")
        assert result.returncode == 0, result.stderr
        assert f"Skapade docs/hr/{doc_type}-ny.md" in result.stdout
    check_is_clean(root)
    for doc_type in DEFAULT_DOC_TYPES:
        text = (root / "docs" / "hr" / f"{doc_type}-ny.md").read_text("utf-8")
        meta = split_front_matter(text).meta
        assert {k: str(v) for k, v in meta.items()} == {
            "title": f"{doc_type.capitalize()} ny", "doc_type": doc_type, "klassa": "2.3.2.1", "owner": "hr-konsult",
            "version": "0.1", "review_date": "2027-11-21", "state": "utkast", "information_class": "K1"}
        assert list(Draft202012Validator(document_schema()).iter_errors(plain(meta))) == []
        assert len(headings(text)) >= 2
    built = build(root, strict=True)
    assert built.returncode == 0, built.output
    entries = {d["path"]: d for d in built.catalog["documents"]}
    assert {f"hr/{t}-ny.md" for t in DEFAULT_DOC_TYPES} <= set(entries)
    assert 'type="checkbox"' in built.page("hr/checklista-ny")
    assert "<th>Aktivitet</th>" in built.page("hr/plan-ny")


@pytest.mark.parametrize("doc_type, expected", [
    ("rutin", ["Syfte", "Omfattning", "Ansvar", "Genomförande", "Uppföljning"]),
    ("riktlinje", ["Syfte", "Bakgrund", "Riktlinjer", "Ansvar", "Uppföljning"]),
    ("instruktion", ["Syfte", "Förutsättningar", "Gör så här", "Om något går fel"]),
])
def test_body_suits_the_type(root, doc_type, expected):
    assert new(root, doc_type, "a.md", "--klassa", "2.3", "--owner", "hr-chef").returncode == 0
    assert headings((root / "docs" / "a.md").read_text("utf-8")) == expected


def test_checklist_has_task_items(root):
    new(root, "checklista", "hr/checklista-introduktion", "--klassa", "2.3.2", "--owner", "hr-chef")
    text = (root / "docs" / "hr" / "checklista-introduktion.md").read_text("utf-8")
    assert len(re.findall(r"^- \[ \] ", text, re.M)) >= 3


def test_title_option_and_quoting(root):
    title = 'Rutin: "introduktion" #1'
    assert new(root, "rutin", "docs/hr/intro.md", "--klassa", "2.3.2", "--owner", "chef", "--title", title).returncode == 0
    meta = split_front_matter((root / "docs" / "hr" / "intro.md").read_text("utf-8")).meta
    assert meta["title"] == title and not (root / "docs" / "docs").exists()
    check_is_clean(root)


@pytest.mark.parametrize("today, review", [("2026-11-21", "2027-11-21"), ("2028-02-29", "2029-02-28")])
def test_review_date_is_one_year_after_handbook_today(root, today, review):
    assert new(root, "rutin", "a.md", "--klassa", "2.3", "--owner", "hr-chef", today=today).returncode == 0
    assert f"review_date: {review}\n" in (root / "docs" / "a.md").read_text("utf-8")


def test_refuses_to_overwrite(root):
    path = root / "docs" / "hr" / "rutin.md"
    path.parent.mkdir(parents=True)
    path.write_text("# Mitt arbete\n", "utf-8")
    result = new(root, "rutin", "hr/rutin.md", "--klassa", "2.3.2", "--owner", "hr-chef")
    assert result.returncode == 1
    assert "docs/hr/rutin.md finns redan" in result.stderr
    assert path.read_text("utf-8") == "# Mitt arbete\n"


@pytest.mark.parametrize("args, words", [
    (["rutinn", "a.md", "--klassa", "2.3.2", "--owner", "hr-chef"], ['"rutinn" är ingen känd dokumenttyp', 'Menade du "rutin"']),
    (["rutin", "a.md", "--klassa", "2.3.22", "--owner", "hr-chef"], ['Klassa-koden "2.3.22" finns inte', 'Menade du "2.3.2"']),
    (["rutin", "a.md", "--klassa", "rekrytering", "--owner", "hr-chef"], ['Menade du "2.3.2.1" (Rekrytering)']),
    (["rutin", "a.md", "--klassa", "2.3.2", "--owner", "hr-chf"], ['okänd roll "hr-chf"', 'Menade du "hr-chef"']),
    (["rutin", "a.md", "--klassa", "2.3.2", "--owner", "HR-konsult"], ['Menade du "hr-konsult" (HR-konsult)']),
    (["rutin", "../a.md", "--klassa", "2.3.2", "--owner", "hr-chef"], ["ska ligga i docs/"]),
    (["rutin", "processer/a.md", "--klassa", "2.3.2", "--owner", "hr-chef"], ["docs/processer/ används av handbokens genererade sidor"]),
    (["process", "Ny process", "--klassa", "2.3.2", "--owner", "hr-chef"], ["får bara innehålla a–z, 0–9 och bindestreck"]),
    (["rutin", "a.md"], ["ange --klassa, t.ex. --klassa 2.3.2", "ange --owner"]),
])
def test_wrong_input_is_refused_in_swedish(root, args, words):
    before = sorted(p for p in root.rglob("*") if p.is_file())
    result = new(root, *args)
    assert result.returncode == 1
    assert all(w in result.stderr for w in words), result.stderr
    assert "Ingen fil skapades." in result.stderr
    assert sorted(p for p in root.rglob("*") if p.is_file()) == before


def test_every_mistake_is_reported_at_once(root):
    result = new(root, "rutinn", "a.md", "--klassa", "9.9", "--owner", "ingen")
    assert result.returncode == 1
    assert len(re.findall(r"^handbook new: fel: ", result.stderr, re.M)) == 3


def test_new_process_passes_check_and_schema(tmp_path):
    root = write_handbook(tmp_path / "h", {}, klassa=KLASSA)
    result = new(root, "process", "rekrytering", "--klassa", "2.3.2.1", "--owner", "hr-chef", "--title", "Rekrytering")
    assert result.returncode == 0, result.stderr
    path = root / "processes" / "rekrytering.yml"
    data = load_yaml(path.read_text("utf-8"))
    assert (data["id"], data["name"], data["owner"], data["state"], data["version"]) == ("rekrytering", "Rekrytering", "hr-chef", "utkast", "0.1")
    assert list(Draft202012Validator(process_schema()).iter_errors(plain(data))) == []
    check_is_clean(root)
    again = new(root, "process", "rekrytering", "--klassa", "2.3.2.1", "--owner", "hr-chef")
    assert again.returncode == 1 and 'process-id "rekrytering" används redan' in again.stderr
    built = build(root, strict=True)
    assert built.returncode == 0, built.output
    assert [p["id"] for p in built.catalog["processes"]] == ["rekrytering"]


def test_configured_doc_type_gets_a_generic_body(tmp_path):
    mkdocs = (REPO / "mkdocs.yml").read_text("utf-8").replace(
        "      classification_limit: 1\n", "      classification_limit: 1\n      doc_types: [rutin, avtal]\n")
    root = write_handbook(tmp_path / "h", {}, mkdocs_yml=mkdocs)
    assert new(root, "avtal", "avtal.md", "--klassa", "2.3", "--owner", "hr-chef").returncode == 0
    assert headings((root / "docs" / "avtal.md").read_text("utf-8")) == ["Syfte", "Innehåll", "Ansvar", "Uppföljning"]
    assert new(root, "policy", "policy.md", "--klassa", "2.3", "--owner", "hr-chef").returncode == 1
    check_is_clean(root)
