"""One reading of settings: the command line reads mkdocs.yml through MkDocs' own loading, as the build does."""

import json
import subprocess

from conftest import BIN, REPO, build, document, environment, run_handbook, write_handbook

CANARY = "KANARIEK2INSTALLNING"


def mapping_form(limit: str, due_days: str = "30") -> str:
    """The project's mkdocs.yml with `plugins:` written as a mapping, which MkDocs accepts too."""
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    start, end = text.index("plugins:\n"), text.index("markdown_extensions:")
    plugins = ("plugins:\n  search:\n    lang: sv\n"
               f"  handbook:\n    classification_limit: {limit}\n    due_days: {due_days}\n"
               "  macros:\n    render_by_default: false\n    modules: [handbook.site.macros]\n\n")
    return text[:start] + plugins + text[end:]


def handbook_with_k2(root, mkdocs_yml):
    return write_handbook(root, {
        "docs/hr/k2.md": document(CANARY, information_class="K2", review_date="2026-12-01"),
        "docs/hr/oppen.md": document("Öppen rutin", review_date="2026-12-01"),
    }, mkdocs_yml=mkdocs_yml)


def test_plugins_as_a_mapping_reach_the_command_line_and_the_build_alike(tmp_path):
    for limit, published in (("1", False), ("2", True)):
        root = handbook_with_k2(tmp_path / limit, mapping_form(limit))
        report = run_handbook(root, "report", "--format", "json")
        assert report.returncode == 0, report.stderr
        listed = {item["title"] for group in json.loads(report.stdout)["owners"] for item in group["items"]}
        assert "Öppen rutin" in listed and (CANARY in listed) == published
        reminders = run_handbook(root, "remind", "--out", str(tmp_path / f"eml{limit}"))
        mails = b"".join(p.read_bytes() for p in (tmp_path / f"eml{limit}").glob("*.eml"))
        assert reminders.returncode == 0 and (CANARY.encode() in mails) == published
        built = build(root)
        assert built.has_page("hr/k2") == published and built.has_page("hr/oppen")


def test_the_due_window_comes_from_the_same_reading(tmp_path):
    # 2026-12-01 is 10 days after the tests' today: due with a 30-day window, ok with a 5-day one.
    for days, status in (("30", "due"), ("5", "ok")):
        root = handbook_with_k2(tmp_path / days, mapping_form("1", days))
        report = run_handbook(root, "report", "--format", "json", "--status", "due", "--status", "ok")
        items = [i for g in json.loads(report.stdout)["owners"] for i in g["items"] if i["title"] == "Öppen rutin"]
        assert [i["review_status"] for i in items] == [status]


def test_a_wrong_option_value_is_a_swedish_settings_error_naming_the_option(tmp_path):
    root = handbook_with_k2(tmp_path / "h", mapping_form("tre"))
    for command in (["check"], ["report"], ["remind", "--out", str(tmp_path / "eml")], ["schema", "document"]):
        result = run_handbook(root, *command)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "classification_limit ska vara ett heltal" in result.stderr and "Traceback" not in result.stderr
        assert "Expected type" not in result.stderr
    assert build(root).returncode != 0


def test_check_finds_the_handbook_from_a_sub_folder(tmp_path):
    root = handbook_with_k2(tmp_path / "h", mapping_form("1"))
    result = subprocess.run([str(BIN / "handbook"), "check"], cwd=root / "docs" / "hr", env=environment(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "i 4 filer" in result.stdout  # index.md, the two documents and roles.yml
    outside = subprocess.run([str(BIN / "handbook"), "check"], cwd=tmp_path, env=environment(),
                             capture_output=True, text=True, timeout=120)
    assert outside.returncode == 2 and "hittar ingen mkdocs.yml" in outside.stderr


def test_a_report_with_links_to_this_computer_warns(tmp_path):
    root = handbook_with_k2(tmp_path / "h", mapping_form("1"))
    local = run_handbook(root, "report", "--format", "csv", HANDBOOK_SITE_URL="http://127.0.0.1:8000/")
    real = run_handbook(root, "report", "--format", "csv", HANDBOOK_SITE_URL="https://handbok.tallby.se/")
    assert local.returncode == real.returncode == 0
    assert "handbook: varning: handbokens adress (site_url) är http://127.0.0.1:8000/" in local.stderr
    assert "rapporten" in local.stderr and "varning" not in real.stderr
