"""`handbook publish`: the nightly build of a new published version, switched in atomically.

Builds the site with MkDocs (a child process in the same Python environment) with a version stamp
and the previous published `handbook.json`, so that "Nytt och ändrat" lists what changed. The
build goes into a new folder beside the live one (`.<name>.ny-<random>`); only a build that
finished and wrote `index.html` and a readable catalog is switched in, in one step (Linux
renameat2 RENAME_EXCHANGE), and the replaced site is kept as `.<name>.forra` for `--rollback`.
Whatever happens to the run (a failed build, a signal, SIGKILL), the live folder holds one whole
published version. A lock keeps two runs of the same handbook apart.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

from .. import engine
from ..core.handbook import SettingsError
from ..core.problems import summary
from ..core.pdf import PDF_PREVIOUS_VARIABLE, PDF_VARIABLE
from ..core.publishing import LABEL_VARIABLE, PREVIOUS_VARIABLE, CatalogError, compare, load_catalog
from ..site.project import CONFIG_FILE, Project, load_project

DEFAULT_PREVIOUS = ".handbook/senast-publicerad.json"
LOCK_FILE = ".handbook/publicera.lock"
CHANGE_WORDS = (("added", "nya"), ("changed", "ändrade"), ("repealed", "upphävda"), ("removed", "borttagna"))
PUBLISHED, FAILED, REFUSED, BUSY = 0, 1, 2, 3
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))

EPILOG = """\
Bygget görs i en ny mapp bredvid webbplatsen (.MAPP.ny-…) och byts in i ett enda steg först när det
lyckats; webbplatsen som ersattes sparas som .MAPP.forra och kan bytas tillbaka med --rollback.

slutkoder:
  0    publicerad (med --rollback: förra versionen återställd)
  1    bygget eller kontrollen av det misslyckades; den publicerade webbplatsen är orörd
  2    fel i inställningarna eller anropet, en mapp som inte får användas, eller inget att återställa
  3    en annan publicering av samma handbok pågår; ingenting ändrades
  130  avbruten med SIGINT (Ctrl+C), 143 med SIGTERM, 129 med SIGHUP; den publicerade webbplatsen är orörd
"""


def register(sub) -> None:
    parser = sub.add_parser("publish", help="bygg en ny publicerad version (nattlig publicering) med versionsstämpel och Nytt och ändrat",
                            epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site-dir", metavar="MAPP", help="den publicerade webbplatsens mapp; standard: site/ i handbokens mapp")
    parser.add_argument("--previous", metavar="FIL",
                        help="förra publicerade versionens handbook.json; efter publiceringen sparas den nya versionens "
                             f"handbook.json här till nästa gång (standard: {DEFAULT_PREVIOUS} i handbokens mapp)")
    parser.add_argument("--label", default="", metavar="TEXT", help="ett namn på versionen som visas i sidfoten, t.ex. \"nattlig\"")
    parser.add_argument("--pdf", action=argparse.BooleanOptionalAction, default=None,
                        help="PDF av varje publicerat dokument och process i pdf/ (--no-pdf: ingen); standard: tillvalet pdf i mkdocs.yml")
    parser.add_argument("--strict", action="store_true", help="publicera inte alls när metadata har fel (error)")
    parser.add_argument("--rollback", action="store_true",
                        help="bygg inget: byt tillbaka den förra publicerade versionen (.MAPP.forra); en ny --rollback ångrar")
    parser.set_defaults(run=run)


class Stop(Exception):
    """Ends a run with an exit code and a Swedish message."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


def failed(message: str) -> Stop:
    return Stop(FAILED, f"publiceringen misslyckades: {message}")


