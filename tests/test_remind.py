"""`handbook remind`: one message per address, received by a real SMTP server on 127.0.0.1, or as .eml files.

The handbooks here take their site_url from HANDBOOK_SITE_URL, as the project's mkdocs.yml does: unset, it is
http://127.0.0.1:8000/, with which nothing may be sent."""

import contextlib
import email
import email.policy
import re
import socket
import ssl

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from conftest import project_mkdocs_yml, MORE_ROLES, document, process, run_handbook, write_handbook
from test_reports import with_settings

TODAY = "2026-11-21"
ROLES = {
    **MORE_ROLES,
    "hr-chef": {"name": "HR-chef", "contact": "Åsa Öberg <hr@example.se>"},
    "ekonomichef": {"name": "Ekonomichef", "contact": "Ring växeln 0123-45 67 00"},
}
SITE = "https://handbok.tallby.se/"
REAL = {"HANDBOOK_SITE_URL": SITE}  # what the nightly job sets
SENDER = "Tallby handbok <handbok@tallby.se>"
OPTIONS = "      processes_dir: processes\n"
SITE_URL_LINE = 'site_url: !ENV [HANDBOOK_SITE_URL, "http://127.0.0.1:8000/"]\n'
# Each reminder says it was sent by a program, so out-of-office replies do not answer it.
AUTOMATIC = {"Auto-Submitted": "auto-generated", "Precedence": "bulk", "X-Auto-Response-Suppress": "OOF, AutoReply"}


def settings(sender: str | None = SENDER) -> str:
    """The project's mkdocs.yml (site_url from HANDBOOK_SITE_URL) with the sender set, or not."""
    yml = project_mkdocs_yml()
    assert SITE_URL_LINE in yml and OPTIONS in yml
    return yml.replace(OPTIONS, OPTIONS + (f"      reminder_from: {sender}\n" if sender else ""))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.envelopes = []
        self.sessions = []  # (encrypted, logged in) of each message's session

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        self.sessions.append((session.ssl is not None, bool(session.authenticated)))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    files = {
        "docs/hr/lon.md": document("Rutin för lönesättning", review_date="2026-10-01"),
        "docs/hr/rek.md": document("Rekryteringsrutin", review_date="2027-01-15"),
        "docs/hr/ok.md": document("Aktuell rutin", review_date="2028-01-01"),
        "docs/hr/hemlig.md": document("Hemlig lönelista", review_date="2020-01-01", information_class="K3"),
        "docs/reg/arkiv.md": document("Arkivrutin", owner="registrator", review_date="2026-12-01", state="upphävd"),
        "docs/eko/budget.md": document("Budgetanvisning", owner="ekonomichef", review_date="2026-01-01"),
        "processes/rekrytering.yml": process("rekrytering", [{"id": "a", "name": "A", "role": "chef"}],
                                             owner="hr-chef", review_date="2026-11-21", version="2.1"),
    }
    return write_handbook(tmp_path_factory.mktemp("remind") / "h", files, roles=ROLES, mkdocs_yml=settings())


