"""Layer 3: generators for the trainers' section (docs/formateurs/), from front matter and the question bank.

- ``lesson_sheet(slug, up)``: what a trainer needs to know of one lesson (duration, prerequisites,
  objectives, quiz, links to hand out) and a short session plan timed to the lesson's duration;
- ``answer_key(up)``: every question with its right answer(s), per-choice feedback and explanation,
  grouped by lesson, with the deep link to the question; choices are named by the letter they have
  on the print worksheet, and the questions are cut from the fragments the lessons show
  (``answer_key_html``, see ``quizrender``).

``up`` leads from the page being built back to docs/ (``"../"`` for docs/formateurs/…). Nothing here
is typed twice: change a lesson's front matter or a quiz and these pages follow. A build loads the
lessons and the bank once (``load_model``) and hands the model to every generator.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from scripts.build import quizrender
from scripts.model import course, quizbank

NBSP = "\u00a0"
FINAL = "evaluation-finale"
TYPE_LABELS = {
    "single": "choix unique",
    "multiple": "choix multiples",
    "truefalse": "vrai ou faux",
    "fill": "texte à compléter",
    "associer": "association",
    "ordonner": "mise en ordre",
    "redaction": "réponse rédigée",
}
# A short session timed to the lesson's own duration: (step, share of the time, what happens).
SHORT_SESSION = (
    ("Introduction", 0.10, "Annoncer les objectifs de la leçon (encadré en tête de page) et poser une question d’accroche."),
    ("Lecture", 0.40, f"Lecture individuelle de la leçon, jusqu’à «{NBSP}À retenir{NBSP}»."),
    ("Discussion", 0.20, "Une ou deux questions de discussion de la fiche, en binômes puis en commun."),
    ("Quiz", 0.20, "Quiz de la leçon en ligne, chacun à son rythme."),
    ("Débriefing", 0.10, f"Retour sur les questions les plus manquées et sur la liste «{NBSP}Je suis capable de…{NBSP}»."),
)


@dataclass(frozen=True)
class Model:
    """What the trainers' pages are made of: lessons in nav order, the question bank, page titles by slug."""

    lessons: list[course.Lesson]
    bank: dict[str, quizbank.Quiz]
    titles: dict[str, str]


def load_model() -> Model:
    """Lessons and quizzes, read and validated once (a build calls this once, in its ``on_config``)."""
    lessons = course.load_lessons()
    titles = {lesson.slug: lesson.title for lesson in lessons}
    final = course.DOCS / f"{FINAL}.md"
    if final.is_file():
        titles[FINAL] = course.split_front_matter(final.read_text(encoding="utf-8"))[0].get("title", "Évaluation finale")
    return Model(lessons, quizbank.load_bank(), titles)


def session_plan(duration: int) -> list[tuple[str, int, str]]:
    """The short session's steps in whole minutes, adding up exactly to ``duration``."""
    exact = [share * duration for _, share, _ in SHORT_SESSION]
    minutes = [int(value) for value in exact]
    for index in sorted(range(len(exact)), key=lambda i: exact[i] - minutes[i], reverse=True)[: duration - sum(minutes)]:
        minutes[index] += 1
    return [(step, spent, what) for (step, _, what), spent in zip(SHORT_SESSION, minutes, strict=True)]


def _quiz_counts(quiz: quizbank.Quiz) -> str:
    counts = [f"{sum(q.type == kind for q in quiz.questions)} {label}"
              for kind, label in TYPE_LABELS.items() if any(q.type == kind for q in quiz.questions)]
    scenarios = sum(q.scenario for q in quiz.questions)
    text = f"{len(quiz.questions)} questions ({', '.join(counts)})"
    if scenarios:
        text += f", dont {scenarios} mise{'s' if scenarios > 1 else ''} en situation"
    return text


