"""The Klassa tree: Klassa 2.1 (VT, VO, PG) built in, plus the handbook's own codes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from .problems import Problems, did_you_mean
from .source import LineDict, load_yaml

CODE = re.compile(r"^[0-9]+(\.[0-9]+)*$")
LEVEL_NAMES = {1: "Verksamhetstyp", 2: "Verksamhetsområde", 3: "Processgrupp"}
PROCESS_KINDS = {"1": "Ledningsprocesser", "2": "Stödprocesser", "3": "Kärnprocesser"}


def code_key(code: str) -> tuple:
    """Sort codes numerically by part: 2.9 before 2.10."""
    return tuple(int(part) if part.isdigit() else 10**9 for part in str(code).split("."))


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


@dataclass
class KlassaNode:
    code: str
    name: str
    local: bool = False
    children: list[str] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1

    @property
    def level(self) -> str:
        return LEVEL_NAMES.get(self.depth, "Lokal nivå")

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


class KlassaTree:
    def __init__(self) -> None:
        self.nodes: dict[str, KlassaNode] = {}

    def __contains__(self, code: object) -> bool:
        return str(code) in self.nodes

    def __getitem__(self, code: str) -> KlassaNode:
        return self.nodes[code]

    def add(self, code: str, name: str, local: bool = False) -> None:
        self.nodes[code] = KlassaNode(code, name, local)
        parent = parent_code(code)
        if parent in self.nodes:
            self.nodes[parent].children.append(code)
            self.nodes[parent].children.sort(key=code_key)

    def ancestors(self, code: str) -> list[str]:
        """The code's chain from its VT down to itself."""
        chain = []
        while code is not None:
            chain.append(code)
            code = parent_code(code)
        return list(reversed(chain))

    def roots(self) -> list[str]:
        return sorted((c for c in self.nodes if "." not in c), key=code_key)

    def hint(self, code: object) -> str:
        return did_you_mean(code, self.nodes)


def builtin_tree() -> KlassaTree:
    data = load_yaml(resources.files("handbook").joinpath("data/klassa-2.1.yaml").read_text("utf-8"))
    tree = KlassaTree()
    for vt_code, vt in data["vt"].items():
        tree.add(vt_code, vt["name"])
        for vo_code, vo in vt["vo"].items():
            tree.add(vo_code, vo["name"])
            for pg_code, pg_name in vo["pg"].items():
                tree.add(pg_code, pg_name)
    return tree


def add_local_codes(tree: KlassaTree, data: object, problems: Problems) -> None:
    """Add `processes/klassa.yml` (code: name) to the tree; parents before children."""
    if data is None:
        return
    if not isinstance(data, LineDict):
        problems.error(1, "klassa.yml ska vara en mappning kod: namn, t.ex. \"2.3.2.1\": Rekrytering")
        return
    for code in sorted(data, key=code_key):
        line, name = data.line_of(code), data[code]
        if not CODE.match(code):
            problems.error(line, f"\"{code}\" är ingen Klassa-kod; skriv siffror med punkt emellan, t.ex. \"2.3.2.1\"")
        elif not isinstance(name, str) or not name.strip():
            problems.error(line, f"Klassa-koden {code} saknar namn; skriv \"{code}\": Namn")
        elif code in tree and not tree[code].local:
            problems.warning(line, f"{code} finns redan i Klassa 2.1 ({tree[code].name}); ta bort raden")
        elif parent_code(code) not in tree:
            problems.error(line, f"{code} saknar överordnad kod {parent_code(code)} i Klassa; lägg till den först eller rätta koden.{tree.hint(parent_code(code))}")
        else:
            tree.add(code, name.strip(), local=True)
