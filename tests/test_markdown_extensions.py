"""The core's Python-Markdown extensions, in process: the HTML blocks put back (`handbook.core.html_blocks`,
as the plugin registers it and as an export names it with its file) and the task-list names
(`handbook.core.tasklist`, also under its earlier name `handbook.site.tasklist`). No site is built."""

from __future__ import annotations

import hashlib
import json
import re

import markdown
import pytest

from handbook.core import html_blocks
from handbook.core.html_blocks import FILE_KIND, HtmlBlocks, HtmlBlocksExtension

LIST = '<ul class="hb-list">\n<li><a href="../a/">A &amp; B</a></li>\n\n<li><a href="../hemlig/">Hemlig</a></li>\n</ul>'
TITLES = '<ul class="hb-titles">\n<li><a href="../b/">Bara titlar</a></li>\n</ul>'
STEPS = '<table class="hb-steps"><tr><td>Steg ett</td></tr></table>'


def convert(text: str, *extensions, **configs) -> str:
    return markdown.Markdown(extensions=["md_in_html", "toc", *extensions], extension_configs=configs).convert(text)


def generated_page(blocks: HtmlBlocks) -> str:
    return ("## Dokument\n" + blocks.carry(LIST) + "## Titlar\n" + blocks.carry(TITLES, search=False)
            + "## Steg\n" + blocks.carry(STEPS, stand_in="Steg ett") + "Slut.\n")


def test_the_plugins_extension_puts_the_searched_blocks_back_after_markdown():
    blocks = HtmlBlocks()
    html = convert(generated_page(blocks), HtmlBlocksExtension(source=lambda: blocks))
    assert LIST in html and '<h2 id="dokument">Dokument</h2>' in html  # exactly as rendered; headings stay Markdown
    assert TITLES not in html and "<!--handbook-html-unsearched:" in html  # for on_post_page, after search
    assert "Steg ett" in html and STEPS not in html  # the stand-in is what search reads
    final = blocks.restore_unsearched(html, str)
    assert TITLES in final and STEPS in final and "<!--handbook" not in final and final.count("Steg ett") == 1


def test_a_forged_name_pulls_in_no_block_and_leaves_no_comment():
    blocks = HtmlBlocks()
    generated_page(blocks)  # the build holds the list: an author page tries to name it
    unkeyed = hashlib.blake2b(LIST.encode(), digest_size=16).hexdigest()  # how a name was made before
    other = HtmlBlocks()
    elsewhere = re.search(r"html:([0-9a-f]{32})", other.carry(LIST)).group(1)  # the same HTML in another build
    assert elsewhere not in str(blocks.carry(LIST))  # names differ between builds: none can be copied
    author = (f"Text.\n\n<!--handbook-html:{unkeyed}-->\n\n<div><!--handbook-html:{elsewhere}--></div>\n\n"
              f"<!--handbook-html-unsearched:{unkeyed}-->\n\n<!--handbook-html:{'0' * 31}-->\n\n"
              f"`<!--handbook-html:{unkeyed}-->`\n\n" + f"<!--handbook-html:{'f' * 32}-->" * 5000
              + "\n\n<!--handbook-stand-in-->\n\n<!--handbook-html:ZZ\n")  # unclosed: Markdown keeps the rest a comment
    html = convert(author, HtmlBlocksExtension(source=lambda: blocks))
    final = blocks.restore_unsearched(html, str)
    assert "hb-list" not in final and "Hemlig" not in final
    assert not re.search(r"<!--handbook-html(-unsearched)?:[0-9a-f]{32}-->", final)  # no invisible name is left
    assert f"<code>&lt;!--handbook-html:{unkeyed}--&gt;</code>" in final  # code shows what the author wrote


