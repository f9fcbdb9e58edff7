"""MkDocs hook: one glossary tooltip per term per section.

The glossary (``docs/includes/abbreviations.md``, appended to every page by ``pymdownx.snippets``) makes the
``abbr`` extension wrap every occurrence of a term in ``<abbr title="…">``, and Material's ``content.tooltips``
mounts one tooltip component per ``[title]`` at page load (72 on a lesson). This hook keeps the ``<abbr title>``
on a term's first occurrence in each section (a heading starts a section; each quiz question is its own section,
since a question is read on its own) and turns the later occurrences back into plain text. Readers still get the
definition where the term first appears in what they are reading; the page mounts far fewer tooltips.

Each kept term is marked ``data-preview``: Material mounts no component for such an element, and
``docs/assets/javascripts/tooltips.js`` shows the same tooltip from one listener for the whole page, instead of a
component per element built at start-up whether or not it is ever hovered. The ``title`` stays for assistive
technologies. Headings' permalinks get the same treatment: their ``title`` becomes their ``aria-label`` (their name,
which was « ¶ »), and the script shows it on hover and focus as Material did.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# A section starts at a heading or at a quiz question; an abbreviation is the abbr extension's output.
# A term already kept (content reused from a processed page, as the print edition's) counts as seen like any other.
TOKEN = re.compile(r'(?P<start><h[1-6][\s>]|<div\b[^>]*\bdata-qid=)'
                   r'|<abbr (?:data-preview )?title="(?P<title>[^"]*)">(?P<text>.*?)</abbr>', flags=re.S)
# A kept term: Material mounts no tooltip on a [data-preview] element (its selector is [title]:not([data-preview])).
KEPT = '<abbr data-preview title="{title}">{text}</abbr>'
# A permalink from the toc extension (permalink_title in mkdocs.yml).
PERMALINK = re.compile(r'(<a class="headerlink" href="[^"]*") title="([^"]*)"')


def first_per_section(html: str) -> str:
    """``html`` with every glossary ``<abbr title>`` after the first of the same term in its section unwrapped.

    The first one is marked for ``tooltips.js`` (``KEPT``).
    """
    seen: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        if match.group("start"):
            seen.clear()
            return match.group(0)
        key = match.group("title")
        if key in seen:
            return match.group("text")
        seen.add(key)
        return KEPT.format(title=key, text=match.group("text"))

    return TOKEN.sub(replace, html)


@event_priority(-100)  # after the quiz plugin and the other hooks have produced the page's final HTML
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Keep one glossary tooltip per term per section; leave Material no tooltip to mount (tooltips.js shows them)."""
    return PERMALINK.sub(r'\1 aria-label="\2"', first_per_section(html))
