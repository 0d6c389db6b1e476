"""The `handbook` command: check, and the other tasks of document owners and the nightly build."""

from __future__ import annotations

import argparse
import sys

from .commands import COMMANDS
from .core.handbook import SettingsError


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="handbook", description="Processhandboken: kontrollera och publicera handboken.")
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
