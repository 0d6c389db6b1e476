"""The `handbook` command speaks Swedish also when it refuses what it was given (argparse's own texts)."""

from __future__ import annotations

import subprocess

import pytest

from conftest import BIN, environment

ENGLISH = ("usage:", "error:", "invalid choice", "unrecognized", "required", "expected", "choose from",
           "not allowed", "options:", "show this help")


def handbook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "handbook"), *args], env=environment(), capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("args, swedish", [
    (["frobnicate"], "handbook: fel: argumentet KOMMANDO: ogiltigt val: 'frobnicate' (välj bland 'check',"),
    (["check", "--nope"], "handbook: fel: okända argument: --nope"),
    (["report", "--format", "xml"], "handbook report: fel: argumentet --format: ogiltigt val: 'xml'"),
    (["new"], "handbook new: fel: de här argumenten saknas: TYP, SÖKVÄG"),
    (["preview", "--klassa"], "handbook preview: fel: argumentet --klassa: ett värde saknas"),
    (["remind", "--smtp", "a", "--out", "b"], "handbook remind: fel: argumentet --out: kan inte användas tillsammans med --smtp"),
])
def test_refusals_are_in_swedish(args, swedish):
    result = handbook(*args)
    assert result.returncode == 2
    assert swedish in result.stderr and result.stderr.startswith("användning: handbook")
    assert not any(word in result.stderr for word in ENGLISH), result.stderr
    assert "Traceback" not in result.stderr


def test_help_is_in_swedish():
    for args in (["-h"], ["report", "-h"], ["new", "--help"]):
        result = handbook(*args)
        assert result.returncode == 0
        assert result.stdout.startswith("användning: handbook") and "flaggor:" in result.stdout
        assert "visa den här hjälpen och avsluta" in result.stdout
        assert not any(word in result.stdout for word in ENGLISH), result.stdout


def test_a_named_command_imports_only_its_own_module():
    """`handbook check` imports no other command's module (issue 19: check ≤ 1 s); the list of commands stays whole."""
    from handbook import cli, commands

    code = ("import sys; from handbook import cli; cli.parser(['--root', 'x', 'check']); "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('handbook.commands.') or m == 'lxml')))")
    imported = subprocess.run([str(BIN / "python"), "-c", code], env=environment(), capture_output=True, text=True, timeout=60)
    assert imported.stdout.split() == ["handbook.commands.check"], imported.stderr
    for argv, named in [(["check"], "check"), (["--root", "x", "as-of", "2025-01-01"], "as-of"), (["--root=check", "import"], "import"),
                        (["--ro", "check", "report"], "report"), (["-h", "check"], None), (["--root"], None), (["checks"], None),
                        (["--help"], None), (["x", "check"], None), ([], None)]:
        assert commands.named_command(argv) == named, argv
    # the one command registered alone is the same as among all of them: same options, same help
    alone, whole = cli.parser(["check"]), cli.parser(None)
    listed = whole._subparsers._group_actions[0].choices
    assert list(listed) == list(commands.COMMANDS) and len(listed) == 13
    assert alone._subparsers._group_actions[0].choices["check"].format_help() == listed["check"].format_help()
    for name in commands.COMMANDS:  # each one's Swedish help is in `handbook --help`
        help_text = next(a.help for a in whole._subparsers._group_actions[0]._choices_actions if a.dest == name)
        assert help_text and help_text in " ".join(whole.format_help().split())
