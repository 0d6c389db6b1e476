import re
import subprocess
import urllib.parse

from conftest import BIN, REPO, build, document, environment, process, write_handbook


def test_minimal_handbook_builds_with_card_and_catalog(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/hr/rutin.md": document("Rutin för kravprofil", klassa="2.10", version="1.10")})
    built = build(root, strict=True)
    assert built.returncode == 0, built.output
    html = built.page("hr/rutin")
    assert 'data-review-status="ok"' in html
    entry = built.catalog["documents"][0]
    assert (entry["klassa"], entry["version"], entry["url"]) == ("2.10", "1.10", "hr/rutin/")


def test_file_urls_are_overruled_with_a_warning_and_every_generated_link_arrives(tmp_path):
    """The contract's addresses are folders; `use_directory_urls: false` would break the generated pages' links."""
    config = (REPO / "mkdocs.yml").read_text("utf-8").replace("strict: false\n", "strict: false\nuse_directory_urls: false\n")
    line = config.splitlines().index("use_directory_urls: false") + 1
    root = write_handbook(tmp_path / "h", {
        "docs/hr/rutin.md": document("Rutin för kravprofil", klassa="2.3.2"),
        "processes/p.yml": process("p", [{"id": "a", "name": "Steg", "role": "hr-chef", "documents": ["hr/rutin.md"]}]),
    }, mkdocs_yml=config)
    built = build(root)
    assert built.returncode == 0, built.output
    assert f"mkdocs.yml:{line}: warning: use_directory_urls: false stöds inte" in built.output
    assert built.catalog["documents"][0]["url"] == "hr/rutin/"
    links = 0
    for url in ("processer", "processer/p", "klassa/2.3.2", "roller/hr-chef", "hr/rutin"):
        html = built.page(url)
        for href in re.findall(r'href="((?:\.\./)+(?:hr|processer|roller|klassa)/[^"#]*)"', html):
            target = (built.site / url / urllib.parse.unquote(href)).resolve()
            assert (target / "index.html").is_file(), (url, href)
            links += 1
    assert links >= 8


def test_file_urls_from_the_command_line_are_overruled_too(tmp_path):
    root = write_handbook(tmp_path / "h", {"docs/hr/rutin.md": document("Rutin för kravprofil")})
    result = subprocess.run([str(BIN / "mkdocs"), "build", "--no-directory-urls", "-d", str(root / "site")], cwd=root,
                            env=environment(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "mkdocs.yml: warning: use_directory_urls: false stöds inte" in result.stderr
    assert "Bygg utan --no-directory-urls." in result.stderr
    assert (root / "site" / "hr" / "rutin" / "index.html").is_file()
