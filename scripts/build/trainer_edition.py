"""MkDocs hooks of the platform-free trainer tools (issue 12): assignment links, hand-in report, group dashboard.

- ``generate: assign`` (``docs/formateurs/assigner.md``): the assignment form (filled by ``assign.js``) and the
  vendored QR code library, loaded on that page only.
- ``generate: group`` (``docs/formateurs/groupe.md``): the group dashboard (``groupe.js``, loaded on that page only)
  with, as a JSON data block, what it needs of each question: lesson, anchor, short text, choices in YAML order;
  and the correction of the final assessment (``correction.js`` + ``stats.js``) with a second block: the final's key,
  its pass mark and the publisher's signing key (``seal.load_or_create``), so that the page scores the learners'
  finals and signs their correction codes. Only the trainers' edition has this page.
- Home page and « Mon parcours »: a place where ``assign.js`` lists the learner's assignments; « Mon parcours »
  also gets the hand-in report (``releve.js``).
The learner's offline edition drops ``formateurs/``: the form and the dashboard are trainer-only, while the
assignment reader (``assign.js``, in ``extra_javascript``) runs on every page.
"""

from __future__ import annotations

import base64
import html
import json
import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from scripts.build import seal, sealed, trainer
from scripts.model import course, quizbank

NBSP = "\u00a0"
_state: dict[str, Any] = {}


def _model() -> trainer.Model:
    if "model" not in _state:
        _state["model"] = trainer.load_model()
    return _state["model"]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Forget the model of a previous build (``mkdocs serve`` rebuilds in the same process)."""
    _state.clear()
    return config


def _plain(markdown: str, limit: int = 160) -> str:
    """A question's Markdown as short plain text (links, emphasis and line breaks removed, a fill-in blank kept)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    # The blank is underscores, which the emphasis rule would erase: « […] », the sign of a gap in French.
    text = re.sub(r"[*_`]+", "", text.replace(quizbank.BLANK, "[…]"))
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()  # not str.split(): it would turn French no-break spaces into breaks
    limit = max(limit, text.find("[…]") + 40)  # a long stem keeps its blank and a few words after it
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _choice_texts(q: quizbank.Question) -> list[str]:
    """What each stored value means, in the order the browser stores it (YAML order)."""
    if q.type == "ordonner":
        return [_plain(step, 80) for step in q.steps]
    return [_plain(choice.text, 120) for choice in q.choices]


def group_data() -> dict[str, Any]:
    """Per question: lesson slug, page and anchor, type, short text, choice texts (YAML order).

    Multiple-answer questions also list their correct choices (places in YAML order), so that an incomplete
    answer (too few boxes ticked, every one right) is shown as incomplete, not as a right option.
    """
    model = _model()
    questions: dict[str, Any] = {}
    slugs = [lesson.slug for lesson in model.lessons] + [trainer.FINAL]
    for slug in slugs:
        quiz = model.bank.get(slug)
        if quiz is None:
            continue
        for number, q in enumerate(quiz.questions, start=1):
            questions[q.id] = {
                "lesson": slug, "number": number, "type": q.type, "text": _plain(q.question),
                "url": f"../{slug}.html#q-{q.id}", "choices": _choice_texts(q),
            }
            if q.type == "multiple":
                questions[q.id]["correct"] = [i for i, choice in enumerate(q.choices) if choice.correct]
            if q.written:  # the rubric the trainer scores a learner's text with, as the learner rated it
                questions[q.id]["rubric"] = [{"id": c.id, "text": _plain(c.text, 200)} for c in q.rubric]
                questions[q.id]["model"] = _plain(q.model_answer, 2000)
    return {"questions": questions, "titles": model.titles}


def final_key() -> dict[str, Any]:
    """What scores the final on the trainers' group page: each pool item's key, the pass mark, the signing key.

    Per item (answers as the browser stores them): ``correct`` (choice places in YAML order) for single, multiple and
    true/false; ``accept`` for a fill-in; ``pairs`` (each left item's right text, YAML order) and ``distractors`` for
    matching; ``steps`` (their number; the right order is 0, 1, 2…) for ordering; ``angoff`` when the item has one.
    A type scored otherwise (a written answer) has no entry. ``signing``: the private JWK that signs correction codes
    and the explanations' key that a code hands back (base64url).
    """
    quiz = _model().bank.get(trainer.FINAL)
    items: dict[str, Any] = {}
    for q in quiz.questions if quiz else ():
        entry: dict[str, Any] = {"type": q.type}
        if q.type in ("single", "multiple", "truefalse"):
            entry["correct"] = [i for i, choice in enumerate(q.choices) if choice.correct]
        elif q.type == "fill":
            entry["accept"] = list(q.answers)
        elif q.type == "associer":
            entry["pairs"] = [pair.right for pair in q.pairs]
            entry["distractors"] = list(q.distractors)
        elif q.type == "ordonner":
            entry["steps"] = len(q.steps)
        else:
            continue
        if q.angoff is not None:
            entry["angoff"] = q.angoff
        items[q.id] = entry
    keys = seal.load_or_create()
    k = base64.urlsafe_b64encode(keys.explanations_key).rstrip(b"=").decode("ascii")
    return {"passMark": (quiz.pass_mark if quiz and quiz.pass_mark else course.PASS_MARK_DEFAULT), "items": items,
            "signing": {"jwk": keys.private_jwk, "k": k}, "sealed": _sealed_names(quiz, keys) if quiz else {}}


