"""`handbook publish` switches a whole new site in, or leaves the live one byte for byte as it was.

One handbook is published once per module; each test works on a copy of it (handbook, live site and
kept catalog), so only the runs a test is about cost a build.
"""

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BIN, document, environment, process, run_handbook, write_handbook

NIGHT_ONE, NIGHT_TWO = "NATT-ETT-c41f", "NATT-TVA-9be2"
NEW_PREFIX = ".site.ny-"


def tree(folder: Path) -> dict[str, str]:
    """Every folder, link and file under `folder`, files by the hash of their bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = "link " + os.readlink(path)
        elif path.is_dir():
            found[name] = "folder"
        else:
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def sources(canary: str) -> dict[str, str]:
    return {"docs/hr/a.md": document("Rutin A", f"Text {canary}.\n"),
            "docs/hr/b.md": document("Rutin B"),
            "processes/p.yml": process("p", [{"id": "s", "name": "Steg", "role": "hr-chef"}])}


@pytest.fixture(scope="module")
def night_one(tmp_path_factory) -> Path:
    """A folder with a handbook `h/` whose first version is published in `site/`."""
    folder = tmp_path_factory.mktemp("natt")
    root = write_handbook(folder / "h", sources(NIGHT_ONE))
    result = run_handbook(root, "publish", "--site-dir", str(folder / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


class Copy:
    def __init__(self, night_one: Path, tmp_path: Path):
        self.folder = tmp_path / "w"
        shutil.copytree(night_one, self.folder, symlinks=True)
        self.root, self.site = self.folder / "h", self.folder / "site"
        self.kept = self.folder / ".site.forra"
        self.previous = self.root / ".handbook/senast-publicerad.json"

    def publish(self, *args: str) -> subprocess.CompletedProcess:
        return run_handbook(self.root, "publish", "--site-dir", str(self.site), *args)

    def start(self) -> subprocess.Popen:
        return subprocess.Popen([str(BIN / "handbook"), "--root", str(self.root), "publish", "--site-dir", str(self.site)],
                                env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def next_night(self, canary: str = NIGHT_TWO) -> None:
        write_handbook(self.root, sources(canary))

    def leftovers(self) -> list[str]:
        return [entry.name for entry in self.folder.iterdir() if entry.name.startswith(NEW_PREFIX)]

    def new_folder(self, old: list[str]) -> Path | None:
        """The folder the running publish builds in (not one that a killed run left)."""
        return next((self.folder / name for name in self.leftovers() if name not in old), None)


@pytest.fixture
def copy(night_one, tmp_path) -> Copy:
    return Copy(night_one, tmp_path)


def quiet(result) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    return output


def builds(pid: int) -> list[int]:
    """The `mkdocs build` processes whose parent is `pid`, read from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat_fields(int(entry))
            try:
                command = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if fields and int(fields[1]) == pid and b"mkdocs" in command and b"build" in command:
                found.append(int(entry))
    return found


