"""Layer 3: generators for the trainers' section (docs/formateurs/), from front matter and the question bank.

- ``lesson_sheet(slug, up)``: what a trainer needs to know of one lesson (duration, prerequisites,
  objectives, quiz, links to hand out) and a short session plan timed to the lesson's duration;
- ``answer_key(up)``: every question with its right answer(s), per-choice feedback and explanation,
  grouped by lesson, with the deep link to the question.

``up`` leads from the page being built back to docs/ (``"../"`` for docs/formateurs/…). Nothing here
is typed twice: change a lesson's front matter or a quiz and these pages follow.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scripts import course, quizbank

NBSP = "\u00a0"
FINAL = "evaluation-finale"
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
TYPE_LABELS = {
    "single": "choix unique",
    "multiple": "choix multiples",
    "truefalse": "vrai ou faux",
    "fill": "texte à compléter",
}
# A short session timed to the lesson's own duration: (step, share of the time, what happens).
SHORT_SESSION = (
    ("Introduction", 0.10, "Annoncer les objectifs de la leçon (encadré en tête de page) et poser une question d’accroche."),
    ("Lecture", 0.40, "Lecture individuelle de la leçon, jusqu’à « À retenir »."),
    ("Discussion", 0.20, "Une ou deux questions de discussion de la fiche, en binômes puis en commun."),
    ("Quiz", 0.20, "Quiz de la leçon en ligne, chacun à son rythme."),
    ("Débriefing", 0.10, "Retour sur les questions les plus manquées et sur la liste « Je suis capable de… »."),
)

_cache: dict[str, Any] = {}


def _signature() -> tuple[tuple[str, int], ...]:
    paths = [course.ROOT / "mkdocs.yml", *sorted(course.DOCS.glob("*.md")), *sorted(quizbank.QUIZZES.glob("*.yml"))]
    return tuple((str(p), p.stat().st_mtime_ns) for p in paths if p.is_file())


def _model() -> tuple[list[course.Lesson], dict[str, quizbank.Quiz], dict[str, str]]:
    """Lessons, quizzes and page titles, reloaded only when a source file changed."""
    signature = _signature()
    if _cache.get("signature") != signature:
        course.nav_files.cache_clear()
        lessons = course.load_lessons()
        titles = {lesson.slug: lesson.title for lesson in lessons}
        final = course.DOCS / f"{FINAL}.md"
        if final.is_file():
            titles[FINAL] = course.split_front_matter(final.read_text(encoding="utf-8"))[0].get("title", "Évaluation finale")
        _cache.update(signature=signature, model=(lessons, quizbank.load_bank(), titles))
    return _cache["model"]


def session_plan(duration: int) -> list[tuple[str, int, str]]:
    """The short session's steps in whole minutes, adding up exactly to ``duration``."""
    exact = [share * duration for _, share, _ in SHORT_SESSION]
    minutes = [int(value) for value in exact]
    for index in sorted(range(len(exact)), key=lambda i: exact[i] - minutes[i], reverse=True)[: duration - sum(minutes)]:
        minutes[index] += 1
    return [(step, spent, what) for (step, _, what), spent in zip(SHORT_SESSION, minutes, strict=True)]


def _relink(text: str, up: str) -> str:
    """Make the bank's links (relative to docs/) work from a page ``up`` levels below."""

    def repl(match: re.Match[str]) -> str:
        target = match.group(2)
        if target.startswith(("http://", "https://", "mailto:", "#", "/")):
            return match.group(0)
        return f"[{match.group(1)}]({up}{target})"

    return LINK.sub(repl, text)


def _one_line(text: str) -> str:
    """Markdown text on one line, the blank of a fill-in shown without becoming emphasis."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip().replace(quizbank.BLANK, r"\_\_\_\_")


def _quiz_counts(quiz: quizbank.Quiz) -> str:
    counts = [f"{sum(q.type == kind for q in quiz.questions)} {label}"
              for kind, label in TYPE_LABELS.items() if any(q.type == kind for q in quiz.questions)]
    scenarios = sum(q.scenario for q in quiz.questions)
    text = f"{len(quiz.questions)} questions ({', '.join(counts)})"
    if scenarios:
        text += f", dont {scenarios} mise{'s' if scenarios > 1 else ''} en situation"
    return text


def lesson_sheet(slug: str, up: str) -> str:
    """A lesson at a glance for the trainer, then a short session plan timed to its duration."""
    lessons, bank, titles = _model()
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
        lines.append(f"    **Quiz{NBSP}:** {_quiz_counts(quiz)}, corrigé dans [Corrigés des quiz](corrige.md)")
    lines += [
        "",
        f"    À la fin de la leçon, l’apprenant saura{NBSP}:",
        "",
        *(f"    - {text}{NBSP};" if i < len(lesson.objectives) - 1 else f"    - {text}."
          for i, text in enumerate(lesson.objectives.values())),
        "",
        f"    Liens à transmettre{NBSP}: `{slug}.html` (la leçon), `{slug}.html#quiz` (son quiz), "
        f"`{slug}.html#auto-evaluation` (la liste «{NBSP}Je suis capable de…{NBSP}»).",
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


def _choice_lines(question: quizbank.Question, up: str) -> list[str]:
    if question.type == "truefalse":
        right = next(c.text for c in question.choices if c.correct)
        return [f"- **Réponse{NBSP}:** {right}"]
    if question.type == "fill":
        first, *others = question.answers
        line = f"- **Réponse attendue{NBSP}:** {first}"
        if others:
            line += f" (acceptées aussi{NBSP}: {', '.join(others)})"
        return [line]
    lines = []
    for choice in question.choices:
        label = "Bonne réponse" if choice.correct else "Autre proposition"
        text = f"**{choice.text}**" if choice.correct else choice.text
        line = f"- {label}{NBSP}: {text}"
        if choice.feedback:
            line += f" — *{_relink(_one_line(choice.feedback), up)}*"
        lines.append(line)
    return lines


def answer_key(up: str) -> str:
    """Every quiz's questions with their right answers and explanations, grouped by lesson."""
    lessons, bank, titles = _model()
    order = [lesson.slug for lesson in lessons if lesson.slug in bank] + ([FINAL] if FINAL in bank else [])
    order += sorted(slug for slug in bank if slug not in order)
    parts: list[str] = []
    for slug in order:
        quiz: quizbank.Quiz = bank[slug]
        title = titles.get(slug, slug)
        parts += [
            f"## {title} {{ #corrige-{slug} }}",
            "",
            f"[Ouvrir la page]({up}{slug}.md) · quiz{NBSP}: `{slug}.html#quiz` · {_quiz_counts(quiz)}.",
            "",
        ]
        for number, question in enumerate(quiz.questions, start=1):
            link = html.escape(f"{up}{slug}.html#q-{question.id}")
            kind = TYPE_LABELS[question.type] + (", mise en situation" if question.scenario else "")
            parts += [
                f"**{number}.** *{kind}* · identifiant `{question.id}` · "
                f'<a href="{link}">lien direct vers la question</a>',
                "",
                _one_line(question.question),
                "",
                *_choice_lines(question, up),
                "",
                f"*Explication{NBSP}:* {_relink(_one_line(question.explanation), up)}",
                "",
            ]
    return "\n".join(parts)


def lesson_titles() -> Mapping[str, str]:
    """Titles of the pages that hold a quiz, by slug."""
    return dict(_model()[2])


def sheet_slug(src_uri: str) -> str:
    """The lesson a trainer's sheet belongs to: its file name (``formateurs/definitions.md``)."""
    return Path(src_uri).stem
