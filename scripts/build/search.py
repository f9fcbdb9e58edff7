"""MkDocs hooks: what the learners' search covers and how it ranks.

- on_page_markdown: pages that are not learning material (home, « Mon parcours », « Revoir mes erreurs » (its hidden questions
  would leak answers), print edition, trainers' pages,
  accessibility statement) get Material's ``search: exclude: true`` meta, so the index holds lessons, cases, the
  final assessment, glossary, bibliography and sources only;
- on_page_context, before the search plugin reads the page: the interactive questions, which carry
  ``data-search-exclude`` (the plugin parses them, then drops what it read), are held back from ``page.content``;
  on_post_page puts them back in the page's HTML, unchanged. The index is the same; the build parses less.
- on_post_build: in the search index, a page's own entry (its title and introduction) is down-weighted, so a
  section that matches the query ranks above the page-level entry of the same or another page. Material adds
  up to ×5 to page entries after the query and ×2 to sections; the boost below compensates it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.build.quizrender import NOT_READ_BY_SEARCH  # noqa: E402

# Pages kept out of the learners' search (source paths under docs/); a folder ends with "/".
NOT_SEARCHED = ("index.md", "parcours.md", "revoir.md", "s-entrainer.md", "imprimer.md", "accessibilite.md", "formateurs/")
# lunr document boost of a page-level entry (sections keep 1).
PAGE_ENTRY_BOOST = 0.2


HELD = re.compile(r"<!-- partenariat-held:(\d+) -->")
# Questions held back from the search plugin, by page, until the page's HTML is written.
_held: dict[str, list[str]] = {}


def hold_back(content: str) -> tuple[str, list[str]]:
    """``content`` with each marked question replaced by a numbered comment, and the questions in that order."""
    start_mark, end_mark = NOT_READ_BY_SEARCH
    held: list[str] = []
    out: list[str] = []
    position = 0
    # str.find, not a lazy regex: the pages that hold every question are long
    while (start := content.find(start_mark, position)) != -1:
        end = content.find(end_mark, start + len(start_mark))
        if end == -1:
            break
        held.append(content[start + len(start_mark):end])
        out += [content[position:start], f"<!-- partenariat-held:{len(held) - 1} -->"]
        position = end + len(end_mark)
    out.append(content[position:])
    return "".join(out), held


def put_back(output: str, held: list[str]) -> str:
    """``output`` with each numbered comment replaced by its question."""
    return HELD.sub(lambda match: held[int(match.group(1))], output)


def searched(src_uri: str) -> bool:
    """Whether the page at ``src_uri`` (e.g. ``formateurs/guide.md``) belongs in the learners' search."""
    return not any(src_uri == rule or (rule.endswith("/") and src_uri.startswith(rule)) for rule in NOT_SEARCHED)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Mark the pages that are not learning material as excluded from search (Material's page meta)."""
    if not searched(page.file.src_uri):
        meta = page.meta.get("search")
        page.meta["search"] = {**(meta if isinstance(meta, dict) else {}), "exclude": True}
    return markdown


@event_priority(50)  # before Material's search plugin parses page.content
def on_page_context(context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
    """Hold the page's questions back: the search plugin would parse each one only to drop it."""
    page.content, _held[page.file.src_uri] = hold_back(page.content or "")
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Put the page's questions back where they were."""
    return put_back(output, _held.pop(page.file.src_uri, []))


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
