"""Published documents chosen by Klassa branch, owner, type and state: the lists that free pages show.

A wrong value is reported in Swedish with the closest right one, never silently shown as an
empty list. Classified documents are never chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import swedish_key
from .documents import Document
from .governance import STATES
from .handbook import Handbook
from .klassa import code_key
from .problems import did_you_mean

# Without a state, a list shows what applies or is being prepared, not what is repealed.
DEFAULT_STATES = ("fastställd", "utkast")


@dataclass
class Selection:
    documents: list[Document] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def values_of(value) -> list[str]:
    """One value or a list of values, as text."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple, set)) else [value]
    return [str(v).strip() for v in items]


def _unknown(values: list[str], known, what: str) -> list[str]:
    return [f"{what} \"{v}\" finns inte.{did_you_mean(v, known)}" for v in values if v not in known]


def select_documents(handbook: Handbook, klassa=None, owner=None, doc_type=None, state=None) -> Selection:
    """Documents at or below the Klassa codes, owned by the roles, of the types and states asked for."""
    codes, owners, types, states = values_of(klassa), values_of(owner), values_of(doc_type), values_of(state)
    problems = (_unknown(codes, handbook.klassa.nodes, "Klassa-koden")
                + _unknown(owners, handbook.roles.roles, "rollen")
                + _unknown(types, handbook.settings.doc_types, "dokumenttypen")
                + _unknown(states, STATES, "statusen"))
    if problems:
        return Selection(problems=problems)
    chosen = [
        doc for doc in handbook.published_governed()
        if (not codes or any(doc.klassa == c or doc.klassa.startswith(c + ".") for c in codes))
        and (not owners or doc.owner in owners)
        and (not types or doc.doc_type in types)
        and doc.state in (states or DEFAULT_STATES)
    ]
    return Selection(sorted(chosen, key=lambda d: (code_key(d.klassa), swedish_key(d.title), d.path)))
