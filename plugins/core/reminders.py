"""Review reminders: one e-mail per owner role, to the role's `contact`, in Swedish."""

from __future__ import annotations

import email.errors
import email.utils
import smtplib
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from .governance import REVIEW_LABELS
from .handbook import Handbook
from .problems import Problem, Problems
from .reports import address
from .review import OwnerGroup, ReviewItem
from .roles import CONTROL, one_line

DEFAULT_SENDER = "Processhandboken <processhandboken@localhost>"
DEFAULT_SMTP_PORT = 25


@dataclass(frozen=True)
class Login:
    """An SMTP account (`HANDBOOK_SMTP_USER`, `HANDBOOK_SMTP_PASSWORD`); the password never goes out unencrypted."""

    user: str
    password: str = field(repr=False)


@dataclass
class Reminder:
    group: OwnerGroup
    message: EmailMessage

    @property
    def file_name(self) -> str:
        return f"{self.group.owner}.eml"


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


def body(handbook: Handbook, group: OwnerGroup, site_name: str, site_url: str) -> str:
    lines = ["Hej!", "",
             f"Du får det här meddelandet eftersom du är kontakt för rollen {group.name} i {site_name}.",
             f"Rollen ansvarar för följande dokument och processer som ska revideras (datum {handbook.settings.today.isoformat()}):"]
    for status in ("overdue", "due"):
        items = [i for i in group.items if i.status == status]
        if items:
            lines += ["", f"{REVIEW_LABELS[status]} ({len(items)}):"]
            for item in items:
                lines += _item_lines(item, site_url)
    lines += ["", "Gå igenom innehållet, uppdatera det vid behov och sätt ett nytt datum i review_date",
              "(ska revideras senast)."]
    if any(i.repealed for i in group.items):
        lines.append("Ett upphävt dokument eller en upphävd process kan i stället tas bort ur handboken.")
    if site_url:
        lines += ["", f"Hela revisionslistan: {address('revision/', site_url)}"]
    lines += ["", "Vänliga hälsningar", site_name, ""]
    return "\n".join(lines)


def subject(group: OwnerGroup, site_name: str) -> str:
    overdue = group.count("overdue")
    late = f" ({overdue} {'försenad' if overdue == 1 else 'försenade'})" if overdue else ""
    return one_line(f"{site_name}: {len(group.items)} att revidera för {group.name}{late}")


def reminders(handbook: Handbook, groups: list[OwnerGroup], sender: str, site_name: str,
              site_url: str = "") -> tuple[list[Reminder], list[Problem]]:
    """A message per group with an e-mail address; a warning for each group without one, and an error
    for each whose message cannot be made: one role's bad contact never stops the others' reminders."""
    result, problems = [], Problems(handbook.roles.path)
    for group in groups:
        role = handbook.roles.roles.get(group.owner)
        try:
            reminder = _reminder(handbook, group, sender, site_name, site_url)
        except Exception as exc:  # whatever goes wrong with one role's message, the others still go out
            reason = str(exc) if isinstance(exc, BadContact) else f"internt fel ({type(exc).__name__}: {exc})"
            problems.error(role.line if role else 1, f"rollen {group.owner} får ingen påminnelse: {reason}")
            continue
        if reminder:
            result.append(reminder)
            continue
        what = ", ".join(i.title for i in group.items)
        if role is None:
            problems.warning(1, f"{len(group.items)} dokument eller processer saknar giltig ägare och får ingen påminnelse: {what}")
        else:
            problems.warning(role.line, f"rollen {group.owner} har ingen e-postadress i contact; ingen påminnelse skickas om: {what}")
    return result, problems.items


def _reminder(handbook: Handbook, group: OwnerGroup, sender: str, site_name: str, site_url: str) -> Reminder | None:
    """The group's reminder, or None when its contact holds no e-mail address."""
    to = recipients(group.contact)
    if not to:
        return None
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject(group, site_name)
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain="processhandboken.invalid")
    message.set_content(body(handbook, group, site_name, site_url))
    bytes(message)  # written out now, so a header that cannot be is this role's problem alone
    return Reminder(group, message)


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
            failures.append(f"påminnelsen till {reminder.group.name} kunde inte skrivas till {path} ({exc.strerror or exc})")
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
                    failures.append(f"påminnelsen till {reminder.message['To']} ({reminder.group.name}) skickades inte: "
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
