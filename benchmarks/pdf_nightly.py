"""What the controlled PDFs cost the nightly build (issue 18 item 7).

    .venv/bin/python benchmarks/pdf_nightly.py --documents 500 --processes 25 --versions 5 --changed 10

Generates a handbook (`generate.py`), commits it `--versions` times with the version of every
governed document raised each time (a git history as a nightly clone has it, in a temporary
repository), then builds it with the handbook's own mkdocs.yml:

1. `pdf` off: the plain nightly build (the baseline);
2. `pdf` on, no previous site: the first night, with the default time limit (the build's own time):
   what is not printed in time waits;
3. `pdf` on, last night's site as the previous one, nothing changed, night after night until nothing
   waits: the backlog printed, then every PDF reused;
4. the same after `--changed` documents were edited and committed: a typical night;
5. `pdf` off again; and, with `--unlimited`, a first night with no time limit (every page printed:
   the printing's own speed).

Prints the wall times and their ratios to the baseline as JSON (and writes it with --out).
Nothing here is a pass/fail test; the figures go to RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

GIT = ["-c", "user.name=Benchmark", "-c", "user.email=bench@example.se", "-c", "commit.gpgsign=false"]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *GIT, *args], check=True, capture_output=True)


def raise_versions(root: Path, step: int) -> int:
    """Version x.0 → x.step of every governed document (front matter `version:`); returns how many."""
    count = 0
    for path in (root / "docs").rglob("*.md"):
        text = path.read_text("utf-8")
        new, n = re.subn(r"^version: *['\"]?(\d+)\.\d+['\"]?$", lambda m: f'version: "{m.group(1)}.{step}"', text,
                         count=1, flags=re.M)
        if n:
            path.write_text(new, "utf-8")
            count += 1
    return count


def edit(root: Path, count: int) -> list[str]:
    changed = []
    for path in sorted((root / "docs").rglob("*.md")):
        if len(changed) >= count:
            break
        text = path.read_text("utf-8")
        if "\nversion:" in text and "state: fastställd" in text:
            path.write_text(text + "\nEtt stycke som ändrades i natt.\n", "utf-8")
            changed.append(path.relative_to(root / "docs").as_posix())
    return changed


def build(root: Path, site: Path, pdf: bool, previous: Path | None = None) -> tuple[float, str]:
    env = {**os.environ, "HANDBOOK_TODAY": generate.TODAY, "NO_MKDOCS_2_WARNING": "1",
           "HANDBOOK_PDF": "1" if pdf else "0", "HANDBOOK_SITE_URL": "https://intra.benchby.se/handbok/"}
    env.pop("HANDBOOK_PDF_PREVIOUS", None)
    if previous is not None:
        env["HANDBOOK_PDF_PREVIOUS"] = str(previous)
    started = time.monotonic()
    result = subprocess.run([str(BIN / "mkdocs"), "build", "-d", str(site)], cwd=root, env=env,
                            capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode:
        raise SystemExit(result.stdout + result.stderr)
    line = next((l for l in (result.stdout + result.stderr).splitlines() if "handbook pdf:" in l), "")
    return elapsed, line.split("handbook pdf:", 1)[-1].strip()


def counts(line: str) -> dict:
    """The PDF step's own figures from its log line."""
    found = {}
    for key, pattern in (("pdfs", r"(\d+) PDF i"), ("printed", r"(\d+) utskrivna"), ("reused", r"(\d+) oförändrade"),
                         ("waiting", r"(\d+) väntar"), ("step_s", r"\((\d+\.\d+) s\)")):
        match = re.search(pattern, line)
        found[key] = float(match.group(1)) if match and key == "step_s" else int(match.group(1)) if match else 0
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--processes", type=int, default=25)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--changed", type=int, default=10)
    parser.add_argument("--unlimited", action="store_true", help="also a first night without a time limit")
    parser.add_argument("--out", help="write the figures as JSON here too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as tmp:
        root = Path(tmp) / "h"
        generate.generate(root, args.documents, args.processes)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "overrides", root / "overrides", dirs_exist_ok=True)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        for step in range(args.versions):
            if step:
                raise_versions(root, step)
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", f"Version {step + 1}")
        sites = Path(tmp) / "sites"
        figures: dict = {"documents": args.documents, "processes": args.processes, "versions": args.versions}
        figures["baseline_s"], _ = build(root, sites / "0", pdf=False)
        nights, previous = [], None
        for night in range(1, 9):  # the first night, then nights with nothing changed until nothing waits
            site = sites / f"n{night}"
            seconds, line = build(root, site, pdf=True, previous=previous)
            nights.append({"night": night, "s": round(seconds, 1), **counts(line)})
            print(json.dumps(nights[-1]), file=sys.stderr)
            if previous is not None:
                shutil.rmtree(previous)
            previous = site
            if not nights[-1]["waiting"] and night > 1:
                break
        figures["nights"] = nights
        changed = edit(root, args.changed)
        git(root, "commit", "-q", "-am", "Natt")
        figures["changed_documents"] = len(changed)
        seconds, line = build(root, sites / "3", pdf=True, previous=previous)
        figures["typical_night"] = {"s": round(seconds, 1), **counts(line)}
        figures["baseline_again_s"], _ = build(root, sites / "4", pdf=False)
        if args.unlimited:
            os.environ["HANDBOOK_PDF_TIME_LIMIT"] = "0"
            seconds, line = build(root, sites / "5", pdf=True)
            figures["unlimited_first_night"] = {"s": round(seconds, 1), **counts(line)}
        pdfs = list((sites / "3" / "pdf").rglob("*.pdf"))
        figures["pdfs"] = len(pdfs)
        figures["pdf_bytes"] = sum(p.stat().st_size for p in pdfs)
    base = (figures["baseline_s"] + figures["baseline_again_s"]) / 2
    for night in figures["nights"]:
        night["ratio"] = round(night["s"] / base, 2)
    for key in ("typical_night", "unlimited_first_night"):
        if key in figures:
            figures[key]["ratio"] = round(figures[key]["s"] / base, 2)
    text = json.dumps(figures, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
