"""JSON Schemas for editors: generated from the core, committed under schemas/, wired for VS Code."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

from conftest import REPO, document, preview_until, process, run_handbook, write_handbook
from handbook.core.documents import DOCUMENT_KEYS, THEME_KEYS
from handbook.core.governance import read_classification, read_date
from handbook.core.problems import Problems
from handbook.core.processes import PROCESS_KEYS, STEP_KEYS
from handbook.core.schemas import DATE, document_schema, process_schema
from handbook.core.source import LineDict, load_yaml, split_front_matter

STEP = {"id": "a", "name": "Gör", "role": "hr-chef"}


def plain(value):
    """What an editor sees: YAML dates are text to JSON Schema."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def errors(schema: dict, instance) -> list[str]:
    return sorted(e.message for e in Draft202012Validator(schema).iter_errors(plain(instance)))


def front(text: str) -> dict:
    return split_front_matter(text).meta


def test_committed_schemas_equal_the_command_output():
    for kind in ("document", "process"):
        result = run_handbook(REPO, "schema", kind)
        assert result.returncode == 0, result.stderr
        committed = (REPO / "schemas" / f"{kind}.schema.json").read_text("utf-8")
        assert committed == result.stdout, f"schemas/{kind}.schema.json is stale: run handbook schema {kind} > schemas/{kind}.schema.json"


@pytest.mark.parametrize("schema", [document_schema(), process_schema()])
def test_schemas_are_valid_2020_12_and_in_swedish(schema):
    assert validator_for(schema) is Draft202012Validator
    Draft202012Validator.check_schema(schema)
    descriptions = list(walk_descriptions(schema))
    assert len(descriptions) > 15
    english = [d for d in descriptions if re.search(r"\b(the|of|is|and|or|must|when|with)\b", d)]
    assert english == []


