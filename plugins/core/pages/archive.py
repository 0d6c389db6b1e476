"""`arkiv/<document path>/<version>/` and `arkiv/processer/<id>/<version>/`: every decided version that
passes the gate (core/archive.py), rendered from the file as it was, with the metadata it had then and
a banner that says whether it is the version in force, an older one, or one of a repealed item.

Archived pages are in no navigation and not in the search index (`search: exclude`); the page's
version list links them. Links in an archived text are written again from the archive's address:
to a published page or attachment they still lead there; to withheld content they become
*[ej publicerat innehåll]*; to what no longer exists, their text alone (MkDocs would otherwise
warn, and `--strict` fail, for a link an old version cannot be corrected to avoid).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from jinja2.utils import markupsafe

from .. import urls
from ..archive import Archive, ArchiveItem, DecidedVersion, NEVER_APPLIED, day_before, until_text
from ..gate import is_page
from ..governance import STATE_LABELS
from ..handbook import Handbook
from ..mermaid import process_map
from ..processes import read_process
from ..source import _FRONT_MATTER, decode, split_front_matter
from ..views import Link, doc_type_label, document_link, klassa_link, role_link
from ..withheld import Withheld, hide_html_links, hide_markdown_addresses, withheld_targets
from . import SiteInfo, render
from .processes import code_text, paragraphs, step_rows

WITHHELD_HTML = '<span class="hb-withheld">[ej publicerat innehåll]</span>'
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(<?)([^)\s>]+)(>?)((?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*)\)")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]]+\]:[ \t]*<?)(\S+?)(>?(?:[ \t]+.*)?)$", re.M)
_HTML_ATTRIBUTE = re.compile(r"""(\b(?:href|src)[ \t]*=[ \t]*)("[^"]*"|'[^']*')""", re.I)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass
class Banner:
    kind: str  # archived-current, archived-old, archived-future, repealed
    title: str
    text: str
    links: list[Link] = field(default_factory=list)
    after: str = ""  # text after the links


def banner(handbook: Handbook, archive: Archive, item: ArchiveItem, version: DecidedVersion) -> Banner:
    noun = "Dokumentet" if item.kind == "document" else "Processen"
    current_page = Link(item.title, item.url)
    if item.repeal is not None:
        successors = successor_links(handbook, item)
        ended = "upphävt" if item.kind == "document" else "upphävd"
        text = f"{noun} är {ended} sedan {item.repeal.date} och gäller inte längre. Detta är inte gällande version."
        if successors:
            return Banner("repealed", "Upphävd", text + " Ersatt av:", successors, item.repeal.note)
        return Banner("repealed", "Upphävd", text + (f" {item.repeal.note}" if item.repeal.note else ""), [current_page],
                      "(sidan för det upphävda)" if item.kind == "document" else "(sidan för den upphävda)")
    current = archive.current(item)
    period = f"Version {version.version} gäller fr.o.m. {version.valid_from}"
    if version is current:
        return Banner("archived-current", "Gällande version",
                      f"Detta är en arkiverad kopia av den version som gäller i dag. {period}.", [current_page])
    if version.valid_from > archive.today:
        return Banner("archived-future", "Detta är inte gällande version",
                      f"{period}, alltså ännu inte. Gällande version finns på sidan", [current_page])
    if until_text(version) == NEVER_APPLIED:
        said = f"Version {version.version} skulle gälla fr.o.m. {version.valid_from} men ersattes innan dess."
    else:
        until = f" t.o.m. {day_before(version.valid_to)}" if version.valid_to else ""
        said = f"Version {version.version} gällde fr.o.m. {version.valid_from}{until}."
    return Banner("archived-old", "Detta är inte gällande version", f"{said} Gällande version finns på sidan", [current_page])


def successor_links(handbook: Handbook, item: ArchiveItem) -> list[Link]:
    if item.kind != "document":
        return []
    return [document_link(handbook, doc.path) for doc in handbook.replacements.get(item.key, [])]


