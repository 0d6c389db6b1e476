"""The Mermaid text of a process map: lanes, shapes, edges, links, and hostile text kept out of the syntax."""

import re

from hypothesis import given
from hypothesis import strategies as st

from conftest import MORE_ROLES, document, process, write_handbook
from handbook.core.handbook import Handbook, Settings
from handbook.core.mermaid import END, START, flowchart, label, process_map, safe_url

HOSTILE = [
    '</script><script>window.__pwned=1</script>',
    '"]; click hbStep1 call alert(1); x["',
    '%%{init: {"securityLevel":"loose"}}%%',
    'javascript:alert(1)',
    'A --> B\nend\nsubgraph x',
    '<img src=x onerror=alert(1)>',
    '`**markdown**` [[x]] {y} (z) |w|',
    '#35; &amp; &#60;',
    'click hbStep1 href "javascript:alert(1)"',
]

# Every line the generator may write; LABEL is the only place text from a process file can be.
LABEL = r"(?:[^\W_]| |#\d+;)*"
NODE = r"hbStep\d+"
GRAMMAR = [re.compile(f"^{p}$") for p in (
    r"flowchart TD",
    rf'  {START}\(\["{LABEL}"\]\)',
    rf'  {END}\(\["{LABEL}"\]\)',
    rf'  subgraph hbLane\d+\["{LABEL}"\]',
    r"  end",
    rf'    {NODE}(?:\["{LABEL}"\]|\{{"{LABEL}"\}}|\[\["{LABEL}"\]\])',
    rf'  (?:{START}|{NODE}) --> (?:{END}|{NODE})',
    rf'  {NODE} -->\|"{LABEL}"\| {NODE}',
    rf'  click {NODE} href "[A-Za-z0-9_.~/%-]+"',
    r"  classDef hb[A-Za-z]+ [a-z:0-9,-]+",
    rf"  class (?:{START}|{END}|{NODE})(?:,{NODE})* hb[A-Za-z]+(?:,hb[A-Za-z]+)*",
)]


def assert_grammar(text: str) -> None:
    for line in text.rstrip("\n").split("\n"):
        assert any(g.match(line) for g in GRAMMAR), line


def decode(encoded: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), encoded)


def load(tmp_path, files: dict, roles=MORE_ROLES) -> Handbook:
    root = write_handbook(tmp_path / "h", files, roles=roles)
    return Handbook.load(root, settings=Settings())


STEPS = [
    {"id": "behov", "name": "Analysera behov", "role": "chef", "documents": ["hemlig.md", "hr/kravprofil.md"]},
    {"id": "beslut", "name": "Ska tjänsten utlysas?", "kind": "decision", "role": "hr-chef",
     "next": {"Ja": "annons", "Nej, inte nu": "avslut"}},
    {"id": "annons", "name": "Annonsera", "role": "hr-konsult", "kind": "subprocess", "process": "annonsering"},
    {"id": "intern", "name": "Intern väg", "role": "hr-konsult", "kind": "subprocess", "process": "hemlig-process",
     "next": ["avslut"]},
    {"id": "avslut", "name": "Avsluta", "role": "chef"},
]


def example(tmp_path) -> Handbook:
    return load(tmp_path, {
        "docs/hr/kravprofil.md": document("Kravprofil"),
        "docs/hemlig.md": document("Hemlig rutin", information_class="K3"),
        "processes/rekrytering.yml": process("rekrytering", STEPS, trigger="Behov uppstår", result="En anställd"),
        "processes/annonsering.yml": process("annonsering", [{"id": "a", "name": "A", "role": "hr-konsult"}]),
        "processes/hemlig-process.yml": process("hemlig-process", [{"id": "a", "name": "A", "role": "hr-konsult"}],
                                                information_class="K3"),
    })


def test_lanes_nodes_and_events(tmp_path):
    handbook = example(tmp_path)
    text = process_map(handbook, handbook.processes["rekrytering"], "processer/rekrytering/")
    assert_grammar(text)
    lanes = re.findall(r'subgraph hbLane\d+\["([^"]*)"\]', text)
    assert [decode(n) for n in lanes] == ["Rekryterande chef", "HR-chef", "HR-konsult"]
    lane_of, lane = {}, None
    for line in text.split("\n"):
        if line.startswith("  subgraph "):
            lane = line.split()[1].split("[")[0]
        elif line == "  end":
            lane = None
        elif line.startswith("    "):
            lane_of[line.strip()[:8]] = lane
    assert lane_of == {"hbStep1[": "hbLane1", "hbStep5[": "hbLane1", "hbStep2{": "hbLane2",
                       "hbStep3[": "hbLane3", "hbStep4[": "hbLane3"}
    assert f'{START}(["Behov uppstår"])' in text and f'{END}(["En anställd"])' in text
    assert f"{START} --> hbStep1" in text and f"hbStep5 --> {END}" in text
    assert text.count(f"--> {END}") == 1


