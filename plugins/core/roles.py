"""The role register `processes/roles.yml`: owners and performers are role ids, never names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .problems import Problems, did_you_mean
from .source import LineDict

ROLE_KEYS = ("name", "description", "contact")
# A role id names the page roller/<id>/: letters (å, ä, ö too), digits, - and _.
ROLE_ID = re.compile(r"^[^\W_][\w-]*$")
# Line breaks and other control characters: in an e-mail header they would end the header.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """The text with every control character (line breaks, tabs) as a space, and runs of spaces as one."""
    return " ".join(CONTROL.sub(" ", text).split())


@dataclass
class Role:
    id: str
    name: str
    description: str = ""
    contact: str = ""
    line: int = 1


class RoleRegister:
    def __init__(self, path: str = "processes/roles.yml") -> None:
        self.path = path
        self.roles: dict[str, Role] = {}

    def __contains__(self, role_id: object) -> bool:
        return isinstance(role_id, str) and role_id in self.roles

    def __getitem__(self, role_id: str) -> Role:
        return self.roles[role_id]

    def name(self, role_id: str) -> str:
        return self.roles[role_id].name if role_id in self.roles else str(role_id)

    def check(self, role_id: object, problems: Problems, line: int, what: str) -> bool:
        """Report an unknown role id with the closest known one; True when it is known."""
        if not isinstance(role_id, str) or not role_id.strip():
            problems.error(line, f"{what} ska vara ett roll-id från {self.path}, inte {_shown(role_id)}")
            return False
        if role_id in self.roles:
            return True
        problems.error(line, f"okänd roll \"{role_id}\" i {what}.{did_you_mean(role_id, self.roles)} "
                             f"Lägg till rollen i {self.path} eller rätta id:t.")
        return False


def _shown(value: object) -> str:
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "en mappning"
    return f"\"{value}\"" if value not in (None, "") else "ett tomt värde"


def read_roles(data: object, problems: Problems, path: str) -> RoleRegister:
    register = RoleRegister(path)
    if data is None:
        return register
    if not isinstance(data, LineDict):
        problems.error(1, "roles.yml ska vara en mappning roll-id: {name: ..., description: ..., contact: ...}")
        return register
    for role_id, line in data.duplicates:
        problems.error(line, f"rollen {role_id} står flera gånger i registret; bara den sista gäller. Ge varje roll ett eget id")
    for role_id, entry in data.items():
        line = data.line_of(role_id)
        if not ROLE_ID.match(role_id):
            problems.error(line, f"roll-id \"{role_id}\" får bara innehålla bokstäver, siffror, - och _ "
                                 f"(det blir sidans adress roller/<id>/), t.ex. {_slug(role_id)}")
            continue
        if not isinstance(entry, LineDict):
            name = entry if isinstance(entry, str) and entry.strip() else role_id
            problems.error(line, f"rollen {role_id} ska vara en mappning med minst name, t.ex. {role_id}: {{name: {name}}}")
            register.roles[role_id] = Role(role_id, one_line(str(name)), line=line)
            continue
        for key in entry:
            if key not in ROLE_KEYS:
                problems.warning(entry.line_of(key), f"okänd nyckel \"{key}\" i rollen {role_id}.{did_you_mean(key, ROLE_KEYS)}")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.error(line, f"rollen {role_id} saknar name (rollens namn, t.ex. HR-chef)")
            name = role_id
        contact = _text(entry.get("contact"))
        if CONTROL.search(name):
            problems.error(entry.line_of("name"), f"namnet på rollen {role_id} innehåller en radbrytning eller ett annat "
                                                  f"styrtecken; skriv det på en rad, t.ex. name: {one_line(name)}")
        if CONTROL.search(contact):
            problems.error(entry.line_of("contact"), f"contact för rollen {role_id} innehåller en radbrytning eller ett annat "
                                                     "styrtecken, så rollen får ingen påminnelse; skriv adresserna på en rad "
                                                     f"med kommatecken emellan, t.ex. contact: hr@kommun.se, hr-chef@kommun.se")
        register.roles[role_id] = Role(role_id, one_line(name), _text(entry.get("description")), contact, line)
    return register


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[^\W_]+", text.lower())) or "rollens-id"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()
