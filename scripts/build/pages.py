"""Layer 3: MkDocs hooks that build lessons from their front matter and the question bank.

- on_config: load the lessons and validate the whole question bank, once per build (the build fails
  on any error, file:line);
- on_files: publish the course index read by the browser (progress, « Mon parcours »); set up the
  question renderer (``quizrender``: each question turned into HTML once, by mkdocs-quiz, links resolved by MkDocs)
  and hand it to the course's Markdown extension (``mdext``: lesson frame, quizzes, questions);
- on_page_markdown: the generated pages (overview, print edition, answer keys, trainers' sheets);
- on_page_content: the generated pages' placeholders (worksheets, keys, print forms) replaced, final ids hidden in a
  learners' edition, task lists made tickable.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs_quiz.plugin import MkDocsQuizPlugin

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.build import mdext, quizrender, sealed, trainer  # noqa: E402
from scripts.model import course, quizbank  # noqa: E402

NBSP = "\u00a0"
INDEX_FILE = "assets/javascripts/course-index.js"
LUNR_FR = "assets/javascripts/lunr/min/lunr.fr.min.js"

_state: dict[str, Any] = {}


def _model() -> trainer.Model:
    return _state["model"]


def _bank() -> dict[str, quizbank.Quiz]:
    return _model().bank


def _lessons() -> list[course.Lesson]:
    return _model().lessons


def _renderer() -> quizrender.Renderer:
    return _state["renderer"]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate lessons and quizzes once per build."""
    try:
        _state["model"] = trainer.load_model()
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    _state["version"], _state["built"] = course.build_stamp()
    try:  # a learners' edition: the final ships without its key (sealed.py)
        _state["keys"] = mdext.build_keys(bool(config.extra.get("sealed_final")))
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    config.extra["course_version"] = _state["version"]
    config.extra["course_built"] = _state["built"]
    return config




def course_index() -> dict[str, Any]:
    """What the browser needs to know of the course: lessons, question ids, checklist ids."""
    bank = _bank()
    final = bank.get("evaluation-finale")
    return {
        "course": "partenariat",
        "version": _state["version"],
        "built": _state["built"],
        "passMark": (final.pass_mark if final and final.pass_mark else course.PASS_MARK_DEFAULT),
        "lessons": [
            {
                "slug": lesson.slug,
                "title": lesson.title,
                "url": f"{lesson.slug}.html",
                "duration": lesson.duration,
                # written answers are self-rated, never right or wrong: kept apart from the scored questions
                "questions": [q.id for q in bank[lesson.slug].questions if not q.written] if lesson.slug in bank else [],
                "written": [q.id for q in bank[lesson.slug].questions if q.written] if lesson.slug in bank else [],
                "checks": [f"{lesson.slug}/{key}" for key in lesson.objectives],
            }
            for lesson in _lessons()
        ],
        # each written answer's rubric criteria, in order (SCORM keeps the self-ratings by position)
        "rubrics": {q.id: [c.id for c in q.rubric] for quiz in bank.values() for q in quiz.questions if q.written},
        "final": {
            "slug": "evaluation-finale",
            "url": "evaluation-finale.html",
            "questions": [q.id for q in final.questions if not q.written] if final else [],
            **(sealed.final_index(final, _state.get("keys")) if final else {}),
        },
    }


def _print_pages() -> set[str]:
    """Pages of nav whose front matter asks for the print edition (``generate: print``)."""
    found = set()
    for name in course.nav_files():
        path = course.DOCS / name
        if path.is_file() and re.search(r"^generate: print$", path.read_text(encoding="utf-8")[:2000], re.M):
            found.add(name)
    return found


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Publish the course index as a script, so that it also loads from file://."""
    payload = json.dumps(course_index(), ensure_ascii=False, separators=(",", ":"))
    files.append(File.generated(config, INDEX_FILE, content=f"window.PARTENARIAT_COURSE={payload};\n"))
    lunr_fr = files.get_file_from_path(LUNR_FR)
    if lunr_fr is not None and lunr_fr.abs_src_path:  # French stemming from Material, plus accent folding of ours
        original = Path(lunr_fr.abs_src_path).read_text(encoding="utf-8")
        fold = (Path(__file__).with_name("lunr_fold.js")).read_text(encoding="utf-8")
        files.remove(lunr_fr)
        files.append(File.generated(config, LUNR_FR, content=original + "\n" + fold))
    print_pages = _print_pages()  # read once: pages are many
    for file in [f for f in files.documentation_pages() if f.src_uri in print_pages]:
        files.remove(file)  # rendered last, once every lesson is: it reuses their HTML
        files.append(file)
    root = files.get_file_from_path("index.md")
    if root is None:
        raise PluginError("docs/index.md is missing: question fragments are rendered as from the home page")
    page = SimpleNamespace(file=root, meta={}, url=root.url)  # fragments are rendered as from the home page
    # mkdocs-quiz's own set-up of a fragment's Markdown: MkDocs' link resolution and checks, no auto-appended snippet
    _state["renderer"] = quizrender.Renderer(lambda: MkDocsQuizPlugin()._create_fragment_markdown(page, config, files))
    mdext.use_renderer(_state["renderer"], page_passes=True)  # on_page_content here, then tooltips.py
    return files




