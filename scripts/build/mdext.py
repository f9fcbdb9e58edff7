"""The course's pages as a Python-Markdown extension: whichever engine renders a lesson, it gets the same page.

- A lesson's objectives box (« À la fin de cette leçon, vous saurez… », duration, prerequisites, sources) after its
  title, its quiz, and its « Je suis capable de… » checklist at its end, made from its front matter and the bank; the
  final assessment gets its rules and its questions (sealed in a learners' edition: ``sealed_final``); the review and
  practice pages (``generate: review|practice``) get every lesson question.
- Every question placeholder (:func:`quizrender.placeholder`, kind ``web``) replaced by its fragment, rendered once
  per build (:mod:`scripts.build.quizrender`), before the engine rewrites the links of raw HTML.

The extension finds the page being rendered through each engine's own hook into Python-Markdown (:func:`page_path`):
MkDocs and ProperDocs register their ``relpath`` tree processor with the page's file; Zensical registers a
``rendering_context`` preprocessor with the page. The MkDocs adapter adds the extension in ``on_config`` and hands it
a renderer that resolves links as MkDocs does (:func:`use_renderer`); another engine lists ``scripts.build.mdext``
under ``markdown_extensions`` and the extension makes its own renderer from the dialect mkdocs.yml declares.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from scripts.build import learner, quizrender, seal, sealed, svg, tooltips
from scripts.model import course, quizbank

NBSP = "\u00a0"
_cache: dict[str, Any] = {}


def reset() -> None:
    """Forget what a build read and made: the next page reads it again (a new build under ``mkdocs serve``)."""
    _cache.clear()


def use_renderer(renderer: quizrender.Renderer, page_passes: bool) -> None:
    """The question renderer of this build, set by an engine adapter (links resolved the engine's way).

    ``page_passes``: the adapter runs :func:`finish_page` itself, once its own generated content is in the page.
    """
    _cache["renderer"] = renderer
    _cache["adapter_passes"] = page_passes


def build_keys(sealed_final: bool) -> seal.Keys | None:
    """The publisher's keys when the final is sealed (a learners' edition), read or made once per build."""
    if not sealed_final:
        return None
    if "keys" not in _cache:
        _cache["keys"] = seal.load_or_create()
    keys: seal.Keys = _cache["keys"]
    return keys


def course_markdown(config_file: Path = course.ROOT / "mkdocs.yml") -> Markdown:
    """The course's Markdown dialect as mkdocs.yml declares it, for one part of a question (nothing auto-appended)."""
    # The project's own file; its toc ``slugify`` is a Python object (``!!python/object/apply``), as MkDocs reads it.
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=yaml.UnsafeLoader)  # noqa: S506
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for entry in data.get("markdown_extensions") or []:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        if name == __name__:
            continue
        names.append(name)
        configs[name] = {k: v for k, v in (options or {}).items() if k != "auto_append"}
    return Markdown(extensions=names, extension_configs=configs)


def renderer() -> quizrender.Renderer:
    """The build's question renderer: the adapter's, else one made from mkdocs.yml's dialect (links left as written)."""
    if "renderer" not in _cache:
        _cache["renderer"] = quizrender.Renderer(course_markdown)
    made: quizrender.Renderer = _cache["renderer"]
    return made


def _bank() -> dict[str, quizbank.Quiz]:
    if "bank" not in _cache:
        _cache["bank"] = quizbank.load_bank()
    bank: dict[str, quizbank.Quiz] = _cache["bank"]
    return bank


def lesson_questions() -> list[tuple[str, str]]:
    """(lesson, question id) of every lesson question that checks itself, in course order: review and practice."""
    bank = _bank()
    return [(lesson.slug, q.id) for lesson in _lessons().values() if lesson.slug in bank
            for q in bank[lesson.slug].questions if not q.written]


def know_meta(path: str, meta: Mapping[str, Any]) -> None:
    """The front matter of the page at ``path``, as the engine adapter has read it (MkDocs keeps it from Markdown)."""
    _cache.setdefault("meta", {})[path] = dict(meta)


def page_meta(md: Markdown, path: str) -> dict[str, Any]:
    """The front matter of the page being rendered: the engine's (Zensical, or the adapter's), else read from docs/."""
    if "rendering_context" in md.preprocessors:
        meta = getattr(getattr(md.preprocessors["rendering_context"], "page", None), "meta", None)
        if isinstance(meta, dict):
            return meta
    known: dict[str, dict[str, Any]] = _cache.setdefault("meta", {})
    if path not in known:
        source = course.DOCS / path
        known[path] = course.split_front_matter(source.read_text(encoding="utf-8"))[0] if source.is_file() else {}
    return known[path]


