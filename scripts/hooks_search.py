"""MkDocs hooks: what the learners' search covers and how it ranks.

- on_page_markdown: pages that are not learning material (home, « Mon parcours », « Revoir mes erreurs » (its hidden questions
  would leak answers), print edition, trainers' pages,
  accessibility statement) get Material's ``search: exclude: true`` meta, so the index holds lessons, cases, the
  final assessment, glossary, bibliography and sources only;
- on_post_build: in the search index, a page's own entry (its title and introduction) is down-weighted, so a
  section that matches the query ranks above the page-level entry of the same or another page. Material adds
  up to ×5 to page entries after the query and ×2 to sections; the boost below compensates it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# Pages kept out of the learners' search (source paths under docs/); a folder ends with "/".
NOT_SEARCHED = ("index.md", "parcours.md", "revoir.md", "imprimer.md", "accessibilite.md", "formateurs/")
# lunr document boost of a page-level entry (sections keep 1).
PAGE_ENTRY_BOOST = 0.2


def searched(src_uri: str) -> bool:
    """Whether the page at ``src_uri`` (e.g. ``formateurs/guide.md``) belongs in the learners' search."""
    return not any(src_uri == rule or (rule.endswith("/") and src_uri.startswith(rule)) for rule in NOT_SEARCHED)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Mark the pages that are not learning material as excluded from search (Material's page meta)."""
    if not searched(page.file.src_uri):
        meta = page.meta.get("search")
        page.meta["search"] = {**(meta if isinstance(meta, dict) else {}), "exclude": True}
    return markdown


@event_priority(-50)  # after Material's search plugin wrote the index, before the offline plugin inlines it
def on_post_build(config: MkDocsConfig) -> None:
    """Down-weight page-level entries of the search index so that matching sections rank first."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        if "#" not in doc["location"]:
            doc["boost"] = PAGE_ENTRY_BOOST
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
