"""`handbook report`: CSV that Excel opens with Swedish characters intact, JSON and Markdown, with filters."""

import csv
import io
import json

import pytest

from conftest import project_mkdocs_yml, MORE_ROLES, document, process, run_handbook, write_handbook

TODAY = "2026-11-21"
KLASSA = {"2.3.2.1": "Rekrytering", "2.3.2.10": "Löneväxling"}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    files = {
        "docs/hr/lon.md": document("Rutin för löneväxling – åäö ÅÄÖ", klassa="2.3.2.10", review_date="2026-11-01"),
        "docs/hr/rek.md": document("Rekryteringsrutin", klassa="2.3.2.1", review_date="2026-12-24", version="1.10"),
        "docs/hr/formel.md": document("=HYPERLINK(\"x\")", klassa="2.3.2", review_date="2026-12-01"),
        "docs/hr/aktuell.md": document("Aktuell rutin", klassa="2.3.2", review_date="2028-01-01"),
        "docs/reg/arkiv.md": document("Arkivering", klassa="1.1", owner="registrator", review_date="2026-06-30",
                                      state="upphävd"),
        "docs/reg/hemlig.md": document("Hemlig förteckning", klassa="1.1", owner="registrator", review_date="2020-01-01",
                                       information_class="K4"),
        "processes/rekrytering.yml": process("rekrytering", [{"id": "a", "name": "A", "role": "chef"}],
                                             klassa="2.3.2.1", owner="chef", review_date="2027-01-10"),
    }
    return write_handbook(tmp_path_factory.mktemp("reports") / "h", files, roles=MORE_ROLES, klassa=KLASSA,
                          mkdocs_yml=project_mkdocs_yml(site_url=False))


def report(root, *args: str):
    result = run_handbook(root, "report", *args, today=TODAY)
    assert result.returncode == 0, result.stderr
    return result


def report_json(root, *args: str) -> dict:
    return json.loads(report(root, "--format", "json", *args).stdout)


def ids(data: dict) -> list[str]:
    return [i["id"] for o in data["owners"] for i in o["items"]]


def test_csv_opens_in_swedish_excel(root, tmp_path):
    target = tmp_path / "revision.csv"
    report(root, "-o", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Ansvarig roll", "Roll-id", "Kontakt", "Typ", "Namn", "Klassa", "Version", "Status",
                       "Ska revideras senast", "Revisionsstatus", "Senast granskad", "Granskad av",
                       "Granskningens anteckning", "Adress"]
    assert rows[1:] == [
        ["HR-chef", "hr-chef", "hr@example.se", "Rutin", "Rutin för löneväxling – åäö ÅÄÖ", "2.3.2.10", "1.0", "Fastställd",
         "2026-11-01", "Revision försenad", "", "", "", "hr/lon/"],
        ["HR-chef", "hr-chef", "hr@example.se", "Rutin", "'=HYPERLINK(\"x\")", "2.3.2", "1.0", "Fastställd",
         "2026-12-01", "Ska revideras snart", "", "", "", "hr/formel/"],
        ["HR-chef", "hr-chef", "hr@example.se", "Rutin", "Rekryteringsrutin", "2.3.2.1", "1.10", "Fastställd",
         "2026-12-24", "Ska revideras snart", "", "", "", "hr/rek/"],
        ["Registrator", "registrator", "registrator@example.se", "Rutin", "Arkivering", "1.1", "1.0", "Upphävd",
         "2026-06-30", "Revision försenad", "", "", "", "reg/arkiv/"],
        ["Rekryterande chef", "chef", "chef@example.se", "Process", "Rekrytering", "2.3.2.1", "1.0", "Fastställd",
         "2027-01-10", "Ska revideras snart", "", "", "", "processer/rekrytering/"],
    ]


