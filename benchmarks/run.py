"""The handbook at municipal scale: build time against plain mkdocs-material, memory, sizes, preview.

    .venv/bin/python benchmarks/run.py                      # N = 500, 2,000 and 10,000
    .venv/bin/python benchmarks/run.py --sizes 2000 --rounds 5

For each size it generates a handbook (`generate.py`, committed to a fresh git repository as a
nightly build's clone would be), then builds the same docs/ alternately with
A: plain mkdocs-material (`navigation.prune`, Swedish search, no handbook plugin) and
B: the handbook's own mkdocs.yml (and, up to 2,000 documents, C: plain with the handbook's Markdown
extensions), and reports the median times and their ratio, `handbook check` time, the peak memory
(max RSS) of each build, the site's size, the search index's size and the HTML size of one probe
page whose content is the same at every size. Up to 2,000 documents it then
builds B and D, the handbook without its processes, in pairs one right after the other: what the
processes add is the mean of B / D - 1 over the pairs, with a 95 % interval (and, with
`--instructions`, the instructions each executes, counted by valgrind). At 2,000 documents it also
measures the preview: the time from saving an edit of one rutin to the new text being served by
`handbook preview` over HTTP on 127.0.0.1 (and, for comparison, by `mkdocs serve` of the whole
handbook). Nothing here is a pass/fail test; the figures go to RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PROCESSES = {500: 25, 2000: 100, 10000: 500}  # one process per 20 documents: 100 at 2,000 as the target says
PREVIEW_SIZE = 2000

PLAIN_CONFIG = """\
site_name: Benchby kommun (plain mkdocs-material)
docs_dir: docs
theme:
  name: material
  language: sv
  font: false
  features:
    - navigation.prune
plugins:
  - search:
      lang: sv
"""


def markdown_extensions(config_text: str) -> str:
    """The `markdown_extensions:` section of a mkdocs.yml as written, less the guard (it needs the plugin)."""
    lines, inside = [], False
    for line in config_text.splitlines():
        if line.startswith("markdown_extensions:"):
            inside = True
        elif inside and line and not line[0].isspace() and not line.startswith(("-", "#")):
            break
        if inside and "handbook.site.guard" not in line:
            lines.append(line)
    return "\n".join(lines) + "\n"


@dataclass
class Run:
    seconds: float  # wall clock
    cpu: float  # user + system time of the child
    max_rss: int  # bytes
    returncode: int
    output: str = ""


@dataclass
class SizeResult:
    documents: int
    processes: int
    plain: list[float] = field(default_factory=list)
    handbook: list[float] = field(default_factory=list)
    plain_cpu: list[float] = field(default_factory=list)
    handbook_cpu: list[float] = field(default_factory=list)
    extensions: list[float] = field(default_factory=list)  # C: plain + the handbook's markdown_extensions
    pairs: list[tuple[float, float]] = field(default_factory=list)  # (B, D) seconds, built one after the other
    pairs_cpu: list[tuple[float, float]] = field(default_factory=list)  # the same pairs' CPU times
    instructions: dict = field(default_factory=dict)  # B and D: instructions executed (valgrind), when asked for
    plain_rss: int = 0
    handbook_rss: int = 0
    check: list[float] = field(default_factory=list)
    check_rss: int = 0
    site_bytes: dict = field(default_factory=dict)
    search_bytes: dict = field(default_factory=dict)
    probe_bytes: dict = field(default_factory=dict)
    probe_text_bytes: dict = field(default_factory=dict)  # whitespace runs collapsed
    pages: dict = field(default_factory=dict)
    warnings: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return statistics.median(self.handbook) / statistics.median(self.plain)

    @property
    def cpu_ratio(self) -> float:
        return statistics.median(self.handbook_cpu) / statistics.median(self.plain_cpu)

    @property
    def processes_share(self) -> float:
        """What the processes add to the handbook's build: the mean of B / D - 1 over the pairs."""
        return statistics.fmean(pair_shares(self.pairs))

    @property
    def processes_share_interval(self) -> tuple[float, float]:
        return bootstrap_interval(pair_shares(self.pairs))


def pair_shares(pairs: list[tuple[float, float]]) -> list[float]:
    return [b / d - 1 for b, d in pairs]