def test_decision_is_a_diamond_with_labelled_branches(tmp_path):
    handbook = example(tmp_path)
    text = process_map(handbook, handbook.processes["rekrytering"], "processer/rekrytering/")
    assert '    hbStep2{"Ska tjänsten utlysas#63;"}' in text
    assert '  hbStep2 -->|"Ja"| hbStep3' in text
    assert '  hbStep2 -->|"Nej#44; inte nu"| hbStep5' in text
    assert "hbStep2 --> " not in text  # no unlabelled branch


def test_subprocess_links_only_to_a_published_process(tmp_path):
    handbook = example(tmp_path)
    text = process_map(handbook, handbook.processes["rekrytering"], "processer/rekrytering/")
    assert '    hbStep3[["Annonsera"]]' in text and '    hbStep4[["Intern väg"]]' in text
    assert '  click hbStep3 href "../annonsering/"' in text
    assert "click hbStep4" not in text and "hemlig" not in text
    assert '  hbStep4 --> hbStep5' in text


def test_step_links_to_its_first_published_document(tmp_path):
    handbook = example(tmp_path)
    text = process_map(handbook, handbook.processes["rekrytering"], "processer/rekrytering/")
    assert '  click hbStep1 href "../../hr/kravprofil/"' in text
    assert re.search(r"class hbStep1,hbStep3 hbLink", text)
    assert "click hbStep2" not in text and "click hbStep5" not in text


def test_missing_document_is_not_a_link(tmp_path):
    handbook = load(tmp_path, {"processes/p.yml": process("p", [
        {"id": "a", "name": "A", "role": "chef", "documents": ["finns-inte.md"]}])})
    text = process_map(handbook, handbook.processes["p"], "processer/p/")
    assert "click" not in text and "hbLink" not in text.split("classDef hbLink")[1].split("\n", 1)[1]


def test_document_paths_become_encoded_urls(tmp_path):
    handbook = load(tmp_path, {
        "docs/mapp med mellanslag/a \"b\" <c>.md": document("Konstigt namn"),
        "processes/p.yml": process("p", [{"id": "a", "name": "A", "role": "chef",
                                          "documents": ['mapp med mellanslag/a "b" <c>.md']}])})
    text = process_map(handbook, handbook.processes["p"], "processer/p/")
    assert_grammar(text)
    assert '  click hbStep1 href "../../mapp%20med%20mellanslag/a%20%22b%22%20%3Cc%3E/"' in text


def test_hostile_text_never_reaches_mermaid_as_syntax(tmp_path):
    hostile_roles = {**MORE_ROLES, "chef": {"name": HOSTILE[1]}, "hr-chef": {"name": HOSTILE[2]}}
    steps = [{"id": f"s{i}\"]; click", "name": text, "role": "chef" if i % 2 else "hr-chef", "description": text}
             for i, text in enumerate(HOSTILE)]
    steps[0]["kind"] = "decision"
    steps[0]["next"] = {text: f"s{i}\"]; click" for i, text in enumerate(HOSTILE[1:4], start=1)}
    handbook = load(tmp_path, {"processes/p.yml": process("p", steps, trigger=HOSTILE[0], result=HOSTILE[2])},
                    roles=hostile_roles)
    text = process_map(handbook, handbook.processes["p"], "processer/p/")
    assert_grammar(text)
    assert "<" not in text and ">" not in text.replace("-->", "") and "%" not in text
    # No step here has a document or subprocess: the words "click" and "javascript" stay inside labels.
    assert not re.search(r"^\s*click", text, re.M) and not re.search(r"javascript:", text)
    assert text.count('"') % 2 == 0
    names = sorted((int(i), decode(n)) for i, n in re.findall(r'    hbStep(\d+)\W{1,2}"(' + LABEL + ')"', text))
    assert [n for _, n in names] == [" ".join(t.split()) for t in HOSTILE]
    branches = [decode(t) for t in re.findall(r'hbStep1 -->\|"(' + LABEL + r')"\|', text)]
    assert branches == HOSTILE[1:4]


def test_links_are_only_urls_we_build():
    assert safe_url("../../hr/rutin/") == "../../hr/rutin/"
    for url in ("javascript:alert(1)", "//evil.example/x/", "https://evil.example/", '../a" onclick="x', "a b", ""):
        assert safe_url(url) == ""


def test_flowchart_of_a_process_without_steps():
    from handbook.core.processes import Process
    text = flowchart(Process(id="p", trigger="", result=""), str, lambda step: "")
    assert_grammar(text)
    assert f"{START} --> {END}" in text


@given(st.text(max_size=80))
def test_any_text_becomes_a_label_that_decodes_to_itself(text):
    encoded = label(text)
    assert re.fullmatch(LABEL, encoded)
    assert decode(encoded) == " ".join(text.split())

