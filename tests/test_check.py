"""`handbook check`: every class of invalid input in the contract, one run, PATH:LINE: severity: message."""

import re

import pytest

from conftest import MORE_ROLES, document, process, run_handbook, write_handbook

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.+)$")


def problems(result) -> list[dict]:
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr
    assert re.match(r"^\d+ fel, \d+ varning(ar)? i \d+ fil(er)?\.$", lines[-1]), lines[-1]
    parsed = [LINE.match(line) for line in lines[:-1]]
    assert all(parsed), lines
    assert "Traceback" not in result.stdout + result.stderr
    return [m.groupdict() for m in parsed]


def only(found: list[dict], path: str) -> list[dict]:
    return [p for p in found if p["path"] == path]


def test_valid_handbook_passes(tmp_path):
    root = write_handbook(tmp_path, {"docs/a.md": document("A")})
    result = run_handbook(root, "check")
    assert result.returncode == 0, result.stdout
    assert problems(result) == []
    assert result.stdout.strip().endswith("0 fel, 0 varningar i 3 filer.")


@pytest.mark.parametrize("fields, line, severity, words", [
    ({"doc_type": None}, 2, "error", ["doc_type saknas"]),
    ({"klassa": None}, 2, "error", ["klassa saknas"]),
    ({"owner": None}, 2, "error", ["owner saknas"]),
    ({"version": None}, 2, "error", ["version saknas"]),
    ({"review_date": None}, 2, "error", ["review_date saknas"]),
    ({"state": None}, 2, "error", ["state saknas"]),
    ({"valid_from": None}, 2, "error", ["valid_from saknas"]),
    ({"decided_by": None}, 2, "error", ["decided_by saknas"]),
    ({"doc_type": "rutinn"}, 3, "error", ['"rutinn"', 'Menade du "rutin"']),
    ({"klassa": "2.3.22"}, 4, "error", ['"2.3.22" finns inte', "Menade du"]),
    ({"owner": "hr-chf"}, 5, "error", ['okänd roll "hr-chf"', 'Menade du "hr-chef"']),
    ({"owner": ["hr-chef"]}, 5, "error", ["exakt ett roll-id"]),
    ({"state": "faststalld"}, 8, "error", ['Menade du "fastställd"']),
    ({"review_date": "30/6 2027"}, 7, "error", ["review_date", "ÅÅÅÅ-MM-DD"]),
    ({"review_date": "2027-02-30"}, 7, "error", ["inget giltigt datum"]),
    ({"valid_from": "snart"}, 9, "error", ["valid_from"]),
    ({"decision_date": "igår"}, 11, "error", ["decision_date"]),
    ({"ownr": "hr-chef"}, 11, "warning", ['"ownr"', 'Menade du "owner"']),
    ({"roles": ["hr-chef", "okand-roll"]}, 11, "error", ['"okand-roll"']),
    ({"processes": ["saknas"]}, 11, "error", ['okänd process "saknas"']),
    ({"information_class": "hemlig"}, 11, "error", ["K4"]),
])
def test_document_rules(tmp_path, fields, line, severity, words):
    root = write_handbook(tmp_path, {"docs/hr/a.md": document("A", **fields)})
    found = only(problems(run_handbook(root, "check")), "docs/hr/a.md")
    match = [p for p in found if all(w in p["message"] for w in words)]
    assert match, found
    assert int(match[0]["line"]) == line and match[0]["severity"] == severity


def test_state_faststalld_requires_valid_from_but_utkast_does_not(tmp_path):
    root = write_handbook(tmp_path, {"docs/a.md": document("A", state="utkast", valid_from=None, decided_by=None)})
    assert run_handbook(root, "check").returncode == 0


def test_title_from_heading_and_missing_title(tmp_path):
    body = "# Rubrik från texten\n"
    root = write_handbook(tmp_path, {"docs/a.md": document(None, body=body), "docs/b.md": document(None, body="Ingen rubrik.")})
    found = problems(run_handbook(root, "check"))
    assert [p["path"] for p in found if "title" in p["message"]] == ["docs/b.md"]