def bootstrap_interval(values: list[float], resamples: int = 10_000, seed: int = 0) -> tuple[float, float]:
    """A 95 % interval for the mean of `values` (percentile bootstrap; the same values give the same interval)."""
    rng = random.Random(seed)
    means = sorted(statistics.fmean(rng.choices(values, k=len(values))) for _ in range(resamples))
    return means[int(0.025 * resamples)], means[int(0.975 * resamples) - 1]


def environment() -> dict:
    env = {**os.environ, "HANDBOOK_TODAY": generate.TODAY, "NO_MKDOCS_2_WARNING": "1"}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("HANDBOOK_PREVIEW_KLASSA", None)
    env.pop("HANDBOOK_PREVIEW_FOLDER", None)
    return env


def run_child(command: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run a command; its wall time and the peak resident memory of that one child (wait4)."""
    log = cwd / ".benchmark-output.txt"
    with open(log, "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env or environment(), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, child.returncode,
               log.read_text("utf-8", "replace"))


# -- the handbooks ----------------------------------------------------------------


def prepare(work: Path, documents: int, processes: int, seed: int) -> Path:
    """work/<N>/ with docs/, processes/, both configurations and one git commit (reused if unchanged)."""
    root = work / str(documents)
    params = {"documents": documents, "processes": processes, "seed": seed,
              "generator": (Path(generate.__file__)).read_text("utf-8")}
    marker = root / ".benchmark-params.json"
    if not (marker.is_file() and json.loads(marker.read_text("utf-8")) == params):
        if root.exists():
            shutil.rmtree(root)
        generate.generate(root, documents, processes, seed)
        commit(root)
        marker.write_text(json.dumps(params), "utf-8")
    # The configurations are written every time: the handbook's follows the repository's mkdocs.yml.
    (root / "mkdocs.plain.yml").write_text(PLAIN_CONFIG, "utf-8")
    (root / "mkdocs.extensions.yml").write_text(PLAIN_CONFIG + markdown_extensions((REPO / "mkdocs.yml").read_text("utf-8")), "utf-8")
    handbook_configuration(root)
    return root


def commit(root: Path) -> None:
    """One git commit of docs/ and processes/, as a nightly build's clone has (the pages show their history)."""
    git = ["git", "-C", str(root), "-c", "user.name=Benchmark", "-c", "user.email=benchmark@benchby.se"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "docs", "processes"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Benchby kommuns handbok"], check=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": "2026-05-01T12:00:00", "GIT_COMMITTER_DATE": "2026-05-01T12:00:00"})


def handbook_configuration(root: Path) -> None:
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.rmtree(root / "overrides", ignore_errors=True)
    shutil.copytree(REPO / "overrides", root / "overrides")


def without_processes(root: Path) -> Path:
    """D: the same handbook with its processes taken out (issue 3: what do 100 processes add to a build?).

    The same docs/ (without the `processes:` lines that name the processes), roles and Klassa codes.
    """
    twin = root.parent / f"{root.name}-without-processes"
    shutil.rmtree(twin, ignore_errors=True)
    shutil.copytree(root / "docs", twin / "docs")
    (twin / "processes").mkdir()
    for name in ("roles.yml", "klassa.yml"):
        shutil.copy(root / "processes" / name, twin / "processes" / name)
    for path in (twin / "docs").rglob("*.md"):
        text = path.read_text("utf-8")
        if "\nprocesses:" in text:
            path.write_text(re.sub(r"(?m)^processes:.*\n", "", text), "utf-8")
    commit(twin)
    handbook_configuration(twin)
    return twin


