"""Options of the `handbook` MkDocs plugin; each mirrors a setting of the core."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..core.documents import DEFAULT_DOC_TYPES


class HandbookConfig(Config):
    # Folder of process files, roles.yml and klassa.yml, relative to mkdocs.yml.
    processes_dir = c.Type(str, default="processes")
    # Days before the review date when a document counts as due ("ska revideras snart").
    due_days = c.Type(int, default=60)
    # Highest K level (informationsklassning) that is published; anything above is left out.
    classification_limit = c.Type(int, default=1)
    # The document types (dokumenttyper) authors may use, in the order documents are listed.
    doc_types = c.ListOfItems(c.Type(str), default=list(DEFAULT_DOC_TYPES))
    # Name of the machine-readable catalog written at the site root.
    catalog_file = c.Type(str, default="handbook.json")
