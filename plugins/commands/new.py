"""`handbook new`: start a document or a process from a template that already passes `handbook check`."""

from __future__ import annotations

import argparse
import sys

from ..core import templates
from ..site.project import load_project

PROCESS = "process"


def register(sub) -> None:
    parser = sub.add_parser(
        "new", help="skapa ett nytt dokument eller en ny process från en mall",
        description="Skapa ett nytt dokument i docs/ (handbook new rutin hr/rutin-introduktion.md --klassa 2.3.2 --owner hr-chef) "
                    "eller en ny process i processes/ (handbook new process introduktion --klassa 2.3.2 --owner hr-chef).")
    parser.add_argument("kind", metavar="TYP", help="dokumenttyp, t.ex. rutin eller riktlinje, eller process")
    parser.add_argument("target", metavar="SÖKVÄG", help="dokumentets sökväg i docs/, eller processens id")
    parser.add_argument("--klassa", default="", help="Klassa-kod, t.ex. 2.3.2 (krävs)")
    parser.add_argument("--owner", default="", help="roll-id för dokumentansvarig eller processägare (krävs)")
    parser.add_argument("--title", help="dokumentets titel eller processens namn (standard: av filnamnet)")
    parser.set_defaults(run=run)


def fail(messages: list[str]) -> int:
    for message in messages:
        print(f"handbook new: fel: {message}", file=sys.stderr)
    print("Ingen fil skapades.", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    missing = [f"ange {option}, t.ex. {option} {example}" for option, example, value in
               (("--klassa", "2.3.2", args.klassa), ("--owner", "hr-chef", args.owner)) if not value.strip()]
    if missing:
        return fail(missing)
    layout = load_project(args.root)
    handbook = layout.handbook()
    klassa, owner, title = args.klassa.strip(), args.owner.strip(), (args.title or "").strip()
    messages = [templates.check_klassa(handbook, klassa), templates.check_owner(handbook, owner)]
    today = layout.settings.today
    if args.kind == PROCESS:
        process_id = args.target.strip()
        messages.append(templates.check_process_id(handbook, process_id))
        target = layout.processes_dir / f"{process_id}.yml"
        text = templates.process_text(process_id, title or templates.title_from_path(process_id), klassa, owner, today)
    else:
        messages.append(templates.check_doc_type(handbook, args.kind))
        relative, problem = templates.document_path(args.target, layout.docs_dir.name)
        messages.append(problem)
        target = layout.docs_dir / relative
        text = templates.document_text(args.kind, title or templates.title_from_path(relative), klassa, owner, today)
    shown = handbook.report_path(target)
    if target.exists() and not messages[-1]:  # an id in use or a bad path is reported already
        messages.append(f"{shown} finns redan; öppna och redigera den filen eller välj ett annat namn")
    messages = [m for m in messages if m]
    if messages:
        return fail(messages)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8", newline="\n") as file:
        file.write(text)
    print(f"Skapade {shown} ({args.kind}, utkast, version {templates.START_VERSION}).")
    print("Fyll i texten, kontrollera med handbook check och förhandsgranska med handbook preview.")
    return 0