def build(root: Path, config: str, site: Path) -> Run:
    shutil.rmtree(site, ignore_errors=True)
    result = run_child([str(BIN / "mkdocs"), "build", "-f", config, "-d", str(site)], root)
    if result.returncode != 0:
        sys.exit(f"mkdocs build -f {config} failed in {root}:\n{result.output[-3000:]}")
    return result


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure_size(root: Path, documents: int, processes: int, rounds: int, with_extensions: bool, sites: Path) -> SizeResult:
    result = SizeResult(documents, processes)
    builds = [("plain", root, "mkdocs.plain.yml"), ("handbook", root, "mkdocs.yml")]
    if with_extensions:  # C: where plain mkdocs-material would be with the handbook's Markdown extensions
        builds.append(("extensions", root, "mkdocs.extensions.yml"))
    for number in range(rounds):  # A B C, C B A, ...: the machine's other load falls on each alike
        runs = {}
        for name, folder, config in (builds if number % 2 == 0 else builds[::-1]):
            runs[name] = build(folder, config, sites / f"{documents}-{name}")
            getattr(result, name).append(runs[name].seconds)
        for name in ("plain", "handbook"):
            getattr(result, f"{name}_cpu").append(runs[name].cpu)
        result.plain_rss = max(result.plain_rss, runs["plain"].max_rss)
        result.handbook_rss = max(result.handbook_rss, runs["handbook"].max_rss)
        print(f"  N={documents}: " + ", ".join(f"{name} {run.seconds:.2f} s (cpu {run.cpu:.2f})" for name, run in runs.items())
              + f", load {os.getloadavg()[0]:.2f}", flush=True)
        result.warnings = {"plain": runs["plain"].output.count("WARNING"), "handbook": runs["handbook"].output.count("WARNING")}
    for _ in range(max(3, rounds)):
        check = run_child([str(BIN / "handbook"), "--root", str(root), "check"], root)
        if check.returncode != 0:
            sys.exit(f"handbook check found errors in the generated handbook:\n{check.output[-3000:]}")
        result.check.append(check.seconds)
        result.check_rss = max(result.check_rss, check.max_rss)
    for name in ("plain", "handbook"):
        site = sites / f"{documents}-{name}"
        result.site_bytes[name] = folder_bytes(site)
        result.search_bytes[name] = (site / "search" / "search_index.json").stat().st_size
        probe = (site / generate.PROBE_URL / "index.html").read_text("utf-8")
        result.probe_bytes[name] = len(probe.encode("utf-8"))
        result.probe_text_bytes[name] = len(" ".join(probe.split()).encode("utf-8"))
        result.pages[name] = sum(1 for _ in site.rglob("index.html"))
    for name, _, _ in builds:  # the sites may be in memory (/dev/shm)
        shutil.rmtree(sites / f"{documents}-{name}", ignore_errors=True)
    return result


def measure_processes(result: SizeResult, root: Path, twin: Path, pairs: int, instructions: bool, sites: Path) -> None:
    """Issue 3: what the processes add. B and D built one right after the other, `pairs` times (B D, D B, ...).

    A difference of a few per cent needs pairs: builds a minute apart differ by up to 3 % on a shared
    machine, and the mean of many pairs has a narrow interval where the medians of five rounds do not.
    """
    both = [("handbook", root), ("without_processes", twin)]
    for number in range(pairs):
        runs = {name: build(folder, "mkdocs.yml", sites / f"{result.documents}-{name}")
                for name, folder in (both if number % 2 == 0 else both[::-1])}
        result.pairs.append((runs["handbook"].seconds, runs["without_processes"].seconds))
        result.pairs_cpu.append((runs["handbook"].cpu, runs["without_processes"].cpu))
        print(f"  N={result.documents} pair {number + 1}: B {runs['handbook'].seconds:.2f} s, "
              f"D {runs['without_processes'].seconds:.2f} s, load {os.getloadavg()[0]:.2f}", flush=True)
    if instructions:
        with ThreadPoolExecutor(2) as pool:  # instruction counts do not depend on what else runs
            counts = pool.map(lambda item: count_instructions(item[1], sites / f"{result.documents}-{item[0]}-valgrind"), both)
            result.instructions = dict(zip((name for name, _ in both), counts))
    for name, _ in both:
        shutil.rmtree(sites / f"{result.documents}-{name}", ignore_errors=True)


