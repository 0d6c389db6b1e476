"""Recording a review in the owner's own file: one entry more under `reviewed:` and a new `review_date`.

The file is edited as text, so comments, quoting, key order and line endings stay as the owner wrote
them. The result is read back and must mean exactly the old file plus the new review and date;
anything else is refused with a Swedish message telling how to add the review by hand.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from .governance import REVIEWED
from .source import LineDict, SourceError, load_yaml, repeated_keys

_CLOSING = re.compile(r"^(?:-{3}|\.{3})[ \t]*$")
_OPENING = re.compile(r"^-{3}[ \t]*$")
_COMMENT = re.compile(r"^[ \t]*#")
_KEY_VALUE = r"^(?P<head>[ \t]*{key}[ \t]*:)(?P<value>[^#]*?)(?P<tail>[ \t]+#.*)?$"
_EMPTY = re.compile(r"^(?:|~|null|Null|NULL|\[[ \t]*\])$")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)-(?P<gap>[ \t]+)\S")
# What YAML may hold unescaped inside double quotes: its printable set without line breaks (U+2028, U+2029) and BOM.
_PRINTABLE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


class RecordError(ValueError):
    """The review cannot be written safely; the message says why and what to do, in Swedish."""


@dataclass
class Recorded:
    data: bytes  # the new file
    changes: list[str]  # what changed, each with its line


def quoted(text: str) -> str:
    """A YAML double-quoted scalar that reads back as exactly `text`."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif _PRINTABLE.fullmatch(char):
            out.append(char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def plain(text: str) -> str:
    """A role id as YAML text: plain when it reads back as itself, else quoted."""
    try:
        return text if load_yaml(f"x: {text}\n") == {"x": text} else quoted(text)
    except SourceError:
        return quoted(text)


def entry_lines(date: dt.date, by: str, note: str, dash: str, newline: str) -> list[str]:
    """`- date: …`, `  by: …`, `  note: "…"` with the list's own indentation."""
    indent = " " * len(dash.expandtabs())
    return [f"{dash}date: {date.isoformat()}{newline}", f"{indent}by: {plain(by)}{newline}",
            f"{indent}note: {quoted(note)}{newline}"]


def by_hand(shown: str, date: dt.date, by: str, note: str, next_date: dt.date) -> str:
    lines = "".join(entry_lines(date, by, note, "  - ", "\n"))
    return (f"Lägg till granskningen för hand i {shown}: skriv den sist i listan under reviewed: (eller börja listan), "
            f"så här:\n\nreviewed:\n{lines}\noch ändra review_date till {next_date.isoformat()}. "
            "Kontrollera sedan med handbook check.")


def record_review(data: bytes, is_process: bool, date: dt.date, by: str, note: str, next_date: dt.date) -> Recorded:
    """The file with the review added; RecordError when it cannot be done safely."""
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3 if bom else 0:].decode("utf-8")
    except UnicodeDecodeError:
        raise RecordError("filen är inte sparad som UTF-8; spara om den som UTF-8 och försök igen") from None
    lines = io.StringIO(text, newline="").readlines()
    newline = next((line[len(line.rstrip("\r\n")):] for line in lines if line.endswith(("\n", "\r"))), "\n")
    start, end = _region(lines, is_process)
    old = _parse(lines, start, end)
    for new_lines in _attempts(lines, start, end, old, date, by, note, next_date, newline):
        new_end = end + len(new_lines) - len(lines)
        new = _read_back(new_lines, start, new_end)
        if new is not None and _means(old, new, date, by, note, next_date) and new_lines[new_end:] == lines[end:]:
            data = "".join(new_lines).encode("utf-8")
            return Recorded((b"\xef\xbb\xbf" if bom else b"") + data, _describe(old, new, next_date))
    raise RecordError("reviewed är skrivet på ett sätt som kommandot inte kan bygga ut säkert" if REVIEWED in old
                      else "filens uppgifter är skrivna på ett sätt som kommandot inte kan ändra säkert")


def _region(lines: list[str], is_process: bool) -> tuple[int, int]:
    """The YAML lines [start, end): the whole process file, or a document's front matter."""
    if is_process:
        return 0, len(lines)
    if not lines or not _OPENING.match(lines[0].rstrip("\r\n")):
        raise RecordError("dokumentet har ingen front matter (uppgifterna mellan ----raderna överst)")
    for index in range(1, len(lines)):
        if _CLOSING.match(lines[index].rstrip("\r\n")):
            return 1, index
    raise RecordError("front matter saknar avslutande rad med ---; rätta felet som handbook check visar och försök igen")


def _yaml(lines: list[str], start: int, end: int) -> str:
    return "".join(lines[start:end]).replace("\r\n", "\n").replace("\r", "\n")


