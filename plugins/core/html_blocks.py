"""Long HTML blocks of generated pages pass through Markdown untouched.

Python-Markdown reads every tag of a raw HTML block with Python's HTMLParser, which made the
long lists of generated pages (a Klassa page lists every document below its code, a role page
every document of the role) a large part of a build's time. Such a block is kept in the build's
`HtmlBlocks` and travels through Markdown as a short HTML comment naming it; a Python-Markdown
extension of this module (`HtmlBlocksExtension`, the one extension point every engine runs) puts
it back after Markdown has put back the raw HTML. Headings stay Markdown, so the table of contents
and the heading anchors are the same as before.

A block is named by a hash of its HTML keyed with a secret of the build (`HtmlBlocks` draws it
at random), so no author can write the name of a block in a page: a comment that looks like a
name but names no block of this build is taken away, never left in the page and never filled
with another page's block.

The plugin (`site/plugin.py`) registers the extension for its build in `on_config`, reading the
build's blocks: a block is put back before the search plugin reads the page, or, when it only
repeats what other pages say (the titles on Klassa and role pages), in the plugin's
`on_post_page`: then search finds the documents themselves instead of every list that names
them. A block that search should read in a shorter form (a process's step table: its steps'
names and texts, without the table's markup and the titles of other pages) carries that form as
its stand-in, which search reads and `on_post_page` takes away.

`handbook export` (`core/export.py`) has no plugin after search, so every block of a page is
written out in full (stand-ins dropped), its links checked for that page, and kept in
`handbook-blocks.json` beside the exported `mkdocs.yml`, which names this extension with the
file under `markdown_extensions:`; the engine (plain Material or Zensical) runs the extension
and reads the file once. Decision: a file beside the project and not the blocks written into the
Markdown, so that the plugin and the export run the same code and the engines skip Python-Markdown's
HTML parsing of every tag of long lists (7-9 % of Material's CPU time on 2,000 documents,
benchmarks/RESULTS.md, issue 21); `handbook export --standalone` writes them into the Markdown for
a host without the handbook package. The extension fails the build (a Swedish
message) when the file is missing or not the export's; a page's name of a block the file does
not hold is taken away.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from pathlib import Path
from typing import Callable

from jinja2.utils import markupsafe

_MARK = "<!--handbook-"
_SEARCHED = re.compile(r"<!--handbook-html:([0-9a-f]{32})-->")
# After search: an unsearched block's name (put back) or a stand-in (taken away), in one pass.
_AFTER_SEARCH = re.compile(r"<!--handbook-(?:html-unsearched:([0-9a-f]{32})|stand-in-->.*?<!--/handbook-stand-in)-->", re.DOTALL)


class HtmlBlocks:
    """The HTML blocks of one build, each named by a hash of its HTML."""

    def __init__(self, blocks: dict[str, str] | None = None) -> None:
        self._blocks: dict[str, str] = dict(blocks or {})
        self._secret = secrets.token_bytes(16)  # a block's name cannot be written by an author

    def carry(self, html: str, search: bool = True, stand_in: str | None = None) -> markupsafe.Markup:
        """The rendered HTML as a block that Markdown leaves alone (a comment naming it)."""
        if stand_in is not None:  # one searched block: the stand-in, then the name of the unsearched block
            html = f"<!--handbook-stand-in-->{stand_in}<!--/handbook-stand-in-->{_MARK}html-unsearched:{self._keep(html)}-->"
        return markupsafe.Markup(f"\n\n{_MARK}html{'' if search else '-unsearched'}:{self._keep(html)}-->\n\n")

    def _keep(self, html: str) -> str:
        html = str(html)
        key = hashlib.blake2b(html.encode("utf-8"), digest_size=16, key=self._secret).hexdigest()
        self._blocks[key] = html
        return key

    def _block(self, match: re.Match) -> str:
        """The named block; nothing for a name this build does not hold (fail closed: no comment is left)."""
        return self._blocks.get(match.group(1), "")

    def __len__(self) -> int:
        return len(self._blocks)

    def restore(self, html: str) -> str:
        """The page's content with the searchable blocks put back."""
        return _SEARCHED.sub(self._block, html) if _MARK in html else html

    def restore_unsearched(self, html: str, transform: Callable[[str], str]) -> str:
        """The finished page with the blocks that search leaves out put back, each through `transform`,
        and their stand-ins taken away."""
        if _MARK not in html:
            return html
        return _AFTER_SEARCH.sub(lambda match: transform(self._block(match)) if match.group(1) else "", html)

    def inline(self, markdown: str) -> str:
        """Markdown with every block written out in full (stand-ins dropped): for an engine that runs
        neither the plugin nor the extension (`handbook export --standalone`). Each block stays an HTML
        block of its own."""
        if _MARK not in markdown:
            return markdown

        def block(match: re.Match) -> str:
            html = self._full(match.group(1) or match.group(2))
            html = None if html is None else _unsearched(html) if match.group(2) else html
            return "" if html is None else "\n".join(line for line in html.splitlines() if line.strip())

        return _INLINE.sub(block, _STAND_IN.sub("", markdown))

    def carried_by(self, markdown: str, into: HtmlBlocks, transform: Callable[[str], str]) -> str:
        """Markdown whose blocks `into` carries as searched blocks, each written out in full (stand-ins
        dropped) and through `transform`: for an engine that runs the extension but no plugin
        (`handbook export`). A name this build does not hold is taken away."""
        if _MARK not in markdown:
            return markdown

        def block(match: re.Match) -> str:
            html = self._full(match.group(1) or match.group(2))
            html = None if html is None else _unsearched(html) if match.group(2) else html
            return "" if html is None else f"{_MARK}html:{into._keep(transform(html))}-->"

        return _INLINE.sub(block, _STAND_IN.sub("", markdown))

    def _full(self, key: str, depth: int = 0) -> str | None:
        """A block with its stand-in dropped and the blocks it names written out (a stand-in's block names one)."""
        html = self._blocks.get(key)
        if html is None or _MARK not in html or depth > 8:
            return None if depth > 8 else html
        return _INLINE.sub(lambda m: self._full(m.group(1) or m.group(2), depth + 1) or "", _STAND_IN.sub("", html))

    # -- the file of an export ---------------------------------------------------------------

    def dumps(self) -> str:
        """The blocks as `handbook-blocks.json` (the extension's `file`)."""
        return json.dumps({"kind": FILE_KIND, "blocks": self._blocks}, ensure_ascii=False, separators=(",", ":")) + "\n"

    @classmethod
    def load(cls, path: str | os.PathLike) -> HtmlBlocks:
        """The blocks of an export's file, read once per file version; a Swedish ValueError when it cannot be used."""
        path = Path(path)
        try:
            stat = path.stat()
        except OSError:
            raise ValueError(f"{path}: filen med handbokens HTML-block finns inte (markdown_extensions: "
                             f"handbook.core.html_blocks, file: {path}); bygg i exportmappen, där mkdocs.yml ligger, "
                             "eller exportera igen") from None
        stamp = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if _LOADED.get("stamp") != stamp:
            _LOADED.clear()
            _LOADED.update(stamp=stamp, blocks=cls._read(path))
        return _LOADED["blocks"]

    @classmethod
    def _read(cls, path: Path) -> HtmlBlocks:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            data = None
        blocks = data.get("blocks") if isinstance(data, dict) and data.get("kind") == FILE_KIND else None
        if not isinstance(blocks, dict) or not all(isinstance(k, str) and _KEY.fullmatch(k) and isinstance(v, str)
                                                   for k, v in blocks.items()):
            raise ValueError(f"{path}: filen är inte HTML-blocken från handbook export; exportera igen "
                             "(handbook export MAPP) och ändra inte filen")
        return cls(blocks)


