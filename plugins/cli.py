"""The `handbook` command: check, and the other tasks of document owners and the nightly build."""

from __future__ import annotations

import argparse
import sys

from . import engine

engine.load()  # before any command imports MkDocs: ProperDocs answers `import mkdocs` only then

from . import commands  # noqa: E402
from .core.handbook import SettingsError  # noqa: E402


# argparse marks every text it shows for gettext; these are the ones a user of `handbook` can
# meet, in Swedish. Anything not listed (a new Python's new wording) stays English.
_SWEDISH = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "okända argument: %s",
    "not allowed with argument %s": "kan inte användas tillsammans med %s",
    "ignored explicit argument %r": "flaggan tar inget värde: %r",
    "the following arguments are required: %s": "de här argumenten saknas: %s",
    "one of the arguments %s is required": "ett av argumenten %s krävs",
    "expected one argument": "ett värde saknas",
    "expected at most one argument": "högst ett värde får anges",
    "expected at least one argument": "minst ett värde krävs",
    "expected %s argument": "%s värde krävs",
    "expected %s arguments": "%s värden krävs",
    "ambiguous option: %(option)s could match %(matches)s": "flaggan %(option)s är tvetydig; menar du %(matches)s?",
    "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
}


def _swedish(message: str) -> str:
    return _SWEDISH.get(message, message)


def _swedish_plural(singular: str, plural: str, count: int) -> str:
    return _swedish(singular if count == 1 else plural)


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line; with `argv` that names one command, only that command's module is imported."""
    argparse._, argparse.ngettext = _swedish, _swedish_plural  # argparse's gettext hooks: Swedish texts
    main = argparse.ArgumentParser(prog="handbook", description="Processhandboken: kontrollera och publicera handboken.")
    main.add_argument("--root", default=".", help="handbokens mapp (där mkdocs.yml, docs/ och processes/ finns); standard: aktuell mapp")
    sub = main.add_subparsers(dest="command", metavar="KOMMANDO")
    named = commands.named_command(argv) if argv is not None else None
    for name in [named] if named else commands.COMMANDS:
        commands.module(name).register(sub)
    return main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser(argv).parse_args(argv)
    if not getattr(args, "run", None):
        parser().print_help()
        return 2
    try:
        return args.run(args)
    except (SettingsError, engine.EngineError) as exc:
        print(f"handbook: fel: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last guard: never a traceback for an author
        print(f"handbook: internt fel ({type(exc).__name__}: {exc}). Rapportera felet till handbokens förvaltare.", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
