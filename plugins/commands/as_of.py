"""`handbook as-of YYYY-MM-DD`: which version of each document and process applied on that day."""

from __future__ import annotations

import argparse
import datetime as dt

from ..core.archive import version_archive
from ..core.as_of import rows, to_csv, to_json, to_markdown
from ..core.handbook import SettingsError
from ..site.project import load_project
from .report import FORMATS, output_format, write_output



def register(sub) -> None:
    parser = sub.add_parser("as-of", help="vilken version av varje dokument och process som gällde ett visst datum")
    parser.add_argument("date", metavar="ÅÅÅÅ-MM-DD", help="dagen som frågan gäller, t.ex. 2025-09-15")
    parser.add_argument("--klassa", metavar="KOD", help="bara det som ligger på eller under Klassa-koden, t.ex. 2.3")
    parser.add_argument("--format", choices=FORMATS, help="markdown, csv eller json; standard: efter filändelsen i --output, annars markdown")
    parser.add_argument("-o", "--output", metavar="FIL", help="skriv svaret till filen i stället för till skärmen")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        day = dt.date.fromisoformat(args.date.strip()).isoformat()
    except ValueError:
        raise SettingsError(f"\"{args.date}\" är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-09-15") from None
    layout = load_project(args.root)
    handbook = layout.handbook()
    klassa = (args.klassa or "").strip().rstrip(".")
    if klassa and klassa not in handbook.klassa:
        raise SettingsError(f"Klassa-koden \"{klassa}\" i --klassa finns inte.{handbook.klassa.hint(klassa)}")
    found = rows(handbook, version_archive(handbook), day, klassa or None)
    kind = output_format(args)
    if kind == "csv":
        data = to_csv(found, layout.site_url)
    elif kind == "json":
        data = to_json(handbook, found, day, klassa or None).encode("utf-8")
    else:
        data = to_markdown(found, day, layout.site_url).encode("utf-8")
    return write_output(data, args.output, f"{len(found)} dokument och processer")
