"""`handbook publish`: the nightly build of a new published version.

Builds the site with MkDocs (the same Python environment) with a version stamp and the previous
published `handbook.json`, so that "Nytt och ändrat" lists what changed, then keeps a copy of the
new `handbook.json` for the next run. It fails only when the output would be wrong: a failed
build, an unreadable previous catalog, or (with --strict) errors in the metadata. A late review
never stops publishing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from ..core.handbook import Handbook
from ..core.problems import summary
from ..core.publishing import LABEL_VARIABLE, PREVIOUS_VARIABLE, CatalogError, compare, load_catalog
from ..core.settings_file import read_layout

DEFAULT_PREVIOUS = ".handbook/senast-publicerad.json"
CHANGE_WORDS = (("added", "nya"), ("changed", "ändrade"), ("repealed", "upphävda"), ("removed", "borttagna"))


def register(sub) -> None:
    parser = sub.add_parser("publish", help="bygg en ny publicerad version (nattlig publicering) med versionsstämpel och Nytt och ändrat")
    parser.add_argument("--site-dir", metavar="MAPP", help="var webbplatsen byggs; standard: site/ i handbokens mapp")
    parser.add_argument("--previous", metavar="FIL",
                        help="förra publicerade versionens handbook.json; efter publiceringen sparas den nya versionens "
                             f"handbook.json här till nästa gång (standard: {DEFAULT_PREVIOUS} i handbokens mapp)")
    parser.add_argument("--label", default="", metavar="TEXT", help="ett namn på versionen som visas i sidfoten, t.ex. \"nattlig\"")
    parser.add_argument("--strict", action="store_true", help="publicera inte alls när metadata har fel (error)")
    parser.set_defaults(run=run)


def fail(message: str) -> int:
    print(f"handbook: publiceringen misslyckades: {message}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    layout = read_layout(args.root)
    handbook = Handbook.load(layout.root, layout.docs_dir, layout.processes_dir, layout.settings)
    problems = handbook.problems
    if args.strict and handbook.has_errors:
        for problem in problems:
            print(problem, file=sys.stderr)
        return fail(f"{summary(problems, handbook.files_read)} Rätta felen eller publicera utan --strict.")
    site = Path(args.site_dir).resolve() if args.site_dir else layout.root / "site"
    previous_path = Path(args.previous).resolve() if args.previous else layout.root / DEFAULT_PREVIOUS
    try:
        previous = load_catalog(previous_path)
    except CatalogError as exc:
        return fail(str(exc))
    env = {**os.environ, PREVIOUS_VARIABLE: str(previous_path), LABEL_VARIABLE: args.label}
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(layout.root / "mkdocs.yml"), "-d", str(site)]
    if subprocess.run(command, cwd=layout.root, env=env).returncode != 0:
        return fail("mkdocs build misslyckades; se meddelandena ovan")
    published = site / str(layout.options.get("catalog_file", "handbook.json"))
    try:
        current = load_catalog(published)
        if current is None:
            return fail(f"bygget skrev ingen {published}")
        previous_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = previous_path.with_name(previous_path.name + ".tmp")
        temporary.write_bytes(published.read_bytes())
        temporary.replace(previous_path)
    except (CatalogError, OSError) as exc:
        return fail(f"{exc}")
    print(report(current, previous, site, previous_path))
    print(summary(problems, handbook.files_read) + (" Sidor med fel publicerades med en felbanner; kör handbook check." if handbook.has_errors else ""))
    return 0


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
