"""Diagrams (``![alt](assets/schemas/x.svg){ .schema }``) inlined into the page, themed and readable.

An ``<img>`` cannot take the page's colours, so each diagram image becomes the SVG itself, inside a figure:

- accessible: ``role="img"`` and ``aria-labelledby`` a ``<title>`` made from the alt text (the file's own title and
  description go: the « Description textuelle » block that follows the diagram says it all in the page);
- themed: the files carry no colour, only the classes ``sch-bg``, ``sch-box``, ``sch-box-alt``, ``sch-line``,
  ``sch-arrow``, ``sch-text``, ``sch-title``, which ``extra.css`` colours with Material's variables in both schemes
  (the file's ``<style>``, for the diagram opened on its own, is left out of the page);
- readable on a phone: the diagram never shrinks below the width where its smallest text is 14 CSS px; on a
  narrower screen it scrolls sideways inside its own frame (a focusable region, see ``overrides/main.html``),
  never the page, and then says so above it (« Faites défiler… », shown by the template only while the frame
  scrolls); « Agrandir le schéma » opens it larger in a dialog of the page (``docs/assets/javascripts/schemas.js``),
  or, without JavaScript, the SVG file on its own;
- ids prefixed by the file name, so two diagrams on one page (the print edition) never share an id.

A diagram file with a colour attribute, or a text without a font size, stops the build with a message naming it.
"""

from __future__ import annotations

import html
import math
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from lxml import etree
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

SVG_NS = "http://www.w3.org/2000/svg"
MIN_TEXT_PX = 14
# It starts with a literal "<" (not an optional "<p>"), so a page is searched at C speed, not tried at every character
IMG = re.compile(r'<(?:p>\s*<)?img\b(?P<attrs>[^>]*\bclass="(?P<cls>[^"]*\bschema\b[^"]*)"[^>]*)/?>(?:\s*</p>)?')
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
COLOUR = re.compile(r"^(#|rgb|hsl)", re.I)


def _min_font(root: etree._Element, where: str) -> float:
    """The smallest font size (in SVG user units) of the diagram's texts, inherited sizes included."""
    sizes = []
    for text in root.iter(f"{{{SVG_NS}}}text"):
        node: etree._Element | None = text
        while node is not None and node.get("font-size") is None:
            node = node.getparent()
        if node is None:
            raise PluginError(f"{where}:{text.sourceline}: text without a font size; give it font-size=\"…\"")
        sizes.append(float(node.get("font-size", "").removesuffix("px")))
    return min(sizes) if sizes else MIN_TEXT_PX


def inline_svg(path: Path, alt: str, src: str, classes: str) -> str:
    """The figure that replaces ``<img class="schema">``: the themed inline SVG and its « Agrandir » link."""
    where = path.as_posix()
    root = etree.parse(str(path), etree.XMLParser(remove_comments=True)).getroot()
    for node in root.iter():
        for attr in ("fill", "stroke"):
            if COLOUR.match(node.get(attr) or ""):
                raise PluginError(f"{where}:{node.sourceline}: {attr}=\"{node.get(attr)}\" is a fixed colour; use a "
                                  "class sch-bg, sch-box, sch-box-alt, sch-line, sch-arrow, sch-text or sch-title")
    stem = re.sub(r"[^\w-]", "-", path.stem)
    ids = {str(node.get("id")) for node in root.iter() if node.get("id")}
    for tag in ("title", "desc", "style"):
        for node in root.findall(f"{{{SVG_NS}}}{tag}"):
            root.remove(node)
    for node in root.iter():
        for key, value in [(str(k), str(v)) for k, v in node.attrib.items()]:  # lxml gives str (typed str | bytes)
            if key == "id":
                node.set(key, f"schema-{stem}-{value}")
            elif "#" in value:
                node.set(key, re.sub(r"url\(#([\w-]+)\)|^#([\w-]+)$", lambda m: _ref(m, ids, stem), value))
    min_font = _min_font(root, where)
    width = float(root.get("viewBox", "0 0 0 0").split()[2])
    min_width = math.ceil(width * MIN_TEXT_PX / min_font)
    title_id = f"schema-{stem}-title"
    title = etree.Element(f"{{{SVG_NS}}}title", id=title_id)
    title.text = alt
    root.insert(0, title)
    for attr in ("width", "height", "aria-labelledby", "aria-describedby"):
        if attr in root.attrib:
            del root.attrib[attr]
    root.set("role", "img")
    root.set("aria-labelledby", title_id)
    root.set("class", "schema-svg")
    root.set("style", f"min-width: {min_width}px")
    svg = etree.tostring(root, encoding="unicode")
    svg = re.sub(r"\s*\n\s*", "\n", svg)
    extra = " ".join(c for c in classes.split() if c != "schema")
    return (f'<figure class="schema{" " + extra if extra else ""}">'
            '<p class="schema-hint" aria-hidden="true" hidden>Schéma plus large que l’écran\u00a0: faites-le défiler '
            'de côté ↔, ou agrandissez-le.</p>'
            f'<div class="schema-scroll" data-label="Schéma\u00a0: {html.escape(alt[:60])}">{svg}</div>'
            f'<a class="schema-zoom" href="{html.escape(src)}">Agrandir le schéma'
            f'<span class="visually-hidden"> «\u00a0{html.escape(alt)}\u00a0»</span></a></figure>')


def _ref(match: re.Match[str], ids: set[str], stem: str) -> str:
    name = match.group(1) or match.group(2)
    if name not in ids:
        return match.group(0)
    return f"url(#schema-{stem}-{name})" if match.group(1) else f"#schema-{stem}-{name}"


def inline_all(output: str, here: str, locate: Callable[[str], Path | None], where: str) -> str:
    """Each ``<img class="schema">`` of a page replaced by its figure.

    ``here`` is the page's folder in the site, ``locate`` gives a site path's source file, ``where`` names the page.
    """
    def replace(match: re.Match[str]) -> str:
        attrs = {key: html.unescape(value) for key, value in ATTR.findall(match.group("attrs"))}
        src = attrs.get("src", "")
        source = locate(posixpath.normpath(posixpath.join(here, src))) if src.endswith(".svg") else None
        if source is None:
            raise ValueError(f"{where}: diagram {src!r} is not an SVG file of the site")
        return inline_svg(source, attrs.get("alt", ""), src, match.group("cls"))

    return IMG.sub(replace, output)


def on_page_content(output: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Replace each ``<img class="schema">`` of the page by its inline, themed, accessible SVG figure."""
    def locate(target: str) -> Path | None:
        file = files.get_file_from_path(target)
        return Path(file.abs_src_path) if file is not None and file.abs_src_path else None

    try:
        return inline_all(output, posixpath.dirname(page.file.url), locate, f"docs/{page.file.src_uri}")
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
