"""Trust: classified content never leaks and every build is reproducible."""

import pytest
import email
import email.policy

import os
import subprocess

from conftest import BIN, MORE_ROLES, build, document, environment, process, run_handbook, write_handbook

pytestmark = pytest.mark.engines  # run on MkDocs and, by make test, on ProperDocs

CANARY_DOC = "KANARIEDOKUMENT7f3a"
CANARY_PROCESS = "KANARIEPROCESS91bc"
CANARY_STEP = "KANARIESTEG44d0"
CANARY_FREE = "KANARIEFRISIDA0e1d"


def classified_handbook(root):
    steps = [{"id": "a", "name": CANARY_STEP, "role": "chef", "documents": ["hr/hemlig.md"]}]
    public_steps = [{"id": "a", "name": "Öppet steg", "role": "hr-chef", "documents": ["hr/hemlig.md"]},
                    {"id": "b", "name": "Delprocess", "role": "hr-konsult", "kind": "subprocess", "process": "hemlig-process"}]
    files = {
        "docs/hr/hemlig.md": document(CANARY_DOC, body=f"{CANARY_DOC} i texten.\n", information_class="K3", roles=["registrator"]),
        "docs/hr/oklar.md": document("Oläslig klass " + CANARY_DOC, information_class="hemligt"),
        "docs/hr/frisida.md": f"---\ntitle: {CANARY_FREE}\ninformation_class: K2\n---\nText\n",
        "docs/hr/oppen.md": document("Öppen rutin", body="Se [rutinen](hemlig.md) och [processen](../processer/hemlig-process/).\n"),
        "processes/hemlig-process.yml": process("hemlig-process", steps, name=CANARY_PROCESS, information_class="K2 R1"),
        "processes/oppen.yml": process("oppen", public_steps, team=["registrator"]),
    }
    return write_handbook(root, files, roles=MORE_ROLES)


def all_site_bytes(site):
    for path in sorted(site.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes()


def test_classified_content_appears_in_no_output_file(tmp_path):
    built = build(classified_handbook(tmp_path / "h"))
    assert built.returncode == 0, built.output
    for path, data in all_site_bytes(built.site):
        for canary in (CANARY_DOC, CANARY_PROCESS, CANARY_STEP, CANARY_FREE, "hemlig-process", "hr/hemlig"):
            assert canary.encode() not in data, (canary, path)
    assert not built.has_page("hr/hemlig") and not built.has_page("processer/hemlig-process")
    assert "ej publicerat innehåll" in built.page("hr/oppen")


def test_unreadable_classification_counts_as_the_highest(tmp_path):
    built = build(classified_handbook(tmp_path / "h"))
    assert not built.has_page("hr/oklar")
    assert "information_class \"hemligt\" kan inte läsas" in built.output


def test_a_higher_limit_publishes_k2_but_still_not_k3(tmp_path):
    root = classified_handbook(tmp_path / "h")
    config = (root / "mkdocs.yml").read_text("utf-8").replace("classification_limit: 1", "classification_limit: 2")
    (root / "mkdocs.yml").write_text(config, "utf-8")
    built = build(root)
    assert built.has_page("processer/hemlig-process") and built.has_page("hr/frisida")
    assert not built.has_page("hr/hemlig")


def test_two_builds_are_byte_identical(tmp_path):
    root = classified_handbook(tmp_path / "h")
    sites = []
    for seed in ("1", "2"):
        site = tmp_path / f"site{seed}"
        env = {**environment(), "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        result = subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-d", str(site)], cwd=root, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        sites.append(dict((p.relative_to(site).as_posix(), data) for p, data in all_site_bytes(site)))
    assert sites[0].keys() == sites[1].keys()
    different = [name for name in sites[0] if sites[0][name] != sites[1][name]]
    assert different == []
    assert len(sites[0]) > 20


def test_classified_content_is_in_no_report_or_reminder(tmp_path):
    root = classified_handbook(tmp_path / "h")
    outputs = []
    for fmt in ("markdown", "csv", "json"):
        result = run_handbook(root, "report", "--format", fmt, "--status", "overdue", "--status", "due", "--status", "ok",
                              today="2030-01-01")
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    result = run_handbook(root, "remind", "--out", str(tmp_path / "eml"), today="2030-01-01")
    assert result.returncode == 0, result.stdout + result.stderr
    parsed = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in sorted((tmp_path / "eml").glob("*.eml"))]
    messages = [m["Subject"] + m.get_body(("plain",)).get_content() for m in parsed]
    assert "Öppen rutin" in outputs[0] and any("Öppen rutin" in m for m in messages)
    for text in outputs + messages:
        for canary in (CANARY_DOC, CANARY_PROCESS, CANARY_STEP, CANARY_FREE, "hemlig"):
            assert canary not in text
