"""The learner's journey: next step, « Revoir mes erreurs », « S’entraîner », attestation.

- The home page (``generate: overview``) gets, under its title, the box where ``journey.js`` writes the next
  step (« Commencer », « Reprendre : <leçon>, question n »).
- The review page (``generate: review``) holds every lesson question, as the placeholders that the course's Markdown
  extension (``scripts/build/mdext.py``, which adds this block under any engine) turns into the one fragment rendered
  per question; ``review.js`` shows only the due ones.
- « S’entraîner » (``generate: practice``) holds every lesson question too, never the final's (added by the same
  extension); ``practice.js`` draws a mixed set and scores it in the page, without touching the learner's progress.
- « Mon parcours » (``generate: parcours``) ends with the « Attestation de suivi » block: the printable sheet's
  fixed parts (course title and version, lessons and durations) come from the build; ``attestation.js`` fills
  in the learner's name, the final score and the date, and shows the block only when the conditions hold.
"""

from __future__ import annotations

import html

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from scripts.build import quizrender
from scripts.model import course

NBSP = "\u00a0"
FINAL = "evaluation-finale"


def review_page(questions: list[tuple[str, str]]) -> str:
    """Every lesson question, hidden; the view shows those due and hides the rest."""
    parts = [
        '<div class="pt-review" id="revoir" data-review data-search-exclude>',
        '<h2 id="a-revoir">Questions à revoir</h2>',
        '<p class="pt-review-count" role="status"></p>',
        quizrender.NOSCRIPT,
    ]
    for number, (slug, qid) in enumerate(questions, 1):
        parts += [f'<div class="pt-review-item" data-review-qid="{qid}" data-lesson="{slug}" hidden>',
                  quizrender.placeholder("web", qid, str(number), ""),
                  '<p class="pt-review-next"></p>',
                  "</div>"]
    parts += ["</div>", ""]
    return "\n".join(parts)


def practice_page(questions: list[tuple[str, str]]) -> str:
    """Every lesson question (never the final's), hidden; practice.js shows a mixed set drawn from them."""
    parts = [
        '<div class="pt-practice" id="serie" data-practice data-search-exclude>',
        '<h2 id="votre-serie">Votre série</h2>',
        '<p class="pt-practice-status" role="status" aria-live="polite"></p>',
        '<p><button type="button" class="md-button md-button--primary" data-practice="draw">'
        "Tirer une nouvelle série</button></p>",
        quizrender.NOSCRIPT,
    ]
    for number, (slug, qid) in enumerate(questions, 1):
        parts += [f'<div class="pt-practice-item" data-practice-qid="{qid}" data-lesson="{slug}" hidden>',
                  quizrender.placeholder("web", qid, str(number), ""),
                  "</div>"]
    parts += ["</div>", ""]
    return "\n".join(parts)


def attestation(config: MkDocsConfig) -> str:
    """The offer and the printable sheet; its variable parts are filled in by attestation.js."""
    home = course.split_front_matter((course.DOCS / "index.md").read_text(encoding="utf-8"))[0]
    title = html.escape(str(home.get("title") or config.site_name))
    version = html.escape(str(config.extra.get("course_version", "")))
    rows = "".join(f"<tr><td>{html.escape(lesson.title)}</td><td>{course.minutes(lesson.duration)}</td></tr>"
                   for lesson in course.load_lessons())
    total = course.minutes(sum(lesson.duration for lesson in course.load_lessons()))
    return "\n".join([
        '<div class="pt-attestation-offer" id="attestation" data-search-exclude hidden>',
        '<h2 id="attestation-de-suivi">Attestation de suivi</h2>',
        f"<p>Vous avez répondu à toutes les questions des leçons et atteint le seuil de l’évaluation finale{NBSP}: vous pouvez "
        "imprimer une attestation de suivi. Elle est déclarée par vous, sur votre appareil{NBSP}: elle n’est pas "
        "une certification.</p>".replace("{NBSP}", NBSP),
        '<p><label for="pt-name">Votre nom, tel qu’il figurera sur l’attestation</label><br>'
        '<input type="text" id="pt-name" autocomplete="name" maxlength="120" class="pt-name-input"></p>',
        '<p><button type="button" class="md-button md-button--primary" data-action="print-attestation">'
        "Imprimer l’attestation</button></p>",
        '<p class="pt-attestation-message" role="status"></p>',
        '<div class="pt-attestation" aria-label="Aperçu de l’attestation" role="region">',
        '<p class="pt-attestation-title">Attestation de suivi</p>',
        f'<p>Je soussigné(e), <strong data-att="name">…</strong>, déclare avoir suivi le module de formation '
        f"«{NBSP}{title}{NBSP}» (version {version}).</p>",
        f'<table class="pt-attestation-lessons"><thead><tr><th scope="col">Leçon</th><th scope="col">Durée estimée</th>'
        f"</tr></thead><tbody>{rows}</tbody><tfoot><tr><th scope=\"row\">Total</th><td>{total}</td></tr></tfoot></table>",
        f'<p>Évaluation finale{NBSP}: <strong data-att="score">…</strong>, pour un seuil de réussite de '
        f'<span data-att="pass">…</span>.</p>',
        f'<p>Résultat obtenu{NBSP}: <span data-att="how">…</span>.</p>',
        '<p>Fait le <span data-att="date">…</span>.</p>',
        '<p class="pt-attestation-note">Attestation déclarée par l’apprenant sur son propre appareil, à partir de '
        "la progression enregistrée dans son navigateur. Elle n’est pas une certification et n’a été vérifiée "
        "par aucun organisme.</p>",
        "</div>",
        "</div>",
        "",
    ])


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Add the next-step box to the home page, the questions to the review page, the attestation to « Mon parcours »."""
    generator = page.meta.get("generate")
    if generator == "overview":
        lines = markdown.split("\n")
        at = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
        lines.insert(at + 1, "\n" + course.next_step_box(" data-search-exclude") + "\n"
                             '<p class="pt-review-due" data-review-due data-search-exclude hidden></p>\n')
        return "\n".join(lines)
    if generator == "parcours":
        return markdown.rstrip() + "\n\n" + attestation(config)
    return markdown
