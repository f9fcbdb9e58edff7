"""Course-wide content rules: diagrams, author citations, glossary tooltips, case studies."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html

from scripts.model import course

SCHEMAS = course.DOCS / "assets" / "schemas"
AUTHORS = {  # name as written in lessons → bibliography anchor
    "Lange": "lange-2003", "Pelletier": "pelletier-1997", "Bourdin": "bourdin-1998", "Levesque": "levesque-2011",
    "Hamel": "hamel-klein-1991", "Fourdrinier": "fourdrinier-2010", "Hamzaoui": "hamzaoui-2010",
    "Petrella": "petrella-2004", "Landy": "landy-1999", "Remion": "remion-1988", "Larousse": "larousse",
    "Transrural": "transrural-2007",
}


def test_at_least_five_diagrams_self_contained() -> None:
    """Five or more SVG diagrams, each valid XML with a French title and description and no external reference."""
    svgs = sorted(SCHEMAS.glob("*.svg"))
    assert len(svgs) >= 5
    for svg in svgs:
        root = lxml.etree.parse(str(svg)).getroot()
        ns = {"s": "http://www.w3.org/2000/svg"}
        assert root.xpath("s:title", namespaces=ns) and root.xpath("s:desc", namespaces=ns), svg.name
        assert not re.search(r"(href|src)=\"(https?:)?//", svg.read_text(encoding="utf-8")), svg.name
        assert "@import" not in svg.read_text(encoding="utf-8"), svg.name


def test_every_diagram_is_shown_with_alt_and_a_text_description(site: Path) -> None:
    """Each diagram appears in a lesson with alt text, followed by a « Description textuelle » block; no page without one loads any."""
    shown: set[str] = set()
    for page in site.glob("*.html"):
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        # ux: diagrams are inlined by scripts/build/svg.py, named by a <title> made from the alt text, with a link
        # to the SVG file (« Agrandir »).
        for img in doc.xpath("//article//figure[contains(@class,'schema')]"):
            src = img.xpath(".//a[contains(@class,'schema-zoom')]/@href")[0]
            shown.add(Path(src).name)
            svg = img.xpath(".//*[local-name()='svg']")[0]
            title = svg.xpath(f".//*[local-name()='title'][@id='{svg.get('aria-labelledby')}']")
            assert svg.get("role") == "img" and title and len(title[0].text_content()) > 20, f"{page.name}: {src}"
            following = img.xpath("following::details[1]/summary | following::div[contains(@class,'admonition')][1]/p[1]")
            assert following and "Description textuelle" in following[0].text_content(), f"{page.name}: {src}"
    assert shown == {svg.name for svg in SCHEMAS.glob("*.svg")}
    assert "assets/schemas/" not in (site / "index.html").read_text(encoding="utf-8")


def test_every_cited_author_links_to_the_bibliography(site: Path) -> None:
    """When a lesson's text names an author of the bibliography, it links to that author's entry."""
    missing = []
    for lesson in course.load_lessons():
        doc = lxml.html.fromstring((site / f"{lesson.slug}.html").read_text(encoding="utf-8"))
        article = doc.xpath("//article")[0]
        for quiz in article.xpath(".//div[@data-qid]"):  # quizzes link back to lessons, not to the bibliography
            quiz.getparent().remove(quiz)
        text = article.text_content()
        links = {a.get("href") for a in article.xpath(".//a[@href]")}
        for name, anchor in AUTHORS.items():
            if re.search(rf"\b{name}\b", text) and f"bibliographie.html#{anchor}" not in links:
                missing.append(f"{lesson.slug}: {name}")
    assert not missing


def test_bibliography_has_an_entry_per_author() -> None:
    """The bibliography defines every anchor the lessons link to."""
    text = (course.DOCS / "bibliographie.md").read_text(encoding="utf-8")
    for anchor in AUTHORS.values():
        assert f"#{anchor}" in text, anchor


def test_glossary_tooltips_reach_lessons_but_not_quizzes(site: Path) -> None:
    """Glossary terms carry a tooltip (abbr with title) in lesson text, never inside a quiz question (issue 28)."""
    doc = lxml.html.fromstring((site / "notions-voisines.html").read_text(encoding="utf-8"))
    assert doc.xpath("//article//p//abbr[@title]")
    assert doc.xpath("//div[@data-qid]") and not doc.xpath("//div[@data-qid]//abbr")


def test_case_studies_have_questions_and_model_answers(site: Path) -> None:
    """Each worked case has questions and a collapsed model answer."""
    doc = lxml.html.fromstring((site / "cas-pratiques.html").read_text(encoding="utf-8"))
    cases = doc.xpath("//article//h2[starts-with(@id,'cas-')]")
    assert len(cases) >= 2
    answers = doc.xpath("//article//details[contains(@class,'success')]")
    assert len(answers) >= len(cases)