def listed(body: str) -> list[str]:
    return re.findall(r"^- (.+?) \(", body, re.M)


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def test_reminders_reach_the_smtp_server(root, smtp):
    controller, inbox = smtp
    result = run_handbook(root, "remind", "--smtp", f"127.0.0.1:{controller.port}", "--from", "handbok@tallby.se", today=TODAY,
                          **REAL)
    assert result.returncode == 0, result.stderr
    by_recipient = {tuple(e.rcpt_tos): parse(e.content) for e in inbox.envelopes}
    assert sorted(by_recipient) == [("hr@example.se",), ("registrator@example.se",)]
    assert all(e.mail_from == "handbok@tallby.se" for e in inbox.envelopes)

    hr = by_recipient[("hr@example.se",)]
    assert hr["To"] == "Åsa Öberg <hr@example.se>"
    assert hr["Subject"] == "Processhandboken: 3 att revidera för HR-chef (1 försenad)"
    body = hr.get_content()
    assert listed(body) == ["Rutin för lönesättning", "Rekrytering", "Rekryteringsrutin"]
    assert "Revision försenad (1):" in body and "Ska revideras snart (2):" in body
    assert "Ska revideras senast: 2026-10-01" in body and "rollen HR-chef" in body
    assert "Hemlig" not in body and "Aktuell" not in body
    assert "  https://handbok.tallby.se/hr/lon/" in body and "https://handbok.tallby.se/revision/" in body

    registrator = by_recipient[("registrator@example.se",)]
    assert listed(registrator.get_content()) == ["Arkivrutin"] and "upphävd" in registrator.get_content()
    # The role whose contact is no e-mail address gets none, and the command says so.
    assert re.search(r"processes/roles.yml:\d+: warning: rollen ekonomichef har ingen e-postadress.*Budgetanvisning", result.stderr)
    assert "Skickade påminnelse till Åsa Öberg <hr@example.se> (HR-chef, 3 att revidera)" in result.stdout
    assert result.stderr.count("warning") == 1 and "varning" not in result.stderr


def test_every_reminder_says_it_is_automatic_with_an_id_of_the_site(root, smtp):
    controller, inbox = smtp
    result = run_handbook(root, "remind", "--smtp", f"127.0.0.1:{controller.port}", today=TODAY, **REAL)
    assert result.returncode == 0, result.stderr
    messages = [parse(e.content) for e in inbox.envelopes]
    assert len(messages) == 2 and all(e.mail_from == "handbok@tallby.se" for e in inbox.envelopes)
    for message in messages:
        assert {name: message[name] for name in AUTOMATIC} == AUTOMATIC
        assert message["From"] == SENDER
        assert re.fullmatch(r"<[^<>@\s]+@handbok\.tallby\.se>", message["Message-ID"].strip())
    assert len({m["Message-ID"] for m in messages}) == 2


def test_filters_and_configured_server_with_links(root, smtp, tmp_path):
    controller, inbox = smtp
    other = with_settings(root, tmp_path / "h", (OPTIONS, f"{OPTIONS}      smtp_server: 127.0.0.1:{controller.port}\n"))
    result = run_handbook(other, "remind", "--owner", "hr-chef", "--status", "overdue", today=TODAY, **REAL)
    assert result.returncode == 0, result.stderr
    assert [e.rcpt_tos for e in inbox.envelopes] == [["hr@example.se"]]
    message = parse(inbox.envelopes[0].content)
    assert message["From"] == SENDER
    body = message.get_content()
    assert listed(body) == ["Rutin för lönesättning"]
    assert "  https://handbok.tallby.se/hr/lon/" in body and "https://handbok.tallby.se/revision/" in body


def test_eml_folder_with_the_local_site_address_is_written_with_a_warning(root, tmp_path):
    folder = tmp_path / "ut"
    result = run_handbook(root, "remind", "--out", str(folder), today=TODAY)  # site_url: http://127.0.0.1:8000/
    assert result.returncode == 0, result.stderr
    assert ("handbook: varning: handbokens adress (site_url) är http://127.0.0.1:8000/, som bara fungerar på den här "
            "datorn" in result.stderr) and "HANDBOOK_SITE_URL" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["hr-chef.eml", "registrator.eml"]
    hr = parse((folder / "hr-chef.eml").read_bytes())
    assert hr["To"] == "Åsa Öberg <hr@example.se>" and hr["Subject"].startswith("Processhandboken: 3 att revidera")
    assert hr["From"] == SENDER and {name: hr[name] for name in AUTOMATIC} == AUTOMATIC
    assert hr["Message-ID"].endswith("@processhandboken.invalid>")  # no id of a computer that is not the site
    assert listed(hr.get_content()) == ["Rutin för lönesättning", "Rekrytering", "Rekryteringsrutin"]
    assert "  http://127.0.0.1:8000/hr/lon/" in hr.get_content()


