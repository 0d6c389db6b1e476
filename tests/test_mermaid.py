"""The Mermaid text of a process map: swimlanes, events, shapes, edges, links, accessibility lines,
and hostile text kept out of the syntax."""

import re

from hypothesis import given
from hypothesis import strategies as st

from conftest import MORE_ROLES, document, process, write_handbook
from handbook.core.handbook import Handbook, Settings
from handbook.core.mermaid import END, HEADER, START, label, process_map, safe_url, swimlanes

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
    'end',
    '---\nconfig:\n  securityLevel: loose\n---',
    'accTitle: kapad\naccDescr { x }',
]

# Every line the generator may write; LABEL is the only place text from a process file can be.
LABEL = r"(?:[^\W_]| |#\d+;)*"
NODE = r"hbStep\d+"
ENDS = r"hbEnd\d+"
GRAMMAR = [re.compile(f"^{p}$") for p in (
    rf"  accTitle: Processkarta för {LABEL}",
    rf"  accDescr: {LABEL}",
    rf'  subgraph hbLane\d+\["{LABEL}"\]',
    rf'    {START}\(\["{LABEL}"\]\)',
    rf'    {ENDS}\(\["{LABEL}"\]\)',
    r"  end",
    rf'    {NODE}(?:\["{LABEL}"\]|\{{"{LABEL}"\}}|\[\["{LABEL}"\]\])',
    rf'  (?:{START}|{NODE}) --> (?:{ENDS}|{NODE})',
    rf'  {NODE} -->\|"{LABEL}"\| {NODE}',
    rf'  click {NODE} href "[A-Za-z0-9_.~/%-]+"',
    r"  classDef hb[A-Za-z]+ [a-z:0-9,-]+",
    rf"  class {START} hbEvent",
    rf"  class {ENDS}(?:,{ENDS})* hbEvent,hbEnd",
    rf"  class {NODE}(?:,{NODE})* hbLink",
)]


def assert_grammar(text: str) -> None:
    lines = text.rstrip("\n").split("\n")
    spacing = re.fullmatch(r"    nodeSpacing: (\d+)", lines[3]).group(1)
    assert tuple(lines[:len(HEADER)]) == tuple(h.format(spacing=spacing) for h in HEADER)  # our configuration, only ours
    for line in lines[len(HEADER):]:
        assert any(g.match(line) for g in GRAMMAR), line


def lanes_of(text: str) -> dict[str, list[str]]:
    """Lane label (decoded) -> the node ids declared inside it, in order."""
    lanes, lane = {}, None
    for line in text.split("\n")[len(HEADER):]:
        if line.startswith("  subgraph "):
            lane = decode(line.split('["', 1)[1].removesuffix('"]'))
            lanes[lane] = []
        elif line == "  end":
            lane = None
        elif line.startswith("    "):
            assert lane is not None, line  # no node outside a lane
            lanes[lane].append(re.match(r"\s+(hb[A-Za-z]+\d*)", line).group(1))
    return lanes


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
    assert text.startswith("---\nconfig:\n") and "\nswimlane-beta TB\n" in text
    assert lanes_of(text) == {  # order of first appearance; start with the first step, the end with the last
        "Rekryterande chef": [START, "hbStep1", "hbStep5", f"{END}1"],
        "HR-chef": ["hbStep2"],
        "HR-konsult": ["hbStep3", "hbStep4"],
    }
    assert f'{START}(["Behov uppstår"])' in text and f'{END}1(["En anställd"])' in text
    assert f"{START} --> hbStep1" in text and f"hbStep5 --> {END}1" in text
    assert text.count(f"--> {END}") == 1


def test_each_lane_with_an_ending_step_has_its_own_end_event(tmp_path):
    handbook = load(tmp_path, {"processes/p.yml": process("p", [
        {"id": "a", "name": "Pröva", "role": "hr-chef", "kind": "decision", "next": {"Bifall": "b", "Avslag": "c"}},
        {"id": "b", "name": "Bevilja", "role": "hr-konsult", "next": []},
        {"id": "c", "name": "Avslå", "role": "chef"},
        {"id": "d", "name": "Aldrig nådd", "role": "hr-chef"},
    ], result="Beslut")})
    text = process_map(handbook, handbook.processes["p"], "processer/p/")
    assert_grammar(text)
    assert lanes_of(text) == {"HR-chef": [START, "hbStep1", "hbStep4", f"{END}1"], "HR-konsult": ["hbStep2", f"{END}2"],
                              "Rekryterande chef": ["hbStep3"]}
    assert "hbStep2 --> hbEnd2" in text and "hbStep4 --> hbEnd1" in text and "hbStep3 --> hbStep4" in text
    assert f"  class {END}1,{END}2 hbEvent,hbEnd" in text


