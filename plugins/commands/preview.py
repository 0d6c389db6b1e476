"""`handbook preview`: the handbook, or one part of it (`--klassa 2.3`, `--folder hr`), in the browser
while its owner writes.

Runs `mkdocs serve --dirty` on 127.0.0.1 (with HANDBOOK_PREVIEW_KLASSA or HANDBOOK_PREVIEW_FOLDER set
for a part, so the plugin builds only that part: plugins/site/preview.py). After the first build only
what changed is rebuilt, so a saved edit is in the browser within about a second even in a handbook
of thousands of documents. The whole handbook is still read and checked on every rebuild.

The command owns its server:
- it takes the requested port, or the next free one, and says so;
- MkDocs runs in a process group of its own that the command stops on SIGINT, SIGTERM and SIGHUP
  (on Linux the kernel stops it too if the command itself is killed);
- the owner reads Swedish: the handbook's `PATH:LINE: error|warning:` lines pass unchanged, MkDocs'
  link warnings are said in Swedish, its INFO lines are summarised, tracebacks and notices are
  hidden, and any other warning is marked as MkDocs' own English (`--verbose` shows all of MkDocs).
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from .. import engine
from ..core.part import FOLDER_VARIABLE, KLASSA_VARIABLE, Selection, check
from ..site.project import Project, load_project

DEFAULT_PORT = 8000
PORTS_TRIED = 20  # the requested port and the next 19
STOP_SECONDS = 5  # after a stop signal MkDocs gets this long to exit before it is killed
STOP_SIGNALS = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def register(sub) -> None:
    parser = sub.add_parser("preview", help="visa handboken i webbläsaren medan du skriver; sparade ändringar syns direkt")
    parser.add_argument("--klassa", default="", metavar="KOD", help="bara dokument och processer med Klassa-koden eller under den, t.ex. 2.3 (snabbt även i en stor handbok)")
    parser.add_argument("--folder", default="", metavar="MAPP", help="bara dokumenten i en mapp i docs/, t.ex. hr, och processerna som nämner dem")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="PORT",
                        help=f"porten på 127.0.0.1 (standard: {DEFAULT_PORT}); är den upptagen används nästa lediga")
    parser.add_argument("--verbose", action="store_true", help="visa MkDocs egna meddelanden (på engelska) i stället för sammanfattningen")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        return _error(f"porten {args.port} finns inte; ange en port mellan 1 och 65535, t.ex. {DEFAULT_PORT}")
    layout = load_project(args.root)
    selection = Selection(klassa=args.klassa, folder=args.folder)
    if selection and (message := check(layout.handbook(), selection)):
        return _error(message)
    try:
        port = free_port(args.port)
    except OSError as exc:
        return _error(f"porten {args.port} går inte att använda ({exc.strerror}); ange en annan med --port, "
                      f"t.ex. {DEFAULT_PORT}")
    if port is None:
        last = min(args.port + PORTS_TRIED, 65536) - 1
        return _error(f"portarna {args.port}–{last} är upptagna; ange en annan med --port")
    if port != args.port:
        print(f"Porten {args.port} är upptagen (kanske av en annan förhandsgranskning), så förhandsgranskningen "
              f"använder port {port}.", flush=True)
    what = selection.describe() if selection else "hela handboken"
    print(f"Förhandsgranskar {what} – bygger sidorna …", flush=True)
    environment = {**os.environ, KLASSA_VARIABLE: selection.klassa, FOLDER_VARIABLE: selection.folder,
                   "NO_MKDOCS_2_WARNING": "1",  # Material's English end-of-life notice
                   "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    # --dirty: after the first build only changed documents and the generated pages are rebuilt, so a
    # saved edit shows in about a second; other pages' navigation catches up when the preview restarts.
    command = engine.command("serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}", "--config-file", str(layout.root / "mkdocs.yml"))
    output = _Verbatim() if args.verbose else Summary(layout, port)
    return _serve(command, layout.root, environment, output)


def _error(message: str) -> int:
    print(f"handbook preview: fel: {message}", file=sys.stderr)
    return 2


def free_port(first: int) -> int | None:
    """`first` or the next port that nothing listens on, as MkDocs' server will bind it."""
    for port in range(first, min(first + PORTS_TRIED, 65536)):
        with socket.socket() as probe:
            if os.name == "posix":  # as MkDocs' server does: a port a stopped preview just left is free
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as exc:
                if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)):
                    continue
                raise
            return port
    return None


# -- the server process ----------------------------------------------------------------------------

