"""Subcommands of `handbook`: each module has `register(subparsers)` that sets `run`."""

from . import check

COMMANDS = [check]
