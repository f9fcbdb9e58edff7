"""Layer 3: every question of the bank turned into HTML once per build, reused by every output.

mkdocs-quiz stays the renderer of the four classic types (single, multiple, truefalse, fill): its
``_process_quiz`` is called once per question, with one Markdown instance and one translation set-up
for the whole build, and the fragment is kept by question id. The lesson page, the print worksheet
and the answer key are cut from that one fragment (question, choice labels, feedbacks, explanation).

Pages ask for a fragment with a placeholder comment (:func:`placeholder`) written into their Markdown;
:meth:`Renderer.expand` replaces the placeholders of a rendered page with HTML. Fragments are
rendered as if from a page at the root of ``docs/``; :func:`relink` adapts their relative links to a
page ``up`` levels below.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import lxml.html
import markdown as md
from lxml import etree
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs_quiz.plugin import MkDocsQuizPlugin
from mkdocs_quiz.translations import TranslationManager

from scripts import quizbank

NBSP = "\u00a0"
LETTERS = quizbank.LETTERS
PLACEHOLDER = re.compile(r"<!-- partenariat:(\w+):([^ ]*) -->")
RELATIVE = re.compile(r'\b(href|src)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)')
QUIZ_REF = re.compile(r'(["#])quiz-0(?=[-"])')


def placeholder(kind: str, *args: str) -> str:
    """A Markdown block that :meth:`Renderer.expand` replaces with the HTML of ``kind`` for ``args``."""
    return f"\n<!-- partenariat:{kind}:{':'.join(args)} -->\n"


def relink(fragment: str, up: str) -> str:
    """Relative links of a fragment rendered at the root of docs/, made to work ``up`` levels below."""
    return RELATIVE.sub(lambda m: f'{m.group(1)}="{up}', fragment) if up else fragment


def shown_choices(question: quizbank.Question) -> tuple[quizbank.Choice, ...]:
    """The choices in the order they are shown everywhere (the bank decides it)."""
    return question.display_choices()


def _inner(element: Any) -> str:
    """The HTML inside an element, without the element's own tag."""
    parts = [html.escape(element.text, quote=False) if element.text else ""]
    parts += [etree.tostring(child, encoding="unicode", method="html") for child in element]
    return "".join(parts).strip()