_STAND_IN = re.compile(r"<!--handbook-stand-in-->.*?<!--/handbook-stand-in-->", re.DOTALL)
_INLINE = re.compile(r"<!--handbook-html:([0-9a-f]{32})-->|<!--handbook-html-unsearched:([0-9a-f]{32})-->")
_KEY = re.compile(r"[0-9a-f]{32}")
_ANY_NAME = re.compile(r"<!--handbook-html(?:-unsearched)?:[0-9a-f]{32}-->")
FILE_KIND = "handbook-html-blocks"


def _unsearched(html: str) -> str:
    """A block the plugin puts back after search, for an engine with no stage after search: marked for
    its search to leave out (`data-search-exclude`, which Material's and Zensical's search both honour).
    Zensical refuses a page whose section is too long for its index, such as the maturity page's list of
    500 processes."""
    return f"<div data-search-exclude>\n{html}\n</div>"
_LOADED: dict = {}  # the export's file last read: (path, mtime, size) and its blocks; an engine renders page after page


# -- the Python-Markdown extension: in html_blocks_extension.py, so the core imports Python-Markdown only
# where an engine asks for the extension (tests/test_architecture.py) ----------------------------------


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's name; mkdocs.yml names this module
    from .html_blocks_extension import HtmlBlocksExtension

    return HtmlBlocksExtension(**kwargs)


def __getattr__(name: str):
    if name == "HtmlBlocksExtension":
        from .html_blocks_extension import HtmlBlocksExtension

        return HtmlBlocksExtension
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
