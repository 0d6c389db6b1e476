"""Subcommands of `handbook`: each module has `register(subparsers)` that sets `run`."""

from . import check, publish, remind, report, schema, new

COMMANDS = [check, new, schema, report, remind, publish]
