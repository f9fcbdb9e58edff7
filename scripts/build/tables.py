"""MkDocs hook: tables leave the build already inside Material's scrolling box.

Material's bundle, when a page starts, moves every ``table`` without a class into
``div.md-typeset__scrollwrap > div.md-typeset__table`` (the box that scrolls sideways on a phone). Each move changes
the article's children, and Material's adjacent-sibling rules (``table:not([class]) + *``) make the browser restyle
the whole article, which on a lesson is the largest forced restyle left at start-up. Written into the page here,
the box is there from the first paint; Material still wraps the table, now inside the box, which restyles only the
table, and extra.css does not draw that inner box (``display: contents``).
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

BOX = '<div class="md-typeset__table">'
OPEN, CLOSE = f'<div class="md-typeset__scrollwrap">{BOX}', "</div></div>"
# A table as Material wraps it (no class attribute). Whether it is already in the box is checked on each match: a
# pattern that starts with a literal, not with a look-behind, is searched far faster.
BARE_TABLE = re.compile(r'<table(?![^>]*\bclass=)[^>]*>.*?</table>', flags=re.S)


def wrap_tables(html: str) -> str:
    """``html`` with every class-less table not yet in Material's scrolling box put in it."""

    def wrap(match: re.Match[str]) -> str:
        boxed = html.endswith(BOX, 0, match.start())
        return match.group(0) if boxed else OPEN + match.group(0) + CLOSE

    return BARE_TABLE.sub(wrap, html)


@event_priority(-100)  # the page's final HTML, after the quiz plugin and the other hooks
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put the page's tables in Material's scrolling box."""
    return wrap_tables(html)
