"""Long HTML blocks of generated pages pass through Markdown untouched.

Python-Markdown reads every tag of a raw HTML block with Python's HTMLParser, which made the
long lists of generated pages (a Klassa page lists every document below its code, a role page
every document of the role) a large part of a build's time. Such a block travels through
Markdown as one HTML comment and is put back by the plugin. Headings stay Markdown, so the
table of contents and the heading anchors are the same as before.

A block is put back in `on_page_content`, before the search plugin reads the page, or, when it
only repeats what other pages say (the titles on Klassa and role pages), in `on_post_page`:
then search finds the documents themselves instead of every list that names them.
"""

from __future__ import annotations

import base64
import re
from typing import Callable

from jinja2.utils import markupsafe

_PREFIX = "<!--handbook-html"
_SEARCHED = re.compile(r"<!--handbook-html:([A-Za-z0-9+/=]*)-->")
_UNSEARCHED = re.compile(r"<!--handbook-html-unsearched:([A-Za-z0-9+/=]*)-->")


def carry(html: str, search: bool = True) -> markupsafe.Markup:
    """The Jinja filter `html_block`: the rendered HTML as a block that Markdown leaves alone."""
    data = base64.b64encode(str(html).encode("utf-8")).decode("ascii")
    return markupsafe.Markup(f"\n\n{_PREFIX}{'' if search else '-unsearched'}:{data}-->\n\n")


def _decode(match: re.Match) -> str:
    return base64.b64decode(match.group(1)).decode("utf-8")


def restore(html: str) -> str:
    """The page's content with the searchable blocks put back."""
    return _SEARCHED.sub(_decode, html) if _PREFIX in html else html


def restore_unsearched(html: str, transform: Callable[[str], str]) -> str:
    """The finished page with the blocks that search leaves out put back, each through `transform`."""
    return _UNSEARCHED.sub(lambda match: transform(_decode(match)), html) if _PREFIX in html else html
