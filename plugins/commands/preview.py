"""`handbook preview --klassa 2.3` or `--folder hr`: serve one part of the handbook while its owner writes.

Runs `mkdocs serve --dirty` on 127.0.0.1 with HANDBOOK_PREVIEW_KLASSA or HANDBOOK_PREVIEW_FOLDER
set, so the plugin builds only that part (plugins/site/preview.py) and, after the first build, only
what changed: a saved edit is in the browser within about a second even in a handbook of thousands
of documents. The whole handbook is still read and checked on every rebuild.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from ..core.part import FOLDER_VARIABLE, KLASSA_VARIABLE, Selection, check
from ..site.project import load_project


def register(sub) -> None:
    parser = sub.add_parser("preview", help="visa en del av handboken i webbläsaren medan du skriver (snabbt även i en stor handbok)")
    parser.add_argument("--klassa", default="", metavar="KOD", help="dokument och processer med Klassa-koden eller under den, t.ex. 2.3")
    parser.add_argument("--folder", default="", metavar="MAPP", help="dokumenten i en mapp i docs/, t.ex. hr, och processerna som nämner dem")
    parser.add_argument("--port", type=int, default=8000, help="porten på 127.0.0.1 (standard: 8000)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    layout = load_project(args.root)
    selection = Selection(klassa=args.klassa, folder=args.folder)
    handbook = layout.handbook()
    message = check(handbook, selection)
    if message:
        print(f"handbook preview: fel: {message}", file=sys.stderr)
        return 2
    environment = {**os.environ, KLASSA_VARIABLE: selection.klassa, FOLDER_VARIABLE: selection.folder}
    print(f"Förhandsgranskar {selection.describe()} på http://127.0.0.1:{args.port}/ – sparade ändringar visas direkt. "
          "Avsluta med Ctrl+C.", flush=True)
    # --dirty: after the first build only changed documents and the generated pages are rebuilt, so a
    # saved edit shows in about a second; other pages' navigation catches up when the preview restarts.
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{args.port}",
               "--config-file", str(layout.root / "mkdocs.yml")]
    return subprocess.call(command, cwd=layout.root, env=environment)
