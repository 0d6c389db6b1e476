"""Review reminders in Swedish: one e-mail per address, listing what each role it is `contact` for must review.

Roles that share an address (kansliet@ for several roles) send it one message, with each role's items
under the role's name; addresses that serve exactly the same roles share a message. Every message is
marked as sent by a program (RFC 3834 `Auto-Submitted`, and what Exchange and vacation programs
read), so out-of-office replies do not answer it.
"""

from __future__ import annotations

import email.errors
import email.utils
import hashlib
import ipaddress
import smtplib
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from .governance import REVIEW_LABELS
from .handbook import Handbook
from .problems import Problem, Problems
from .reports import address
from .review import OwnerGroup, ReviewItem
from .roles import CONTROL, one_line

# The sender of .eml files when reminder_from is not set: they are only read, never sent from here.
PLACEHOLDER_SENDER = "Processhandboken <processhandboken@localhost>"
DEFAULT_SMTP_PORT = 25
# Headers that keep out-of-office and other automatic replies from answering a reminder.
AUTOMATIC = {
    "Auto-Submitted": "auto-generated",  # RFC 3834
    "Precedence": "bulk",  # read by vacation programs and Gmail
    "X-Auto-Response-Suppress": "OOF, AutoReply",  # read by Exchange; delivery failures still come back
}


@dataclass(frozen=True)
class Login:
    """An SMTP account (`HANDBOOK_SMTP_USER`, `HANDBOOK_SMTP_PASSWORD`); the password never goes out unencrypted."""

    user: str
    password: str = field(repr=False)


@dataclass
class Reminder:
    groups: list[OwnerGroup]  # the roles its recipients are contact for, in the groups' order
    message: EmailMessage

    @property
    def file_name(self) -> str:
        """The roles' ids; for many roles the first one's, how many more, and a digest of them all."""
        name = "+".join(g.owner for g in self.groups)
        if len(name) > 100:  # a file name has room for 255 bytes
            name = f"{self.groups[0].owner}+{len(self.groups) - 1}-{hashlib.sha256(name.encode()).hexdigest()[:10]}"
        return name + ".eml"

    @property
    def names(self) -> str:
        return listing([g.name for g in self.groups])

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)


def listing(names: list[str]) -> str:
    """`A`, `A och B`, `A, B och C`."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} och {names[-1]}"


def is_local(host: str | None) -> bool:
    """This computer (localhost, 127.0.0.1, ::1) or no host at all: an address no one else can reach."""
    host = (host or "").strip("[]").rstrip(".").lower()
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def site_host(site_url: str) -> str | None:
    """The host of the site's address when others can reach it; None when it is unset or this computer."""
    try:
        host = urlsplit(site_url.strip()).hostname
    except ValueError:
        return None
    return None if is_local(host) else host


def site_url_problem(site_url: str, what: str = "påminnelserna") -> str | None:
    """Why links in reminders (or `what` else) would not reach their readers, in Swedish; None when the address is real."""
    if site_host(site_url):
        return None
    fix = ("ange handbokens riktiga adress i miljövariabeln HANDBOOK_SITE_URL eller i site_url i mkdocs.yml, "
           "t.ex. HANDBOOK_SITE_URL=https://handbok.kommun.se/")
    if not site_url.strip():
        return f"handbokens adress (site_url) saknas, så {what} får inga länkar; {fix}"
    return (f"handbokens adress (site_url) är {site_url}, som bara fungerar på den här datorn, så länkarna i "
            f"{what} skulle inte fungera för mottagarna; {fix}")


def sender_problem(sender: str) -> str | None:
    """Why the sender cannot send reminders over SMTP, in Swedish; None when it is a real address."""
    example = "t.ex. reminder_from: Processhandboken <handbok@kommun.se>"
    if not sender.strip():
        return (f"avsändaren saknas: ange reminder_from under plugins: - handbook: i mkdocs.yml ({example}) "
                "eller --from")
    addresses = [addr for _, addr in email.utils.getaddresses([sender]) if "@" in addr]
    if len(addresses) != 1 or not addresses[0].isascii():
        return (f"avsändaren \"{sender}\" (--from eller reminder_from i mkdocs.yml) ska vara en e-postadress utan "
                f"å, ä och ö; {example}")
    if is_local(addresses[0].rpartition("@")[2]):
        return (f"avsändaren {addresses[0]} (--from eller reminder_from i mkdocs.yml) är en adress på den här "
                f"datorn, som mottagarna inte kan svara till; ange kommunens adress, {example}")
    return None


class BadContact(ValueError):
    """A role's contact that cannot go into a message, for the reason in Swedish given."""


def recipients(contact: str) -> list[Address]:
    """The e-mail addresses in a role's contact; other text (a phone number, a name) is not one.

    A line break in the contact would let it write headers of its own (`Bcc:`): BadContact."""
    if CONTROL.search(contact):
        raise BadContact("contact innehåller en radbrytning eller ett annat styrtecken (se handbook check)")
    return [_address(name, addr) for name, addr in email.utils.getaddresses([contact]) if "@" in addr]


