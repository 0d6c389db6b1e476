"""`handbook preview`: one part of the handbook, with the generated pages it needs, built and served."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import BIN, MORE_ROLES, Built, document, environment, process, run_handbook, write_handbook

KLASSA = {"2.3.2.1": "Rekrytering", "2.4.1.1": "Budgetprocessen"}
FILES = {
    "docs/index.md": "# Start\n\nVälkommen.\n",
    "docs/om.md": "# Om handboken\n\nHjälp.\n",
    "docs/hr/kravprofil.md": document("Rutin för kravprofil", "Se [budgeten](../ekonomi/budget.md).\n", klassa="2.3.2.1"),
    "docs/hr/annons.md": document("Mall för annons", klassa="2.3.2", owner="hr-konsult", ownr="typo"),
    "docs/hr/hemlig.md": document("Hemlig rutin", klassa="2.3.2", information_class="K3"),
    "docs/ekonomi/budget.md": document("Riktlinje för budget", klassa="2.4.1.1", owner="chef", doc_type="riktlinje", decided_by=None),
    "docs/ekonomi/attest.md": document("Rutin för attest", klassa="2.4.1", owner="chef", processes=["rekrytering"]),
    "processes/rekrytering.yml": process("rekrytering", [
        {"id": "behov", "name": "Analysera behov", "role": "chef", "documents": ["hr/kravprofil.md"]},
        {"id": "budget", "name": "Kontrollera budget", "role": "hr-chef", "documents": ["ekonomi/budget.md"]}],
        klassa="2.3.2.1"),
    "processes/budget.yml": process("budget", [
        {"id": "plan", "name": "Planera", "role": "registrator", "documents": ["ekonomi/budget.md"]}],
        klassa="2.4.1.1", owner="chef"),
}
ALWAYS = {"", "om/", "processer/", "roller/", "revision/", "nytt/", "klassa/"}


def build_part(root: Path, strict: bool = False, **variables: str) -> Built:
    site = root / "site"
    command = [str(BIN / "mkdocs"), "build", "--clean", "-d", str(site)] + (["--strict"] if strict else [])
    result = subprocess.run(command, cwd=root, env=environment(**variables), capture_output=True, text=True, timeout=600)
    return Built(root, site, result.returncode, result.stdout + result.stderr)


def pages(built: Built) -> set[str]:
    return {p.parent.relative_to(built.site).as_posix().removeprefix(".") + "/" if p.parent != built.site else ""
            for p in built.site.rglob("index.html") if not p.relative_to(built.site).as_posix().startswith(("assets/", "search/"))}


@pytest.fixture
def handbook(tmp_path) -> Path:
    return write_handbook(tmp_path / "handbook", FILES, roles=MORE_ROLES, klassa=KLASSA)


def test_a_klassa_prefix_builds_exactly_its_documents_processes_and_generated_pages(handbook):
    built = build_part(handbook, HANDBOOK_PREVIEW_KLASSA="2.3")
    assert built.returncode == 0, built.output
    roles = {"roller/chef/", "roller/hr-chef/", "roller/hr-konsult/"}  # registrator appears only in budget
    klassa = {"klassa/2/", "klassa/2.3/", "klassa/2.3.2/", "klassa/2.3.2.1/"}
    assert pages(built) == ALWAYS | {"hr/kravprofil/", "hr/annons/", "processer/rekrytering/"} | roles | klassa
    catalog = built.catalog
    assert [d["path"] for d in catalog["documents"]] == ["hr/annons.md", "hr/kravprofil.md"]
    assert [p["id"] for p in catalog["processes"]] == ["rekrytering"]
    # The whole handbook is read: the process page still names the budget document, which lies outside the part.
    assert "Riktlinje för budget" in built.page("processer/rekrytering")
    # Problems of the part are warnings; those elsewhere are counted (budget.md lacks decided_by).
    assert re.search(r"docs/hr/annons\.md:\d+: warning: okänd nyckel", built.output)
    assert "ekonomi/budget.md:" not in built.output
    assert "1 problem i resten av handboken visas inte" in built.output
    assert "Traceback" not in built.output


def test_strict_preview_fails_on_the_parts_own_problems_only(handbook):
    (handbook / "docs/hr/annons.md").write_text(document("Mall för annons", klassa="2.3.2", owner="hr-konsult"), "utf-8")
    # The link from the rutin to ekonomi/ leaves the part: INFO, so --strict passes.
    built = build_part(handbook, strict=True, HANDBOOK_PREVIEW_KLASSA="2.3")
    assert built.returncode == 0, built.output
    assert "ekonomi/budget.md" in built.output and "INFO" in built.output
    assert build_part(handbook, strict=True, HANDBOOK_PREVIEW_KLASSA="2.4").returncode == 1  # budget.md is in that part


def test_a_folder_builds_its_documents_and_the_processes_that_name_them(handbook):
    built = build_part(handbook, HANDBOOK_PREVIEW_FOLDER="ekonomi/")
    assert built.returncode == 0 and "docs/ekonomi/budget.md:" in built.output  # its own problem, in this part
    found = pages(built)
    assert {"ekonomi/budget/", "ekonomi/attest/", "processer/rekrytering/", "processer/budget/"} <= found
    assert not {p for p in found if p.startswith("hr/")}
    assert {"klassa/2.4.1.1/", "klassa/2.3.2.1/"} <= found  # the branches of the kept processes


def test_a_part_that_does_not_exist_is_a_swedish_error(handbook):
    built = build_part(handbook, HANDBOOK_PREVIEW_KLASSA="2.33")
    assert built.returncode == 1 and 'Klassa-koden "2.33" finns inte. Menade du "2.3.3"?' in built.output
    assert "Traceback" not in built.output
    result = run_handbook(handbook, "preview", "--folder", "hrr")
    assert result.returncode == 2 and 'mappen docs/hrr/ finns inte. Menade du "hr"?' in result.stderr
    result = run_handbook(handbook, "preview")
    assert result.returncode == 2 and "ange en del av handboken" in result.stderr
    result = run_handbook(handbook, "preview", "--klassa", "2.3", "--folder", "hr")
    assert result.returncode == 2 and "inte båda" in result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def poll(url: str, text: str, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, body = fetch(url)
        if status == 200 and text in body:
            return True
        time.sleep(0.2)
    return False


def test_preview_serves_the_part_and_shows_a_saved_edit(handbook):
    port = free_port()
    server = subprocess.Popen([str(BIN / "handbook"), "--root", str(handbook), "preview", "--klassa", "2.3", "--port", str(port)],
                              env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert poll(base + "hr/kravprofil/", "Rutin för kravprofil"), "the preview never served the page"
        assert fetch(base + "ekonomi/budget/")[0] == 404
        path = handbook / "docs/hr/kravprofil.md"
        path.write_text(path.read_text("utf-8") + "\nNytt stycke från ägaren.\n", "utf-8")
        assert poll(base + "hr/kravprofil/", "Nytt stycke från ägaren."), "the edit never reached the preview"
    finally:
        os.killpg(server.pid, signal.SIGINT)  # the server's own session, started above
        try:
            output = server.communicate(timeout=30)[0].decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            output = server.communicate()[0].decode("utf-8", "replace")
    assert "Förhandsgranskar Klassa 2.3 på http://127.0.0.1:" in output and "Traceback" not in output
    assert "Detected file changes" in output and "'dirty' build" not in output
