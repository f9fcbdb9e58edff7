"""The lesson frame as a Python-Markdown extension: whichever engine renders a lesson, it gets the same frame.

A lesson's objectives box (« À la fin de cette leçon, vous saurez… », duration, prerequisites, sources) after its
title, and its « Je suis capable de… » checklist at its end, both made from its front matter. The extension finds
the page being rendered through each engine's own hook into Python-Markdown (:func:`page_path`): MkDocs and
ProperDocs register their ``relpath`` tree processor with the page's file; Zensical registers a ``rendering_context``
preprocessor with the page. The MkDocs adapter adds the extension in ``on_config``; another engine lists
``scripts.build.mdext`` under ``markdown_extensions``.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from scripts.model import course

NBSP = "\u00a0"
_cache: dict[str, Any] = {}


def reset() -> None:
    """Forget the lessons read: the next page reads them again (a new build under ``mkdocs serve``)."""
    _cache.clear()


def _lessons() -> dict[str, course.Lesson]:
    if "lessons" not in _cache:
        _cache["lessons"] = {lesson.slug: lesson for lesson in course.load_lessons()}
    lessons: dict[str, course.Lesson] = _cache["lessons"]
    return lessons


def seed_labels() -> dict[str, str]:
    """Seed titles as the sources page names them (« Document 000 … »)."""
    if "labels" not in _cache:
        labels: dict[str, str] = {}
        page = course.DOCS / "sources.md"
        if page.is_file():
            for line in page.read_text(encoding="utf-8").splitlines():
                match = re.match(r"^##\s+(.*?)\s*\{[^}]*#seed-(\d{3})[^}]*\}", line)
                if match:
                    labels[match.group(2)] = match.group(1)
        _cache["labels"] = labels
    result: dict[str, str] = _cache["labels"]
    return result


def objectives_box(lesson: course.Lesson, known: dict[str, course.Lesson]) -> str:
    """The box under a lesson's title: its objectives, duration, prerequisites and sources (Markdown)."""
    labels = seed_labels()
    items = "\n".join(f"    - {text}" for text in lesson.objectives.values())
    seeds = sorted({s["seed"] for s in lesson.sources})
    sources = ", ".join(f"[{labels.get(s, 'Document ' + s)}](sources.md#seed-{s})" for s in seeds)
    lines = [
        '!!! abstract "À la fin de cette leçon, vous saurez…"',
        "",
        items,
        "",
        f"    **Durée estimée{NBSP}:** {lesson.duration}{NBSP}minutes  ",
    ]
    if lesson.prerequisites:
        prereq = ", ".join(f"[{known[p].title if p in known else p}]({p}.md)" for p in lesson.prerequisites)
        lines.append(f"    **Prérequis{NBSP}:** {prereq}  ")
    lines.append(f"    **Sources{NBSP}:** {sources}")
    return "\n".join(lines) + "\n"


def checklist(lesson: course.Lesson) -> str:
    """The « Je suis capable de… » self-assessment at a lesson's end: one box per objective (Markdown with HTML)."""
    items = []
    for key, text in lesson.objectives.items():
        ident = f"check-{lesson.slug}-{key}"
        label = html.escape(text[:1].upper() + text[1:])
        items.append(f'<li><input type="checkbox" id="{ident}" data-check="{lesson.slug}/{key}">'
                     f'<label for="{ident}">{label}</label></li>')
    return "\n".join([
        "## Je suis capable de… { #auto-evaluation }",
        "",
        f"Cochez ce que vous savez faire{NBSP}: l’état de l’enregistrement de vos coches s’affiche sous la liste.",
        "",
        f'<ul class="checklist" data-lesson="{lesson.slug}" data-search-exclude>',
        *items,
        "</ul>",
        "",
        '<p class="checklist-status" role="status"></p>',
        "",
    ])


def insert_after_h1(markdown: str, block: str) -> str:
    """``block`` after the page's first level-1 heading (at the top if it has none)."""
    match = re.search(r"^# .*$", markdown, re.M)
    if not match:
        return block + "\n" + markdown
    return markdown[: match.end()] + "\n\n" + block + markdown[match.end():]


def page_path(md: Markdown) -> str | None:
    """The source path (relative to docs/) of the page ``md`` is rendering, from the engine's own processors."""
    if "relpath" in md.treeprocessors:  # MkDocs, ProperDocs
        file = getattr(md.treeprocessors["relpath"], "file", None)
        return getattr(file, "src_uri", None)
    if "rendering_context" in md.preprocessors:  # Zensical
        page = getattr(md.preprocessors["rendering_context"], "page", None)
        path = getattr(page, "path", None)
        if path:
            parts = PurePosixPath(str(path).replace("\\", "/")).parts
            return "/".join(parts[parts.index("docs") + 1:]) if "docs" in parts else "/".join(parts)
    return None


class LessonFrame(Preprocessor):
    """Adds a lesson's objectives box after its title and its checklist at its end."""

    def run(self, lines: list[str]) -> list[str]:
        """The page's lines, framed when the page is a lesson."""
        path = page_path(self.md)
        lesson = _lessons().get(path.removesuffix(".md")) if path else None
        if lesson is None:
            return lines
        text = insert_after_h1("\n".join(lines), objectives_box(lesson, _lessons()))
        return (text.rstrip() + "\n\n" + checklist(lesson)).split("\n")


class CourseExtension(Extension):
    """The course's Python-Markdown extension (the lesson frame)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        """Register the lesson frame before snippets (32) and every block parser."""
        md.preprocessors.register(LessonFrame(md), "partenariat_lesson_frame", 40)


def makeExtension(**kwargs: Any) -> CourseExtension:  # noqa: N802 (Python-Markdown's entry point)
    """The extension, for ``markdown_extensions: [scripts.build.mdext]``."""
    return CourseExtension(**kwargs)