def _address(name: str, addr: str) -> Address:
    """A well-formed address without å, ä or ö (few mail servers take those: SMTPUTF8)."""
    try:
        if addr.isascii():
            return Address(name, addr_spec=addr)
    except (ValueError, email.errors.MessageError):
        pass
    raise BadContact(f"adressen \"{addr}\" i contact kan inte användas i ett e-postmeddelande; skriv den "
                     "som namn@kommun.se (utan å, ä och ö) eller Namn <namn@kommun.se>")


def _item_lines(item: ReviewItem, site_url: str) -> list[str]:
    date = item.review_date.isoformat() if item.review_date else "saknas"
    facts = ", ".join(x for x in (item.type_label, f"Klassa {item.klassa}" if item.klassa else "",
                                  f"version {item.version}" if item.version else "", "upphävd" if item.repealed else "") if x)
    lines = [f"- {item.title} ({facts})", f"  Ska revideras senast: {date}"]
    if site_url:
        lines.append(f"  {address(item.url, site_url)}")
    return lines


def body(handbook: Handbook, groups: list[OwnerGroup], site_name: str, site_url: str) -> str:
    names = listing([g.name for g in groups])
    several = len(groups) > 1
    lines = ["Hej!", "",
             f"Du får det här meddelandet eftersom du är kontakt för {'rollerna' if several else 'rollen'} {names} i {site_name}.",
             f"{'Rollerna' if several else 'Rollen'} ansvarar för följande dokument och processer som ska revideras "
             f"(datum {handbook.settings.today.isoformat()}):"]
    for group in groups:
        if several:
            heading = f"Rollen {group.name} ({len(group.items)} att revidera)"
            lines += ["", heading, "-" * len(heading)]
        for status in ("overdue", "due"):
            items = [i for i in group.items if i.status == status]
            if items:
                lines += ["", f"{REVIEW_LABELS[status]} ({len(items)}):"]
                for item in items:
                    lines += _item_lines(item, site_url)
    lines += ["", "Gå igenom innehållet, uppdatera det vid behov och sätt ett nytt datum i review_date",
              "(ska revideras senast)."]
    if any(i.repealed for g in groups for i in g.items):
        lines.append("Ett upphävt dokument eller en upphävd process kan i stället tas bort ur handboken.")
    if site_url:
        lines += ["", f"Hela revisionslistan: {address('revision/', site_url)}"]
    lines += ["", "Meddelandet skickades automatiskt.", "", "Vänliga hälsningar", site_name, ""]
    return "\n".join(lines)


def subject(groups: list[OwnerGroup], site_name: str) -> str:
    overdue = sum(g.count("overdue") for g in groups)
    late = f" ({overdue} {'försenad' if overdue == 1 else 'försenade'})" if overdue else ""
    total = sum(len(g.items) for g in groups)
    return one_line(f"{site_name}: {total} att revidera för {listing([g.name for g in groups])}{late}")


def reminders(handbook: Handbook, groups: list[OwnerGroup], sender: str, site_name: str,
              site_url: str = "") -> tuple[list[Reminder], list[Problem]]:
    """A message per set of addresses that serve the same roles; a warning for each group without an
    address, and an error for each role whose message cannot be made: one role's bad contact never
    stops the others' reminders."""
    problems = Problems(handbook.roles.path)

    def cannot(group: OwnerGroup, exc: Exception) -> None:
        role = handbook.roles.roles.get(group.owner)
        reason = str(exc) if isinstance(exc, BadContact) else f"internt fel ({type(exc).__name__}: {exc})"
        problems.error(role.line if role else 1, f"rollen {group.owner} får ingen påminnelse: {reason}")

    served: dict[str, tuple[Address, list[OwnerGroup]]] = {}  # by address, case aside: the roles it serves
    for group in groups:
        role = handbook.roles.roles.get(group.owner)
        try:
            to = recipients(group.contact)
        except Exception as exc:  # whatever goes wrong with one role's contact, the others still go out
            cannot(group, exc)
            continue
        for recipient in to:
            roles = served.setdefault(recipient.addr_spec.lower(), (recipient, []))[1]
            if group not in roles:
                roles.append(group)
        if to:
            continue
        what = ", ".join(i.title for i in group.items)
        if role is None:
            problems.warning(1, f"{len(group.items)} dokument eller processer saknar giltig ägare och får ingen påminnelse: {what}")
        else:
            problems.warning(role.line, f"rollen {group.owner} har ingen e-postadress i contact; ingen påminnelse skickas om: {what}")

    messages: dict[tuple[str, ...], tuple[list[OwnerGroup], list[Address]]] = {}
    for recipient, roles in served.values():
        messages.setdefault(tuple(g.owner for g in roles), (roles, []))[1].append(recipient)
    result = []
    for roles, to in messages.values():
        try:
            result.append(Reminder(roles, _message(handbook, roles, to, sender, site_name, site_url)))
        except Exception as exc:  # this message's roles alone get none
            for group in roles:
                cannot(group, exc)
    return result, problems.items


