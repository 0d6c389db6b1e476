"""Links to content that is not published are shown without its title or address."""

from __future__ import annotations

import functools
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


def _last_segment(href: str) -> str:
    """The last part of a link's path: a link can only point at a withheld page if it ends like one."""
    path = unquote(href.split("#", 1)[0].split("?", 1)[0])
    return path.rstrip("/").removesuffix("index.html").rstrip("/").rsplit("/", 1)[-1]


@functools.lru_cache(maxsize=4)  # the same withheld set for every page of a build
def _endings(targets: frozenset[str]) -> frozenset[str]:
    return frozenset({_last_segment(t) for t in targets} | {".", ".."})  # "." and ".." are resolved the full way


def hide_markdown_links(markdown: str, src_uri: str, withheld_paths: set[str]) -> str:
    """Replace Markdown links and reference definitions that point at withheld `.md` files."""
    if not withheld_paths:
        return markdown
    base = posixpath.dirname(src_uri)
    endings = _endings(frozenset(withheld_paths))

    def withheld(href: str) -> bool:
        return _last_segment(href) in endings and _target(base, href) in withheld_paths

    def link(match: re.Match) -> str:
        return WITHHELD_HTML if withheld(match.group(1)) else match.group(0)

    def reference(match: re.Match) -> str:
        return "" if withheld(match.group(1)) else match.group(0)

    return _MD_REFERENCE.sub(reference, _MD_LINK.sub(link, markdown))


def hide_html_links(html: str, page_url: str, src_uri: str, withheld_urls: set[str]) -> str:
    """Replace `<a>` elements whose target is a withheld page of the built site.

    A link is resolved both from the page's URL (as the browser does) and from the source
    file's folder (as authors often think), so that neither way names withheld content.
    """
    if not withheld_urls:
        return html
    page_base = page_url.rstrip("/") if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    bases = {page_base, posixpath.dirname(src_uri)}
    endings = _endings(frozenset(withheld_urls))

    def anchor(match: re.Match) -> str:
        if _last_segment(match.group(1)) not in endings:
            return match.group(0)
        for base in bases:
            target = _target(base, match.group(1))
            if target is None:
                return match.group(0)
            candidates = {target, target + "/", target.removesuffix("index.html"), target.removesuffix("/index.html") + "/"}
            if candidates & withheld_urls:
                return WITHHELD_HTML
        return match.group(0)

    return _HTML_LINK.sub(anchor, html)


def withheld_urls(paths: set[str], process_ids: set[str]) -> set[str]:
    found = {unquote(urls.document_url(p)) for p in paths}
    found |= {unquote(urls.process_url(p)) for p in process_ids}
    return {u.rstrip("/") + "/" if u else u for u in found} | {u.rstrip("/") for u in found}
