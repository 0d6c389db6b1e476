"""`handbook check`: every problem of the handbook, one per line, then a summary."""

from __future__ import annotations

import argparse

from ..core.handbook import Handbook
from ..core.problems import Problem, summary
from ..site.project import load_project


def register(sub) -> None:
    parser = sub.add_parser("check", help="kontrollera docs/ och processes/ och skriv ut alla fel och varningar")
    parser.set_defaults(run=run)


def load(args: argparse.Namespace) -> Handbook:
    return load_project(args.root).handbook()


def macro_problems(handbook: Handbook) -> list[Problem]:
    """Wrong macro calls on the pages that opt in to macros. Checked here only: the build reports them as it
    renders each page. Jinja and the selections are imported only when a page opts in (a tenth of a second)."""
    pages = [doc for doc in handbook.documents.values() if doc.meta.get("render_macros") is True]
    if not pages:
        return []
    from ..core.macro_calls import problems_of_calls
    return [p for doc in pages for p in problems_of_calls(handbook, doc)]


def run(args: argparse.Namespace) -> int:
    handbook = load(args)
    problems = sorted(handbook.problems + macro_problems(handbook))
    for problem in problems:
        print(problem)
    print(summary(problems, handbook.files_read))
    return 1 if any(p.is_error for p in problems) else 0
