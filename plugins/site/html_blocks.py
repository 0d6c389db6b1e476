"""Long HTML blocks of generated pages pass through Markdown untouched.

Python-Markdown reads every tag of a raw HTML block with Python's HTMLParser, which made the
long lists of generated pages (a Klassa page lists every document below its code, a role page
every document of the role) a large part of a build's time. Such a block travels through
Markdown as one HTML comment and is put back by the plugin's `on_page_content`. Headings stay
Markdown, so the table of contents and the heading anchors are the same as before.
"""

from __future__ import annotations

import base64
import re

from jinja2.utils import markupsafe

_PREFIX = "<!--handbook-html:"
_BLOCK = re.compile(r"<!--handbook-html:([A-Za-z0-9+/=]*)-->")


def carry(html: str) -> markupsafe.Markup:
    """The Jinja filter `html_block`: the rendered HTML as a block that Markdown leaves alone."""
    data = base64.b64encode(str(html).encode("utf-8")).decode("ascii")
    return markupsafe.Markup(f"\n\n{_PREFIX}{data}-->\n\n")


def restore(html: str) -> str:
    """The page's HTML with every carried block put back."""
    if _PREFIX not in html:
        return html
    return _BLOCK.sub(lambda match: base64.b64decode(match.group(1)).decode("utf-8"), html)
