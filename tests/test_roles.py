"""Role pages and the role index: exactly what each role owns, leads, is team member of and
performs, which documents it owns or is named in, and nothing classified."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest

from conftest import build, document, process, run_handbook, write_handbook

TODAY = "2026-11-21"  # due window 60 days: due up to 2027-01-20
BASE = "http://site/"

ROLES = {
    "kd": {"name": "Kommundirektör", "description": "Leder förvaltningen", "contact": "kd@tallby.se"},
    "hr-chef": {"name": "HR-chef", "contact": "hr@tallby.se"},
    "hr-konsult": {"name": "HR-konsult", "contact": "mailto:hr-konsult@tallby.se"},
    "chef": {"name": "Rekryterande chef", "contact": "chef@tallby.se"},
    "registrator": {"name": "Registrator", "contact": "Växeln 0123-456 78"},
    "sakerhetschef": {"name": "Säkerhetschef"},
    "ekonom": {"name": "Ekonom"},
}
CANARIES = (b"DOCCANARY7731", b"PROCCANARY7731", b"STEPCANARY7731")


def step(sid, role, **fields):
    return {"id": sid, "name": fields.pop("name", sid.capitalize()), "role": role, **fields}


FILES = {
    "processes/styr.yml": process("styr", [step("dialog", "kd", name="Dialogdag"), step("underlag", "hr-chef"),
                                           step("beslut", "kd")], klassa="1.1.1", owner="kd", team=["hr-chef"]),
    "processes/rekrytering.yml": process("rekrytering", [
        step("behov", "chef"),
        step("utlysa", "hr-chef", kind="decision", next={"Ja": "annons", "Nej": "avslut"}),
        step("annons", "hr-konsult"), step("avslut", "hr-konsult"), step("diarie", "registrator"),
    ], owner="hr-chef", leader="chef", team=["hr-konsult", "registrator"]),
    "processes/arkiv.yml": process("arkiv", [step("arkivera", "registrator")], klassa="2.1.5", owner="registrator",
                                   review_date="2026-01-01"),
    "processes/bygglov.yml": process("bygglov", [step("ansokan", "registrator"), step("handlagga", "chef")],
                                     klassa="3.1.5", owner="chef", leader="registrator", review_date="2026-12-15"),
    "processes/hemligprocess.yml": process("hemligprocess", [
        step("x", "ekonom", name="Kontrollera STEPCANARY7731"), step("y", "hr-konsult"),
    ], name="Skydd PROCCANARY7731", owner="sakerhetschef", leader="hr-chef", team=["chef"], information_class="K3"),
    "docs/hr/a.md": document("Rutin A", roles=["chef", "registrator"]),
    "docs/hr/b.md": document("Rutin B", review_date="2026-12-01"),
    "docs/hr/c.md": document("Rutin C", review_date="2026-06-01"),
    "docs/hr/d.md": document("Rutin D", review_date="2026-02-01"),
    "docs/hr/e.md": document("Rutin E", review_date="2025-01-01", state="upphävd"),
    "docs/hr/hemlig.md": document("Plan DOCCANARY7731", roles=["chef", "sakerhetschef"], processes=["rekrytering"],
                                  information_class="K3"),
    "docs/om.md": "# Om handboken\n\nEn fri sida.\n",
}


class RolePage(HTMLParser):
    """The <article> of a page: each link with the h2/h3 it stands under, and each listed item."""

    def __init__(self, html: str, url: str):
        super().__init__()
        self.url, self.in_article, self.heading, self.text = url, False, None, ""
        self.h2 = self.h3 = ""
        self.links: set[tuple[str, str, str]] = set()
        self.items: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.in_article = True
        if not self.in_article:
            return
        if tag in ("h2", "h3"):
            self.heading, self.text = tag, ""
        elif tag == "li" and "data-involvement" in attrs:
            self.items.append({"h2": self.h2, "h3": self.h3, **attrs, "text": "", "links": []})
        elif tag == "a" and not attrs["href"].startswith("#"):
            url = urljoin(BASE + self.url, attrs["href"]).removeprefix(BASE)
            self.links.add((self.h2, self.h3, url))
            if self.items and "done" not in self.items[-1]:
                self.items[-1]["links"].append(url)

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article = False
        elif tag == self.heading:
            title = self.text.replace("¶", "").strip()
            self.h2, self.h3 = (title, "") if tag == "h2" else (self.h2, title)
            self.heading = None
        elif tag == "li" and self.items and "done" not in self.items[-1]:
            self.items[-1]["done"] = True

    def handle_data(self, data):
        if self.heading:
            self.text += data
        elif self.in_article and self.items and "done" not in self.items[-1]:
            self.items[-1]["text"] += data


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_handbook(tmp_path_factory.mktemp("roles") / "h", FILES, roles=ROLES)
    built = build(root, today=TODAY)
    assert built.returncode == 0, built.output
    return built


def page(site, role_id: str) -> RolePage:
    return RolePage(site.page(f"roller/{role_id}"), f"roller/{role_id}/")


P, D = "Processer", "Dokument"
OWNS, LEADS, TEAM, DOES = "Processägare för", "Processledare för", "Med i processteamet för", "Utför steg i"
DOC_OWNS, NAMED = "Dokumentansvarig för", "Berörd roll i"
HEAD = {("", "", "roller/")}
EXPECTED = {
    "kd": {(P, OWNS, "processer/styr/"), (P, LEADS, "processer/styr/"), (P, DOES, "processer/styr/"),
           (P, DOES, "processer/styr/#steg-dialog"), (P, DOES, "processer/styr/#steg-beslut"),
           ("", "", "mailto:kd@tallby.se")},
    "hr-chef": {(P, OWNS, "processer/rekrytering/"), (P, TEAM, "processer/styr/"),
                (P, DOES, "processer/rekrytering/"), (P, DOES, "processer/rekrytering/#steg-utlysa"),
                (P, DOES, "processer/styr/"), (P, DOES, "processer/styr/#steg-underlag"),
                *((D, DOC_OWNS, f"hr/{x}/") for x in "abcde"), ("", "", "mailto:hr@tallby.se")},
    "hr-konsult": {(P, TEAM, "processer/rekrytering/"), (P, DOES, "processer/rekrytering/"),
                   (P, DOES, "processer/rekrytering/#steg-annons"), (P, DOES, "processer/rekrytering/#steg-avslut"),
                   ("", "", "mailto:hr-konsult@tallby.se")},
    "chef": {(P, LEADS, "processer/rekrytering/"), (P, OWNS, "processer/bygglov/"),
             (P, DOES, "processer/rekrytering/"), (P, DOES, "processer/rekrytering/#steg-behov"),
             (P, DOES, "processer/bygglov/"), (P, DOES, "processer/bygglov/#steg-handlagga"),
             (D, NAMED, "hr/a/"), ("", "", "mailto:chef@tallby.se")},
    "registrator": {(P, TEAM, "processer/rekrytering/"), (P, OWNS, "processer/arkiv/"),
                    (P, LEADS, "processer/arkiv/"), (P, LEADS, "processer/bygglov/"),
                    (P, DOES, "processer/rekrytering/"), (P, DOES, "processer/rekrytering/#steg-diarie"),
                    (P, DOES, "processer/arkiv/"), (P, DOES, "processer/arkiv/#steg-arkivera"),
                    (P, DOES, "processer/bygglov/"), (P, DOES, "processer/bygglov/#steg-ansokan"),
                    (D, NAMED, "hr/a/")},
    "sakerhetschef": set(),
    "ekonom": set(),
}


@pytest.mark.parametrize("role_id", sorted(EXPECTED))
def test_role_page_links_exactly_what_the_data_says(site, role_id):
    role = page(site, role_id)
    assert role.links == EXPECTED[role_id] | HEAD
    listed = {(i["h2"], i["h3"], i["links"][0] if i["links"] else None) for i in role.items}
    assert listed == {link for link in EXPECTED[role_id] if link[0] and "#" not in link[2]}


def test_step_links_lead_to_the_step_on_the_process_page(site):
    for url in {link[2] for links in EXPECTED.values() for link in links if "#" in link[2]}:
        path, anchor = url.split("#")
        assert f'id="{anchor}"' in site.page(path.rstrip("/")), url


def test_steps_are_named_under_their_process(site):
    items = [i for i in page(site, "kd").items if i["data-involvement"] == "performer"]
    assert [(i["data-process"], i["text"].split("Steg")[1].strip()) for i in items] == [("styr", ": Dialogdag, Beslut")]


def test_role_page_shows_name_description_and_contact(site):
    html = site.page("roller/kd")
    assert "<title>Kommundirektör - " in html and "Leder förvaltningen" in html
    assert '<a href="mailto:kd@tallby.se">kd@tallby.se</a>' in html
    registrator = site.page("roller/registrator")
    assert "Växeln 0123-456 78" in registrator and "mailto:" not in registrator
    for role_id in ("sakerhetschef", "ekonom"):
        text = site.page(f"roller/{role_id}")
        assert "Rollen har ingen del i någon publicerad process." in text
        assert "Rollen är inte dokumentansvarig för eller berörd av något publicerat dokument." in text


def test_items_are_ordered_by_what_to_review_next(site):
    owned = [i for i in page(site, "hr-chef").items if i["h3"] == DOC_OWNS]
    assert [i["links"][0] for i in owned] == ["hr/d/", "hr/c/", "hr/b/", "hr/a/", "hr/e/"]  # repealed last
    assert [i["data-review-status"] for i in owned] == ["overdue", "overdue", "due", "ok", "overdue"]
    words = {"overdue": "Revision försenad", "due": "Ska revideras snart", "ok": "Revision ok"}
    dates = {"hr/a/": "2027-06-30", "hr/b/": "2026-12-01", "hr/c/": "2026-06-01", "hr/d/": "2026-02-01", "hr/e/": "2025-01-01"}
    for item in owned:
        assert words[item["data-review-status"]] in item["text"]
        assert f"revideras senast {dates[item['links'][0]]}" in item["text"]
    assert "Upphävd" in owned[-1]["text"]
    led = [i for i in page(site, "registrator").items if i["h3"] == LEADS]
    assert [(i["data-process"], i["data-review-status"]) for i in led] == [("arkiv", "overdue"), ("bygglov", "due")]


def test_summary_counts_what_the_role_owns_and_must_review(site):
    # The repealed overdue rutin E counts too: the same rule as revision/.
    assert re.search(r"Att revidera:</strong> <span[^>]*>3 försenade</span> <span[^>]*>1 ska revideras snart</span>",
                     site.page("roller/hr-chef"))
    assert "Att revidera" not in site.page("roller/kd")


def test_empty_register_and_no_processes_say_so(tmp_path):
    built = build(write_handbook(tmp_path / "h", {"docs/a.md": "# A\n"}, roles=None), today=TODAY)
    html = built.page("roller")
    assert "Rollregistret processes/roles.yml har inga roller ännu." in html
    assert "Ingen roll har ännu någon del i en publicerad process." in html and "<table" not in html


def test_index_links_every_role_in_the_register(site):
    assert {role for role, _, _ in Matrix(site.page("roller")).roles} == {f"roller/{r}/" for r in ROLES}


class Matrix(HTMLParser):
    """roller/ (roles as rows): each role's link, its processes (link and letters) and the spoken
    meaning of the letters, and the filter's choices of verksamhetsområde."""

    def __init__(self, html: str):
        super().__init__()
        self.roles, self.abbr, self.areas, self.spoken = [], {}, [], []
        self.where, self.abbr_title, self.select = None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "li" and "hb-rolematrix__row" in classes:
            self.roles.append([None, [], attrs["data-role"]])
        elif tag == "a" and self.roles and self.roles[-1][0] is None:
            self.roles[-1][0] = urljoin(BASE + "roller/", attrs["href"]).removeprefix(BASE)
        elif tag == "li" and "data-process" in attrs:
            self.roles[-1][1].append([None, "", attrs["data-area"]])
        elif tag == "a" and self.roles and self.roles[-1][1] and self.roles[-1][1][-1][0] is None:
            self.roles[-1][1][-1][0] = urljoin(BASE + "roller/", attrs["href"]).removeprefix(BASE)
        elif tag == "abbr":
            self.abbr_title = attrs["title"]
        elif tag == "span" and "hb-visually-hidden" in classes:
            self.where = "spoken"
        elif tag == "select":
            self.select = attrs["data-filter"]
        elif tag == "option" and self.select == "area" and attrs["value"]:
            self.areas.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "span":
            self.where = None

    def handle_data(self, data):
        if self.abbr_title:
            self.abbr[data] = self.abbr_title
            self.roles[-1][1][-1][1] += data
            self.abbr_title = None
        elif self.where == "spoken":
            self.spoken.append(data)