def walk_descriptions(node):
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            yield node["description"]
        for value in node.values():
            yield from walk_descriptions(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_descriptions(value)


def test_schemas_name_every_key_the_core_knows():
    assert list(document_schema()["properties"]) == [*DOCUMENT_KEYS, *THEME_KEYS]
    assert list(process_schema()["properties"]) == list(PROCESS_KEYS)
    assert list(process_schema()["$defs"]["step"]["properties"]) == list(STEP_KEYS)


def test_document_schema_uses_the_configured_doc_types(tmp_path):
    mkdocs = (REPO / "mkdocs.yml").read_text("utf-8").replace(
        "      classification_limit: 1\n", "      classification_limit: 1\n      doc_types: [rutin, avtal]\n")
    root = write_handbook(tmp_path, {}, mkdocs_yml=mkdocs)
    schema = json.loads(run_handbook(root, "schema", "document").stdout)
    assert schema["properties"]["doc_type"]["enum"] == ["rutin", "avtal"]


def test_reference_handbook_validates():
    governed = 0
    for path in sorted((REPO / "docs").rglob("*.md")):
        meta = front(path.read_text("utf-8"))
        if any(k in meta for k in ("doc_type", "klassa", "owner", "review_date")):
            governed += 1
            assert errors(document_schema(), meta) == [], path
    assert governed > 20
    files = [p for p in sorted((REPO / "processes").rglob("*.yml")) if p.name not in ("roles.yml", "klassa.yml", "krav.yml")]
    assert files
    for path in files:
        assert errors(process_schema(), load_yaml(path.read_text("utf-8"))) == [], path


DOCUMENT_CASES = [
    ({}, []),
    ({"klassa": "2.10", "version": "1.10"}, []),
    ({"state": "utkast", "valid_from": None, "decided_by": None}, []),
    ({"review_date": "2028-02-29"}, []),
    ({"valid_from": None}, ["'valid_from' is a required property"]),
    ({"decided_by": None}, ["'decided_by' is a required property"]),
    ({"owner": ["hr-chef"]}, ["['hr-chef'] is not of type 'string'"]),
    ({"owner": None}, ["'owner' is a required property"]),
    ({"doc_type": "rutinn"}, ["'rutinn' is not one of"]),
    ({"state": "faststalld"}, ["'faststalld' is not one of"]),
    ({"review_date": "30/6 2027"}, ["'30/6 2027' does not match"]),
    ({"review_date": "2027-02-30"}, ["'2027-02-30' does not match"]),
    ({"review_date": "2027-13-01"}, ["'2027-13-01' does not match"]),
    ({"klassa": "2.3.x"}, ["'2.3.x' does not match"]),
    ({"information_class": "hemlig"}, ["'hemlig' does not match"]),
    ({"ownr": "hr-chef"}, ["'ownr' is not one of"]),
]
PROCESS_CASES = [
    ({}, []),
    ({"owner": ["hr-chef"]}, ["['hr-chef'] is not of type 'string'"]),
    ({"id": "Rekrytering 2"}, ["'Rekrytering 2' does not match"]),
    ({"steps": []}, ["[] does not contain items"]),
    ({"steps": [{"id": "a", "name": "A"}]}, ["'role' is a required property"]),
    ({"steps": [{**STEP, "kind": "decision"}]}, ["'next' is a required property"]),
    ({"steps": [{**STEP, "kind": "subprocess"}]}, ["'process' is a required property"]),
    ({"steps": [{**STEP, "kind": "aktivitet"}]}, ["'aktivitet' is not one of"]),
    ({"steps": [{**STEP, "rol": "x"}]}, ["'rol' is not one of"]),
    ({"review_date": "snart"}, ["'snart' does not match"]),
    ({"review_date": "2027-04-31"}, ["'2027-04-31' does not match"]),
]


def document_case(index: int) -> str:
    return document("A", **DOCUMENT_CASES[index][0])


def process_case(index: int) -> str:
    return process(f"p{index}", **{"steps": [STEP], **PROCESS_CASES[index][0]})


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> str:
    """`handbook check` over every case, each in its own file, run once."""
    files = {f"docs/d{i}.md": document_case(i) for i in range(len(DOCUMENT_CASES))}
    files |= {f"processes/p{i}.yml": process_case(i) for i in range(len(PROCESS_CASES))}
    return run_handbook(write_handbook(tmp_path_factory.mktemp("cases"), files), "check").stdout


def flags(check: str, path: str) -> bool:
    return bool(re.search(rf"^{re.escape(path)}:\d+: (error|warning):", check, re.M))


@pytest.mark.parametrize("index", range(len(DOCUMENT_CASES)), ids=[str(fields) for fields, _ in DOCUMENT_CASES])
def test_document_schema_flags_what_check_flags(checked, index):
    expected = DOCUMENT_CASES[index][1]
    found = errors(document_schema(), front(document_case(index)))
    assert len(found) == len(expected) and all(f.startswith(e) for f, e in zip(found, expected)), found
    assert bool(expected) == flags(checked, f"docs/d{index}.md"), checked


@pytest.mark.parametrize("index", range(len(PROCESS_CASES)), ids=[str(change) for change, _ in PROCESS_CASES])
def test_process_schema_flags_what_check_flags(checked, index):
    expected = PROCESS_CASES[index][1]
    found = errors(process_schema(), load_yaml(process_case(index)))
    assert len(found) == len(expected) and all(f.startswith(e) for f, e in zip(found, expected)), found
    assert bool(expected) == flags(checked, f"processes/p{index}.yml"), checked


def test_decision_with_labelled_branches_is_valid():
    steps = [{**STEP, "kind": "decision", "next": {"Ja": "b", "Nej": "c"}}, {**STEP, "id": "b"}, {**STEP, "id": "c"}]
    assert errors(process_schema(), load_yaml(process("p", steps))) == []


@pytest.mark.parametrize("value", ["K1", "K0", "k2", "K2 R1 T2 S1", " K3 T1 ", "K 1", "K5", "R1 K1", "K1 X1", "hemlig", "K1R1"])
def test_classification_pattern_agrees_with_the_reader(value):
    meta = LineDict({"information_class": value})
    meta.lines = {}
    problems = Problems("x")
    read_classification(meta, problems)
    assert bool(re.search(document_schema()["properties"]["information_class"]["pattern"], value)) == (not problems.items)


@pytest.mark.parametrize("value", ["2027-03-01", "2027-3-1", "27-03-01", "2027-03-01T10:00", "1 mars 2027", "0000-01-01", "0000-02-29",
                                   "2027-02-29", "2028-02-29", "1900-02-29", "2000-02-29", "2027-04-31", "2027-13-01", "2027-00-10"])
def test_date_pattern_agrees_with_the_reader(value):
    meta = LineDict({"d": value})
    meta.lines = {}
    problems = Problems("x")
    read_date(meta, "d", problems, True, "datum")
    assert bool(re.search(document_schema()["properties"]["review_date"]["pattern"], value)) == (not problems.items)


def test_date_pattern_accepts_exactly_the_dates_that_exist():
    pattern = re.compile(DATE)
    for year in [*range(1, 10), *range(1896, 2105), 2400, 2500, 9996, 9999]:
        for month in range(0, 14):
            for day in range(0, 33):
                text = f"{year:04}-{month:02}-{day:02}"
                try:
                    exists = bool(dt.date.fromisoformat(text))
                except ValueError:
                    exists = False
                assert bool(pattern.match(text)) == exists, text


def schema_nodes(node, path=""):
    """Every schema node the server validates against and reports from (not the conditions under `if`)."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key not in ("if", "enum", "required", "const", "default"):
                yield from schema_nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from schema_nodes(value, f"{path}/{index}")


@pytest.mark.parametrize("schema", [document_schema(), process_schema()])
def test_every_check_carries_a_swedish_message(schema):
    """The YAML language server shows `errorMessage` instead of its English text for a node's type, pattern, format,
    enum, required key and propertyNames; it has no such message for minLength, minItems, not or additionalProperties: false."""
    checked = 0
    for path, node in schema_nodes(schema):
        if path.endswith("/properties") or path.endswith("/$defs"):
            continue
        assert not {"minLength", "minItems", "maxItems", "not", "oneOf", "anyOf"} & node.keys(), path
        assert node.get("additionalProperties") is not False, path
        if {"type", "pattern", "format", "enum", "required", "contains"} & node.keys():
            checked += 1
            message = node.get("errorMessage", "")
            assert re.search(r"\b(ska|saknas|saknar|okänd|inget|ingen|får|välj|kan)\b", message), (path, message)
    assert checked > 20
    assert schema["properties"]["state"]["errorMessage"].endswith("utkast, fastställd eller upphävd")


# -- the editor ---------------------------------------------------------------

def vscode(name: str) -> dict:
    return json.loads((REPO / ".vscode" / name).read_text("utf-8"))


def test_vscode_wires_the_process_schema_and_recommends_the_yaml_extension():
    schemas = vscode("settings.json")["yaml.schemas"]
    assert schemas == {"./schemas/process.schema.json": ["processes/**/*.yml", "!processes/roles.yml", "!processes/klassa.yml",
                                                         "!processes/krav.yml"],
                       "./schemas/requirements.schema.json": ["processes/krav.yml"]}
    for path in schemas:
        assert (REPO / path).is_file()
    assert "redhat.vscode-yaml" in vscode("extensions.json")["recommendations"]


def matcher_regex(task: dict) -> re.Pattern:
    """The task's problem matcher as a Python regex (VS Code's is JavaScript; this one means the same)."""
    pattern = task["problemMatcher"]["pattern"]
    assert (pattern["file"], pattern["line"], pattern["severity"], pattern["message"]) == (1, 2, 3, 4)
    return re.compile(pattern["regexp"])


def test_tasks_problem_matcher_reads_check_and_preview_output(tmp_path):
    tasks = {t["label"]: t for t in vscode("tasks.json")["tasks"]}
    check, preview = tasks["Kontrollera handboken"], tasks["Förhandsgranska handboken"]
    assert check["args"] == ["check"] and check["group"]["isDefault"] is True
    assert preview["args"][0] == "preview" and preview["isBackground"] is True
    root = write_handbook(tmp_path, {"docs/hr/a.md": document("A", owner="hr-chf", ownr="x")})
    output = run_handbook(root, "check").stdout.splitlines()
    for task in (check, preview):
        regex = matcher_regex(task)
        found = [m.groups() for line in output if (m := regex.match(line))]
        assert ("docs/hr/a.md", "5", "error") in [f[:3] for f in found]
        assert ("docs/hr/a.md", "11", "warning") in [f[:3] for f in found]
        assert not regex.match(output[-1])  # the summary line is no problem
    background = preview["problemMatcher"]["background"]
    lines = preview_until(root, re.compile(background["endsPattern"]))  # what the task shows until the site is built
    begin = next(i for i, line in enumerate(lines) if re.match(background["beginsPattern"], line))
    logged = [m.groups()[:3] for line in lines[begin:] if (m := matcher_regex(preview).match(line))]
    assert ("docs/hr/a.md", "5", "error") in logged and re.match(background["endsPattern"], lines[-1])
    assert re.match(background["beginsPattern"], "Bygger om efter en ändring …")  # a rebuild starts a new round
