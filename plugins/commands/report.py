"""`handbook report`: what must be reviewed, as Markdown, CSV for Excel or JSON; with filters."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.handbook import Handbook, SettingsError
from ..core.problems import did_you_mean
from ..core.reminders import site_url_problem
from ..core.reports import (maturity_csv, maturity_json, maturity_markdown, requirements_csv, requirements_json,
                            requirements_markdown, to_csv, to_json, to_markdown)
from ..core.review import NEEDS_REVIEW, STATUSES, OwnerGroup, group_by_owner, review_items
from ..site.project import Project, load_project

FORMATS = {"markdown": ".md", "csv": ".csv", "json": ".json"}


def add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--owner", action="append", metavar="ROLL-ID",
                        help="bara det som rollen ansvarar för; kan anges flera gånger")
    parser.add_argument("--status", action="append", choices=STATUSES,
                        help="overdue (revision försenad), due (ska revideras snart) eller ok; "
                             "kan anges flera gånger; standard: overdue och due")
    parser.add_argument("--klassa", metavar="KOD", help="bara det som ligger på eller under Klassa-koden, t.ex. 2.3")


def select(args: argparse.Namespace) -> tuple[Project, Handbook, list[OwnerGroup], dict]:
    """The handbook and the groups the filters pick; an unknown role or code is a SettingsError."""
    layout = load_project(args.root)
    handbook = layout.handbook()
    for owner in args.owner or []:
        if owner not in handbook.roles:
            raise SettingsError(f"okänd roll \"{owner}\" i --owner.{did_you_mean(owner, handbook.roles.roles)}")
    klassa = (args.klassa or "").strip().rstrip(".")
    if klassa and klassa not in handbook.klassa:
        raise SettingsError(f"Klassa-koden \"{klassa}\" i --klassa finns inte.{handbook.klassa.hint(klassa)}")
    statuses = tuple(args.status or NEEDS_REVIEW)
    items = review_items(handbook, statuses, args.owner, klassa or None)
    filters = {"owner": args.owner or [], "status": list(statuses), "klassa": klassa or None}
    return layout, handbook, group_by_owner(handbook, items), filters


def register(sub) -> None:
    parser = sub.add_parser("report", help="rapport över dokument och processer att revidera (Markdown, CSV för Excel eller JSON)")
    parser.add_argument("--format", choices=FORMATS, help="markdown, csv eller json; standard: efter filändelsen i --output, annars markdown")
    parser.add_argument("-o", "--output", metavar="FIL", help="skriv rapporten till filen i stället för till skärmen")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--maturity", action="store_true",
                      help="processernas mognad (de tio stegen) i stället för revisionen; --owner och --klassa väljer processer")
    kind.add_argument("--requirements", action="store_true",
                      help="kravregistret: vad som uppfyller varje krav och vilka krav som inget uppfyller")
    add_filters(parser)
    parser.set_defaults(run=run)


def output_format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.output).suffix.lower() if args.output else ""
    return next((name for name, ext in FORMATS.items() if ext == suffix), "markdown")


def write_output(data: bytes, output: str | None, summary: str) -> int:
    """A report's bytes to the file -o names (saying so on stderr, with `summary`), else to stdout."""
    if output:
        Path(output).write_bytes(data)
        print(f"Skrev {output} ({summary}).", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def run(args: argparse.Namespace) -> int:
    if getattr(args, "maturity", False) or getattr(args, "requirements", False):
        return run_improvement(args)
    layout, handbook, groups, filters = select(args)
    kind = output_format(args)
    if kind != "json" and (problem := site_url_problem(layout.site_url, "rapporten")):
        print(f"handbook: varning: {problem}", file=sys.stderr)
    if kind == "csv":
        data = to_csv(groups, layout.site_url)
    elif kind == "json":
        data = to_json(handbook, groups, filters).encode("utf-8")
    else:
        data = to_markdown(handbook, groups, layout.site_url).encode("utf-8")
    return write_output(data, args.output, f"{sum(len(g.items) for g in groups)} dokument och processer")


def run_improvement(args: argparse.Namespace) -> int:
    """`--maturity` or `--requirements`: only what the classification gate publishes, as the site shows it."""
    from ..core.maturity import activity_findings, overview
    from ..core.requirements import fulfilments

    if args.status:
        raise SettingsError("--status gäller revisionsrapporten; utelämna det med --maturity eller --requirements")
    layout, handbook, _, filters = select(args)
    filters.pop("status", None)
    kind = output_format(args)
    site_url = layout.site_url
    if args.maturity:
        rows = [r for r in overview(handbook) if _chosen(r.process, args.owner, filters["klassa"])]
        ids = {r.process.id for r in rows}
        findings = activity_findings(handbook, published_only=True) if handbook.settings.activity_rutin_rule in ("warn", "error") else []
        findings = [f for f in findings if f.process.id in ids]
        count, what = len(rows), "processer"
        if kind == "csv":
            data = maturity_csv(rows, site_url)
        elif kind == "json":
            data = maturity_json(handbook, rows, findings, filters, site_url).encode("utf-8")
        else:
            data = maturity_markdown(handbook, rows, findings, site_url).encode("utf-8")
    else:
        entries = list(fulfilments(handbook).values())
        count, what = len(entries), "krav"
        if kind == "csv":
            data = requirements_csv(handbook, entries, site_url)
        elif kind == "json":
            data = requirements_json(handbook, entries, site_url).encode("utf-8")
        else:
            data = requirements_markdown(handbook, entries, site_url).encode("utf-8")
    return write_output(data, args.output, f"{count} {what}")


def _chosen(process, owners, klassa) -> bool:
    if owners and process.owner not in owners:
        return False
    return not klassa or process.klassa == klassa or process.klassa.startswith(klassa + ".")
