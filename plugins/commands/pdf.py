"""`handbook pdf`: controlled PDFs of a built site, one per published document and process, or one edition."""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

from ..core.handbook import SettingsError
from ..core.pdf import edition_sections, footer_template, header_template, load_stamp, targets
from ..site.project import load_project


def register(sub) -> None:
    parser = sub.add_parser("pdf", help="PDF av varje publicerat dokument och process i en byggd webbplats, eller hela handboken som en utgåva")
    parser.add_argument("--site-dir", default="site", metavar="MAPP", help="den byggda webbplatsen (standard: site)")
    parser.add_argument("--edition", action="store_true", help="hela den publicerade handboken som en PDF (utgåva)")
    parser.add_argument("--previous-site", metavar="MAPP", help="förra publicerade webbplatsen: dess PDF för oförändrade sidor återanvänds")
    parser.add_argument("--time-limit", type=float, metavar="SEKUNDER",
                        help="skriv inte ut fler PDF efter så här många sekunder; resten väntar till nästa körning (standard: ingen gräns)")
    parser.add_argument("-o", "--output", metavar="FIL", help="utgåvans fil (standard: handbok-utgava-DATUM.pdf)")
    parser.set_defaults(run=run)


def _site(args, layout) -> Path:
    site = Path(args.site_dir)
    if not site.is_absolute():
        site = (Path.cwd() / site) if (Path.cwd() / site).is_dir() else layout.root / site
    if not (site / "index.html").is_file():
        raise SettingsError(f"{site}: ingen byggd webbplats (index.html saknas); bygg den först med mkdocs build "
                            "eller handbook publish, eller ange den med --site-dir")
    return site


def write_edition(site: Path, handbook, site_name: str, site_url: str, today: dt.date, out: Path) -> int:
    """The whole published handbook as one PDF at `out`; returns its number of pages."""
    from ..core.pdf_print import Printer, print_jobs

    stamp = load_stamp(site) or {"date": today.isoformat(), "label": today.isoformat()}
    sections = edition_sections(handbook)
    with tempfile.TemporaryDirectory(prefix="handbok-utgava-") as tmp:
        work = Path(tmp)
        parts: list[tuple[Path, str, tuple[str, str]]] = []
        jobs = []
        for i, target in enumerate(targets(handbook)):
            if not (site / unquote(target.url) / "index.html").is_file():
                continue
            path = work / f"{i:05d}.pdf"
            jobs.append((target.url, path, header_template(target), footer_template(target, site_url, today, numbered=False),
                         target.kind == "process", target.title))
            parts.append((path, target.title, (target.kind, target.key)))
        print_jobs(site, jobs, site_url=site_url)  # the items, two tabs at once
        with Printer(site) as printer:  # the cover and the page numbers: pages we write ourselves
            count = _assemble(site_name, stamp, sections, parts, printer, work, out)
    return count


def _assemble(site_name: str, stamp: dict, sections, parts, printer, work: Path, out: Path) -> int:
    from ..core.pdf_edition import cover_html, merge, numbers_html, overlay_numbers, page_sizes
    from ..core.pdf_tags import finish_file

    counts = [len(page_sizes(p)) for p, _, _ in parts]
    cover = work / "omslag.pdf"
    pages: dict = {}
    for _ in range(3):  # the contents' own length decides where the items start
        printer.html(cover_html(site_name, stamp, sections, pages), cover)
        first = len(page_sizes(cover)) + 1
        numbered = {}
        for (_, _, key), count in zip(parts, counts):
            numbered[key] = first
            first += count
        if numbered == pages:
            break
        pages = numbered
    title = f"{site_name} – utgåva {stamp.get('date', '')}"
    joined = work / "utgava.pdf"
    merge([(cover, "Innehåll"), *((p, label) for p, label, _ in parts)], joined, title)
    sizes = page_sizes(joined)
    numbers = work / "sidnummer.pdf"
    printer.html(numbers_html(sizes, f"{site_name}, utgåva {stamp.get('label', '')}", skip=1), numbers)
    overlay_numbers(joined, numbers)
    finish_file(joined, title)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(joined), out)
    return len(sizes)


def run(args: argparse.Namespace) -> int:
    from ..core.pdf_print import PrintError

    layout = load_project(args.root)
    handbook = layout.handbook()
    site = _site(args, layout)
    today = layout.settings.today
    try:
        if args.edition:
            out = Path(args.output or f"handbok-utgava-{today.isoformat()}.pdf")
            started = time.monotonic()
            count = write_edition(site, handbook, layout.site_name, layout.site_url, today, out)
            print(f"handbook pdf: utgåvan {out} ({count} sidor, {time.monotonic() - started:.1f} s)")
        else:
            from ..core.pdf_print import write_pages

            write_pages(site, handbook, layout.site_url, today, Path(args.previous_site) if args.previous_site else None,
                        time_limit=args.time_limit)
    except PrintError as exc:
        print(f"handbook pdf: fel: {exc}", file=sys.stderr)
        return 2
    return 0
