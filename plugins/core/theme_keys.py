"""Material's own page keys: values that would break the build or the page are reported and left out.

mkdocs-material 9.8.1 includes `.icons/<icon>.svg` for `icon`, loads the template `template`
names, tests `"toc" in hide`, reads `search.exclude` and `search.boost` into the search index,
writes `status` into a class attribute, and prints `description`, `subtitle` and the other texts
as they are. A wrong value of any of them stops the whole build with a traceback or breaks the
HTML of every page whose navigation shows the page. Here each wrong value is a warning at its
key's line; the returned keys are left out of the page's metadata, so the page is still built.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import os
import re
from dataclasses import dataclass

from .problems import Problems, did_you_mean

HIDE_VALUES = ("navigation", "toc", "footer", "path", "tags", "feedback")
SEARCH_KEYS = ("boost", "exclude")
STATUSES = ("new", "deprecated")
# Texts Material prints into the page: <meta>, the navigation, the "updated" line of source-file.html.
TEXT_KEYS = ("description", "subtitle", "author", "revision_date", "git_revision_date_localized",
             "git_creation_date_localized", "location")
STATUS_TOKEN = re.compile(r"[\w-]+")  # fullmatch: one CSS class, nothing that can leave the attribute
_LONGEST_SHOWN = 60


@dataclass(frozen=True)
class ThemeInventory:
    """The icon names (`material/account`) and template paths (`main.html`) the theme can load."""

    icons: frozenset[str]
    templates: frozenset[str]


class _Listed:
    """A ThemeInventory whose folders are listed the first time a page's icon or template is looked up:
    most pages have neither, and `handbook check` need not list Material's 14,000 icons (issue 19)."""

    def __init__(self, theme_dirs: tuple[str, ...]) -> None:
        self.theme_dirs = theme_dirs

    @property
    def icons(self) -> frozenset[str]:
        return _inventory(self.theme_dirs).icons

    @property
    def templates(self) -> frozenset[str]:
        return _inventory(self.theme_dirs).templates


def theme_inventory(theme_dirs) -> ThemeInventory:
    """What the theme folders hold, first folder first as Jinja looks them up; read once per set of folders,
    when first asked."""
    return _listed(tuple(str(d) for d in theme_dirs))


@functools.lru_cache(maxsize=8)
def _listed(theme_dirs: tuple[str, ...]) -> ThemeInventory:
    return _Listed(theme_dirs)  # type: ignore[return-value]  # the same two attributes, read when asked


@functools.lru_cache(maxsize=8)
def _inventory(theme_dirs: tuple[str, ...]) -> ThemeInventory:
    icons, templates = set(), set()
    for folder in theme_dirs:
        for path in _files(folder, ""):
            if path.startswith(".icons/"):
                if path.endswith(".svg"):
                    icons.add(path[len(".icons/"):-len(".svg")])
            elif path.endswith(".html"):
                templates.add(path)
    return ThemeInventory(frozenset(icons), frozenset(templates))


