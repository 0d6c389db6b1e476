"""Review status on the edges of the due window, and `revision/` grouped by owner, in a real build."""

import json
import re

import pytest

from conftest import MORE_ROLES, build, document, process, run_handbook, write_handbook

TODAY = "2026-11-21"  # due window 60 days: 2026-11-21 .. 2027-01-20 is due
EDGES = {
    "kant/idag.md": ("2026-11-21", "due"),
    "kant/sista-dagen.md": ("2027-01-20", "due"),
    "kant/dagen-efter.md": ("2027-01-21", "ok"),
    "kant/igar.md": ("2026-11-20", "overdue"),
}


def edge_files() -> dict:
    files = {f"docs/{path}": document(f"Kant {path}", review_date=date) for path, (date, _) in EDGES.items()}
    files.update({
        "docs/kant/saknas.md": document("Utan revisionsdatum", review_date=None),
        "docs/kant/trasigt.md": document("Trasigt datum", review_date="snart"),
        "docs/hr/upphavd.md": document("Gammal upphävd rutin", state="upphävd", review_date="2026-12-01", owner="registrator"),
        "docs/hr/hemlig.md": document("HEMLIG FÖRSENAD", review_date="2020-01-01", information_class="K3"),
        "docs/hr/arkiv.md": document("Arkivrutin", owner="registrator", review_date="2026-01-05"),
        "processes/rekrytering.yml": process("rekrytering", [{"id": "a", "name": "A", "role": "chef"}],
                                             owner="chef", review_date="2026-12-24"),
        "processes/hemlig.yml": process("hemlig", [{"id": "a", "name": "A", "role": "chef"}],
                                        owner="chef", review_date="2020-01-01", information_class="K2"),
    })
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write_handbook(tmp_path_factory.mktemp("review") / "h", edge_files(), roles=MORE_ROLES)
    built = build(root, today=TODAY)
    assert built.returncode == 0, built.output
    return built


def card_status(html: str) -> str:
    return re.search(r'<aside class="hb-card"[^>]*data-review-status="(\w+)"', html).group(1)


def test_status_on_the_edges_of_the_window_in_pages_and_catalog(site):
    entries = {d["path"]: d for d in site.catalog["documents"]}
    for path, (date, status) in EDGES.items():
        assert card_status(site.page(path.removesuffix(".md"))) == status, path
        assert (entries[path]["review_date"], entries[path]["review_status"]) == (date, status)


def test_missing_or_unreadable_review_date_counts_as_overdue(site):
    for path in ("kant/saknas", "kant/trasigt"):
        html = site.page(path)
        assert card_status(html) == "overdue"
        assert "Revision försenad" in html and "senast saknas" in html
    assert {d["path"]: d["review_status"] for d in site.catalog["documents"]}["kant/saknas.md"] == "overdue"


def test_banners_name_the_review_date_and_owner(site):
    due = site.page("kant/sista-dagen")
    assert re.search(r'hb-banner--due.*?senast 2027-01-20 \(om 60 dagar\).*?>HR-chef</a>', due, re.S)
    overdue = site.page("kant/igar")
    assert re.search(r'hb-banner--overdue.*?senast 2026-11-20.*?>HR-chef</a>', overdue, re.S)
    assert "hb-banner--" not in site.page("kant/dagen-efter")
    repealed = site.page("hr/upphavd")
    assert 'data-state="upphävd"' in repealed and "upphävt och gäller inte längre" in repealed


def revision_groups(html: str) -> list[tuple[str, int, int, int, list[tuple[str, str]]]]:
    """(owner, count, overdue, due, [(key, status)]) per group, in page order."""
    groups = []
    for match in re.finditer(r'<div class="hb-review-group" data-owner="([^"]*)" data-count="(\d+)" '
                             r'data-overdue="(\d+)" data-due="(\d+)">(.*?)</div>', html, re.S):
        items = re.findall(r'data-key="([^"]+)" data-review-status="(\w+)"', match.group(5))
        groups.append((match.group(1), int(match.group(2)), int(match.group(3)), int(match.group(4)), items))
    return groups