def _sealed_names(quiz: quizbank.Quiz, keys: seal.Keys) -> dict[str, Any]:
    """How to read a report from a learners' edition: opaque id → the item's id, and the YAML place of each place shown.

    Learners' editions name final items by opaque ids and store a choice (or an ordering step) by its place as shown
    (``sealed.yaml_values``); ``shown[i]`` is the YAML place of the i-th choice or step shown.
    """
    names: dict[str, Any] = {}
    for q in quiz.questions:
        entry: dict[str, Any] = {"id": q.id}
        if q.type in ("single", "multiple", "truefalse", "ordonner"):
            entry["shown"] = [int(v) for v in sealed.yaml_values(q, [str(i) for i in range(
                len(q.steps) if q.type == "ordonner" else len(q.choices))])]
        names[sealed.opaque_id(keys, q.id)] = entry
    return names


def _json_block(ident: str, value: Any) -> str:
    """A JSON data block that no text inside can close early."""
    text = json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" id="{ident}">{text}</script>'


def _final_section() -> str:
    """The correction of the final: scores and codes per learner, then item statistics (filled by correction.js)."""
    return "\n".join([
        _json_block("groupe-final-key", final_key()),
        '<script src="../assets/javascripts/stats.js"></script>',
        '<script src="../assets/javascripts/correction.js"></script>',
        '<h2 id="correction">Correction de l’évaluation finale</h2>',
        '<div id="groupe-final-host"><p>Aucun fichier ouvert pour l’instant.</p></div>',
        '<p class="pt-form-message" id="groupe-final-message" role="status" aria-live="polite"></p>',
        '<h2 id="statistiques">Statistiques des questions de l’évaluation finale</h2>',
        '<div id="groupe-stats-host"><p>Aucun fichier ouvert pour l’instant.</p></div>',
    ])


def _assign_form() -> str:
    model = _model()
    boxes = [
        f'<li><label><input type="checkbox" name="lessons" value="{lesson.slug}"> {html.escape(lesson.title)}'
        f" ({lesson.duration}{NBSP}min)</label></li>"
        for lesson in model.lessons
    ]
    return "\n".join([
        '<div class="pt-assign" id="pt-assign-form-host" data-search-exclude>',
        '<script src="../assets/javascripts/vendor/qrcode-generator.js"></script>',
        '<form id="pt-assign-form" class="pt-form" novalidate>',
        '<fieldset><legend>Ce que le groupe doit faire</legend>',
        '<ul class="pt-plain-list">', *boxes,
        '<li><label><input type="checkbox" name="final" value="1"> Évaluation finale</label></li>',
        "</ul></fieldset>",
        '<p><label for="pt-assign-group">Nom du groupe</label><br>'
        '<input type="text" id="pt-assign-group" maxlength="80" required autocomplete="off"></p>',
        '<p><label for="pt-assign-due">Date limite</label><br>'
        '<input type="date" id="pt-assign-due" required></p>',
        f'<p><label for="pt-assign-pass">Seuil de réussite (en{NBSP}%)</label><br>'
        '<input type="number" id="pt-assign-pass" min="0" max="100" step="1" value="70" required></p>',
        '<p><label for="pt-assign-url">Adresse en ligne du module (laisser vide pour la version hors ligne)</label><br>'
        '<input type="url" id="pt-assign-url" placeholder="https://exemple.org/partenariat/" autocomplete="off"></p>',
        *_lrs_fields(),
        '<p><button type="submit" class="md-button md-button--primary">Créer le lien</button></p>',
        '<p class="pt-form-message" role="status" aria-live="polite"></p>',
        "</form>",
        '<section class="pt-sheet" id="pt-assign-sheet" hidden aria-label="Fiche du devoir à imprimer"></section>',
        "</div>",
        "",
    ])


