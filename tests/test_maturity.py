"""Issue 19: a process's maturity computed from its own data (core/maturity.py), the SOSFS 2011:9 rule,
and the pages that show them: the Mognad section, levels on the landscape and Klassa, mognad/ and krav/.

Each rule is proved in-process: a process that meets all ten steps, and one variant per case that breaks
(or keeps) exactly one condition. One site is built for the whole module, and looked at in Chromium.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

import pytest
import yaml

from conftest import REPO, build, document, run_handbook, write_handbook
from handbook.core.handbook import Handbook, Settings
from handbook.core.maturity import LEVELS, STEPS, activity_findings, check_activity_rutin, maturity

TODAY = dt.date(2026, 11, 21)
ROLES = {"hr-chef": {"name": "HR-chef", "contact": "hr@example.se"},
         "controller": {"name": "Controller", "contact": "c@example.se"},
         "handlaggare": {"name": "Handläggare", "contact": "h@example.se"}}
KRAV = {
    "kl-6-kap-6": {"title": "Intern kontroll", "source": "Kommunallagen (2017:725) 6 kap. 6 §",
                   "link": "https://rkrattsbaser.gov.se/sfst?bet=2017:725", "checked": "2026-09-01", "owner": "hr-chef"},
    "osl-5-kap-1": {"title": "Registrering", "source": "OSL 5 kap. 1 §", "checked": "2026-09-01", "owner": "hr-chef"},
}
DOCS = {
    "docs/hr/rutin-a.md": document("Rutin A", roles=["handlaggare"]),
    "docs/hr/rutin-b.md": document("Rutin B"),  # no roles: a rutin without a responsible role
    "docs/hr/mall-c.md": document("Mall C", doc_type="mall"),
}
FULL = {
    "name": "Full", "klassa": "2.3.2", "owner": "hr-chef", "version": "1.0", "review_date": "2027-06-30",
    "state": "fastställd", "purpose": "Syfte.", "trigger": "Start", "customer": "Mottagare", "result": "Resultat",
    "requirements": [{"id": "kl-6-kap-6", "note": "Följs upp"}],
    "measures": [{"name": "Ledtid", "unit": "dagar", "target": "högst 30", "frequency": "varje månad",
                  "result": "https://stat.example.se/ledtid"}],
    "goals": [{"name": "Ledtid under 25 dagar", "date": "2027-12-31"}],
    "follow_up": {"how": "Månadsuppföljning", "by": "controller"},
    "knowledge": [{"name": "Introduktion", "kind": "introduktion", "link": "hr/mall-c.md"}],
    "evaluations": [{"date": "2026-05-01", "what": "Ledtiden", "found": "För lång", "improved": "Ny mall",
                     "goals_raised": True}],
    "steps": [{"id": "a", "name": "Ta emot", "role": "handlaggare", "documents": ["hr/rutin-a.md"]},
              {"id": "b", "name": "Klart?", "role": "handlaggare", "kind": "decision", "next": {"Ja": "c", "Nej": "a"}},
              {"id": "c", "name": "Besluta", "role": "hr-chef", "documents": ["hr/mall-c.md"]}],
}


def without(*keys):
    return lambda p: [p.pop(k) for k in keys]


def setting(**changes):
    return lambda p: p.update(changes)


def step_change(index, **changes):
    return lambda p: p["steps"][index].update(changes)


def evaluation(**changes):
    return lambda p: p["evaluations"][0].update(changes)


# name: (change to FULL, the unmet steps, a fragment of what step min(unmet) says is missing)
CASES = {
    "full": (lambda p: None, set(), ""),
    "no-owner": (without("owner"), {1}, "Processägare saknas"),
    "no-purpose": (without("purpose"), {2}, "syfte (purpose)"),
    "no-trigger": (without("trigger"), {2}, "vad som startar processen (trigger)"),
    "no-customer": (without("customer"), {2}, "mottagare (customer)"),
    "no-result": (without("result"), {2}, "resultat (result)"),
    "draft": (setting(state="utkast"), {3}, "inte fastställd (state: utkast)"),
    "repealed": (setting(state="upphävd"), {3}, "state: upphävd"),
    "task-without-documents": (step_change(2, documents=[]), {3}, "Steg utan dokument: Besluta"),
    "decision-without-documents-is-fine": (lambda p: None, set(), ""),  # FULL's decision has none
    "no-requirements": (without("requirements"), {4}, "Inga krav angivna"),
    "requirement-only-on-a-step": (lambda p: (p.pop("requirements"), p["steps"][0].update(requirements=["osl-5-kap-1"])), set(), ""),
    "no-measures": (without("measures"), {5, 6}, "Inga mått"),
    "no-follow-up": (without("follow_up"), {6}, "Uppföljningen är inte beskriven"),
    "measure-without-result": (lambda p: p["measures"][0].pop("result"), {6}, "Inget mått anger var det senaste resultatet finns"),
    "no-goals": (without("goals"), {7}, "Inga mål"),
    "no-knowledge": (without("knowledge"), {8}, "hur de berörda lär sig processen"),
    "evaluation-366-days-old": (evaluation(date=(TODAY - dt.timedelta(days=366)).isoformat()), {9, 10},
                                f"Den senaste är från {(TODAY - dt.timedelta(days=366)).isoformat()}"),
    "evaluation-365-days-old": (evaluation(date=(TODAY - dt.timedelta(days=365)).isoformat()), set(), ""),
    "evaluation-today": (evaluation(date=TODAY.isoformat()), set(), ""),
    "no-evaluations": (without("evaluations"), {9, 10}, "Ingen utvärdering de senaste 365 dagarna"),
    "goals-not-raised": (evaluation(goals_raised=False), {10}, "har höjt målen"),
}


@pytest.fixture(scope="module")
def handbook(tmp_path_factory) -> Handbook:
    """Every case as its own process file in one handbook, read once in this process."""
    files = dict(DOCS)
    files["processes/krav.yml"] = yaml.safe_dump(KRAV, allow_unicode=True, sort_keys=False)
    for name, (change, _, _) in CASES.items():
        data = copy.deepcopy(FULL)
        change(data)
        files[f"processes/{name}.yml"] = yaml.safe_dump({"id": name, **data}, allow_unicode=True, sort_keys=False)
    root = write_handbook(tmp_path_factory.mktemp("maturity"), files, roles=ROLES)
    return Handbook.load(root, settings=Settings(today=TODAY))


@pytest.mark.parametrize("name", CASES)
def test_each_step_is_met_or_not_for_its_reason(handbook, name):
    _, unmet, missing = CASES[name]
    result = maturity(handbook, handbook.processes[name])
    assert [s.title for s in result.steps] == list(STEPS) and len(STEPS) == LEVELS == 10
    assert {s.number for s in result.steps if not s.met} == unmet
    assert result.level == (min(unmet) - 1 if unmet else 10)
    for step in result.steps:
        assert bool(step.missing) == (not step.met), step  # every unmet step says what is missing, in Swedish
    if unmet:
        assert missing in result.steps[min(unmet) - 1].missing


def test_the_level_is_the_highest_step_with_every_step_below_met(handbook):
    """A met step above an unmet one does not count: no goals leaves steps 8–10 met and the level at 6."""
    result = maturity(handbook, handbook.processes["no-goals"])
    assert [s.met for s in result.steps] == [True] * 6 + [False] + [True] * 3
    assert result.level == 6 and result.next_step.number == 7


def test_the_evaluation_period_is_a_setting(handbook):
    """Step 9 counts evaluations within evaluation_days: 200 days old counts for 365, not for 180."""
    process = handbook.processes["full"]
    old = handbook.settings.evaluation_days
    try:
        assert maturity(handbook, process).level == 10
        handbook.settings.evaluation_days = 180  # 2026-05-01 is 204 days before 2026-11-21
        result = maturity(handbook, process)
        assert result.level == 8 and "de senaste 180 dagarna" in result.steps[8].missing
    finally:
        handbook.settings.evaluation_days = old


def test_evidence_links_what_meets_a_step(handbook):
    result = maturity(handbook, handbook.processes["full"])
    evidence = {s.number: [(e.text, e.url) for e in s.evidence] for s in result.steps}
    assert ("Rutin A", "hr/rutin-a/") in evidence[3] and ("Mall C", "hr/mall-c/") in evidence[3]
    assert evidence[4] == [("Kommunallagen (2017:725) 6 kap. 6 §: Intern kontroll", "krav/kl-6-kap-6/")]
    assert ("Senaste resultat: Ledtid", "https://stat.example.se/ledtid") in evidence[6]
    assert ("Controller", "roller/controller/") in evidence[6]
    assert evidence[8] == [("Introduktion (introduktion)", "hr/mall-c/")]


def test_the_new_keys_are_checked_with_file_line_and_a_fix(tmp_path):
    text = yaml.safe_dump({"id": "p", **FULL}, allow_unicode=True, sort_keys=False)
    text = text.replace("  unit: dagar", "  unti: dagar").replace("requirements:", "requirments:", 1)
    bad = {
        "processes/p.yml": text,
        "processes/q.yml": yaml.safe_dump({"id": "q", **FULL, "follow_up": "Varje månad", "goals": [{"name": "Mål"}],
                                           "knowledge": [{"name": "Kurs", "kind": "kurs", "link": "ftp://x"}],
                                           "evaluations": [{"date": "2027-01-01", "what": "X", "goals_raised": "ja"}],
                                           "requirements": ["kl-6-kap-7", "Stora Bokstäver"]},
                                          allow_unicode=True, sort_keys=False),
        **DOCS, "docs/hr/rutin-d.md": document("Rutin D", requirements=["osl-5-kap-2"]),
        "processes/krav.yml": yaml.safe_dump(KRAV, allow_unicode=True, sort_keys=False),
    }
    root = write_handbook(tmp_path / "h", bad, roles=ROLES)
    output = "\n".join(str(p) for p in Handbook.load(root, settings=Settings(today=TODAY)).problems)
    lines = {p: text.splitlines() for p, text in bad.items()}

    def line_of(path, fragment):
        return next(i for i, line in enumerate(lines[path], 1) if fragment in line)

    expected = [
        ("processes/p.yml", line_of("processes/p.yml", "unti:"), "warning", 'okänd nyckel "unti" i ett mått under measures. Menade du "unit"?'),
        ("processes/p.yml", line_of("processes/p.yml", "requirments:"), "warning", 'okänd nyckel "requirments". Menade du "requirements"?'),
        ("processes/q.yml", line_of("processes/q.yml", "follow_up:"), "error", "follow_up ska vara en mappning med how och by"),
        ("processes/q.yml", line_of("processes/q.yml", "- name: Mål"), "error", "date saknas (när målet ska vara nått)"),
        ("processes/q.yml", line_of("processes/q.yml", "kind: kurs"), "error", 'kind "kurs" i knowledge är okänd'),
        ("processes/q.yml", line_of("processes/q.yml", "link: ftp://x"), "error", "varken en webbadress"),
        ("processes/q.yml", line_of("processes/q.yml", "goals_raised: ja"), "error", "goals_raised ska vara true eller false"),
        ("processes/q.yml", line_of("processes/q.yml", "date: '2027-01-01'"), "error", "utvärderingen är daterad 2027-01-01, efter dagens datum"),
        ("processes/q.yml", line_of("processes/q.yml", "requirements:"), "error", 'okänt krav "kl-6-kap-7". Menade du "kl-6-kap-6"?'),
        ("processes/q.yml", line_of("processes/q.yml", "requirements:"), "error", 'krav-id "Stora Bokstäver"'),
        ("docs/hr/rutin-d.md", line_of("docs/hr/rutin-d.md", "requirements:"), "error", 'okänt krav "osl-5-kap-2". Menade du "osl-5-kap-1"?'),
    ]
    for path, line, severity, message in expected:
        assert re.search(rf"^{re.escape(path)}:{line}: {severity}: .*{re.escape(message)}", output, re.M), (path, line, message, output)
    assert "Traceback" not in output


def test_every_reference_file_stays_valid_and_shows_different_levels():
    reference = Handbook.load(REPO, settings=Settings(today=TODAY))
    assert reference.problems == []
    levels = {p.id: maturity(reference, p).level for p in reference.published_processes()}
    assert len(set(levels.values())) >= 4 and max(levels.values()) == 10, levels
    assert reference.requirements.present and len(reference.requirements.requirements) >= 10


# -- SOSFS 2011:9 4 kap. 4 §: a rutin for every activity of a kärnprocess --------------------------------

SOSFS_FILES = {
    **DOCS,
    "processes/karn.yml": yaml.safe_dump({"id": "karn", **FULL, "klassa": "3.1", "steps": [
        {"id": "med-rutin", "name": "Med rutin", "role": "handlaggare", "documents": ["hr/rutin-a.md"]},
        {"id": "utan", "name": "Utan rutin", "role": "handlaggare", "documents": ["hr/mall-c.md"]},
        {"id": "fraga", "name": "Beslut?", "role": "handlaggare", "kind": "decision", "next": {"Ja": "ansvar", "Nej": "med-rutin"}},
        {"id": "ansvar", "name": "Rutin utan ansvar", "role": "handlaggare", "documents": ["hr/rutin-b.md"]},
        {"id": "igen", "name": "Samma rutin igen", "role": "handlaggare", "documents": ["hr/rutin-b.md"]},
    ]}, allow_unicode=True, sort_keys=False),
    "processes/stod.yml": yaml.safe_dump({"id": "stod", **FULL, "steps": [
        {"id": "x", "name": "Stöd utan rutin", "role": "handlaggare"}]}, allow_unicode=True, sort_keys=False),
    "processes/krav.yml": yaml.safe_dump(KRAV, allow_unicode=True, sort_keys=False),
}


@pytest.fixture(scope="module")
def sosfs_root(tmp_path_factory):
    return write_handbook(tmp_path_factory.mktemp("sosfs"), SOSFS_FILES, roles=ROLES)


@pytest.mark.parametrize("mode", ["off", "warn", "error"])
def test_the_sosfs_rule_in_each_mode(sosfs_root, mode):
    handbook = Handbook.load(sosfs_root, settings=Settings(today=TODAY, activity_rutin_rule=mode))
    found = [p for p in handbook.problems if "SOSFS" in p.message]
    if mode == "off":
        assert found == []
        return
    karn = (sosfs_root / "processes" / "karn.yml").read_text("utf-8").splitlines()
    utan_step = next(i for i, line in enumerate(karn, 1) if "name: Utan rutin" in line)
    utan_line = next(i for i, line in enumerate(karn, 1) if i > utan_step and "documents:" in line)
    rutin_b = next(i for i, line in enumerate(SOSFS_FILES["docs/hr/rutin-b.md"].splitlines(), 1) if line.startswith("doc_type"))
    got = sorted((p.path, p.line, p.severity) for p in found)
    severity = {"warn": "warning", "error": "error"}[mode]
    assert got == sorted([("processes/karn.yml", utan_line, severity), ("docs/hr/rutin-b.md", rutin_b, severity)]), found
    assert any("Utan rutin" in p.message and "länka en under documents" in p.message for p in found)
    assert any("Rutin B" in p.message and "roles:" in p.message for p in found)


def test_which_processes_are_karnprocesser_is_a_setting(sosfs_root):
    """With core_process_codes [2.3] the stödprocess's step without a rutin is reported and VT 3 is not."""
    handbook = Handbook.load(sosfs_root, settings=Settings(today=TODAY, core_process_codes=("2.3",)))
    findings = activity_findings(handbook)
    assert [(f.process.id, f.step.id) for f in findings] == [("stod", "x")]
    handbook.settings.activity_rutin_rule = "error"
    check_activity_rutin(handbook)
    assert [p.line for p in handbook.processes["stod"].problems.items if "SOSFS" in p.message]


