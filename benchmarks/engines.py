"""Issue 21 item 5: the engines side by side on the same generated handbook.

    .venv/bin/python benchmarks/engines.py --sizes 2000 --rounds 3

For each size the handbook of `generate.py` (the same one `run.py` measures, reused from
`--work`) is built alternately, in an order that is reversed every round, by:

- plain: plain mkdocs-material on the same docs/ (no handbook plugin; `run.py`'s A),
- mkdocs: the handbook's own mkdocs.yml with the plugin on MkDocs 1.6 (`run.py`'s B),
- properdocs: the same on ProperDocs 1.6 (`python -m properdocs build`),
- export: `handbook export` of the handbook into a fresh folder (the time to write the project),
- zensical: `zensical build --clean` of that export (no cache from an earlier round),
- export-material: `mkdocs build` of the same export (Material without the plugin).

It prints the medians (wall), the ratio of each to plain, and the peak memory (max RSS of the
one child) of each, as a Markdown table for RESULTS.md; `--json` keeps the raw figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402 - the same handbooks, child runner and machine description as run.py

TARGETS = ("plain", "mkdocs", "properdocs", "export", "export-material", "zensical")  # the slowest last


def commands(root: Path, sites: Path, size: int) -> dict:
    export = sites / f"{size}-export"
    return {
        "plain": ([str(run.BIN / "mkdocs"), "build", "-f", "mkdocs.plain.yml", "-d", str(sites / f"{size}-plain")], root),
        "mkdocs": ([str(run.BIN / "mkdocs"), "build", "-d", str(sites / f"{size}-mkdocs")], root),
        "properdocs": ([str(run.BIN / "python"), "-m", "properdocs", "build", "-d", str(sites / f"{size}-properdocs")], root),
        "export": ([str(run.BIN / "handbook"), "--root", str(root), "export", str(export)], root),
        "zensical": ([str(run.BIN / "zensical"), "build", "--clean"], export),
        "export-material": ([str(run.BIN / "mkdocs"), "build", "-d", str(sites / f"{size}-export-material")], export),
    }


def clear(sites: Path, size: int) -> None:
    for name in TARGETS:
        shutil.rmtree(sites / f"{size}-{name}", ignore_errors=True)


def measure(size: int, rounds: int, work: Path, sites: Path, seed: int) -> dict:
    root = run.prepare(work, size, run.PROCESSES.get(size, size // 20), seed)
    times = {name: [] for name in TARGETS}
    rss = {name: 0 for name in TARGETS}
    for number in range(rounds):
        clear(sites, size)
        order = list(TARGETS) if number % 2 == 0 else ["export", "zensical", "export-material", "properdocs", "mkdocs", "plain"]
        done = {}
        for name in order:  # the export is written before the two builds that read it, in both orders
            command, cwd = commands(root, sites, size)[name]
            result = run.run_child(command, cwd)
            if result.returncode != 0:
                sys.exit(f"{name} failed ({' '.join(command)}):\n{result.output[-3000:]}")
            times[name].append(result.seconds)
            rss[name] = max(rss[name], result.max_rss)
            done[name] = result
            print(f"    {name}: {result.seconds:.2f} s, {result.max_rss / 1024 / 1024:.0f} MB, load {os.getloadavg()[0]:.2f}",
                  flush=True)  # each as it comes: a long run that fails later keeps what it measured
        print(f"  N={size} round {number + 1}: " + ", ".join(f"{n} {done[n].seconds:.2f} s" for n in order)
              + f", load {os.getloadavg()[0]:.2f}", flush=True)
    pages = {name: sum(1 for _ in (sites / f"{size}-{name}").rglob("index.html"))
             for name in ("plain", "mkdocs", "properdocs", "export-material")}
    pages["zensical"] = sum(1 for _ in (sites / f"{size}-export" / "site").rglob("index.html"))
    clear(sites, size)
    return {"documents": size, "processes": run.PROCESSES.get(size, size // 20), "times": times, "max_rss": rss, "pages": pages}


def table(results: list[dict]) -> str:
    lines = ["| target | " + " | ".join(f"{r['documents']:,} docs + {r['processes']} processes" for r in results) + " |",
             "|---|" + "---|" * len(results)]
    for name in TARGETS:
        cells = []
        for r in results:
            median = statistics.median(r["times"][name])
            ratio = median / statistics.median(r["times"]["plain"])
            cells.append(f"{median:.2f} s ({ratio:.2f}), {r['max_rss'][name] / 1024 / 1024:.0f} MB")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/handbook-benchmark"))
    parser.add_argument("--sites", type=Path, default=run.default_sites())
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    args.sites.mkdir(parents=True, exist_ok=True)
    info = run.machine()
    results = [measure(size, args.rounds, args.work, args.sites, args.seed) for size in args.sizes]
    info["load_after"] = os.getloadavg()
    print(table(results))
    print(json.dumps(info, indent=1))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
