"""Macros for free pages: document lists, a process's steps, a role's responsibilities; no clash with Mermaid."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin

import pytest

from conftest import MORE_ROLES, build, document, process, run_handbook, write_handbook

ROLES = {**MORE_ROLES, "sakerhetschef": {"name": "Säkerhetschef"}}
KLASSA = {"2.3.2.1": "Rekrytering"}
CANARY = "HEMLIG7731"

FILES = {
    "docs/hr/a.md": document("Rutin A & <b>fet</b>", klassa="2.3.2.1", roles=["chef"]),
    "docs/hr/b.md": document("Riktlinje B", doc_type="riktlinje", owner="hr-konsult"),
    "docs/hr/c.md": document("Rutin C (utkast)", state="utkast", valid_from=None, decided_by=None),
    "docs/hr/d.md": document("Rutin D (upphävd)", state="upphävd", repeal_note="Uppgiften har upphört."),
    "docs/ekonomi/e.md": document("Rutin E ekonomi", klassa="2.2", owner="registrator"),
    "docs/hr/hemlig.md": document(f"Plan {CANARY}", owner="sakerhetschef", information_class="K3"),
    "processes/rekrytering.yml": process("rekrytering", [
        {"id": "behov", "name": "Analysera behov", "role": "chef", "documents": ["hr/a.md"]},
        {"id": "beslut", "name": "Utlysa?", "role": "hr-chef", "kind": "decision", "next": {"Ja": "annons", "Nej": "slut"}},
        {"id": "annons", "name": "Annonsera <i>nu</i>", "role": "hr-konsult"},
        {"id": "slut", "name": "Avsluta", "role": "hr-konsult"},
    ], name="Rekrytering", klassa="2.3.2.1"),
    "processes/hemlig.yml": process("hemlig", [{"id": "x", "name": f"Steg {CANARY}", "role": "sakerhetschef"}],
                                    name=f"Process {CANARY}", owner="sakerhetschef", information_class="K3"),
    "docs/listor.md": """---
title: Listor
render_macros: true
---

Alla HR-dokument:

{{ documents(klassa="2.3") }}

Rutiner:
{{ documents(doc_type="rutin") }}

{{ documents(owner="hr-konsult") }}

{{ documents(state="upphävd") }}

{{ documents(klassa="2.3.2.1", doc_type=["rutin", "riktlinje"]) }}

{{ documents(owner="sakerhetschef") }}

{{ process_steps("rekrytering") }}

{{ role_responsibilities("hr-konsult") }}

{% raw %}
```mermaid
flowchart LR
  A{{"Sexhörning"}} --> B{"Romb"}
```
Text med {{ klamrar }} i raw.
{% endraw %}
""",
    "docs/utan-makron.md": """# Utan makron

{{ documents(klassa="2.3") }} och {% if x %} stannar som text.

```mermaid
flowchart LR
  A{{"Sexhörning"}} --> B{"Romb"}
```
""",
    "docs/hr/styrande.md": document("Styrande med klamrar", body="Skriv {{ namn }} i mallen.\n"),
}
WRONG = {
    "docs/fel.md": """---
title: Fel
render_macros: true
---

Text.

{{ documents(owner="hr-chf") }}

{{ process_steps("rekryteringg") }}

{{ process_steps("hemlig") }}