# -- one built site: the pages, in MkDocs and in Chromium ----------------------------------------------------

CANARY = "KANARIEKRAV7731"
SITE_KRAV = {**KRAV, "hemlig-krav": {"title": f"Hemligt {CANARY} krav", "source": f"{CANARY} 1 kap. 1 §",
                                     "link": f"https://example.se/{CANARY}", "checked": "2026-01-01", "owner": "hr-chef",
                                     "description": f"<b>{CANARY}</b>", "information_class": "K3"},
             "ingen-uppfyller": {"title": "Krav som inget uppfyller", "source": "SFS 2099:1 1 §", "checked": "2026-01-01",
                                 "owner": "hr-chef"}}
SITE_KRAV[f"kanarie-{CANARY.lower()}"] = {**SITE_KRAV["hemlig-krav"]}


def site_files() -> dict:
    full = yaml.safe_dump({"id": "full", **FULL, "requirements": [
        "kl-6-kap-6", "hemlig-krav", {"id": f"kanarie-{CANARY.lower()}", "note": f"not {CANARY}"}]},
        allow_unicode=True, sort_keys=False)
    low = copy.deepcopy(FULL)
    low.pop("goals")
    low["steps"][2]["documents"] = ["hr/rutin-b.md"]  # a rutin that names no responsible role
    tiny = {k: v for k, v in FULL.items() if k not in ("requirements", "measures", "goals", "follow_up", "knowledge", "evaluations")}
    return {
        **DOCS,
        "docs/hr/rutin-a.md": document("Rutin A", roles=["handlaggare"], requirements=["osl-5-kap-1", "hemlig-krav"]),
        "processes/krav.yml": yaml.safe_dump(SITE_KRAV, allow_unicode=True, sort_keys=False),
        "processes/full.yml": full,
        "processes/sex.yml": yaml.safe_dump({"id": "sex", **low, "name": "Sex", "klassa": "3.1"}, allow_unicode=True, sort_keys=False),
        "processes/tva.yml": yaml.safe_dump({"id": "tva", **tiny, "name": "Två", "state": "utkast"}, allow_unicode=True, sort_keys=False),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    mkdocs = (REPO / "mkdocs.yml").read_text("utf-8").replace("      classification_limit: 1\n",
                                                               "      classification_limit: 1\n      activity_rutin_rule: warn\n")
    assert "activity_rutin_rule: warn" in mkdocs
    root = write_handbook(tmp_path_factory.mktemp("site") / "h", site_files(), roles=ROLES, mkdocs_yml=mkdocs)
    built = build(root)
    assert built.returncode == 0, built.output
    return built


def test_the_site_shows_maturity_everywhere(site):
    full, sex, tva = site.page("processer/full/"), site.page("processer/sex/"), site.page("processer/tva/")
    assert 'id="mognad"' in full and 'data-maturity-level="10"' in full and "Alla tio stegen är uppfyllda" in full
    assert full.count('data-met="true"') == 10 and 'href="../../krav/kl-6-kap-6/"' in full
    assert 'data-maturity-level="6"' in sex and sex.count('data-met="false"') == 1 and "Saknas: Inga mål" in sex
    assert 'data-maturity-level="2"' in tva and "Nästa steg: 3. Processen är beskriven och dokumenterad" in tva
    landscape = site.page("processer/")
    assert {m for m in re.findall(r'data-process="(\w+)"[^>]*>.*?data-maturity-level="(\d+)"', landscape)} == {
        ("full", "10"), ("sex", "6"), ("tva", "2")}
    assert {p["id"]: p["maturity"] for p in site.catalog["processes"]} == {"full": 10, "sex": 6, "tva": 2}  # handbook.json
    klassa = site.page("klassa/2/")
    assert re.search(r'processer/full/">Full</a>.*?data-maturity-level="10"', klassa)
    overview = site.page("mognad/")
    rows = re.findall(r'<tr class="hb-maturity-row" data-process="(\w+)" data-maturity-level="(\d+)"', overview)
    assert sorted(rows) == [("full", "10"), ("sex", "6"), ("tva", "2")]
    counts = dict(re.findall(r'data-level="(\d+)" data-count="(\d+)"', overview))
    assert counts["10"] == counts["6"] == counts["2"] == "1" and counts["0"] == "0" and len(counts) == 11
    assert 'href="../krav/"' in overview and "Processernas mognad" in site.page("")  # both in the navigation
    assert 'data-mode="warn"' in overview and 'data-kind="rutin"' in overview and "Rutin B</a> anger inte vem som ansvarar" in overview


def test_the_requirement_pages_show_what_fulfils_them(site):
    page = site.page("krav/kl-6-kap-6/")
    assert 'href="https://rkrattsbaser.gov.se/sfst?bet=2017:725"' in page and "Kommunallagen (2017:725) 6 kap. 6 §" in page
    assert re.search(r'data-kind="process"><a href="../../processer/full/">Full</a>', page)
    assert re.search(r'data-kind="process"><a href="../../processer/sex/">Sex</a>', page)
    osl = site.page("krav/osl-5-kap-1/")
    assert 'data-kind="document"><a href="../../hr/rutin-a/">Rutin A</a>' in osl
    index = site.page("krav/")
    assert re.search(r'hb-requirements--uncovered">\s*<li data-requirement="ingen-uppfyller">', index)
    assert not site.has_page("krav/hemlig-krav/")


def test_a_classified_requirement_is_in_no_byte_of_the_site_or_the_reports(site):
    leaks = [p for p in site.site.rglob("*") if p.is_file() and (CANARY.encode() in p.read_bytes()
                                                                   or CANARY.lower().encode() in p.read_bytes()
                                                                   or b"hemlig-krav" in p.read_bytes())]
    assert leaks == []
    assert "Ej publicerat krav" in site.page("processer/full/") and "Ej publicerat krav" in site.page("hr/rutin-a/")
    assert 'href="../../krav/osl-5-kap-1/">OSL 5 kap. 1 §: Registrering</a>' in site.page("hr/rutin-a/")  # the card's row
    for args in (["--maturity"], ["--requirements"]):
        for fmt in ("markdown", "csv", "json"):
            result = run_handbook(site.root, "report", *args, "--format", fmt)
            assert result.returncode == 0, result.stderr
            assert CANARY.lower() not in result.stdout.lower() and "hemlig-krav" not in result.stdout, (args, fmt)
    reports = run_handbook(site.root, "report", "--requirements", "--format", "json").stdout
    assert '"uncovered": [\n    "ingen-uppfyller"\n  ]' in reports


@pytest.mark.browser
def test_the_pages_in_chromium(site, tmp_path_factory):
    from browser import Browser, served_site

    shots = tmp_path_factory.mktemp("shots")
    with served_site(site.site) as base, Browser(base) as browser:
        page = browser.page
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(base + "mognad/")
            table = page.locator("table.hb-sortable")
            level = table.get_by_role("button", name="Nivå")
            level.click()
            assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
            assert page.locator("tr.hb-maturity-row").evaluate_all("rows => rows.map(r => r.dataset.process)") == ["tva", "sex", "full"]
            level.click()
            assert page.locator("tr.hb-maturity-row").first.get_attribute("data-process") == "full"
            assert "fallande" in page.locator(".hb-sort-status").inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(shots / f"mognad-{width}.png"), full_page=True)
            if width == 390:  # axe once: the narrow layout is the one that changes most
                page.add_script_tag(path=str(REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"))
                violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
                assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
            for url in ("processer/", "processer/sex/", "krav/"):
                page.goto(base + url, wait_until="domcontentloaded")
                assert page.evaluate("document.documentElement.scrollWidth") <= width, (url, width)
        assert browser.errors == []
        assert [r for r in browser.requests if not r.startswith(base)] == []


def test_markup_in_the_new_keys_is_shown_as_text(tmp_path):
    from handbook.core.pages import SiteInfo, generated_pages

    hostile = "<img src=x onerror=alert(1)>"
    data = copy.deepcopy(FULL)
    data["measures"][0].update(name=hostile, result="javascript:alert(1)")
    data["goals"][0]["name"] = hostile
    data["follow_up"]["how"] = f"*{hostile}*"
    data["knowledge"][0]["name"] = f"[{hostile}](javascript:alert(1))"
    data["evaluations"][0].update(what=hostile, improved=hostile)
    files = {**DOCS, "processes/krav.yml": yaml.safe_dump(KRAV, allow_unicode=True),
             "processes/p.yml": yaml.safe_dump({"id": "p", **data}, allow_unicode=True, sort_keys=False)}
    handbook = Handbook.load(write_handbook(tmp_path / "h", files, roles=ROLES), settings=Settings(today=TODAY))
    assert [str(p) for p in handbook.problems] == []  # text is text
    site = SiteInfo()
    pages = {uri: site.blocks.inline(text) for uri, text in generated_pages(handbook, site).items()}
    for uri in ("processer/p.md", "mognad/index.md"):
        assert "<img" not in pages[uri] and 'href="javascript' not in pages[uri], uri
    assert pages["processer/p.md"].count("&lt;img src=x onerror=alert(1)&gt;") >= 5
    assert "Senaste resultat för &lt;img src=x onerror=alert(1)&gt;: javascript:alert(1)" in pages["processer/p.md"]