def test_matrix_of_roles_and_processes(site):
    """Every role of the register is a row, with the processes it takes part in and its letters, in
    landscape order (ledningsprocesser, kärnprocesser, stödprocesser); the letters are spoken as words."""
    matrix = Matrix(site.page("roller"))
    rows = {role.removeprefix("roller/").rstrip("/"): processes for role, processes, _ in matrix.roles}
    assert set(rows) == set(ROLES)
    assert {role: [(url, letters) for url, letters, _ in processes] for role, processes in rows.items()} == {
        "kd": [("processer/styr/", "ÄLU")],
        "hr-chef": [("processer/styr/", "TU"), ("processer/rekrytering/", "ÄU")],
        "chef": [("processer/bygglov/", "ÄU"), ("processer/rekrytering/", "LU")],
        "hr-konsult": [("processer/rekrytering/", "TU")],
        "registrator": [("processer/bygglov/", "LU"), ("processer/arkiv/", "ÄLU"), ("processer/rekrytering/", "TU")],
        "sakerhetschef": [], "ekonom": [],
    }
    assert [area for _, _, area in rows["registrator"]] == ["3.1", "2.1", "2.3"]
    assert matrix.areas == ["1", "1.1", "3", "3.1", "2", "2.1", "2.3"]  # the landscape's bands and areas
    assert matrix.abbr == {"Ä": "processägare", "L": "processledare", "T": "med i processteamet", "U": "utför steg"}
    assert " (processägare, processledare, utför steg)" in matrix.spoken
    html = site.page("roller")
    assert "<strong>Ä</strong> = processägare, <strong>L</strong> = processledare, <strong>T</strong> = med i processteamet" in html
    assert html.count("Ingen del i någon publicerad process.") == 2


