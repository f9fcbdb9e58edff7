"""The lesson frame is a Python-Markdown extension: it finds the page through each engine's own processors."""

from __future__ import annotations

from types import SimpleNamespace

import markdown
from markdown.preprocessors import Preprocessor

from scripts.build import mdext
from scripts.model import course


def _context(path: str) -> markdown.Extension:
    """What Zensical registers while rendering a page: a ``rendering_context`` preprocessor holding the page."""

    class Context(markdown.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
            processor = Preprocessor(md)
            processor.run = lambda lines: lines  # type: ignore[method-assign]
            processor.page = SimpleNamespace(path=path, url="", meta={})  # type: ignore[attr-defined]
            md.preprocessors.register(processor, "rendering_context", 0)

    return Context()


def _render(path: str | None, source: str) -> str:
    extensions: list[object] = ["admonition", "attr_list", "md_in_html", mdext.CourseExtension()]
    if path is not None:
        extensions.insert(0, _context(path))
    return markdown.markdown(source, extensions=extensions)  # type: ignore[arg-type]


def test_a_lesson_rendered_by_a_zensical_like_engine_gets_its_frame() -> None:
    """Through a rendering context (Zensical's way), a lesson gets its objectives box and its checklist.

    The box comes after the title, the checklist at the end, with one box per objective of the front matter.
    """
    mdext.reset()
    lesson = next(iter(course.load_lessons()))
    html = _render(f"/site/docs/{lesson.slug}.md", f"# {lesson.title}\n\nLe texte de la leçon.\n")
    assert html.index("<h1") < html.index("À la fin de cette leçon") < html.index("Le texte de la leçon")
    assert html.index("Le texte de la leçon") < html.index('id="auto-evaluation"')
    assert html.count('data-check="') == len(lesson.objectives)
    assert f"{lesson.duration}\u00a0minutes" in html


def test_a_page_that_is_not_a_lesson_or_an_unknown_engine_leaves_the_text_alone() -> None:
    """Not a lesson (the home page), or no page known at all: no box, no checklist."""
    mdext.reset()
    for path in ("docs/index.md", None):
        html = _render(path, "# Accueil\n\nBienvenue.\n")
        assert "À la fin de cette leçon" not in html and "auto-evaluation" not in html