def _lrs_fields() -> list[str]:
    """The assignment form's optional fieldset: results to a Learning Record Store (xapi.js, docs/formateurs/lrs.md)."""
    return [
        '<fieldset id="pt-assign-lrs"><legend>Résultats vers un LRS (facultatif)</legend>',
        "<p>Avec un LRS (Learning Record Store, par exemple Ralph), chaque réponse des apprenants qui l’acceptent vous "
        f"parvient sans échange de fichiers. L’identifiant figure dans le lien{NBSP}: il ne doit avoir que le droit "
        f"d’écrire des résultats (portée «{NBSP}statements/write{NBSP}»), jamais celui de les lire.</p>",
        '<p><label for="pt-assign-lrs-url">Adresse xAPI du LRS</label><br>'
        '<input type="url" id="pt-assign-lrs-url" placeholder="https://lrs.exemple.org/xAPI/" autocomplete="off"></p>',
        '<p><label for="pt-assign-lrs-user">Identifiant d’écriture</label><br>'
        '<input type="text" id="pt-assign-lrs-user" autocomplete="off"></p>',
        '<p><label for="pt-assign-lrs-key">Mot de passe de cet identifiant</label><br>'
        '<input type="password" id="pt-assign-lrs-key" autocomplete="new-password"></p>',
        '<p><button type="button" class="md-button" id="pt-assign-lrs-check">Vérifier l’identifiant</button></p>',
        '<p id="pt-assign-lrs-status" class="pt-xapi-check" role="status" aria-live="polite"></p>',
        "</fieldset>",
    ]


def _lrs_group() -> list[str]:
    """The group page's section that reads an assignment's statements from an LRS (lrs-groupe.js)."""
    return [
        '<h2 id="lrs">Lire les résultats depuis un LRS</h2>',
        '<form id="groupe-lrs" class="pt-form" novalidate>',
        "<p>Si le devoir envoie les résultats à un LRS, collez son lien et indiquez un identifiant de "
        f"lecture{NBSP}: il sert à cette lecture seulement, n’est jamais enregistré ni mis dans un lien.</p>",
        '<p><label for="groupe-lrs-link">Lien du devoir</label><br>'
        '<input type="text" id="groupe-lrs-link" autocomplete="off"></p>',
        '<p><label for="groupe-lrs-url">Adresse xAPI du LRS</label><br>'
        '<input type="url" id="groupe-lrs-url" autocomplete="off"></p>',
        '<p><label for="groupe-lrs-user">Identifiant de lecture</label><br>'
        '<input type="text" id="groupe-lrs-user" autocomplete="off"></p>',
        '<p><label for="groupe-lrs-key">Mot de passe</label><br>'
        '<input type="password" id="groupe-lrs-key" autocomplete="off"></p>',
        '<p><button type="submit" class="md-button md-button--primary">Charger depuis le LRS</button></p>',
        '<p class="pt-form-message" id="groupe-lrs-message" role="status" aria-live="polite"></p>',
        "</form>",
        '<div id="groupe-lrs-timeline" hidden></div>',
    ]


# Where the group page's question data goes: put in after Markdown, which would only parse its 130 KB to pass it on
GROUP_DATA = "<!-- partenariat-groupe-questions -->"