{{ role_responsibilities("hr-konsul") }}
""",
    "docs/stavfel.md": "---\nrender_macros: true\n---\n\n# Stavfel\n\n{{ dokuments() }}\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_handbook(tmp_path_factory.mktemp("macros") / "h", FILES, roles=ROLES, klassa=KLASSA)
    result = build(root, strict=True)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="module")
def wrong(tmp_path_factory):
    root = write_handbook(tmp_path_factory.mktemp("wrong") / "h", {**FILES, **WRONG}, roles=ROLES, klassa=KLASSA)
    return build(root)


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def tables(html: str) -> list[str]:
    return re.findall(r'<div class="hb-macro hb-macro--documents">.*?</div>', article(html), re.S)


def listed(block: str) -> list[str]:
    return re.findall(r'data-document="([^"]+)"', block)


def test_document_lists_filter_and_sort(built):
    blocks = tables(built.page("listor"))
    assert [listed(b) for b in blocks] == [
        ["hr/b.md", "hr/c.md", "hr/styrande.md", "hr/a.md"],  # under 2.3 by code, then title; not the repealed
        ["ekonomi/e.md", "hr/c.md", "hr/styrande.md", "hr/a.md"],  # rutin: 2.2 before 2.3.2 before 2.3.2.1
        ["hr/b.md"],
        ["hr/d.md"],
        ["hr/a.md"],
        [],
    ]
    assert "<caption>Dokument under 2.3 HR/Personal</caption>" in blocks[0]
    assert "<caption>Dokument dokumentansvarig HR-konsult</caption>" in blocks[2]
    assert "inga publicerade dokument" in blocks[5]


def test_lists_link_to_pages_that_exist(built):
    html = article(built.page("listor"))
    hrefs = set(re.findall(r'href="([^"#]+)"', html))
    assert {"../hr/a/", "../roller/hr-chef/", "../processer/rekrytering/", "../roller/hr-konsult/"} <= hrefs
    for href in hrefs:
        target = urljoin("http://x/listor/", href).removeprefix("http://x/")
        assert built.has_page(target.rstrip("/")) or (built.site / target).is_file(), href


def test_values_are_escaped(built):
    html = article(built.page("listor"))
    assert "Rutin A &amp; &lt;b&gt;fet&lt;/b&gt;" in html and "<b>fet</b>" not in html
    assert "Annonsera &lt;i&gt;nu&lt;/i&gt;" in html and "<i>nu</i>" not in html


def test_classified_content_is_never_listed(built):
    for page in ("listor", "roller/sakerhetschef"):
        assert CANARY not in built.page(page)


def test_process_steps_is_the_step_table_of_the_process_page(built):
    html = article(built.page("listor"))
    steps = re.search(r'<div class="hb-macro hb-macro--steps" data-process="rekrytering">.*?</table>', html, re.S).group(0)
    own = re.search(r'<div class="hb-steps">.*?</table>', article(built.page("processer/rekrytering")), re.S).group(0)
    assert steps.endswith(own.replace('href="../../', 'href="../'))
    assert '<th scope="col">Steg</th>' in steps and "Ja: <a href=\"#steg-annons\">" in steps


def test_role_responsibilities(built):
    html = article(built.page("listor"))
    role = re.search(r'<div class="hb-macro hb-macro--role" data-role="hr-konsult">.*?</div>', html, re.S).group(0)
    assert re.findall(r'data-process="([^"]+)"', role) == ["rekrytering"]
    assert listed(role) == ["hr/b.md"]
    assert "Utför steg i" in role and "Dokumentansvarig för" in role


def test_mermaid_braces_survive(built):
    html = article(built.page("listor"))
    assert unescape(re.search(r'<pre class="mermaid"><code>(.*?)</code></pre>', html, re.S).group(1)) == \
        'flowchart LR\n  A{{"Sexhörning"}} --> B{"Romb"}'
    assert "Text med {{ klamrar }} i raw." in html
    without = article(built.page("utan-makron"))
    assert '{{ documents(klassa="2.3") }} och {% if x %} stannar som text.' in unescape(without)
    assert 'A{{"Sexhörning"}}' in unescape(without)
    assert "Skriv {{ namn }} i mallen." in built.page("hr/styrande")
    decision = unescape(article(built.page("processer/rekrytering")))
    assert re.search(r'\{"Utlysa', decision)


def test_wrong_arguments_are_reported_with_path_line_and_hint(wrong):
    out = wrong.output
    assert 'docs/fel.md:8: error: documents(owner="hr-chf"): rollen "hr-chf" finns inte. Menade du "hr-chef"?' in out
    assert 'docs/fel.md:10: error: process_steps(id="rekryteringg"): processen "rekryteringg" finns inte. Menade du "rekrytering"?' in out
    assert 'docs/fel.md:12: error: process_steps(id="hemlig"): processen "hemlig" publiceras inte' in out
    assert 'docs/fel.md:14: error: role_responsibilities(role_id="hr-konsul"): rollen "hr-konsul" finns inte' in out
    assert re.search(r"docs/stavfel\.md:7: error: sidans makron kan inte köras \('dokuments' is undefined\)", out)
    page = article(wrong.page("fel"))
    assert page.count('class="hb-macro-error"') == 4
    assert CANARY not in wrong.page("fel")
    assert "Traceback" not in out + wrong.page("stavfel")
    assert "sidans makron kan inte köras" in wrong.page("stavfel")


def test_strict_build_fails_on_a_wrong_macro(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/fel.md": WRONG["docs/fel.md"].split("{{ process_steps")[0]})
    result = build(root, strict=True)
    assert result.returncode == 1 and "docs/fel.md:8: error:" in result.output


def test_handbook_check_finds_the_wrong_calls_at_the_lines_the_build_names(wrong, tmp_path):
    """`handbook check` reads the calls without rendering them: the same messages, the same lines."""
    result = run_handbook(wrong.root, "check")
    assert result.returncode == 1
    checked = [line for line in result.stdout.splitlines() if line.startswith("docs/fel.md:")]
    built = [line[line.index("docs/fel.md:"):] for line in wrong.output.splitlines() if "docs/fel.md:" in line]
    assert len(checked) == 4 and checked == built
    assert 'docs/stavfel.md:7: error: dokuments() är inget av handbokens makron. Menade du "documents"?' in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_handbook_check_leaves_alone_what_it_cannot_know_to_be_wrong(tmp_path):
    """Calls inside raw blocks, with computed arguments, mkdocs-macros' own, and pages that do not opt in."""
    page = """---
title: Rätt
render_macros: true
---

Året är {{ now().year }} på {{ config.site_name }}.

{% raw %}{{ process_steps("finns-inte") }}{% endraw %}

{% set kod = "2.3" %}{{ documents(klassa=kod) }}

{{ process_steps("rekrytering") }}
"""
    root = write_handbook(tmp_path / "h", {**FILES, "docs/ratt.md": page,
                                           "docs/utan.md": '# Utan\n\n{{ process_steps("finns-inte") }}\n'},
                          roles=ROLES, klassa=KLASSA)
    checked = run_handbook(root, "check")
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.strip().splitlines()[-1].startswith("0 fel")
    built = build(root, strict=True)
    assert built.returncode == 0, built.output  # the build agrees: nothing on these pages is wrong
    assert "finns-inte" in built.page("utan") and 'class="hb-macro-error"' not in built.page("ratt")
