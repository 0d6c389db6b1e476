"""A page's metadata as Material may print it.

Material's templates (and `material_nav.py`, which writes the same HTML) print `title`,
`description`, `subtitle` and the other texts of `page.meta` without escaping, and write `status`
into a class attribute. Here every such text is HTML-escaped exactly once (a `Markup` value is
not escaped again), `status` is kept only when it is one CSS class, and the values the core found
unusable (`Document.dropped_keys`) are left out.
"""

from __future__ import annotations

from markupsafe import escape

from ..core.theme_keys import STATUS_TOKEN, TEXT_KEYS

PRINTED = ("title", "tags", *TEXT_KEYS)


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
