"""Shared helpers: write small handbooks in tmp_path, build them with the real MkDocs, run `handbook`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TODAY = "2026-11-21"

ROLES = {"hr-chef": {"name": "HR-chef", "description": "Leder HR-avdelningen", "contact": "hr@example.se"}}
MORE_ROLES = {
    **ROLES,
    "hr-konsult": {"name": "HR-konsult", "contact": "hr-konsult@example.se"},
    "chef": {"name": "Rekryterande chef", "contact": "chef@example.se"},
    "registrator": {"name": "Registrator", "contact": "registrator@example.se"},
}

DOCUMENT_DEFAULTS = {
    "doc_type": "rutin",
    "klassa": "2.3.2",
    "owner": "hr-chef",
    "version": "1.0",
    "review_date": "2027-06-30",
    "state": "fastställd",
    "valid_from": "2025-01-01",
    "decided_by": "Kommunstyrelsen",
}


def front_matter(fields: dict) -> str:
    """Front matter as an author writes it: plain `key: value` lines, values unquoted."""
    lines = []
    for key, value in fields.items():
        if isinstance(value, (list, dict)):
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        else:
            lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n"


def document(title: str, body: str = "Innehåll.\n", **fields) -> str:
    meta = {"title": title, **DOCUMENT_DEFAULTS, **fields}
    meta = {k: v for k, v in meta.items() if v is not None}
    return front_matter(meta) + "\n" + body


def process(pid: str, steps: list[dict], **fields) -> str:
    data = {"id": pid, "name": pid.capitalize(), "klassa": "2.3.2", "owner": "hr-chef", "version": "1.0",
            "review_date": "2027-06-30", "state": "fastställd", "purpose": "Syfte.", "trigger": "Start",
            "customer": "Mottagare", "result": "Resultat", "steps": steps, **fields}
    return yaml.safe_dump({k: v for k, v in data.items() if v is not None}, allow_unicode=True, sort_keys=False)


@dataclass
class Built:
    root: Path
    site: Path
    returncode: int
    output: str

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text("utf-8")

    def has_page(self, url: str) -> bool:
        return (self.site / url / "index.html").is_file()

    @property
    def catalog(self) -> dict:
        return json.loads((self.site / "handbook.json").read_text("utf-8"))


def project_mkdocs_yml(site_url: bool = True) -> str:
    """The project's own mkdocs.yml; without site_url, as a handbook that has not set one."""
    text = (REPO / "mkdocs.yml").read_text("utf-8")
    return text if site_url else "\n".join(line for line in text.splitlines() if not line.startswith("site_url:")) + "\n"


def write_handbook(root: Path, files: dict[str, str], roles: dict | None = ROLES, klassa: dict | None = None,
                   mkdocs_yml: str | None = None) -> Path:
    """A handbook folder with the project's own mkdocs.yml and overrides/ and the given files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(mkdocs_yml or (REPO / "mkdocs.yml").read_text("utf-8"), "utf-8")
    shutil.copytree(REPO / "overrides", root / "overrides", dirs_exist_ok=True)
    all_files = {"docs/index.md": "# Start\n\nVälkommen.\n", **files}
    if roles is not None:
        all_files.setdefault("processes/roles.yml", yaml.safe_dump(roles, allow_unicode=True, sort_keys=False))
    if klassa is not None:
        all_files.setdefault("processes/klassa.yml", yaml.safe_dump(klassa, allow_unicode=True, sort_keys=False))
    for name, content in all_files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8")
    return root


def environment(today: str = TODAY, **extra) -> dict:
    env = {**os.environ, "HANDBOOK_TODAY": today, "NO_MKDOCS_2_WARNING": "1", **extra}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def build(root: Path, strict: bool = False, today: str = TODAY, site: Path | None = None, **env: str) -> Built:
    site = site or root / "site"
    command = [str(BIN / "mkdocs"), "build", "--clean", "-d", str(site)] + (["--strict"] if strict else [])
    result = subprocess.run(command, cwd=root, env=environment(today, **env), capture_output=True, text=True, timeout=600)
    return Built(root, site, result.returncode, result.stdout + result.stderr)


def run_handbook(root: Path, *args: str, today: str = TODAY, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "handbook"), "--root", str(root), *args], env=environment(today, **env),
                          capture_output=True, text=True, timeout=600)


def preview_until(root: Path, end, timeout: float = 60, **env: str) -> list[str]:
    """The lines `handbook preview` prints until one matches the pattern `end`; then it is stopped as Ctrl+C does."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([str(BIN / "handbook"), "preview", "--port", str(port)], cwd=root,
                               env=environment(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not (lines and end.match(lines[-1])):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    return lines


@pytest.fixture
def make_handbook(tmp_path):
    def make(files: dict[str, str], **kwargs) -> Path:
        return write_handbook(tmp_path / "handbook", files, **kwargs)
    return make


def pytest_collection_modifyitems(items):
    """Tests of modules that drive Chromium are marked `browser`: `make test-fast` leaves them out."""
    for item in items:
        module = getattr(item, "module", None)
        uses = hasattr(module, "Browser") or hasattr(module, "served_site") or "browser" in getattr(item, "fixturenames", ())
        if module is not None and uses:
            item.add_marker(pytest.mark.browser)
