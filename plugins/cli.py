"""The `handbook` command: check, and the other tasks of document owners and the nightly build."""

from __future__ import annotations

import argparse
import sys

from .commands import COMMANDS
from .core.handbook import SettingsError


class _SwedishFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class _SwedishParser(argparse.ArgumentParser):
    """argparse with the words an author reads in Swedish."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _SwedishFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument("-h", "--help", action="help", help="visa den här hjälpen och avsluta")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {message}\n")


def parser() -> argparse.ArgumentParser:
    main = _SwedishParser(prog="handbook", description="Processhandboken: kontrollera och publicera handboken.")
    main.add_argument("--root", default=".", help="handbokens mapp (där mkdocs.yml, docs/ och processes/ finns); standard: aktuell mapp")
    sub = main.add_subparsers(dest="command", metavar="KOMMANDO")
    for command in COMMANDS:
        command.register(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not getattr(args, "run", None):
        parser().print_help()
        return 2
    try:
        return args.run(args)
    except SettingsError as exc:
        print(f"handbook: fel: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last guard: never a traceback for an author
        print(f"handbook: internt fel ({type(exc).__name__}: {exc}). Rapportera felet till handbokens förvaltare.", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
