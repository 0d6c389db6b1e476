"""Reading files written by people: text decoding, front matter and YAML that loses nothing.

YAML 1.1 turns `klassa: 2.10` into the number 2.1 and `Nej` or `no` into False. Authors do
not quote the way YAML wants, so the loader here keeps every plain scalar as text, except
`null`, `true`/`false` and ISO dates. Every mapping remembers the line of each of its keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

MAX_YAML_BYTES = 1_000_000

_KEPT_TAGS = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}
_BOOL_1_2 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_OPENING = re.compile(r"\A-{3}[ \t]*\n")
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.S)


class LineDict(dict):
    """A mapping from YAML that knows the line of itself and of each key (1-based)."""

    line: int = 1
    lines: dict
    duplicates: list

    def line_of(self, key: str, default: int | None = None) -> int:
        return self.lines.get(key, self.line if default is None else default)


class SourceError(Exception):
    """A file that cannot be read as intended; carries the line to report."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _LosslessLoader(yaml.SafeLoader):
    line_offset = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise ComposerError(None, None, "YAML-alias (*namn) stöds inte; skriv ut värdet", mark)
        return super().compose_node(parent, index)

    def construct_line_map(self, node):
        data = self._empty_line_map(node)
        yield data
        if not isinstance(node, yaml.MappingNode):
            raise ConstructorError(None, None, "väntade en mappning", node.start_mark)
        self._fill_line_map(data, node, lambda value_node: self.construct_object(value_node, deep=True))

    def _empty_line_map(self, node) -> LineDict:
        data = LineDict()
        data.line = node.start_mark.line + 1 + self.line_offset
        data.lines, data.duplicates = {}, []
        return data

    def _fill_line_map(self, data: LineDict, node, value_of) -> None:
        """Each key of the mapping node as text, its value by `value_of`, its line and any repeats."""
        for key_node, value_node in node.value:
            key = _key_text(value_of(key_node))
            line = key_node.start_mark.line + 1 + self.line_offset
            if key in data:
                data.duplicates.append((key, line))
            data[key] = value_of(value_node)
            data.lines[key] = line

    def construct_timestamp(self, node):
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_bool_1_2(self, node):
        return self.construct_scalar(node).lower() == "true"


def repeated_keys(data, path: str = "") -> list[tuple[str, int]]:
    """Every key written twice in a mapping, at any depth: (where, line), e.g. ("steps[2].role", 14)."""
    found: list[tuple[str, int]] = []
    if isinstance(data, LineDict):
        found += [(f"{path}.{key}" if path else key, line) for key, line in data.duplicates]
        for key, value in data.items():
            found += repeated_keys(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for number, value in enumerate(data, 1):
            found += repeated_keys(value, f"{path}[{number}]")
    return sorted(found, key=lambda item: item[1])


def _key_text(key) -> str:
    if isinstance(key, (dict, list)):
        raise ConstructorError(None, None, "en nyckel kan inte vara en lista eller mappning", None)
    if key is None:
        return ""
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


_LosslessLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in _KEPT_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LosslessLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL_1_2, list("tTfF"))
_LosslessLoader.add_constructor("tag:yaml.org,2002:map", _LosslessLoader.construct_line_map)
_LosslessLoader.add_constructor("tag:yaml.org,2002:timestamp", _LosslessLoader.construct_timestamp)
_LosslessLoader.add_constructor("tag:yaml.org,2002:bool", _LosslessLoader.construct_bool_1_2)
# The first characters that some implicit type (null, true/false, a date) can start with; a plain
# scalar starting otherwise is text. Valid while the loader has no path and no wildcard resolvers.
_RESOLVED_FIRST = frozenset(first for first, resolvers in _LosslessLoader.yaml_implicit_resolvers.items() if resolvers)
_SHORT_RESOLVE = not _LosslessLoader.yaml_path_resolvers and None not in _LosslessLoader.yaml_implicit_resolvers


try:
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _CParser = None

