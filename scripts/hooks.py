"""Layer 3: MkDocs hooks that build lessons from their front matter and the question bank.

- on_config: validate the whole question bank once (the build fails on any error, file:line);
- on_files: publish the course index read by the browser (progress, « Mon parcours »);
- on_page_markdown (before mkdocs-quiz): objectives box, quiz, checklist, generated pages;
- on_page_content (after mkdocs-quiz): stable ids on questions, accessible markup, no inlined assets.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import course, quizbank  # noqa: E402

NBSP = "\u00a0"
PASS_MARK_DEFAULT = 70
INDEX_FILE = "assets/javascripts/course-index.js"

_state: dict[str, Any] = {}


def _bank() -> dict[str, quizbank.Quiz]:
    return _state["bank"]


def _lessons() -> list[course.Lesson]:
    return _state["lessons"]


def _build_stamp() -> tuple[str, str]:
    """Course version (git) and build date, reproducible with SOURCE_DATE_EPOCH."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    try:
        rev = subprocess.run(["git", "-C", str(course.ROOT), "describe", "--always", "--dirty", "--tags"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        rev = "hors-git"
    return rev, moment.strftime("%Y-%m-%d %H:%M UTC")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate lessons and quizzes once per build."""
    try:
        _state["lessons"] = course.load_lessons()
        _state["bank"] = quizbank.load_bank()
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    _state["version"], _state["built"] = _build_stamp()
    config.extra["course_version"] = _state["version"]
    config.extra["course_built"] = _state["built"]
    return config


def _seed_labels() -> dict[str, str]:
    """Seed titles as the sources page names them (« Document 000 … »)."""
    labels: dict[str, str] = {}
    page = course.DOCS / "sources.md"
    if page.is_file():
        for line in page.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^##\s+(.*?)\s*\{[^}]*#seed-(\d{3})[^}]*\}", line)
            if match:
                labels[match.group(2)] = match.group(1)
    return labels


def course_index() -> dict[str, Any]:
    """What the browser needs to know of the course: lessons, question ids, checklist ids."""
    bank = _bank()
    final = bank.get("evaluation-finale")
    return {
        "course": "partenariat",
        "version": _state["version"],
        "built": _state["built"],
        "passMark": (final.pass_mark if final and final.pass_mark else PASS_MARK_DEFAULT),
        "lessons": [
            {
                "slug": lesson.slug,
                "title": lesson.title,
                "url": f"{lesson.slug}.html",
                "duration": lesson.duration,
                "questions": [q.id for q in bank[lesson.slug].questions] if lesson.slug in bank else [],
                "checks": [f"{lesson.slug}/{key}" for key in lesson.objectives],
            }
            for lesson in _lessons()
        ],
        "final": {
            "slug": "evaluation-finale",
            "url": "evaluation-finale.html",
            "questions": [q.id for q in final.questions] if final else [],
        },
    }


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Publish the course index as a script, so that it also loads from file://."""
    payload = json.dumps(course_index(), ensure_ascii=False, separators=(",", ":"))
    files.append(File.generated(config, INDEX_FILE, content=f"window.PARTENARIAT_COURSE={payload};\n"))
    return files


def _objectives_box(lesson: course.Lesson) -> str:
    labels = _seed_labels()
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
        titles = {item.slug: item.title for item in _lessons()}
        prereq = ", ".join(f"[{titles.get(p, p)}]({p}.md)" for p in lesson.prerequisites)
        lines.append(f"    **Prérequis{NBSP}:** {prereq}  ")
    lines.append(f"    **Sources{NBSP}:** {sources}")
    return "\n".join(lines) + "\n"


def _quiz_section(quiz: quizbank.Quiz, heading: bool) -> str:
    intro = (f"Vos réponses restent enregistrées dans ce navigateur{NBSP}; retrouvez-les dans "
             f"[Mon parcours](parcours.md). Répondez, puis validez{NBSP}: l’explication s’affiche.")
    title = "Testez vos connaissances" if heading else "Les questions"
    parts = [f"## {title} {{ #quiz }}", "", intro, ""]
    parts.extend(quizbank.to_quiz_markdown(q) + "\n" for q in quiz.questions)
    return "\n".join(parts)


def _checklist(lesson: course.Lesson) -> str:
    items = []
    for key, text in lesson.objectives.items():
        ident = f"check-{lesson.slug}-{key}"
        label = html.escape(text[:1].upper() + text[1:])
        items.append(f'<li><input type="checkbox" id="{ident}" data-check="{lesson.slug}/{key}">'
                     f'<label for="{ident}">{label}</label></li>')
    return "\n".join([
        "## Je suis capable de… { #auto-evaluation }",
        "",
        "Cochez ce que vous savez faire{NBSP}: vos coches sont enregistrées dans ce navigateur.".replace("{NBSP}", NBSP),
        "",
        f'<ul class="checklist" data-lesson="{lesson.slug}">',
        *items,
        "</ul>",
        "",
        '<p class="checklist-status" role="status"></p>',
        "",
    ])


def _insert_after_h1(markdown: str, block: str) -> str:
    match = re.search(r"^# .*$", markdown, re.M)
    if not match:
        return block + "\n" + markdown
    return markdown[: match.end()] + "\n\n" + block + markdown[match.end():]


@event_priority(100)  # before mkdocs-quiz reads <quiz> blocks
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Assemble a page from its front matter, its quiz and the generators it asks for."""
    try:
        course.check_front_matter(page.meta, f"docs/{page.file.src_uri}")
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    slug = page.file.src_uri.removesuffix(".md")
    lesson = next((item for item in _lessons() if item.slug == slug), None)
    quiz = _bank().get(slug)
    if lesson:
        markdown = _insert_after_h1(markdown, _objectives_box(lesson))
    if quiz:
        page.meta["quiz"] = {"enabled": True}
        if lesson is None:
            markdown = markdown.rstrip() + "\n\n" + _final_rules(quiz)
        markdown = markdown.rstrip() + "\n\n" + _quiz_section(quiz, heading=lesson is not None)
        if lesson is None:
            markdown += '\n<p class="final-result" role="status"></p>\n'

    if lesson:
        markdown = markdown.rstrip() + "\n\n" + _checklist(lesson)
    generator = page.meta.get("generate")
    if generator == "parcours":
        markdown = markdown.rstrip() + "\n\n" + _parcours()
    elif generator == "overview":
        markdown = markdown.rstrip() + "\n\n" + _overview()
    return markdown


def _minutes(total: int) -> str:
    hours, minutes = divmod(total, 60)
    return f"{hours}{NBSP}h{NBSP}{minutes:02d}" if hours else f"{minutes}{NBSP}min"


def _overview() -> str:
    """The lesson plan, durations and assessment, from front matter only."""
    bank = _bank()
    rows = ["| Leçon | Ce que vous y apprenez | Durée | Questions |", "|---|---|---|---|"]
    for lesson in _lessons():
        count = len(bank[lesson.slug].questions) if lesson.slug in bank else 0
        rows.append(f"| [{lesson.title}]({lesson.slug}.md) | {lesson.description} | {lesson.duration}{NBSP}min | {count} |")
    final = bank.get("evaluation-finale")
    total = sum(lesson.duration for lesson in _lessons())
    index = course_index()
    lines = [
        *rows,
        "",
        f"**Durée totale des leçons{NBSP}:** {_minutes(total)}, quiz compris.",
    ]
    if final:
        lines.append(f"**[Évaluation finale](evaluation-finale.md){NBSP}:** {len(final.questions)} questions sur "
                     f"l’ensemble du module, seuil de réussite {index['passMark']}{NBSP}%.")
    lines += ["", f"*Version du module{NBSP}: {_state['version']}, construite le {_state['built']}.*", ""]
    return "\n".join(lines)


def _final_rules(quiz: quizbank.Quiz) -> str:
    mark = quiz.pass_mark or PASS_MARK_DEFAULT
    return "\n".join([
        '!!! info "Règles de l’évaluation"',
        "",
        f"    - **{len(quiz.questions)} questions**, une réponse validée par question (pas de second essai){NBSP};",
        f"    - **seuil de réussite{NBSP}: {mark}{NBSP}%** de bonnes réponses{NBSP};",
        "    - votre score s’affiche en bas de page et dans [Mon parcours](parcours.md).",
        "",
    ])


def _parcours() -> str:
    rows = []
    for lesson in _lessons():
        rows.append(
            f'<li class="parcours-lesson" data-lesson="{lesson.slug}">'
            f'<a href="{lesson.slug}.html">{html.escape(lesson.title)}</a>'
            f'<progress max="100" value="0" aria-label="Progression{NBSP}: {html.escape(lesson.title)}"></progress>'
            f'<span class="parcours-stats">Questions répondues{NBSP}: <span data-stat="answered">0</span>'
            f'{NBSP}/{NBSP}<span data-stat="total">{len(_bank()[lesson.slug].questions) if lesson.slug in _bank() else 0}</span>'
            f' · Score{NBSP}: <span data-stat="score">0</span>{NBSP}%'
            f' · Compétences cochées{NBSP}: <span data-stat="checked">0</span>{NBSP}/{NBSP}{len(lesson.objectives)}</span></li>'
        )
    return "\n".join([
        '<div class="parcours" id="parcours" markdown="0">',
        '<p class="parcours-alert" role="alert" hidden></p>',
        '<h2 id="vue-ensemble">Vue d’ensemble</h2>',
        f'<p><progress id="parcours-module" max="100" value="0" aria-label="Progression du module"></progress> '
        f'Module complété à <strong data-stat="module">0</strong>{NBSP}%.</p>',
        f'<p class="parcours-final">Évaluation finale{NBSP}: <span data-stat="final">pas encore commencée</span></p>',
        '<h2 id="par-lecon">Par leçon</h2>',
        '<ul class="parcours-lessons">',
        *rows,
        "</ul>",
        '<h2 id="sauvegarde">Sauvegarder ou transférer votre progression</h2>',
        "<p>Votre progression reste dans ce navigateur, sur cet appareil. Exportez-la dans un fichier pour la "
        "reprendre ailleurs ou la remettre à votre formateur, puis importez ce fichier sur l’autre appareil.</p>",
        '<p class="parcours-actions">'
        '<button type="button" class="md-button" data-action="export">Exporter ma progression (JSON)</button> '
        '<label class="md-button" for="parcours-import">Importer un fichier de progression</label>'
        '<input type="file" id="parcours-import" accept="application/json,.json" class="visually-hidden"> '
        '<button type="button" class="md-button" data-action="reset">Tout effacer…</button></p>',
        '<p class="parcours-message" role="status" aria-live="polite"></p>',
        "</div>",
        "",
    ])


QUIZ_DIV = re.compile(r'<div class="quiz( quiz-fill-blank)?"([^>]*) id="quiz-(\d+)">')
QUIZ_REF = re.compile(r'(["#])quiz-(\d+)(?=[-"])')
TASK_ITEM = re.compile(r'<li class="task-list-item"><input type="checkbox"( disabled)?( checked)?/?>(.*?)</li>', re.S)


def _label_tasks(output: str, slug: str) -> str:
    """Task-list items become labelled, tickable, remembered checkboxes."""
    counter = iter(range(1_000_000))

    def repl(match: re.Match[str]) -> str:
        n = next(counter)
        ident = f"task-{slug.replace('/', '-')}-{n}"
        checked = " checked" if match.group(2) else ""
        return (f'<li class="task-list-item"><input type="checkbox" id="{ident}" data-check="{slug}/t{n}"{checked}>'
                f'<label for="{ident}">{match.group(3).strip()}</label></li>')

    return TASK_ITEM.sub(repl, output)


def _rewrite_quiz(output: str, quiz: quizbank.Quiz) -> str:
    """Give each rendered question its stable id and accessible, asset-free markup."""
    questions = quiz.questions

    def div(match: re.Match[str]) -> str:
        question = questions[int(match.group(3))]
        extra = f' data-qid="{question.id}" data-type="{question.type}"'
        if question.type == "fill":
            extra += f' data-accept="{html.escape(json.dumps(list(question.answers), ensure_ascii=False))}"'
        return f'<div class="quiz{match.group(1) or ""}"{match.group(2)}{extra} id="q-{question.id}">'

    output = QUIZ_DIV.sub(div, output)
    output = QUIZ_REF.sub(lambda m: f"{m.group(1)}q-{questions[int(m.group(2))].id}", output)
    output = re.sub(r'<a href="#(q-[\w-]+)" class="quiz-header-link">#</a>',
                    r'<a href="#\1" class="quiz-header-link" aria-label="Lien vers cette question">#</a>', output)
    output = re.sub(r'<h4 class="quiz-number">(.*?)</h4>', r'<h3 class="quiz-number">\1</h3>', output)
    output = output.replace('<div class="quiz-feedback hidden"></div>',
                            '<div class="quiz-feedback" role="status" aria-live="polite"></div>')
    output = output.replace('<form action="javascript:void(0);" onsubmit="return false;">', "<form>")
    output = output.replace('<section class="content hidden">', '<section class="content" hidden>')
    return output


@event_priority(-100)  # after mkdocs-quiz has rendered its HTML
def on_page_content(output: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Post-process rendered HTML: quiz ids and accessibility, no per-page inlined quiz assets."""
    cut = output.find('<div id="quiz-progress-sidebar"')
    if cut >= 0:  # mkdocs-quiz appends its sidebar, CSS and JS (~67 KB) after the content
        output = output[:cut]
    slug = page.file.src_uri.removesuffix(".md")
    quiz = _bank().get(slug)
    if quiz:
        output = _rewrite_quiz(output, quiz)
    return _label_tasks(output, slug)
