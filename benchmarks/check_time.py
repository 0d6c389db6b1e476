"""How long `handbook check` takes on a 2,000-document handbook with requirements on every process (issue 19).

    python benchmarks/check_time.py [--out /tmp/check-bench] [--runs 7] [--documents 2000] [--processes 100]

Generates the handbook with `generate.py --requirements` (reused when the generator and its
parameters are unchanged), copies the repository's mkdocs.yml and overrides/ beside it, and runs
`handbook check` N times in a fresh process each time (the way an author runs it). Prints the
minimum and median wall time and CPU time (user + sys of the child) and the machine's load.
The target is ≤ 1 s wall at 2,000 documents. With `--instructions`, also the instructions one
check executes, counted by valgrind (about 20 times slower, but not disturbed by other work on
the machine: the figure to compare two versions by on a busy machine).

Which code is timed is whichever `handbook` the Python finds: set PYTHONPATH to a folder with a
`handbook` link to time another working tree.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TODAY = generate.TODAY


def prepare(out: Path, documents: int, processes: int, seed: int) -> Path:
    params = {"documents": documents, "processes": processes, "seed": seed, "requirements": True,
              "generator": Path(generate.__file__).read_text("utf-8")}
    marker = out / ".check-bench-params.json"
    if not (marker.is_file() and json.loads(marker.read_text("utf-8")) == params):
        for name in ("docs", "processes"):
            shutil.rmtree(out / name, ignore_errors=True)
        generate.generate(out, documents, processes, seed, requirements=True)
        marker.write_text(json.dumps(params), "utf-8")
    shutil.copy(REPO / "mkdocs.yml", out / "mkdocs.yml")
    shutil.rmtree(out / "overrides", ignore_errors=True)
    shutil.copytree(REPO / "overrides", out / "overrides")
    return out


CHECK = [sys.executable, "-c", "import sys; from handbook.cli import main; sys.exit(main())"]


def time_check(root: Path) -> tuple[float, float, int, str]:
    """One `handbook check` in a fresh process: wall seconds, CPU seconds, exit code, output."""
    command = [*CHECK, "--root", str(root), "check"]
    env = {**os.environ, "HANDBOOK_TODAY": TODAY}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode, done.stdout + done.stderr


def count_instructions(root: Path) -> int:
    """Instructions one `handbook check` executes, counted by valgrind's cachegrind (no cache simulation)."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               *CHECK, "--root", str(root), "check"]
    done = subprocess.run(command, env={**os.environ, "HANDBOOK_TODAY": TODAY, "PYTHONHASHSEED": "0"},
                          capture_output=True, text=True)
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if not match:
        sys.exit(f"valgrind did not count instructions:\n{done.stderr[-3000:]}")
    return int(match.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `handbook check` on a generated handbook with requirements.")
    parser.add_argument("--out", default="/tmp/check-bench")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--instructions", action="store_true", help="also count the instructions of one check (valgrind)")
    args = parser.parse_args(argv)
    root = prepare(Path(args.out), args.documents, args.processes, args.seed)
    krav = (root / "processes" / "krav.yml").read_text("utf-8").count("\n  title:")
    print(f"handbook: {root} ({args.documents} documents, {args.processes} processes, {krav} requirements)")
    walls, cpus = [], []
    for _ in range(args.runs):
        wall, cpu, code, output = time_check(root)
        if code not in (0, 1):
            sys.exit(f"handbook check failed (exit {code}):\n{output[-3000:]}")
        walls.append(wall)
        cpus.append(cpu)
    last = output.strip().splitlines()[-1] if output.strip() else ""
    print(f"last line of check: {last} (exit {code})")
    print(f"wall: min {min(walls):.3f} s, median {statistics.median(walls):.3f} s over {args.runs} runs")
    print(f"cpu (user+sys): min {min(cpus):.3f} s, median {statistics.median(cpus):.3f} s")
    if args.instructions:
        print(f"instructions (valgrind): {count_instructions(root):,}")
    print(f"load: {Path('/proc/loadavg').read_text().strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
