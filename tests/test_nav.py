"""The navigation, whose links to other pages are rendered once per folder and reused, is right on every page."""

from __future__ import annotations

import posixpath
from pathlib import Path

from lxml import html as lxml_html


def nav_links(site: Path, name: str) -> list[tuple[str, str]]:
    """The primary navigation of page ``name``: (target page from the site's root, link text), in order."""
    root = lxml_html.parse(str(site / name), lxml_html.HTMLParser(encoding="utf-8")).getroot()
    folder = posixpath.dirname(name)
    links = []
    for a in root.xpath("//nav[contains(@class, 'md-nav--primary')]//a[@href]"):
        href = a.get("href")
        if href.startswith("#"):  # the current page's table of contents
            continue
        links.append((posixpath.normpath(posixpath.join(folder, href)), " ".join(a.text_content().split())))
    return links


def test_every_page_links_the_same_pages_under_the_same_titles(site: Path) -> None:
    """From every folder (root, essentiel/, formateurs/), each navigation link reaches the page it names.

    Each page's navigation lists the same targets with the same texts as the home page's, and each target exists.
    """
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    reference = nav_links(site, "index.html")
    assert len(reference) > 30 and all((site / target).is_file() for target, _ in reference)
    wrong = [name for name in pages if nav_links(site, name) != reference]
    assert not wrong, wrong
    assert {"essentiel/definitions.html", "formateurs/definitions.html", "definitions.html"} <= {t for t, _ in reference}
