"""The navigation as MkDocs objects: the core's Klassa tree (`core/navigation.py`) with each page
given its MkDocs Page and each section title escaped once for the theme."""

from __future__ import annotations

import markupsafe
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ..core.handbook import Handbook
from ..core.navigation import OVERVIEWS, UNCLASSIFIED_TITLE, NavItem, NavPage, klassa_tree  # noqa: F401 - OVERVIEWS, UNCLASSIFIED_TITLE: re-exported

__all__ = ["OVERVIEWS", "UNCLASSIFIED_TITLE", "klassa_navigation"]


def klassa_navigation(handbook: Handbook, pages: dict[str, Page], guide_folder: str = "") -> Navigation:
    """Arrange existing pages (keyed by src_uri) into the Klassa tree; empty branches are left out."""
    items = [_mkdocs(item, pages) for item in klassa_tree(handbook, pages, guide_folder)]
    for page in pages.values():  # pages outside the tree (role pages) keep nothing of MkDocs' own nav
        page.parent = page.previous_page = page.next_page = None
    _link(items, None)
    ordered = [item for item in _walk(items) if isinstance(item, Page)]
    for previous, page, following in zip([None, *ordered], ordered, [*ordered[1:], None]):
        page.previous_page, page.next_page = previous, following
    return Navigation(items, ordered)


def _mkdocs(item: NavItem, pages: dict[str, Page]):
    if isinstance(item, NavPage):
        return pages[item.src_uri]
    return Section(markupsafe.escape(item.title), [_mkdocs(child, pages) for child in item.children])


def _link(items: list, parent) -> None:
    for item in items:
        item.parent = parent
        if isinstance(item, Section):
            _link(item.children, item)


def _walk(items: list):
    for item in items:
        yield item
        if isinstance(item, Section):
            yield from _walk(item.children)
