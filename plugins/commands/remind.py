"""`handbook remind`: one reminder per address (the roles' `contact`), as .eml files or sent over SMTP.

Sent, a reminder must be right: with a site address others can reach (its links) and a sender they can
answer, or nothing is sent (a settings error, exit 2). Written as .eml files, either is a warning.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..core.handbook import SettingsError
from ..core.reminders import PLACEHOLDER_SENDER, Login, reminders, send, sender_problem, site_url_problem, write_eml
from ..core.roles import CONTROL
from .report import add_filters, select

DEFAULT_FOLDER = "paminnelser"
USER_VARIABLE, PASSWORD_VARIABLE = "HANDBOOK_SMTP_USER", "HANDBOOK_SMTP_PASSWORD"


def register(sub) -> None:
    parser = sub.add_parser("remind", help="påminn de ansvariga rollerna (contact i roles.yml) om det som ska "
                                           "revideras, ett meddelande per adress")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--out", metavar="MAPP",
                        help=f"skriv en .eml-fil per mottagare i mappen (standard när ingen SMTP-server anges: {DEFAULT_FOLDER})")
    target.add_argument("--smtp", metavar="VÄRD[:PORT]", help="skicka via SMTP-servern (standard: smtp_server i mkdocs.yml)")
    parser.add_argument("--from", dest="sender", metavar="AVSÄNDARE", help="avsändaradress (standard: reminder_from i mkdocs.yml)")
    add_filters(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Exit 1 when any role's reminder was not made, written or sent; the others go out all the same."""
    layout, handbook, groups, _ = select(args)
    sender = (args.sender if args.sender is not None else layout.options.reminder_from).strip()
    if CONTROL.search(sender):
        raise SettingsError("avsändaren (--from eller reminder_from i mkdocs.yml) innehåller en radbrytning eller ett "
                            "annat styrtecken; skriv den på en rad, t.ex. Processhandboken <handbok@kommun.se>")
    server = None if args.out else (args.smtp or layout.options.smtp_server or None)
    site = site_url_problem(layout.site_url)
    if server is not None:  # nothing goes out that is wrong
        for problem in (site, sender_problem(sender)):
            if problem:
                raise SettingsError(f"påminnelserna skickades inte: {problem}")
    else:
        if site:
            print(f"handbook: varning: {site}", file=sys.stderr)
        if not sender:
            print("handbook: varning: avsändaren saknas (reminder_from i mkdocs.yml eller --from), så filerna får "
                  f"avsändaren {PLACEHOLDER_SENDER}; ange den innan påminnelserna skickas", file=sys.stderr)
            sender = PLACEHOLDER_SENDER
        elif problem := sender_problem(sender):
            print(f"handbook: varning: {problem}", file=sys.stderr)
    found, problems = reminders(handbook, groups, sender, layout.site_name, layout.site_url)
    for problem in problems:
        print(problem, file=sys.stderr)
    failed = any(p.is_error for p in problems)
    if not found:
        print("Inga påminnelser att skicka.")
        return 1 if failed else 0
    if server is None:
        written, failures = write_eml(found, Path(args.out or DEFAULT_FOLDER))
        for path in written:
            print(f"Skrev {path}")
    else:
        login = login_from_environment()
        try:
            sent, failures = send(found, server, login)
        except ValueError as exc:  # the server's address
            raise SettingsError(str(exc)) from None
        for reminder in sent:
            print(f"Skickade påminnelse till {reminder.message['To']} ({reminder.names}, {reminder.count} att revidera)")
    for failure in failures:
        print(f"handbook: fel: {failure}", file=sys.stderr)
    return 1 if failed or failures else 0


def login_from_environment() -> Login | None:
    """The SMTP account, from the environment only: a password never belongs in mkdocs.yml or git."""
    user, password = os.environ.get(USER_VARIABLE, ""), os.environ.get(PASSWORD_VARIABLE, "")
    if bool(user) != bool(password):
        raise SettingsError(f"{USER_VARIABLE} och {PASSWORD_VARIABLE} anges tillsammans: den ena saknas")
    return Login(user, password) if user else None
