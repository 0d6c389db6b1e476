"""Issue 16 item 7: "Lämna synpunkt" on every document and process page reaches the owner with the item filled in.

By default a mailto: to the owner role's contact; with feedback_url in mkdocs.yml, the municipality's own
system with the values in its placeholders. Hostile titles, versions and contacts cannot break the link,
add a recipient, a header or a parameter."""

import html as html_module
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from browser import Browser, served_site
from conftest import REPO, build, process, run_handbook, write_handbook

SITE_URL = "https://handbok.tallby.se/"
TITLE_YAML = r'"Rutin \"A\" & <b>fet</b>\nBcc: evil@example.se"'
TITLE = 'Rutin "A" & <b>fet</b> Bcc: evil@example.se'  # the line break is a space: one line
VERSION = "2.0 & <beta>?x=1#y"
ROLES = {
    "hr-chef": {"name": "HR-chef", "contact": "hr@example.se, Biträdande <hr-bitr@example.se>, tel 0123-456"},
    "tyst": {"name": "Tyst roll"},
    "ond": {"name": "Ond roll", "contact": "ond@example.se\nBcc: ondcanary@example.se"},
}
FEEDBACK_URL = "https://avvikelse.tallby.se/ny?dokument={id}&titel={title}&version={version}&adress={url}"


def doc(title: str, owner: str, version: str = '"1.0"') -> str:
    return (f"---\ntitle: {title}\ndoc_type: rutin\nklassa: 2.3.2\nowner: {owner}\nversion: {version}\n"
            "review_date: 2027-06-30\nstate: fastställd\nvalid_from: 2025-01-01\ndecided_by: Kommunstyrelsen\n---\n\nInnehåll.\n")


FILES = {
    "docs/hr/fientlig.md": doc(TITLE_YAML, "hr-chef", '"2.0 & <beta>?x=1#y"'),
    "docs/hr/tyst.md": doc("Tyst rutin", "tyst"),
    "docs/hr/ond.md": doc("Ond rutin", "ond"),
    "processes/p.yml": process("p", [{"id": "s", "name": "Steg", "role": "hr-chef"}], name="Löneprocess", version="3.1"),
}


def with_option(line: str) -> str:
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    assert "      processes_dir: processes\n" in config
    return config.replace("      processes_dir: processes\n", f"      processes_dir: processes\n      {line}\n")


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synpunkt")
    mail = build(write_handbook(folder / "mail", FILES, roles=ROLES), HANDBOOK_SITE_URL=SITE_URL)
    assert mail.returncode == 0, mail.output
    url = build(write_handbook(folder / "url", FILES, roles=ROLES, mkdocs_yml=with_option(f'feedback_url: "{FEEDBACK_URL}"')),
                HANDBOOK_SITE_URL=SITE_URL)
    assert url.returncode == 0, url.output
    return mail, url


def action(page: str) -> str | None:
    """The href of the page's "Lämna synpunkt" link, as the browser reads it (entities decoded)."""
    found = re.findall(r'<a class="md-button hb-feedback__link" href="([^"]*)">Lämna synpunkt</a>', page)
    assert len(found) <= 1 and page.count("Lämna synpunkt") == len(found)
    return html_module.unescape(found[0]) if found else None


def mail_parts(href: str) -> tuple[list[str], dict[str, list[str]]]:
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and not parts.fragment
    return [unquote(a) for a in parts.path.split(",")], parse_qs(parts.query, keep_blank_values=True)


def test_mailto_to_the_owner_with_the_document_filled_in(sites):
    mail, _ = sites
    href = action(mail.page("hr/fientlig"))
    assert not re.search(r'[\s"<>]', href)  # nothing raw that could end the attribute or the address
    to, fields = mail_parts(href)
    assert to == ["hr@example.se", "hr-bitr@example.se"]  # the phone number is no address
    assert set(fields) == {"subject", "body"}  # no Bcc:, no other header
    assert fields["subject"] == [f"Synpunkt på {TITLE}, version {VERSION}"]
    assert fields["body"] == ["\r\n".join([
        "Synpunkt, förbättringsförslag eller avvikelse i dokumentet:", "",
        f"Dokument: {TITLE}", "Id: hr/fientlig.md", f"Version: {VERSION}", f"Adress: {SITE_URL}hr/fientlig/", "",
        "Min synpunkt:", "", ""])]
    assert "Ditt meddelande går till HR-chef (dokumentansvarig)." in mail.page("hr/fientlig")


def test_a_process_mails_its_owner_with_its_id(sites):
    mail, _ = sites
    to, fields = mail_parts(action(mail.page("processer/p")))
    assert to == ["hr@example.se", "hr-bitr@example.se"]
    assert fields["subject"] == ["Synpunkt på Löneprocess, version 3.1"]
    assert "Process: Löneprocess\r\nId: p\r\nVersion: 3.1\r\nAdress: https://handbok.tallby.se/processer/p/" in fields["body"][0]
    assert "(processägare)" in mail.page("processer/p")


def test_no_action_without_an_address_and_none_from_a_contact_with_a_line_break(sites):
    mail, _ = sites
    assert action(mail.page("hr/tyst")) is None
    assert action(mail.page("hr/ond")) is None  # the contact could have written a header of its own
    assert "ondcanary" not in mail.page("hr/ond")


def test_the_municipalitys_own_system_gets_the_values_encoded(sites):
    _, url = sites
    for path, expected in [
        ("hr/fientlig", {"dokument": "hr/fientlig.md", "titel": TITLE, "version": VERSION, "adress": f"{SITE_URL}hr/fientlig/"}),
        ("hr/tyst", {"dokument": "hr/tyst.md", "titel": "Tyst rutin", "version": "1.0", "adress": f"{SITE_URL}hr/tyst/"}),
        ("processer/p", {"dokument": "p", "titel": "Löneprocess", "version": "3.1", "adress": f"{SITE_URL}processer/p/"}),
    ]:
        href = action(url.page(path))
        parts = urlsplit(href)
        assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == ("https", "avvikelse.tallby.se", "/ny", "")
        assert {k: v for k, (v,) in parse_qs(parts.query).items()} == expected, path
    assert "kommunens system för synpunkter och avvikelser" in url.page("hr/tyst")


def test_a_feedback_url_with_an_unknown_placeholder_is_a_settings_error(tmp_path):
    root = write_handbook(tmp_path / "h", {}, mkdocs_yml=with_option('feedback_url: "https://x.se/ny?namn={namn}"'))
    result = run_handbook(root, "check")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "feedback_url" in result.stderr and "platshållarna {id}, {title}, {version}, {url}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("width", [1280, 390])
def test_the_action_is_on_the_card_and_fits_the_screen(sites, width):
    mail, _ = sites
    with served_site(mail.site) as base_url, Browser(base_url) as browser:
        browser.page.set_viewport_size({"width": width, "height": 900})
        page = browser.open("hr/fientlig/")
        link = page.get_by_role("link", name="Lämna synpunkt")
        assert link.count() == 1 and link.is_visible()
        assert page.locator(".hb-card .hb-feedback__link").count() == 1
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] < 60
        assert page.evaluate("document.documentElement.scrollWidth") <= width
