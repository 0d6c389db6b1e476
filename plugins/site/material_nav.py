"""Material's primary navigation, written in Python instead of its recursive Jinja macro.

mkdocs-material 9.8.1 renders the side navigation on every page with the macro in
`partials/nav-item.html` (and the page's table of contents with `partials/toc.html`). On a handbook
of thousands of pages that macro is about a quarter of the build. `render` writes the same
elements, attributes and text, with whitespace between tags left out; the package's
`partials/nav.html` calls it and falls back to Material's macro when `stands_in` says no: a
feature this module does not implement is on, one of the templates it replaces is overridden, or
the installed Material is not the version it was written for.
`tests/test_material_nav.py` builds handbooks both ways and compares every page.
"""

from __future__ import annotations

import functools
import importlib.metadata
from pathlib import Path

import material
from markupsafe import Markup, escape
from mkdocs.utils import normalize_url

# Features that change what the macro writes and that this module does not implement.
UNSUPPORTED_FEATURES = frozenset({"navigation.tabs", "navigation.sections", "navigation.expand", "toc.integrate"})
REPLACED_TEMPLATES = ("partials/nav-item.html", "partials/toc.html", "partials/toc-item.html")
MATERIAL_TEMPLATES = Path(material.__file__).resolve().parent / "templates"
WRITTEN_FOR = "9.8.1"  # the mkdocs-material whose templates this module writes


@functools.cache
def installed_material() -> str | None:
    try:
        return importlib.metadata.version("mkdocs-material")
    except importlib.metadata.PackageNotFoundError:
        return None


def stands_in(env, features, material_version: str | None = None) -> bool:
    """Whether `render` writes what Material's templates would, for this theme and these features.

    `material_version` is the installed mkdocs-material's unless given: any other version than
    WRITTEN_FOR may write its navigation differently, so Material's own templates are used."""
    if (material_version or installed_material()) != WRITTEN_FOR:
        return False
    if UNSUPPORTED_FEATURES & set(features):
        return False
    for name in REPLACED_TEMPLATES:
        _, filename, _ = env.loader.get_source(env, name)
        if Path(filename).resolve() != MATERIAL_TEMPLATES / name:
            return False
    return True


