"""Default deny: only what the handbook read and cleared reaches the site, whatever the files look like.

One hostile handbook is built once; each canary marks content that must not reach any byte of the
site, handbook.json, search index or sitemap.
"""

import email
import email.policy
import os
import subprocess

import pytest

from conftest import BIN, build, document, environment, process, run_handbook, write_handbook

pytestmark = pytest.mark.engines  # run on MkDocs and, by make test, on ProperDocs

SITE_URL = "https://intranet.tallby.se/handbok/"
K3 = {"information_class": "K3"}
CANARIES = {
    "colon": "KANARIEKOLON51",            # title with ": " unquoted: YAML cannot read the front matter
    "tab": "KANARIETABB52",               # a tab in the front matter
    "unclosed": "KANARIEOSTANGD53",       # front matter never closed
    "late": "KANARIESEN54",               # front matter after a blank line
    "markdown": "KANARIEMARKDOWN55",      # .markdown: MkDocs builds it, the handbook does not read it
    "upper": "KANARIEVERSAL56",           # .MD
    "linked_dir": "KANARIELANKMAPP57",    # a folder that is a symbolic link out of docs/
    "linked_file": "KANARIELANKFIL58",    # a file that is a symbolic link out of docs/
    "theme_link": "KANARIETEMA59",        # overrides/ file that is a symbolic link out
    "attachment": "KANARIEBILAGA60",      # a classified document's attachment
    "unused": "KANARIEOANVAND61",         # an attachment no page uses
    "process_link": "KANARIEPROCESSLANK62",  # a process file that is a symbolic link out of processes/
    "include": "KANARIEINKLUDERA63",      # a classified page's text, included by a macro page
    "address": "x7q9hemlig",              # the address of the classified document, in every link form
}
PUBLIC = "OPPENBILAGA64"

LINK_FORMS = f"""
<a HREF='../x7q9hemlig/'>enkla citattecken</a>
<a href=../x7q9hemlig/>utan citattecken</a>
<a title="a>b" href="../x7q9hemlig/">vinkel i titeln</a>
<a href="&#46;&#46;/x7q9hemlig/">teckenreferenser</a>
<a href="../X7Q9HEMLIG/">versaler</a>
<iframe src="../x7q9hemlig/index.html"></iframe>
<object data="/hr/x7q9hemlig/"></object>
<form action="{SITE_URL}hr/x7q9hemlig/"><button>skicka</button></form>
<img alt="bild" srcset="bilagor/x7q9hemlig-bilaga.pdf 2x">
<!-- <a href="x7q9hemlig.md">i en kommentar</a> -->

<{SITE_URL}hr/x7q9hemlig/>

[absolut adress]({SITE_URL}hr/x7q9hemlig/)

[protokollrelativ](//intranet.tallby.se/handbok/hr/x7q9hemlig/)

Adressen {SITE_URL}hr/x7q9hemlig/ i löptext.

[bilagan](bilagor/oppen.pdf) och [sidan](x7q9hemlig.md).
"""


def hostile_handbook(root):
    outside = root.parent / "utanfor"
    (outside / "mapp").mkdir(parents=True)
    (outside / "mapp" / "sida.md").write_text(document("Länkad " + CANARIES["linked_dir"]), "utf-8")
    (outside / "hemlis.txt").write_text(CANARIES["linked_file"], "utf-8")
    (outside / "tema.txt").write_text(CANARIES["theme_link"], "utf-8")
    (outside / "process.yml").write_text(process("lankad", [{"id": "a", "name": CANARIES["process_link"], "role": "hr-chef"}]), "utf-8")
    files = {
        "docs/hr/oppen.md": document("Öppen rutin", body=LINK_FORMS),
        "docs/hr/x7q9hemlig.md": document("Hemlig", body=f"Se [bilagan](bilagor/x7q9hemlig-bilaga.pdf). {CANARIES['include']}\n", **K3),
        "docs/hr/bilagor/x7q9hemlig-bilaga.pdf": CANARIES["attachment"].encode(),
        "docs/hr/bilagor/oppen.pdf": PUBLIC.encode(),
        "docs/hr/bilagor/oanvand.pdf": CANARIES["unused"].encode(),
        "docs/hr/kolon.md": f"---\ntitle: Rutin: {CANARIES['colon']}\ninformation_class: K3\n---\n{CANARIES['colon']}\n",
        "docs/hr/tabb.md": f"---\ntitle: Tabb\n\tinformation_class: K3\n---\n{CANARIES['tab']}\n",
        "docs/hr/ostangd.md": f"---\ntitle: Öppen\ninformation_class: K3\n\n{CANARIES['unclosed']}\n",
        "docs/hr/sen.md": f"\n---\ntitle: Sen\ninformation_class: K3\n---\n{CANARIES['late']}\n",
        "docs/hr/annan.markdown": document("Annan", body=CANARIES["markdown"] + "\n"),
        "docs/hr/VERSAL.MD": document("Versal", body=CANARIES["upper"] + "\n"),
        "docs/hr/makron.md": "---\nrender_macros: true\n---\n# Makron\n\n{% include 'hr/x7q9hemlig.md' %}\n",
    }
    write_handbook(root, files)
    os.symlink(outside / "mapp", root / "docs" / "lankad")
    os.symlink(outside / "hemlis.txt", root / "docs" / "hr" / "bilagor" / "hemlis.txt")
    os.symlink(outside / "tema.txt", root / "overrides" / "tema.txt")
    os.symlink(outside / "process.yml", root / "processes" / "lankad.yml")
    with (root / "docs" / "hr" / "oppen.md").open("a", encoding="utf-8") as page:
        page.write("\n[fil bakom länk](bilagor/hemlis.txt)\n")
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = hostile_handbook(tmp_path_factory.mktemp("gate") / "h")
    built = build(root, HANDBOOK_SITE_URL=SITE_URL)
    assert built.returncode == 0, built.output
    return built


