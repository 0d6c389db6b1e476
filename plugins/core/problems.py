"""Problems found in a handbook, reported as `PATH:LINE: error|warning: MESSAGE`."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass
class Problems:
    """Collects every problem of one file, so that one run reports them all."""

    path: str
    items: list[Problem] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.items.append(Problem(self.path, line, ERROR, message))

    def warning(self, line: int, message: str) -> None:
        self.items.append(Problem(self.path, line, WARNING, message))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.items)


def did_you_mean(word: object, candidates) -> str:
    """A Swedish hint naming the closest candidate, or nothing when none is close."""
    matches = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1, cutoff=0.6)
    return f" Menade du \"{matches[0]}\"?" if matches else ""


def summary(problems: list[Problem], files: int) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    files_word = "fil" if files == 1 else "filer"
    warnings_word = "varning" if warnings == 1 else "varningar"
    return f"{errors} fel, {warnings} {warnings_word} i {files} {files_word}."
