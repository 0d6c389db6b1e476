"""Links to content that is not published are shown without its title or address."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from ..core import urls

WITHHELD_HTML = '<span class="hb-withheld">[ej publicerat innehåll]</span>'
_MD_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_MD_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
_HTML_LINK = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>.*?</a>", re.S | re.I)


def _target(base_dir: str, href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(base_dir, path)
    normal = posixpath.normpath(joined)
    return "" if normal == "." else normal


def hide_markdown_links(markdown: str, src_uri: str, withheld_paths: set[str]) -> str:
    """Replace Markdown links and reference definitions that point at withheld `.md` files."""
    if not withheld_paths:
        return markdown
    base = posixpath.dirname(src_uri)

    def link(match: re.Match) -> str:
        return WITHHELD_HTML if _target(base, match.group(1)) in withheld_paths else match.group(0)

    def reference(match: re.Match) -> str:
        return "" if _target(base, match.group(1)) in withheld_paths else match.group(0)

    return _MD_REFERENCE.sub(reference, _MD_LINK.sub(link, markdown))


def hide_html_links(html: str, page_url: str, withheld_urls: set[str]) -> str:
    """Replace `<a>` elements whose target is a withheld page of the built site."""
    if not withheld_urls:
        return html
    base = page_url.rstrip("/") if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)

    def anchor(match: re.Match) -> str:
        target = _target(base, match.group(1))
        if target is None:
            return match.group(0)
        candidates = {target, target + "/", target.removesuffix("index.html"), target.removesuffix("/index.html") + "/"}
        return WITHHELD_HTML if candidates & withheld_urls else match.group(0)

    return _HTML_LINK.sub(anchor, html)


def withheld_urls(paths: set[str], process_ids: set[str], directory_urls: bool = True) -> set[str]:
    found = {unquote(urls.document_url(p, directory_urls)) for p in paths}
    found |= {unquote(urls.process_url(p)) for p in process_ids}
    return {u.rstrip("/") + "/" if u else u for u in found} | {u.rstrip("/") for u in found}