def test_json_contents(root):
    data = report_json(root)
    assert (data["today"], data["due_days"], data["total"], data["counts"]) == (TODAY, 60, 5, {"overdue": 2, "due": 3})
    assert [(o["id"], o["name"], o["total"], o["counts"]) for o in data["owners"]] == [
        ("hr-chef", "HR-chef", 3, {"overdue": 1, "due": 2}),
        ("registrator", "Registrator", 1, {"overdue": 1}),
        ("chef", "Rekryterande chef", 1, {"due": 1}),
    ]
    first = data["owners"][0]["items"][0]
    assert first == {"kind": "document", "id": "hr/lon.md", "title": "Rutin för löneväxling – åäö ÅÄÖ", "type": "Rutin",
                     "klassa": "2.3.2.10", "owner": "hr-chef", "version": "1.0", "state": "fastställd",
                     "review_date": "2026-11-01", "review_status": "overdue", "last_review": None, "url": "hr/lon/"}
    assert data["owners"][1]["items"][0]["state"] == "upphävd"
    assert "hemlig" not in json.dumps(data).lower()


def test_filters_by_owner_status_and_klassa_prefix(root):
    assert ids(report_json(root, "--owner", "registrator")) == ["reg/arkiv.md"]
    assert ids(report_json(root, "--owner", "registrator", "--owner", "chef")) == ["reg/arkiv.md", "rekrytering"]
    assert ids(report_json(root, "--status", "overdue")) == ["hr/lon.md", "reg/arkiv.md"]
    assert ids(report_json(root, "--status", "ok")) == ["hr/aktuell.md"]
    # A prefix covers the code and what lies below it, never a sibling that merely starts with the same digits.
    assert ids(report_json(root, "--klassa", "2.3.2.1")) == ["hr/rek.md", "rekrytering"]
    assert ids(report_json(root, "--klassa", "2.3.2.10")) == ["hr/lon.md"]
    assert ids(report_json(root, "--klassa", "2.3")) == ["hr/lon.md", "hr/formel.md", "hr/rek.md", "rekrytering"]
    assert ids(report_json(root, "--klassa", "2.3", "--owner", "chef", "--status", "due")) == ["rekrytering"]
    assert report_json(root, "--klassa", "2.3", "--owner", "registrator")["owners"] == []


def test_markdown_report(root):
    text = report(root).stdout
    assert text.startswith(f"# Revision {TODAY}\n")
    assert "5 dokument och processer: 2 med försenad revision, 3 ska revideras inom 60 dagar." in text
    assert "## HR-chef (3)" in text and "## Registrator (1)" in text
    assert "| Rutin för löneväxling – åäö ÅÄÖ | Rutin | 2.3.2.10 | 1.0 | 2026-11-01 | Revision försenad |" in text
    assert "| Arkivering (upphävd) |" in text


def with_settings(root, folder, *replacements: tuple[str, str]):
    """The same docs/ and processes/ under an mkdocs.yml with some text replaced, e.g. a site_url."""
    folder.mkdir()
    for name in ("docs", "processes"):
        (folder / name).symlink_to(root / name)
    yml = (root / "mkdocs.yml").read_text("utf-8")
    for old, new in replacements:
        assert old in yml
        yml = yml.replace(old, new, 1)
    (folder / "mkdocs.yml").write_text(yml, "utf-8")
    return folder


SITE_URL = ("site_name:", "site_url: https://handbok.tallby.se/\nsite_name:")


def test_site_url_makes_absolute_links(root, tmp_path):
    other = with_settings(root, tmp_path / "h", SITE_URL)
    text = report(other, "--owner", "chef").stdout
    assert "| [Rekrytering](https://handbok.tallby.se/processer/rekrytering/) |" in text
    rows = list(csv.reader(io.StringIO(report(other, "--format", "csv", "--owner", "chef").stdout), delimiter=";"))
    assert rows[1][-1] == "https://handbok.tallby.se/processer/rekrytering/"


def test_unknown_filters_are_errors_with_a_hint(root):
    owner = run_handbook(root, "report", "--owner", "hr-chfe", today=TODAY)
    assert owner.returncode == 2 and 'okänd roll "hr-chfe"' in owner.stderr and 'Menade du "hr-chef"?' in owner.stderr
    code = run_handbook(root, "report", "--klassa", "2.3.99", today=TODAY)
    assert code.returncode == 2 and "2.3.99" in code.stderr and "Traceback" not in code.stderr
