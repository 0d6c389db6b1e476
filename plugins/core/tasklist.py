"""Checklist boxes with a name: `- [ ] Text` gives a checkbox that a screen reader reads as "Text".

pymdownx.tasklist puts the checkbox in a label of its own with no text, so the box has no
accessible name (axe: label, critical). This Markdown extension names each box after the text
of its list item. In mkdocs.yml after pymdownx.tasklist: `- handbook.core.tasklist`.

It lives in the core because every engine runs Python-Markdown extensions: the plugin's build and
an export built by plain Material or Zensical (`handbook export`) name the same extension.
`handbook.site.tasklist`, its earlier name, still loads it.
"""

from __future__ import annotations

import html
import re

from markdown import Extension
from markdown.postprocessors import Postprocessor

_BOX = re.compile(r'(<input type="checkbox"(?: disabled)?(?: checked)?)(/>(?:<span class="task-list-indicator"></span></label>)?)'
                  r"(.*?)(?=<ul|<ol|</li>|</p>|$)", re.S)
_TAG = re.compile(r"<[^>]+>")


def _named(match: re.Match) -> str:
    text = " ".join(html.unescape(_TAG.sub("", match.group(3))).split())
    if not text:
        return match.group(0)
    return f'{match.group(1)} aria-label="{html.escape(text)}"{match.group(2)}{match.group(3)}'


class _NameBoxes(Postprocessor):
    def run(self, text: str) -> str:
        return _BOX.sub(_named, text) if 'type="checkbox"' in text else text


class TasklistLabels(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.postprocessors.register(_NameBoxes(md), "handbook_tasklist_labels", 5)  # after raw HTML is restored


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's name
    return TasklistLabels(**kwargs)
