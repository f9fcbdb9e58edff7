"""MkDocs hooks of the extras (issue 15): links at the end of each lesson, summary sheets in the print edition.

- At the end of each lesson's own text (after « À retenir », before the quiz that scripts/build/pages.py appends), a box
  links to the lesson's one-page summary (``docs/essentiel/<slug>.md``), to its step of the fil rouge
  (``docs/fil-rouge.md#etape-N``) and, where one applies, to a decision aid of ``docs/outils.md``. The lesson files
  stay untouched.
- The print edition (the page whose front matter says ``generate: print``) ends with every summary sheet.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from scripts.model import course

NBSP = "\u00a0"
ESSENTIEL = course.DOCS / "essentiel"
FIL_ROUGE = course.DOCS / "fil-rouge.md"
# Decision aid of docs/outils.md that applies to a lesson: (anchor, link text).
TOOLS = {
    "definitions": ("definitions", "le tableau des définitions"),
    "fondements": ("frise", "la frise des fondements"),
    "notions-voisines": ("arbre", f"l’arbre «{NBSP}Est-ce un partenariat{NBSP}?{NBSP}»"),
}
QUIZ_HEADING = re.compile(r"^## (?:Testez vos connaissances|Je suis capable de…)", re.M)


_state: dict[str, dict[str, tuple[str, str]]] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Forget the fil rouge of a previous build (``mkdocs serve`` rebuilds in the same process)."""
    _state.clear()
    return config


def fil_rouge_steps() -> dict[str, tuple[str, str]]:
    """Lesson slug → (step anchor, step title), read from the fil rouge page (once per build): each step links to its lesson."""
    if "steps" in _state:
        return _state["steps"]
    steps: dict[str, tuple[str, str]] = _state.setdefault("steps", {})
    if not FIL_ROUGE.is_file():
        return steps
    text = FIL_ROUGE.read_text(encoding="utf-8")
    for match in re.finditer(r"^## ([^\n]+?) \{ #(etape-\d+) \}\n(.*?)(?=^## |\Z)", text, re.M | re.S):
        link = re.search(r"\]\(([a-z0-9-]+)\.md\)", match.group(3))
        if link:
            steps[link.group(1)] = (match.group(2), match.group(1))
    return steps


def lesson_box(slug: str) -> str:
    """The « Après cette leçon » box of a lesson (Markdown)."""
    items = []
    if (ESSENTIEL / f"{slug}.md").is_file():
        items.append(f"[L’essentiel sur une page](essentiel/{slug}.md), à imprimer.")
    step = fil_rouge_steps().get(slug)
    if step:
        number, _, question = step[1].partition(" – ")
        items.append(f"[Fil rouge, {number.lower()}](fil-rouge.md#{step[0]}){NBSP}: {question[:1].lower()}{question[1:]}")
    if slug in TOOLS:
        anchor, text = TOOLS[slug]
        items.append(f"[Outil{NBSP}: {text}](outils.md#{anchor})")
    if not items:
        return ""
    return '!!! abstract "Après cette leçon"\n' + "".join(f"    - {item}\n" for item in items)


def _insert_before_quiz(markdown: str, block: str) -> str:
    match = QUIZ_HEADING.search(markdown)
    if not match:
        return markdown.rstrip() + "\n\n" + block
    return markdown[:match.start()] + block + "\n" + markdown[match.start():]


def essentiel_for_print() -> str:
    """Every summary sheet, in course order, for the print edition (headings one level down, ids prefixed)."""
    parts = ["## L’essentiel, leçon par leçon { #essentiel }", ""]
    for lesson in course.load_lessons():
        path = ESSENTIEL / f"{lesson.slug}.md"
        if not path.is_file():
            continue
        _, body = course.split_front_matter(path.read_text(encoding="utf-8"))
        sheet = lesson.title
        for line in body.splitlines():
            heading = re.match(r"^(#{1,5}) (.+?)(?: \{ #([\w-]+) \})?$", line)
            if heading:
                level, title, anchor = len(heading.group(1)), heading.group(2), heading.group(3)
                if level == 1:
                    sheet = title
                    parts.append(f"### {title} {{ #essentiel-{lesson.slug} }}")
                else:  # « À retenir (L’essentiel : Définitions) »: unique on the print page, lessons included
                    parts.append(f"{'#' * (level + 2)} {title} ({sheet}) {{ #essentiel-{lesson.slug}-{anchor} }}")
                continue
            line = re.sub(r"^(\s*)\?\?\?\+?(\s)", r"\1!!!\2", line)  # nothing stays folded on paper
            parts.append(re.sub(r"\]\(\.\./", "](", line))
        parts.append("")
    return "\n".join(parts)


@event_priority(50)  # after scripts/build/pages.py (100) has appended the quiz, the checklist and the print edition
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Add the « Après cette leçon » box to lessons and the summary sheets to the print edition."""
    slug = page.file.src_uri.removesuffix(".md")
    if "objectives" in page.meta:
        box = lesson_box(slug)
        if box:
            markdown = _insert_before_quiz(markdown, box)
    if page.meta.get("generate") == "print":
        markdown = markdown.rstrip() + "\n\n" + essentiel_for_print()
    return markdown
