"""The guide "Skriva i handboken": a new owner who follows it creates a valid rutin and process,
and every error message it quotes is what `handbook check` really says."""

from __future__ import annotations

import re
import shlex
import shutil

from conftest import REPO, build, run_handbook, write_handbook
from handbook.core.documents import GOVERNED_MARKERS
from handbook.core.source import split_front_matter

GUIDE = REPO / "docs" / "skriva-i-handboken"
PROBLEM = re.compile(r"^\S+:\d+: (error|warning): .+$")


def code_blocks(page: str) -> list[str]:
    return re.findall(r"^ *```[a-z]*\n(.*?)^ *```", (GUIDE / page).read_text("utf-8"), re.S | re.M)


def command(page: str, starts: str) -> list[str]:
    lines = [line for block in code_blocks(page) for line in block.splitlines() if line.startswith(starts)]
    assert len(lines) == 1, lines
    return shlex.split(lines[0])[1:]


def reference_copy(tmp_path):
    root = write_handbook(tmp_path / "h", {}, roles=None)
    shutil.rmtree(root / "docs")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "processes", root / "processes")
    return root


def clean_check(root):
    result = run_handbook(root, "check")
    assert result.returncode == 0 and re.search(r"^0 fel, 0 varningar", result.stdout, re.M), result.stdout


def test_a_new_owner_following_the_guide_creates_a_valid_rutin_and_process(tmp_path):
    root = reference_copy(tmp_path)
    rutin = run_handbook(root, *command("skapa-ett-dokument.md", "handbook new rutin "))
    assert rutin.returncode == 0, rutin.stderr
    process = run_handbook(root, *command("skapa-en-process.md", "handbook new process "))
    assert process.returncode == 0, process.stderr
    clean_check(root)

    # "4. När dokumentet är beslutat": the guide's block, put in the front matter as it says.
    path = root / "docs" / "hr" / "rutin-avslutningssamtal.md"
    decided = next(b for b in code_blocks("skapa-ett-dokument.md") if b.startswith("state: fastställd"))
    keys = {line.split(":", 1)[0] for line in decided.splitlines()}
    text = path.read_text("utf-8")
    head, body = text.split("\n---\n", 1)
    head = "\n".join(line for line in head.splitlines() if line.split(":", 1)[0] not in keys)
    path.write_text(f"{head}\n{decided}---\n{body}", "utf-8")
    # The process's first step links the new rutin, as the guide's example shows.
    process_file = root / "processes" / "avslut-anstallning.yml"
    process_file.write_text(process_file.read_text("utf-8").replace(
        "    name: Ta emot och registrera\n", "    name: Ta emot och registrera\n    documents: [hr/rutin-avslutningssamtal.md]\n"), "utf-8")
    clean_check(root)

    built = build(root, strict=True)
    assert built.returncode == 0, built.output
    documents = {d["path"]: d for d in built.catalog["documents"]}
    assert documents["hr/rutin-avslutningssamtal.md"]["state"] == "fastställd"
    assert "avslut-anstallning" in {p["id"] for p in built.catalog["processes"]}
    assert "Rutin för avslutningssamtal" in built.page("hr/rutin-avslutningssamtal")
    assert 'href="../../hr/rutin-avslutningssamtal/"' in built.page("processer/avslut-anstallning")