def test_classified_content_is_on_no_role_page_and_nowhere_in_the_site(site):
    pages = [site.page("roller"), *(site.page(f"roller/{r}") for r in ROLES)]
    for text in pages:
        assert "hemligprocess" not in text and "hr/hemlig" not in text
        for canary in CANARIES:
            assert canary.decode() not in text
    for path in site.site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(c in data for c in CANARIES), path


def test_metadata_cards_link_every_role_they_show(site):
    def card_links(url):
        html = site.page(url)
        card = html[html.index('<aside class="hb-card"'):html.index("</aside>")]
        return {urljoin(BASE + url + "/", href).removeprefix(BASE) for href in re.findall(r'href="([^"]+)"', card)
                if "roller/" in urljoin(BASE + url + "/", href)}

    assert card_links("processer/rekrytering") == {"roller/hr-chef/", "roller/chef/", "roller/hr-konsult/",
                                                   "roller/registrator/"}
    assert card_links("hr/a") == {"roller/hr-chef/", "roller/chef/", "roller/registrator/"}


ROLE_RULES_ROLES = """\
hr-chef: {name: HR-chef}
hr-konsult: {name: HR-konsult}
chef: {name: Chef}
registrator: {name: Registrator}
sakerhetschef: {name: Säkerhetschef}
oanvand: {name: Oanvänd roll}
"""
BAD_PROCESS = """\
id: fel
name: Fel
klassa: 2.3.2
owner: [hr-chef, chef]
leader: [chef, hr-konsult]
team: [hr-konsult, hr-konslt]
version: "1.0"
review_date: 2027-06-30
state: fastställd
steps:
  - id: a
    name: A
    role: registratr
"""
UNKNOWN_OWNER = BAD_PROCESS.replace("id: fel", "id: okand").replace("[hr-chef, chef]", "hr-chf") \
    .replace("[chef, hr-konsult]", "chefen").replace("[hr-konsult, hr-konslt]", "[]").replace("registratr", "hr-chef")


