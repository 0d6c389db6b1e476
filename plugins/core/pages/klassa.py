"""`klassa/` and `klassa/<code>/`: what lies under each Klassa code, in code order."""

from __future__ import annotations

from ..catalog import Branch, content_tree
from ..handbook import Handbook
from . import SiteInfo, render


def index_uri(code: str | None = None) -> str:
    return f"klassa/{code}/index.md" if code else "klassa/index.md"


def pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    tree = content_tree(handbook)
    result = {index_uri(): render("klassa_index.md", index_uri(), site, branches=tree, handbook=handbook)}
    for root in tree:
        for branch in root.walk():
            result[index_uri(branch.code)] = render(
                "klassa_branch.md", index_uri(branch.code), site, branch=branch, handbook=handbook,
                ancestors=[handbook.klassa[c] for c in handbook.klassa.ancestors(branch.code)[:-1]])
    return result


__all__ = ["Branch", "pages", "index_uri"]
