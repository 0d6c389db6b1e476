"""The same handbook on MkDocs and on ProperDocs, its maintained fork; the commands use the engine chosen."""

import json
import re
import subprocess

from conftest import BIN, build, document, environment, preview_until, process, run_handbook, write_handbook

CANARY = "KANARIEMOTOR3d1"


def handbook(root):
    return write_handbook(root, {
        "docs/hr/rutin.md": document("Rutin för kravprofil"),
        "docs/hr/hemlig.md": document(CANARY, information_class="K3"),
        "processes/p.yml": process("p", [{"id": "a", "name": "Pröva", "role": "hr-chef"}]),
    })


def pages(site):
    """Every HTML page, less the generator tag and the build date the engines write differently."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        text = path.read_text("utf-8")
        found[path.relative_to(site).as_posix()] = re.sub(r'<meta name="generator"[^>]*>', "", text)
    return found


def test_properdocs_builds_the_same_site_as_mkdocs(tmp_path):
    root = handbook(tmp_path / "h")
    mkdocs = build(root, site=tmp_path / "mkdocs", strict=True)
    properdocs = subprocess.run([str(BIN / "python"), "-m", "properdocs", "build", "--strict", "-d", str(tmp_path / "properdocs")],
                                cwd=root, env=environment(), capture_output=True, text=True, timeout=300)
    assert mkdocs.returncode == 0 and properdocs.returncode == 0, properdocs.stderr
    assert pages(tmp_path / "mkdocs") == pages(tmp_path / "properdocs") and len(pages(tmp_path / "mkdocs")) > 10
    for path in (tmp_path / "properdocs").rglob("*"):
        assert not path.is_file() or CANARY.encode() not in path.read_bytes(), path


def test_publish_and_check_use_the_engine_chosen(tmp_path):
    root = handbook(tmp_path / "h")
    site = tmp_path / "webb"
    result = run_handbook(root, "publish", "--site-dir", str(site), HANDBOOK_ENGINE="properdocs")
    assert result.returncode == 0, result.stderr
    assert json.loads((site / "handbook.json").read_text("utf-8"))["documents"]
    assert "properdocs" in (site / "index.html").read_text("utf-8").lower()  # its generator tag
    assert run_handbook(root, "check", HANDBOOK_ENGINE="properdocs").returncode == 0
    wrong = run_handbook(root, "check", HANDBOOK_ENGINE="zensical")
    assert wrong.returncode == 2 and "välj mkdocs eller properdocs" in wrong.stderr and "Traceback" not in wrong.stderr


def test_preview_runs_on_properdocs(tmp_path):
    lines = preview_until(handbook(tmp_path / "h"), re.compile("^Sidorna är byggda"), HANDBOOK_ENGINE="properdocs")
    assert lines[0].startswith("Förhandsgranskar") and lines[-1].startswith("Sidorna är byggda"), lines
