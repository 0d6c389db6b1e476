"""A page's metadata as Material may print it.

Material's templates (and `material_nav.py`, which writes the same HTML) print `title`,
`description`, `subtitle` and the other texts of `page.meta` without escaping, and write `status`
into a class attribute. Here every such text is HTML-escaped exactly once (a `Markup` value is
not escaped again), `status` is kept only when it is one CSS class, and the values the core found
unusable (`Document.dropped_keys`) are left out.
"""

from __future__ import annotations

from markupsafe import escape

from .governance import REVIEW_LABELS, STATE_LABELS
from .theme_keys import STATUS_TOKEN, TEXT_KEYS
from .views import status_labels, type_label

PRINTED = ("title", "tags", *TEXT_KEYS)

# Search: Material multiplies a page's score by its `search.boost`. What is in force comes first;
# drafts and repealed items stay findable below it; generated overviews (Klassa, roles, landscape,
# revision, nytt), which only name the documents, are found by their titles but come last.
CURRENT_BOOST, NOT_IN_FORCE_BOOST, OVERVIEW_BOOST = 2.0, 0.5, 0.2
# The side navigation's marker (Material's page `status`, titled by `extra.status`) for what is not in force.
NAV_STATUS = {"utkast": "hb-utkast", "upphävd": "hb-upphavd"}
STATUS_TITLES = {NAV_STATUS[state]: STATE_LABELS[state] for state in NAV_STATUS}
# Material renders a search result's tags with the class md-tag--<value> of `extra.tags`: status.css draws the icons.
TAG_CLASSES = {STATE_LABELS["utkast"]: "hb-draft", STATE_LABELS["fastställd"]: "hb-current",
               STATE_LABELS["upphävd"]: "hb-repealed", REVIEW_LABELS["due"]: "hb-due", REVIEW_LABELS["overdue"]: "hb-overdue"}


def with_governance(meta: dict, handbook, item) -> dict:
    """A governed document's or process's page: its type and state (and review status when late) as the
    tags search shows with each result, the boost of what is in force, and the navigation's marker."""
    in_force = item.state == "fastställd"
    tags = [type_label(item), *status_labels(handbook, item, late_only=True)]
    own_tags = [t for t in meta.get("tags") or [] if t not in tags] if isinstance(meta.get("tags"), list) else []
    search = meta.get("search") if isinstance(meta.get("search"), dict) else {}
    result = {**meta, "tags": tags + own_tags,
              "search": {**search, "boost": CURRENT_BOOST if in_force else NOT_IN_FORCE_BOOST}}
    if item.state in NAV_STATUS:
        result["status"] = NAV_STATUS[item.state]
    return result


def overview(meta: dict) -> dict:
    """A generated overview page: found by its title, below the documents and processes it lists."""
    search = meta.get("search") if isinstance(meta.get("search"), dict) else {}
    return {**meta, "search": {"boost": OVERVIEW_BOOST, **search}}


def for_theme(meta: dict, dropped_keys=()) -> dict:
    result = {}
    for key, value in meta.items():
        if key in dropped_keys:
            continue
        if key == "status" and value and not (isinstance(value, str) and STATUS_TOKEN.fullmatch(value)):
            continue
        result[key] = _escaped(value) if key in PRINTED else value
    return result


def _escaped(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return escape(value if isinstance(value, str) else str(value))  # a Markup value is already escaped


def add_theme_titles(extra) -> None:
    """`extra.status` and `extra.tags` for the markers above (a handbook's own values win)."""
    extra["status"] = {**STATUS_TITLES, **(extra.get("status") or {})}
    extra["tags"] = {**TAG_CLASSES, **(extra.get("tags") or {})}