def _files(folder: str, prefix: str):
    """Relative paths of the files below `folder` (os.scandir: several times faster than Path.rglob)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir():
            yield from _files(entry.path, f"{prefix}{entry.name}/")
        else:
            yield prefix + entry.name


def check_theme_keys(meta, problems: Problems, theme: ThemeInventory | None) -> set[str]:
    """Warn about each of Material's keys whose value it cannot use; return the keys to leave out.

    `meta` is a LineDict; with `theme=None` icons and templates are not looked up, only their types.
    """
    dropped = set()
    for key, check in _CHECKS.items():
        if key in meta and not check(meta[key], meta, problems, theme):
            dropped.add(key)
    return dropped


def _warn(meta, key: str, problems: Problems, message: str) -> bool:
    problems.warning(meta.line_of(key), message)
    return False


def _shown(value) -> str:
    """A value as it may appear in a one-line message."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + " ".join(value.split()) + '"'
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(_shown(v) for v in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= _LONGEST_SHOWN else text[:_LONGEST_SHOWN - 1] + "…"


def _check_icon(value, meta, problems: Problems, theme: ThemeInventory | None) -> bool:
    if value is None or value == "":
        return True
    if not isinstance(value, str):
        return _warn(meta, "icon", problems, f"icon ska vara ett ikonnamn, t.ex. icon: material/account, inte {_shown(value)}; "
                                             "sidan visas utan ikon tills värdet rättas")
    if theme is None or value in theme.icons:
        return True
    return _warn(meta, "icon", problems, f"ikonen {_shown(value)} finns inte i temat.{_icon_hint(value, theme.icons)} "
                                         "Rätta namnet (uppsättning/namn, t.ex. material/account) eller ta bort icon; "
                                         "tills dess visas sidan utan ikon")


def _icon_hint(value: str, icons: frozenset[str]) -> str:
    """The closest icon, looked for in the same set (`material/`), or in the closest set's names."""
    name = value.strip().strip(":").removesuffix(".svg")
    if "/" not in name and "-" in name:  # the emoji shortcode :material-account:
        name = name.replace("-", "/", 1)
    if name != value and name in icons:
        return f' Menade du "{name}"?'
    folder, _, base = name.rpartition("/")
    folders = _icon_folders(icons)
    if folder not in folders:
        close = difflib.get_close_matches(folder, folders, n=1, cutoff=0.6)
        if not close:
            return ""
        folder = close[0]
    match = difflib.get_close_matches(base, folders[folder], n=1, cutoff=0.6)
    return f' Menade du "{folder + "/" if folder else ""}{match[0]}"?' if match else ""


@functools.lru_cache(maxsize=4)
def _icon_folders(icons: frozenset[str]) -> dict[str, list[str]]:
    folders: dict[str, list[str]] = {}
    for icon in sorted(icons):
        folder, _, base = icon.rpartition("/")
        folders.setdefault(folder, []).append(base)
    return folders


def _check_template(value, meta, problems: Problems, theme: ThemeInventory | None) -> bool:
    if not isinstance(value, str) or not value.strip():
        return _warn(meta, "template", problems, f"template ska vara namnet på en mall i temat, t.ex. template: main.html, "
                                                 f"inte {_shown(value)}; sidan byggs med standardmallen tills värdet rättas")
    if theme is None or value in theme.templates:
        return True
    return _warn(meta, "template", problems, f"mallen {_shown(value)} finns inte i temat.{did_you_mean(value, sorted(theme.templates))} "
                                             "Rätta namnet, lägg mallen i overrides/ eller ta bort template; "
                                             "tills dess byggs sidan med standardmallen")


def _check_hide(value, meta, problems: Problems, theme) -> bool:
    if value is None:
        return True
    if not isinstance(value, list):
        return _warn(meta, "hide", problems, f"hide ska vara en lista, t.ex. hide: [toc], inte {_shown(value)}; "
                                             f"inget döljs tills värdet rättas. Möjliga värden: {', '.join(HIDE_VALUES)}")
    for item in value:
        if item not in HIDE_VALUES:
            problems.warning(meta.line_of("hide"), f"hide: {_shown(item)} är inget som kan döljas.{did_you_mean(item, HIDE_VALUES)} "
                                                   f"Möjliga värden: {', '.join(HIDE_VALUES)}")
    return True


def _check_search(value, meta, problems: Problems, theme) -> bool:
    if value is None:
        return True
    if not isinstance(value, dict):
        return _warn(meta, "search", problems, f"search ska vara nycklar med värden, t.ex. search: {{exclude: true}}, "
                                               f"inte {_shown(value)}; värdet används inte")
    line_of = getattr(value, "line_of", lambda key: meta.line_of("search"))
    usable = True
    for key, item in value.items():
        if key == "exclude" and not isinstance(item, bool):
            problems.warning(line_of(key), f"search: exclude ska vara true eller false, inte {_shown(item)}; "
                                           "search används inte förrän värdet rättas")
            usable = False
        elif key == "boost" and not _is_number(item):
            problems.warning(line_of(key), f"search: boost ska vara ett tal, t.ex. boost: 2, inte {_shown(item)}; "
                                           "search används inte förrän värdet rättas")
            usable = False
        elif key not in SEARCH_KEYS:
            problems.warning(line_of(key), f"search: okänd nyckel \"{key}\".{did_you_mean(key, SEARCH_KEYS)} "
                                           f"Möjliga nycklar: {', '.join(SEARCH_KEYS)}")
    return usable


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _check_status(value, meta, problems: Problems, theme) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, str) and STATUS_TOKEN.fullmatch(value):
        return True
    hint = did_you_mean(value.lower(), STATUSES) if isinstance(value, str) else ""
    return _warn(meta, "status", problems, f"status ska vara ett ord (bokstäver, siffror, - eller _), t.ex. status: new "
                                           f"eller status: deprecated, inte {_shown(value)}.{hint} Värdet används inte")


def _check_tags(value, meta, problems: Problems, theme) -> bool:
    if value is None or (isinstance(value, list) and all(isinstance(tag, (str, int, float, bool)) for tag in value)):
        return True
    return _warn(meta, "tags", problems, f"tags ska vara en lista med ord, t.ex. tags: [hr, rekrytering], "
                                         f"inte {_shown(value)}; värdet används inte")


def _text_check(key: str):
    def check(value, meta, problems: Problems, theme) -> bool:
        if value is None or isinstance(value, (str, dt.date)) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
            return True
        return _warn(meta, key, problems, f"{key} ska vara en text, inte {_shown(value)}; värdet används inte")
    return check


_CHECKS = {
    "icon": _check_icon,
    "template": _check_template,
    "hide": _check_hide,
    "search": _check_search,
    "status": _check_status,
    "tags": _check_tags,
    **{key: _text_check(key) for key in TEXT_KEYS},
}
