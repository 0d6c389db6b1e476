"""allow_scripts: false removes what runs script from what owners write; the default leaves it (an owner's choice)."""

import pytest

from browser import Browser, served_site
from conftest import REPO, build, document, write_handbook

CANARY = "KANARIESKRIPT0c4"
BODY = f"""Text före.

<script>window.__pwned = "{CANARY}";</script>
<SCRIPT type="module">window.__pwned = 2</SCRIPT>
<img src="saknas.png" alt="bild" onerror="window.__pwned = 3" ONLOAD='window.__pwned = 4'>
<a href="java&#9;script:window.__pwned=5">länk</a> <a href=" JavaScript:window.__pwned=6">länk 2</a>
<iframe srcdoc="<script>parent.__pwned=7</script>"></iframe>
<object data="data:text/html,<script>parent.__pwned=8</script>"></object>
<embed src="javascript:window.__pwned=9">
<svg><a href="javascript:window.__pwned=10"><text>svg</text></a></svg>
<details ontoggle="window.__pwned=11" open><summary>Mer</summary>Text efter.</details>
<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=12">
"""


def handbook(root, allow):
    config = (REPO / "mkdocs.yml").read_text("utf-8").replace(
        "      classification_limit: 1\n", f"      classification_limit: 1\n      allow_scripts: {allow}\n")
    return write_handbook(root, {"docs/hr/skript.md": document("Skript", body=BODY)}, mkdocs_yml=config)


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    built = {allow: build(handbook(tmp_path_factory.mktemp(allow) / "h", allow)) for allow in ("false", "true")}
    assert all(b.returncode == 0 for b in built.values()), [b.output for b in built.values()]
    return built


def test_false_removes_every_script_and_names_the_page(sites):
    page = sites["false"].page("hr/skript")
    article = page[page.index("<article"):page.index("</article>")]
    assert "Text före." in article and "Text efter." in article and "länk 2" in article
    for needle in (CANARY, "__pwned", "javascript", "<script", "<iframe", "<object", "<embed", "onerror", "ontoggle", "http-equiv"):
        assert needle.lower() not in article.lower(), needle
    assert "docs/hr/skript.md:1: warning: sidan innehöll skript som togs bort" in sites["false"].output


def test_true_keeps_what_the_owner_wrote(sites):
    assert CANARY in sites["true"].page("hr/skript") and "skript som togs bort" not in sites["true"].output


def test_nothing_runs_in_the_browser_with_false(sites):
    with served_site(sites["false"].site) as base_url, Browser(base_url) as browser:
        page = browser.open("hr/skript/")
        page.locator("summary").click()
        page.locator("a", has_text="länk 2").click(no_wait_after=True)
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
