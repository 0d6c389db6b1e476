from conftest import build, document, write_handbook


def test_minimal_handbook_builds_with_card_and_catalog(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/hr/rutin.md": document("Rutin för kravprofil", klassa="2.10", version="1.10")})
    built = build(root, strict=True)
    assert built.returncode == 0, built.output
    html = built.page("hr/rutin")
    assert 'data-review-status="ok"' in html
    entry = built.catalog["documents"][0]
    assert (entry["klassa"], entry["version"], entry["url"]) == ("2.10", "1.10", "hr/rutin/")
