"""The benchmark's synthetic handbooks are valid handbooks: otherwise its figures would measure error paths."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO, build, run_handbook, write_handbook

GENERATOR = REPO / "benchmarks" / "generate.py"


def generate(out: Path, documents: int, processes: int, seed: int = 1) -> Path:
    result = subprocess.run([sys.executable, str(GENERATOR), str(out), "--documents", str(documents),
                             "--processes", str(processes), "--seed", str(seed)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text("utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_handbook_passes_check_without_errors_or_warnings(tmp_path):
    root = generate(tmp_path / "h", 80, 8)
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text("utf-8"), "utf-8")  # a handbook has one
    result = run_handbook(root, "check", today="2026-06-01")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("0 fel, 0 varningar"), result.stdout


def test_generated_handbook_builds_strictly_with_the_handbook_configuration(tmp_path):
    generated = files(generate(tmp_path / "g", 40, 5))
    root = write_handbook(tmp_path / "h", generated, roles=None)
    built = build(root, strict=True, today="2026-06-01")
    assert built.returncode == 0, built.output
    assert built.has_page("hr/rutin-provsida") and built.has_page("klassa/2.3.9")
    catalog = built.catalog
    assert len(catalog["processes"]) >= 4  # a few may be classified
    assert {d["state"] for d in catalog["documents"]} >= {"fastställd", "utkast"}
    assert {d["review_status"] for d in catalog["documents"]} >= {"ok", "overdue"}


def test_the_shape_the_benchmark_promises(tmp_path):
    root = generate(tmp_path / "h", 300, 12)
    documents = [p for p in (root / "docs").rglob("*.md") if "om-handboken" not in p.parts and p.name != "index.md"]
    assert len(documents) == 300 + 1  # and the probe page
    processes = [yaml.safe_load(p.read_text("utf-8")) for p in (root / "processes").rglob("*.yml")
                 if p.name not in ("roles.yml", "klassa.yml", "krav.yml")]
    assert len(processes) == 12
    for process in processes:
        kinds = [step.get("kind", "task") for step in process["steps"]]
        assert len(kinds) == 8 and kinds.count("decision") == 1 and kinds.count("subprocess") == 1
    assert len(yaml.safe_load((root / "processes/roles.yml").read_text("utf-8"))) == 40
    local = yaml.safe_load((root / "processes/klassa.yml").read_text("utf-8"))
    assert any(code.count(".") == 4 for code in local) and any(code.count(".") == 3 for code in local)
    texts = [p.read_text("utf-8") for p in documents]
    assert sum("information_class: K" in t for t in texts) >= 1
    assert all(t.count("\n## ") >= 5 and "](" in t for t in texts)
    assert 200 <= len(texts[0].split("---", 2)[2].split()) <= 800  # a few hundred words


def test_the_same_seed_gives_the_same_handbook_and_another_seed_another(tmp_path):
    first = files(generate(tmp_path / "a", 30, 4, seed=7))
    assert files(generate(tmp_path / "b", 30, 4, seed=7)) == first
    assert files(generate(tmp_path / "c", 30, 4, seed=8)) != first


def test_the_probe_page_is_the_same_at_every_size(tmp_path):
    small = generate(tmp_path / "a", 20, 2) / "docs/hr/rutin-provsida.md"
    large = generate(tmp_path / "b", 200, 10) / "docs/hr/rutin-provsida.md"
    assert small.read_text("utf-8") == large.read_text("utf-8")


def test_the_benchmarks_handbook_without_its_processes_keeps_everything_else(tmp_path):
    """Build D of the benchmark (issue 3's figure): the same documents, roles and Klassa, no processes."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import run
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    root = generate(tmp_path / "40", 40, 5)
    twin = run.without_processes(root)
    assert sorted(p.name for p in (twin / "processes").rglob("*") if p.is_file()) == ["klassa.yml", "roles.yml"]
    ours, theirs = files(root / "docs"), files(twin / "docs")
    assert ours.keys() == theirs.keys()
    changed = [name for name in ours if ours[name] != theirs[name]]
    assert changed and all("\nprocesses:" in ours[name] and "\nprocesses:" not in theirs[name] for name in changed)
    assert all(ours[name].replace(line + "\n", "") == theirs[name] for name in changed
               for line in ours[name].splitlines() if line.startswith("processes:"))
    result = run_handbook(twin, "check", today="2026-06-01")
    assert result.returncode == 0 and result.stdout.strip().splitlines()[-1].startswith("0 fel"), result.stdout


def test_the_interval_for_what_the_processes_add_covers_the_pairs_and_narrows_with_more():
    """The benchmark's figure for issue 3: B / D - 1 per pair, their mean and a 95 % bootstrap interval."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import run
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    pairs = [(10.4, 10.0), (10.9, 10.0), (10.1, 10.0), (10.6, 10.0), (10.5, 10.0)]
    shares = run.pair_shares(pairs)
    assert [round(x, 3) for x in shares] == [0.04, 0.09, 0.01, 0.06, 0.05]
    low, high = run.bootstrap_interval(shares)
    assert 0.01 <= low < 0.05 < high <= 0.09
    assert run.bootstrap_interval(shares) == (low, high)  # the same pairs, the same interval
    wide = high - low
    low4, high4 = run.bootstrap_interval(shares * 4)
    assert low4 < 0.05 < high4 and high4 - low4 < wide * 0.7  # four times the pairs: about half as wide
    assert run.bootstrap_interval([0.03] * 8) == (0.03, 0.03)
