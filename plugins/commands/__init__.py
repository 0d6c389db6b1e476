"""Subcommands of `handbook`: each module has `register(subparsers)` that sets `run`."""

from . import bpmn, check, export, new, preview, publish, remind, report, review, schema

COMMANDS = [check, new, review, schema, report, remind, publish, preview, export, bpmn]