def _group_page() -> str:
    return "\n".join([
        '<div class="pt-group" id="groupe" data-search-exclude>',
        f'<script type="application/json" id="groupe-questions">{GROUP_DATA}</script>',
        '<script src="../assets/javascripts/groupe.js"></script>',
        '<script src="../assets/javascripts/lrs-groupe.js"></script>',
        '<h2 id="ouvrir">Ouvrir les fichiers des apprenants</h2>',
        '<div class="pt-drop" id="groupe-drop">',
        "<p>Déposez ici les fichiers reçus, ou choisissez-les (plusieurs à la fois)"
        f"{NBSP}: ils restent dans cette page et sont oubliés à sa fermeture.</p>",
        '<p><label class="md-button" for="groupe-files">Choisir les fichiers…</label>'
        '<input type="file" id="groupe-files" multiple accept="application/json,.json" class="visually-hidden"></p>',
        "</div>",
        '<p class="pt-form-message" id="groupe-message" role="status" aria-live="polite"></p>',
        '<ul class="pt-group-rejected" id="groupe-rejected" aria-label="Fichiers écartés" hidden></ul>',
        '<p id="groupe-assignment-row" hidden><label for="groupe-assignment">Devoir suivi</label><br>'
        '<select id="groupe-assignment"></select></p>',
        *_lrs_group(),
        '<h2 id="apprenants">Les apprenants</h2>',
        '<div id="groupe-table-host"><p>Aucun fichier ouvert pour l’instant.</p></div>',
        '<p><button type="button" class="md-button" id="groupe-csv" disabled>Exporter le tableau (CSV)</button></p>',
        '<h2 id="questions">Analyse des questions</h2>',
        '<section class="pt-sheet" id="groupe-items-sheet" aria-labelledby="questions">',
        '<div id="groupe-items-host"><p>Aucun fichier ouvert pour l’instant.</p></div>',
        "</section>",
        '<p><button type="button" class="md-button" id="groupe-print" disabled>Imprimer la fiche de débriefing</button></p>',
        _final_section(),
        '<h2 id="redactions">Réponses rédigées</h2>',
        "<p>Le texte de chaque apprenant, avec son auto-évaluation et la grille de la question"
        f"{NBSP}: notez chaque critère (atteint, en partie, pas atteint). Vos notes sont gardées dans ce navigateur "
        f"seulement et reviennent quand vous rouvrez les mêmes fichiers{NBSP}; l’export CSV en donne le total.</p>",
        '<p class="pt-form-message" id="groupe-marks-message" role="status" aria-live="polite"></p>',
        '<div id="groupe-written-host"><p>Aucun fichier ouvert pour l’instant.</p></div>',
        '<p><button type="button" class="md-button" id="groupe-marks-clear" disabled>'
        "Effacer les notes des rédactions</button></p>",
        "</div>",
        "",
    ])


def _assignments_box(where: str) -> str:
    return (f'<section class="pt-assignments" id="pt-assignments" data-where="{where}" hidden '
            'aria-label="Devoirs assignés par votre formateur" data-search-exclude></section>')


def _report() -> str:
    return "\n".join([
        '<div class="pt-report" id="pt-report" data-search-exclude>',
        '<h2 id="remettre">Remettre votre travail à votre formateur</h2>',
        f"<p>Votre formateur vous demande un relevé de progression{NBSP}? Indiquez votre nom (il reste dans ce navigateur), "
        "puis téléchargez le fichier à lui remettre, ou imprimez le relevé.</p>",
        '<p><label for="pt-report-name">Votre nom et prénom</label><br>'
        '<input type="text" id="pt-report-name" maxlength="120" autocomplete="name"> '
        '<button type="button" class="md-button" id="pt-report-save">Enregistrer le nom</button></p>',
        '<p><label for="pt-assign-paste">Lien d’assignation reçu (à coller si vous utilisez la version hors ligne)</label><br>'
        '<input type="text" id="pt-assign-paste" autocomplete="off"> '
        '<button type="button" class="md-button" id="pt-assign-paste-go">Ajouter ce devoir</button></p>',
        '<p><button type="button" class="md-button md-button--primary" id="pt-report-file">'
        "Télécharger le relevé (fichier pour le formateur)</button> "
        '<button type="button" class="md-button" id="pt-report-print">Imprimer le relevé de progression</button></p>',
        '<p class="pt-form-message" id="pt-report-message" role="status" aria-live="polite"></p>',
        '<section class="pt-sheet" id="pt-report-sheet" hidden aria-label="Relevé de progression"></section>',
        "</div>",
        "",
    ])


@event_priority(-50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Append the trainer tools to their pages; make room for the assignments on the home page and « Mon parcours »."""
    generator = page.meta.get("generate")
    if generator == "assign":
        return markdown.rstrip() + "\n\n" + _assign_form()
    if generator == "group":
        return markdown.rstrip() + "\n\n" + _group_page()
    if page.file.src_uri == "parcours.md":
        return _after_title(markdown, _assignments_box("parcours")) + "\n\n" + _report()
    if page.file.src_uri == "index.md":
        return _after_title(markdown, _assignments_box("accueil"))
    return markdown


@event_priority(100)  # before every other pass over the page, which then sees it as before
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The group page's question data, in the page at last."""
    if page.meta.get("generate") != "group" or GROUP_DATA not in html:
        return html
    return html.replace(GROUP_DATA, json.dumps(group_data(), ensure_ascii=False).replace("</", "<\\/"), 1)


def _after_title(markdown: str, block: str) -> str:
    """``block`` after the page's first heading (or first paragraph after it), else at the top."""
    match = re.search(r"^# .*\n(?:\n?[^\n#<].*\n)*", markdown, re.M)
    if not match:
        return block + "\n\n" + markdown
    return markdown[: match.end()] + "\n" + block + "\n\n" + markdown[match.end():]