class Places:
    """The live site folder and the folders beside it that publishing uses."""

    def __init__(self, live: Path, catalog_name: str):
        self.live, self.catalog_name = live, catalog_name
        self.kept = live.with_name(f".{live.name}.forra")
        self.new_prefix = f".{live.name}.ny-"

    def is_site(self, folder: Path) -> bool:
        return folder.is_dir() and not folder.is_symlink() and (folder / self.catalog_name).is_file()

    def make_new(self) -> Path:
        self.live.parent.mkdir(parents=True, exist_ok=True)
        new = self.live.with_name(self.new_prefix + secrets.token_hex(4))
        new.mkdir()  # not mkdtemp: its mode 0700 would lock the web server out once switched in
        return new

    def remove_leftovers(self) -> None:
        """Folders of a run that was killed before it could remove them."""
        if not self.live.parent.is_dir():
            return
        for entry in self.live.parent.iterdir():
            if entry.name.startswith(self.new_prefix):
                remove(entry)

    def switch_in(self, new: Path) -> None:
        """`new` becomes the live site; the replaced one becomes the kept copy, the older kept one is removed."""
        if not exists(self.live) or (self.live.is_dir() and not any(self.live.iterdir())):
            if self.live.is_dir():
                self.live.rmdir()
            os.rename(new, self.live)
            return
        exchange(new, self.live)
        if exists(self.kept):
            exchange(new, self.kept)
        else:
            os.rename(new, self.kept)
        remove(new)


def exists(path: Path) -> bool:
    return os.path.lexists(path)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif exists(path):
        path.unlink(missing_ok=True)


try:
    _libc = ctypes.CDLL(None, use_errno=True)
except (OSError, TypeError):  # Windows
    _libc = None
_renameat2 = getattr(_libc, "renameat2", None)  # None before glibc 2.28, on macOS and Windows
if _renameat2 is not None:
    _renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
AT_FDCWD, RENAME_EXCHANGE, PR_SET_PDEATHSIG = -100, 2, 1


def exchange(first: Path, second: Path) -> None:
    """Swap two folders: in one step where the system can (Linux), else with three renames."""
    if _renameat2 is not None:
        if _renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(first), None, str(second))
    spare = second.with_name(f"{first.name}.byte-{secrets.token_hex(4)}")
    os.rename(second, spare)
    try:
        os.rename(first, second)
    except OSError:
        os.rename(spare, second)
        raise
    os.rename(spare, first)


def refusal(places: Places, project: Project) -> str | None:
    """Why publishing into this folder would destroy something, or None."""
    site, root = places.live, project.root
    if root.is_relative_to(site):
        return ("den är handbokens mapp eller en mapp ovanför den, och publiceringen skulle ersätta den. "
                f"Ange en egen mapp för webbplatsen, t.ex. --site-dir {root / 'site'}")
    own = [(project.docs_dir, "handbokens dokument, docs_dir"), (project.processes_dir, "handbokens processer, processes_dir"),
           (root / project.options.overrides_dir, "kommunens mallar, overrides_dir"),
           (root / ".git", "git-förrådet"), (root / ".handbook", "publiceringens egna filer")]
    if project.config.theme.custom_dir:
        own.append((root / project.config.theme.custom_dir, "kommunens mallar, theme.custom_dir"))
    for folder, what in own:
        if site.is_relative_to(folder.resolve()):
            return (f"den är eller ligger i {folder} ({what}), och publiceringen skulle ersätta filerna där. "
                    f"Ange en mapp utanför, t.ex. --site-dir {root / 'site'}")
    for folder, what in ((site, "webbplatsens mapp"), (places.kept, "mappen för förra versionen")):
        if exists(folder) and not places.is_site(folder) and not (folder.is_dir() and not any(folder.iterdir())):
            return (f"{what} {folder} finns redan men är ingen publicerad handbok (ingen {places.catalog_name}); "
                    "publiceringen flyttar eller tar aldrig bort någon annans filer. "
                    "Välj en annan mapp med --site-dir, eller flytta eller töm mappen själv")
    return None