def test_free_pages_need_no_metadata_but_typos_of_governed_keys_warn(tmp_path):
    root = write_handbook(tmp_path, {"docs/om.md": "---\ntitle: Om\nhide: [toc]\n---\nText\n", "docs/a.md": document("A"),
                                     "docs/typo.md": "---\ntitle: X\nreview_dat: 2027-01-01\n---\n"})
    found = problems(run_handbook(root, "check"))
    assert [(p["path"], p["severity"]) for p in found] == [("docs/typo.md", "warning")]
    assert 'Menade du "review_date"' in found[0]["message"]


def test_broken_yaml_is_one_error_with_line(tmp_path):
    root = write_handbook(tmp_path, {"docs/a.md": "---\ntitle: A\ndoc_type: rutin\nklassa: [2.3\n---\nText\n"})
    result = run_handbook(root, "check")
    found = only(problems(result), "docs/a.md")
    assert result.returncode == 1
    assert found and found[0]["severity"] == "error" and "YAML" in found[0]["message"]


def test_every_problem_of_every_file_in_one_run(tmp_path):
    root = write_handbook(tmp_path, {
        "docs/a.md": document("A", owner="x", doc_type="y", klassa="9.9"),
        "docs/b.md": document("B", state="z"),
        "processes/p.yml": process("p", [{"id": "s", "name": "S", "role": "nobody"}]),
    })
    found = problems(run_handbook(root, "check"))
    assert len(only(found, "docs/a.md")) == 3
    assert len(only(found, "docs/b.md")) == 1
    assert len(only(found, "processes/p.yml")) == 1


def test_lossless_values(tmp_path):
    root = write_handbook(tmp_path, {"docs/a.md": document("A", klassa="2.10", version="1.10")})
    result = run_handbook(root, "check")
    assert result.returncode == 0, result.stdout


def test_klassa_register_rules(tmp_path):
    klassa = {"2.3.2.1": "Rekrytering", "2.3.2.1.5": "Djup", "7.1": "Utan förälder", "x.y": "Fel kod", "2.3.2.2": ""}
    root = write_handbook(tmp_path, {"docs/a.md": document("A", klassa="2.3.2.1.5")}, klassa=klassa)
    found = only(problems(run_handbook(root, "check")), "processes/klassa.yml")
    messages = " | ".join(p["message"] for p in found)
    assert "7.1 saknar överordnad kod 7" in messages
    assert '"x.y" är ingen Klassa-kod' in messages
    assert "2.3.2.2 saknar namn" in messages
    assert all(p["severity"] == "error" for p in found) and len(found) == 3


def test_roles_register_rules(tmp_path):
    roles = {"hr-chef": {"name": "HR-chef"}, "utan-namn": {"description": "x"}, "oanvand": {"name": "Oanvänd"}}
    root = write_handbook(tmp_path, {"docs/a.md": document("A", roles=["utan-namn"])}, roles=roles)
    found = only(problems(run_handbook(root, "check")), "processes/roles.yml")
    assert {(p["severity"], p["line"]) for p in found} == {("error", "3"), ("warning", "5")}


PROCESS_CASES = [
    ({"owner": ["hr-chef", "chef"]}, "exakt ett roll-id"),
    ({"leader": ["hr-chef", "chef"]}, "högst ett roll-id"),
    ({"klassa": "2.3.99"}, "finns inte"),
    ({"id": "Fel Id"}, "a–z"),
]


@pytest.mark.parametrize("fields, words", PROCESS_CASES)
def test_process_header_rules(tmp_path, fields, words):
    steps = fields.pop("steps", [{"id": "a", "name": "A", "role": "chef"}])
    root = write_handbook(tmp_path, {"processes/p.yml": process("p", steps, **fields)}, roles=MORE_ROLES)
    found = only(problems(run_handbook(root, "check")), "processes/p.yml")
    assert any(words in p["message"] and p["severity"] == "error" for p in found), found


