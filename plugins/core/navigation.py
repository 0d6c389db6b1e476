"""The navigation as the Klassa tree, as plain data: free pages first, then the overviews, then
VT → VO → PG → local codes, the unclassified items, and the writing guide for owners (option
guide_folder) last, out of the readers' way.

Both adapters read this one tree: the MkDocs plugin turns it into MkDocs' Page and Section
objects (`site/navigation.py`), `handbook export` into the `nav:` of its mkdocs.yml. Titles are
plain text here; each adapter escapes them once for the theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Union

from .catalog import Branch, content_tree, swedish_key, unclassified
from .handbook import Handbook
from .pages.klassa import index_uri

OVERVIEWS = ("processer/index.md", "roller/index.md", "revision/index.md", "nytt/index.md", "klassa/index.md",
             "mognad/index.md", "krav/index.md")
UNCLASSIFIED_TITLE = "Saknar giltig Klassa-kod"
INDEX_NAMES = ("index.md", "README.md")


@dataclass
class NavPage:
    src_uri: str


@dataclass
class NavSection:
    title: str  # plain text
    children: list["NavItem"] = field(default_factory=list)


NavItem = Union[NavPage, NavSection]


def klassa_tree(handbook: Handbook, pages: Iterable[str], guide_folder: str = "") -> list[NavItem]:
    """The navigation of the pages that exist (their src_uris) as the Klassa tree; empty branches are left out."""
    pages = set(pages)
    generated_start = [NavPage("index.md")] if "index.md" in pages and "index.md" not in handbook.documents else []
    free, guide = _free_pages(handbook, pages, guide_folder)
    items: list[NavItem] = [*generated_start, *free, *(NavPage(u) for u in OVERVIEWS if u in pages)]
    items += [_section(branch, pages) for branch in content_tree(handbook)]
    processes, documents = unclassified(handbook)
    loose = [NavPage(u) for u in [f"processer/{p.id}.md" for p in processes] + [d.path for d in documents] if u in pages]
    if loose:
        items.append(NavSection(UNCLASSIFIED_TITLE, loose))
    return items + guide


def walk(items: list[NavItem]):
    """Every item, depth first, in reading order."""
    for item in items:
        yield item
        if isinstance(item, NavSection):
            yield from walk(item.children)


def _section(branch: Branch, pages: set[str]) -> NavSection:
    children = [NavPage(index_uri(branch.code))] if index_uri(branch.code) in pages else []
    children += [NavPage(f"processer/{p.id}.md") for p in branch.processes if f"processer/{p.id}.md" in pages]
    children += [NavPage(d.path) for d in branch.documents if d.path in pages]
    children += [_section(child, pages) for child in branch.children]
    return NavSection(branch.node.label, children)


def _free_pages(handbook: Handbook, pages: set[str], guide_folder: str) -> tuple[list, list]:
    """Free pages (no governance metadata) in their folders, index pages first; and apart from
    them the guide's folder (a path in docs/), as one section."""
    free = [d for d in handbook.published_documents() if not d.governed and d.path in pages]
    root: dict = {}
    for doc in free:
        node = root
        for folder in doc.path.split("/")[:-1]:
            node = node.setdefault(folder + "/", {})
        node[doc.path] = NavPage(doc.path)
    titles = {d.path: d.title for d in free}
    *parents, name = [part + "/" for part in guide_folder.strip("/").split("/")]
    node = root
    for part in parents:
        node = node.get(part) if isinstance(node.get(part), dict) else {}
    guide = {name: node.pop(name)} if name != "/" and isinstance(node.get(name), dict) else {}
    return _folder_items(root, titles), _folder_items(guide, titles)


def _folder_items(node: dict, titles: dict[str, str]) -> list[NavItem]:
    def order(key: str):
        value = node[key]
        is_index = isinstance(value, NavPage) and key.rsplit("/", 1)[-1] in INDEX_NAMES
        title = titles.get(key, key)
        return (not is_index, isinstance(value, dict), swedish_key(title or key))

    items: list[NavItem] = []
    for key in sorted(node, key=order):
        value = node[key]
        if isinstance(value, dict):
            children = _folder_items(value, titles)
            if not children:  # a folder that held only the guide
                continue
            first = children[0]
            index = first if isinstance(first, NavPage) and first.src_uri.rsplit("/", 1)[-1] in INDEX_NAMES else None
            title = titles[index.src_uri] if index else key.rstrip("/").replace("-", " ").replace("_", " ").capitalize()
            items.append(NavSection(title, children))
        else:
            items.append(value)
    return items