def lesson_sheet(slug: str, up: str, model: Model | None = None) -> str:
    """A lesson at a glance for the trainer, then a short session plan timed to its duration."""
    model = model or load_model()
    lessons, bank, titles = model.lessons, model.bank, model.titles
    lesson = next((item for item in lessons if item.slug == slug), None)
    if lesson is None:
        raise ValueError(f"no lesson {slug!r} in nav: the trainer's sheet must be named after its lesson")
    quiz = bank.get(slug)
    prerequisites = ", ".join(f"[{titles.get(p, p)}]({up}{p}.md)" for p in lesson.prerequisites) or "aucun"
    lines = [
        '!!! abstract "La leçon en bref"',
        "",
        f"    **Leçon{NBSP}:** [{lesson.title}]({up}{slug}.md). {lesson.description}  ",
        f"    **Durée estimée (lecture et quiz){NBSP}:** {course.minutes(lesson.duration)}  ",
        f"    **Prérequis{NBSP}:** {prerequisites}  ",
    ]
    if quiz:
        lines.append(f"    **Quiz{NBSP}:** {_quiz_counts(quiz)}, corrigé dans [Corrigés des quiz](corrige.md#corrige-{slug})")
    lines += [
        "",
        f"    À la fin de la leçon, l’apprenant saura{NBSP}:",
        "",
        *(f"    - {text}{NBSP};" if i < len(lesson.objectives) - 1 else f"    - {text}."
          for i, text in enumerate(lesson.objectives.values())),
        "",
        # [ux] real links, each given a « Copier le lien » button by overrides/main.html (class pt-share)
        f"    Liens à transmettre{NBSP}: [la leçon]({up}{slug}.md), [son quiz]({up}{slug}.md#quiz), "
        f"[la liste «{NBSP}Je suis capable de…{NBSP}»]({up}{slug}.md#auto-evaluation).",
        "    { .pt-share }",
        "",
        f'??? tip "Variante courte{NBSP}: une séance de {course.minutes(lesson.duration)}, la durée de la leçon"',
        "",
        "    | Étape | Durée | Déroulement |",
        "    |---|---|---|",
        *(f"    | {step} | {course.minutes(spent)} | {what} |" for step, spent, what in session_plan(lesson.duration)),
        f"    | **Total** | **{course.minutes(lesson.duration)}** | |",
        "",
    ]
    return "\n".join(lines)


def _answer_lines(question: quizbank.Question, fragment: quizrender.Fragment) -> list[str]:
    """The right answer(s), each choice named by the letter it has on the worksheet."""
    letters = quizrender.LETTERS
    if question.type == "associer":
        options = question.display_options()
        lines = []
        for index, (pair, left, note) in enumerate(zip(question.pairs, fragment.items, fragment.feedbacks, strict=True)):
            line = (f"<li>{index + 1}. {left} → <strong>{letters[options.index(pair.right)]}. "
                    f"{html.escape(pair.right, quote=False)}</strong>")
            lines.append(line + (f" — <em>{note}</em>" if note else "") + "</li>")
        spare = [f"{letters[options.index(text)]}. {html.escape(text, quote=False)}" for text in question.distractors]
        if spare:
            lines.append(f"<li>Sans correspondance{NBSP}: {(NBSP + '; ').join(spare)}</li>")
        return lines
    if question.type == "ordonner":
        shown = list(question.step_order())
        return [f"<li>{rank}. <strong>{letters[shown.index(index)]}.</strong> {step}</li>"
                for rank, (index, step) in enumerate(enumerate(fragment.items), start=1)]
    if question.type == quizbank.WRITTEN:
        criteria = "".join(f"<li>{text} <em>(atteint / en partie / pas atteint)</em></li>" for text in fragment.items)
        return [f'<li class="answer-key-model"><strong>Réponse modèle{NBSP}:</strong>{fragment.model}</li>',
                f'<li class="answer-key-rubric"><strong>Grille d’évaluation{NBSP}:</strong><ol>{criteria}</ol></li>']
    if question.type == "truefalse":
        right = next(c.text for c in question.choices if c.correct)
        return [f"<li><strong>Réponse{NBSP}:</strong> {html.escape(right)}</li>"]
    if question.type == "fill":
        first, *others = question.answers
        line = f"<li><strong>Réponse attendue{NBSP}:</strong> {html.escape(first)}"
        if others:
            line += f" (acceptées aussi{NBSP}: {html.escape(', '.join(others))})"
        return [line + "</li>"]
    lines = []
    for index, (choice, label, feedback) in enumerate(
            zip(quizrender.shown_choices(question), fragment.labels, fragment.feedbacks, strict=True)):
        letter = f'<span class="worksheet-letter">{quizrender.LETTERS[index]}.</span>'
        line = (f"<li>{letter} <strong>{label}</strong> — bonne réponse" if choice.correct
                else f"<li>{letter} {label} — autre proposition")
        if feedback:
            line += f" — <em>{feedback}</em>"
        lines.append(line + "</li>")
    return lines


