"""`handbook preview`: one part of the handbook, with the generated pages it needs, built and served."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import BIN, MORE_ROLES, REPO, Built, document, environment, process, run_handbook, write_handbook

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
ALWAYS = {"", "om/", "processer/", "roller/", "revision/", "nytt/", "klassa/", "tillganglighet/", "mognad/"}


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
    result = run_handbook(handbook, "preview", "--port", "70000")
    assert result.returncode == 2 and "porten 70000 finns inte" in result.stderr
    result = run_handbook(handbook, "preview", "--klassa", "2.3", "--folder", "hr")
    assert result.returncode == 2 and "inte båda" in result.stderr


# -- the command: real servers on 127.0.0.1 ------------------------------------------------------------

# What MkDocs and Material print in English; none of it may reach the owner.
ENGLISH = ("INFO", "WARNING -", "ERROR", "Serving on", "Building documentation", "Documentation built", "Doc file",
           "MkDocs 2", "end of life", "Zensical", "NO_MKDOCS_2_WARNING", "Traceback", "[macros]", "Reloading", "Detected")
ANNONS = 'docs/hr/annons.md:11: warning: okänd nyckel "ownr". Menade du "owner"?'  # the handbook's own line, unchanged
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the server in /proc; PR_SET_PDEATHSIG is Linux's")
STARTED = re.compile(r"Förhandsgranskningen är igång på http://127\.0\.0\.1:(\d+)/")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the next preview binds it
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def poll(url: str, text: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, body = fetch(url)
        if status == 200 and text in body:
            return True
        time.sleep(0.2)
    return False


def navigation(html: str) -> list[str]:
    """The titles in the side navigation (Material's `md-ellipsis` spans)."""
    return [t.strip() for t in re.findall(r'<span class="md-ellipsis">\s*([^<]*?)\s*<', html) if t.strip()]


def alive(pid: int) -> bool:
    """Any thread of `pid` still running (a dying process's main thread is a zombie before the others)."""
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[0] != "Z":
                return True
        except (OSError, IndexError):
            continue
    return False


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid`, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


class Running:
    """A started `handbook preview` (or `make serve`): its output as it comes, its server, its port."""

    def __init__(self, command: list[str], cwd: Path | None = None) -> None:
        env = environment()
        del env["NO_MKDOCS_2_WARNING"]  # the command must silence Material's notice itself
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.servers: list[int] = []

    def _read(self) -> None:
        for raw in self.process.stdout:
            self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, pattern: str, seconds: float = 60) -> re.Match:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if found := re.search(pattern, self.output):
                return found
            if self.process.poll() is not None and not self.reader.is_alive():
                break
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} never appeared:\n{self.output}")

    def started(self) -> int:
        port = int(self.wait_for(STARTED.pattern).group(1))
        self.servers = [pid for pid in self.handbook_children() if "mkdocs" in Path(f"/proc/{pid}/cmdline").read_text()]
        assert self.servers, "the preview runs no mkdocs server"
        return port

    def handbook_children(self) -> list[int]:
        handbook = [self.process.pid, *children(self.process.pid)]  # make → handbook, or handbook itself
        return [child for pid in handbook for child in children(pid)]

    def stop(self, number: int, group: bool = False) -> int:
        if group:
            os.killpg(self.process.pid, number)  # Ctrl+C in a terminal: the whole foreground group
        else:
            self.process.send_signal(number)
        code = self.process.wait(timeout=30)
        self.reader.join(timeout=10)
        return code

    def cleanup(self) -> None:
        """Whatever a failing test left running (its own processes only)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for pid in self.servers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def preview(root: Path, *args: str) -> Running:
    return Running([str(BIN / "handbook"), "--root", str(root), "preview", *args])


def assert_gone(running: Running, port: int) -> None:
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in running.servers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in running.servers if alive(pid)], "the mkdocs server outlived the preview"
    assert port_is_free(port), f"port {port} is still taken"


def guide_quotes() -> list[str]:
    """The preview's lines as the guide quotes them (its text blocks and the rebuild line in the text)."""
    text = (REPO / "docs/skriva-i-handboken/forhandsgranska.md").read_text("utf-8")
    blocks = re.findall(r"^```text\n(.*?)^```", text, re.S | re.M)
    quoted = [line for block in blocks for line in block.splitlines() if line.startswith(("Förhandsgransk", "Sidorna", "Öppna", "Porten"))]
    return quoted + re.findall(r"`(Byggde om [^`]+)`", text)


def as_pattern(line: str) -> str:
    """The quoted line with any number and any page."""
    parts = re.split(r"(docs/\S+?\.md|\d+)", line)
    return "^" + "".join(r"docs/\S+\.md" if p.startswith("docs/") else r"\d+" if p.isdigit() else re.escape(p) for p in parts) + "$"


def assert_swedish(output: str) -> None:
    english = [line for line in output.splitlines() if any(word in line for word in ENGLISH)]
    assert not english, english


@LINUX
def test_a_busy_port_gives_the_next_one_edits_keep_the_navigation_and_sigint_and_sigterm_stop_everything(handbook):
    first = free_port()
    part = preview(handbook, "--klassa", "2.3", "--port", str(first))
    whole = None
    try:
        assert part.started() == first
        whole = preview(handbook, "--port", str(first))  # the whole handbook; its port is taken by the part
        second = whole.started()
        assert second != first
        assert f"Porten {first} är upptagen" in whole.output and f"använder port {second}" in whole.output
        base, other = f"http://127.0.0.1:{first}/", f"http://127.0.0.1:{second}/"
        assert poll(base + "hr/kravprofil/", "Rutin för kravprofil") and poll(other + "ekonomi/budget/", "Riktlinje för budget")
        assert fetch(base + "ekonomi/budget/")[0] == 404  # outside the part

        path = handbook / "docs/hr/kravprofil.md"
        path.write_text(path.read_text("utf-8") + "\nNytt stycke från ägaren.\n\nSe [planen](saknad-plan.md).\n", "utf-8")
        for url in (base, other):
            assert poll(url + "hr/kravprofil/", "Nytt stycke från ägaren."), "the edit never reached the preview"
            titles = navigation(fetch(url + "hr/kravprofil/")[1])
            # Pages the rebuild did not read keep their titles (MkDocs' dirty build left them None).
            assert "None" not in titles and {"Start", "Om handboken"} <= set(titles), titles
        part.wait_for(r"Byggde om efter ändring i docs/hr/kravprofil\.md \(\d+,\d s\)\.")
        whole.wait_for(r"Byggde om efter ändring i docs/hr/kravprofil\.md")
        assert 'docs/hr/kravprofil.md:17: warning: länken "saknad-plan.md" leder till en sida som inte finns.' in whole.output

        assert part.stop(signal.SIGINT) == 130
        assert whole.stop(signal.SIGTERM) == 143
        assert_gone(part, first)
        assert_gone(whole, second)
    finally:
        part.cleanup()
        if whole:
            whole.cleanup()
    for running in (part, whole):
        assert running.lines[-1] == "Förhandsgranskningen är stoppad."
        assert_swedish(running.output)
    assert part.lines[:3] == ["Förhandsgranskar Klassa 2.3 – bygger sidorna …", "Klassa 2.3: 3 dokument och 1 processer; 1 problem "
                              "i resten av handboken visas inte (handbook check visar alla).", ANNONS]
    assert whole.lines[1] == "Förhandsgranskar hela handboken – bygger sidorna …"
    assert re.search(r"^Sidorna är byggda \(\d+,\d s\)\.$", part.output, re.M)
    assert "Adressen /ekonomi/budget/ finns inte i förhandsgranskningen." in part.output
    assert 'docs/ekonomi/budget.md:2: error: decided_by saknas' in whole.output
    quotes = guide_quotes()
    assert len(quotes) == 6 and not [q for q in quotes if not re.search(as_pattern(q), whole.output, re.M)], quotes


@LINUX
def test_a_killed_preview_takes_its_server_with_it(handbook):
    running = preview(handbook, "--folder", "hr", "--port", str(free_port()))
    try:
        port = running.started()
        assert running.stop(signal.SIGKILL) == -signal.SIGKILL  # no handler runs: the kernel stops the server
        assert_gone(running, port)
    finally:
        running.cleanup()


@LINUX
@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_serve_takes_a_port_and_ctrl_c_stops_everything(handbook):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        # -o: the project's .venv counts as set up; BIN: that .venv, from the handbook's folder.
        running = Running(["make", "--no-print-directory", "-f", str(REPO / "Makefile"), "-o", str(BIN / "mkdocs"),
                           "serve", f"PORT={busy}", f"BIN={BIN}"], cwd=handbook)
        try:
            port = running.started()
            assert port != busy and f"Porten {busy} är upptagen" in running.output
            assert poll(f"http://127.0.0.1:{port}/hr/kravprofil/", "Rutin för kravprofil")
            running.stop(signal.SIGINT, group=True)
            assert_gone(running, port)
        finally:
            running.cleanup()
    lines = [line for line in running.lines if not re.match(r"make(\[\d+\])?: \*\*\*", line)]  # make's own word on Ctrl+C
    assert lines[1] == "Förhandsgranskar hela handboken – bygger sidorna …" and lines[-1] == "Förhandsgranskningen är stoppad."
    assert_swedish("\n".join(lines))