def test_role_rules_in_check_and_build(tmp_path):
    files = {"processes/fel.yml": BAD_PROCESS, "processes/okand.yml": UNKNOWN_OWNER,
             "docs/a.md": document("A", roles=["chef", "registrator", "hr-konsullt"]),
             "docs/hemlig.md": document("Hemlig", owner="sakerhetschef", information_class="K3")}
    root = write_handbook(tmp_path / "h", files, roles=None)
    (root / "processes/roles.yml").write_text(ROLE_RULES_ROLES, "utf-8")
    result = run_handbook(root, "check", today=TODAY)
    assert result.returncode == 1
    found = [line for line in result.stdout.splitlines()[:-1]]
    expected = [
        ("docs/a.md", 11, "error", 'okänd roll "hr-konsullt" i roles. Menade du "hr-konsult"?'),
        ("processes/fel.yml", 4, "error", "owner ska vara exakt ett roll-id (processägare), inte en lista"),
        ("processes/fel.yml", 5, "error", "leader ska vara högst ett roll-id (processledare), inte en lista"),
        ("processes/fel.yml", 6, "error", 'okänd roll "hr-konslt" i team. Menade du "hr-konsult"?'),
        ("processes/fel.yml", 13, "error", 'okänd roll "registratr" i role i steg a. Menade du "registrator"?'),
        ("processes/okand.yml", 4, "error", 'okänd roll "hr-chf" i owner. Menade du "hr-chef"?'),
        ("processes/okand.yml", 5, "error", 'okänd roll "chefen" i leader. Menade du "chef"?'),
        ("processes/roles.yml", 6, "warning", "rollen oanvand används inte"),
    ]
    assert len(found) == len(expected), result.stdout
    for line, (path, number, severity, words) in zip(found, expected):
        assert line.startswith(f"{path}:{number}: {severity}: ") and words in line, (line, path, number, words)
    built = build(root, today=TODAY)
    assert built.returncode == 0, built.output
    for path, number, severity, words in expected:
        assert f"{path}:{number}: {severity}: " in built.output
    assert build(root, strict=True, today=TODAY, site=tmp_path / "strict").returncode == 1