def site_bytes(site):
    for path in sorted(site.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes().lower()


def test_no_canary_reaches_any_byte_of_the_site(hostile):
    assert (hostile.site / "search" / "search_index.json").is_file() and (hostile.site / "sitemap.xml").is_file()
    for path, data in site_bytes(hostile.site):
        for name, canary in CANARIES.items():
            assert canary.lower().encode() not in data, (name, path)


def test_what_was_cleared_is_still_published(hostile):
    page = hostile.page("hr/oppen")
    assert "Öppen rutin" in page and page.count("ej publicerat innehåll") >= 12
    assert (hostile.site / "hr" / "bilagor" / "oppen.pdf").read_bytes() == PUBLIC.encode()
    assert "enkla citattecken" not in page and "vinkel i titeln" not in page and "i en kommentar" not in page


def test_each_withheld_file_is_named_with_a_reason(hostile):
    out = hostile.output
    for path in ("docs/hr/kolon.md:2", "docs/hr/tabb.md:3", "docs/hr/ostangd.md:1", "docs/hr/sen.md:2"):
        assert f"{path}: error:" in out and "publiceras inte" in out, path
    assert "docs/hr/annan.markdown:1: error: handboken läser bara sidor som slutar på .md" in out
    assert "byt namn till annan.md" in out and "docs/hr/VERSAL.MD:1: error:" in out
    assert "docs/lankad/sida.md:1: error: filen ligger bakom en symbolisk länk ut ur docs/" in out
    assert "docs/hr/bilagor/hemlis.txt:1: error: filen ligger bakom en symbolisk länk ut ur docs/" in out
    assert "processes/lankad.yml:1: error: filen är en symbolisk länk ut ur processes/" in out
    assert "tema.txt: error: filen är en symbolisk länk ut ur temamappen" in out
    assert "docs/hr/bilagor/oanvand.pdf:1: warning: filen används inte av någon publicerad sida" in out
    assert "Traceback" not in out


def test_check_names_the_same_files(hostile):
    result = run_handbook(hostile.root, "check")
    assert result.returncode == 1
    for path in ("docs/hr/kolon.md:2: error", "docs/hr/annan.markdown:1: error", "docs/lankad/sida.md:1: error",
                 "processes/lankad.yml:1: error", "docs/hr/bilagor/oanvand.pdf:1: warning"):
        assert path in result.stdout, path


def test_a_symbolic_link_loop_stops_the_build_with_a_message(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/a/sida.md": "# Sida\n"})
    os.symlink("..", root / "docs" / "a" / "runt")
    os.symlink("..", root / "docs" / "a" / "varv")
    built = build(root)
    assert built.returncode != 0 and "Traceback" not in built.output
    assert "pekar på en mapp som innehåller länken själv" in built.output


def test_an_alias_bomb_in_front_matter_is_never_expanded_by_the_build(tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
    bomb = "---\ntitle: Bomb\n" + "\n".join(levels) + "\n---\nText\n"
    root = write_handbook(tmp_path / "h", {"docs/bomb.md": bomb, "docs/b.md": "# B\n"})
    # Expanded, this is 10^9 list items: minutes and gigabytes. Read by the handbook, it is refused at once.
    result = subprocess.run([str(BIN / "mkdocs"), "build", "-d", str(tmp_path / "site")], cwd=root,
                            env=environment(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "YAML-alias (*namn) stöds inte" in result.stderr
    assert not (tmp_path / "site" / "bomb").exists() and (tmp_path / "site" / "b" / "index.html").is_file()


def test_pages_mkdocs_leaves_out_are_not_in_the_catalog_and_check_names_them(tmp_path):
    root = write_handbook(tmp_path / "h", {
        "docs/hr/index.md": document("Index"),
        "docs/hr/README.md": document("Läsmig KANARIEREADME"),
        "docs/templates/mall.md": document("Mall KANARIEMALL"),
    })
    built = build(root)
    assert built.returncode == 0, built.output
    paths = {d["path"] for d in built.catalog["documents"]}
    assert "hr/index.md" in paths and "hr/README.md" not in paths and "templates/mall.md" not in paths
    check = run_handbook(root, "check")
    for path in ("docs/hr/README.md:1: warning: MkDocs bygger inte", "docs/templates/mall.md:1: warning: MkDocs bygger inte"):
        assert path in check.stdout and path in built.output
    for path, data in site_bytes(built.site):
        assert b"kanarieREADME".lower() not in data and b"kanariemall" not in data, path


def test_no_canary_reaches_a_report_or_a_reminder(hostile, tmp_path):
    outputs = []
    for fmt in ("markdown", "csv", "json"):
        result = run_handbook(hostile.root, "report", "--format", fmt, "--status", "overdue", "--status", "due",
                              "--status", "ok", today="2030-01-01")
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout.encode())
    result = run_handbook(hostile.root, "remind", "--out", str(tmp_path / "eml"), today="2030-01-01")
    assert result.returncode == 0, result.stdout + result.stderr
    mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in (tmp_path / "eml").glob("*.eml")]
    outputs += [(str(m["Subject"]) + m.get_body(("plain",)).get_content()).encode() for m in mails]
    assert any("Öppen rutin".encode() in o for o in outputs[:3]) and any(b"ppen rutin" in o for o in outputs[3:])
    for data in outputs:
        for name, canary in CANARIES.items():
            assert canary.encode() not in data, name