@event_priority(100)  # before other plugins read the page's Markdown
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Assemble a page from its front matter, its quiz and the generators it asks for."""
    try:
        course.check_front_matter(page.meta, f"docs/{page.file.src_uri}")
    except ValueError as exc:
        raise PluginError(str(exc)) from exc
    mdext.know_meta(page.file.src_uri, page.meta)
    generator = page.meta.get("generate")
    up = "../" * page.file.src_uri.count("/")
    if generator == "parcours":
        markdown = markdown.rstrip() + "\n\n" + _parcours()
        if _state.get("keys") is not None:
            markdown += "\n" + sealed.parcours_block(_state["keys"].public_jwk) + "\n"
    elif generator == "print":
        markdown = markdown.rstrip() + "\n\n" + _print_edition(files)
    elif generator == "overview":
        markdown = markdown.rstrip() + "\n\n" + _overview(up)
    elif generator == "answer-key":
        markdown = markdown.rstrip() + "\n\n" + trainer.answer_key(up, _model())
    elif generator == "trainer-sheets":
        markdown = mdext.insert_after_h1(markdown, trainer.lesson_sheet(trainer.sheet_slug(page.file.src_uri), up, _model()))
    return markdown


PRINT_STOP = ("quiz", "auto-evaluation")  # where a lesson page's own text ends: its quiz, then its checklist
HEADING = re.compile(r'<h([1-6])\b[^>]*? id="(?P<id>[^"]*)"[^>]*>.*?</h\1>', re.S)
DETAILS = re.compile(r'<details class="([^"]*)"(?: open)?>\s*<summary>(.*?)</summary>', re.S)


def _anchors(links: Any) -> list[Any]:
    """A page's table of contents, flattened in document order."""
    out: list[Any] = []
    for link in links:
        out.append(link)
        out.extend(_anchors(link.children))
    return out


def _for_paper(fragment: str, slug: str, ids: set[str]) -> str:
    """A part of a rendered lesson for the print page: links to its sections prefixed, folded boxes opened."""
    fragment = re.sub(r'href="#([\w-]+)"', lambda m: f'href="#{slug}-{m.group(1)}"' if m.group(1) in ids else m.group(0),
                      fragment)
    fragment = DETAILS.sub(lambda m: f'<div class="admonition {m.group(1)}"><p class="admonition-title">{m.group(2)}</p>',
                           fragment)
    return fragment.replace("</details>", "</div>")


