"""Subcommands of `handbook`: each module has `register(subparsers)` that sets `run`."""

from . import check, new, preview, publish, remind, report, schema

COMMANDS = [check, new, schema, report, remind, publish, preview]