def _serve(command: list[str], cwd: Path, environment: dict, output) -> int:
    posix = os.name == "posix"
    kill = getattr(signal, "SIGKILL", signal.SIGTERM)
    server: list[subprocess.Popen] = []
    stopped: list[int] = []
    # MkDocs stops cleanly on SIGINT (it removes its temporary site); if it has not within STOP_SECONDS, SIGKILL.
    killer = threading.Timer(STOP_SECONDS, lambda: server and _signal(server[0], kill))
    killer.daemon = True

    def stop(signum, frame) -> None:
        if server:
            _signal(server[0], kill if stopped else signal.SIGINT)
        if not stopped:
            killer.start()
        stopped.append(signum)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        child = subprocess.Popen(command, cwd=cwd, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, start_new_session=posix, preexec_fn=_dies_with_parent())
        server.append(child)
        if stopped:  # a signal came while the server started
            _signal(child, signal.SIGINT)
        for raw in child.stdout:
            for line in output.feed(raw.decode("utf-8", "replace").rstrip("\r\n")):
                print(line, flush=True)
        killer.cancel()
        try:
            code = child.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            _signal(child, kill)
            code = child.wait()
    finally:
        killer.cancel()
        if server and server[0].poll() is None:  # stopped, or the command itself failed: its server goes with it
            _signal(server[0], signal.SIGTERM)
            try:
                server[0].wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                _signal(server[0], kill)
                server[0].wait()
        for number, handler in previous.items():
            signal.signal(number, handler)
    if stopped:
        print("Förhandsgranskningen är stoppad.", flush=True)
        return 128 + stopped[0]
    if code != 0:
        return _error(output.failure(code))
    return 0


def _signal(child: subprocess.Popen, number: int) -> None:
    """`number` to the server and whatever it started (its own process group), while it is not reaped."""
    if child.returncode is not None:
        return
    try:
        if os.name == "posix":
            os.killpg(child.pid, number)
        else:
            child.terminate()
    except (ProcessLookupError, PermissionError):
        pass