@pytest.mark.parametrize("steps, words", [
    ([{"id": "a", "name": "A", "role": "chef"}, {"id": "a", "name": "B", "role": "chef"}], "används redan"),
    ([{"id": "a", "name": "A", "role": "chef", "next": ["finns-ej"]}], 'steget "finns-ej" som inte finns'),
    ([{"id": "a", "name": "A", "role": "chef", "kind": "decision", "next": {"Ja": "c", "Nej": "c"}},
      {"id": "b", "name": "B", "role": "chef"}, {"id": "c", "name": "C", "role": "chef"}], "kan inte nås"),
    ([], "saknar steps"),
    ([{"id": "a", "name": "A", "role": "chef", "kind": "subprocess", "process": "okand"}], 'delprocessen "okand"'),
    ([{"id": "a", "name": "A", "role": "chef", "kind": "subprocess"}], "saknar process"),
    ([{"id": "a", "name": "A", "role": "chef", "kind": "gateway"}], "kind \"gateway\""),
    ([{"id": "a", "name": "A", "role": "chef", "documents": ["finns/inte.md"]}], "finns/inte.md"),
    ([{"id": "a", "name": "A", "role": "chefen"}], "Menade du \"chef\""),
    ([{"id": "a", "name": "A"}], "saknar role"),
    ([{"id": "a", "name": "A", "role": "chef", "kind": "decision"}], "saknar next"),
])
def test_step_rules(tmp_path, steps, words):
    root = write_handbook(tmp_path, {"processes/p.yml": process("p", steps)}, roles=MORE_ROLES)
    result = run_handbook(root, "check")
    found = only(problems(result), "processes/p.yml")
    assert result.returncode == 1
    assert any(words in p["message"] and p["severity"] == "error" for p in found), found


def test_duplicate_process_ids_name_both_files(tmp_path):
    steps = [{"id": "a", "name": "A", "role": "hr-chef"}]
    root = write_handbook(tmp_path, {"processes/x.yml": process("same", steps), "processes/y.yml": process("same", steps)})
    found = problems(run_handbook(root, "check"))
    assert any(p["path"] == "processes/y.yml" and "processes/x.yml" in p["message"] for p in found)


def test_process_line_numbers_point_at_the_key(tmp_path):
    text = "name: P\nklassa: 2.3.2\nowner: hr-chef\nversion: 1\nreview_date: 2027-01-01\nstate: fastställd\nsteps:\n  - id: a\n    name: A\n    role: hr-chf\n"
    root = write_handbook(tmp_path, {"processes/p.yml": text})
    found = only(problems(run_handbook(root, "check")), "processes/p.yml")
    assert [(p["line"], p["severity"]) for p in found] == [("10", "error")]


@pytest.mark.parametrize("content", [
    b"", b"\xff\xfe\x00\x01", b"- bara\n- en lista\n", b"a: &x [1]\nb: *x\n", b"[" * 5000, b"name: P\nsteps: 5\n",
    "steps:\n  - Bara text\n".encode(),
])
def test_unreadable_process_files_are_errors_not_tracebacks(tmp_path, content):
    root = write_handbook(tmp_path, {"processes/p.yml": content})
    result = run_handbook(root, "check")
    assert result.returncode == 1
    assert only(problems(result), "processes/p.yml")


def test_windows_1252_document_is_read_with_an_error(tmp_path):
    text = document("Åtgärder för öppenhet").encode("cp1252")
    root = write_handbook(tmp_path, {"docs/a.md": text})
    found = only(problems(run_handbook(root, "check")), "docs/a.md")
    assert any("UTF-8" in p["message"] for p in found)


def test_reserved_generated_folders(tmp_path):
    root = write_handbook(tmp_path, {"docs/roller/x.md": "# X\n"})
    found = only(problems(run_handbook(root, "check")), "docs/roller/x.md")
    assert found and "genererade" in found[0]["message"]


def test_bad_today_variable_is_a_clear_error(tmp_path):
    root = write_handbook(tmp_path, {})
    result = run_handbook(root, "check", today="igår")
    assert result.returncode == 2 and "HANDBOOK_TODAY" in result.stderr and "Traceback" not in result.stderr