if _CParser is not None:
    class _LosslessCLoader(_CParser, _LosslessLoader):
        """The same loader with libyaml's parser and composer: several times faster."""

        def __init__(self, stream):
            _CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.flow_spans: list[tuple[int, int]] = []  # where [ ] and { } collections stand in the text

        def flow_question(self, text: str) -> bool:
            """Whether a "?" stands inside a flow collection, where the two readers differ: the Python
            reader refuses `[komplett?]` and reads `[? a]` its own way. A "?" elsewhere (a decision's
            name, "Är ansökan komplett?") reads the same, so such a file with lists stays on the fast way."""
            if not self.flow_spans or "?" not in text:
                return False
            marks = [i for i, char in enumerate(text) if char == "?"]
            return any(start <= mark < end for start, end in self.flow_spans for mark in marks)

        def resolve(self, kind, value, implicit):
            """Resolver.resolve, which libyaml's composer asks for every scalar, answered at once for the
            common case with the answer it would give: a quoted scalar, or a plain one whose first character
            starts no implicit type, is text (issue 19: a tenth of the time of reading front matter)."""
            if _SHORT_RESOLVE and kind is yaml.ScalarNode and (not implicit[0] or (value and value[0] not in _RESOLVED_FIRST)):
                return self.DEFAULT_SCALAR_TAG
            return super().resolve(kind, value, implicit)

        def get_single_data(self):
            """Ordinary YAML has no tags, aliases or merge keys to construct: read the node tree directly."""
            node = self.get_single_node()
            return None if node is None else self._data(node)

        def _data(self, node):
            if isinstance(node, yaml.ScalarNode):
                if node.tag == "tag:yaml.org,2002:str":
                    return node.value
                return self.construct_object(node)  # null, true/false or a date: rare, the careful way
            if node.flow_style:
                self.flow_spans.append((node.start_mark.index, node.end_mark.index))
            if isinstance(node, yaml.SequenceNode):
                return [self._data(item) for item in node.value]
            data = self._empty_line_map(node)
            self._fill_line_map(data, node, self._data)
            return data
else:  # pragma: no cover
    _LosslessCLoader = None


