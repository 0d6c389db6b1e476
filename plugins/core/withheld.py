"""No address of withheld content in a published page, whatever form the link takes.

The guarantee is `hide_html_links`: every tag of the produced HTML is read the way a browser
tokenises it (any case, any quoting, character references), every attribute value is resolved
as a URL from the page's address, the source file's folder and the site root (also when written
as an absolute address of the site), and an element that reaches withheld content is replaced by
*[ej publicerat innehåll]*: a link together with its text, any other element (image, frame,
object …) by itself. Absolute addresses of withheld content in the text are replaced too.
`hide_markdown_links` only spares authors MkDocs' "link not found" warnings for plain Markdown
links to withheld pages; it protects nothing on its own.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from . import urls

WITHHELD_TEXT = "[ej publicerat innehåll]"
WITHHELD_HTML = f'<span class="hb-withheld">{WITHHELD_TEXT}</span>'
_MD_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_MD_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\n?[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$", re.M)  # never past its own line(s)

# A start tag as the HTML tokeniser reads it: attribute names end at space, / > or =, values are
# "…", '…' or unquoted up to space or >.
_ATTRIBUTE = r"""[\s/]*[^\s/>=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?"""
_TAG = re.compile(rf"<([a-zA-Z][^\s/>]*)((?:{_ATTRIBUTE})*)[\s/]*>?")
_VALUE = re.compile(r"""=\s*("[^"]*"|'[^']*'|[^\s>]*)""")
_ABSOLUTE = re.compile(r"""(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^\s"'<>]+""")
_PART = re.compile(r"""[^\s,()"']+""")
# What could spell an address differently: a character reference other than the markup's own, a %-escape.
_ENCODED = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#39|#x27);)|%[0-9A-Fa-f]{2}")


class Withheld:
    """The addresses of everything withheld from one build, and the site's own address."""

    def __init__(self, targets: set[str], site_url: str = "") -> None:
        self.targets = frozenset(t.casefold() for t in targets)
        self.endings = frozenset(_last_segment(t) for t in self.targets) - {""}
        self.site_path = urlsplit(site_url).path.casefold() if site_url else ""
        # A withheld folder index (hr/index.md) is reached by "../" too, without its name.
        self.relative_folders = any(t.endswith(("index.md", "readme.md")) for t in self.targets)
        # For the cheap test an ending that contains another ("x.md" holds "x") adds nothing.
        self._shortest = [e for e in self.endings if not any(o != e and o in e for o in self.endings)]

    def __bool__(self) -> bool:
        return bool(self.targets)

    def mentions(self, text: str) -> bool:
        """Cheap test: could anything in `text` end like a withheld address?"""
        folded = unquote(html.unescape(text)).casefold() if _ENCODED.search(text) else text.casefold()
        return any(ending in folded for ending in self._shortest) or (self.relative_folders and "./" in folded)

    def may_reach(self, path: str) -> bool:
        """Cheap test: only a path that ends like a withheld address (or in . or ..) is resolved."""
        return _last_segment(path) in self.endings or _last_segment(path) in ("", ".", "..")

    def reaches(self, url: str, bases: tuple[str, ...]) -> bool:
        for part in {url, *_PART.findall(url)}:
            for path in self._paths(part):
                if self._withheld(path, bases):
                    return True
        return False

    def _paths(self, url: str) -> list[str]:
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return []
        path = unquote(parts.path).casefold()
        if not parts.netloc and not parts.scheme:
            return [path] if path else []
        if parts.scheme and parts.scheme not in ("http", "https") and not parts.netloc:
            return []
        found = ["/" + path.lstrip("/")]
        if self.site_path and path.startswith(self.site_path):
            found.append("/" + path[len(self.site_path):])
        return found

    def _withheld(self, path: str, bases: tuple[str, ...]) -> bool:
        if not self.may_reach(path):
            return False
        joined = [path.lstrip("/")] if path.startswith("/") else [posixpath.join(base, path) for base in bases]
        for target in joined:
            normal = posixpath.normpath(target).lstrip("/")
            normal = "" if normal == "." else normal
            # A folder's page once: "hr/index.html" is hr/, "hr/index.html/index.html" is no page at all.
            bare = (normal[:-len("index.html")] if normal == "index.html" or normal.endswith("/index.html") else normal).rstrip("/")
            if {normal, bare, bare + "/"} & self.targets:
                return True
        return False