def count_instructions(root: Path, site: Path) -> int:
    """Instructions one `mkdocs build` executes, counted by valgrind (about 16 times slower than a build)."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               str(BIN / "mkdocs"), "build", "-f", "mkdocs.yml", "-d", str(site)]
    run = run_child(command, root, {**environment(), "PYTHONHASHSEED": "0"})
    shutil.rmtree(site, ignore_errors=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", run.output)
    if run.returncode != 0 or not found:
        sys.exit(f"valgrind mkdocs build failed in {root}:\n{run.output[-3000:]}")
    return int(found.group(1).replace(",", ""))


# -- the preview ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(url: str, text: str, timeout: float) -> float | None:
    """Seconds until the page at `url` contains `text`, polled every 20 ms; None after `timeout`."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        page = fetch(url)
        if page is not None and text in page:
            return time.perf_counter() - start
        time.sleep(0.02)
    return None


def edit_latencies(root: Path, command: list[str], edits: int, startup_timeout: float) -> tuple[list[float], float]:
    """Start a server, save `edits` edits of the probe rutin one after the other, time each until served."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{generate.PROBE_URL}/"
    probe = root / "docs" / generate.PROBE_PATH
    original = probe.read_text("utf-8")
    log = open(root / ".benchmark-serve.txt", "wb")
    start = time.perf_counter()
    server = subprocess.Popen([*command, str(port)], cwd=root, env=environment(), stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    latencies = []
    try:
        if wait_for(url, generate.PROBE_TITLE, startup_timeout) is None:
            sys.exit(f"the server did not serve {url}; see {root / '.benchmark-serve.txt'}")
        startup = time.perf_counter() - start
        time.sleep(1.0)  # let the watcher settle
        for number in range(edits):
            token = f"Ändring nummer {number} {time.time_ns()}"
            probe.write_text(original + f"\n{token}\n", "utf-8")
            seconds = wait_for(url, token, 120)
            if seconds is None:
                sys.exit(f"the edit never reached {url}; see {root / '.benchmark-serve.txt'}")
            latencies.append(seconds)
            time.sleep(1.0)
    finally:
        probe.write_text(original, "utf-8")
        os.killpg(server.pid, signal.SIGINT)  # the server's own process group, started above
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    return latencies, startup


def measure_preview(root: Path, edits: int, full_edits: int) -> dict:
    handbook = [str(BIN / "handbook"), "--root", str(root), "preview", "--klassa", generate.PROBE_PREFIX, "--port"]
    preview, preview_start = edit_latencies(root, handbook, edits, 120)
    folder = [str(BIN / "handbook"), "--root", str(root), "preview", "--folder", generate.PROBE_FOLDER, "--port"]
    by_folder, folder_start = edit_latencies(root, folder, edits, 120)
    result = {"prefix": generate.PROBE_PREFIX, "preview": preview, "preview_startup": preview_start,
              "folder": generate.PROBE_FOLDER, "by_folder": by_folder, "folder_startup": folder_start}
    if full_edits:
        serve = ["sh", "-c", 'exec "$0" serve -f mkdocs.yml --dev-addr "127.0.0.1:$1"', str(BIN / "mkdocs")]
        full, full_start = edit_latencies(root, serve, full_edits, 900)
        result.update(full=full, full_startup=full_start)
    return result


# -- the report -------------------------------------------------------------------


def versions() -> dict:
    from importlib.metadata import version
    return {name: version(name) for name in ("mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "Jinja2")}


def machine() -> dict:
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    return {"handbook_commit": commit, "nproc": os.cpu_count(), "cpu": model, "memory_gib": round(int(memory) / 1024 / 1024, 1),
            "python": platform.python_version(), "system": platform.platform(), "load_before": os.getloadavg(),
            **versions()}


def mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def report(results: list[SizeResult], preview: dict | None, info: dict, preview_size: int = PREVIEW_SIZE) -> str:
    lines = ["| | " + " | ".join(f"N = {r.documents:,} (P = {r.processes})" for r in results) + " |",
             "|---|" + "---|" * len(results)]

    def row(label: str, cells) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    median = statistics.median
    row("rounds (A B alternating)", [str(len(r.plain)) for r in results])
    row("plain mkdocs-material, median", [f"{median(r.plain):.2f} s" for r in results])
    row("handbook, median", [f"{median(r.handbook):.2f} s" for r in results])
    row("**ratio handbook / plain** (target ≤ 1.15 at 2,000)", [f"**{r.ratio:.3f}**" for r in results])
    row("all plain times", [", ".join(f"{t:.2f}" for t in r.plain) for r in results])
    row("all handbook times", [", ".join(f"{t:.2f}" for t in r.handbook) for r in results])
    row("CPU time (user + system), plain / handbook, median",
        [f"{median(r.plain_cpu):.2f} / {median(r.handbook_cpu):.2f} s" for r in results])
    row("ratio of CPU times", [f"{r.cpu_ratio:.3f}" for r in results])
    row("C: plain + the handbook's `markdown_extensions`, median",
        [f"{median(r.extensions):.2f} s" if r.extensions else "–" for r in results])
    row("handbook / C (the plugin's share without the extensions)",
        [f"{median(r.handbook) / median(r.extensions):.3f}" if r.extensions else "–" for r in results])
    row("D: the handbook without its processes, median of the pairs' builds",
        [f"{median(d for _, d in r.pairs):.2f} s" if r.pairs else "–" for r in results])
    row("**what the processes add: B / D − 1**, mean of the pairs and its 95 % interval (issue 3: ≤ 5 % at 2,000)",
        [share_cell(r) for r in results])
    row("B / D − 1 of each pair (B and D built one after the other)",
        [", ".join(f"{100 * x:.1f}" for x in pair_shares(r.pairs)) or "–" for r in results])
    row("the same in CPU time (user + system), mean", [f"{100 * statistics.fmean(pair_shares(r.pairs_cpu)):+.1f} %"
                                                       if r.pairs else "–" for r in results])
    row("instructions executed (valgrind), B / D − 1", [
        f"{100 * (r.instructions['handbook'] / r.instructions['without_processes'] - 1):+.2f} % "
        f"({r.instructions['handbook'] / 1e9:.2f} / {r.instructions['without_processes'] / 1e9:.2f} billion)"
        if r.instructions else "–" for r in results])
    row("`handbook check`, median (target ≤ 1 s at 2,000)", [f"{median(r.check):.2f} s" for r in results])
    row("peak memory, plain build", [mb(r.plain_rss) for r in results])
    row("peak memory, handbook build (target ≤ 1.5 GB at 10,000)", [mb(r.handbook_rss) for r in results])
    row("peak memory, `handbook check`", [mb(r.check_rss) for r in results])
    row("pages (index.html), plain / handbook", [f"{r.pages['plain']} / {r.pages['handbook']}" for r in results])
    row("site size, plain / handbook", [f"{mb(r.site_bytes['plain'])} / {mb(r.site_bytes['handbook'])}" for r in results])
    row("search index, plain / handbook", [f"{mb(r.search_bytes['plain'])} / {mb(r.search_bytes['handbook'])}" for r in results])
    row(f"probe page `{generate.PROBE_URL}/` HTML, plain / handbook",
        [f"{r.probe_bytes['plain']:,} / {r.probe_bytes['handbook']:,} B" for r in results])
    row("the same with whitespace runs collapsed, plain / handbook",
        [f"{r.probe_text_bytes['plain']:,} / {r.probe_text_bytes['handbook']:,} B" for r in results])
    row("build warnings, plain / handbook", [f"{r.warnings['plain']} / {r.warnings['handbook']}" for r in results])
    by_size = {r.documents: r for r in results}
    if 2000 in by_size and 10000 in by_size:
        growth = median(by_size[10000].handbook) / median(by_size[2000].handbook)
        cpu_growth = median(by_size[10000].handbook_cpu) / median(by_size[2000].handbook_cpu)
        plain_growth = median(by_size[10000].plain) / median(by_size[2000].plain)
        lines += ["", f"t(10,000) / t(2,000): handbook **{growth:.2f}** (target ≤ 5.5; CPU time {cpu_growth:.2f}), "
                      f"plain mkdocs-material {plain_growth:.2f}"]
    probes = [r.probe_bytes["handbook"] for r in results]
    texts = [r.probe_text_bytes["handbook"] for r in results]
    if len(probes) > 1:
        lines += ["", f"Probe page HTML (handbook), largest / smallest over the sizes: **{max(probes) / min(probes):.3f}** "
                      f"as written, **{max(texts) / min(texts):.3f}** with whitespace runs collapsed"]
    if preview:
        lines += ["", f"Preview at N = {preview_size:,}, `handbook preview --klassa {preview['prefix']}`: "
                      f"edit → served in {', '.join(f'{t:.2f}' for t in preview['preview'])} s, "
                      f"median **{median(preview['preview']):.2f} s** (target ≤ 2 s); "
                      f"server start → first page {preview['preview_startup']:.1f} s",
                  "", f"`handbook preview --folder {preview['folder']}`: edit → served in "
                      f"{', '.join(f'{t:.2f}' for t in preview['by_folder'])} s, median **{median(preview['by_folder']):.2f} s**; "
                      f"server start → first page {preview['folder_startup']:.1f} s"]
        if preview.get("full"):
            lines += ["", f"For comparison, `mkdocs serve` of the whole handbook at N = {preview_size:,}: "
                          f"edit → served in {', '.join(f'{t:.2f}' for t in preview['full'])} s, "
                          f"median {median(preview['full']):.2f} s; server start → first page {preview['full_startup']:.1f} s"]
    lines += ["", f"Load average before / after: {info['load_before'][0]:.2f} / {info['load_after'][0]:.2f} "
                  f"(1 min; 5 min {info['load_before'][1]:.2f} / {info['load_after'][1]:.2f})"]
    return "\n".join(lines)


def share_cell(r: SizeResult) -> str:
    if not r.pairs:
        return "–"
    low, high = r.processes_share_interval
    return f"**{100 * r.processes_share:+.1f} %** ({100 * low:+.1f} to {100 * high:+.1f} %, {len(r.pairs)} pairs)"


def default_sites() -> Path:
    shm = Path("/dev/shm")
    return shm / "handbook-benchmark-sites" if shm.is_dir() and os.access(shm, os.W_OK) else Path("/tmp/handbook-benchmark/sites")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000], help="numbers of documents")
    parser.add_argument("--rounds", type=int, default=3, help="A B rounds per size (default 3)")
    parser.add_argument("--rounds-large", type=int, default=None, help="A B rounds at 10,000 and above (default: --rounds)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/handbook-benchmark"), help="where the handbooks are generated and built")
    parser.add_argument("--sites", type=Path, default=default_sites(),
                        help="where the sites are written (default: a folder in /dev/shm when there is one, so that "
                             "writing to disk does not slow later builds down)")
    parser.add_argument("--preview-edits", type=int, default=5, help="edits timed with handbook preview (0: skip)")
    parser.add_argument("--preview-size", type=int, default=PREVIEW_SIZE, help="the size at which the preview is timed")
    parser.add_argument("--full-serve-edits", type=int, default=2, help="edits timed with mkdocs serve of everything (0: skip)")
    parser.add_argument("--extensions-up-to", type=int, default=2000,
                        help="also build C (plain + the handbook's markdown_extensions) at sizes up to this (0: never)")
    parser.add_argument("--processes-share-up-to", type=int, default=2000,
                        help="also build D (the handbook without its processes) at sizes up to this (0: never)")
    parser.add_argument("--pairs", type=int, default=20, help="B D pairs built for what the processes add (default 20)")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions B and D execute, with valgrind (about 4 minutes at 2,000)")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    info = machine()
    info["sites"] = str(args.sites)
    print(json.dumps(info, indent=2), flush=True)
    results, preview = [], None
    for documents in args.sizes:
        processes = PROCESSES.get(documents, max(1, documents // 20))
        root = prepare(args.work, documents, processes, args.seed)
        rounds = args.rounds_large if documents >= 10000 and args.rounds_large else args.rounds
        results.append(measure_size(root, documents, processes, rounds, documents <= args.extensions_up_to, args.sites))
        if documents <= args.processes_share_up_to and args.pairs:
            measure_processes(results[-1], root, without_processes(root), args.pairs, args.instructions, args.sites)
        if documents == args.preview_size and args.preview_edits:
            preview = measure_preview(root, args.preview_edits, args.full_serve_edits)
    info["load_after"] = os.getloadavg()
    text = report(results, preview, info, args.preview_size)
    print("\n" + text)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "sizes": [asdict(r) for r in results], "preview": preview},
                                        indent=2, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
