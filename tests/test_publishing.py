"""Nightly publishing with git repositories in tmp folders: history, version stamp, "Nytt och ändrat"."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path


from conftest import BIN, MORE_ROLES, build, document, environment, process, run_handbook, write_handbook

TODAY = "2026-11-21"
HISTORY_ROW = re.compile(r'<li class="hb-history__entry"><time datetime="[^"]*">([^<]*)</time> ([^<]*)</li>')
VERSION = re.compile(r'<span class="hb-version__number">Version ([^<]*)</span>')
STATUS = re.compile(r' <span class="hb-status">.*?</span></span>')  # state and review status, tested in test_status_language
CHANGE = re.compile(r'<li class="hb-change" data-change="(\w+)" data-kind="(\w+)"(?: data-key="([^"]*)")?[^>]*>(.*?)</li>')


def git(root: Path, *args: str, when: str = "2026-01-10T10:00:00+01:00", author: str = "Anna Andersson") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": "anna@tallby.se", "GIT_AUTHOR_DATE": when,
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": "anna@tallby.se", "GIT_COMMITTER_DATE": when,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout.strip()


def commit(root: Path, message: str, **kwargs) -> str:
    git(root, "add", "-A", "docs", "processes")
    git(root, "commit", "-q", "-m", message, **kwargs)
    return git(root, "rev-parse", "--short", "HEAD")


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")


def build_with_path(root: Path, path: str) -> subprocess.CompletedProcess:
    env = environment(TODAY, PATH=path)
    return subprocess.run([str(BIN / "mkdocs"), "build", "-d", str(root / "site")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def history_rows(html: str) -> list[tuple[str, str]]:
    return HISTORY_ROW.findall(html)


def test_history_on_pages_from_one_git_log(tmp_path):
    root = write_handbook(tmp_path / "h", {
        "docs/hr/a.md": document("Rutin A"),
        "docs/hr/b.md": document("Rutin B"),
        "processes/p.yml": process("p", [{"id": "s", "name": "Steg", "role": "hr-chef"}]),
    })
    git(root, "init", "-q")
    first = commit(root, "Första versionen")
    write(root, {"docs/hr/a.md": document("Rutin A", version="1.1")})
    second = commit(root, "Rättade stavfel i A & B", when="2026-03-05T09:00:00+01:00", author="Örjan Åberg")
    git(root, "mv", "docs/hr/b.md", "docs/hr/c.md")
    moved = commit(root, "Flyttade B", when="2026-04-01T09:00:00+02:00")
    write(root, {"processes/p.yml": process("p", [{"id": "s", "name": "Steg", "role": "hr-chef"}], version="2.0")})
    third = commit(root, "Ny version av processen", when="2026-05-01T09:00:00+02:00")
    write(root, {"docs/hr/a.md": document("Rutin A", version="1.2"),
                 "docs/hr/hemlig.md": document("Hemlig rutin", information_class="K3")})
    secret = commit(root, "Rutin A pekar nu på HEMLIGA rutinen", when="2026-06-01T09:00:00+02:00")

    shim = tmp_path / "shim"
    shim.mkdir()
    calls = tmp_path / "git-calls.txt"
    (shim / "git").write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{calls}"\nexec "{shutil.which("git")}" "$@"\n', "utf-8")
    (shim / "git").chmod(0o755)
    result = build_with_path(root, f"{shim}{os.pathsep}{os.environ['PATH']}")
    assert result.returncode == 0, result.stderr

    site = root / "site"
    page = lambda url: (site / url / "index.html").read_text("utf-8")
    assert history_rows(page("hr/a")) == [
        ("2026-06-01", "(meddelandet visas inte: ändringen gällde även innehåll som inte publiceras)"),
        ("2026-03-05", "Rättade stavfel i A &amp; B"),
        ("2026-01-10", "Första versionen"),
    ]
    assert VERSION.findall(page("hr/a")) == ["1.2", "1.1", "1.0"]
    assert history_rows(page("hr/c")) == [("2026-04-01", "Flyttade B"), ("2026-01-10", "Första versionen")]
    assert VERSION.findall(page("hr/c")) == ["1.0"]  # moved, not a new version
    assert VERSION.findall(page("processer/p")) == ["2.0", "1.0"]
    assert "Versionshistorik (3 versioner)" in page("hr/a") and "HEMLIG" not in page("hr/a")
    # Versions, not commits: no committer and no hash.
    history = page("hr/a").split('<details class="hb-history">')[1].split("</details>")[0]
    assert "Örjan" not in history and not any(h in history for h in (first, second, third, moved, secret))

    # The handbook's own git calls (mkdocs-macros makes its own, a fixed few): the stamp, ONE log for all
    # files and ONE cat-file for the contents of the versions.
    ours = [line.split(" ") for line in calls.read_text("utf-8").splitlines() if line.startswith("-c log.showSignature=false")]
    assert [call[4] for call in ours] == ["rev-parse", "log", "cat-file"]
    assert ours[1][-3:] == ["--", "docs", "processes"]


def test_outside_git_or_without_git_the_build_works_with_less(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/hr/a.md": document("Rutin A")})
    built = build(root)
    assert built.returncode == 0, built.output
    html = built.page("hr/a")
    assert "hb-history" not in html and "Publicerad version 2026-11-21 · ingen git" in html
    assert built.catalog["version"] == {"date": TODAY, "commit": "ingen git", "name": None, "label": "2026-11-21 · ingen git"}

    git(root, "init", "-q")
    commit(root, "Första versionen")
    no_git = build_with_path(root, str(tmp_path / "ingen-git-har"))
    assert no_git.returncode == 0, no_git.stderr
    html = (root / "site/hr/a/index.html").read_text("utf-8")
    assert "hb-history" not in html and "· ingen git" in html


def nightly(root: Path, site: Path, previous: Path, today: str, *extra: str) -> subprocess.CompletedProcess:
    return run_handbook(root, "publish", "--site-dir", str(site), "--previous", str(previous), *extra, today=today)


def changes(site: Path) -> list[tuple[str, str, str, str]]:
    html = (site / "nytt/index.html").read_text("utf-8")
    return [(kind, item, key, re.sub(r"<[^>]+>", "", STATUS.sub("", text))) for kind, item, key, text in CHANGE.findall(html)]


def test_two_nightly_runs_in_a_row(tmp_path):
    steps = [{"id": "s", "name": "Steg", "role": "chef"}]
    root = write_handbook(tmp_path / "h", {
        "docs/hr/a.md": document("Rutin A"),
        "docs/hr/b.md": document("Policy B", doc_type="policy"),
        "docs/hr/d.md": document("Rutin D"),
        "docs/hr/e.md": document("Rutin E"),
        "docs/hr/f.md": document("Gammal titel"),
        "docs/hr/same.md": document("Oförändrad", review_date="2026-01-01"),
        "processes/p.yml": process("p", steps, owner="chef"),
        "processes/q.yml": process("q", steps, owner="chef"),
    }, roles=MORE_ROLES)
    git(root, "init", "-q")
    first = commit(root, "Första versionen")
    site, previous = tmp_path / "publicerad", tmp_path / "state" / "handbook.json"

    one = nightly(root, site, previous, "2026-11-20", "--label", "nattlig")
    assert one.returncode == 0, one.stdout + one.stderr
    assert "Nytt och ändrat: ingen tidigare version att jämföra med." in one.stdout
    stamp = json.loads((site / "handbook.json").read_text("utf-8"))["version"]
    assert stamp == {"date": "2026-11-20", "commit": first, "name": "nattlig", "label": f"2026-11-20 · {first} · nattlig"}
    assert f"Publicerad version 2026-11-20 · {first} · nattlig" in (site / "hr/a/index.html").read_text("utf-8")
    assert 'data-previous=""' in (site / "nytt/index.html").read_text("utf-8") and changes(site) == []
    assert previous.read_bytes() == (site / "handbook.json").read_bytes()

    write(root, {
        "docs/hr/a.md": document("Rutin A", version="1.1"),
        "docs/hr/b.md": document("Policy B", doc_type="policy", state="upphävd"),
        "docs/hr/c.md": document("Ny rutin C"),
        "docs/hr/e.md": document("HEMLIG E", information_class="K3"),
        "docs/hr/f.md": document("Ny titel"),
        "processes/p.yml": process("p", steps, owner="chef", version="2.0"),
    })
    (root / "docs/hr/d.md").unlink()
    second = commit(root, "Ny version av A, ny rutin C, upphäv B", when="2026-11-20T18:00:00+01:00")

    two = nightly(root, site, previous, "2026-11-21")
    assert two.returncode == 0, two.stdout + two.stderr
    assert changes(site) == [
        ("added", "document", "hr/c.md", "Ny rutin C Rutin"),
        ("changed", "document", "hr/f.md", "Ny titel Rutin: tidigare namn: Gammal titel"),
        ("changed", "process", "p", "P Process: version 1.0 → 2.0"),
        ("changed", "document", "hr/a.md", "Rutin A Rutin: version 1.0 → 1.1"),
        ("repealed", "document", "hr/b.md", "Policy B Policy: status fastställd → upphävd"),
        ("removed", "document", "hr/d.md", "Rutin D Rutin"),
        ("removed", "document", "", "Ett dokument som inte längre publiceras Rutin"),
    ]
    html = (site / "nytt/index.html").read_text("utf-8")
    assert f'data-previous="2026-11-20 · {first} · nattlig"' in html and f"Den här versionen: 2026-11-21 · {second}." in html
    assert "HEMLIG" not in html and "hr/e.md" not in html
    assert "nya 1, ändrade 3, upphävda 1, borttagna 2" in two.stdout
    assert json.loads(previous.read_text("utf-8"))["version"]["commit"] == second


def test_metadata_errors_block_only_with_strict_and_late_reviews_never(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/a.md": document("Sen rutin", review_date="2020-01-01"),
                                           "docs/b.md": document("Trasig rutin", owner="okand-roll")})
    state = tmp_path / "state.json"
    strict = nightly(root, tmp_path / "strikt", state, TODAY, "--strict")
    assert strict.returncode == 1 and "okänd roll" in strict.stderr and "publiceringen misslyckades" in strict.stderr
    assert not (tmp_path / "strikt").exists() and not state.exists()

    relaxed = nightly(root, tmp_path / "site", state, TODAY)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "hb-banner--error" in (tmp_path / "site/b/index.html").read_text("utf-8")
    assert "1 fel" in relaxed.stdout and state.is_file()

    (root / "docs/b.md").unlink()
    late_only = nightly(root, tmp_path / "site", state, TODAY, "--strict")
    assert late_only.returncode == 0, late_only.stderr
    assert 'data-review-status="overdue"' in (tmp_path / "site/a/index.html").read_text("utf-8")


def test_failed_build_or_unreadable_previous_version_fails(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/a.md": document("Rutin")})
    broken = tmp_path / "trasig.json"
    broken.write_text("{inte json", "utf-8")
    unreadable = nightly(root, tmp_path / "site", broken, TODAY)
    assert unreadable.returncode == 1 and "förra versionens handbook.json kan inte läsas" in unreadable.stderr
    assert "Traceback" not in unreadable.stderr + unreadable.stdout

    yml = root / "mkdocs.yml"
    settings = yml.read_text("utf-8")
    yml.write_text(settings.replace("name: material", "name: finns-inte"), "utf-8")
    state = tmp_path / "state.json"
    unknown_theme = nightly(root, tmp_path / "site", state, TODAY)  # read as MkDocs reads it: a settings error
    assert unknown_theme.returncode == 2 and "inställningarna kan inte läsas" in unknown_theme.stderr
    assert not (tmp_path / "site").exists() and not state.exists()

    yml.write_text(settings.replace("strict: false", "strict: true"), "utf-8")
    (root / "docs/a.md").write_text(document("Rutin", "[Trasig länk](finns-inte.md)\n"), "utf-8")
    failed = nightly(root, tmp_path / "site", state, TODAY)
    assert failed.returncode == 1 and "mkdocs build misslyckades" in failed.stderr
    assert not (tmp_path / "site").exists() and not state.exists()