def _questions() -> dict[str, quizbank.Question]:
    if "questions" not in _cache:
        _cache["questions"] = {q.id: q for quiz in _bank().values() for q in quiz.questions}
    questions: dict[str, quizbank.Question] = _cache["questions"]
    return questions


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


def quiz_section(quiz: quizbank.Quiz, heading: bool) -> str:
    """A page's questions, as placeholders that :class:`QuestionBlocks` fills in (Markdown)."""
    intro = (f"Vos réponses restent enregistrées dans ce navigateur{NBSP}; retrouvez-les dans "
             f"[Mon parcours](parcours.md). Répondez, puis validez{NBSP}: l’explication s’affiche.")
    title = "Testez vos connaissances" if heading else "Les questions"
    parts = [f"## {title} {{ #quiz data-search-exclude }}", "", intro, ""]
    parts.extend(quizrender.placeholder("web", q.id, str(number), "") for number, q in enumerate(quiz.questions, 1))
    return "\n".join(parts)


def final_rules(quiz: quizbank.Quiz) -> str:
    """The final assessment's rules, above its questions, where it checks itself in the browser (Markdown)."""
    mark = quiz.pass_mark or course.PASS_MARK_DEFAULT
    return "\n".join([
        '!!! info "Règles de l’évaluation"',
        "",
        f"    - **{len(quiz.questions)} questions**, une réponse validée par question (pas de second essai){NBSP};",
        f"    - **seuil de réussite{NBSP}: {mark}{NBSP}%** de bonnes réponses{NBSP};",
        "    - votre score s’affiche en bas de page et dans [Mon parcours](parcours.md).",
        "",
        f"Pour vous entraîner sans effet sur ce résultat{NBSP}: [S’entraîner](s-entrainer.md).",
        "",
    ])


def with_quiz(markdown: str, quiz: quizbank.Quiz, lesson: bool, keys: seal.Keys | None) -> str:
    """A page's Markdown with its quiz: a lesson's « Testez vos connaissances », or the final with its rules."""
    if not lesson:
        rules = sealed.final_rules(quiz, keys.public_jwk) if keys else final_rules(quiz)
        markdown = markdown.rstrip() + "\n\n" + rules
    markdown = markdown.rstrip() + "\n\n" + quiz_section(quiz, heading=lesson)
    if not lesson:
        markdown += ("\n" + sealed.final_end(keys.public_jwk) + "\n" if keys
                     else '\n<p class="final-result" role="status"></p>\n')
    return markdown


TASK_ITEM = re.compile(r'<li class="task-list-item"><input type="checkbox"( disabled)?( checked)?/?>(.*?)</li>', re.S)


def label_tasks(output: str, slug: str) -> str:
    """Task-list items become labelled, tickable, remembered checkboxes."""
    counter = iter(range(1_000_000))

    def repl(match: re.Match[str]) -> str:
        n = next(counter)
        ident = f"task-{slug.replace('/', '-')}-{n}"
        checked = " checked" if match.group(2) else ""
        return (f'<li class="task-list-item"><input type="checkbox" id="{ident}" data-check="{slug}/t{n}"{checked}>'
                f'<label for="{ident}">{match.group(3).strip()}</label></li>')

    return TASK_ITEM.sub(repl, output)


def _source(target: str) -> Path | None:
    """The file of docs/ at a site path (a diagram), if there is one."""
    path = course.DOCS / target
    return path if path.is_file() and course.DOCS in path.resolve().parents else None


def finish_page(output: str, path: str, keys: seal.Keys | None) -> str:
    """The passes over a page's final HTML, in the order the MkDocs adapter runs them.

    Diagrams inlined, final ids hidden (learners' edition), task lists made tickable, glossary tooltips.
    """
    output = svg.inline_all(output, str(PurePosixPath(path).parent).removeprefix("."), _source, f"docs/{path}")
    bank = _bank()
    if keys is not None and sealed.FINAL in bank:
        output = sealed.hide_ids(output, keys, bank[sealed.FINAL])
    output = label_tasks(output, path.removesuffix(".md"))
    if "exclusions" not in _cache:
        _cache["exclusions"] = tooltips.load_exclusions()
    return tooltips.page_pass(output, _cache["exclusions"], path)[0]


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


GENERATED = {"review": learner.review_page, "practice": learner.practice_page}