def test_eml_folder_without_site_address_or_sender_is_written_with_warnings(root, tmp_path):
    other = with_settings(root, tmp_path / "h", (SITE_URL_LINE, ""), (f"      reminder_from: {SENDER}\n", ""))
    result = run_handbook(other, "remind", "--out", str(tmp_path / "ut"), today=TODAY, **REAL)
    assert result.returncode == 0, result.stderr
    assert "handbook: varning: handbokens adress (site_url) saknas, så påminnelserna får inga länkar" in result.stderr
    assert "handbook: varning: avsändaren saknas (reminder_from i mkdocs.yml eller --from)" in result.stderr
    hr = parse((tmp_path / "ut" / "hr-chef.eml").read_bytes())
    assert hr["From"] == "Processhandboken <processhandboken@localhost>"
    assert listed(hr.get_content()) == ["Rutin för lönesättning", "Rekrytering", "Rekryteringsrutin"]
    assert "http" not in hr.get_content()  # no site_url: no links


# -- nothing is sent that is wrong -----------------------------------------------------------

@pytest.mark.parametrize("site_url, told", [
    (None, "är http://127.0.0.1:8000/, som bara fungerar på den här datorn"),  # HANDBOOK_SITE_URL not set
    ("http://localhost:8000/", "är http://localhost:8000/, som bara fungerar"),
    ("http://[::1]:8000/", "är http://[::1]:8000/, som bara fungerar"),
    ("", "saknas"),  # no site_url in mkdocs.yml at all
])
def test_sending_is_refused_without_the_real_site_address(root, smtp, tmp_path, site_url, told):
    controller, inbox = smtp
    folder, env = root, {"HANDBOOK_SITE_URL": site_url} if site_url else {}
    if site_url == "":
        folder = with_settings(root, tmp_path / "h", (SITE_URL_LINE, ""))
    result = run_handbook(folder, "remind", "--smtp", f"127.0.0.1:{controller.port}", today=TODAY, **env)
    assert result.returncode == 2, result.stderr
    assert f"handbook: fel: påminnelserna skickades inte: handbokens adress (site_url) {told}" in result.stderr
    assert "ange handbokens riktiga adress i miljövariabeln HANDBOOK_SITE_URL eller i site_url i mkdocs.yml" in result.stderr
    assert inbox.envelopes == [] and "Skickade" not in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize("sender, told", [
    (None, "avsändaren saknas: ange reminder_from under plugins: - handbook: i mkdocs.yml"),
    ("Processhandboken <processhandboken@localhost>", "avsändaren processhandboken@localhost (--from eller reminder_from"),
    ("handbok@127.0.0.1", "avsändaren handbok@127.0.0.1 (--from eller reminder_from i mkdocs.yml) är en adress på den här datorn"),
    ("Processhandboken", "avsändaren \"Processhandboken\" (--from eller reminder_from i mkdocs.yml) ska vara en e-postadress"),
])
def test_sending_needs_a_sender_that_can_be_answered(root, smtp, tmp_path, sender, told):
    controller, inbox = smtp
    other = with_settings(root, tmp_path / "h", (f"      reminder_from: {SENDER}\n",
                                                 f"      reminder_from: {sender}\n" if sender else ""))
    result = run_handbook(other, "remind", "--smtp", f"127.0.0.1:{controller.port}", today=TODAY, **REAL)
    assert result.returncode == 2, result.stderr
    assert f"handbook: fel: påminnelserna skickades inte: {told}" in result.stderr
    assert "reminder_from" in result.stderr and inbox.envelopes == [] and "Traceback" not in result.stderr


# -- roles that share an address: one message --------------------------------------------