def _dies_with_parent():
    """On Linux: the kernel sends the server SIGTERM when the command dies, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def in_child() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the command died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return in_child


# -- what the owner reads ---------------------------------------------------------------------------

LOG_LINE = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+-\s+(?:\[\d\d:\d\d:\d\d\]\s+)?(.*)$")
PROBLEM = re.compile(r"^\S.*?:\d+: (?:error|warning): ")
_DOC = r"Doc file '(?P<src>[^']+)' contains "
_LINKS = [  # MkDocs' link warnings (mkdocs/structure/pages.py), said in Swedish
    (re.compile(_DOC + r"a link '(?P<url>[^']+)', but the target(?: '[^']+')? is not found among documentation "
                r"files\.(?: Did you mean '(?P<hint>[^']+)'\?)?$"),
     'länken "{url}" leder till en sida som inte finns.{hint}'),
    (re.compile(_DOC + r"a link '(?P<url>[^']+)', but the doc '(?P<target>[^']+)' does not contain an anchor "
                r"'(?P<anchor>[^']+)'\."),
     'länken "{url}" leder till avsnittet {anchor}, som inte finns i docs/{target}'),
    (re.compile(_DOC + r"a link '(?P<url>[^']+)', but there is no such anchor on this page\."),
     'länken "{url}" leder till ett avsnitt som inte finns på sidan'),
    (re.compile(_DOC + r"an absolute link '(?P<url>[^']+)', it was left as is\.(?: Did you mean '(?P<hint>[^']+)'\?)?$"),
     'länken "{url}" börjar med / och fungerar inte där handboken publiceras; länka till .md-filen med en '
     'relativ sökväg.{hint}'),
    (re.compile(_DOC + r"an unrecognized relative link '(?P<url>[^']+)', it was left as is\."
                r"(?: Did you mean '(?P<hint>[^']+)'\?)?$"),
     'länken "{url}" pekar inte på en fil; länka till .md-filen, t.ex. mapp/sida.md.{hint}'),
    (re.compile(_DOC + r"a link to '(?P<target>[^']+)' which is excluded from the built site\."),
     "länken leder till docs/{target}, som inte publiceras"),
]
_REQUEST = re.compile(r'^"(?:GET|HEAD) (?P<path>\S+) HTTP/[\d.]+" code 404$')
_QUIET = (  # English WARNING and ERROR lines that say nothing the owner needs
    "A 'dirty' build is being performed",  # asked for on purpose
    "Aborted with",  # follows the error it stops for, which is shown
)


class _Verbatim:
    def feed(self, line: str) -> list[str]:
        return [line]

    def failure(self, code: int) -> str:
        return f"MkDocs avslutades med felkod {code}"


class Summary:
    """MkDocs' output, line by line, as the Swedish lines the owner reads."""

    def __init__(self, layout: Project, port: int) -> None:
        self.root, self.port, self.docs_dir = layout.root, port, layout.docs_dir
        self.watched = [layout.docs_dir, layout.processes_dir, layout.root / layout.options.overrides_dir,
                        layout.root / "mkdocs.yml"]
        self.built = self.serving = self.in_traceback = False
        self.mark = self.changes_since = time.time()
        self.last_exception = ""

    def feed(self, line: str) -> list[str]:
        if self.in_traceback:
            if line.startswith((" ", "\t")) or not line.strip():
                return []
            self.in_traceback = False
            self.last_exception = line
            return []
        if line.startswith("Traceback (most recent call last)"):
            self.in_traceback = True
            return []
        match = LOG_LINE.match(line)
        if not match:
            return []  # print() and notices of other packages (Material's, the macros plugin's)
        level, message = match.groups()
        if level in ("DEBUG", "INFO"):
            return self._info(message)
        if PROBLEM.match(message) or message.startswith("handbook"):  # the handbook's own, in Swedish
            return [message]
        return self._problem(level, message)

    def _info(self, message: str) -> list[str]:
        if message.startswith("handbook preview: "):  # the part: its size, the problems not listed
            part = message.removeprefix("handbook preview: ")
            return [] if self.built else [part[:1].upper() + part[1:] + "."]
        if found := re.match(r"Serving on (\S+)", message):
            self.serving = True
            return [f"Förhandsgranskningen är igång på {found.group(1)}",
                    "Öppna adressen i webbläsaren. Sparade ändringar visas direkt. Avsluta med Ctrl+C."]
        if message == "Detected file changes":
            self.changes_since, self.mark = self.mark, time.time()
            return ["Bygger om efter en ändring …"]  # an editor's background problem matcher starts over here
        if found := re.match(r"Documentation built in ([\d.]+) seconds", message):
            seconds = f"{float(found.group(1)):.1f}".replace(".", ",")
            if not self.built:
                self.built = True
                return [f"Sidorna är byggda ({seconds} s)."]
            return [f"Byggde om efter {self._changes()} ({seconds} s)."]
        return []

    def _problem(self, level: str, message: str) -> list[str]:
        if message.startswith(_QUIET):
            return []
        if message.startswith("An error happened during the rebuild"):
            return ["Sidorna kunde inte byggas om. Rätta felet ovan och spara igen; förhandsgranskningen visar "
                    "den senaste versionen som gick att bygga."]
        for pattern, text in _LINKS:
            if found := pattern.match(message):
                parts = found.groupdict()
                hint = f' Menade du "{parts["hint"]}"?' if parts.get("hint") else ""
                where = self._where(parts["src"], parts.get("url") or parts.get("target") or "")
                return [f"{where}: warning: " + text.format(**{**parts, "hint": hint})]
        if found := _REQUEST.match(message):
            return [f"Adressen {found.group('path')} finns inte i förhandsgranskningen."]
        kind = "Varning" if level == "WARNING" else "Fel"
        return [f"{kind} från MkDocs (på engelska): {message}"]

    def _where(self, src_uri: str, link: str) -> str:
        """`docs/PATH:LINE` of the first line of the page that holds the link."""
        path = self.docs_dir / src_uri
        line = 1
        try:
            for number, text in enumerate(path.read_text("utf-8").splitlines(), 1):
                if link and link in text:
                    line = number
                    break
        except (OSError, UnicodeDecodeError):
            pass
        return f"{self._name(path)}:{line}"

    def _changes(self) -> str:
        """The files saved since the previous rebuild, by name."""
        changed = []
        for watched in self.watched:
            files = [watched] if watched.is_file() else (Path(folder) / name for folder, _, names in os.walk(watched)
                                                         for name in names)
            for path in files:
                try:
                    if path.stat().st_mtime >= self.changes_since:
                        changed.append(self._name(path))
                except OSError:
                    continue
        if not changed:
            return "en ändring"
        changed.sort()
        if len(changed) > 3:
            return f"ändring i {', '.join(changed[:2])} och {len(changed) - 2} filer till"
        return "ändring i " + (" och ".join(changed) if len(changed) < 3 else f"{changed[0]}, {changed[1]} och {changed[2]}")

    def _name(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def failure(self, code: int) -> str:
        if "Errno 98" in self.last_exception or "Address already in use" in self.last_exception or "10048" in self.last_exception:
            return (f"porten {self.port} blev upptagen medan sidorna byggdes; starta förhandsgranskningen igen, så "
                    "väljs en ledig port")
        if not self.serving:
            return "förhandsgranskningen kunde inte starta; rätta felen ovan och försök igen"
        detail = f" ({self.last_exception})" if self.last_exception else ""
        return f"förhandsgranskningen stannade oväntat{detail}; starta den igen"
