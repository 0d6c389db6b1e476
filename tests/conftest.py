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

from handbook import engine

# HANDBOOK_ENGINE=properdocs runs the tests on ProperDocs (`make test` does so for the marker `engines`):
# loaded before anything imports MkDocs, so that `import mkdocs` here and in the plugin reaches it.
engine.load()

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


def build(root: Path, strict: bool = False, today: str = TODAY, site: Path | None = None, in_process: bool = True,
          **env: str) -> Built:
    """`mkdocs build --clean` of the handbook at root: in this process through MkDocs' own command-line
    function (what the `mkdocs` script runs), or, with in_process=False or another engine chosen, as a child."""
    site = site or root / "site"
    arguments = ["build", "--clean", "-d", str(site)] + (["--strict"] if strict else [])
    if in_process and not env.get("HANDBOOK_ENGINE"):
        from mkdocs.__main__ import cli  # ProperDocs' own when it is the engine (engine.load above)
        returncode, output, _ = _in_process(root, environment(today, **env), lambda: cli.main(arguments, prog_name="mkdocs"))
        return Built(root, site, returncode, output)
    environ = environment(today, **env)
    result = subprocess.run([sys.executable, "-m", environ.get("HANDBOOK_ENGINE") or engine.name(), *arguments], cwd=root,
                            env=environ, capture_output=True, text=True, timeout=600)
    return Built(root, site, result.returncode, result.stdout + result.stderr)


def run_handbook(root: Path, *args: str, today: str = TODAY, in_process: bool = True, **env: str) -> subprocess.CompletedProcess:
    """The `handbook` command, as `build`: in this process through its main function unless asked otherwise."""
    command = [str(BIN / "handbook"), "--root", str(root), *args]
    if in_process and not env.get("HANDBOOK_ENGINE"):
        from handbook.cli import main
        returncode, stdout, stderr = _in_process(root, environment(today, **env), lambda: main(command[1:]), separate=True)
        return subprocess.CompletedProcess(command, returncode, stdout, stderr)
    return subprocess.run(command, env=environment(today, **env), capture_output=True, text=True, timeout=600)


def _in_process(cwd: Path, env: dict, run, separate: bool = False) -> tuple[int, str, str]:
    """Run a command's main function as its script would: in cwd, with exactly env as the environment, with
    stdout and stderr captured (MkDocs' log too), and with every process-wide state it changes put back:
    environment, working folder, signal handlers, the `mkdocs` loggers, warning filters and the build guard.
    Saves the child's start (about 0.7 s a build) and changes nothing the command itself does."""
    import contextlib
    import io
    import logging
    import warnings

    from handbook.site import guard

    stdout, stderr = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True) for _ in range(2))
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_signals = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    loggers = [logging.getLogger(name) for name in ("mkdocs", "mkdocs.commands.build", "mkdocs.plugins.handbook")]
    saved_loggers = [(lg, lg.level, lg.propagate, list(lg.handlers), list(lg.filters)) for lg in loggers]
    for logger in loggers:  # a fresh process: nothing set, so records reach Python's last-resort handler (stderr)
        logger.setLevel(logging.NOTSET)
        logger.propagate = logger.name != "mkdocs"
        logger.handlers, logger.filters = [], []
    guard._cleared = False  # a fresh process has not run the plugin
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    returncode = 0
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(stdout), \
                contextlib.redirect_stderr(stdout if not separate else stderr):
            try:
                result = run()
                returncode = result if isinstance(result, int) else 0
            except SystemExit as exc:
                returncode = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if exc.code is not None and not isinstance(exc.code, int):
                    print(exc.code, file=sys.stderr)
            except Exception:  # as a child would: the traceback in the output, exit status 1
                import traceback
                traceback.print_exc()
                returncode = 1
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        for sig, handler in saved_signals.items():
            signal.signal(sig, handler)
        for logger, level, propagate, handlers, filters in saved_loggers:
            logger.setLevel(level)
            logger.propagate = propagate
            logger.handlers, logger.filters = handlers, filters
    return returncode, *(stream.buffer.getvalue().decode("utf-8", "replace") for stream in (stdout, stderr))


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
    # The slow modules (they drive Chromium) first: with `-n 2 --dist loadfile` the quick ones then fill
    # the gaps at the end, instead of one worker waiting while the other runs a long module alone.
    slow = {item.path for item in items if item.get_closest_marker("browser")}
    items.sort(key=lambda item: item.path not in slow)


def pytest_sessionfinish(session):
    """The one Chromium of this test process (browser.py), if a test started it."""
    browser = sys.modules.get("browser")
    if browser is not None:
        browser.close_chromium()