SHARED_ROLES = {
    "namndsekreterare": {"name": "Nämndsekreterare", "contact": "Kansliet <kansliet@tallby.se>"},
    "registrator": {"name": "Registrator", "contact": "KANSLIET@tallby.se, arkiv@tallby.se"},
    "hr-chef": {"name": "HR-chef", "contact": "hr@tallby.se"},
}


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    files = {
        "docs/kansli/protokoll.md": document("Protokollrutin", owner="namndsekreterare", review_date="2026-10-01"),
        "docs/kansli/arkiv.md": document("Arkivrutin", owner="registrator", review_date="2026-12-01"),
        "docs/kansli/diarium.md": document("Diarieföring", owner="registrator", review_date="2026-09-01"),
        "docs/hr/lon.md": document("Rutin för lönesättning", review_date="2026-10-01"),
    }
    return write_handbook(tmp_path_factory.mktemp("shared") / "h", files, roles=SHARED_ROLES, mkdocs_yml=settings())


def sections(body: str) -> dict[str, list[str]]:
    """The titles listed under each role's heading of a message for several roles."""
    found, current = {}, None
    for line in body.splitlines():
        if heading := re.fullmatch(r"Rollen (.+) \(\d+ att revidera\)", line):
            current = found.setdefault(heading.group(1), [])
        elif item := re.fullmatch(r"- (.+?) \(.*", line):
            current.append(item.group(1))
    return found


def test_roles_that_share_an_address_send_it_one_message(shared, smtp, tmp_path):
    controller, inbox = smtp
    result = run_handbook(shared, "remind", "--smtp", f"127.0.0.1:{controller.port}", today=TODAY, **REAL)
    assert result.returncode == 0, result.stderr
    received = [(r, parse(e.content)) for e in inbox.envelopes for r in e.rcpt_tos]
    assert sorted(r.lower() for r, _ in received) == ["arkiv@tallby.se", "hr@tallby.se", "kansliet@tallby.se"]
    by_recipient = {r.lower(): m for r, m in received}
    kansliet = by_recipient["kansliet@tallby.se"]
    assert kansliet["To"] == "Kansliet <kansliet@tallby.se>"
    assert kansliet["Subject"] == "Processhandboken: 3 att revidera för Nämndsekreterare och Registrator (2 försenade)"
    body = kansliet.get_content()
    assert "kontakt för rollerna Nämndsekreterare och Registrator i Processhandboken" in body
    assert sections(body) == {"Nämndsekreterare": ["Protokollrutin"], "Registrator": ["Diarieföring", "Arkivrutin"]}
    assert "  https://handbok.tallby.se/kansli/protokoll/" in body
    # arkiv@ serves the registrator only: its own message, with the registrator's items alone.
    arkiv = by_recipient["arkiv@tallby.se"]
    assert arkiv["Subject"] == "Processhandboken: 2 att revidera för Registrator (1 försenad)"
    assert listed(arkiv.get_content()) == ["Diarieföring", "Arkivrutin"] and "Rollen Registrator (" not in arkiv.get_content()
    assert listed(by_recipient["hr@tallby.se"].get_content()) == ["Rutin för lönesättning"]
    for _, message in received:
        assert {name: message[name] for name in AUTOMATIC} == AUTOMATIC
        assert message["Message-ID"].endswith("@handbok.tallby.se>")
    assert ("Skickade påminnelse till Kansliet <kansliet@tallby.se> (Nämndsekreterare och Registrator, 3 att revidera)"
            in result.stdout)
    # As files: one per message, named by the roles it is for.
    written = run_handbook(shared, "remind", "--out", str(tmp_path / "ut"), today=TODAY, **REAL)
    assert written.returncode == 0, written.stderr
    assert sorted(p.name for p in (tmp_path / "ut").iterdir()) == ["hr-chef.eml", "namndsekreterare+registrator.eml",
                                                                     "registrator.eml"]