def test_the_export_file_carries_each_pages_checked_blocks(tmp_path, monkeypatch):
    build = HtmlBlocks()
    page = generated_page(build)
    exported = HtmlBlocks()
    text = build.carried_by(page, exported, lambda html: html.replace('<a href="../hemlig/">Hemlig</a>', "[ej publicerat]"))
    assert "stand-in" not in text and "unsearched" not in text and text.count("<!--handbook-html:") == 3
    (tmp_path / "handbook-blocks.json").write_text(exported.dumps(), "utf-8")
    data = json.loads((tmp_path / "handbook-blocks.json").read_text("utf-8"))
    assert data["kind"] == FILE_KIND and len(data["blocks"]) == 3 and not any("hemlig" in b for b in data["blocks"].values())
    monkeypatch.chdir(tmp_path)  # `file:` is read from the folder the engine builds in
    html = convert(text + f"\n<!--handbook-html:{'a' * 32}-->\n\n<!--handbook-html-unsearched:{'b' * 32}-->\n",
                   "handbook.core.html_blocks",
                   **{"handbook.core.html_blocks": {"file": "handbook-blocks.json"}})
    assert TITLES in html and STEPS in html and "[ej publicerat]" in html and "Hemlig" not in html
    assert html.count("Steg ett") == 1 and "<!--handbook" not in html
    # Standalone: the same blocks written into the Markdown, no extension needed.
    inlined = markdown.markdown(build.inline(page), extensions=["md_in_html"])
    assert "Hemlig" in inlined and TITLES in inlined and STEPS in inlined and "<!--handbook" not in inlined


@pytest.mark.parametrize("content", [None, "", "{", '{"kind": "annat", "blocks": {}}', '{"kind": "handbook-html-blocks"}',
                                     '{"kind": "handbook-html-blocks", "blocks": {"../x": "<p>"}}',
                                     '{"kind": "handbook-html-blocks", "blocks": {"' + "a" * 32 + '": 1}}', "[1, 2]"])
def test_an_export_without_its_file_is_refused_in_swedish(tmp_path, content):
    path = tmp_path / "handbook-blocks.json"
    if content is not None:
        path.write_text(content, "utf-8")
    with pytest.raises(ValueError, match="exportera igen"):
        markdown.Markdown(extensions=["handbook.core.html_blocks"],
                          extension_configs={"handbook.core.html_blocks": {"file": str(path)}})
    with pytest.raises(ValueError, match="ange file"):
        markdown.Markdown(extensions=["handbook.core.html_blocks"])


def test_the_file_is_read_once_and_again_when_it_changes(tmp_path, monkeypatch):
    path = tmp_path / "b.json"
    first = HtmlBlocks()
    page = first.carried_by(first.carry("<p>ett</p>"), first, str)
    path.write_text(first.dumps(), "utf-8")
    reads = []
    real = HtmlBlocks._read.__func__
    monkeypatch.setattr(HtmlBlocks, "_read", classmethod(lambda cls, p: reads.append(p) or real(cls, p)))
    html_blocks._LOADED.clear()
    for _ in range(20):  # an engine converts page after page
        assert "<p>ett</p>" in convert(page, HtmlBlocksExtension(file=str(path)))
    assert len(reads) == 1
    path.write_text(HtmlBlocks().dumps() + " ", "utf-8")  # another export into the same folder
    assert "ett" not in convert(page, HtmlBlocksExtension(file=str(path))) and len(reads) == 2


def test_mkdocs_names_a_missing_file_as_a_configuration_error(tmp_path, caplog):
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nmarkdown_extensions:\n  - handbook.core.html_blocks:\n      file: saknas.json\n", "utf-8")
    with pytest.raises(Abort):  # MkDocs' "Aborted with a configuration error!", our reason last in its report
        load_config(str(config))
    assert "saknas.json: filen med handbokens HTML-block finns inte" in caplog.text


def test_task_list_boxes_are_named_under_both_names():
    text = '- [ ] Läs <b>"allt"</b> & *mer*\n- [x] Klar\n'
    config = {"pymdownx.tasklist": {"custom_checkbox": True}}
    core = convert(text, "pymdownx.tasklist", "handbook.core.tasklist", **config)
    assert core == convert(text, "pymdownx.tasklist", "handbook.site.tasklist", **config)
    assert re.findall(r'aria-label="([^"]*)"', core) == ["Läs &quot;allt&quot; &amp; mer", "Klar"]
