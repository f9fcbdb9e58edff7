"""Issue 15 extras: one-page summaries, decision aids, the fil rouge, and the links from every lesson to them."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from scripts.build import extras
from scripts.model import course

LESSONS = [lesson.slug for lesson in course.load_lessons()]
NEW_SVGS = ["arbre-est-ce-un-partenariat.svg", "frise-fondements.svg"]
SVG_NS = {"s": "http://www.w3.org/2000/svg"}
SCH_CLASSES = {"sch-bg", "sch-box", "sch-box-alt", "sch-line", "sch-text", "sch-title", "sch-arrow"}


def _article(site: Path, name: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / name).read_text(encoding="utf-8")).xpath("//article")[0]


def test_every_fil_rouge_step_links_to_its_lesson(site: Path) -> None:
    """The fil rouge has one step per lesson, in course order, and each step links to the lesson it applies."""
    article = _article(site, "fil-rouge.html")
    steps = article.xpath(".//h2[starts-with(@id,'etape-')]")
    assert len(steps) == len(LESSONS)
    for heading, slug in zip(steps, LESSONS, strict=True):
        section = heading.xpath("following-sibling::*[not(self::h2)][count(preceding-sibling::h2[1] | $h) = 1]", h=heading)
        hrefs = {a.get("href", "").split("#")[0] for node in section for a in node.iter("a")}
        assert f"{slug}.html" in hrefs, heading.get("id")
    assert article.xpath(".//h2[@id='fiche']/following-sibling::table"), "ends with the worksheet"
    assert "inventé" in article.text_content()


@pytest.mark.parametrize("slug", LESSONS)
def test_lesson_links_to_summary_and_fil_rouge_step(site: Path, slug: str) -> None:
    """Each lesson, before its quiz, links to its one-page summary and to its fil rouge step, which exist."""
    article = _article(site, f"{slug}.html")
    box = article.xpath(".//div[contains(@class,'abstract')][p[@class='admonition-title' and .='Après cette leçon']]")
    assert box, slug
    hrefs = [a.get("href") for a in box[0].iter("a")]
    assert f"essentiel/{slug}.html" in hrefs
    step = extras.fil_rouge_steps()[slug][0]
    assert f"fil-rouge.html#{step}" in hrefs
    assert _article(site, "fil-rouge.html").xpath(f".//h2[@id='{step}']")
    following = box[0].xpath("following::h2[1]/@id")
    assert following and following[0] in {"quiz", "auto-evaluation"}


def test_tools_page_is_linked_from_lessons_and_in_nav(site: Path) -> None:
    """The decision aids page is in the navigation and linked from the lessons it serves."""
    assert "outils.md" in course.nav_files() and "fil-rouge.md" in course.nav_files()
    assert "formateurs/fil-rouge.md" in course.nav_files()
    for slug, (anchor, _) in extras.TOOLS.items():
        assert _article(site, f"{slug}.html").xpath(f".//a[@href='outils.html#{anchor}']"), slug
        assert _article(site, "outils.html").xpath(f".//*[@id='{anchor}']"), anchor


def test_definitions_table_compares_who_what_conditions(site: Path) -> None:
    """The comparison table has the three questions as headers and a row for each source of a definition."""
    table = _article(site, "outils.html").xpath(".//h2[@id='definitions']/following-sibling::table")[0]
    headers = [th.text_content().strip() for th in table.xpath(".//th")]
    assert headers[1:] == ["Qui s’associe\u00a0?", "Pour quoi faire\u00a0?", "À quelles conditions\u00a0?"]
    rows = " ".join(td.text_content() for td in table.xpath(".//tbody/tr/td[1]"))
    for name in ["Lange", "Pelletier", "Note de synthèse", "Larousse", "Diaporama Partenariat", "Landy", "Guide Tanmia",
                 "Diaporama Réseau et territoire"]:
        assert name in rows, name


@pytest.mark.parametrize("name", NEW_SVGS)
def test_new_diagrams_follow_the_theme_convention(name: str) -> None:
    """Themable SVG: colours only through the sch-* classes (no fill/stroke colour attributes), readable at 360 px."""
    root = lxml.etree.parse(str(course.DOCS / "assets" / "schemas" / name)).getroot()
    width = float(root.get("viewBox").split()[2])
    assert width <= 400
    for node in root.iter("{*}rect", "{*}path", "{*}text", "{*}circle", "{*}line"):
        for attr in ("fill", "stroke"):
            assert node.get(attr) in (None, "none"), f"{name}: {attr}={node.get(attr)}"
        assert set((node.get("class") or "").split()) & SCH_CLASSES, f"{name}: {lxml.etree.tostring(node)[:60]!r}"
    sizes = [float(n.get("font-size") or root.get("font-size")) for n in root.iter("{*}text")]
    assert min(sizes) * 360 / width >= 14
    style = root.xpath("s:style", namespaces=SVG_NS)[0].text
    assert all(rule.strip().startswith(("svg:root", ".sch-arrow")) for rule in re.findall(r"[^{}]+(?=\{)", style))


def test_decision_tree_names_the_five_outcomes_and_its_sources(site: Path) -> None:
    """The tree's text description reaches the five outcomes and says which document each question comes from."""
    text = _article(site, "outils.html").text_content()
    for outcome in ["dispositif", "réseau", "simple rassemblement", "subordination", "partenariat"]:
        assert outcome in text
    assert "Diaporama Réseau et territoire" in text and "Guide Tanmia" in text


def test_print_edition_gathers_every_summary(site: Path) -> None:
    """The print edition ends with the summary sheet of every lesson."""
    article = _article(site, "imprimer.html")
    assert article.xpath(".//h2[@id='essentiel']")
    for slug in LESSONS:
        assert article.xpath(f".//h3[@id='essentiel-{slug}']"), slug


@pytest.mark.browser
@pytest.mark.parametrize("slug", LESSONS)
def test_summary_prints_on_one_a4_page(page: object, server: str, slug: str) -> None:
    """Each « L’essentiel » page prints on exactly one A4 page in Chromium."""
    page.goto(f"{server}essentiel/{slug}.html")  # type: ignore[attr-defined]
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    pdf = page.pdf(format="A4", print_background=True)  # type: ignore[attr-defined]
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages == 1, f"{slug}: {pages} pages"