def card_rows(handbook: Handbook, item: ArchiveItem, version: DecidedVersion) -> list[tuple[str, list[Link]]]:
    rows = []
    if version.doc_type:
        rows.append(("Dokumenttyp", [Link(doc_type_label(version.doc_type))]))
    if version.klassa:
        rows.append(("Klassa", [klassa_link(handbook, version.klassa) if version.klassa in handbook.klassa.nodes
                                else Link(version.klassa)]))
    if version.owner:
        label = "Dokumentansvarig" if item.kind == "document" else "Processägare"
        rows.append((label, [role_link(handbook, version.owner) if version.owner in handbook.roles else Link(version.owner)]))
    for label, value in (("Version", version.version), ("Status", STATE_LABELS.get(version.state, "")),
                         ("Gäller fr.o.m.", version.valid_from), ("Gällde t.o.m.", until_text(version)),
                         ("Beslutad av", version.decided_by), ("Beslutsdatum", version.decision_date),
                         ("Diarienummer", version.diarienummer), ("Informationsklass", version.information_class)):
        if value:
            rows.append((label, [Link(value)]))
    if version.replaces:
        rows.append(("Ersätter", [document_link(handbook, path) for path in version.replaces]))
    successors = successor_links(handbook, item)
    if successors:
        rows.append(("Ersatt av", successors))
    return rows


# -- links in an archived text -------------------------------------------------------------------

@dataclass
class Relocation:
    """Writing the links of a text from `old_src` (page address `old_url`) again from `new_src`."""

    old_src: str
    new_src: str
    known: set[str]  # src_uris of the build's published pages and files
    withheld: set[str]  # src_uris of withheld pages and files
    _seen: dict = field(default_factory=dict, repr=False)  # url → its relocation, asked again for a repeated link

    @property
    def old_url(self) -> str:
        return urls.document_url(self.old_src)

    @property
    def new_url(self) -> str:
        return urls.document_url(self.new_src)

    def target(self, url: str, markdown: bool = True) -> str | None:
        """The address written again; WITHHELD_HTML for withheld content; None for what is gone."""
        new, status = self.relocate(url, markdown)
        return WITHHELD_HTML if status == "withheld" else None if status == "gone" else new

    def relocate(self, url: str, markdown: bool = True) -> tuple[str | None, str]:
        """(the address written from the archive's page, "ok" | "withheld" | "gone")."""
        key = (url, markdown)
        if key not in self._seen:
            self._seen[key] = self._relocate(url, markdown)
        return self._seen[key]

    def _relocate(self, url: str, markdown: bool) -> tuple[str | None, str]:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None, "gone"
        if parts.scheme or parts.netloc or url.startswith(("/", "\\", "#")) or not parts.path:
            return url, "ok"
        path = unquote(parts.path)
        if markdown and posixpath.splitext(path)[1]:  # a file, relative to the source file (as MkDocs reads it)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(self.old_src), path))
            status = "withheld" if target in self.withheld else "ok" if target in self.known else "gone"
            new = urls._relpath(target, posixpath.dirname(self.new_src) or ".")  # pure: no os.getcwd() per link
        else:  # an address relative to the page (a folder link, or raw HTML)
            target = posixpath.normpath(posixpath.join(self.old_url, path))
            status = "withheld" if target.rstrip("/") in self.withheld or target + ".md" in self.withheld else "ok"
            new = urls.relative(self.new_url, target + ("/" if path.endswith("/") else ""))
        if target.startswith("../") or target == "..":
            return None, "gone"
        return urlunsplit(("", "", quote(new, safe="/!$&'()*+,;=:@-._~"), parts.query, parts.fragment)), status

    def markdown(self, text: str) -> str:
        """Every Markdown link, image and reference definition, and href/src of raw HTML, outside code fences."""
        out, chunk, fence = [], [], None
        for line in text.splitlines(keepends=True):
            opening = _FENCE.match(line)
            if fence is None and opening:
                out.append(self._chunk("".join(chunk)))
                chunk, fence = [], opening.group(1)[0] * len(opening.group(1))
                out.append(line)
            elif fence is not None:
                out.append(line)
                if line.strip().startswith(fence):
                    fence = None
            else:
                chunk.append(line)
        out.append(self._chunk("".join(chunk)))
        return "".join(out)

    def _chunk(self, text: str) -> str:
        if not text:
            return text

        def link(match: re.Match) -> str:
            image, inner, open_, url, close, title = match.groups()
            new = self.target(url)
            if new is None:
                return inner
            if new == WITHHELD_HTML:
                return WITHHELD_HTML
            return f"{image}[{inner}]({open_}{new}{close}{title})"

        def reference(match: re.Match) -> str:
            new = self.target(match.group(2))
            return "" if new is None or new == WITHHELD_HTML else f"{match.group(1)}{new}{match.group(3)}"

        def attribute(match: re.Match) -> str:
            quote_char, value = match.group(2)[0], match.group(2)[1:-1]
            new, _ = self.relocate(value, markdown=False)  # withheld: link hiding replaces the element
            if new is None:
                new = "#"  # outside the site: the element stays, leading nowhere
            return f"{match.group(1)}{quote_char}{new.replace(quote_char, '')}{quote_char}"

        return _HTML_ATTRIBUTE.sub(attribute, _REFERENCE.sub(reference, _LINK.sub(link, text)))


