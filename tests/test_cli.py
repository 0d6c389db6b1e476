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
