"""`handbook check`: every problem of the handbook, one per line, then a summary."""

from __future__ import annotations

import argparse

from ..core.handbook import Handbook
from ..core.macro_calls import problems_of_calls
from ..core.problems import summary
from ..site.project import load_project


def register(sub) -> None:
    parser = sub.add_parser("check", help="kontrollera docs/ och processes/ och skriv ut alla fel och varningar")
    parser.set_defaults(run=run)


def load(args: argparse.Namespace) -> Handbook:
    return load_project(args.root).handbook()


def run(args: argparse.Namespace) -> int:
    handbook = load(args)
    # Macro calls are checked here only: the build reports them as it renders each page.
    problems = sorted(handbook.problems + [p for doc in handbook.documents.values() for p in problems_of_calls(handbook, doc)])
    for problem in problems:
        print(problem)
    print(summary(problems, handbook.files_read))
    return 1 if any(p.is_error for p in problems) else 0