# Where libyaml and PyYAML's Python reader differ (tabs, BOMs, Unicode line breaks, control
# characters, tags, a block scalar's header before a comment) and aliases, which only the Python composer refuses.
# Two patterns searched one after the other: one with both alternatives is about seven times slower.
_UNORDINARY = re.compile("[*!\t\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_BLOCK_HEADER_COMMENT = re.compile("[|>][-+0-9]*#")


def _fast_path(text: str) -> bool:
    """Ordinary YAML is read by libyaml; anything else, and deep flow nesting (libyaml's
    composer recurses in C), the careful way."""
    flow = text.count("[") + text.count("{")
    return _LosslessCLoader is not None and not _unordinary(text) and flow < 200


def _unordinary(text: str) -> bool:
    return bool(_UNORDINARY.search(text) or (("|" in text or ">" in text) and _BLOCK_HEADER_COMMENT.search(text)))


def load_yaml(text: str, line_offset: int = 0):
    """Parse YAML without losing text; raise SourceError with the line of the problem."""
    if len(text.encode("utf-8", "replace")) > MAX_YAML_BYTES:
        raise SourceError(1 + line_offset, f"YAML-innehållet är större än {MAX_YAML_BYTES // 1000} kB; dela upp filen")
    if _fast_path(text):
        loader = _LosslessCLoader(text)
        loader.line_offset = line_offset
        try:
            data = loader.get_single_data()
            if not loader.flow_question(text):
                return data
        except (yaml.YAMLError, RecursionError, ValueError):
            pass  # read again below, so that every problem is worded and placed the same way
        finally:
            loader.dispose()
    loader = None
    try:
        loader = _LosslessLoader(text)
        loader.line_offset = line_offset
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark, message = _explain(exc)
        line = (mark.line + 1 if mark else 1) + line_offset
        raise SourceError(line, f"YAML kan inte läsas: {message}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        raise SourceError(line, f"filen innehåller ett tecken som inte får förekomma (kod {exc.character!r}); ta bort det") from None
    except yaml.YAMLError as exc:
        raise SourceError(1 + line_offset, f"YAML kan inte läsas: {exc}") from None
    except RecursionError:
        raise SourceError(1 + line_offset, "YAML-innehållet är för djupt nästlat") from None
    finally:
        if loader is not None:
            loader.dispose()


def _explain(exc: yaml.MarkedYAMLError):
    """Where the mistake starts (not where PyYAML gave up) and what it is, in Swedish."""
    problem, context = str(exc.problem or ""), str(exc.context or "")
    at, start = exc.problem_mark or exc.context_mark, exc.context_mark or exc.problem_mark
    if "quoted scalar" in context and "end of stream" in problem:
        return start, "citattecknet som börjar på raden stängs aldrig. Avsluta värdet med samma citattecken (\" eller ')"
    if "unknown escape character" in problem:
        return at, ("okänt tecken efter \\ inom dubbla citattecken (t.ex. C:\\mapp). Använd enkla citattecken "
                    "eller skriv \\\\")
    if "mapping values are not allowed" in problem:
        return at, "ett kolon följt av mellanslag står mitt i ett värde. Sätt värdet inom citattecken, t.ex. title: \"Rutin: ny\""
    if "found character '\\t'" in problem or "tab character" in problem:
        return at, "ett tabbtecken används för indrag. Använd mellanslag"
    if "cannot start any token" in problem:
        character = problem.split("'")[1] if problem.count("'") >= 2 else "tecknet"
        return at, f"ett värde kan inte börja med {character}. Sätt värdet inom citattecken"
    if "flow sequence" in context:
        return start, "en lista som börjar med [ på raden stängs inte med ], eller saknar komma mellan värdena"
    if "flow mapping" in context:
        return start, "en mappning som börjar med { på raden stängs inte med }, eller saknar komma mellan värdena"
    if "could not find expected ':'" in problem:
        return start, "raden saknar kolon efter nyckeln (skriv nyckel: värde)"
    if "single document" in context:
        return at, "en rad med bara --- delar filen i flera YAML-dokument. Ta bort raden"
    if "'<scalar>'" in problem:
        return at, "text står efter ett värde inom citattecken. Sätt hela värdet inom citattecknen"
    if "expected <block end>" in problem or "expected key" in problem or "'-' indicator" in problem:
        return at, "indraget stämmer inte med raderna ovanför. Dra in raden lika mycket som de nycklar den hör till"
    if "alias" in problem.lower():
        return at, problem
    return at, "raden går inte att läsa som YAML. Kontrollera indrag, kolon och citattecken"


def decode(data: bytes) -> tuple[str, SourceError | None]:
    """Decode a file as UTF-8; text saved as Windows-1252 is still read, with an error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
        problem = None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        text = data.decode("cp1252", errors="replace")
        problem = SourceError(line, "Filen är inte sparad som UTF-8 (den lästes som Windows-1252); spara om den som UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""), problem


@dataclass
class FrontMatter:
    """A Markdown file split the way MkDocs splits it, with its metadata read losslessly."""

    meta: LineDict = field(default_factory=LineDict)
    body: str = ""
    body_line: int = 1
    error: SourceError | None = None
    has_block: bool = False


def split_front_matter(text: str) -> FrontMatter:
    match = _FRONT_MATTER.match(text)
    if not match:
        result = FrontMatter(body=text)
        result.meta.lines, result.meta.duplicates = {}, []
        stripped = text.lstrip(" \t\n")
        if _OPENING.match(text):
            result.error = SourceError(1, "front matter saknar avslutande rad med ---")
        elif _FRONT_MATTER.match(stripped):
            line = text.count("\n", 0, len(text) - len(stripped)) + 1
            result.error = SourceError(line, "front matter måste börja på filens första rad; ta bort de tomma raderna före ---")
        return result
    yaml_text = match.group(1) or ""
    rest = text[match.end():]
    body = rest.lstrip("\n")
    body_line = text.count("\n", 0, match.end()) + (len(rest) - len(body)) + 1
    result = FrontMatter(body=body, body_line=body_line, has_block=True)
    result.meta.lines, result.meta.duplicates = {}, []
    try:
        data = load_yaml(yaml_text, line_offset=1)
    except SourceError as exc:
        result.error = exc
        return result
    if data is None:
        return result
    if not isinstance(data, LineDict):
        result.error = SourceError(2, "front matter ska vara nycklar med värden (key: value)")
        return result
    result.meta = data
    return result
