"""The lesson frame is a Python-Markdown extension: it finds the page through each engine's own processors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import lxml.html
import markdown
import pytest
import yaml
from markdown.preprocessors import Preprocessor

from scripts.build import mdext
from scripts.model import course, quizbank
from scripts.model.course import ROOT


@pytest.fixture()
def in_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """In the project's folder, as an engine runs (snippets' base_path is relative to it); a fresh build state after."""
    monkeypatch.chdir(ROOT)
    yield
    mdext.reset()


def _context(path: str, meta: dict[str, object] | None = None) -> markdown.Extension:
    """What Zensical registers while rendering a page: a ``rendering_context`` preprocessor holding the page."""

    class Context(markdown.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
            processor = Preprocessor(md)
            processor.run = lambda lines: lines  # type: ignore[method-assign]
            processor.page = SimpleNamespace(path=path, url="", meta=meta or {})  # type: ignore[attr-defined]
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


# ---------------------------------------------------------------- the questions, under an engine that is not MkDocs

def _engine_page(path: str, **options: object) -> str:
    """A page as a Python-Markdown engine that is not MkDocs renders it (Zensical's way).

    mkdocs.yml's dialect, a rendering context with the page and its front matter, the course's extension with ``options``.
    """
    data = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.UnsafeLoader)  # noqa: S506
    names: list[object] = []
    configs: dict[str, dict[str, object]] = {}
    for entry in data["markdown_extensions"]:
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        configs[name] = config or {}
    meta, body = course.split_front_matter((course.DOCS / path).read_text(encoding="utf-8"))
    context = _context(f"/projet/docs/{path}", meta)
    md = markdown.Markdown(extensions=[context, *names, mdext.CourseExtension(**options)],  # type: ignore[list-item]
                           extension_configs=configs)
    return md.convert(body)


def _questions(page_html: str) -> dict[str, str]:
    """Each question of a page (by id, in page order) as HTML, its links made to .html pages as a site has them."""
    tree = lxml.html.fromstring(f"<div>{page_html}</div>")
    out = {}
    for element in tree.xpath("//div[@data-qid]"):
        text = lxml.html.tostring(element, encoding="unicode")
        out[element.get("data-qid")] = re.sub(r'href="([^"#]*)\.md([#"])', r'href="\1.html\2', text)
    return out


@pytest.mark.usefixtures("in_root")
def test_an_engine_that_is_not_mkdocs_gets_every_question_as_mkdocs_gives_it(site: Path) -> None:
    """Rendered as Zensical renders (Python-Markdown, no MkDocs hook), pages hold every question of theirs.

    A lesson, the final, the review and practice pages: each question the same HTML as in the MkDocs build but for the
    links that engine resolves itself (``lesson.md#id``); no placeholder is left, no glossary tooltip in a question.
    """
    bank = quizbank.load_bank()
    lesson = next(lesson for lesson in course.load_lessons() if lesson.slug in bank)
    every = [q.id for slug in (lesson.slug for lesson in course.load_lessons()) if slug in bank
             for q in bank[slug].questions if not q.written]
    expected = {f"{lesson.slug}.md": [q.id for q in bank[lesson.slug].questions],
                "evaluation-finale.md": [q.id for q in bank["evaluation-finale"].questions],
                "revoir.md": every, "s-entrainer.md": every}
    mdext.reset()
    for path, ids in expected.items():
        page_html = _engine_page(path)
        assert "partenariat:" not in page_html, path
        mine = _questions(page_html)
        theirs = _questions((site / path.replace(".md", ".html")).read_text(encoding="utf-8"))
        assert list(mine) == ids == list(theirs), path
        for qid in ids:
            assert mine[qid].strip() == theirs[qid].strip(), (path, qid)
            assert "<abbr" not in mine[qid], (path, qid)


@pytest.mark.usefixtures("in_root")
def test_a_sealed_final_under_another_engine_keeps_its_key_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``sealed_final`` (a learners' edition), the final rendered without MkDocs keeps its key out.

    No key marker, accepted answer or plain explanation, and no final item's id: as the MkDocs learners' edition.
    """
    monkeypatch.setenv("PARTENARIAT_KEYS", str(tmp_path / "keys"))
    mdext.reset()
    final = quizbank.load_bank()["evaluation-finale"]
    page_html = _engine_page("evaluation-finale.md", sealed_final=True)
    assert page_html.count('data-qid="') == len(final.questions)
    for marker in ('data-correct="true"', "data-accept=", "data-answer="):
        assert marker not in page_html, marker
    tree = lxml.html.fromstring(f"<div>{page_html}</div>")
    for steps in tree.xpath("//ol[contains(@class, 'quiz-steps')]"):  # an ordering item's steps: places as shown
        places = [int(step.get("data-step")) for step in steps.xpath("./li")]
        assert places == list(range(len(places)))
    for question in final.questions:
        assert question.id not in page_html, question.id
    explained = next(q for q in final.questions if len(q.explanation) > 80)
    assert explained.explanation[:60] not in page_html
    mdext.reset()
    assert 'data-correct="true"' in _engine_page("evaluation-finale.md")  # the same page unsealed does carry its key


@pytest.mark.usefixtures("in_root")
def test_an_engine_that_is_not_mkdocs_gets_the_page_passes(site: Path) -> None:
    """Without MkDocs, the extension's last pass does what the MkDocs hooks do to a page's HTML.

    Diagrams inlined as themed SVG figures (the decision aids page), glossary tooltips kept once per section and in
    their sense only (a lesson: the same terms, in the same order, as in the MkDocs build), task lists tickable.
    """
    mdext.reset()

    def figures(page_html: str) -> list[str]:
        return re.findall(r'<figure class="schema[^"]*">.*?<svg[^>]*aria-labelledby="([^"]+)"', page_html, flags=re.S)

    def tooltips(page_html: str) -> list[str]:
        return re.findall(r'<abbr data-preview title="[^"]*">([^<]*)</abbr>', page_html.split('id="quiz"')[0])

    tools = _engine_page("outils.md")
    assert figures(tools) and figures(tools) == figures((site / "outils.html").read_text(encoding="utf-8"))
    assert "<img" not in tools.split("</figure>")[0]
    lesson = next(iter(course.load_lessons()))
    mine = _engine_page(f"{lesson.slug}.md")
    theirs = (site / f"{lesson.slug}.html").read_text(encoding="utf-8")
    assert tooltips(mine) and tooltips(mine) == tooltips(theirs)
    assert "<abbr title=" not in mine  # every tooltip left is one kept by the pass
    tasks = markdown.markdown("# Essai\n\n- [ ] À faire\n- [x] Fait\n", extensions=[  # type: ignore[list-item]
        _context("/projet/docs/essai.md"), "pymdownx.tasklist", mdext.CourseExtension()])
    assert 'id="task-essai-0" data-check="essai/t0">' in tasks and 'data-check="essai/t1" checked>' in tasks
    assert '<label for="task-essai-0">À faire</label>' in tasks