def test_revision_groups_by_owner_sorted_by_date_with_counts(site):
    html = site.page("revision")
    assert revision_groups(html) == [
        ("hr-chef", 5, 3, 2, [("kant/trasigt.md", "overdue"), ("kant/saknas.md", "overdue"),
                              ("kant/igar.md", "overdue"), ("kant/idag.md", "due"), ("kant/sista-dagen.md", "due")]),
        ("registrator", 2, 1, 1, [("hr/arkiv.md", "overdue"), ("hr/upphavd.md", "due")]),
        ("chef", 1, 0, 1, [("rekrytering", "due")]),
    ]  # groups in the order of the role names (HR-chef, Registrator, Rekryterande chef); no date first
    assert 'data-total="8" data-overdue="4" data-due="4"' in html
    assert "Totalt 8: 4 med försenad revision, 4 ska revideras snart." in html


def test_revision_links_roles_and_items_and_marks_repealed(site):
    html = site.page("revision")
    assert '<a href="../roller/hr-chef/">HR-chef</a>' in html
    assert '<a href="../kant/idag/">Kant kant/idag.md</a>' in html
    assert '<a href="../processer/rekrytering/">Rekrytering</a>' in html
    row = re.search(r'<tr[^>]*data-key="hr/upphavd.md".*?</tr>', html, re.S).group(0)
    assert "hb-tag--repealed" in row and "Upphävd" in row


def test_classified_items_never_appear_in_revision_or_reports(site):
    html = site.page("revision")
    assert "HEMLIG" not in html and "hemlig" not in html
    report = run_handbook(site.root, "report", "--format", "json", "--status", "overdue", "--status", "due", "--status", "ok",
                          today=TODAY)
    assert report.returncode == 0, report.stderr
    assert "hemlig" not in report.stdout.lower()


def test_report_agrees_with_the_site(site):
    report = run_handbook(site.root, "report", "--format", "json", today=TODAY)
    data = json.loads(report.stdout)
    from_report = [(o["id"], [(i["id"], i["review_status"]) for i in o["items"]]) for o in data["owners"]]
    from_site = [(g[0], g[4]) for g in revision_groups(site.page("revision"))]
    assert from_report == from_site
    assert (data["total"], data["counts"]) == (8, {"overdue": 4, "due": 4})


def test_another_today_moves_every_status(site):
    def statuses(today: str) -> dict:
        report = run_handbook(site.root, "report", "--format", "json", "--klassa", "2.3", "--status", "ok",
                              "--status", "due", "--status", "overdue", today=today)
        return {i["id"]: i["review_status"] for o in json.loads(report.stdout)["owners"] for i in o["items"]
                if i["id"].startswith("kant/") and i["id"] in EDGES}

    assert statuses("2026-11-20") == {"kant/idag.md": "due", "kant/igar.md": "due",
                                      "kant/sista-dagen.md": "ok", "kant/dagen-efter.md": "ok"}
    assert statuses("2027-01-21") == {"kant/idag.md": "overdue", "kant/igar.md": "overdue",
                                      "kant/sista-dagen.md": "overdue", "kant/dagen-efter.md": "due"}


def test_due_window_comes_from_mkdocs_yml(tmp_path):
    files = {"docs/a.md": document("A", review_date="2026-12-01"), "docs/b.md": document("B", review_date="2026-12-02")}
    root = write_handbook(tmp_path / "h", files)
    yml = (root / "mkdocs.yml").read_text("utf-8").replace("due_days: 60", "due_days: 10")
    (root / "mkdocs.yml").write_text(yml, "utf-8")
    report = run_handbook(root, "report", "--format", "json", "--status", "due", "--status", "ok", today=TODAY)
    statuses = {i["id"]: i["review_status"] for o in json.loads(report.stdout)["owners"] for i in o["items"]}
    assert statuses == {"a.md": "due", "b.md": "ok"}
    built = build(root, today=TODAY)
    assert {d["path"]: d["review_status"] for d in built.catalog["documents"]} == statuses
    assert "inom 10 dagar" in built.page("revision")


def test_nothing_to_review_says_so(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/a.md": document("A", review_date="2030-01-01")})
    built = build(root, today=TODAY)
    assert built.returncode == 0, built.output
    assert 'data-total="0"' in built.page("revision") and "Inga dokument eller processer behöver revideras" in built.page("revision")
