"""Built pages are well structured: headings, images, and the parts every lesson must have."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from scripts.model import course

LESSONS = [lesson.slug for lesson in course.load_lessons()]


def _doc(site: Path, name: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / name).read_text(encoding="utf-8"))


def _article(site: Path, name: str) -> lxml.html.HtmlElement:
    return _doc(site, name).xpath("//article")[0]


def test_headings_one_h1_no_skip_unique(site: Path) -> None:
    """Every page: one H1, no skipped heading level, no two headings with the same id or text."""
    for path in sorted(site.glob("*.html")):
        doc = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        article = doc.xpath("//article")
        if not article:
            continue
        assert len(doc.xpath("//h1")) == 1, path.name
        levels = [int(h.tag[1]) for h in article[0].iter("h1", "h2", "h3", "h4", "h5", "h6")]
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{path.name}: h{before} followed by h{after}"
        headings = list(article[0].iter("h2", "h3", "h4", "h5", "h6"))
        ids = [h.get("id") for h in headings if h.get("id")]
        texts = [h.text_content().strip().rstrip("¶").strip() for h in headings]
        assert len(ids) == len(set(ids)), path.name
        assert len(texts) == len(set(texts)), f"{path.name}: {sorted(t for t in texts if texts.count(t) > 1)}"


def test_images_have_french_alt_text(site: Path) -> None:
    """Every content image has a non-empty alternative text."""
    for path in site.glob("*.html"):
        for img in _doc(site, path.name).xpath("//article//img"):
            assert (img.get("alt") or "").strip(), f"{path.name}: {img.get('src')}"


@pytest.mark.parametrize("slug", LESSONS)
def test_lesson_has_every_part(site: Path, slug: str) -> None:
    """A lesson shows objectives, duration and sources on top; « À retenir », quiz and checklist at the bottom."""
    lesson = next(item for item in course.load_lessons() if item.slug == slug)
    article = _article(site, f"{slug}.html")
    top = article.xpath(".//div[contains(@class,'admonition')]")[0].text_content()
    assert "À la fin de cette leçon, vous saurez" in top
    assert "Durée estimée" in top and str(lesson.duration) in top and "Sources" in top
    ids = [h.get("id") for h in article.iter("h2")]
    assert ids[-3:] == ["a-retenir", "quiz", "auto-evaluation"], ids
    boxes = article.xpath(".//ul[@class='checklist']//input[@type='checkbox']")
    assert [b.get("data-check") for b in boxes] == [f"{slug}/{key}" for key in lesson.objectives]
    for box in boxes:
        assert article.xpath(f".//label[@for='{box.get('id')}']"), box.get("id")


@pytest.mark.parametrize("slug", LESSONS)
def test_lesson_links_to_next_lesson_and_bibliography(site: Path, slug: str) -> None:
    """The footer links to the next page of the course, and the lesson cites the bibliography."""
    doc = _doc(site, f"{slug}.html")
    order = list(course.nav_files())
    following = order[order.index(f"{slug}.md") + 1].replace(".md", ".html")
    assert doc.xpath(f"//footer//a[contains(@class,'md-footer__link--next') and @href='{following}']")
    assert doc.xpath("//article//a[starts-with(@href,'bibliographie.html#')]")


@pytest.mark.parametrize("slug", LESSONS)
def test_lesson_length(site: Path, slug: str) -> None:
    """A lesson's own text (without quiz, checklist and the diagrams' hidden « faites-le défiler » line) holds 900 to 2,600 words."""
    article = _article(site, f"{slug}.html")
    for node in article.xpath(".//div[contains(@class,'quiz')] | .//ul[@class='checklist'] | .//p[@class='schema-hint']"):
        node.getparent().remove(node)
    words = len(article.text_content().split())
    assert 900 <= words <= 2600, words
