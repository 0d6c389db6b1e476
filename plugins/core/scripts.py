"""`allow_scripts: false`: what owners write cannot run script in a reader's browser.

Removes from a page's own content `<script>` elements, elements that load other documents or
change the page's base (iframe, frame, object, embed, applet, base, meta), event-handler
attributes (`onerror=` …), `srcdoc`, and addresses with the schemes `javascript:`, `vbscript:` and
`data:text/html`. Tags are read as `withheld` reads them: any case, any quoting, character references.
"""

from __future__ import annotations

import html
import re

from .withheld import _TAG

_SCRIPT = re.compile(r"<script\b.*?(?:</script\s*>|\Z)", re.I | re.S)
_CONTAINERS = re.compile(r"<(iframe|object|applet|frameset)\b.*?(?:</\1\s*>|\Z)", re.I | re.S)
_VOID = frozenset({"frame", "embed", "base", "meta"})
_ATTRIBUTE = re.compile(r"""([^\s/>=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data\s*:\s*text/html)", re.I)
_IGNORED = re.compile(r"[\x00-\x20]")  # browsers skip these inside a scheme ("java\tscript:")


def strip_scripts(text: str) -> tuple[str, list[str]]:
    """The content without anything that runs script, and what was removed (for the warning)."""
    removed: list[str] = []

    def drop(match: re.Match) -> str:
        removed.append(f"<{match.group(0)[1:].split(None, 1)[0].split('>', 1)[0].lower()}>")
        return ""

    text = _SCRIPT.sub(drop, text)
    text = _CONTAINERS.sub(drop, text)

    def tag(match: re.Match) -> str:
        name = match.group(1).lower()
        if name in _VOID:
            removed.append(f"<{name}>")
            return ""
        attributes = match.group(2) or ""
        kept = [a.group(0) for a in _ATTRIBUTE.finditer(attributes) if not _dangerous(a, removed)]
        if len(kept) == len(_ATTRIBUTE.findall(attributes)):
            return match.group(0)
        return f"<{match.group(1)}{''.join(' ' + a for a in kept)}>"

    return _TAG.sub(tag, text), removed


def _dangerous(attribute: re.Match, removed: list[str]) -> bool:
    name, value = attribute.group(1).lower(), html.unescape((attribute.group(2) or "").strip("\"'"))
    if name.startswith("on") or name == "srcdoc" or _BAD_SCHEME.match(_IGNORED.sub("", value)):
        removed.append(f"{name}=")
        return True
    return False
