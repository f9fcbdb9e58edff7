"""MkDocs hook: editions built without some pages (the learners' edition has no trainers' section) keep no dead link.

A page left out with ``exclude_docs`` is still linked from pages that stay (the print edition points trainers to
the answer key). MkDocs only logs such links; here each link to an excluded page becomes its plain text, so an
edition never ships a link to a page it does not contain. The full site excludes no linked page: nothing changes.

The learners' site published online (``scripts/outputs/publish.py``) sets ``extra.offline_download``: its home page then
links the offline edition's zip in its « Hors ligne » entry. No other edition has that zip, so none links it.
"""

from __future__ import annotations

import posixpath
import re
from html import escape
from urllib.parse import quote, unquote, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

OFFLINE_ENTRY = re.compile(r"(<dt>Hors ligne</dt>\s*<dd>.*?)(</dd>)", re.S)
LINK = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', re.S)
_excluded: set[str] = set()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The addresses of the pages left out of this build, found once (not once per page)."""
    _excluded.clear()
    _excluded.update(file.url for file in files if file.inclusion.is_excluded())
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace every link to a page excluded from this build by the link's text; link the offline zip if published."""
    download = config.extra.get("offline_download")
    if download and page.file.src_uri == "index.md":
        html = _link_download(html, str(download))
    excluded = _excluded
    # a link to an excluded file holds its name (as written or percent-encoded): most pages hold none
    if not any(name in html for url in excluded for name in {posixpath.basename(url.rstrip("/")),
                                                             quote(posixpath.basename(url.rstrip("/")))}):
        return html
    here = posixpath.dirname(page.file.url)

    def unlink(match: re.Match[str]) -> str:
        parts = urlsplit(match.group(1))
        if parts.scheme or parts.netloc or not parts.path:
            return match.group(0)
        target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
        return match.group(2) if target in excluded else match.group(0)

    return LINK.sub(unlink, html)


def _link_download(page_html: str, address: str) -> str:
    """The home page's « Hors ligne » entry with a link to download the offline edition at ``address``."""
    link = (f'<p><a href="{escape(address)}" download>Télécharger le module hors ligne</a> '
            "(fichier zip, édition apprenant)</p>")
    linked, count = OFFLINE_ENTRY.subn(lambda m: m.group(1) + link + m.group(2), page_html, count=1)
    if not count:
        raise PluginError("docs/index.md: no « Hors ligne » entry (a definition list term) to link the offline zip from")
    return linked
