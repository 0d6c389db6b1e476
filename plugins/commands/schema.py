"""`handbook schema document|process`: the JSON Schema that editors use to check while authors type."""

from __future__ import annotations

import argparse
import json

from ..core.schemas import SCHEMA_KINDS, schema
from ..site.project import load_project


def register(sub) -> None:
    parser = sub.add_parser("schema", help="skriv ut JSON Schema för front matter i dokument, för processfiler eller för kravregistret")
    parser.add_argument("kind", choices=SCHEMA_KINDS, help="document (front matter i docs/), process (processes/*.yml) eller requirements (processes/krav.yml)")
    parser.set_defaults(run=run)


def render(kind: str, doc_types) -> str:
    """The schema as it is committed under schemas/: stable key order, UTF-8, a final newline."""
    return json.dumps(schema(kind, doc_types), ensure_ascii=False, indent=2) + "\n"


def run(args: argparse.Namespace) -> int:
    layout = load_project(args.root)
    print(render(args.kind, layout.settings.doc_types), end="")
    return 0