def test_unreachable_server_is_an_error(root):
    result = run_handbook(root, "remind", "--smtp", f"127.0.0.1:{free_port()}", today=TODAY, **REAL)
    assert result.returncode == 1
    assert "SMTP-servern 127.0.0.1" in result.stderr and "0 av 2 påminnelser skickades" in result.stderr
    assert "Traceback" not in result.stderr


# -- encryption and login -------------------------------------------------------------------

USER, PASSWORD = "handbok@tallby.se", "Hemligt-Losen-42"
LOGIN = {"HANDBOOK_SMTP_USER": USER, "HANDBOOK_SMTP_PASSWORD": PASSWORD}


class Accounts:
    """The server's one account; every attempt is kept with whether the connection was encrypted."""

    def __init__(self):
        self.attempts = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.attempts.append((auth_data.login.decode(), session.ssl is not None))
        return AuthResult(success=(auth_data.login.decode(), auth_data.password.decode()) == (USER, PASSWORD), handled=False)


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    """A certificate authority of the test's own; SSL_CERT_FILE makes the handbook trust it."""
    authority = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return authority, str(path)


@contextlib.contextmanager
def server(ca, starttls: bool = True, accounts: Accounts | None = None):
    inbox, context = Inbox(), None
    if starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca[0].issue_cert("127.0.0.1").configure_cert(context)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=context, authenticator=accounts,
                            auth_required=accounts is not None, auth_require_tls=starttls)
    controller.start()
    try:
        yield f"127.0.0.1:{controller.port}", inbox
    finally:
        controller.stop()


def test_a_login_goes_over_starttls_to_a_server_whose_certificate_is_trusted(root, ca):
    accounts = Accounts()
    with server(ca, accounts=accounts) as (address, inbox):
        result = run_handbook(root, "remind", "--smtp", address, today=TODAY, SSL_CERT_FILE=ca[1], **LOGIN, **REAL)
    assert result.returncode == 0, result.stderr
    assert accounts.attempts == [(USER, True)]
    assert inbox.sessions == [(True, True), (True, True)]


@pytest.mark.parametrize("password, told, attempts", [
    ("fel", [f"godtog inte inloggningen som {USER} (535)", "HANDBOOK_SMTP_PASSWORD"], [(USER, True)]),
    ("hemligt lösen", ["inte å, ä eller ö"], []),  # smtplib logs in with ASCII only: not sent at all
])
def test_a_login_that_fails_is_an_error_that_names_the_settings(root, ca, password, told, attempts):
    accounts = Accounts()
    with server(ca, accounts=accounts) as (address, inbox):
        result = run_handbook(root, "remind", "--smtp", address, today=TODAY, SSL_CERT_FILE=ca[1],
                              HANDBOOK_SMTP_USER=USER, HANDBOOK_SMTP_PASSWORD=password, **REAL)
    assert result.returncode == 1
    assert all(text in result.stderr for text in told) and "0 av 2 påminnelser skickades" in result.stderr
    assert set(accounts.attempts) == set(attempts) and inbox.envelopes == []  # smtplib tries PLAIN, then LOGIN
    assert "Traceback" not in result.stderr


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # that server is the point
def test_a_password_is_never_sent_to_a_server_without_starttls(root, ca):
    accounts = Accounts()
    with server(ca, starttls=False, accounts=accounts) as (address, inbox):
        result = run_handbook(root, "remind", "--smtp", address, today=TODAY, **LOGIN, **REAL)
    assert result.returncode == 1
    assert "erbjuder inte STARTTLS, så lösenordet skickades inte" in result.stderr
    assert accounts.attempts == [] and inbox.envelopes == []


def test_a_password_is_never_sent_to_a_server_whose_certificate_is_not_trusted(root, ca):
    accounts = Accounts()
    with server(ca, accounts=accounts) as (address, inbox):
        result = run_handbook(root, "remind", "--smtp", address, today=TODAY, **LOGIN, **REAL)  # the test CA is not trusted
    assert result.returncode == 1
    assert "certifikatet från SMTP-servern 127.0.0.1" in result.stderr and "SSL_CERT_FILE" in result.stderr
    assert accounts.attempts == [] and inbox.envelopes == []
    assert "Traceback" not in result.stderr


