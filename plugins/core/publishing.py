"""Published versions: the version stamp and what changed since the previous published version.

The previous version is its `handbook.json`; documents are matched by path, processes by id.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import swedish_key
from .governance import STATE_LABELS
from .handbook import Handbook
from .history import git
from .views import doc_type_label

NO_GIT = "ingen git"
PREVIOUS_VARIABLE = "HANDBOOK_PREVIOUS_CATALOG"
LABEL_VARIABLE = "HANDBOOK_VERSION_LABEL"
CHANGE_KINDS = ("added", "changed", "repealed", "removed")


def version_stamp(root: Path, today: dt.date, name: str = "") -> dict:
    """Date, git commit (short hash, or "ingen git") and an optional name, with the label the footer shows."""
    commit = (git(root, "rev-parse", "--short", "HEAD") or "").strip() or NO_GIT
    label = " · ".join(x for x in (today.isoformat(), commit, name.strip()) if x)
    return {"date": today.isoformat(), "commit": commit, "name": name.strip() or None, "label": label}


class CatalogError(ValueError):
    """A previous catalog that exists but cannot be read, with a Swedish message."""


def load_catalog(path: Path) -> dict | None:
    """The previous published `handbook.json`; None when there is none yet."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{path}: förra versionens handbook.json kan inte läsas ({exc}); "
                           "ange rätt fil eller ta bort den så jämförs ingenting") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: förra versionens handbook.json är ingen katalog över handboken")
    return data


@dataclass
class Change:
    kind: str  # added, changed, repealed or removed
    item: str  # document or process
    key: str  # path relative to docs/ or process id
    title: str  # empty when the item exists but is no longer published
    url: str  # empty for removed items
    type_label: str
    differences: list[str] = field(default_factory=list)


@dataclass
class Changes:
    previous: dict | None  # the previous version's stamp, or None when there is no previous version
    items: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.items if c.kind == kind]


def _entries(data: dict, section: str, key: str) -> dict[str, dict]:
    entries = data.get(section)
    if not isinstance(entries, list):
        return {}
    return {str(e[key]): e for e in entries if isinstance(e, dict) and e.get(key) is not None}


def _differences(before: dict, after: dict, title_key: str) -> list[str]:
    found = []
    if before.get("version") != after.get("version"):
        found.append(f"version {before.get('version') or '–'} → {after.get('version') or '–'}")
    if before.get("state") != after.get("state"):
        found.append(f"status {_state(before)} → {_state(after)}")
    if before.get(title_key) != after.get(title_key):
        found.append(f"tidigare namn: {before.get(title_key) or '–'}")
    return found


def _state(entry: dict) -> str:
    state = entry.get("state") or ""
    return STATE_LABELS.get(state, state or "–").lower()


def _compare(previous: dict, current: dict, section: str, key: str, title_key: str, item: str) -> list[Change]:
    before, after = _entries(previous, section, key), _entries(current, section, key)

    def label(entry: dict) -> str:
        return "Process" if item == "process" else doc_type_label(str(entry.get("doc_type") or "dokument"))

    changes = []
    for k, new in after.items():
        old = before.get(k)
        title, url = str(new.get(title_key) or k), str(new.get("url") or "")
        if old is None:
            changes.append(Change("added", item, k, title, url, label(new)))
        elif new.get("state") == "upphävd" and old.get("state") != "upphävd":
            changes.append(Change("repealed", item, k, title, url, label(new), _differences(old, new, title_key)))
        elif differences := _differences(old, new, title_key):
            changes.append(Change("changed", item, k, title, url, label(new), differences))
    changes += [Change("removed", item, k, str(old.get(title_key) or k), "", label(old))
                for k, old in before.items() if k not in after]
    return changes


def compare(previous: dict | None, current: dict) -> Changes:
    """What was added, changed (version, state or title), repealed and removed between two catalogs."""
    if previous is None:
        return Changes(None)
    items = _compare(previous, current, "documents", "path", "title", "document")
    items += _compare(previous, current, "processes", "id", "name", "process")
    stamp = previous.get("version") if isinstance(previous.get("version"), dict) else {}
    stamp = {**stamp, "date": stamp.get("date") or previous.get("today"), "label": stamp.get("label") or previous.get("today") or "okänd"}
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    return Changes(stamp, sorted(items, key=lambda c: (order[c.kind], swedish_key(c.title), c.key)))


def changes_since(handbook: Handbook, previous: dict | None, current: dict) -> Changes:
    """The changes from `previous` to this handbook (`current`, its catalog); a removed item that
    still exists but is classified now is listed without its title."""
    found = compare(previous, current)
    for change in found.of("removed"):
        now = handbook.documents.get(change.key) if change.item == "document" else handbook.processes.get(change.key)
        if now is not None and not handbook.is_published(now):
            change.title = ""
    return found
