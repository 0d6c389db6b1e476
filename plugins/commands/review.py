"""`handbook review`: record that an owner reviewed a document or process and what was found, without a new version."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from ..core.governance import a_year_after
from ..core.handbook import Handbook
from ..core.problems import did_you_mean
from ..core.review_record import RecordError, by_hand, record_review
from ..site.project import load_project


class Refused(Exception):
    """The review is not written; the message says why, in Swedish."""


def register(sub) -> None:
    parser = sub.add_parser(
        "review", help="registrera en granskning utan ny version (vad du kontrollerade och fann)",
        description="Registrera att du har granskat ett dokument eller en process och att innehållet fortfarande stämmer, "
                    "utan att göra en ny version: en ny rad under reviewed: i filen (dagens datum, vem och din anteckning) "
                    "och ett nytt review_date. Exempel: handbook review docs/hr/rutin-introduktion.md "
                    "--note \"Gick igenom rutinen mot nya introduktionsprogrammet; inget behövde ändras.\"")
    parser.add_argument("target", metavar="SÖKVÄG", help="dokumentets fil (t.ex. docs/hr/rutin.md), en processfil eller ett process-id")
    parser.add_argument("--note", required=True, metavar="TEXT", help="vad du gick igenom och vad du fann (krävs)")
    parser.add_argument("--by", metavar="ROLL-ID", help="rollen som granskade; standard: dokumentansvarig eller processägare")
    parser.add_argument("--next", metavar="ÅÅÅÅ-MM-DD", dest="next_date",
                        help="nästa granskning (nytt review_date); standard: ett år från i dag")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    layout = load_project(args.root)
    handbook = layout.handbook()
    today = layout.settings.today
    try:
        path, item, is_process = find_item(handbook, args.target)
        shown = handbook.report_path(path)
        note, by, next_date, default_next = _arguments(handbook, item, args, today)
        data = path.read_bytes()
        try:
            recorded = record_review(data, is_process, today, by, note, next_date)
        except RecordError as exc:
            raise Refused(f"{shown}: {exc}.\n{by_hand(shown, today, by, note, next_date)}") from None
        _write(path, recorded.data)
    except Refused as exc:
        print(f"handbook review: fel: {exc}", file=sys.stderr)
        print("Ingen fil ändrades.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"handbook review: fel: filen kan inte läsas eller skrivas ({exc.strerror}). Ingen fil ändrades.", file=sys.stderr)
        return 1
    role = handbook.roles.name(by)
    print(f"Granskningen är registrerad i {shown} ({today.isoformat()}, {role}):")
    for change in recorded.changes:
        print(f"  {change}")
    if default_next:
        print("Nästa granskning är satt till ett år från i dag; ange --next ÅÅÅÅ-MM-DD för ett annat datum.")
    _report_remaining(layout, shown)
    print("Lämna in ändringen som vanligt (se Skriva i handboken › Lämna in).")
    return 0


def find_item(handbook: Handbook, target: str):
    """The file and the document or process that `target` names: a path (from here, the handbook's folder or
    docs/) or a process id."""
    target = target.strip()
    process = handbook.processes.get(target)
    if process is not None and "/" not in target and not target.endswith((".md", ".yml")):
        return handbook.root / process.path, process, True
    found = [path for base in (Path.cwd(), handbook.root, handbook.docs_dir) if (path := (base / target).resolve()).is_file()]
    inside = [p for p in found if p.is_relative_to(handbook.docs_dir) or p.is_relative_to(handbook.processes_dir)]
    if inside:
        path = inside[0]
        if path.is_relative_to(handbook.docs_dir):
            doc = handbook.documents.get(path.relative_to(handbook.docs_dir).as_posix())
            if doc is None:
                raise Refused(f"{handbook.report_path(path)} är ingen sida som handboken läser (se handbook check)")
            if doc.front_matter.error:
                error = doc.front_matter.error
                raise Refused(f"{handbook.report_path(path)}:{error.line}: front matter kan inte läsas: {error.message}. "
                              "Rätta felet och försök igen")
            if not doc.governed:
                raise Refused(f"{handbook.report_path(path)} är en fri sida utan dokumentansvarig och review_date; "
                              "en granskning registreras på styrda dokument och processer")
            return path, doc, False
        else:
            process = next((p for p in handbook.processes.values() if p.path == handbook.report_path(path)), None)
            if process is None:
                raise Refused(f"{handbook.report_path(path)} är ingen process som handboken läser (se handbook check)")
            return path, process, True
    if found:
        raise Refused(f"{target} ligger varken i {handbook.report_path(handbook.docs_dir)}/ eller i "
                      f"{handbook.report_path(handbook.processes_dir)}/")
    docs = handbook.report_path(handbook.docs_dir)
    known = [*handbook.processes, *(f"{docs}/{p}" for p, d in handbook.documents.items() if d.governed)]
    raise Refused(f"\"{target}\" är varken en fil eller ett process-id.{did_you_mean(target, known)} "
                  "Ange dokumentets fil, t.ex. docs/hr/rutin-introduktion.md, eller processens id")


def _arguments(handbook: Handbook, item, args: argparse.Namespace, today: dt.date):
    note = args.note.strip()
    if not note:
        raise Refused("--note är tom; skriv vad du gick igenom och vad du fann, t.ex. "
                      "--note \"Gick igenom rutinen mot nya lagen; inget behövde ändras.\"")
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:
        raise Refused("--note innehåller tecken som inte är giltig text (UTF-8); skriv om anteckningen") from None
    by = (args.by or item.owner).strip()
    if not by:
        raise Refused("filen har ingen giltig ägare att registrera som granskare; ange --by ROLL-ID")
    if by not in handbook.roles:
        raise Refused(f"okänd roll \"{by}\" i --by.{did_you_mean(by, handbook.roles.roles)} "
                      f"Ange ett roll-id från {handbook.roles.path}")
    if args.next_date is None:
        return note, by, a_year_after(today), True
    try:
        next_date = dt.date.fromisoformat(args.next_date.strip())
    except ValueError:
        raise Refused(f"--next \"{args.next_date}\" är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. {a_year_after(today).isoformat()}") from None
    if next_date <= today:
        raise Refused(f"--next {next_date.isoformat()} ligger inte efter dagens datum {today.isoformat()}; "
                      "ange dagen för nästa granskning")
    return note, by, next_date, False


def _write(path: Path, data: bytes) -> None:
    """Replace the file only when the new one is written in full (same folder, then renamed over it)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _report_remaining(layout, shown: str) -> None:
    """The file's own problems after the change, as handbook check shows them (they were there before)."""
    problems = [p for p in layout.handbook().problems if p.path == shown]
    if problems:
        print(f"handbook check visar fortfarande {len(problems)} problem i filen; rätta dem:", file=sys.stderr)
        for problem in problems:
            print(problem, file=sys.stderr)
