"""Subcommands of `handbook`: each module has `register(subparsers)` that sets `run`."""

from . import archive, as_of, bpmn, check, export, new, preview, publish, remind, report, review, schema, pdf

COMMANDS = [check, new, review, schema, report, remind, publish, preview, export, as_of, bpmn, pdf, archive]
