"""Processhandboken: a docs-as-code process handbook for Swedish municipalities.

`handbook.core` holds the domain and imports nothing from MkDocs; `handbook.site`
adapts it to MkDocs; `handbook.cli` is the `handbook` command.
"""
