"""`handbook archive --out MAPP`: each decided version not yet exported, as PDF/A with its metadata, for the diarium."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from ..core.handbook import SettingsError
from ..core.reports import csv_bytes
from ..core.pdf import Target, footer_template, header_template
from ..site.project import load_project

INDEX = "arkivforteckning.json"
LISTING = "arkivforteckning.csv"
COLUMNS = ["fil", "typ", "id", "titel", "version", "status", "giltig_fran", "giltig_till", "beslutad_av", "beslutsdatum",
           "diarienummer", "klassa", "dokumenttyp", "agare", "informationsklass", "commit", "beslutande_commit",
           "adress", "pdf_format", "sha256", "exporterad"]


def register(sub) -> None:
    parser = sub.add_parser("archive", help="exportera varje fastställd version som inte exporterats än: PDF/A och metadata (JSON, CSV) för diariet")
    parser.add_argument("--out", required=True, metavar="MAPP", help="exportmappen; det som redan finns där exporteras inte igen")
    parser.add_argument("--site-dir", default="site", metavar="MAPP", help="den byggda webbplatsen med arkivsidorna (standard: site)")
    parser.set_defaults(run=run)


def file_stem(kind: str, key: str, slug: str) -> str:
    base = f"process-{key}" if kind == "process" else key.removesuffix(".md")
    return re.sub(r"[^0-9A-Za-z._-]+", "-", f"{base}_version-{slug}").strip("-")


def _record(version, name: str, address: str, digest: str, today: dt.date) -> dict:
    return {"fil": name, "typ": "process" if version.kind == "process" else "dokument", "id": version.key,
            "titel": version.title, "version": version.version, "status": version.state,
            "giltig_fran": version.valid_from, "giltig_till": version.valid_to, "beslutad_av": version.decided_by,
            "beslutsdatum": version.decision_date, "diarienummer": version.diarienummer, "klassa": version.klassa,
            "dokumenttyp": version.doc_type, "agare": version.owner, "informationsklass": version.information_class,
            "commit": version.commit, "beslutande_commit": version.decided_commit, "adress": address,
            "pdf_format": "PDF/A-1b (ISO 19005-1), taggad", "sha256": digest, "exporterad": today.isoformat()}


def _load_index(out: Path) -> list[dict]:
    path = out / INDEX
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"{path}: arkivförteckningen kan inte läsas ({exc}); rätta eller flytta den") from None
    if not isinstance(data, list):
        raise SettingsError(f"{path}: arkivförteckningen är ingen lista; rätta eller flytta den")
    return data


def run(args: argparse.Namespace) -> int:
    from ..core.archive import version_archive
    from ..core.pdf_archive import to_pdfa
    from ..core.pdf_print import PrintError, print_jobs

    layout = load_project(args.root)
    handbook = layout.handbook()
    site = Path(args.site_dir)
    if not site.is_absolute():
        site = (Path.cwd() / site) if (Path.cwd() / site).is_dir() else layout.root / site
    out = Path(args.out)
    today = layout.settings.today
    archive = version_archive(handbook)
    done = _load_index(out)
    exported = {(e.get("typ"), e.get("id"), e.get("version"), e.get("commit")) for e in done if isinstance(e, dict)}
    waiting = []
    for version in archive.versions():
        kind = "process" if version.kind == "process" else "dokument"
        if not version.publishable or not version.commit or (kind, version.key, version.version, version.commit) in exported:
            continue  # withheld (then or now), not committed yet, or exported before
        if not (site / version.url / "index.html").is_file():
            print(f"handbook archive: {version.source}: version {version.version} har ingen arkivsida i {site} "
                  f"({version.url}); bygg webbplatsen först", file=sys.stderr)
            continue
        waiting.append(version)
    new = []
    if waiting:
        out.mkdir(parents=True, exist_ok=True)
        try:
            with tempfile.TemporaryDirectory(prefix="handbok-arkiv-") as tmp:
                jobs = []
                for i, version in enumerate(waiting):
                    target = Target(version.kind, version.key, version.title, version.version, version.valid_from,
                                    version.diarienummer, version.klassa, version.url)
                    jobs.append((version.url, Path(tmp) / f"{i:06d}.pdf", header_template(target),
                                 footer_template(target, layout.site_url, today), version.kind == "process", version.title))
                print_jobs(site, jobs, site_url=layout.site_url)  # two tabs at once: a first export of a large history is long
                for version, job in zip(waiting, jobs):
                    name = file_stem(version.kind, version.key, version.slug) + ".pdf"
                    to_pdfa(job[1], out / name, f"{version.title}, version {version.version}")
                    digest = hashlib.sha256((out / name).read_bytes()).hexdigest()
                    url = quote(version.url)
                    address = (layout.site_url.rstrip("/") + "/" + url) if layout.site_url else "/" + url
                    record = _record(version, name, address, digest, today)
                    (out / name.replace(".pdf", ".json")).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", "utf-8")
                    new.append(record)
        except PrintError as exc:
            print(f"handbook archive: fel: {exc}", file=sys.stderr)
            return 2
        finally:
            if new:
                _write_index(out, done + new)
    print(f"handbook archive: {len(new)} nya versioner exporterade till {out} ({len(done) + len(new)} i arkivförteckningen)")
    return 0


def _write_index(out: Path, records: list[dict]) -> None:
    (out / INDEX).write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", "utf-8")
    rows = [COLUMNS, *([record.get(k, "") for k in COLUMNS] for record in records)]
    (out / LISTING).write_bytes(csv_bytes(rows))  # the handbook's CSV: UTF-8 with BOM, ";", no formulas