def _print_lesson(lesson: course.Lesson, page: Page, shared: set[str]) -> str:
    """One lesson for paper, cut from its rendered page: headings one level down with prefixed ids, details opened.

    The headings are written as Markdown (so the print page has them in its table of contents); the text between
    them is the lesson page's own HTML, rendered once (see ``_print_part``).
    """
    content = page.content or ""
    links = _anchors(page.toc)
    ids = {link.id for link in links}
    out: list[str] = []
    starts: list[tuple[int, int]] = []  # (start, end) of each heading kept, in the page's HTML
    headings = iter(HEADING.finditer(content))  # the page's headings in order, each found once (not one regex each)
    for link in links:
        if link.id in PRINT_STOP:
            break
        found = next((h for h in headings if h.group("id") == link.id), None)
        if not found:
            raise PluginError(f"docs/{lesson.slug}.md: heading #{link.id} not found in the rendered page")
        starts.append((found.start(), found.end()))
        title = html.unescape(link.title)
        if link.level == 1:
            out.append(f"## {title} {{ #{lesson.slug} }}")
        else:
            title = f"{title} ({lesson.title})" if title in shared else title
            out.append(f"{'#' * min(link.level + 1, 6)} {title} {{ #{lesson.slug}-{link.id} }}")
        out.append(quizrender.placeholder("lesson", lesson.slug, str(len(starts) - 1)))
    stop = min((m.start() for name in PRINT_STOP if (m := re.search(rf'<h2\b[^>]*? id="{name}"', content))), default=len(content))
    ends = [start for start, _ in starts[1:]] + [stop]
    _state["print_parts"].update({
        (lesson.slug, index): _for_paper(content[end:after], lesson.slug, ids)
        for index, ((_, end), after) in enumerate(zip(starts, ends, strict=True))
    })
    out += ["", f"### Je suis capable de… ({lesson.title}) {{ #{lesson.slug}-capable }}", ""]
    out += [f"- [ ] {text[:1].upper()}{text[1:]}" for text in lesson.objectives.values()]
    quiz = _bank().get(lesson.slug)
    if quiz:
        out += ["", _worksheet(quiz, f"Fiche d’exercices ({lesson.title})", f"{lesson.slug}-exercices")]
    return "\n".join(out)


def _worksheet(quiz: quizbank.Quiz, title: str, anchor: str) -> str:
    """Questions with empty boxes and blanks, and no answer (filled in from the question fragments)."""
    return f"### {title} {{ #{anchor} }}\n" + quizrender.placeholder("sheet", quiz.lesson, "")


def _print_edition(files: Files) -> str:
    """The whole course in order for paper: lessons, diagrams, checklists, worksheets without answers.

    The lessons' pages are rendered before this one (``on_files`` puts the print page last): their HTML is reused.
    """
    pages: dict[str, Page] = {}
    for lesson in _lessons():
        file = files.get_file_from_path(f"{lesson.slug}.md")
        if file is None or file.page is None or file.page.content is None:
            raise PluginError(f"docs/{lesson.slug}.md must be rendered before the print edition")
        pages[lesson.slug] = file.page
    seen: dict[str, int] = {}
    for page in pages.values():
        for link in _anchors(page.toc):
            if link.level > 1 and link.id not in PRINT_STOP:
                title = html.unescape(link.title)
                seen[title] = seen.get(title, 0) + 1
    shared = {title for title, count in seen.items() if count > 1}
    _state["print_parts"] = {}
    parts = [_print_lesson(lesson, pages[lesson.slug], shared) for lesson in _lessons()]
    final = _bank().get("evaluation-finale")
    if final:
        parts.append(_print_final(final))
    return "\n\n".join(parts) + "\n"


def _print_final(final: quizbank.Quiz) -> str:
    """The final on paper: two forms drawn from fixed seeds (disjoint where the pool allows), each its pass mark."""
    forms = sealed.print_forms(final)
    out = ["## Évaluation finale { #evaluation-finale }", "",
           f"Deux formes de l’évaluation, de {len(forms[0][1])} questions chacune, tirées selon le même plan "
           f"(chaque objectif du module, la même part de chaque niveau)"
           + (f"{NBSP}; elles n’ont aucune question en commun." if not set(forms[0][1]) & set(forms[1][1]) else ".")
           + " Chaque forme a son seuil de réussite, fixé par la méthode d’Angoff modifiée (moyenne des probabilités "
           "estimées qu’un apprenant tout juste compétent réponde juste à chacune de ses questions).", ""]
    for index, (name, qids) in enumerate(forms):
        mark = sealed.pass_mark(sealed.form_questions(final, qids))
        anchor = f"evaluation-finale-forme-{index + 1}"
        out += [f"### Évaluation finale{NBSP}: {name} {{ #{anchor} }}", "",
                f"Sujet {sealed.form_id(final, qids)} · {len(qids)} questions · seuil de réussite{NBSP}: "
                f"**{mark}{NBSP}%** de bonnes réponses.",
                quizrender.placeholder("form", final.lesson, str(index)), ""]
    return "\n".join(out)