class Signals:
    """SIGINT, SIGTERM and SIGHUP are noted and stop the build; the run stops at the next safe point."""

    def __init__(self):
        self.received: int | None = None
        self.child: subprocess.Popen | None = None

    def __enter__(self) -> Signals:
        self.previous = {number: signal.signal(number, self.handle) for number in SIGNALS}
        return self

    def __exit__(self, *exc) -> None:
        for number, handler in self.previous.items():
            signal.signal(number, handler)

    def handle(self, number: int, frame) -> None:
        self.received = self.received or number
        self.forward()

    def forward(self) -> None:
        """Stop the build with SIGTERM, whichever signal came: SIGINT makes a Python that is starting print a traceback."""
        # The child is reaped only by wait_for_build(), so while returncode is None its pid is ours.
        if self.received and self.child is not None and self.child.returncode is None:
            try:
                os.kill(self.child.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def wait_for_build(self) -> int:
        # In short waits, not one blocking waitpid: a signal that lands just before the call would be handled
        # (and passed on) only when the build ends by itself.
        while True:
            try:
                return self.child.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass

    def check(self) -> None:
        if self.received:
            name = signal.Signals(self.received).name
            raise Stop(128 + self.received, f"publiceringen avbröts ({name}); den publicerade webbplatsen är orörd")


def _die_with_parent(parent: int) -> None:
    """In the build child before exec: a publish killed with SIGKILL takes its build with it."""
    if _libc is not None and sys.platform.startswith("linux"):
        _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)


def build(project: Project, new: Path, env: dict, signals: Signals) -> None:
    command = engine.command("build", "-f", str(project.root / CONFIG_FILE), "-d", str(new))
    options = {}
    if os.name == "posix":  # its own process group: Ctrl+C reaches the build once, through forward()
        parent = os.getpid()
        options = {"process_group": 0, "preexec_fn": lambda: _die_with_parent(parent)}
    signals.check()
    signals.child = subprocess.Popen(command, cwd=project.root, env=env, stdin=subprocess.DEVNULL, **options)
    signals.forward()
    code = signals.wait_for_build()
    signals.check()
    if code != 0:
        raise failed("mkdocs build misslyckades; se meddelandena ovan. Den publicerade webbplatsen är orörd.")


def check_build(new: Path, catalog_name: str) -> dict:
    if not (new / "index.html").is_file():
        raise failed("bygget skrev ingen index.html; den publicerade webbplatsen är orörd")
    try:
        catalog = json.loads((new / catalog_name).read_text("utf-8"))
    except FileNotFoundError:
        raise failed(f"bygget skrev ingen {catalog_name}; den publicerade webbplatsen är orörd") from None
    except (OSError, ValueError) as exc:
        raise failed(f"bygget skrev en {catalog_name} som inte kan läsas ({exc}); den publicerade webbplatsen är orörd") from None
    if not isinstance(catalog, dict):
        raise failed(f"bygget skrev en {catalog_name} som inte är någon katalog; den publicerade webbplatsen är orörd")
    return catalog


def keep_catalog(published: Path, previous_path: Path) -> None:
    """The live site's catalog, for the next night's "Nytt och ändrat"; written only after a switch."""
    try:
        previous_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = previous_path.with_name(previous_path.name + ".tmp")
        temporary.write_bytes(published.read_bytes())
        temporary.replace(previous_path)
    except OSError as exc:
        raise failed(f"webbplatsen byttes in, men dess {published.name} kunde inte sparas i {previous_path} ({exc}); "
                     "nästa Nytt och ändrat jämför då med en äldre version") from None


def publish(args: argparse.Namespace, project: Project, places: Places, previous_path: Path, signals: Signals) -> int:
    handbook = project.handbook()
    problems = handbook.problems
    if args.strict and handbook.has_errors:
        for problem in problems:
            print(problem, file=sys.stderr)
        raise failed(f"{summary(problems, handbook.files_read)} Rätta felen eller publicera utan --strict.")
    try:
        previous = load_catalog(previous_path)
    except CatalogError as exc:
        raise failed(str(exc)) from None
    env = {**os.environ, PREVIOUS_VARIABLE: str(previous_path), LABEL_VARIABLE: args.label}
    # Controlled PDFs in the new folder, before the switch; last night's unchanged ones are reused.
    if getattr(args, "pdf", None) is not None:
        env[PDF_VARIABLE] = "1" if args.pdf else "0"
    env[PDF_PREVIOUS_VARIABLE] = str(places.live)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    signals.check()
    places.remove_leftovers()
    new = places.make_new()
    try:
        build(project, new, env, signals)
        current = check_build(new, places.catalog_name)
        signals.check()
        places.switch_in(new)
    finally:
        remove(new)
    keep_catalog(places.live / places.catalog_name, previous_path)
    print(report(current, previous, places.live, previous_path))
    print(summary(problems, handbook.files_read) + (" Sidor med fel publicerades med en felbanner; kör handbook check." if handbook.has_errors else ""))
    return PUBLISHED


