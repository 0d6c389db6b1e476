"""The Python-Markdown extension that puts the searched HTML blocks back (see html_blocks.py).

Named in mkdocs.yml as `handbook.core.html_blocks` (its makeExtension brings this module in).
"""

from __future__ import annotations

from typing import Callable

from markdown import Extension
from markdown.postprocessors import Postprocessor

from .html_blocks import _ANY_NAME, _MARK, HtmlBlocks


class _Restore(Postprocessor):
    def __init__(self, md, blocks: HtmlBlocks, last: bool) -> None:
        super().__init__(md)
        self.blocks, self.last = blocks, last

    def run(self, text: str) -> str:
        text = self.blocks.restore(text)
        # An export has no later stage: a name of a block left for after search can only be an author's; taken away.
        return _ANY_NAME.sub("", text) if self.last and _MARK in text else text


class HtmlBlocksExtension(Extension):
    """Puts the searched HTML blocks back into the converted page, after Markdown's raw HTML.

    The plugin gives `source`, which returns its build's blocks; an exported project names the
    extension in mkdocs.yml with `file:` (relative to the folder the engine builds in)."""

    def __init__(self, source: Callable[[], HtmlBlocks] | None = None, **kwargs) -> None:
        self.config = {"file": ["", "handbook-blocks.json of handbook export, relative to the folder the build runs in"]}
        super().__init__(**kwargs)
        self._source = source
        if source is None:
            if not self.getConfig("file"):
                raise ValueError("handbook.core.html_blocks: ange file: (handbook-blocks.json från handbook export) "
                                 "under tillägget i mkdocs.yml, eller exportera igen")
            HtmlBlocks.load(self.getConfig("file"))  # read (and checked) when the engine loads mkdocs.yml

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        blocks = self._source() if self._source is not None else HtmlBlocks.load(self.getConfig("file"))
        # After raw HTML is put back (30) and the task-list names (5): what came after the old on_page_content.
        md.postprocessors.register(_Restore(md, blocks, last=self._source is None), "handbook_html_blocks", 1)
