"""No page is rendered unless the `handbook` plugin has run: a build that skips it fails.

Zensical reads mkdocs.yml, skips every plugin it does not know (ours too) and still runs
the Markdown extensions it can import; MkDocs with `- handbook` taken out of `plugins:` does
the same. Such a build would publish classified documents without a word. mkdocs.yml lists
this extension under `markdown_extensions:`; it refuses to convert any page until the plugin
has read the handbook and left out what it withholds (`clear()` in the plugin's on_files,
in the same process as the rendering).

MkDocs builds a Markdown instance with the extensions to validate mkdocs.yml, before any
plugin runs; only converting a page is refused, so that still works.
"""

from __future__ import annotations

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.exceptions import PluginError

MESSAGE = ("handbook: sidorna byggs inte, eftersom pluginet handbook inte har körts: inget skulle hålla "
           "sekretessklassade dokument borta från webbplatsen. Bygg med `mkdocs build` eller `handbook publish`, "
           "med `- handbook` under `plugins:` i mkdocs.yml. Zensical och andra verktyg som inte kör "
           "MkDocs-plugin kan inte bygga handboken; för dem skriver `handbook export MAPP` ett projekt att bygga.")

_cleared = False


def clear() -> None:
    """The plugin has read the handbook and removed what it withholds: pages may be rendered."""
    global _cleared
    _cleared = True


class _Refuse(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        if not _cleared:
            raise PluginError(MESSAGE)
        return lines


class BuildGuard(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(_Refuse(md), "handbook_guard", 1000)  # before every other preprocessor


def makeExtension(**kwargs):  # noqa: N802 - Python-Markdown's name
    return BuildGuard(**kwargs)