EXAMPLE = {
    "processes/roles.yml": "hr-chef:\n  name: HR-chef\nhr-konsult:\n  name: HR-konsult\n"
                           "rekryterande-chef:\n  name: Rekryterande chef\nregistrator:\n  name: Registrator\n",
    "processes/klassa.yml": '"2.3.2.1": Rekrytering\n',
    "docs/hr/rutin-introduktion.md": "---\ntitle: Rutin för introduktion\ndoc_type: rutinn\nklassa: \"2.3.22\"\n"
                                     "owner: hr-chf\nversion: \"1.0\"\nreview_date: 30/6 2027\nstate: fastställd\n"
                                     "ownr: hr-chef\n---\n\n## Syfte\n",
    "docs/hr/rutin-kravprofil.md": "---\ntitle: Rutin för kravprofil\ndoc_type: rutin\nklassa: \"2.3.2.1\"\n"
                                   "owner: [hr-chef, hr-konsult]\nversion: \"1.0\"\nreview_date: 2027-06-30\n"
                                   "state: faststalld\nprocesses: [rekryteing]\n---\n\nText.\n",
    "docs/hr/riktlinje.md": "---\ndoc_type: riktlinje\nklassa: \"2.3.2.1\"\nowner: hr-chef\nversion: \"1.0\"\n"
                            "review_date: 2027-06-30\nstate: fastställd\n---\n\nText utan rubrik.\n",
    "processes/rekrytering.yml": """id: rekrytering
name: Rekrytering
klassa: "2.3.2.1"
owner: hr-chef
version: "1.0"
review_date: 2027-06-30
state: utkast
steps:
  - id: behov
    name: Analysera behov
    role: rekryterande-chef
    documents: [hr/rutin-kravprofl.md]
  - id: beslut
    name: Ska tjänsten utlysas?
    kind: decision
    role: hr-chef
    next: {Ja: annons, Nej: avslutt}
  - id: annons
    name: Annonsera
    role: hr-konslut
    next: [avslut]
  - id: intervju
    name: Intervjua
    role: rekryterande-chef
  - id: avslut
    name: Avsluta
    role: hr-konsult
""",
    "processes/introduktion.yml": "name: Introduktion\nklassa: \"2.3.2.1\"\nowner: hr-chef\nversion: \"1.0\"\n"
                                  "review_date: 2027-06-30\nstate: utkast\npurpose: Att nya medarbetare: kommer in snabbt\n"
                                  "steps:\n  - id: a\n    name: A\n    role: hr-chef\n",
    "processes/overlamning.yml": "name: Överlämning\nklassa: \"2.3.2.1\"\nowner: hr-chef\nversion: \"1.0\"\n"
                                 "review_date: 2027-06-30\npurpose: \"Att lämna över\nstate: utkast\nsteps:\n"
                                 "  - id: a\n    name: A\n    role: hr-chef\n",
    "processes/avslut.yml": "name: Avslut\nklassa: \"2.3.2.1\"\nowner: hr-chef\nversion: \"1.0\"\nreview_date: 2027-06-30\n"
                            "state: utkast\nsteps:\n  - id: a\n    name: A\n    role: hr-chef\n  - id: b\n    name: B\n"
                            "    role: hr-chef\n    role: hr-konsult\n",
    "processes/annonsering.yml": "name: Annonsering\nklassa: \"2.3.2.1\"\nowner: hr-chef\nversion: \"1.0\"\n"
                                 "review_date: 2027-06-30\nstate: utkast\nsteps:\n  - id: a\n    name: Välj kanal\n"
                                 "    role: hr-chef\n    kind: decision\n  - id: b\n    name: Publicera\n"
                                 "    role: hr-chef\n    kind: subprocess\n",
}


def test_every_message_the_guide_quotes_is_what_check_says(tmp_path):
    root = write_handbook(tmp_path / "h", EXAMPLE)
    output = set(run_handbook(root, "check").stdout.splitlines())
    quoted = [line for page in sorted(p.name for p in GUIDE.glob("*.md")) for block in code_blocks(page)
              for line in block.splitlines() if PROBLEM.match(line)]
    assert len(quoted) >= 15
    assert [line for line in quoted if line not in output] == []
    for needed in ("okänd roll", "valid_from saknas", "Klassa-koden", "kan inte nås från första steget"):
        assert any(needed in line for line in quoted), needed


def test_guide_pages_are_free_pages_in_the_reference_build():
    pages = sorted(GUIDE.glob("*.md"))
    assert {p.stem for p in pages} >= {"index", "skapa-ett-dokument", "skapa-en-process", "forhandsgranska",
                                       "lamna-in", "vanliga-fel", "listor"}
    for page in pages:
        meta = split_front_matter(page.read_text("utf-8")).meta
        assert not set(meta) & set(GOVERNED_MARKERS), page
        assert meta.get("title"), page