def test_steps_without_a_role_share_one_lane_in_order_of_first_appearance(tmp_path):
    handbook = load(tmp_path, {"processes/p.yml": process("p", [
        {"id": "a", "name": "A", "role": "hr-chef"},
        {"id": "b", "name": "B", "role": "ingen-sadan-roll"},
        {"id": "c", "name": "C", "role": "chef"},
        {"id": "d", "name": "D"},
    ])})
    text = process_map(handbook, handbook.processes["p"], "processer/p/")
    assert_grammar(text)
    assert list(lanes_of(text)) == ["HR-chef", "Roll saknas", "Rekryterande chef"]
    assert lanes_of(text)["Roll saknas"] == ["hbStep2", "hbStep4", f"{END}2"]


def test_the_map_is_named_and_described_in_swedish(tmp_path):
    handbook = example(tmp_path)
    text = process_map(handbook, handbook.processes["rekrytering"], "processer/rekrytering/")
    title = re.search(r"^  accTitle: (.*)$", text, re.M).group(1)
    description = re.search(r"^  accDescr: (.*)$", text, re.M).group(1)
    assert decode(title) == "Processkarta för Rekrytering"
    assert decode(description) == ("3 simbanor: Rekryterande chef, HR-chef, HR-konsult. 5 steg. "
                                   "Samma steg beskrivs i ord i tabellen Steg under kartan.")


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
    handbook = load(tmp_path, {"processes/p.yml": process("p", steps, trigger=HOSTILE[0], result=HOSTILE[2],
                                                          name=HOSTILE[9] + HOSTILE[11])},
                    roles=hostile_roles)
    text = process_map(handbook, handbook.processes["p"], "processer/p/")
    assert_grammar(text)
    assert "<" not in text and ">" not in text.replace("-->", "") and "%" not in text
    assert [len(re.findall(rf"^\s*{word}", text, re.M)) for word in ("---", "accTitle", "accDescr", "swimlane-beta")] == [2, 1, 1, 1]
    assert decode(re.search(r"^  accTitle: (.*)$", text, re.M).group(1)) == "Processkarta för " + " ".join(
        (HOSTILE[9] + HOSTILE[11]).split())
    assert list(lanes_of(text)) == [" ".join(HOSTILE[2].split()), HOSTILE[1]]
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


def test_spacing_grows_until_each_lane_is_wider_than_its_title(tmp_path):
    def spacing(role_name: str) -> int:
        roles = {**MORE_ROLES, "chef": {"name": role_name}}
        root = tmp_path / str(len(role_name))
        handbook = load(root, {"processes/p.yml": process("p", [{"id": "a", "name": "A", "role": "chef"}],
                                                          trigger="Start", result="Klart")}, roles=roles)
        text = process_map(handbook, handbook.processes["p"], "processer/p/")
        assert_grammar(text)
        return int(re.search(r"nodeSpacing: (\d+)", text).group(1))

    assert spacing("Chef") == 50  # Mermaid's own
    # 50 characters at 16 px are about 370 px: the lane of a one-letter step needs about 150 px on each side.
    assert spacing("Förvaltningschef för samhällsbyggnadsförvaltningen") >= 150
    assert spacing("Förvaltningschef för samhällsbyggnadsförvaltningen" * 2) > spacing(
        "Förvaltningschef för samhällsbyggnadsförvaltningen")


def test_map_of_a_process_without_steps_has_one_lane_for_both_events():
    from handbook.core.processes import Process
    text = swimlanes(Process(id="p", owner="hr-chef", trigger="", result=""), str, lambda step: "")
    assert_grammar(text)
    assert lanes_of(text) == {"hr-chef": [START, f"{END}1"]}
    assert f"{START} --> {END}1" in text


@given(st.text(max_size=80))
def test_any_text_becomes_a_label_that_decodes_to_itself(text):
    encoded = label(text)
    assert re.fullmatch(LABEL, encoded)
    assert decode(encoded) == " ".join(text.split())

