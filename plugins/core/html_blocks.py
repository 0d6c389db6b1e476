"""Long HTML blocks of generated pages pass through Markdown untouched.

Python-Markdown reads every tag of a raw HTML block with Python's HTMLParser, which made the
long lists of generated pages (a Klassa page lists every document below its code, a role page
every document of the role) a large part of a build's time. Such a block is kept in the build's
`HtmlBlocks` and travels through Markdown as a short HTML comment naming it; the plugin puts it
back. Headings stay Markdown, so the table of contents and the heading anchors are the same as
before.

A block is put back in `on_page_content`, before the search plugin reads the page, or, when it
only repeats what other pages say (the titles on Klassa and role pages), in `on_post_page`:
then search finds the documents themselves instead of every list that names them. A block
that search should read in a shorter form (a process's step table: its steps' names and texts,
without the table's markup and the titles of other pages) carries that form as its stand-in,
which search reads and `on_post_page` takes away.
"""

from __future__ import annotations

import hashlib
import re
from typing import Callable

from jinja2.utils import markupsafe

_MARK = "<!--handbook-"
_SEARCHED = re.compile(r"<!--handbook-html:([0-9a-f]{32})-->")
# After search: an unsearched block's name (put back) or a stand-in (taken away), in one pass.
_AFTER_SEARCH = re.compile(r"<!--handbook-(?:html-unsearched:([0-9a-f]{32})|stand-in-->.*?<!--/handbook-stand-in)-->", re.DOTALL)


class HtmlBlocks:
    """The HTML blocks of one build, each named by a hash of its HTML."""

    def __init__(self) -> None:
        self._blocks: dict[str, str] = {}

    def carry(self, html: str, search: bool = True, stand_in: str | None = None) -> markupsafe.Markup:
        """The rendered HTML as a block that Markdown leaves alone (a comment naming it)."""
        if stand_in is not None:  # one searched block: the stand-in, then the name of the unsearched block
            html = f"<!--handbook-stand-in-->{stand_in}<!--/handbook-stand-in-->{_MARK}html-unsearched:{self._keep(html)}-->"
        return markupsafe.Markup(f"\n\n{_MARK}html{'' if search else '-unsearched'}:{self._keep(html)}-->\n\n")

    def _keep(self, html: str) -> str:
        html = str(html)
        key = hashlib.blake2b(html.encode("utf-8"), digest_size=16).hexdigest()
        self._blocks[key] = html
        return key

    def _block(self, match: re.Match) -> str:
        return self._blocks.get(match.group(1), match.group(0))

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
        no plugin to put them back (`handbook export`). Each block stays an HTML block of its own."""
        if _MARK not in markdown:
            return markdown

        def block(match: re.Match) -> str:
            html = self._blocks.get(match.group(1) or match.group(2))
            if html is None:
                return ""
            return "\n".join(line for line in self.inline(html).splitlines() if line.strip())

        return _INLINE.sub(block, _STAND_IN.sub("", markdown))


_STAND_IN = re.compile(r"<!--handbook-stand-in-->.*?<!--/handbook-stand-in-->", re.DOTALL)
_INLINE = re.compile(r"<!--handbook-html:([0-9a-f]{32})-->|<!--handbook-html-unsearched:([0-9a-f]{32})-->")
