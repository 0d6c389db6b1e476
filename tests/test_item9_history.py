"""Histories fail closed: a commit's message is shown only when every file it touched is published today.

Real git repositories in temporary folders; canaries in the messages of commits that touched a
withheld file that was deleted later, a path that later named another file, a file outside docs/ and
processes/, and a file outside the handbook's folder. Every byte of the built site is searched."""

import gzip
import os
import subprocess
from pathlib import Path

import pytest

from conftest import build, document, write_handbook

HIDDEN = "(meddelandet visas inte: ändringen gällde även innehåll som inte publiceras)"


def git(folder: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Anna", "GIT_AUTHOR_EMAIL": "anna@tallby.se", "GIT_COMMITTER_NAME": "Anna",
           "GIT_COMMITTER_EMAIL": "anna@tallby.se", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def commit(repo: Path, message: str, files: dict[str, str | None]) -> None:
    """Write (or with None delete) the files, relative to the repository, and commit just them."""
    for name, text in files.items():
        path = repo / name
        if text is None:
            git(repo, "rm", "-q", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message)


def site_bytes(site: Path) -> bytes:
    """Every byte of the built site, compressed files unpacked."""
    parts = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        parts.append(gzip.decompress(data) if path.suffix == ".gz" else data)
    return b"\n".join(parts)


def test_a_message_naming_a_deleted_withheld_file_is_never_shown(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/hr/a.md": document("Rutin A"), "docs/hr/b.md": document("Rutin B")})
    git(root, "init", "-q")
    commit(root, "Första versionen", {"docs/index.md": "# Start\n", "docs/hr/a.md": document("Rutin A"),
                                      "docs/hr/b.md": document("Rutin B"), "processes/roles.yml": (root / "processes/roles.yml").read_text()})
    commit(root, "Rutin A pekar på DELETEDCANARY4411", {"docs/hr/a.md": document("Rutin A", version="1.1"),
                                                       "docs/hr/hemlig.md": document("Hemlig", information_class="K3")})
    commit(root, "Städning", {"docs/hr/hemlig.md": None})
    # A withheld file, deleted, and a public one that took its path later: the old commit is not about today's file.
    commit(root, "Ny plan RECREATEDCANARY4411", {"docs/hr/b.md": document("Rutin B", version="1.1"),
                                                 "docs/hr/plan.md": document("Plan", information_class="K4")})
    commit(root, "Tog bort", {"docs/hr/plan.md": None})
    commit(root, "Ny offentlig plan", {"docs/hr/plan.md": document("Offentlig plan")})
    # A file outside docs/ and processes/ could be anything.
    commit(root, "Anteckning OUTSIDECANARY4411", {"docs/hr/a.md": document("Rutin A", version="1.2"),
                                                  "anteckningar/hemligt.txt": "x\n"})
    commit(root, "Rutin A med ny roll", {"docs/hr/a.md": document("Rutin A", version="1.3"),
                                         "processes/roles.yml": (root / "processes/roles.yml").read_text() + "ny: {name: Ny}\n"})
    commit(root, "Rutin B flyttad", {"docs/hr/b.md": None, "docs/hr/c.md": document("Rutin B", version="1.1")})

    built = build(root)
    assert built.returncode == 0, built.output
    everything = site_bytes(built.site)
    for canary in (b"DELETEDCANARY4411", b"RECREATEDCANARY4411", b"OUTSIDECANARY4411"):
        assert canary not in everything, canary
    a, c, plan = built.page("hr/a"), built.page("hr/c"), built.page("hr/plan")
    assert a.count(HIDDEN) == 2  # the deleted file's commit and the one with a file outside the handbook's folders
    assert "Rutin A med ny roll" in a and "Första versionen" in a  # roles.yml is a public register
    assert "Rutin B flyttad" in c and "Första versionen" in c and c.count(HIDDEN) == 1
    assert "Ny offentlig plan" in plan and HIDDEN not in plan  # today's plan.md has its own history only
    assert "Versionshistorik (1 version)" in plan


def test_a_handbook_in_a_folder_of_a_repository_sees_files_outside_it(tmp_path):
    repo = tmp_path / "repo"
    root = write_handbook(repo / "handbok", {"docs/a.md": document("Rutin A")})
    git(repo, "init", "-q")
    commit(repo, "Första versionen", {"handbok/docs/index.md": "# Start\n", "handbok/docs/a.md": document("Rutin A")})
    commit(repo, "Rutin A och SUBFOLDERCANARY4411", {"handbok/docs/a.md": document("Rutin A", version="1.1"),
                                                     "hemligt/lista.md": "x\n"})
    commit(repo, "Rutin A, version 1.2", {"handbok/docs/a.md": document("Rutin A", version="1.2")})
    built = build(root)
    assert built.returncode == 0, built.output
    assert b"SUBFOLDERCANARY4411" not in site_bytes(built.site)
    page = built.page("a")
    assert "Rutin A, version 1.2" in page and "Första versionen" in page and page.count(HIDDEN) == 1
