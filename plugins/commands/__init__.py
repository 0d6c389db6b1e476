"""Subcommands of `handbook`: each module has `register(subparsers)` that sets `run`.

A command's module is imported only when it is needed: `handbook check` should not pay for
importing PDF, BPMN, lxml and the other commands' dependencies (issue 19: check ≤ 1 s). When the
command line names one command (only `--root` before it), `cli.parser` registers that one alone;
otherwise (`--help`, no command, a wrong one) every command is registered, in this order.
"""

from __future__ import annotations

import importlib

# command name → module in this package, in the order `handbook --help` lists them
COMMANDS = {"check": "check", "new": "new", "review": "review", "schema": "schema", "report": "report",
            "remind": "remind", "publish": "publish", "preview": "preview", "export": "export",
            "as-of": "as_of", "import": "bpmn", "pdf": "pdf", "archive": "archive"}


def module(name: str):
    """The module of the command `name` (a key of COMMANDS), imported now if it was not."""
    return importlib.import_module(f".{COMMANDS[name]}", __name__)


def named_command(argv: list[str]) -> str | None:
    """The command that argv names for certain: the first argument, after nothing but `--root MAPP`
    (or `--root=MAPP`, or an abbreviation argparse accepts, e.g. `--ro`); None for anything else."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in COMMANDS:
            return arg
        option, equals, _ = arg.partition("=")
        if len(option) < 3 or not "--root".startswith(option):
            return None
        i += 1 if equals else 2
    return None
