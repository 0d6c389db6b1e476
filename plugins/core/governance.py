"""What documents and processes share: owner, version, state, review date and classification."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .problems import Problems, did_you_mean
from .roles import RoleRegister, one_line
from .source import LineDict

STATES = ("utkast", "fastställd", "upphävd")
# The one status language of every page, list, search result and report: state and review status.
STATE_LABELS = {"utkast": "Utkast", "fastställd": "Fastställd", "upphävd": "Upphävd"}
REVIEW_LABELS = {"ok": "Revision ok", "due": "Ska revideras snart", "overdue": "Revision försenad"}
# CSS modifiers (hb-tag--…) of the states; the review statuses are their own modifiers.
STATE_CLASSES = {"utkast": "draft", "fastställd": "current", "upphävd": "repealed"}
HIGHEST_K = 4
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_K_LEVEL = re.compile(r"^\s*K\s*([0-4])(?:\s|$)", re.I)
_CLASS_PART = re.compile(r"^[KRTS][0-4]$", re.I)
REVIEWED = "reviewed"  # reviews recorded without a new version
# A repeal's date and why (extends the contract): optional, read for documents and processes alike.
REPEALED_FROM, REPEAL_NOTE = "repealed_from", "repeal_note"
REPEAL_KEYS = (REPEALED_FROM, REPEAL_NOTE)
REVIEW_KEYS = ("date", "by", "note")
NOTE_MISSING = ("en granskning utan anteckning säger inte vad som kontrollerades; "
                "skriv vad du gick igenom och vad du fann")
REVIEW_EXAMPLE = 'reviewed: [{date: 2026-11-21, by: hr-chef, note: "Gick igenom rutinen mot nya lagen; inget behövde ändras"}]'


@dataclass(frozen=True)
class Review:
    """An owner looked at the document or process and recorded what was checked and found."""

    date: dt.date
    by: str = ""  # role id; empty when missing or unknown
    note: str = ""  # as written (line breaks kept)
    line: int = 1  # the line of its date

    @property
    def note_line(self) -> str:
        """The note on one line, as lists and cards show it."""
        return one_line(self.note)


@dataclass
class Governance:
    owner: str = ""
    version: str = ""
    state: str = ""
    review_date: dt.date | None = None
    information_class: str = "K1"
    k_level: int = 1
    reviews: list[Review] = field(default_factory=list)
    repealed_from: dt.date | None = None  # upphävd fr.o.m. (REPEALED_FROM)
    repeal_note: str = ""  # why it was repealed, or what to use instead (REPEAL_NOTE)

    @property
    def last_review(self) -> Review | None:
        """The newest review by date; of two on the same day, the one written last."""
        if not self.reviews:
            return None
        return max(enumerate(self.reviews), key=lambda pair: (pair[1].date, pair[0]))[1]


def read_text(meta: LineDict, key: str, problems: Problems, required: bool, what: str) -> str:
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.error(meta.line_of(key, meta.line), f"{key} saknas ({what})")
        return ""
    if isinstance(value, (list, dict)):
        problems.error(meta.line_of(key), f"{key} ska vara text ({what}), inte en lista eller mappning")
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def read_date(meta: LineDict, key: str, problems: Problems, required: bool, what: str) -> dt.date | None:
    value = meta.get(key)
    line = meta.line_of(key, meta.line)
    if value is None or value == "":
        if required:
            problems.error(line, f"{key} saknas ({what}); skriv ett datum som ÅÅÅÅ-MM-DD")
        return None
    if isinstance(value, dt.datetime):
        problems.error(line, f"{key} ska vara ett datum utan klockslag, skriv {value.date().isoformat()}")
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            problems.error(line, f"{key}: \"{value}\" är inget giltigt datum; kontrollera månad och dag")
            return None
    problems.error(line, f"{key}: \"{value}\" är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2027-03-01")
    return None


def read_role_list(meta: LineDict, key: str, roles: RoleRegister, problems: Problems, what: str) -> list[str]:
    value = meta.get(key)
    if value is None:
        return []
    line = meta.line_of(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.error(line, f"{key} ska vara en lista med roll-id, t.ex. [{', '.join(list(roles.roles)[:2])}]")
        return []
    return [r for r in value if roles.check(r, problems, line, what)]


def read_text_list(meta: LineDict, key: str, problems: Problems, what: str) -> list[str]:
    value = meta.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if not isinstance(value, list) or any(isinstance(v, (list, dict)) or v is None for v in value):
        problems.error(meta.line_of(key), f"{key} ska vara en lista med text ({what})")
        return []
    return [str(v).strip() for v in value]


def read_state(meta: LineDict, problems: Problems) -> str:
    state = read_text(meta, "state", problems, True, "status: utkast, fastställd eller upphävd")
    if state and state not in STATES:
        problems.error(meta.line_of("state"), f"state \"{state}\" är ingen giltig status; välj utkast, fastställd eller upphävd.{did_you_mean(state, STATES)}")
        return ""
    return state


def read_governance(meta: LineDict, roles: RoleRegister, problems: Problems, owner_what: str) -> Governance:
    gov = Governance()
    owner = meta.get("owner")
    if isinstance(owner, list) or (isinstance(owner, str) and "," in owner):
        problems.error(meta.line_of("owner"), f"owner ska vara exakt ett roll-id ({owner_what}), inte en lista; "
                                              "ange en roll och skriv övriga under roles: eller team:")
    elif owner is None or owner == "":
        problems.error(meta.line_of("owner", meta.line), f"owner saknas ({owner_what}); ange ett roll-id från {roles.path}")
    elif roles.check(owner, problems, meta.line_of("owner"), "owner"):
        gov.owner = owner
    gov.version = read_text(meta, "version", problems, True, "version, t.ex. \"1.0\"")
    gov.state = read_state(meta, problems)
    gov.review_date = read_date(meta, "review_date", problems, True, "ska revideras senast")
    gov.information_class, gov.k_level = read_classification(meta, problems)
    gov.reviews = read_reviews(meta, roles, problems, gov.owner)
    gov.repealed_from = read_date(meta, REPEALED_FROM, problems, False, "upphävd fr.o.m.")
    gov.repeal_note = read_text(meta, REPEAL_NOTE, problems, False, "varför det upphävdes eller vad som gäller i stället")
    for key in REPEAL_KEYS:
        if key in meta and gov.state and gov.state != "upphävd":
            problems.warning(meta.line_of(key), f"{key} används bara när state är upphävd; ta bort raden eller ändra state till upphävd")
    return gov


def read_reviews(meta: LineDict, roles: RoleRegister, problems: Problems, owner: str = "") -> list[Review]:
    """`reviewed:` a list of {date, by, note} (one mapping is read as a list of one)."""
    value = meta.get(REVIEWED)
    if value is None:
        return []
    line = meta.line_of(REVIEWED)
    entries = [value] if isinstance(value, dict) else value
    if not isinstance(entries, list):
        problems.error(line, f"reviewed ska vara en lista med granskningar (date, by och note), t.ex. {REVIEW_EXAMPLE}")
        return []
    reviews = []
    for entry in entries:
        if not isinstance(entry, LineDict):
            problems.error(line, f"varje granskning under reviewed ska vara en mappning med date, by och note, t.ex. {REVIEW_EXAMPLE}")
            continue
        review = _read_review(entry, roles, problems, owner)
        if review is not None:
            reviews.append(review)
    return reviews


def _read_review(entry: LineDict, roles: RoleRegister, problems: Problems, owner: str) -> Review | None:
    for key in entry:
        if key not in REVIEW_KEYS:
            problems.warning(entry.line_of(key), f"okänd nyckel \"{key}\" i en granskning under reviewed."
                                                 f"{did_you_mean(key, REVIEW_KEYS) or ' Använd date, by och note.'}")
    date = read_date(entry, "date", problems, True, "dagen för granskningen under reviewed")
    by = entry.get("by")
    if by is None or by == "":
        problems.error(entry.line, "by saknas i en granskning under reviewed; ange roll-id för den som granskade, "
                                   f"t.ex. by: {owner or next(iter(roles.roles), 'hr-chef')}")
        by = ""
    elif not roles.check(by, problems, entry.line_of("by"), "by under reviewed"):
        by = ""
    note = read_text(entry, "note", problems, False, "vad som granskades och vad du fann")
    if not note and not isinstance(entry.get("note"), (list, dict)):
        problems.warning(entry.line_of("note", entry.line), NOTE_MISSING)
    return Review(date, by, note, entry.line_of("date", entry.line)) if date else None


def check_reviews(item: Governance, problems: Problems, meta: LineDict, today: dt.date) -> None:
    """What needs today: a review dated in the future is an error and does not count; a review date
    that is not after the last review is a warning (the review was recorded but the date not moved)."""
    if not item.reviews:
        return
    for review in item.reviews:
        if review.date > today:
            problems.error(review.line, f"granskningen är daterad {review.date.isoformat()}, efter dagens datum "
                                        f"{today.isoformat()}; registrera en granskning när den är gjord")
    item.reviews = [r for r in item.reviews if r.date <= today]
    last = item.last_review
    if last and item.review_date and item.review_date <= last.date:
        problems.warning(meta.line_of("review_date", 1),
                         f"review_date {item.review_date.isoformat()} ligger inte efter den senaste granskningen "
                         f"({last.date.isoformat()}); sätt review_date till dagen för nästa granskning, "
                         f"t.ex. {a_year_after(last.date).isoformat()}")


def a_year_after(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def read_classification(meta: LineDict, problems: Problems) -> tuple[str, int]:
    """The K level of an information class; one that cannot be read counts as the highest."""
    value = meta.get("information_class")
    if value is None or value == "":
        return "K1", 1
    text = str(value).strip()
    match = _K_LEVEL.match(text)
    parts = text.split()
    if not match or not all(_CLASS_PART.match(p) for p in parts):
        problems.error(meta.line_of("information_class"),
                       f"information_class \"{text}\" kan inte läsas och räknas därför som K{HIGHEST_K} (publiceras inte); "
                       "skriv t.ex. K1 eller K2 R1 T2 S1")
        return text, HIGHEST_K
    return text, int(match.group(1))


def review_status(review_date: dt.date | None, today: dt.date, due_days: int) -> str:
    """ok, due or overdue; a missing or unreadable review date counts as overdue."""
    if review_date is None or review_date < today:
        return "overdue"
    if review_date <= today + dt.timedelta(days=due_days):
        return "due"
    return "ok"
