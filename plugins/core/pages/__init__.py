"""Pages the handbook generates from the catalog: Markdown rendered from Jinja templates.

Each module here has `pages(handbook, site) -> dict[src_uri, markdown]`. Values from the
handbook reach the Markdown only through the `md` and `e` filters or inside HTML blocks
rendered with autoescape, so an author's text is never read as Markdown or HTML.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import urls
from ..governance import REVIEW_LABELS, STATE_CLASSES, STATE_LABELS
from ..handbook import Handbook
from ..urls import document_url
from ..views import doc_type_label
from ..html_blocks import HtmlBlocks

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:^=])")


def md(text: object) -> str:
    """Text that Markdown shows as written: HTML-escaped and every special character escaped."""
    escaped = jinja2.utils.markupsafe.escape(str(text)).replace("\n", " ")
    return jinja2.utils.markupsafe.Markup(_MD_SPECIAL.sub(r"\\\1", str(escaped)))


@jinja2.pass_context
def rel(context, url: str) -> str:
    return urls.relative(context["page_url"], url)


@jinja2.pass_context
def html_block(context, html: str, search: bool = True, stand_in: str | None = None) -> str:
    return context["html_blocks"].carry(html, search=search, stand_in=stand_in)


def _yaml_string(text: object) -> str:
    """A YAML string for front matter (JSON is YAML); not HTML, so not HTML-escaped."""
    return jinja2.utils.markupsafe.Markup(json.dumps(str(text), ensure_ascii=False))


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
_ENV.filters.update(md=md, rel=rel, yaml_string=_yaml_string, html_block=html_block)
_ENV.globals.update(doc_url=lambda doc: document_url(doc.path), process_url=urls.process_url, role_url=urls.role_url,
                    doc_type_label=doc_type_label, state_labels=STATE_LABELS, state_classes=STATE_CLASSES,
                    review_labels=REVIEW_LABELS)


@dataclass
class SiteInfo:
    """What generated pages need to know of the site being built."""

    previous_catalog: dict | None = None  # handbook.json of the previous published version
    catalog: dict | None = None  # this version's handbook.json (core/catalog.py)
    stamp: dict | None = None  # this version's stamp (core/publishing.py)
    blocks: HtmlBlocks = field(default_factory=HtmlBlocks)  # the build's HTML blocks (html_blocks.py)
    guide_folder: str = ""  # the writing guide's folder in docs/ (option guide_folder)
    accessibility: object = None  # the accessibility statement's settings (accessibility.Statement)

    def url_of(self, src_uri: str) -> str:
        return document_url(src_uri)


def _maturity_level(handbook: Handbook, process) -> int:
    from ..maturity import maturity
    return maturity(handbook, process).level


_ENV.globals["maturity_level"] = _maturity_level


def render(template: str, src_uri: str, site: SiteInfo, **context) -> str:
    return _ENV.get_template(template).render(page_url=site.url_of(src_uri), html_blocks=site.blocks, **context)


def generated_pages(handbook: Handbook, site: SiteInfo) -> dict[str, str]:
    from . import accessibility, changes, klassa, maturity, processes, requirements, revision, roles, start

    result: dict[str, str] = {}
    for module in (klassa, processes, roles, revision, changes, accessibility, maturity, requirements):
        result.update(module.pages(handbook, site))
    result.update(start.pages(handbook, site))
    return result