def _overview(up: str) -> str:
    """The lesson plan, durations and assessment, from front matter only (`up` leads back to docs/)."""
    bank = _bank()
    # learner journey (issue 13): a state cell per lesson, filled by journey.js from the progress store
    rows = ["| Leçon | Ce que vous y apprenez | Durée | Questions | Où vous en êtes |", "|---|---|---|---|---|"]
    for lesson in _lessons():
        count = len(bank[lesson.slug].questions) if lesson.slug in bank else 0
        rows.append(f"| [{lesson.title}]({up}{lesson.slug}.md) | {lesson.description} | {lesson.duration}{NBSP}min | {count} "
                    f'| <span class="pt-state" data-lesson-state="{lesson.slug}">—</span> |')
    final = bank.get("evaluation-finale")
    total = sum(lesson.duration for lesson in _lessons())
    index = course_index()
    lines = [
        *rows,
        "",
        f"**Durée totale des leçons{NBSP}:** {course.minutes(total)}, quiz compris.",
        "",
        course.remaining_box(" data-search-exclude"),
    ]
    if final:
        lines.append(f"**[Évaluation finale]({up}evaluation-finale.md){NBSP}:** {len(final.questions)} questions sur "
                     f"l’ensemble du module, seuil de réussite {index['passMark']}{NBSP}%.")
    lines += ["", f"*Version du module{NBSP}: {_state['version']}, construite le {_state['built']}.*", ""]
    return "\n".join(lines)


def _parcours() -> str:
    rows = []
    for lesson in _lessons():
        rows.append(
            f'<li class="parcours-lesson" data-lesson="{lesson.slug}">'
            f'<a href="{lesson.slug}.html">{html.escape(lesson.title)}</a> '
            f'<span class="pt-state" data-lesson-state="{lesson.slug}">—</span>'
            f'<progress max="100" value="0" aria-label="Progression{NBSP}: {html.escape(lesson.title)}"></progress>'
            # « 3 réponses sur 15 · 3 justes du premier coup sur 3 »: right answers among those given (parcours.js)
            f'<span class="parcours-stats"><span data-stat="answered">0</span>{NBSP}<span data-stat="answered-unit">'
            f'réponse</span> sur <span data-stat="total">{len(_bank()[lesson.slug].questions) if lesson.slug in _bank() else 0}'
            f'</span><span data-stat="right" hidden> · <span data-stat="correct">0</span>{NBSP}<span data-stat="correct-unit">'
            f'juste</span> du premier coup sur <span data-stat="given">0</span></span> · <span data-stat="checked">0</span>'
            f'{NBSP}<span data-stat="checked-unit">compétence cochée</span> sur {len(lesson.objectives)}</span></li>'
        )
    return "\n".join([
        '<div class="parcours" id="parcours" data-search-exclude>',
        '<div class="parcours-alert" role="alert" hidden></div>',
        course.next_step_box(),
        '<p class="pt-review-due" data-review-due hidden></p>',
        course.remaining_box(),
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


def _print_form(lesson: str, index: str) -> tuple[quizbank.Question, ...]:
    """The questions of the print edition's form number ``index`` (0, 1), in order."""
    quiz = _bank()[lesson]
    return sealed.form_questions(quiz, sealed.print_forms(quiz)[int(index)][1])


@event_priority(-100)  # after other plugins have rendered their HTML
def on_page_content(output: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Post-process rendered HTML: question fragments in place of their placeholders, tickable task lists."""
    slug = page.file.src_uri.removesuffix(".md")
    renderer = _renderer()
    output = renderer.expand(output, {  # the questions themselves were put in by the Markdown extension (mdext)
        "sheet": lambda lesson, up: renderer.worksheet(_bank()[lesson].questions, up),
        "key": lambda lesson, up: trainer.answer_key_html(lesson, _bank()[lesson], renderer, up),
        "form": lambda lesson, index: renderer.worksheet(_print_form(lesson, index)),
        "formkey": lambda lesson, index, up: trainer.answer_key_html(
            lesson, quizbank.Quiz(lesson, _bank()[lesson].source, _print_form(lesson, index)), renderer, up),
        "lesson": lambda lesson, index: _state["print_parts"][(lesson, int(index))],
    })
    if _state.get("keys") is not None and "evaluation-finale" in _bank():
        output = sealed.hide_ids(output, _state["keys"], _bank()["evaluation-finale"])
    return mdext.label_tasks(output, slug)
