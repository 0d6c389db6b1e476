"""The navigation as the Klassa tree: free pages first, then VT → VO → PG → local codes; the writing
guide for owners (option guide_folder) last, out of the readers' way."""

from __future__ import annotations

import markupsafe
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ..core.catalog import Branch, content_tree, swedish_key, unclassified
from ..core.handbook import Handbook
from ..core.pages.klassa import index_uri

OVERVIEWS = ("processer/index.md", "roller/index.md", "revision/index.md", "nytt/index.md", "klassa/index.md")
UNCLASSIFIED_TITLE = "Saknar giltig Klassa-kod"


def klassa_navigation(handbook: Handbook, pages: dict[str, Page], guide_folder: str = "") -> Navigation:
    """Arrange existing pages (keyed by src_uri) into the Klassa tree; empty branches are left out."""
    generated_start = [pages["index.md"]] if "index.md" in pages and "index.md" not in handbook.documents else []
    free, guide = _free_pages(handbook, pages, guide_folder)
    items: list = [*generated_start, *free, *(pages[u] for u in OVERVIEWS if u in pages)]
    items += [_section(branch, pages) for branch in content_tree(handbook)]
    processes, documents = unclassified(handbook)
    loose = [pages[u] for u in [f"processer/{p.id}.md" for p in processes] + [d.path for d in documents] if u in pages]
    if loose:
        items.append(Section(UNCLASSIFIED_TITLE, loose))
    items += guide
    for page in pages.values():  # pages outside the tree (role pages) keep nothing of MkDocs' own nav
        page.parent = page.previous_page = page.next_page = None
    _link(items, None)
    ordered = [item for item in _walk(items) if isinstance(item, Page)]
    for previous, page, following in zip([None, *ordered], ordered, [*ordered[1:], None]):
        page.previous_page, page.next_page = previous, following
    return Navigation(items, ordered)


def _section(branch: Branch, pages: dict[str, Page]) -> Section:
    children = [pages[index_uri(branch.code)]] if index_uri(branch.code) in pages else []
    children += [pages[f"processer/{p.id}.md"] for p in branch.processes if f"processer/{p.id}.md" in pages]
    children += [pages[d.path] for d in branch.documents if d.path in pages]
    children += [_section(child, pages) for child in branch.children]
    return Section(markupsafe.escape(branch.node.label), children)


def _free_pages(handbook: Handbook, pages: dict[str, Page], guide_folder: str) -> tuple[list, list]:
    """Free pages (no governance metadata) in their folders, index pages first; and apart from
    them the guide's folder (a path in docs/), as one section."""
    free = [d for d in handbook.published_documents() if not d.governed and d.path in pages]
    root: dict = {}
    for doc in free:
        node = root
        for folder in doc.path.split("/")[:-1]:
            node = node.setdefault(folder + "/", {})
        node[doc.path] = pages[doc.path]
    titles = {d.path: d.title for d in free}
    *parents, name = [part + "/" for part in guide_folder.strip("/").split("/")]
    node = root
    for part in parents:
        node = node.get(part) if isinstance(node.get(part), dict) else {}
    guide = {name: node.pop(name)} if name != "/" and isinstance(node.get(name), dict) else {}
    return _folder_items(root, titles), _folder_items(guide, titles)


def _folder_items(node: dict, titles: dict[str, str]) -> list:
    def order(key: str):
        value = node[key]
        is_index = isinstance(value, Page) and key.rsplit("/", 1)[-1] in ("index.md", "README.md")
        title = titles.get(key, key)
        return (not is_index, isinstance(value, dict), swedish_key(title or key))

    items = []
    for key in sorted(node, key=order):
        value = node[key]
        if isinstance(value, dict):
            children = _folder_items(value, titles)
            if not children:  # a folder that held only the guide
                continue
            index = children[0] if children and isinstance(children[0], Page) and children[0].file.name in ("index", "README") else None
            title = titles[index.file.src_uri] if index else key.rstrip("/").replace("-", " ").replace("_", " ").capitalize()
            items.append(Section(markupsafe.escape(title), children))
        else:
            items.append(value)
    return items


def _link(items: list, parent) -> None:
    for item in items:
        item.parent = parent
        if isinstance(item, Section):
            _link(item.children, item)


def _walk(items: list):
    for item in items:
        yield item
        if isinstance(item, Section):
            yield from _walk(item.children)