def test_without_a_login_starttls_is_used_when_offered_whatever_the_certificate(root, ca, smtp):
    with server(ca) as (address, inbox):  # the test CA is not trusted: encrypted all the same
        result = run_handbook(root, "remind", "--smtp", address, today=TODAY, **REAL)
    assert result.returncode == 0, result.stderr
    assert inbox.sessions == [(True, False), (True, False)]
    controller, plain = smtp  # and a server without STARTTLS still gets the messages, unencrypted
    result = run_handbook(root, "remind", "--smtp", f"127.0.0.1:{controller.port}", today=TODAY, **REAL)
    assert result.returncode == 0, result.stderr
    assert plain.sessions == [(False, False), (False, False)]


def test_a_user_without_a_password_is_a_settings_error(root):
    result = run_handbook(root, "remind", "--smtp", f"127.0.0.1:{free_port()}", today=TODAY, HANDBOOK_SMTP_USER=USER, **REAL)
    assert result.returncode != 0
    assert "HANDBOOK_SMTP_USER och HANDBOOK_SMTP_PASSWORD anges tillsammans" in result.stderr
    assert "Traceback" not in result.stderr


# -- hostile roles: one bad role never stops the others -------------------------------------

HOSTILE_ROLES = """\
hr-chef:
  name: "HR-chef\\nBcc: namn@angripare.se"
  contact: hr@example.se
registrator:
  name: Registrator
  contact: "registrator@example.se\\r\\nBcc: kontakt@angripare.se"
chef:
  name: Rekryterande chef
  contact: "Åsa Öberg <åsa@tallby.se>"
stangd:
  name: Stängd brevlåda
  contact: stangd@tallby.se
ekonom:
  name: "Ekonom\\u2028Bcc: rad@angripare.se\\x85\\tX"
  contact: '"Ekonom, Tallby" <ekonom@tallby.se>'
"""
ATTACKER = "angripare.se"
# Subject, From and To of each reminder that is made; the roles with a bad contact get none.
GOOD = {"ekonom": "Ekonom Bcc: rad@angripare.se X", "hr-chef": "HR-chef Bcc: namn@angripare.se",
        "stangd": "Stängd brevlåda"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    files = {f"docs/{role}.md": document(f"Rutin för {role}", owner=role, review_date="2026-10-01")
             for role in ("hr-chef", "registrator", "chef", "stangd", "ekonom")}
    files["processes/roles.yml"] = HOSTILE_ROLES
    # A line break in site_name goes into every subject: the subject is made one line whatever its source.
    yml = settings().replace("site_name: Processhandboken", 'site_name: "Tallby\\nBcc: x@angripare.se"')
    assert "angripare" in yml
    return write_handbook(tmp_path_factory.mktemp("hostile") / "h", files, roles=None, mkdocs_yml=yml)


def assert_one_line_headers(message: email.message.EmailMessage, raw: bytes) -> None:
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    assert sorted(message.keys()) == sorted(["Content-Transfer-Encoding", "Content-Type", "Date", "From", "MIME-Version",
                                             "Message-ID", "Subject", "To", *AUTOMATIC])
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "".join(str(v) for v in message.values()))
    assert b"\xe2\x80\xa8" not in head and b"\xc2\x85" not in head
    assert ATTACKER not in str(message["To"]) + str(message["From"]) and b"\nBcc" not in head