def _last_segment(path: str) -> str:
    path = path.split("#", 1)[0].split("?", 1)[0]
    return path.rstrip("/").removesuffix("index.html").rstrip("/").rsplit("/", 1)[-1]


def withheld_targets(page_paths: set[str], process_ids: set[str], files: set[str]) -> set[str]:
    """Every address of withheld content: a page's source path and URL, a process's URL, a file's path."""
    found = set(files)
    for path in page_paths:
        found.add(path)
        found.add(unquote(urls.document_url(path.rsplit(".", 1)[0] + ".md")))
    found |= {unquote(urls.process_url(p)) for p in process_ids}
    return {t.rstrip("/") for t in found if t.rstrip("/")}


def hide_html_links(text: str, page_url: str, src_uri: str, withheld: Withheld) -> str:
    """Replace every element whose attributes reach withheld content, and such absolute addresses in text."""
    if not withheld or not withheld.mentions(text):
        return text
    page_base = page_url.rstrip("/") if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    bases = (page_base.casefold(), posixpath.dirname(src_uri).casefold())
    out, position = [], 0
    for tag in _TAG.finditer(text):
        if tag.start() < position or not _reaches(tag.group(2) or "", withheld, bases):
            continue
        end = tag.end()
        if tag.group(1).lower() == "a":
            close = re.compile(r"</a\s*>", re.I).search(text, end)
            end = close.end() if close else len(text)
        out.append(_hide_text(text[position:tag.start()], withheld, bases))
        out.append(WITHHELD_HTML)
        position = end
    out.append(_hide_text(text[position:], withheld, bases))
    return "".join(out)


def _reaches(attributes: str, withheld: Withheld, bases: tuple[str, ...]) -> bool:
    for value in _VALUE.findall(attributes):
        value = html.unescape(value.strip("\"'"))
        if value and withheld.reaches(value, bases):
            return True
    return False


def _hide_text(text: str, withheld: Withheld, bases: tuple[str, ...]) -> str:
    def address(match: re.Match) -> str:
        return WITHHELD_TEXT if withheld.reaches(html.unescape(match.group(0)), bases) else match.group(0)

    return _ABSOLUTE.sub(address, text)


@functools.lru_cache(maxsize=4)  # the same withheld set for every page of a build
def _md_endings(paths: frozenset[str]) -> frozenset[str]:
    return frozenset({_last_segment(p) for p in paths} | {".", ".."})


def hide_markdown_links(markdown: str, src_uri: str, withheld_paths: set[str]) -> str:
    """Replace plain Markdown links and reference definitions that point at withheld pages."""
    if not withheld_paths:
        return markdown
    base = posixpath.dirname(src_uri)
    endings = _md_endings(frozenset(withheld_paths))

    def withheld(href: str) -> bool:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path or _last_segment(unquote(parts.path)) not in endings:
            return False
        path = unquote(parts.path)
        target = posixpath.normpath(path.lstrip("/") if path.startswith("/") else posixpath.join(base, path))
        return target in withheld_paths

    def link(match: re.Match) -> str:
        return WITHHELD_HTML if withheld(match.group(1)) else match.group(0)

    def reference(match: re.Match) -> str:
        return "" if withheld(match.group(1)) else match.group(0)

    return _MD_REFERENCE.sub(reference, _MD_LINK.sub(link, markdown))


def hide_markdown_addresses(markdown: str, page_url: str, src_uri: str, withheld: Withheld) -> str:
    """Replace Markdown links, images and reference definitions whose address reaches any withheld content
    (a page, a process, a file), resolved as `hide_html_links` resolves attributes: from the page's
    address and from its source file's folder. For Markdown that no plugin will check as HTML (`handbook export`)."""
    if not withheld or not withheld.mentions(markdown):
        return markdown
    page_base = page_url.rstrip("/") if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    bases = (page_base.casefold(), posixpath.dirname(src_uri).casefold())

    def link(match: re.Match) -> str:
        return WITHHELD_HTML if withheld.reaches(html.unescape(match.group(1)), bases) else match.group(0)

    def reference(match: re.Match) -> str:
        return "" if withheld.reaches(html.unescape(match.group(1)), bases) else match.group(0)

    return _MD_REFERENCE.sub(reference, _MD_LINK.sub(link, markdown))
