"""Layer 3: every question of the bank turned into HTML once per build, reused by every output.

mkdocs-quiz stays the renderer of the four classic types (single, multiple, truefalse, fill), used as a library, not
as an MkDocs plugin: its ``_process_quiz`` is called once per question with the course's options
(:data:`QUIZ_OPTIONS`), one Markdown instance and one French translation set-up for the whole build, and the
fragment is kept by question id. The Markdown instance comes from the engine (:class:`Renderer` takes a factory):
under MkDocs and ProperDocs it resolves links as MkDocs does; elsewhere links stay as written (``lesson.md#id``) for
the engine to resolve. The two types mkdocs-quiz does not know,
``associer`` (matching: one labelled ``<select>`` per left item) and ``ordonner`` (ordering: a list with
« Monter » / « Descendre » buttons), are rendered here with the same Markdown instance; their browser
side is ``docs/assets/javascripts/quiz-extra.js``. The lesson page, the print worksheet and the answer
key are cut from the one fragment (question, choice labels, feedbacks, explanation).

Pages ask for a fragment with a placeholder comment (:func:`placeholder`) written into their Markdown;
:meth:`Renderer.expand` replaces the placeholders of a rendered page with HTML. Fragments are
rendered as if from a page at the root of ``docs/``; :func:`relink` adapts their relative links to a
page ``up`` levels below.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import lxml.html
import markdown as md
from lxml import etree
from mkdocs_quiz.plugin import MkDocsQuizPlugin
from mkdocs_quiz.translations import TranslationManager

from scripts.model import quizbank

NBSP = "\u00a0"
LETTERS = quizbank.LETTERS
PLACEHOLDER = re.compile(r"<!-- partenariat:(\w+):([^ ]*) -->")
# Around each interactive question in a page until the search plugin has read the page (scripts/build/search.py).
NOT_READ_BY_SEARCH = ("<!-- partenariat-question -->", "<!-- /partenariat-question -->")
RELATIVE = re.compile(r'\b(href|src)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)')
QUIZ_REF = re.compile(r'(["#])quiz-0(?=[-"])')
# Without JavaScript nothing checks or stores an answer. Each question says so where « Valider » would be (extra.css
# hides the button under Material's « no-js » class), and method="dialog" keeps Enter from reloading the page with
# ?answer=…: outside a <dialog>, such a form submits nowhere, and with JavaScript quiz.js handles the submit first.
FORM = '<form method="dialog">'
NOSCRIPT = ('<noscript><div class="admonition warning quiz-noscript"><p>Ce quiz a besoin de JavaScript pour vérifier '
            f"et enregistrer vos réponses{NBSP}: activez JavaScript dans votre navigateur, puis rechargez la page.</p>"
            "</div></noscript>")
# One line of text in which Markdown and its extensions find nothing to do: no inline syntax (emphasis, code, links,
# HTML, entities, escapes, attribute lists, abbreviations), no block start (heading, list, quote, definition, table,
# admonition, details), no tab, no space at either end. Lines of such text, with no blank line between them, make one
# paragraph that Python-Markdown leaves as written (tests/test_render.py checks it on every such text of the bank).
PLAIN_TEXT = re.compile(r"(?!\d+[.)])[^\s\\`*_\[\]<>&#|{}~=+:!?\-](?:[^\t\r\n\\`*_\[\]<>&|{}~]*[^\s\\`*_\[\]<>&|{}~])?")


def plain_paragraph(text: str) -> str | None:
    """The HTML Markdown makes of ``text`` when every line of it is plain text (:data:`PLAIN_TEXT`); else None."""
    lines = text.strip("\n").split("\n")
    return "<p>" + "\n".join(lines) + "</p>" if all(PLAIN_TEXT.fullmatch(line) for line in lines) else None


# A line that is one Markdown link and nothing else, as the « Revoir : … » line that ends most explanations.
LINK_LINE = re.compile(r"\[[^\[\]\n]+\]\([^()\s]+\)")


def link_ending(text: str) -> tuple[str, str] | None:
    """(the plain lines' HTML without its ``</p>``, the last line) when ``text`` is plain lines then a link line.

    Markdown makes such a text one paragraph: the plain lines as written, then the link, which alone needs Markdown.
    """
    *head, last = text.strip("\n").split("\n")
    plain = plain_paragraph("\n".join(head)) if head and LINK_LINE.fullmatch(last) else None
    return (plain.removesuffix("</p>"), last) if plain is not None else None


# mkdocs-quiz's options for every question: numbered, no automatic submit, answers changeable, no progress bar or
# confetti (the course's own scripts show progress); the source is never embedded in the page.
QUIZ_OPTIONS: Mapping[str, Any] = {
    "enabled_by_default": False, "auto_submit": False, "auto_number": True, "show_correct": True,
    "disable_after_submit": False, "show_progress": False, "confetti": False, "embed_source": False,
    "shuffle_answers": False,
}
LANGUAGE = "fr"
WRITTEN_MAX = 4000  # characters of a written answer (the store refuses longer texts)
WRITING_LINES = 10  # ruled lines under a written-answer question on a worksheet


def placeholder(kind: str, *args: str) -> str:
    """A Markdown block that :meth:`Renderer.expand` replaces with the HTML of ``kind`` for ``args``."""
    return f"\n<!-- partenariat:{kind}:{':'.join(args)} -->\n"


def marked_for_search(fragment: str) -> str:
    """``fragment`` between the comments that let the search hook hold it back from the search plugin."""
    return NOT_READ_BY_SEARCH[0] + fragment + NOT_READ_BY_SEARCH[1]


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
    """mkdocs-quiz's own renderer with the course's options, sharing one Markdown instance across a build."""

    def __init__(self, markdown: Callable[[], md.Markdown]) -> None:
        super().__init__()
        self.config = QUIZ_OPTIONS  # type: ignore[assignment]  # read with .get, as the plugin's own settings
        self._factory = markdown
        self._shared: md.Markdown | None = None
        self._links: dict[str, str] = {}  # link lines already through Markdown, and their paragraph

    def _create_fragment_markdown(self, page: Any, config: Any, files: Any) -> md.Markdown:
        if self._shared is None:
            self._shared = self._factory()
        return self._shared

    def prepare_links(self, lines: Iterable[str]) -> None:
        """Send these link lines through Markdown together, as paragraphs of one text: a pass for each costs more."""
        todo = sorted({line for line in lines if LINK_LINE.fullmatch(line) and line not in self._links})
        if not todo:
            return
        instance = self._create_fragment_markdown(None, None, None)
        instance.reset()
        paragraphs = instance.convert("\n\n".join(todo)).split("\n")
        # each line is one paragraph of its own; anything else, and every line goes through Markdown alone
        if len(paragraphs) == len(todo) and all(p.startswith("<p>") and p.count("<p>") == 1 for p in paragraphs):
            self._links.update(zip(todo, paragraphs, strict=True))

    def _convert_fragment_markdown(self, text: str, page: Any, config: Any, files: Any,
                                   md_inst: md.Markdown | None = None) -> str:
        """A fragment through Markdown, except plain text (most choices, feedbacks and stems): one paragraph as is.

        An explanation of plain lines ending with a link line sends only its link line through Markdown.
        """
        plain = plain_paragraph(text)
        if plain is not None:
            return plain
        ending = link_ending(text)
        if ending is not None:  # only the link line goes through Markdown (links resolved and checked as usual)
            link = self._links.get(ending[1]) or str(
                super()._convert_fragment_markdown(ending[1], page, config, files, md_inst=md_inst))
            if link.startswith("<p>") and link.endswith("</p>") and link.count("<p>") == 1:
                return f"{ending[0]}\n{link.removeprefix('<p>')}"
        return str(super()._convert_fragment_markdown(text, page, config, files, md_inst=md_inst))


@dataclass(frozen=True)
class Fragment:
    """One question rendered once: the interactive block and the parts the other outputs reuse."""

    question: quizbank.Question
    web: str  # the interactive question, its number to be filled in (see Renderer.web)
    stem: str  # the question's text
    labels: tuple[str, ...] = ()  # choice labels (associer: right-hand options), in the order shown
    feedbacks: tuple[str, ...] = ()  # per-choice feedback in the order shown; associer: per pair, YAML order
    explanation: str = ""
    items: tuple[str, ...] = ()  # associer: left items; ordonner: steps; both in YAML order; redaction: criteria
    model: str = ""  # redaction: the model answer


class Renderer:
    """The build's question fragments, each rendered on first use and kept by question id."""

    def __init__(self, markdown: Callable[[], md.Markdown]) -> None:
        """``markdown`` makes the Markdown instance every fragment goes through, as from a page at the root of docs/.

        No glossary definition is given to a fragment: a tooltip beside a question could give its answer away.
        """
        self._quiz = _OnceQuiz(markdown)
        self._page = SimpleNamespace(file=SimpleNamespace(src_path="index.md", url=""), meta={}, url="")
        self._options = self._quiz._get_quiz_options(self._page)  # type: ignore[arg-type]
        self.translations = TranslationManager(LANGUAGE)
        self._cache: dict[str, Fragment] = {}
        self.rendered = 0  # how many questions were turned into HTML (each once)

    # ---------------------------------------------------------------- rendering

    def quiz_markdown(self, question: quizbank.Question) -> str:
        """The mkdocs-quiz ``<quiz>`` body of a classic question, choices in the order shown."""
        if question.type == "fill":
            body = question.stem.replace(quizbank.BLANK, f"[[{question.answers[0]}]]")
            return f"{body}\n\n---\n{question.explanation}"
        lines = [question.stem]
        for choice in shown_choices(question):
            lines.append(f"- [{'x' if choice.correct else ' '}] {choice.text}")
            if choice.feedback:
                lines.extend(f"    > {part}" for part in choice.feedback.splitlines())
        return "\n".join(lines) + f"\n\n{question.explanation}"

    def prepare(self, questions: Iterable[quizbank.Question]) -> None:
        """Convert the link lines that end these questions' explanations in one Markdown pass, before rendering them."""
        self._quiz.prepare_links(ending[1] for q in questions if (ending := link_ending(q.explanation)))

    def fragment(self, question: quizbank.Question) -> Fragment:
        """The question's fragment, rendered by mkdocs-quiz the first time only."""
        cached = self._cache.get(question.id)
        if cached is None:
            cached = self._cache[question.id] = self._render(question)
            self.rendered += 1
        return cached

    def _render(self, question: quizbank.Question) -> Fragment:
        if question.type == "associer":
            return self._render_matching(question)
        if question.type == "ordonner":
            return self._render_ordering(question)
        if question.type == quizbank.WRITTEN:
            return self._render_written(question)
        raw = self._quiz._process_quiz(self.quiz_markdown(question), 0, self._options, self.translations,
                                       None, self._page, None)  # type: ignore[arg-type]  # the factory has them
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

    # ---------------------------------------------------------------- matching and ordering

    def _markdown(self, text: str, inline: bool = False) -> str:
        """One Markdown part of a question, through the build's one Markdown instance."""
        instance = self._quiz._create_fragment_markdown(self._page, None, None)
        out = self._quiz._convert_fragment_markdown(text, self._page, None, None, md_inst=instance)
        return str(self._quiz._strip_paragraph_wrapper(out) if inline else out).strip()

    def _frame(self, question: quizbank.Question, stem: str, body: str, explanation: str,
               button: str = "Valider", section: str = "content") -> str:
        """The markup shared with the classic questions: anchor, number, question, form, explanation."""
        qid = question.id
        return (
            f'<div class="quiz quiz-{question.type}" data-qid="{qid}" data-type="{question.type}" data-search-exclude'
            f' id="q-{qid}">'
            f'<a href="#q-{qid}" class="quiz-header-link" aria-label="Lien vers cette question">#</a>'
            '<h3 class="quiz-number">\x00</h3>'
            f'<div class="quiz-question" id="q-{qid}-question">{stem}</div>'
            f"{FORM}{body}"
            '<div class="quiz-feedback" role="status" aria-live="polite"></div>'
            f'{NOSCRIPT}<button type="submit" class="quiz-button">{button}</button></form>'
            f'<section class="{section}" hidden>{explanation}</section></div>'
        )

    def _render_matching(self, question: quizbank.Question) -> Fragment:
        """associer: a fieldset with one labelled select per left item, options in the order shown."""
        qid = question.id
        stem = self._markdown(question.stem)
        explanation = self._markdown(question.explanation)
        options = question.display_options()
        lefts = tuple(self._markdown(pair.left, inline=True) for pair in question.pairs)
        notes = tuple(self._markdown(pair.feedback, inline=True) if pair.feedback else "" for pair in question.pairs)
        choose = '<option value="">Choisir…</option>' + "".join(
            f'<option value="{html.escape(text)}">{html.escape(text, quote=False)}</option>' for text in options)
        rows = []
        for index, (pair, left, note) in enumerate(zip(question.pairs, lefts, notes, strict=True)):
            ident = f"q-{qid}-pair-{index}"
            rows.append(
                f'<div class="quiz-pair" data-pair="{index}">'
                f'<label for="{ident}">{left}</label>'
                f'<select id="{ident}" data-answer="{html.escape(pair.right)}">{choose}</select>'
                f'<div class="pair-feedback" hidden><span class="pair-verdict"></span>'
                + (f' <span class="pair-note">{note}</span>' if note else "") + "</div></div>")
        body = (f'<fieldset class="quiz-pairs" aria-describedby="q-{qid}-question">'
                f"<legend>Pour chaque élément, choisissez sa correspondance{NBSP}:</legend>{''.join(rows)}</fieldset>")
        labels = tuple(html.escape(text, quote=False) for text in options)
        return Fragment(question, self._frame(question, stem, body, explanation), stem, labels, notes, explanation, lefts)

    def _render_ordering(self, question: quizbank.Question) -> Fragment:
        """ordonner: the steps in the order first shown, each with « Monter » / « Descendre » buttons."""
        qid = question.id
        stem = self._markdown(question.stem)
        explanation = self._markdown(question.explanation)
        steps = tuple(self._markdown(step, inline=True) for step in question.steps)
        items = []
        for index in question.step_order():
            text, up, down = f"q-{qid}-step-{index}", f"q-{qid}-up-{index}", f"q-{qid}-down-{index}"
            items.append(
                f'<li class="quiz-step" data-step="{index}"><span class="step-text" id="{text}">{steps[index]}</span>'
                f'<span class="step-moves">'
                f'<button type="button" class="step-move" data-move="-1" id="{up}" aria-labelledby="{up} {text}">'
                '<span aria-hidden="true">↑ </span>Monter</button>'
                f'<button type="button" class="step-move" data-move="1" id="{down}" aria-labelledby="{down} {text}">'
                '<span aria-hidden="true">↓ </span>Descendre</button></span>'
                '<span class="step-feedback"></span></li>')
        body = (f'<fieldset class="quiz-order" aria-describedby="q-{qid}-question">'
                "<legend>Remettez les étapes dans l’ordre, de la première à la dernière"
                f"{NBSP}:</legend><ol class=\"quiz-steps\">{''.join(items)}</ol>"
                '<p class="quiz-steps-status visually-hidden" role="status" aria-live="polite"></p></fieldset>')
        labels = tuple(steps[i] for i in question.step_order())
        return Fragment(question, self._frame(question, stem, body, explanation), stem, labels, (), explanation, steps)

    def _render_written(self, question: quizbank.Question) -> Fragment:
        """redaction: a labelled text box and « Envoyer ma réponse », then the model answer and the rubric.

        Once sent, each criterion gets a self-rating (atteint / en partie / pas atteint) as a radio group.
        """
        qid = question.id
        stem = self._markdown(question.stem)
        explanation = self._markdown(question.explanation)
        model = self._markdown(question.model_answer)
        criteria = tuple(self._markdown(criterion.text, inline=True) for criterion in question.rubric)
        box = f"q-{qid}-text"
        body = (f'<p class="redaction-field"><label for="{box}">Votre réponse (3 à 6 phrases)</label>'
                f'<textarea id="{box}" class="redaction-text" rows="7" maxlength="{WRITTEN_MAX}" '
                f'aria-describedby="q-{qid}-question" spellcheck="true"></textarea></p>')
        groups = []
        for index, (criterion, text) in enumerate(zip(question.rubric, criteria, strict=True)):
            name = f"q-{qid}-rate-{criterion.id}"
            radios = "".join(
                f'<label class="redaction-rate"><input type="radio" name="{name}" value="{value}"> '
                f"{quizbank.SELF_RATINGS[value]}</label>"
                for value in (2, 1, 0))
            groups.append(f'<fieldset class="redaction-criterion" data-criterion="{criterion.id}">'
                          f'<legend>Critère {index + 1}{NBSP}: {text}</legend>{radios}</fieldset>')
        correction = (
            f'<h4 class="redaction-heading">Réponse modèle\x01</h4><div class="redaction-model">{model}</div>'
            f'<h4 class="redaction-heading">Grille d’évaluation\x01</h4>'
            f"<p>Relisez votre réponse et évaluez-la, critère par critère{NBSP}: votre auto-évaluation est "
            "enregistrée avec votre texte, sans note.</p>"
            f'<div class="redaction-rubric">{"".join(groups)}</div>'
            '<p class="redaction-rating-status" role="status" aria-live="polite"></p>'
            f'<div class="redaction-explanation">{explanation}</div>')
        web = self._frame(question, stem, body, correction, button="Envoyer ma réponse",
                          section="content redaction-correction")
        return Fragment(question, web, stem, (), (), explanation, criteria, model)

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
        out = out.replace('<form action="javascript:void(0);" onsubmit="return false;">', FORM)
        out = out.replace('<section class="content hidden">', '<section class="content" hidden>')
        out = out.replace(f'<button type="submit" class="quiz-button">{self.translations.get("Submit")}</button>',
                          f'{NOSCRIPT}<button type="submit" class="quiz-button">Valider</button>')
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
        web = self.fragment(question).web.replace("\x00", title, 1)
        # a written answer's own headings carry its number: a page with two of them keeps every heading distinct
        return relink(web.replace("\x01", f", {title[:1].lower()}{title[1:]}"), up)

    def worksheet(self, questions: tuple[quizbank.Question, ...], up: str = "") -> str:
        """Questions for paper: numbered, choices lettered in the order shown, blanks, no answer."""
        items = []
        for question in questions:
            fragment = self.fragment(question)
            if question.type in ("associer", "ordonner", quizbank.WRITTEN):
                body = (self._matching_sheet(fragment) if question.type == "associer" else
                        self._ordering_sheet(fragment) if question.type == "ordonner" else self._writing_lines())
                items.append(f'<li class="worksheet-question" data-qid="{question.id}">{fragment.stem}{body}</li>')
                continue
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

    @staticmethod
    def _matching_sheet(fragment: Fragment) -> str:
        """Matching on paper: the items with a blank for a letter, beside the lettered options."""
        rows = []
        for index in range(max(len(fragment.items), len(fragment.labels))):
            left = f"{index + 1}. {fragment.items[index]}" if index < len(fragment.items) else ""
            blank = '<span class="worksheet-blank">____</span>' if index < len(fragment.items) else ""
            option = (f'<span class="worksheet-letter">{LETTERS[index]}.</span> {fragment.labels[index]}'
                      if index < len(fragment.labels) else "")
            rows.append(f"<tr><td>{left}</td><td>{blank}</td><td>{option}</td></tr>")
        return ('<table class="worksheet-match"><thead><tr><th scope="col">Élément</th>'
                '<th scope="col">Lettre choisie</th><th scope="col">Propositions</th></tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")

    @staticmethod
    def _writing_lines() -> str:
        """A written answer on paper: ruled lines, enough for six sentences."""
        lines = '<span class="worksheet-line"></span>' * WRITING_LINES
        return (f'<div class="worksheet-lines" role="img" aria-label="{WRITING_LINES} lignes pour écrire votre réponse">'
                f"{lines}</div>")

    @staticmethod
    def _ordering_sheet(fragment: Fragment) -> str:
        """Ordering on paper: the steps as first shown, lettered, each with a box for its rank."""
        steps = "".join(
            f'<li><span class="worksheet-rank">Rang{NBSP}: ____</span> '
            f'<span class="worksheet-letter">{LETTERS[index]}.</span> {label}</li>'
            for index, label in enumerate(fragment.labels))
        return f'<ul class="worksheet-steps">{steps}</ul>'

    @staticmethod
    def expand(page_html: str, handlers: Mapping[str, Callable[..., str]], others: bool = False) -> str:
        """Replace each placeholder of a rendered page with its handler's HTML (``others``: leave other kinds)."""

        def repl(match: re.Match[str]) -> str:
            kind, args = match.group(1), match.group(2).split(":")
            if kind not in handlers:
                if others:
                    return match.group(0)
                raise ValueError(f"unknown placeholder kind {kind!r}")
            return handlers[kind](*args)

        return PLACEHOLDER.sub(repl, page_html)