class LessonFrame(Preprocessor):
    """Adds a lesson's objectives box after its title, then its quiz and its checklist at its end; the final's quiz."""

    def __init__(self, md: Markdown, sealed_final: bool) -> None:
        super().__init__(md)
        self.sealed_final = sealed_final

    def run(self, lines: list[str]) -> list[str]:
        """The page's lines, framed when the page is a lesson or has a quiz."""
        path = page_path(self.md)
        slug = path.removesuffix(".md") if path else None
        lesson = _lessons().get(slug) if slug else None
        quiz = _bank().get(slug) if slug else None
        if lesson is None and quiz is None:
            generator = page_meta(self.md, path).get("generate") if path else None
            if generator in GENERATED:  # the pages that hold every lesson question: one block, made after Markdown
                return [*"\n".join(lines).rstrip().split("\n"), "", *quizrender.placeholder("generated", generator).split("\n")]
            return lines
        text = "\n".join(lines)
        if lesson is not None:
            text = insert_after_h1(text, objectives_box(lesson, _lessons()))
        if quiz is not None:
            text = with_quiz(text, quiz, lesson is not None, build_keys(self.sealed_final))
        if lesson is not None:
            text = text.rstrip() + "\n\n" + checklist(lesson)
        return text.split("\n")


def _holds_questions(block: str) -> bool:
    """Whether a raw HTML block of the stash holds a question placeholder or a generated page's."""
    return "<!-- partenariat:web:" in block or "<!-- partenariat:generated:" in block


class QuestionBlocks(Postprocessor):
    """Each question placeholder, kept by Python-Markdown as a raw HTML block, replaced by the question's fragment.

    It runs before the engine's own pass over raw HTML (Zensical rewrites links there, at priority 31) and before the
    blocks are put back in the page (30).
    """

    def __init__(self, md: Markdown, sealed_final: bool) -> None:
        super().__init__(md)
        self.sealed_final = sealed_final
        self._done: tuple[list[Any], int] = ([], 0)  # the stash already filled in (kept: never another's), its length

    def run(self, text: str) -> str:
        """The page unchanged; its placeholder blocks now hold their questions."""
        blocks = self.md.htmlStash.rawHtmlBlocks
        # the toc extension runs the postprocessors on every heading: the stash is searched once, not once per heading
        if self._done[0] is blocks and self._done[1] == len(blocks):
            return text
        self._done = (blocks, len(blocks))
        if not any(isinstance(b, str) and _holds_questions(b) for b in blocks):
            return text
        path = page_path(self.md) or ""
        keys = build_keys(self.sealed_final) if path.removesuffix(".md") == sealed.FINAL else None
        questions, made = _questions(), renderer()
        if "prepared" not in _cache:  # once per build, before the first page's questions
            made.prepare(questions.values())
            _cache["prepared"] = True

        def web(qid: str, number: str, up: str) -> str:
            question = questions[qid]
            fragment = made.web(question, int(number), up)
            return quizrender.marked_for_search(sealed.seal_fragment(fragment, question, keys) if keys else fragment)

        def generated(name: str) -> str:  # its HTML is written whole: Markdown would only pass it through
            return quizrender.Renderer.expand(GENERATED[name](lesson_questions()), {"web": web})

        for index, block in enumerate(blocks):
            if isinstance(block, str) and _holds_questions(block):
                blocks[index] = quizrender.Renderer.expand(block, {"web": web, "generated": generated}, others=True)
        return text


class PageEnd(Postprocessor):
    """The passes over the page's final HTML (:func:`finish_page`), unless the engine adapter runs them itself.

    MkDocs' adapter runs them after it has filled in its generated pages (``scripts/build/pages.py``).
    """

    def __init__(self, md: Markdown, sealed_final: bool) -> None:
        super().__init__(md)
        self.sealed_final = sealed_final

    def run(self, text: str) -> str:
        """The page's HTML after the passes."""
        path = page_path(self.md)
        if _cache.get("adapter_passes") or path is None:
            return text
        return finish_page(text, path, build_keys(self.sealed_final))


class CourseExtension(Extension):
    """The course's Python-Markdown extension: the lesson frame and the questions."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"sealed_final": [False, "a learners' edition: the final assessment without its key"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        """Register the frame before snippets (32) and every block parser; the questions before raw HTML returns."""
        sealed_final = bool(self.getConfig("sealed_final"))
        md.preprocessors.register(LessonFrame(md, sealed_final), "partenariat_lesson_frame", 40)
        md.postprocessors.register(QuestionBlocks(md, sealed_final), "partenariat_questions", 35)
        md.postprocessors.register(PageEnd(md, sealed_final), "partenariat_page_end", 1)


def makeExtension(**kwargs: Any) -> CourseExtension:  # noqa: N802 (Python-Markdown's entry point)
    """The extension, for ``markdown_extensions: [scripts.build.mdext]``."""
    return CourseExtension(**kwargs)