def _parse(lines: list[str], start: int, end: int) -> LineDict:
    try:
        meta = load_yaml(_yaml(lines, start, end), line_offset=start)
    except SourceError as exc:
        raise RecordError(f"rad {exc.line}: {exc.message}; rätta felet och försök igen") from None
    if not isinstance(meta, LineDict):
        raise RecordError("filens uppgifter är inga nycklar med värden (key: value); rätta filen och försök igen")
    value = meta.get(REVIEWED)
    if isinstance(value, dict):
        raise RecordError("reviewed är en enda granskning (en mappning), inte en lista")
    if value is not None and not isinstance(value, list):
        raise RecordError("reviewed är varken en lista eller tom; rätta felet som handbook check visar")
    return meta


def _read_back(lines: list[str], start: int, end: int) -> LineDict | None:
    try:
        meta = load_yaml(_yaml(lines, start, end), line_offset=start)
    except SourceError:
        return None
    return meta if isinstance(meta, LineDict) else None


def _means(old: LineDict, new: LineDict, date, by, note, next_date) -> bool:
    """The new file says what the old one said, plus the review and the new review date."""
    rest = lambda meta: {k: v for k, v in meta.items() if k not in (REVIEWED, "review_date")}  # noqa: E731
    added = {"date": date, "by": by, "note": note}
    return (rest(old) == rest(new) and new.get("review_date") == next_date
            and new.get(REVIEWED) == [*(old.get(REVIEWED) or []), added]
            and [k for k, _ in repeated_keys(new)] == [k for k, _ in repeated_keys(old)])


def _attempts(lines, start, end, old: LineDict, date, by, note, next_date, newline):
    """Ways to write the change, most natural first; the first that reads back right is taken."""
    dated = list(lines)
    date_index = None
    if "review_date" in old:
        date_index = old.line_of("review_date") - 1
        match = re.match(_KEY_VALUE.format(key="review_date"), dated[date_index].rstrip("\r\n"))
        if not match:
            return
        ending = dated[date_index][len(dated[date_index].rstrip("\r\n")):] or newline
        dated[date_index] = f"{match['head']} {next_date.isoformat()}{match['tail'] or ''}{ending}"
    else:  # a governed file without one is already an error; add it at the end
        dated = _insert(dated, end, [f"review_date: {next_date.isoformat()}{newline}"], newline)
        end += 1
    value = old.get(REVIEWED)
    if REVIEWED not in old:
        block = [f"{REVIEWED}:{newline}", *entry_lines(date, by, note, "  - ", newline)]
        if date_index is not None:
            yield _insert(dated, date_index + 1, block, newline)
        yield _insert(dated, end, block, newline)
        return
    key_index = old.line_of(REVIEWED) - 1
    key_line = dated[key_index].rstrip("\r\n")
    match = re.match(_KEY_VALUE.format(key=REVIEWED), key_line)
    if not value:  # `reviewed:` with nothing, ~ or []
        if match and _EMPTY.match(match["value"].strip()):
            ending = dated[key_index][len(key_line):] or newline
            replaced = dated[:key_index] + [f"{match['head']}{match['tail'] or ''}{ending}"] + dated[key_index + 1:]
            yield _insert(replaced, key_index + 1, entry_lines(date, by, note, "  - ", newline), newline)
        return
    if not match or match["value"].strip():  # a list written on the key's own line: [ ... ]
        return
    last, dash = _block_end(dated, key_index, end)
    if last is not None:
        yield _insert(dated, last + 1, entry_lines(date, by, note, dash, newline), newline)


def _block_end(lines: list[str], key_index: int, end: int) -> tuple[int | None, str]:
    """The last line of the block list under the key, and the dash of its first item (`  - `)."""
    key_indent = len(lines[key_index]) - len(lines[key_index].lstrip(" \t"))
    last, dash = None, None
    for index in range(key_index + 1, end):
        line = lines[index].rstrip("\r\n")
        indent = len(line) - len(line.lstrip(" \t"))
        if not line.strip() or _COMMENT.match(line):
            continue
        item = _ITEM.match(line)
        if indent > key_indent or (item and indent == key_indent):
            last = index
            if dash is None and item:
                dash = line[:item.end() - 1]
            continue
        break
    return last, dash or " " * key_indent + "  - "


def _insert(lines: list[str], index: int, new: list[str], newline: str) -> list[str]:
    before = list(lines[:index])
    if before and not before[-1].endswith(("\n", "\r")):
        before[-1] += newline
    return before + new + lines[index:]


def _describe(old: LineDict, new: LineDict, next_date: dt.date) -> list[str]:
    entry = new[REVIEWED][-1]
    first, last = entry.line, max(entry.lines.values())
    before = old.get("review_date")
    was = before.isoformat() if isinstance(before, dt.date) else (str(before) if before not in (None, "") else "")
    date_change = f"ändrat från {was} till {next_date.isoformat()}" if was else f"tillagt: {next_date.isoformat()}"
    return [f"rad {first}–{last}: ny granskning under reviewed",
            f"rad {new.line_of('review_date')}: review_date {date_change}"]