def answer_key_html(slug: str, quiz: quizbank.Quiz, renderer: quizrender.Renderer, up: str) -> str:
    """One quiz's questions with their answers, cut from the fragments the lesson page shows."""
    items = []
    for question in quiz.questions:
        fragment = renderer.fragment(question)
        link = html.escape(f"{slug}.html#q-{question.id}")  # made relative to the page by relink below
        kind = TYPE_LABELS[question.type] + (", mise en situation" if question.scenario else "")
        stem = re.sub(r"<input[^>]*>", "<span class=\"worksheet-blank\">____</span>", fragment.stem)
        items.append("".join([
            f'<li class="answer-key-item" data-qid="{question.id}">',
            f"<p><em>{kind}</em> · identifiant <code>{question.id}</code> · "
            f'<a href="{link}">lien direct vers la question</a></p>',
            stem,
            f'<ul class="answer-key-answers">{"".join(_answer_lines(question, fragment))}</ul>',
            f'<div class="answer-key-explanation"><p><em>Explication{NBSP}:</em></p>{fragment.explanation}</div>',
            "</li>",
        ]))
    return quizrender.relink(f'<ol class="answer-key">{"".join(items)}</ol>', up)


def answer_key(up: str, model: Model | None = None) -> str:
    """Every quiz's questions with their right answers and explanations, grouped by lesson.

    The Markdown holds the headings; each quiz's questions are a placeholder that the build fills
    from the question fragments (:func:`answer_key_html`).
    """
    model = model or load_model()
    bank, titles = model.bank, model.titles
    order = [lesson.slug for lesson in model.lessons if lesson.slug in bank] + ([FINAL] if FINAL in bank else [])
    order += sorted(slug for slug in bank if slug not in order)
    parts: list[str] = []
    for slug in order:
        quiz: quizbank.Quiz = bank[slug]
        title = titles.get(slug, slug)
        parts += [
            f"## {title} {{ #corrige-{slug} }}",
            "",
            f"[Ouvrir la page]({up}{slug}.md) · quiz{NBSP}: `{slug}.html#quiz` · {_quiz_counts(quiz)}.",
            quizrender.placeholder("key", slug, up),
        ]
        if slug == FINAL:
            parts += _print_forms_key(quiz, up)
    return "\n".join(parts)


def _print_forms_key(quiz: quizbank.Quiz, up: str) -> list[str]:
    """The keys of the print edition's two forms, numbered as on the learners' print page (trainers' edition only)."""
    from scripts.build import sealed  # the forms are the sealed final's draw

    parts: list[str] = []
    for index, (name, qids) in enumerate(sealed.print_forms(quiz)):
        mark = sealed.pass_mark(sealed.form_questions(quiz, qids))
        parts += ["", f"### Corrigé de la version imprimable{NBSP}: {name} {{ #corrige-{FINAL}-forme-{index + 1} }}", "",
                  f"Sujet {sealed.form_id(quiz, qids)} · {len(qids)} questions dans l’ordre de la "
                  f"[version imprimable]({up}imprimer.md#{FINAL}-forme-{index + 1}) · seuil de réussite{NBSP}: "
                  f"**{mark}{NBSP}%**.",
                  quizrender.placeholder("formkey", FINAL, str(index), up)]
    return parts


def sheet_slug(src_uri: str) -> str:
    """The lesson a trainer's sheet belongs to: its file name (``formateurs/definitions.md``)."""
    return Path(src_uri).stem