def test_unused_role_alone_is_only_a_warning(tmp_path):
    roles = {"hr-chef": {"name": "HR-chef"}, "oanvand": {"name": "Oanvänd"}}
    root = write_handbook(tmp_path / "h", {"docs/a.md": document("A")}, roles=roles)
    result = run_handbook(root, "check", today=TODAY)
    assert result.returncode == 0
    assert result.stdout.splitlines()[:-1] == [
        "processes/roles.yml:3: warning: rollen oanvand används inte av något dokument eller någon process; "
        "ta bort den ur registret eller använd den"]
    built = build(root, today=TODAY)
    assert built.has_page("roller/oanvand")


def test_role_ids_that_cannot_be_an_address_and_duplicates_are_errors(tmp_path):
    files = {"docs/a.md": document("A", roles=["förskolechef"]), "processes/.keep": ""}
    root = write_handbook(tmp_path / "h", files, roles=None)
    (root / "processes/roles.yml").write_text(
        'hr-chef: {name: HR-chef}\n"../index": {name: Elak}\n"a/b": {name: Snedstreck}\n'
        "förskolechef: {name: Förskolechef}\nhr-chef: {name: HR-chef igen}\n", "utf-8")
    lines = run_handbook(root, "check", today=TODAY).stdout.splitlines()
    assert [line for line in lines if line.startswith("processes/roles.yml")] == [
        'processes/roles.yml:2: error: roll-id "../index" får bara innehålla bokstäver, siffror, - och _ '
        "(det blir sidans adress roller/<id>/), t.ex. index",
        'processes/roles.yml:3: error: roll-id "a/b" får bara innehålla bokstäver, siffror, - och _ '
        "(det blir sidans adress roller/<id>/), t.ex. a-b",
        "processes/roles.yml:5: error: rollen hr-chef står flera gånger i registret; bara den sista gäller. "
        "Ge varje roll ett eget id",
    ]
    built = build(root, today=TODAY)
    assert built.returncode == 0, built.output
    assert "Elak" not in (built.site / "index.html").read_text("utf-8")
    assert sorted(p.parent.relative_to(built.site).as_posix() for p in (built.site / "roller").rglob("index.html")) == [
        "roller", "roller/förskolechef", "roller/hr-chef"]


