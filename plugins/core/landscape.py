"""The process landscape: ledningsprocesser above, kärnprocesser as the main flow, stödprocesser below."""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import swedish_key
from .handbook import Handbook
from .klassa import PROCESS_KINDS, KlassaNode, code_key
from .processes import Process

MANAGEMENT, SUPPORT, CORE = "1", "2", "3"


@dataclass
class Group:
    """The published processes under one verksamhetsområde (or directly at the VT: node is the VT)."""

    node: KlassaNode
    processes: list[Process] = field(default_factory=list)


@dataclass
class Band:
    code: str
    title: str
    groups: list[Group] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(g.processes) for g in self.groups)


@dataclass
class Landscape:
    management: Band
    core: Band
    support: Band
    unclassified: list[Process] = field(default_factory=list)

    def count(self) -> int:
        return self.management.count() + self.core.count() + self.support.count() + len(self.unclassified)


def landscape(handbook: Handbook) -> Landscape:
    """Published processes by VT and verksamhetsområde, in code order; without a valid code apart."""
    bands = {code: Band(code, PROCESS_KINDS[code]) for code in (MANAGEMENT, SUPPORT, CORE)}
    groups: dict[str, Group] = {}
    unclassified = []
    order = sorted(handbook.published_processes(), key=lambda p: (code_key(p.klassa), swedish_key(p.name), p.id))
    for process in order:
        chain = handbook.klassa.ancestors(process.klassa) if process.klassa in handbook.klassa else []
        if not chain or chain[0] not in bands:
            unclassified.append(process)
            continue
        group_code = chain[1] if len(chain) > 1 else chain[0]
        if group_code not in groups:
            groups[group_code] = Group(handbook.klassa[group_code])
            bands[chain[0]].groups.append(groups[group_code])
        groups[group_code].processes.append(process)
    return Landscape(bands[MANAGEMENT], bands[CORE], bands[SUPPORT], unclassified)
