"""MkDocs hook: editions built without some pages (the learners' edition has no trainers' section) keep no dead link.

A page left out with ``exclude_docs`` is still linked from pages that stay (the print edition points trainers to
the answer key). MkDocs only logs such links; here each link to an excluded page becomes its plain text, so an
edition never ships a link to a page it does not contain. The full site excludes no linked page: nothing changes.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

LINK = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', re.S)
_excluded: set[str] = set()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The addresses of the pages left out of this build, found once (not once per page)."""
    _excluded.clear()
    _excluded.update(file.url for file in files if file.inclusion.is_excluded())
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace every link to a page excluded from this build by the link's text."""
    excluded = _excluded
    if not excluded:
        return html
    here = posixpath.dirname(page.file.url)

    def unlink(match: re.Match[str]) -> str:
        parts = urlsplit(match.group(1))
        if parts.scheme or parts.netloc or not parts.path:
            return match.group(0)
        target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
        return match.group(2) if target in excluded else match.group(0)

    return LINK.sub(unlink, html)
