"""Hostile and broken input: the core reports problems and never raises."""

import datetime as dt
import time

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbook.core.documents import read_document
from handbook.core.klassa import builtin_tree
from handbook.core.processes import read_process
from handbook.core.roles import RoleRegister, read_roles
from handbook.core.problems import Problems
from handbook.core.source import LineDict, load_yaml

KLASSA = builtin_tree()
ROLES = read_roles(load_yaml("hr-chef: {name: HR-chef}\nchef: {name: Chef}\n"), Problems("processes/roles.yml"), "processes/roles.yml")
KEYS = ["title", "doc_type", "klassa", "owner", "version", "review_date", "state", "valid_from", "decided_by",
        "decision_date", "diarienummer", "replaces", "information_class", "roles", "processes", "ownr", "hide"]
STEP_KEYS = ["id", "name", "role", "kind", "description", "documents", "next", "process"]

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30),
                    st.dates(), st.sampled_from(["2.10", "1.10", "fastställd", "hr-chef", "K3", "2027-02-30", "decision"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                      max_leaves=12)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=12), st.text(max_size=200))
def test_generated_front_matter_never_raises(meta, body):
    doc = read_document("a.md", ("---\n" + dump(meta) + "---\n" + body).encode(), KLASSA, ROLES)
    assert isinstance(doc.title, str) and doc.title
    assert all(p.line >= 1 for p in doc.problems.items)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data):
    read_document("a.md", b"---\n" + data + b"\n---\n", KLASSA, ROLES)
    read_process("processes/p.yml", data, KLASSA, ROLES)


steps = st.lists(st.dictionaries(st.sampled_from(STEP_KEYS), values | st.sampled_from(["a", "b", "c", "decision", "subprocess"]),
                                 max_size=8), max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["id", "name", "klassa", "owner", "leader", "team", "version", "review_date", "state",
                                        "information_class", "purpose", "inputs"]), values, max_size=10), steps)
def test_generated_process_files_never_raise(header, generated_steps):
    process = read_process("processes/p.yml", dump({**header, "steps": generated_steps}).encode(), KLASSA, ROLES)
    for step in process.steps:
        assert all(target in [s.id for s in process.steps] for _, target in step.next)


@given(st.text(max_size=60))
def test_unquoted_numbers_stay_text(text):
    value = load_yaml(f"v: {yaml.safe_dump(text, default_style=None).strip().removesuffix('...').strip()}\n")
    assert not isinstance(value["v"], float)


def test_lossless_scalars():
    data = load_yaml("a: 2.10\nb: 1.10\nc: 010\nd: Nej\ne: no\nf: 2027-03-01\ng: true\nh: ~\ni: 1e3\n")
    assert data == {"a": "2.10", "b": "1.10", "c": "010", "d": "Nej", "e": "no", "f": dt.date(2027, 3, 1), "g": True,
                    "h": None, "i": "1e3"}
    assert isinstance(data, LineDict) and data.line_of("f") == 6


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def test_alias_bomb_is_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(20))
    process, seconds = timed(read_process, "processes/p.yml", bomb.encode(), KLASSA, ROLES)
    assert process.problems.has_errors and "alias" in process.problems.items[0].message
    assert seconds < 5


def test_deep_nesting_is_an_error_not_a_crash():
    process = read_process("processes/p.yml", ("steps: " + "[" * 20000 + "]" * 20000).encode(), KLASSA, ROLES)
    assert process.problems.has_errors
    doc = read_document("a.md", ("---\nx: " + "{a: " * 5000 + "}" * 5000 + "\n---\n").encode(), KLASSA, ROLES)
    assert doc.problems.items


def test_ten_megabyte_process_file_is_refused_in_bounded_time():
    data = ("name: Stor\nsteps:\n" + "  - {id: s, name: " + "x" * 10_000_000 + "}\n").encode()
    process, seconds = timed(read_process, "processes/p.yml", data, KLASSA, ROLES)
    assert process.problems.has_errors and "större än" in process.problems.items[0].message
    assert seconds < 5


def test_ten_megabyte_document_body_is_read():
    body = ("Lång text. " * 1_000_000).encode()
    data = b"---\ntitle: Stor\n---\n" + body
    doc, seconds = timed(read_document, "a.md", data, KLASSA, ROLES)
    assert doc.title == "Stor" and not doc.problems.items
    assert seconds < 5


def test_empty_and_binary_files():
    assert read_document("a.md", b"", KLASSA, ROLES).title == "A"
    assert read_process("processes/p.yml", b"", KLASSA, ROLES).problems.has_errors
    assert read_process("processes/p.yml", b"\x00\x01\x02\xff", KLASSA, ROLES).problems.has_errors


def test_unknown_role_register_shape():
    problems = Problems("processes/roles.yml")
    register = read_roles(load_yaml("- a\n- b\n"), problems, "processes/roles.yml")
    assert problems.has_errors and register.roles == {}
    assert isinstance(RoleRegister().name("x"), str)
