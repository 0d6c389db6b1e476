"""Subcommands of `handbook`: each module has `register(subparsers)` that sets `run`."""

from . import check, publish, remind, report, schema

COMMANDS = [check, schema, report, remind, publish]