class _OnceQuiz(MkDocsQuizPlugin):
    """mkdocs-quiz's own renderer, sharing one Markdown instance across every question of a build."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        super().__init__()
        self.config = options  # type: ignore[assignment]  # the options of the configured plugin
        self._shared: md.Markdown | None = None

    def _create_fragment_markdown(self, page: Any, config: MkDocsConfig, files: Files) -> md.Markdown:
        if self._shared is None:
            self._shared = super()._create_fragment_markdown(page, config, files)
        return self._shared


@dataclass(frozen=True)
class Fragment:
    """One question rendered once: the interactive block and the parts the other outputs reuse."""

    question: quizbank.Question
    web: str  # the interactive question, its number to be filled in (see Renderer.web)
    stem: str  # the question's text
    labels: tuple[str, ...] = ()  # choice labels, in the order shown
    feedbacks: tuple[str, ...] = ()  # per-choice feedback, in the order shown ("" when none)
    explanation: str = ""


class Renderer:
    """The build's question fragments, each rendered on first use and kept by question id."""

    def __init__(self, config: MkDocsConfig, files: Files, root: File,
                 tooltips: Callable[[str], str] = lambda text: text) -> None:
        plugin = next((p for p in config.plugins.values() if isinstance(p, MkDocsQuizPlugin)), None)
        if plugin is None:
            raise ValueError("mkdocs.yml: the mkdocs_quiz plugin is missing from 'plugins'")
        self._quiz = _OnceQuiz(plugin.config)
        self._config = config
        self._files = files
        self._page = SimpleNamespace(file=root, meta={}, url=root.url)  # a page at the root of docs/
        self._options = self._quiz._get_quiz_options(self._page)  # type: ignore[arg-type]
        self.translations: TranslationManager = self._quiz._get_translation_manager(self._page, config)  # type: ignore[arg-type]
        self._tooltips = tooltips
        self._cache: dict[str, Fragment] = {}
        self.rendered = 0  # how many questions were turned into HTML (each once)

    # ---------------------------------------------------------------- rendering

    def quiz_markdown(self, question: quizbank.Question) -> str:
        """The mkdocs-quiz ``<quiz>`` body of a classic question, choices in the order shown."""
        tip = self._tooltips
        if question.type == "fill":
            body = question.question.replace(quizbank.BLANK, f"[[{question.answers[0]}]]")
            return f"{tip(body)}\n\n---\n{tip(question.explanation)}"
        lines = [tip(question.question)]
        for choice in shown_choices(question):
            lines.append(f"- [{'x' if choice.correct else ' '}] {choice.text}")
            if choice.feedback:
                lines.extend(f"    > {part}" for part in choice.feedback.splitlines())
        return "\n".join(lines) + f"\n\n{tip(question.explanation)}"

    def fragment(self, question: quizbank.Question) -> Fragment:
        """The question's fragment, rendered by mkdocs-quiz the first time only."""
        cached = self._cache.get(question.id)
        if cached is None:
            cached = self._cache[question.id] = self._render(question)
            self.rendered += 1
        return cached

    def _render(self, question: quizbank.Question) -> Fragment:
        raw = self._quiz._process_quiz(self.quiz_markdown(question), 0, self._options, self.translations,
                                       self._config, self._page, self._files)  # type: ignore[arg-type]
        web = self._rewrite(raw, question)
        tree = lxml.html.fragment_fromstring(web)
        stem = _inner(tree.find_class("quiz-question")[0])
        labels = tuple(_inner(label) for label in tree.iter("label"))
        feedbacks = tuple(
            _inner(box.find_class("answer-feedback")[0]) if box.find_class("answer-feedback") else ""
            for box in tree.xpath(".//fieldset/div")
        )
        explanation = _inner(tree.xpath(".//section")[0])
        return Fragment(question, web, stem, labels, feedbacks, explanation)

    def _rewrite(self, raw: str, question: quizbank.Question) -> str:
        """mkdocs-quiz's HTML made accessible, keyed by the question id, and free of its own script hooks."""
        qid = question.id
        extra = f' data-qid="{qid}" data-type="{question.type}" data-search-exclude'
        if question.type == "fill":
            extra += f' data-accept="{html.escape(json.dumps(list(question.answers), ensure_ascii=False))}"'
        out = re.sub(r'<div class="quiz( quiz-fill-blank)?"([^>]*) id="quiz-0">',
                     lambda m: f'<div class="quiz{m.group(1) or ""}"{m.group(2)}{extra} id="q-{qid}">', raw, count=1)
        out = QUIZ_REF.sub(lambda m: f"{m.group(1)}q-{qid}", out)
        out = out.replace(f'<a href="#q-{qid}" class="quiz-header-link">#</a>',
                          f'<a href="#q-{qid}" class="quiz-header-link" aria-label="Lien vers cette question">#</a>')
        out = re.sub(r'<h4 class="quiz-number">.*?</h4>', '<h3 class="quiz-number">\x00</h3>', out, count=1)
        out = out.replace('<div class="quiz-feedback hidden"></div>',
                          '<div class="quiz-feedback" role="status" aria-live="polite"></div>')
        out = out.replace('<form action="javascript:void(0);" onsubmit="return false;">', "<form>")
        out = out.replace('<section class="content hidden">', '<section class="content" hidden>')
        # an answer is stored by the choice's place in the YAML file, whatever the order shown
        written = {choice: index for index, choice in enumerate(question.choices)}
        order = [written[choice] for choice in shown_choices(question)]
        out = re.sub(r'name="answer" value="(\d+)"',
                     lambda m: f'name="answer" value="{order[int(m.group(1))]}"', out)
        return out

    # ---------------------------------------------------------------- outputs

    def web(self, question: quizbank.Question, number: int, up: str = "") -> str:
        """The interactive question as the learner sees it, numbered ``number``."""
        title = html.escape(self.translations.get("Question {n}", n=number))
        return relink(self.fragment(question).web.replace("\x00", title, 1), up)

    def worksheet(self, questions: tuple[quizbank.Question, ...], up: str = "") -> str:
        """Questions for paper: numbered, choices lettered in the order shown, blanks, no answer."""
        items = []
        for question in questions:
            fragment = self.fragment(question)
            stem = re.sub(r"<input[^>]*>", '<span class="worksheet-blank">' + "_" * 12 + "</span>", fragment.stem)
            hint = ('<p class="worksheet-hint"><em>(plusieurs réponses possibles)</em></p>'
                    if question.type == "multiple" else "")
            choices = "".join(
                f'<li><span class="worksheet-box" aria-hidden="true">☐</span> '
                f'<span class="worksheet-letter">{LETTERS[i]}.</span> {label}</li>'
                for i, label in enumerate(fragment.labels))
            choices_html = f'<ul class="worksheet-choices">{choices}</ul>' if choices else ""
            items.append(f'<li class="worksheet-question" data-qid="{question.id}">{stem}{hint}{choices_html}</li>')
        return relink(f'<ol class="worksheet">{"".join(items)}</ol>', up)

    def expand(self, page_html: str, handlers: Mapping[str, Callable[..., str]]) -> str:
        """Replace each placeholder of a rendered page with its handler's HTML."""

        def repl(match: re.Match[str]) -> str:
            kind, args = match.group(1), match.group(2).split(":")
            if kind not in handlers:
                raise ValueError(f"unknown placeholder kind {kind!r}")
            return handlers[kind](*args)

        return PLACEHOLDER.sub(repl, page_html)
