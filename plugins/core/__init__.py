"""The handbook domain: documents, processes, Klassa, roles, review status and the catalog.

Nothing in this package imports MkDocs, so the same core can serve another site generator.
"""
