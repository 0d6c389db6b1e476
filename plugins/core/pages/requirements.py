"""`krav/`: the requirements register with what fulfils each requirement, and `krav/<id>/` per requirement.

Only requirements the gate clears are listed, and only published processes and documents are named.
"""

from __future__ import annotations

from ..handbook import Handbook
from ..requirements import fulfilments
from . import SiteInfo, render

INDEX = "krav/index.md"


def page_uri(rid: str) -> str:
    return f"krav/{rid}.md"


def pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    if not handbook.requirements.present:
        return {}
    found = list(fulfilments(handbook).values())
    result = {INDEX: render("requirements_index.md", INDEX, site, entries=found, handbook=handbook,
                            uncovered=[f for f in found if not f.count()])}
    for entry in found:
        uri = page_uri(entry.requirement.id)
        req = entry.requirement
        result[uri] = render("requirement.md", uri, site, entry=entry, req=req, handbook=handbook,
                             klassa=handbook.klassa.nodes.get(req.klassa) if req.klassa else None)
    return result