def _message(handbook: Handbook, groups: list[OwnerGroup], to: list[Address], sender: str, site_name: str,
             site_url: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject(groups, site_name)
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain=site_host(site_url) or "processhandboken.invalid")
    for name, value in AUTOMATIC.items():
        message[name] = value
    message.set_content(body(handbook, groups, site_name, site_url))
    bytes(message)  # written out now, so a header that cannot be is this message's problem alone
    return message


def write_eml(found: list[Reminder], folder: Path) -> tuple[list[Path], list[str]]:
    """A file per reminder: the files written, and a Swedish line per file that could not be."""
    written, failures = [], []
    for reminder in found:
        path = folder / reminder.file_name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes(reminder.message))
            written.append(path)
        except OSError as exc:
            failures.append(f"påminnelsen till {reminder.names} kunde inte skrivas till {path} ({exc.strerror or exc})")
    return written, failures


def parse_server(server: str) -> tuple[str, int]:
    """`host` or `host:port`; a missing port is SMTP's 25."""
    host, colon, port = server.strip().rpartition(":")
    if not colon:
        return port, DEFAULT_SMTP_PORT
    if not port.isdigit() or not host:
        raise ValueError(f"SMTP-servern \"{server}\" ska skrivas värd eller värd:port, t.ex. smtp.kommun.se:25")
    return host, int(port)


def send(found: list[Reminder], server: str, login: Login | None = None,
         timeout: float = 30) -> tuple[list[Reminder], list[str]]:
    """Send every message over one SMTP connection: the reminders sent, and a Swedish line per failure."""
    host, port = parse_server(server)
    where = f"SMTP-servern {host}:{port}"
    sent, failures = [], []
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            _start_tls(smtp, where, login)
            if login is not None:
                _log_in(smtp, where, login)
            for reminder in found:  # one refused message does not stop the others
                try:
                    smtp.send_message(reminder.message)
                    sent.append(reminder)
                except _REFUSED as exc:
                    failures.append(f"påminnelsen till {reminder.message['To']} ({reminder.names}) skickades inte: "
                                    f"{where} tog inte emot den ({_reason(exc)})")
    except (OSError, smtplib.SMTPException, NotSent) as exc:
        failures.append(f"{_explain(exc, where)}; {len(sent)} av {len(found)} påminnelser skickades")
    return sent, failures


# What refuses one message and leaves the connection open for the next (smtplib resets it).
_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError,
            smtplib.SMTPNotSupportedError, ValueError)


def _reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {code} {text.decode('utf-8', 'replace')}" for addr, (code, text) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return "servern tar inte emot adresser med å, ä eller ö (SMTPUTF8)"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {exc.smtp_error.decode('utf-8', 'replace') if isinstance(exc.smtp_error, bytes) else exc.smtp_error}"
    return str(exc)


class NotSent(Exception):
    """Nothing was sent, for the reason in Swedish given."""


def _start_tls(smtp: smtplib.SMTP, where: str, login: Login | None) -> None:
    """Encrypt whenever the server offers STARTTLS.

    Without a login this is what mail servers do among themselves: encrypted, the certificate not
    checked (an intranet relay often has one of its own making). With a login, encryption is required
    and the certificate must be valid for the host, so the password reaches no one else.
    """
    smtp.ehlo()
    if smtp.has_extn("starttls"):
        context = ssl.create_default_context()
        if login is None:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        smtp.starttls(context=context)
        smtp.ehlo()
    elif login is not None:
        raise NotSent(f"{where} erbjuder inte STARTTLS, så lösenordet skickades inte: använd serverns port för "
                      "krypterad inlämning (ofta 587) eller ta bort HANDBOOK_SMTP_USER och HANDBOOK_SMTP_PASSWORD")


def _log_in(smtp: smtplib.SMTP, where: str, login: Login) -> None:
    try:
        smtp.login(login.user, login.password)
    except UnicodeEncodeError:  # smtplib logs in with ASCII text only
        raise NotSent(f"inloggningen till {where} skickades inte: HANDBOOK_SMTP_USER och HANDBOOK_SMTP_PASSWORD "
                      "kan bara innehålla tecken utan accenter (inte å, ä eller ö)") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise NotSent(f"{where} godtog inte inloggningen som {login.user} ({exc.smtp_code}): kontrollera "
                      "HANDBOOK_SMTP_USER och HANDBOOK_SMTP_PASSWORD") from None


def _explain(exc: Exception, where: str) -> str:
    if isinstance(exc, NotSent):
        return str(exc)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"certifikatet från {where} godtogs inte ({exc.verify_message}): lägg kommunens CA-certifikat bland "
                "datorns betrodda certifikat eller peka ut det med SSL_CERT_FILE")
    return f"{where} svarar inte som väntat ({exc})"
