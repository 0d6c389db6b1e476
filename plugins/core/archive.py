"""The version archive: every decided (fastställd) version of every document and process, read from git.

Stable API (the archive pages, the version lists on the pages, `handbook as-of`, `handbook.json`,
and the PDF and diarium export all use it; everything here is plain data, no MkDocs):

    files = history.read_file_log(handbook)      # ONE git log + ONE git cat-file (optional)
    archive = version_archive(handbook, files)   # -> Archive; reads the log itself when files is None
    archive.items                                # report path ("docs/hr/lon.md", "processes/p.yml") -> ArchiveItem
    archive.item("document", "hr/lon.md")        # or ("process", "rekrytering") -> ArchiveItem | None
    item.versions                                # list[DecidedVersion], oldest first, publishable or not
    item.published_versions                      # only those that pass the gate (below)
    item.repeal                                  # Repeal(date, note, commit) when the item is upphävd today, else None
    version.publishable, version.withheld_reason # the gate's answer for this version
    version.url / version.page                   # "arkiv/hr/lon/2.0/", "arkiv/hr/lon/2.0/index.md"
    version.commit, version.decided_commit       # the commit archived (newest of the version) and the deciding one
    archive.content(version) -> bytes | None     # the file as it was in version.commit; None unless publishable
    archive.as_of(date) -> list[Applicable]      # which version applied on the day, per item (status + version)
    archive.current(item)                        # the version in force today, or None
    version_entries(item), repeal_entry(item)    # the same as handbook.json writes them
    until_text(version)                          # "Gällde t.o.m." as a reader reads it

A DecidedVersion carries: kind, key, source, version, slug, url, page, title, state, valid_from,
valid_to (exclusive, "" while open), decided_by, decision_date, diarienummer, doc_type, klassa,
owner, information_class, replaces (as the file said then), commit, decided_commit, committed
(date), blob, publishable, withheld_reason. Dates are ISO strings.

What counts as a decided version (extends the contract): in the file's history, oldest first, a
commit in which the file says `state: fastställd` starts a decided version when the file said
another state before, or another `version` (a change of `version` while fastställd, or of `state`
to fastställd). Later commits that keep the same `version` and `fastställd` belong to it (a
correction without a new version); the archived text and metadata are the newest of them. A draft
(utkast) between the same version number's commits does not start a new one. A commit with
`state: upphävd` repeals what was in force, from `repealed_from` or else the commit's date. Valid
to: the next decided version's valid from, or the repeal. A version's valid from is its
`valid_from`, or the date of its deciding commit when it has none. A file that is fastställd or
upphävd in the working tree but differs from its last commit adds a version (or repeal) with no
commit ("") dated today, which answers as_of but has no archived page (url "") until it is committed;
so does a handbook outside git, which has only today's file.

The gate (fail closed), for every version as it stands today AND as it stood then:
- only items published today are in the archive at all (`Handbook.published_documents/processes`,
  governed documents and processes); an item withheld today has no versions anywhere;
- a version is publishable only when every commit in which the file carried that `version` (in any
  state) was within today's classification limit; a commit whose file could not be read (its class
  unknown) withholds the versions on both sides of it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .governance import STATE_LABELS
from .handbook import Handbook
from .history import NO_BLOB, Commit, FileLog, Snapshot, read_file_log, snapshot
from .urls import document_url, process_url

ARCHIVE_DIR = "arkiv"
_SLUG = re.compile(r"[^0-9A-Za-z._-]+")
WITHHELD_THEN = "versionen var klassad över webbplatsens gräns i någon commit"
UNREADABLE_NEAR = "en commit intill versionen gick inte att läsa (okänd informationsklass)"

# as_of statuses
IN_FORCE, REPEALED, NOT_YET, NOT_PUBLISHED, NONE = "gällande", "upphävd", "ej beslutad", "ej publicerad", "ingen"


@dataclass
class DecidedVersion:
    kind: str  # "document" or "process"
    key: str  # the document's path in docs/ ("hr/lon.md") or the process id
    source: str  # the file relative to the handbook root, as it is named today ("docs/hr/lon.md")
    version: str
    slug: str  # the version in the address: [0-9A-Za-z._-], unique within the item
    url: str  # the archived page, relative to the site root: arkiv/hr/lon/2.0/ ("" when it has no commit)
    page: str  # its generated source: arkiv/hr/lon/2.0/index.md ("" when it has no commit)
    title: str  # the title (document) or name (process) then
    state: str = "fastställd"
    valid_from: str = ""  # YYYY-MM-DD (valid_from, or the deciding commit's date)
    valid_to: str = ""  # YYYY-MM-DD exclusive: the next version's valid_from or the repeal; "" while open
    decided_by: str = ""
    decision_date: str = ""
    diarienummer: str = ""
    doc_type: str = ""
    klassa: str = ""
    owner: str = ""
    information_class: str = ""
    replaces: tuple = ()  # a document's replaces then (paths in docs/)
    commit: str = ""  # the commit whose file is archived (the newest of this version); "" = working tree
    decided_commit: str = ""  # the commit that made it fastställd
    committed: str = ""  # the deciding commit's date
    blob: str = ""
    publishable: bool = True
    withheld_reason: str = ""  # why not, in Swedish ("" when publishable)
    _levels: list = field(default_factory=list, repr=False)

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, "")

    def applies_on(self, day: str) -> bool:
        return self.valid_from <= day and (not self.valid_to or day < self.valid_to)


@dataclass
class Repeal:
    date: str  # YYYY-MM-DD
    note: str = ""
    commit: str = ""  # "" = working tree


@dataclass
class ArchiveItem:
    kind: str
    key: str
    source: str
    title: str  # today
    url: str  # today's page
    versions: list[DecidedVersion] = field(default_factory=list)  # oldest first
    repeal: Repeal | None = None  # when the item is upphävd today

    @property
    def published_versions(self) -> list[DecidedVersion]:
        return [v for v in self.versions if v.publishable]

    def applicable(self, day: str) -> DecidedVersion | None:
        """The decided version that applied on `day` (the latest decided of any that overlap)."""
        return next((v for v in reversed(self.versions) if v.applies_on(day)), None)


@dataclass
class Applicable:
    item: ArchiveItem
    status: str  # IN_FORCE, REPEALED, NOT_YET, NOT_PUBLISHED, NONE
    version: DecidedVersion | None = None  # only when published


@dataclass
class Archive:
    today: str
    items: dict[str, ArchiveItem] = field(default_factory=dict)
    files: FileLog | None = None
    _working: dict = field(default_factory=dict, repr=False)  # source -> bytes of the working tree
    _index: dict = field(default_factory=dict, repr=False)  # (kind, key) -> item

    def item(self, kind: str, key: str) -> ArchiveItem | None:
        """The item of a document (kind "document", key its path in docs/) or a process (kind "process", key its id)."""
        if len(self._index) != len(self.items):
            self._index = {(i.kind, i.key): i for i in self.items.values()}
        return self._index.get((kind, key))

    def versions(self) -> list[DecidedVersion]:
        return [v for item in self.items.values() for v in item.versions]

    def content(self, version: DecidedVersion) -> bytes | None:
        """The file as it was in `version.commit` (the working tree's for ""); None unless publishable."""
        if not version.publishable:
            return None
        if version.commit:
            return self.files.texts.get(version.blob) if self.files else None
        return self._working.get(version.source)

    def current(self, item: ArchiveItem) -> DecidedVersion | None:
        """The version in force today, or None (repealed, not yet in force, or withheld)."""
        return item.applicable(self.today)

    def as_of(self, day: dt.date | str) -> list[Applicable]:
        day = day.isoformat() if isinstance(day, dt.date) else day
        found = []
        for item in self.items.values():
            version = item.applicable(day)
            if version is not None:
                found.append(Applicable(item, IN_FORCE if version.publishable else NOT_PUBLISHED,
                                        version if version.publishable else None))
            elif item.repeal and item.repeal.date <= day:
                found.append(Applicable(item, REPEALED))
            elif not item.versions or all(v.valid_from > day for v in item.versions):
                found.append(Applicable(item, NOT_YET))
            else:
                found.append(Applicable(item, NONE))
        return found


def day_before(day: str) -> str:
    """The last day of an interval that ends (exclusive) on `day`; "" for an open one."""
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat() if day else ""


NEVER_APPLIED = "ersattes innan den började gälla"


def until_text(version: DecidedVersion) -> str:
    """Gällde t.o.m. as a reader reads it: the last day, or that the next version's valid_from came first."""
    if version.valid_to and version.valid_from and version.valid_to <= version.valid_from:
        return NEVER_APPLIED
    return day_before(version.valid_to)


def archive_url(kind: str, key: str, slug: str) -> str:
    """arkiv/<document path without .md>/<version>/ or arkiv/processer/<id>/<version>/."""
    base = f"processer/{key}" if kind == "process" else key.removesuffix(".md")
    return f"{ARCHIVE_DIR}/{base}/{slug}/"


def version_slug(version: str, taken: set[str]) -> str:
    slug = _SLUG.sub("-", version).strip("-.") or "version"
    if slug in taken:
        number = 2
        while f"{slug}-{number}" in taken:
            number += 1
        slug = f"{slug}-{number}"
    taken.add(slug)
    return slug


def version_archive(handbook: Handbook, files: FileLog | None = None) -> Archive:
    """Every decided version of every governed document and process published today (see the module)."""
    files = files or read_file_log(handbook)
    archive = Archive(handbook.settings.today.isoformat(), files=files)
    for source, item in files.items.items():
        kind = files.kinds[source]
        if kind == "document" and not item.governed:
            continue
        key = item.path if kind == "document" else item.id
        entry = ArchiveItem(kind, key, source, item.title if kind == "document" else item.name,
                            document_url(key) if kind == "document" else process_url(key))
        # a deletion (the file was removed and added again later) has no content to read or to withhold
        snapshots = [(c, blob, shot) for c, blob, shot in reversed(files.changes(source)) if blob != NO_BLOB]
        working = _working_tree(handbook, source, kind, item, snapshots)
        if working is not None:
            archive._working[source] = working[1]
            snapshots.append((Commit("", archive.today, "", ""), "", working[0]))
        _decide(entry, snapshots, handbook.settings.k_limit)
        if item.state != "upphävd":
            entry.repeal = None
        archive.items[source] = entry
    return archive


def _working_tree(handbook: Handbook, source: str, kind: str, item, snapshots) -> tuple[Snapshot, bytes] | None:
    """Today's file as a last snapshot, when it is decided or repealed and says more than its last commit."""
    if item.state not in ("fastställd", "upphävd"):
        return None
    try:
        data = (handbook.root / source).read_bytes()
    except OSError:
        return None
    shot = snapshot(data, kind)
    last = snapshots[-1][2] if snapshots else None
    if last is not None and (last.version, last.state, last.k_level, last.valid_from, last.repealed_from) == \
            (shot.version, shot.state, shot.k_level, shot.valid_from, shot.repealed_from):
        return None
    return shot, data


def _decide(entry: ArchiveItem, snapshots: list[tuple[Commit, str, Snapshot]], limit: int) -> None:
    """Decided versions and the repeal from the file's snapshots, oldest first."""
    versions, levels, taken = entry.versions, {}, set()
    open_version: DecidedVersion | None = None  # the decided version a fastställd commit of the same number continues
    ends: list[tuple[int, str]] = []  # (index of the version it ends, date) for repeals
    tainted: set[int] = set()  # indexes of versions next to an unreadable commit
    pending_taint = False
    entry.repeal = None
    for commit, blob, shot in snapshots:
        if not shot.readable:
            if versions:
                tainted.add(len(versions) - 1)
            pending_taint = True
            continue
        levels.setdefault(shot.version, []).append(shot.k_level)
        if shot.state == "fastställd":
            if open_version is not None and open_version.version == shot.version:
                _describe(open_version, commit, blob, shot)
            else:
                open_version = DecidedVersion(entry.kind, entry.key, entry.source, shot.version, "", "", "", shot.title,
                                              decided_commit=commit.commit, committed=commit.date)
                _describe(open_version, commit, blob, shot)
                versions.append(open_version)
                entry.repeal = None
            if pending_taint:
                tainted.add(len(versions) - 1)
                pending_taint = False
        elif shot.state == "upphävd":
            if versions and entry.repeal is None and open_version is not None:
                entry.repeal = Repeal(shot.repealed_from or commit.date, shot.repeal_note, commit.commit)
                ends.append((len(versions) - 1, entry.repeal.date))
            elif entry.repeal is not None:  # a later commit of the repealed file may correct the date or the note
                entry.repeal = Repeal(shot.repealed_from or entry.repeal.date, shot.repeal_note, entry.repeal.commit)
                if ends and ends[-1][0] == len(versions) - 1:
                    ends[-1] = (ends[-1][0], entry.repeal.date)
            elif not versions:
                entry.repeal = Repeal(shot.repealed_from or commit.date, shot.repeal_note, commit.commit)
            open_version = None
        # an utkast keeps the decided version in force and open for its own number
    repeal_end = dict(ends)
    for index, version in enumerate(versions):
        version.slug = version_slug(version.version, taken)
        if version.commit:  # a version only in the working copy (or outside git) has no archived page yet
            version.url = archive_url(entry.kind, entry.key, version.slug)
            version.page = version.url + "index.md"
        following = versions[index + 1].valid_from if index + 1 < len(versions) else ""
        version.valid_to = repeal_end.get(index, "") or following
        if index in repeal_end and following:
            version.valid_to = min(repeal_end[index], following)
        if any(level > limit for level in levels.get(version.version, [])):
            version.publishable, version.withheld_reason = False, WITHHELD_THEN
        elif index in tainted:
            version.publishable, version.withheld_reason = False, UNREADABLE_NEAR


def _describe(version: DecidedVersion, commit: Commit, blob: str, shot: Snapshot) -> None:
    """The version as this (newer) commit of it says."""
    version.title = shot.title or version.title
    version.valid_from = shot.valid_from or version.committed
    version.decided_by, version.decision_date, version.diarienummer = shot.decided_by, shot.decision_date, shot.diarienummer
    version.doc_type, version.klassa, version.owner = shot.doc_type, shot.klassa, shot.owner
    version.information_class = shot.information_class
    version.replaces = shot.replaces
    if commit.commit or not version.commit:  # the working copy never replaces the text of a committed version
        version.commit, version.blob = commit.commit, blob


def link_history(history: dict, archive: Archive) -> None:
    """Give the on-page version history (`history.handbook_history`) each decided version's valid-to and archive address."""
    for source, versions in history.items():
        item = archive.items.get(source)
        if item is None:
            continue
        decided = {}
        for version in item.versions:
            decided[version.version] = version  # of two with one number, the later
        for shown in versions:
            match = decided.get(shown.version)
            if match is not None and shown.state == "fastställd":
                shown.valid_to, shown.valid_until = match.valid_to, until_text(match)
                shown.archive_url = match.url if match.publishable else ""



def version_entries(item: ArchiveItem | None) -> list[dict]:
    """An item's published decided versions for `handbook.json`, oldest first; `valid_to` is exclusive
    (the day the next version or the repeal took over), null while the version is open."""
    if item is None:
        return []
    return [{"version": v.version, "state": v.state, "valid_from": v.valid_from or None, "valid_to": v.valid_to or None,
             "decided_by": v.decided_by or None, "decision_date": v.decision_date or None,
             "diarienummer": v.diarienummer or None, "url": v.url or None} for v in item.published_versions]


def repeal_entry(item: ArchiveItem | None) -> dict | None:
    if item is None or item.repeal is None:
        return None
    return {"date": item.repeal.date, "note": item.repeal.note or None}
