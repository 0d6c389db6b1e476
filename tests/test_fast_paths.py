"""The shortcuts taken for speed give the same results as the careful ways they stand in for."""

from __future__ import annotations

import json
import posixpath

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.core import source, urls
from conftest import process, build, document, write_handbook
from handbook.core import html_blocks
from handbook.site import withheld

YAMLISH = st.lists(st.sampled_from(list("ab:- []{},'\"#&*!|>?\t\n.0129åé%@\\\u2028\ufeff")
                                   + ["2.10", "Nej", "2026-01-01", "key: v", "\n  - "]), max_size=25).map("".join)


def load(text: str, fast: bool):
    original = source._fast_path
    source._fast_path = original if fast else (lambda text: False)
    try:
        data = source.load_yaml(text, 1)
        return "ok", repr(data), getattr(data, "lines", None), getattr(data, "line", None), getattr(data, "duplicates", None)
    except source.SourceError as error:
        return "error", error.line, error.message
    finally:
        source._fast_path = original


@settings(max_examples=2000, deadline=None)
@given(YAMLISH)
def test_libyaml_reads_like_the_python_loader(text):
    assert load(text, fast=True) == load(text, fast=False)


def test_front_matter_as_authors_write_it_goes_the_fast_way():
    text = 'title: "Rutin"\nklassa: 2.10\nversion: 1.10\nreview_date: 2027-01-31\nroles: [hr-chef, chef]\n'
    assert source._fast_path(text)
    assert load(text, fast=True)[1] == repr({"title": "Rutin", "klassa": "2.10", "version": "1.10",
                                             "review_date": __import__("datetime").date(2027, 1, 31), "roles": ["hr-chef", "chef"]})


SEGMENT = st.sampled_from(["a", "b", "hr", "klassa", "2.3", ".", "", "..", "x y", "å", "index.html"])
PATH = st.lists(SEGMENT, max_size=5).map("/".join)


@given(PATH, PATH)
def test_relative_paths_match_posixpath(target, base):
    assert urls._relpath(target or ".", base or ".") == posixpath.relpath(target or ".", base or ".")


@given(st.text(max_size=200), st.text(max_size=50))
def test_a_carried_html_block_comes_back_unchanged_after_markdown(html, other):
    blocks = html_blocks.HtmlBlocks()
    text = "## Rubrik\n" + blocks.carry(html) + "Text.\n" + blocks.carry(other, search=False)
    page = markdown.markdown(text, extensions=["md_in_html", "toc"])
    searched = blocks.restore(page)
    assert searched.startswith(f'<h2 id="rubrik">Rubrik</h2>\n{html}\n\n<p>Text.</p>\n<!--handbook-html-unsearched:')
    assert blocks.restore_unsearched(searched, str.upper) == f'<h2 id="rubrik">Rubrik</h2>\n{html}\n\n<p>Text.</p>\n{other.upper()}'


@given(st.text(max_size=200), st.text(max_size=50))
def test_a_block_with_a_stand_in_shows_the_block_and_lets_search_read_the_stand_in(html, stand_in):
    blocks = html_blocks.HtmlBlocks()
    text = "## Rubrik\n" + blocks.carry(html, stand_in=stand_in) + "Text.\n"
    searched = blocks.restore(markdown.markdown(text, extensions=["md_in_html", "toc"]))
    assert f"<!--handbook-stand-in-->{stand_in}<!--/handbook-stand-in-->" in searched
    assert "<!--handbook-html-unsearched:" in searched
    assert blocks.restore_unsearched(searched, str.upper) == f'<h2 id="rubrik">Rubrik</h2>\n{html.upper()}\n\n<p>Text.</p>'


def test_search_finds_documents_not_the_klassa_and_role_lists_that_repeat_their_titles(tmp_path):
    root = write_handbook(tmp_path / "h", {
        "docs/hr/rutin.md": document("Rutin för kravprofil", "Text om kravprofilen.\n"),
        "processes/tillsattning.yml": process("tillsattning", [{"id": "a", "name": "Pröva", "role": "hr-chef"}],
                                              name="Tillsättning av tjänst", purpose="Syfte."),
    })
    built = build(root)
    assert "Rutin för kravprofil" in built.page("klassa/2.3.2") and "Rutin för kravprofil" in built.page("roller/hr-chef")
    for url in ("klassa/2.3.2", "roller/hr-chef", "roller", "processer"):  # lists, matrix, landscape
        assert "Tillsättning av tjänst" in built.page(url)
    index = json.loads((built.site / "search/search_index.json").read_text("utf-8"))["docs"]
    found = {entry["location"] for entry in index if "kravprofil" in entry["text"] + entry["title"]}
    assert found and all(location.startswith("hr/rutin/") for location in found)
    found = {entry["location"] for entry in index if "Tillsättning av tjänst" in entry["text"] + entry["title"]}
    assert found and all(location.startswith("processer/tillsattning/") for location in found)
    assert any(entry["location"] == "klassa/2.3.2/" for entry in index)  # the page itself is still found by its title


HREF = st.builds(lambda up, path, end: "../" * up + path + end, st.integers(0, 2), PATH, st.sampled_from(["", "/", "#a", "?q=1"]))
WITHHELD = {"hr/x.md", "index.md", "å/y.md", "hr/index.md"}


def _resolve_all(html: str, page_url: str, src_uri: str, hidden: withheld.Withheld) -> str:
    """hide_html_links without the shortcuts: every page scanned, every link resolved."""
    full = withheld.Withheld(set())
    full.__dict__.update(hidden.__dict__)
    full.mentions = lambda text: True
    full.may_reach = lambda path: True
    return withheld.hide_html_links(html, page_url, src_uri, full)


@given(HREF, st.sampled_from([("hr/z/", "hr/z.md"), ("", "index.md"), ("a/b/", "a/b.md")]))
def test_the_withheld_shortcut_hides_exactly_what_full_resolution_hides(href, page):
    hidden = withheld.Withheld(withheld.withheld_targets(WITHHELD, {"intern"}, set()))
    html = f'<p><a href="{href}">länk</a></p>'
    assert withheld.hide_html_links(html, page[0], page[1], hidden) == _resolve_all(html, page[0], page[1], hidden)


_ONE_PATTERN = __import__("re").compile("[*!\t\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]|[|>][-+0-9]*#")


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(list("ab:-|>+09# *!\t\x01\x85\u2028\ufeff\n")), max_size=20).map("".join))
def test_the_two_searches_for_unordinary_yaml_find_what_one_pattern_found(text):
    assert source._unordinary(text) == bool(_ONE_PATTERN.search(text))


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(max_size=12), st.sampled_from(["", "~", "null", "Null", "true", "False", "2026-01-01", "2.10", "no", "t"])),
       st.tuples(st.booleans(), st.booleans()))
def test_the_short_resolve_answers_as_pyyaml_resolve(value, implicit):
    import yaml

    loader = source._LosslessCLoader("")
    assert loader.resolve(yaml.ScalarNode, value, implicit) == yaml.resolver.Resolver.resolve(loader, yaml.ScalarNode, value, implicit)
