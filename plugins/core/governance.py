"""What documents and processes share: owner, version, state, review date and classification."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .problems import Problems, did_you_mean
from .roles import RoleRegister
from .source import LineDict

STATES = ("utkast", "fastställd", "upphävd")
STATE_LABELS = {"utkast": "Utkast", "fastställd": "Fastställd", "upphävd": "Upphävd"}
REVIEW_LABELS = {"ok": "Aktuell", "due": "Ska revideras snart", "overdue": "Revision försenad"}
HIGHEST_K = 4
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_K_LEVEL = re.compile(r"^\s*K\s*([0-4])(?:\s|$)", re.I)
_CLASS_PART = re.compile(r"^[KRTS][0-4]$", re.I)


@dataclass
class Governance:
    owner: str = ""
    version: str = ""
    state: str = ""
    review_date: dt.date | None = None
    information_class: str = "K1"
    k_level: int = 1


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
    return gov


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