def body_of(text: str) -> str:
    """The text after the front matter, as `split_front_matter` gives it, without reading the YAML again
    (a publishable version's front matter was read already, by `history.snapshot`)."""
    found = _FRONT_MATTER.match(text)
    return text[found.end():].lstrip("\n") if found else split_front_matter(text).body


# -- the pages ---------------------------------------------------------------------------------------

def pages(handbook: Handbook, site: SiteInfo, archive: Archive | None, known: set[str]) -> dict[str, str]:
    """Every published archived version's page, keyed by its generated src_uri."""
    if archive is None:
        return {}
    withheld = {p for p, d in handbook.documents.items() if not handbook.is_published(d)} | set(handbook.withheld_files)
    known = set(known) | {p for p, d in handbook.documents.items() if handbook.is_published(d)} | set(handbook.attachments)
    hidden = Withheld(withheld_targets({p for p in withheld if is_page(p)},
                                       {i for i, p in handbook.processes.items() if not handbook.is_published(p)},
                                       {p for p in withheld if not is_page(p)}))
    result = {}
    for item in archive.items.values():
        for version in item.published_versions:
            data = archive.content(version) if version.page else None
            if data is None:
                continue
            context = dict(item=item, version=version, banner=banner(handbook, archive, item, version),
                           rows=card_rows(handbook, item, version))
            if item.kind == "document":
                text, _ = decode(data)
                # Links and tags that reach withheld content from the original address (a process's page too,
                # by either reading of a relative address) are hidden before they are written again.
                old_url = urls.document_url(item.key)
                body = hide_html_links(hide_markdown_addresses(body_of(text), old_url, item.key, hidden), old_url, item.key, hidden)
                body = Relocation(item.key, version.page, known, withheld).markdown(body)
                result[version.page] = render("archive_document.md", version.page, site, body=markupsafe.Markup(body),
                                              **context)
            else:
                process = read_process(item.source, data, handbook.klassa, handbook.roles)
                mermaid = code_text(process_map(handbook, process, version.url))
                lanes = [role_link(handbook, role) for role in process.roles_in_order()]
                result[version.page] = render("archive_process.md", version.page, site, process=process, mermaid=mermaid,
                                              lanes=lanes, steps=step_rows(handbook, process),
                                              purpose=paragraphs(process.purpose), **context)
    return result


def originals(archive: Archive | None) -> dict[str, tuple[str, str]]:
    """Archived page src_uri → (the current page's URL, its source in docs/ or ""): link hiding reads
    each archived page from both addresses, so raw HTML written for the original reaches nothing withheld."""
    if archive is None:
        return {}
    return {v.page: (item.url, item.key if item.kind == "document" else "")
            for item in archive.items.values() for v in item.published_versions if v.page}