class PrimaryNavigation:
    """The items of `<ul class="md-nav__list">` in Material's primary navigation, for one page."""

    def __init__(self, env, config, features) -> None:
        self.indexes = "navigation.indexes" in features
        self.prune = "navigation.prune" in features
        self.status_titles = config.extra.get("status") or {}
        self.toc_title = (config.mdx_configs.get("toc") or {}).get("title")
        self.icon = functools.lru_cache(maxsize=None)(lambda name: env.get_template(f".icons/{name}.svg").render())

    def __call__(self, nav, page, base_url: str, toc_title: str) -> Markup:
        self.page, self.base_url = page, base_url
        self.toc_label = self.toc_title or toc_title
        out: list[str] = []
        for number, item in enumerate(nav.items, start=1):
            self.item(out, item, f"__nav_{number}", 1)
        return Markup("".join(out))

    def url(self, item) -> str:
        return normalize_url(str(getattr(item, "url", "") or ""), page=self.page, base=self.base_url)

    # -- nav-item.html: render ---------------------------------------------------------------

    def item(self, out: list[str], item, path: str, level: int) -> None:
        css = "md-nav__item md-nav__item--active" if item.active else "md-nav__item"
        if item.children:
            self.section(out, item, css, path, level)
        elif item == self.page:
            self.current(out, item, css)
        else:
            out.append(f'<li class="{css}"><a href="{self.url(item)}" class="md-nav__link">')
            self.content(out, item)
            out.append("</a></li>")

    def section(self, out: list[str], item, css: str, path: str, level: int) -> None:
        if self.prune and not item.active:
            out.append(f'<li class="{css} md-nav__item--pruned md-nav__item--nested">')
            self.pruned(out, item, item)
            out.append("</li>")
            return
        index = next((child for child in item.children if getattr(child, "is_index", False)), None) if self.indexes else None
        checked = "checked" if item.active else ""
        out.append(f'<li class="{css} md-nav__item--nested">'
                   f'<input class="md-nav__toggle md-toggle " type="checkbox" id="{path}" {checked}>')
        if index is None:
            out.append(f'<label class="md-nav__link" for="{path}" id="{path}_label" tabindex="0">')
            self.content(out, item)
            out.append('<span class="md-nav__icon md-icon"></span></label>')
        else:
            active = "md-nav__link--active" if index == self.page else ""
            out.append(f'<div class="md-nav__link md-nav__container">'
                       f'<a href="{self.url(index)}" class="md-nav__link {active}">')
            self.content(out, index, item)
            out.append("</a>")
            if len(item.children) > 1:
                out.append(f'<label class="md-nav__link {active}" for="{path}" id="{path}_label" tabindex="0">'
                           '<span class="md-nav__icon md-icon"></span></label>')
            out.append("</div>")
        expanded = "true" if item.active else "false"
        out.append(f'<nav class="md-nav" data-md-level="{level}" aria-labelledby="{path}_label" aria-expanded="{expanded}">'
                   f'<label class="md-nav__title" for="{path}"><span class="md-nav__icon md-icon"></span>')
        self.title(out, item)
        out.append('</label><ul class="md-nav__list" data-md-scrollfix>')
        for number, child in enumerate(item.children, start=1):
            if index is None or child != index:
                self.item(out, child, f"{path}_{number}", level + 1)
        out.append("</ul></nav></li>")

    def pruned(self, out: list[str], item, ref) -> None:
        first = item.children[0] if item.children else None
        if first is not None and first.children:
            self.pruned(out, first, ref)
            return
        out.append(f'<a href="{self.url(first)}" class="md-nav__link">')
        self.content(out, ref)
        if item.children:
            out.append('<span class="md-nav__icon md-icon"></span>')
        out.append("</a>")

    def current(self, out: list[str], item, css: str) -> None:
        toc = self.page.toc
        first = next(iter(toc), None)
        if first is not None and first.level == 1:
            toc = first.children
        out.append(f'<li class="{css}"><input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">')
        if toc:
            out.append('<label class="md-nav__link md-nav__link--active" for="__toc">')
            self.content(out, item)
            out.append('<span class="md-nav__icon md-icon"></span></label>')
        out.append(f'<a href="{self.url(item)}" class="md-nav__link md-nav__link--active">')
        self.content(out, item)
        out.append("</a>")
        if toc:
            self.table_of_contents(out, toc)
        out.append("</li>")

    def content(self, out: list[str], item, ref=None) -> None:
        meta = getattr(item, "meta", None)
        if meta and meta.get("icon"):
            out.append(self.icon(meta["icon"]))
        out.append('<span class="md-ellipsis">')
        self.title(out, ref or item)
        if meta and meta.get("subtitle"):
            out.append(f"<br><small>{meta['subtitle']}</small>")
        out.append("</span>")
        if meta and getattr(item, "encrypted", None):
            self.status(out, "encrypted")
        if meta and meta.get("status"):
            self.status(out, meta["status"])

    def title(self, out: list[str], item) -> None:
        typeset = getattr(item, "typeset", None)
        if typeset:
            out.append(f'<span class="md-typeset"> {typeset["title"]} </span>')
        else:
            out.append(f" {item.title} ")

    def status(self, out: list[str], kind) -> None:
        title = self.status_titles.get(kind) if self.status_titles else None
        title_attribute = f' title="{title}"' if title else ""
        out.append(f'<span class="md-status md-status--{kind}"{title_attribute}></span>')

    # -- toc.html and toc-item.html ------------------------------------------------------------

    def table_of_contents(self, out: list[str], toc) -> None:
        out.append(f'<nav class="md-nav md-nav--secondary" aria-label="{escape(self.toc_label)}">'
                   f'<label class="md-nav__title" for="__toc"><span class="md-nav__icon md-icon"></span>'
                   f' {self.toc_label} </label><ul class="md-nav__list" data-md-component="toc" data-md-scrollfix>')
        for entry in toc:
            self.toc_item(out, entry)
        out.append("</ul></nav>")

    def toc_item(self, out: list[str], entry) -> None:
        out.append(f'<li class="md-nav__item"><a href="{entry.url}" class="md-nav__link"><span class="md-ellipsis">')
        self.title(out, entry)
        out.append("</span></a>")
        if entry.children:
            out.append(f'<nav class="md-nav" aria-label="{escape(Markup(str(entry.title)).striptags())}">'
                       '<ul class="md-nav__list">')
            for child in entry.children:
                self.toc_item(out, child)
            out.append("</ul></nav>")
        out.append("</li>")