def test_control_characters_in_roles_are_check_errors_with_their_line(hostile):
    result = run_handbook(hostile, "check", today=TODAY)
    assert result.returncode == 1
    assert "processes/roles.yml:2: error: namnet på rollen hr-chef innehåller en radbrytning" in result.stdout
    assert "skriv det på en rad, t.ex. name: HR-chef Bcc: namn@angripare.se" in result.stdout
    assert "processes/roles.yml:6: error: contact för rollen registrator innehåller en radbrytning" in result.stdout
    assert "processes/roles.yml:14: error: namnet på rollen ekonom" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_one_bad_role_never_stops_the_others_eml(hostile, tmp_path):
    folder = tmp_path / "ut"
    result = run_handbook(hostile, "remind", "--out", str(folder), today=TODAY)
    assert result.returncode == 1, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [f"{role}.eml" for role in sorted(GOOD)]
    for role, name in GOOD.items():
        raw = (folder / f"{role}.eml").read_bytes()
        message = parse(raw)
        assert_one_line_headers(message, raw)
        assert message["Subject"] == f"Tallby Bcc: x@angripare.se: 1 att revidera för {name} (1 försenad)"
    ekonom = parse((folder / "ekonom.eml").read_bytes())["To"]
    assert [(a.display_name, a.addr_spec) for a in ekonom.addresses] == [("Ekonom, Tallby", "ekonom@tallby.se")]
    assert re.search(r"processes/roles.yml:4: error: rollen registrator får ingen påminnelse: contact innehåller en "
                     r"radbrytning", result.stderr)
    assert re.search(r"processes/roles.yml:7: error: rollen chef får ingen påminnelse: adressen \"åsa@tallby.se\"", result.stderr)
    assert "Traceback" not in result.stderr and "internt fel" not in result.stderr


class Refusing(Inbox):
    """A server that refuses one mailbox, as a real one refuses a mailbox that was closed."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == "stangd@tallby.se":
            return "550 5.1.1 brevlådan finns inte"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_one_bad_role_never_stops_the_others_smtp(hostile):
    inbox = Refusing()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        result = run_handbook(hostile, "remind", "--smtp", f"127.0.0.1:{controller.port}", today=TODAY, **REAL)
    finally:
        controller.stop()
    assert result.returncode == 1
    assert sorted(r for e in inbox.envelopes for r in e.rcpt_tos) == ["ekonom@tallby.se", "hr@example.se"]
    for envelope in inbox.envelopes:
        assert_one_line_headers(parse(envelope.content), envelope.content)
    assert "påminnelsen till stangd@tallby.se (Stängd brevlåda) skickades inte" in result.stderr
    assert "550 5.1.1 brevlådan finns inte" in result.stderr
    assert "rollen registrator får ingen påminnelse" in result.stderr and "rollen chef får ingen påminnelse" in result.stderr
    assert "Skickade påminnelse till hr@example.se" in result.stdout
    assert "Traceback" not in result.stderr and "internt fel" not in result.stderr


def test_a_line_break_in_the_sender_is_a_settings_error(root):
    result = run_handbook(root, "remind", "--out", "x", "--from", "a@tallby.se\nBcc: b@angripare.se", today=TODAY)
    assert result.returncode == 2 and "avsändaren (--from eller reminder_from i mkdocs.yml) innehåller en radbrytning" in result.stderr


def test_a_file_for_many_roles_has_a_name_the_file_system_takes(tmp_path):
    from handbook.core.reminders import Reminder
    from handbook.core.review import OwnerGroup
    many = [OwnerGroup(f"namndsekreterare-for-namnd-{n}", f"Nämnd {n}", "kansliet@tallby.se", "", []) for n in range(40)]
    few = Reminder(many[:2], None).file_name
    assert few == "namndsekreterare-for-namnd-0+namndsekreterare-for-namnd-1.eml"
    names = {Reminder(many[:n], None).file_name for n in range(3, 41)}
    assert len(names) == 38 and all(len(name) < 100 and name.startswith("namndsekreterare-for-namnd-0+") for name in names)
    for name in names:
        (tmp_path / name).write_bytes(b"")