def rollback(places: Places, previous_path: Path) -> int:
    places.remove_leftovers()
    if not places.is_site(places.kept):
        raise Stop(REFUSED, f"det finns ingen tidigare version att återställa ({places.kept} saknas); "
                            "den sparas när en publicering har ersatt en annan")
    if places.is_site(places.live):
        exchange(places.kept, places.live)
    else:
        places.switch_in(places.kept)
    keep_catalog(places.live / places.catalog_name, previous_path)
    try:
        label = json.loads((places.live / places.catalog_name).read_text("utf-8"))["version"]["label"]
    except (OSError, ValueError, KeyError, TypeError):
        label = "?"
    replaced = f" Versionen som ersattes ligger i {places.kept}; kör handbook publish --rollback igen för att ångra." \
        if places.is_site(places.kept) else ""
    print(f"Återställde förra versionen {label} i {places.live}.{replaced}")
    return PUBLISHED


def lock(root: Path) -> int:
    """An open, exclusively locked lock file; Stop(BUSY) when another run holds it."""
    path = root / LOCK_FILE
    try:
        path.parent.mkdir(exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise Stop(REFUSED, f"låsfilen {path} kan inte skapas ({exc.strerror}); publiceringen behöver skriva i handbokens mapp") from None
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    except OSError:
        os.close(handle)
        raise Stop(BUSY, f"en annan publicering av handboken pågår redan (låset {path} hålls); ingenting ändrades. "
                         "Försök igen när den är klar.") from None
    return handle


def run(args: argparse.Namespace) -> int:
    handle = None
    try:
        project = load_project(args.root)
        places = Places(Path(args.site_dir).resolve() if args.site_dir else project.root / "site", project.options.catalog_file)
        reason = refusal(places, project)
        if reason:
            raise Stop(REFUSED, f"vägrar publicera i {places.live}: {reason}.")
        previous_path = Path(args.previous).resolve() if args.previous else project.root / DEFAULT_PREVIOUS
        handle = lock(project.root)
        with Signals() as signals:
            if args.rollback:
                return rollback(places, previous_path)
            return publish(args, project, places, previous_path, signals)
    except Stop as stop:
        print(f"handbook: {stop}", file=sys.stderr)
        return stop.code
    except (SettingsError, engine.EngineError) as exc:
        print(f"handbook: fel: {exc}", file=sys.stderr)
        return REFUSED
    except Exception as exc:  # documented exit codes: not the command line's internal-error code, which is BUSY's
        print(f"handbook: publiceringen misslyckades: {type(exc).__name__}: {exc}", file=sys.stderr)
        return FAILED
    finally:
        if handle is not None:
            os.close(handle)


def report(current: dict, previous: dict | None, site: Path, kept: Path) -> str:
    stamp = current.get("version") or {}
    lines = [f"Publicerade version {stamp.get('label', '?')} i {site}: "
             f"{len(current.get('documents', []))} dokument och {len(current.get('processes', []))} processer."]
    changes = compare(previous, current)
    if changes.previous is None:
        lines.append("Nytt och ändrat: ingen tidigare version att jämföra med.")
    else:
        counts = ", ".join(f"{word} {len(changes.of(kind))}" for kind, word in CHANGE_WORDS)
        lines.append(f"Nytt och ändrat sedan {changes.previous['label']}: {counts}.")
    lines.append(f"Versionens handbook.json sparades i {kept} till nästa publicering.")
    return "\n".join(lines)