def stat_fields(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name: state, parent, ..."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def running(pid: int) -> bool:
    fields = stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def wait_for(condition, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.003)
    raise AssertionError(f"väntade förgäves på {what}")


def test_two_nights_switch_the_whole_site_and_rollback_restores_it_byte_for_byte(copy):
    first = tree(copy.site)
    assert NIGHT_ONE in (copy.site / "hr/a/index.html").read_text("utf-8")
    assert not copy.kept.exists() and copy.leftovers() == []

    copy.next_night()
    two = copy.publish("--label", "nattlig")
    assert two.returncode == 0, quiet(two)
    assert "Publicerade version 2026-11-21 · ingen git · nattlig" in two.stdout
    second = tree(copy.site)
    assert NIGHT_TWO in (copy.site / "hr/a/index.html").read_text("utf-8")
    assert tree(copy.kept) == first  # last night's site, kept whole for --rollback
    assert copy.previous.read_bytes() == (copy.site / "handbook.json").read_bytes()
    assert os.stat(copy.site).st_mode & 0o055 == 0o055  # the web server can read the switched-in folder
    assert sorted(entry.name for entry in copy.folder.iterdir()) == [".site.forra", "h", "site"]

    back = copy.publish("--rollback")
    assert back.returncode == 0, quiet(back)
    assert "Återställde förra versionen 2026-11-21 · ingen git i" in back.stdout
    assert tree(copy.site) == first and tree(copy.kept) == second
    assert copy.previous.read_bytes() == (copy.site / "handbook.json").read_bytes()  # next night compares with what is live

    again = copy.publish("--rollback")  # undoes the rollback
    assert again.returncode == 0, quiet(again)
    assert tree(copy.site) == second and tree(copy.kept) == first

    copy.next_night("NATT-TRE-55d0")
    three = copy.publish()
    assert three.returncode == 0, quiet(three)
    assert tree(copy.kept) == second  # only one previous site is kept
    assert sorted(entry.name for entry in copy.folder.iterdir()) == [".site.forra", "h", "site"]


def test_rollback_with_nothing_to_roll_back_is_an_error(copy):
    before = tree(copy.folder)
    result = copy.publish("--rollback")
    assert result.returncode == 2
    assert "det finns ingen tidigare version att återställa" in quiet(result) and str(copy.kept) in result.stderr
    assert tree(copy.folder) == before


HOOK = """def on_post_page(output, page, config):
    if page.url == "hr/b/":
        raise RuntimeError("bygget kraschar mitt i")
    return output
"""


# Strict mode stops MkDocs after every page and handbook.json are written, so only the exit status
# tells; a hook that raises stops it half way.
@pytest.mark.parametrize("old, new, page", [
    ("strict: false", "strict: true", "[Trasig länk](finns-inte.md)\n"),
    ("strict: false", "strict: false\nhooks: [krasch.py]", ""),
], ids=["strict med trasig länk", "krasch mitt i"])
def test_a_failed_build_leaves_the_live_site_and_the_kept_catalog_untouched(copy, old, new, page):
    site, catalog = tree(copy.site), copy.previous.read_bytes()
    copy.next_night()
    (copy.root / "docs/hr/b.md").write_text(document("Rutin B", page or "Innehåll.\n"), "utf-8")
    (copy.root / "krasch.py").write_text(HOOK, "utf-8")
    yml = copy.root / "mkdocs.yml"
    assert old in yml.read_text("utf-8")
    yml.write_text(yml.read_text("utf-8").replace(old, new), "utf-8")
    result = copy.publish()
    assert result.returncode == 1
    assert "mkdocs build misslyckades" in result.stderr and "Den publicerade webbplatsen är orörd" in result.stderr
    assert tree(copy.site) == site and copy.previous.read_bytes() == catalog
    assert copy.leftovers() == [] and not copy.kept.exists()


def test_settings_that_cannot_be_read_stop_before_anything_is_touched(copy):
    yml = copy.root / "mkdocs.yml"
    yml.write_text(yml.read_text("utf-8").replace("  - admonition\n", "  - admonition\n  - finns_inte_alls\n"), "utf-8")
    before = tree(copy.folder)
    result = copy.publish()
    assert result.returncode == 2 and "finns_inte_alls" in quiet(result)
    assert tree(copy.folder) == before


def moment_after(seconds: float):
    return lambda copy, started, old: time.monotonic() - started >= seconds


def moment_file(name: str | None):
    def reached(copy, started, old):
        new = copy.new_folder(old)
        return new is not None and (name is None or (new / name).exists())
    return reached


def test_sigkill_at_any_moment_leaves_last_nights_site_and_the_next_run_cleans_up(copy):
    before, catalog = tree(copy.site), copy.previous.read_bytes()
    copy.next_night()
    seen = {}
    moments = {"0,3 s": moment_after(0.3), "1 s": moment_after(1.0), "ny mapp": moment_file(None),
               "index.html": moment_file("index.html"), "handbook.json": moment_file("handbook.json")}
    for name, moment in moments.items():
        old, started = copy.leftovers(), time.monotonic()
        publishing = copy.start()
        wait_for(lambda: moment(copy, started, old) or publishing.poll() is not None, name)
        assert publishing.poll() is None, f"{name}: publiceringen hann bli klar"
        started_builds = builds(publishing.pid)
        assert started_builds or name != "index.html"
        publishing.kill()
        publishing.communicate()
        wait_for(lambda: not any(running(pid) for pid in started_builds), f"att bygget dör med publiceringen ({name})", 10)
        seen[name] = (tree(copy.site), copy.previous.read_bytes())
    assert copy.leftovers()  # killed runs leave their half-built folders ...

    after = copy.publish()
    assert after.returncode == 0, quiet(after)
    assert copy.leftovers() == []  # ... which the next run removes
    assert NIGHT_TWO in (copy.site / "hr/a/index.html").read_text("utf-8")
    tonight = (tree(copy.site), copy.previous.read_bytes())
    for name, state in seen.items():
        if name == "handbook.json":  # the build had finished: the kill may land after the switch, never inside it
            assert state in ((before, catalog), tonight), name
        else:
            assert state == (before, catalog), name


def terminated(pid: int) -> bool:
    """Whether a stopped process got SIGTERM: pending (were it handled), or dead (its default action kills at once)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    pending = [int(line.split()[1], 16) for line in status.splitlines() if line.startswith(("SigPnd:", "ShdPnd:"))]
    return not running(pid) or any(mask & 1 << (signal.SIGTERM - 1) for mask in pending)


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_the_build_and_the_live_site_stays(copy, signum, code):
    before, catalog = tree(copy.site), copy.previous.read_bytes()
    copy.next_night()
    publishing = copy.start()
    build = wait_for(lambda: builds(publishing.pid) or publishing.poll() is not None, "bygget")
    assert publishing.poll() is None
    [build] = build
    os.kill(build, signal.SIGSTOP)  # stopped, the build cannot end by itself: what happens to it is the signal's doing
    try:
        publishing.send_signal(signum)
        wait_for(lambda: terminated(build), "att bygget stoppas", 10)
    finally:
        try:
            os.kill(build, signal.SIGCONT)
        except ProcessLookupError:
            pass
    out, err = publishing.communicate(timeout=60)
    assert publishing.returncode == code, out + err
    assert "publiceringen avbröts" in err and "Traceback" not in out + err
    assert not running(build)
    assert tree(copy.site) == before and copy.previous.read_bytes() == catalog
    assert copy.leftovers() == []


def test_a_second_publish_while_one_runs_changes_nothing(copy):
    before = tree(copy.folder)
    with open(copy.root / ".handbook/publicera.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another run of the same handbook
        for args in ((), ("--rollback",)):
            result = copy.publish(*args)
            assert result.returncode == 3, quiet(result)
            assert "en annan publicering av handboken pågår redan" in result.stderr
    assert tree(copy.folder) == before


def test_folders_that_are_not_a_site_are_refused_and_left_alone(copy):
    (copy.folder / "annat").mkdir()
    (copy.folder / "annat/viktigt.txt").write_text("någon annans fil", "utf-8")
    (copy.folder / "en-fil").write_text("inte en mapp", "utf-8")
    before = tree(copy.folder)
    refused = {"processes": "processes_dir", "docs": "docs_dir", "docs/hr": "docs_dir", "overrides": "overrides_dir",
               ".handbook": "publiceringens egna filer", ".git": "git-förrådet", ".": "handbokens mapp", "..": "handbokens mapp",
               "../annat": "ingen publicerad handbok", "../en-fil": "ingen publicerad handbok"}
    for target, reason in refused.items():
        result = subprocess.run([str(BIN / "handbook"), "publish", "--site-dir", target], cwd=copy.root,
                                env=environment(), capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, (target, result.stdout + result.stderr)
        named = (copy.root / target).resolve()
        assert f"vägrar publicera i {named}:" in quiet(result) and reason in result.stderr, result.stderr
        assert tree(copy.folder) == before, target