SCALE_ROLES, SCALE_PROCESSES = 40, 100


def scale_role(i: int, k: int) -> str:
    return f"roll-{(i + k) % SCALE_ROLES:02d}"


def scale_letters(i: int, role: str) -> str:
    """What the matrix must say for process i: owner k=0, leader k=1 (even i; else the owner leads),
    team k=2, steps k=3..5."""
    owner, leader = scale_role(i, 0), scale_role(i, 1) if i % 2 == 0 else scale_role(i, 0)
    return "".join(letter for letter, yes in (("Ä", role == owner), ("L", role == leader),
                                             ("T", role == scale_role(i, 2)),
                                             ("U", role in {scale_role(i, k) for k in (3, 4, 5)})) if yes)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    roles = {f"roll-{r:02d}": {"name": f"Roll med ett ganska långt namn {r}"} for r in range(SCALE_ROLES)}
    files = {f"processes/p{i:03d}.yml": process(
        f"p{i:03d}", [step(f"s{k}", scale_role(i, k)) for k in (3, 4, 5)], name=f"Process {i:03d} med ett längre namn",
        klassa=("1.1.1", "2.3.2", "3.1.5")[i % 3], owner=scale_role(i, 0),
        leader=scale_role(i, 1) if i % 2 == 0 else None, team=[scale_role(i, 2)]) for i in range(SCALE_PROCESSES)}
    built = build(write_handbook(tmp_path_factory.mktemp("large") / "h", files, roles=roles), today=TODAY)
    assert built.returncode == 0, built.output
    return built


def test_matrix_of_40_roles_and_100_processes(large):
    rows = {role.removeprefix("roller/").rstrip("/"): processes for role, processes, _ in Matrix(large.page("roller")).roles}
    assert sorted(rows) == [f"roll-{r:02d}" for r in range(SCALE_ROLES)]
    found = {(url, role): letters for role, processes in rows.items() for url, letters, _ in processes}
    expected = {(f"processer/p{i:03d}/", role): scale_letters(i, role)
                for i in range(SCALE_PROCESSES) for role in rows if scale_letters(i, role)}
    assert found == expected
    assert all(large.has_page(f"roller/roll-{r:02d}") for r in range(SCALE_ROLES))
