"""YAML mistakes are explained in Swedish at the line where they start; a key written twice is named at any depth."""

import pytest

from conftest import process, run_handbook, write_handbook
from handbook.core.source import SourceError, load_yaml

ENGLISH = ("found", "expected", "mapping", "scanning", "while", "stream", "token", "block", "scalar", "document")

CASES = [  # text, line where the mistake starts, what the message names
    ('a: 1\nb: 2\nc: "öppen\nd: 3\ne: 4\nf: 5\n', 3, "citattecknet som börjar på raden stängs aldrig"),
    ("a: 1\nb: 'öppen\nc: 2\n", 2, "citattecknet som börjar på raden stängs aldrig"),
    ("title: Rutin: ny\n", 1, "kolon följt av mellanslag"),
    ("a: 1\n\tb: 2\n", 2, "tabbtecken"),
    ("a:\n  b: 1\n c: 2\n", 3, "indraget stämmer inte"),
    ("a: [1, 2\nb: 3\n", 1, "lista som börjar med ["),
    ("a: {x: 1\nb: 3\n", 1, "mappning som börjar med {"),
    ('a: "c:\\windows"\n', 1, "okänt tecken efter \\"),
    ("a: @x\n", 1, "kan inte börja med @"),
    ("a: 1\n---\nb: 2\n", 2, "flera YAML-dokument"),
    ("a: 1\nbara text\nc: 2\n", 2, "saknar kolon"),
    ('a: "x" y\n', 1, "efter ett värde inom citattecken"),
]


@pytest.mark.parametrize("text, line, named", CASES)
def test_a_mistake_is_named_in_swedish_where_it_starts(text, line, named):
    with pytest.raises(SourceError) as raised:
        load_yaml(text)
    assert raised.value.line == line and named in raised.value.message
    assert not any(word in raised.value.message.lower() for word in ENGLISH), raised.value.message


def test_a_key_written_twice_in_a_step_is_a_warning_with_its_place(tmp_path):
    steps = [{"id": "a", "name": "A", "role": "hr-chef"}, {"id": "b", "name": "B", "role": "hr-chef"}]
    text = process("p", steps).replace("  role: hr-chef\n", "  role: hr-chef\n  role: hr-konsult\n", 1)
    text = text.replace("purpose: Syfte.\n", "purpose: Syfte.\npurpose: Annat.\n")
    root = write_handbook(tmp_path / "h", {"processes/p.yml": text}, roles={"hr-chef": {"name": "HR-chef"}, "hr-konsult": {"name": "K"}})
    output = run_handbook(root, "check").stdout
    lines = text.splitlines()
    step_line = next(n for n, t in enumerate(lines, 1) if "role: hr-konsult" in t)
    purpose_line = next(n for n, t in enumerate(lines, 1) if "purpose: Annat." in t)
    assert f"processes/p.yml:{step_line}: warning: nyckeln steps[1].role står flera gånger" in output
    assert f"processes/p.yml:{purpose_line}: warning: nyckeln purpose står flera gånger" in output
