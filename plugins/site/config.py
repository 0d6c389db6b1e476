"""Options of the `handbook` MkDocs plugin; each mirrors a setting of the core."""

from __future__ import annotations

import datetime

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..core.feedback import placeholder_problem
from ..core.handbook import Settings

DEFAULTS = Settings  # the core's defaults, declared once (dataclass field defaults)


class FeedbackUrl(c.Type):
    """An https:// address with no placeholders but {id}, {title}, {version} and {url}."""

    def __init__(self) -> None:
        super().__init__(str, default="")

    def run_validation(self, value):
        value = super().run_validation(value)
        if problem := placeholder_problem(value):
            raise c.ValidationError(problem)
        return value


class AccessibilityConfig(Config):
    """The accessibility statement (tillgänglighetsredogörelse, DOS-lagen) at tillganglighet/, per Digg's model."""

    # Who stands behind the site, e.g. "Tallby kommun"; empty: the copyright line, else site_name (with a warning).
    responsible = c.Type(str, default="")
    # Where a reader reports a problem or asks for content in another form: an e-mail address
    # (a mailto: link), a web address (a link) or any text (a phone number); empty: a warning.
    contact = c.Type(str, default="")
    # The date of the latest assessment, YYYY-MM-DD; empty or not a date: a warning.
    assessed = c.Type((str, datetime.date), default="")
    # The date the statement was last updated, YYYY-MM-DD; empty: the assessment's date.
    updated = c.Type((str, datetime.date), default="")
    # How the site was assessed, completing "Vi har bedömt webbplatsen genom …".
    method = c.Type(str, default="självskattning (intern granskning)")
    # helt, delvis or inte (förenlig med lagen); a list of known issues that disagrees with it warns.
    compliance = c.Choice(("helt", "delvis", "inte"), default="delvis")
    # The content that is not accessible and why, one item each (plain text).
    known_issues = c.ListOfItems(c.Type(str), default=[])


class HandbookConfig(Config):
    # Folder of process files, roles.yml and klassa.yml, relative to mkdocs.yml.
    processes_dir = c.Type(str, default="processes")
    # Days before the review date when a document counts as due ("ska revideras snart").
    due_days = c.Type(int, default=DEFAULTS.due_days)
    # Highest K level (informationsklassning) that is published; anything above is left out.
    classification_limit = c.Type(int, default=DEFAULTS.k_limit)
    # The document types (dokumenttyper) authors may use, in the order documents are listed.
    doc_types = c.ListOfItems(c.Type(str), default=list(DEFAULTS.doc_types))
    # The municipality's template overrides, relative to mkdocs.yml; used when present, so a
    # handbook folder without it still builds (theme.custom_dir, when set, takes its place).
    overrides_dir = c.Type(str, default="overrides")
    # Write Material's side navigation in Python (handbook.site.material_nav): the same HTML as
    # Material's template, in a fraction of the time. false uses Material's template.
    fast_navigation = c.Type(bool, default=True)
    # Controlled PDFs: after the build, a PDF of every published document and process in site/pdf/
    # (Chromium, see core/pdf.py) and "Ladda ner som PDF" on their pages. HANDBOOK_PDF=1|0 overrides
    # it; `handbook publish` sets 1 (--no-pdf: 0). Needs Debian's chromium and the extra [pdf].
    pdf = c.Type(bool, default=False)
    # How long printing the PDFs may take after the build, in seconds; unset: 85 % of the build's own
    # time, so PDFs never make a build more than twice as long; 0: no limit. A page whose PDF is not
    # printed in time has no PDF link until a later build prints it. HANDBOOK_PDF_TIME_LIMIT overrides it.
    pdf_time_limit = c.Optional(c.Type((int, float)))
    # Whether script written by owners in a page (<script>, onerror=, javascript: …) reaches readers.
    # false removes it with a warning naming the page (see the README's threat model).
    allow_scripts = c.Type(bool, default=True)
    # Name of the machine-readable catalog written at the site root.
    catalog_file = c.Type(str, default="handbook.json")
    # The handbook.json of the previous published version, for the page "Nytt och ändrat" (nytt/);
    # relative to mkdocs.yml. HANDBOOK_PREVIOUS_CATALOG overrides it; `handbook publish` sets it.
    previous_catalog = c.Type(str, default="")
    # `handbook remind`: the sender of review reminders (e.g. "Processhandboken <handbok@kommun.se>"),
    # and the SMTP server (host or host:port) that sends them; without a server the reminders are
    # written as .eml files. Sending needs a sender that is not on this computer, and site_url
    # (HANDBOOK_SITE_URL) set to the real address; there is no default sender for that reason.
    reminder_from = c.Type(str, default="")
    smtp_server = c.Type(str, default="")
    # The writing guide for owners: a folder of free pages in docs/, put last in the navigation
    # and linked at the foot of the generated start page, out of the readers' way. Empty: none.
    guide_folder = c.Type(str, default="skriva-i-handboken")
    # "Lämna synpunkt" on document and process pages: the municipality's own system for synpunkter and
    # avvikelser, e.g. https://avvikelse.kommun.se/ny?dokument={id}&titel={title}&version={version}&adress={url}
    # ({id}: the path in docs/ or the process id; each value percent-encoded). Empty: an e-mail to the
    # owner role's contact, and no action when the role has no e-mail address.
    feedback_url = FeedbackUrl()
    # Maturity step 9 (Utvärdering och förbättringar är genomförda) counts an evaluation dated within this
    # many days up to today; step 10 an evaluation within them that raised the goals (core/maturity.py).
    evaluation_days = c.Type(int, default=DEFAULTS.evaluation_days)
    # SOSFS 2011:9 4 kap. 4 §: each task step of a kärnprocess without a linked rutin or instruktion, and
    # each linked one without a responsible role (roles:), as a warning, an error or not at all.
    activity_rutin_rule = c.Choice(("warn", "error", "off"), default=DEFAULTS.activity_rutin_rule)
    # The Klassa codes whose processes count as kärnprocesser for that rule (a code and everything below it).
    core_process_codes = c.ListOfItems(c.Type(str), default=list(DEFAULTS.core_process_codes))
    # The accessibility statement at tillganglighet/, linked from every page's footer (see AccessibilityConfig).
    accessibility = c.SubConfig(AccessibilityConfig)
