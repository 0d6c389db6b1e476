"""'Lämna synpunkt': a link that reaches the owner of a document or process with the item filled in.

By default an e-mail (`mailto:`) to the owner role's `contact`; with the option `feedback_url`, the
municipality's own system for synpunkter and avvikelser, with the values in its placeholders. Nothing
is sent or stored by the handbook: the reader's own mail program or browser does the rest. Every
value is percent-encoded, so no title or address can end the link, add a header (`Bcc:`) or a
parameter of its own.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from urllib.parse import quote

from .documents import Document
from .handbook import Handbook
from .processes import Process
from .roles import CONTROL, one_line

PLACEHOLDERS = ("id", "title", "version", "url")


@dataclass(frozen=True)
class Feedback:
    href: str
    note: str  # where the reader's message goes, in Swedish


def placeholder_problem(template: str) -> str | None:
    """Why a `feedback_url` cannot be used, in Swedish; None when it can (or is empty)."""
    if not template:
        return None
    if not template.startswith(("https://", "http://")) or CONTROL.search(template) or " " in template:
        return "ska vara en webbadress som börjar med https://, utan mellanslag"
    rest = template
    for name in PLACEHOLDERS:
        rest = rest.replace("{" + name + "}", "")
    if "{" in rest or "}" in rest:
        return "får bara ha platshållarna " + ", ".join("{" + n + "}" for n in PLACEHOLDERS)
    return None


def addresses(contact: str) -> list[str]:
    """The e-mail addresses of a role's contact; none when it holds a line break (it could add headers)."""
    if CONTROL.search(contact):
        return []
    return [addr for _, addr in email.utils.getaddresses([contact])
            if addr.count("@") == 1 and addr.isascii() and not any(c in addr for c in " <>\"(),;:\\[]")]


def feedback(handbook: Handbook, item: Document | Process, page_url: str, site_url: str, template: str = "") -> Feedback | None:
    """The link of a document's or process's page (`page_url` relative to the site root), or None
    when there is no way to reach anyone: no `feedback_url` and no e-mail address in the owner's contact."""
    is_document = isinstance(item, Document)
    ident = item.path if is_document else item.id
    title = one_line(item.title if is_document else item.name)
    version = one_line(item.version)
    address = (site_url.rstrip("/") + "/" + page_url.lstrip("/")) if site_url else page_url
    values = {"id": ident, "title": title, "version": version, "url": address}
    if template:
        href = template
        for name, value in values.items():
            href = href.replace("{" + name + "}", quote(value, safe=""))
        return Feedback(href, "Du kommer till kommunens system för synpunkter och avvikelser.")
    role = handbook.roles.roles.get(item.owner)
    to = addresses(role.contact) if role else []
    if not to:
        return None
    noun, owner_label = ("dokumentet", "dokumentansvarig") if is_document else ("processen", "processägare")
    subject = f"Synpunkt på {title}" + (f", version {version}" if version else "")
    body = "\r\n".join([
        f"Synpunkt, förbättringsförslag eller avvikelse i {noun}:", "",
        f"{'Dokument' if is_document else 'Process'}: {title}",
        f"Id: {ident}",
        f"Version: {version or 'saknas'}",
        f"Adress: {address}", "",
        "Min synpunkt:", "", "",
    ])
    href = ("mailto:" + ",".join(quote(a, safe="@") for a in to)
            + "?subject=" + quote(subject, safe="") + "&body=" + quote(body, safe=""))
    return Feedback(href, f"Fel, förbättringsförslag eller avvikelse? Ditt meddelande går till "
                          f"{handbook.roles.name(item.owner)} ({owner_label}).")
