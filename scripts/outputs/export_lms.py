"""Layer 3: export the question bank and the course to learning platforms (LMS).

One command writes every export into one folder:

    .venv/bin/python -m scripts.outputs.export_lms --out dist/

- ``partenariat-moodle.xml``: Moodle XML question bank, one category per lesson;
- ``partenariat-gift.txt``: the same bank in GIFT (Moodle's text format);
- ``partenariat-qti12.zip`` and ``partenariat-qti21.zip``: QTI packages made by mkdocs-quiz's own
  ``mkdocs-quiz export qti`` command from Markdown generated out of the bank;
- ``partenariat-scorm12.zip``: a SCORM 1.2 package (the built site, a launcher page and its runtime).

Every export names the course version it came from (``git describe``, as the site's footer does).
Questions keep their stable ids: Moodle ``idnumber`` and ``name``, GIFT ``::id::`` and ``[id:…]``.
Choices are written in their display order (``Question.display_choices()``), the order of the web
page, the worksheets and the answer key's letters. Matching questions (``associer``) become Moodle
``matching`` / GIFT matching; ordering questions (``ordonner``) become Moodle's ``ordering`` type, or
with ``--ordering matching`` (and always in GIFT, which has no ordering syntax) a matching question
that pairs each step with its rank. Written answers (``redaction``) become Moodle ``essay`` questions, the
model answer and the rubric as grader information, and GIFT essays ``{}``. QTI holds only the types
mkdocs-quiz knows (see ARCHITECTURE.md).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.model import course, quizbank  # noqa: E402
from scripts.model.course import PASS_MARK_DEFAULT, build_stamp  # noqa: E402

ROOT = course.ROOT
SCORM_SOURCES = Path(__file__).resolve().parent / "scorm"
FINAL = "evaluation-finale"
COURSE_NAME = "Partenariat"
NBSP = "\u00a0"
LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
STRONG = re.compile(r"\*\*(.+?)\*\*")
GIFT_SPECIAL = re.compile(r"([~=#{}:])")
# Moodle accepts only these answer grades (question_bank::fraction_options_full), as fractions of 1.
MOODLE_FRACTIONS = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
                    0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)
OUTPUTS = ("moodle", "gift", "qti", "scorm")
ORDERING = ("ordering", "matching")  # how an ordonner question goes to Moodle XML
QTI_TYPES = ("single", "multiple", "truefalse", "fill")  # what mkdocs-quiz's QTI exporter knows


# ---------------------------------------------------------------- inputs


def course_titles() -> dict[str, str]:
    """Page titles by slug, for every page that holds a quiz (lessons and the final assessment)."""
    titles = {lesson.slug: lesson.title for lesson in course.load_lessons()}
    final = course.DOCS / f"{FINAL}.md"
    if final.is_file():
        meta, _ = course.split_front_matter(final.read_text(encoding="utf-8"))
        titles[FINAL] = meta.get("title", "Évaluation finale")
    return titles


def ordered(bank: Mapping[str, quizbank.Quiz], titles: Mapping[str, str]) -> list[quizbank.Quiz]:
    """Quizzes in course order: lessons as in ``nav``, then the final assessment, then any other."""
    order = [slug for slug in titles if slug != FINAL] + [FINAL]
    known = [bank[slug] for slug in order if slug in bank]
    return known + [quiz for slug, quiz in sorted(bank.items()) if slug not in order]


def course_version() -> str:
    """The course version and build date, as the site's footer shows them."""
    rev, built = build_stamp()
    return f"{rev}, construite le {built}"


# ---------------------------------------------------------------- text


def _flatten_links(text: str, titles: Mapping[str, str], site_url: str | None, as_html: bool) -> str:
    """Markdown → plain text or HTML: links to lessons keep their words, and name the lesson.

    With ``site_url`` (the published site's address), links become absolute links in HTML outputs.
    """
    out: list[str] = []
    position = 0
    esc = (lambda s: html.escape(s, quote=False)) if as_html else (lambda s: s)
    for match in LINK.finditer(text):
        out.append(esc(text[position:match.start()]))
        label, target = match.group(1), match.group(2)
        page, _, anchor = target.partition("#")
        slug = page.removesuffix(".md").rsplit("/", 1)[-1]
        if as_html and site_url and page.endswith(".md"):
            href = f"{site_url.rstrip('/')}/{page.removesuffix('.md')}.html" + (f"#{anchor}" if anchor else "")
            out.append(f'<a href="{html.escape(href)}">{esc(label)}</a>')
        elif slug in titles and titles[slug] not in label:
            out.append(esc(f"{label} (leçon «{NBSP}{titles[slug]}{NBSP}»)"))
        else:
            out.append(esc(label))
        position = match.end()
    out.append(esc(text[position:]))
    result = re.sub(r"[ \t\r\n]+", " ", "".join(out)).strip()
    if as_html:
        return STRONG.sub(r"<strong>\1</strong>", result)
    return STRONG.sub(r"\1", result)


def to_html(text: str, titles: Mapping[str, str], site_url: str | None = None) -> str:
    """A question's Markdown text as the HTML an LMS shows."""
    return _flatten_links(text, titles, site_url, as_html=True)


def to_text(text: str, titles: Mapping[str, str]) -> str:
    """A question's Markdown text as plain text, links reduced to their words."""
    return _flatten_links(text, titles, None, as_html=False)


def fold(text: str) -> str:
    """Drop accents (and ligatures) as a learner without a French keyboard may type."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def accepted_variants(answers: Iterable[str]) -> list[str]:
    """Every accepted answer, then its accentless and straight-apostrophe variants.

    Moodle's short-answer matching forgives case only, not accents.
    """
    seen: list[str] = []
    for answer in answers:
        for variant in (answer, answer.replace("’", "'"), fold(answer), fold(answer).replace("’", "'")):
            if variant not in seen:
                seen.append(variant)
    return seen


def _percent(value: float) -> str:
    """A Moodle grade in percent, as Moodle writes it (33.33333, -50, 100)."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def grades(question: quizbank.Question) -> list[str]:
    """Each choice's grade in percent, in display order.

    Multiple answers: right choices share 100, wrong ones share -100, so ticking every box scores nothing.
    """
    if question.type != "multiple":
        return ["100" if choice.correct else "0" for choice in question.display_choices()]
    right = sum(choice.correct for choice in question.choices)
    wrong = len(question.choices) - right
    values = [_percent(100 / right) if choice.correct else _percent(-100 / wrong) for choice in question.display_choices()]
    for value in values:
        if not any(abs(abs(float(value)) / 100 - allowed) < 1e-5 for allowed in MOODLE_FRACTIONS):
            raise ValueError(f"{question.id}: grade {value}% is not one Moodle accepts")
    return values


def truefalse_feedback(question: quizbank.Question) -> tuple[str, str]:
    """Feedback shown when the learner is right, and when they are wrong."""
    truth = "vraie" if question.choices[0].correct else "fausse"
    return f"Exact{NBSP}: l’affirmation est {truth}.", f"Non{NBSP}: l’affirmation est {truth}."


def fill_wrong_feedback(question: quizbank.Question) -> str:
    """Feedback for any other answer typed in a blank."""
    return f"La réponse attendue{NBSP}: «{NBSP}{question.answers[0]}{NBSP}»."


# ---------------------------------------------------------------- Moodle XML


def _text(parent: etree._Element, tag: str, value: str, fmt: str | None = "html", cdata: bool = True) -> etree._Element:
    element = etree.SubElement(parent, tag, {"format": fmt} if fmt else {})
    inner = etree.SubElement(element, "text")
    inner.text = etree.CDATA(value) if cdata and value else value
    return element


def _category_path(title: str | None = None) -> str:
    """Moodle's category path; a page title is HTML-escaped (Moodle shows category names as HTML)."""
    parts = [COURSE_NAME] + ([html.escape(title, quote=False)] if title else [])
    return "$course$/" + "/".join(part.replace("/", "//") for part in parts)


def rank(position: int) -> str:
    """A step's rank in French (« 1re étape », « 2e étape »)."""
    return f"{position}{'re' if position == 1 else 'e'} étape"


def pair_feedback(question: quizbank.Question, titles: Mapping[str, str], site_url: str | None) -> str:
    """Per-pair feedback of a matching question, as HTML to append to the general feedback.

    Neither Moodle's matching type nor GIFT keeps feedback per pair.
    """
    items = [f"<li>{to_html(p.left, titles, site_url)} → {to_html(p.right, titles, site_url)}{NBSP}: "
             f"{to_html(p.feedback, titles, site_url)}</li>" for p in question.pairs if p.feedback]
    return f"<ul>{''.join(items)}</ul>" if items else ""


def ranks_text(question: quizbank.Question) -> str:
    """The instruction added to an ordering question exported as a matching of ranks."""
    return f" (Indiquez le rang de chaque étape, de 1 à {len(question.steps)}.)"


def moodle_xml(bank: Mapping[str, quizbank.Quiz], titles: Mapping[str, str], version: str,
               site_url: str | None = None, ordering: str = "ordering") -> bytes:
    """The whole bank as a Moodle XML file: a category per page, every question with its id."""
    root = etree.Element("quiz")
    root.append(etree.Comment(f" Module «{NBSP}{COURSE_NAME}{NBSP}», version {version}. "
                              f"Généré par scripts/outputs/export_lms.py depuis quizzes/{NBSP}: ne pas modifier à la main. "))
    top = etree.SubElement(root, "question", type="category")
    _text(top, "category", _category_path(), fmt=None, cdata=False)
    _text(top, "info", html.escape(f"Banque de questions du module «{NBSP}{COURSE_NAME}{NBSP}», version {version}."))
    for quiz in ordered(bank, titles):
        title = titles.get(quiz.lesson, quiz.lesson)
        category = etree.SubElement(root, "question", type="category")
        _text(category, "category", _category_path(title), fmt=None, cdata=False)
        _text(category, "info", html.escape(f"{title} — {len(quiz.questions)} questions, version {version}."))
        for question in quiz.questions:
            root.append(_moodle_question(question, quiz.lesson, titles, site_url, ordering))
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _combined_feedback(element: etree._Element) -> None:
    _text(element, "correctfeedback", "Bonne réponse.", cdata=False)
    _text(element, "partiallycorrectfeedback", "Réponse en partie juste.", cdata=False)
    _text(element, "incorrectfeedback", "Réponse incorrecte.", cdata=False)
    etree.SubElement(element, "shownumcorrect")


def _matching(element: etree._Element, pairs: Iterable[tuple[str, str]], extra: Iterable[str]) -> None:
    """Moodle ``matching``: one subquestion per left item (in this order), extra right items as distractors.

    ``shuffleanswers`` is off so the left items keep their order; Moodle always shuffles the options.
    """
    etree.SubElement(element, "shuffleanswers").text = "false"
    _combined_feedback(element)
    for left, right in pairs:
        sub = _text(element, "subquestion", left)
        answer = etree.SubElement(sub, "answer")
        etree.SubElement(answer, "text").text = right
    for right in extra:
        sub = _text(element, "subquestion", "")
        answer = etree.SubElement(sub, "answer")
        etree.SubElement(answer, "text").text = right


def rubric_html(question: quizbank.Question, titles: Mapping[str, str], site_url: str | None) -> str:
    """A written answer's model answer and rubric, for the trainer who grades it (and the learner once answered)."""
    criteria = "".join(f"<li>{to_html(c.text, titles, site_url)} (atteint / en partie / pas atteint)</li>"
                       for c in question.rubric)
    return (f"<p><strong>Réponse modèle{NBSP}:</strong></p>{to_html(question.model_answer, titles, site_url)}"
            f"<p><strong>Grille d’évaluation{NBSP}:</strong></p><ol>{criteria}</ol>")


def _essay(element: etree._Element, question: quizbank.Question, titles: Mapping[str, str],
           site_url: str | None) -> None:
    """Moodle ``essay``: a text editor of 10 lines, no attachment, the rubric as grader information."""
    for tag, value in (("responseformat", "editor"), ("responserequired", "1"), ("responsefieldlines", "10"),
                       ("attachments", "0"), ("attachmentsrequired", "0")):
        etree.SubElement(element, tag).text = value
    _text(element, "graderinfo", rubric_html(question, titles, site_url))
    _text(element, "responsetemplate", "")


def _moodle_question(question: quizbank.Question, lesson: str, titles: Mapping[str, str],
                     site_url: str | None, ordering: str = "ordering") -> etree._Element:
    if question.type == quizbank.WRITTEN:
        element = etree.Element("question", type="essay")
        _text(element, "name", question.id, fmt=None, cdata=False)
        _text(element, "questiontext", to_html(question.stem, titles, site_url))
        _text(element, "generalfeedback", to_html(question.explanation, titles, site_url)
              + rubric_html(question, titles, site_url))
        for tag, value in (("defaultgrade", "1"), ("penalty", "0"), ("hidden", "0"), ("idnumber", question.id)):
            etree.SubElement(element, tag).text = value
        _essay(element, question, titles, site_url)
        _tags(element, question, lesson)
        return element
    kind = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse", "fill": "shortanswer",
            "associer": "matching", "ordonner": "ordering" if ordering == "ordering" else "matching"}
    element = etree.Element("question", type=kind[question.type])
    _text(element, "name", question.id, fmt=None, cdata=False)
    text = question.stem + (ranks_text(question) if kind[question.type] == "matching" and question.steps else "")
    _text(element, "questiontext", to_html(text, titles, site_url))
    _text(element, "generalfeedback", to_html(question.explanation, titles, site_url)
          + (pair_feedback(question, titles, site_url) if question.type == "associer" else ""))
    etree.SubElement(element, "defaultgrade").text = "1"
    etree.SubElement(element, "penalty").text = "1" if question.type == "truefalse" else "0.3333333"
    etree.SubElement(element, "hidden").text = "0"
    etree.SubElement(element, "idnumber").text = question.id
    if question.type in ("single", "multiple"):
        etree.SubElement(element, "single").text = "true" if question.type == "single" else "false"
        # the display order, as on the page and in the answer key (A, B, C…)
        etree.SubElement(element, "shuffleanswers").text = "false"
        etree.SubElement(element, "answernumbering").text = "ABCD"
        etree.SubElement(element, "showstandardinstruction").text = "1"
        _combined_feedback(element)
        for choice, grade in zip(question.display_choices(), grades(question), strict=True):
            answer = _text(element, "answer", to_html(choice.text, titles, site_url))
            answer.set("fraction", grade)
            _text(answer, "feedback", to_html(choice.feedback, titles, site_url))
    elif question.type == "truefalse":
        right, wrong = truefalse_feedback(question)
        for choice, word in zip(question.choices, ("true", "false"), strict=True):
            answer = _text(element, "answer", word, fmt="moodle_auto_format", cdata=False)
            answer.set("fraction", "100" if choice.correct else "0")
            _text(answer, "feedback", right if choice.correct else wrong, cdata=False)
    elif question.type == "associer":
        _matching(element, [(to_html(p.left, titles, site_url), to_text(p.right, titles)) for p in question.pairs],
                  [to_text(d, titles) for d in question.distractors])
    elif question.type == "ordonner" and ordering == "matching":
        _matching(element, [(to_html(step, titles, site_url), rank(question.steps.index(step) + 1))
                            for step in question.display_steps()], [])
    elif question.type == "ordonner":
        # qtype_ordering (core since Moodle 4.4, a plugin before): answers in the right order, fraction = rank
        for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0"),
                           ("gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST"), ("showgrading", "SHOW"),
                           ("numberingstyle", "none")):
            etree.SubElement(element, tag).text = value
        _combined_feedback(element)
        for position, step in enumerate(question.steps, start=1):
            answer = _text(element, "answer", to_html(step, titles, site_url))
            answer.set("fraction", f"{position}.0000000")
    else:
        etree.SubElement(element, "usecase").text = "0"
        for variant in accepted_variants(question.answers):
            answer = _text(element, "answer", variant.replace("*", "\\*"), fmt="moodle_auto_format", cdata=False)
            answer.set("fraction", "100")
            _text(answer, "feedback", "Bonne réponse.", cdata=False)
        catch_all = _text(element, "answer", "*", fmt="moodle_auto_format", cdata=False)
        catch_all.set("fraction", "0")
        _text(catch_all, "feedback", html.escape(fill_wrong_feedback(question), quote=False))
    _tags(element, question, lesson)
    return element


def _tags(element: etree._Element, question: quizbank.Question, lesson: str) -> None:
    tags = etree.SubElement(element, "tags")
    for tag in ("partenariat", lesson) + (("mise-en-situation",) if question.scenario else ()):
        _text(tags, "tag", tag, fmt=None, cdata=False)


# ---------------------------------------------------------------- GIFT


def gift_escape(text: str) -> str:
    """Escape GIFT's control characters (``~ = # { } :`` and the backslash) and line breaks."""
    text = text.replace("\\", "\\\\")
    text = GIFT_SPECIAL.sub(r"\\\1", text)
    return text.replace("\r", "").replace("\n", "\\n")


def gift(bank: Mapping[str, quizbank.Quiz], titles: Mapping[str, str], version: str, site_url: str | None = None) -> str:
    """The whole bank in GIFT: a ``$CATEGORY`` per page, then each question under its id."""

    def h(text: str) -> str:
        return gift_escape(to_html(text, titles, site_url))

    lines = [
        f"// Module «{NBSP}{COURSE_NAME}{NBSP}», version {version}.",
        f"// Généré par scripts/outputs/export_lms.py depuis quizzes/{NBSP}: ne pas modifier à la main.",
        f"// Import{NBSP}: Banque de questions > Importer > format GIFT (encodage UTF-8).",
        "",
    ]
    for quiz in ordered(bank, titles):
        # The category line is read verbatim by Moodle (no GIFT escapes there).
        lines += [f"$CATEGORY: {_category_path(titles.get(quiz.lesson, quiz.lesson))}", ""]
        for question in quiz.questions:
            tags = " ".join(f"[tag:{tag}]" for tag in ("partenariat", quiz.lesson) + (("mise-en-situation",) if question.scenario else ()))
            lines.append(f"// [id:{question.id}] {tags}")
            head = f"::{gift_escape(question.id)}::[html]{h(question.stem)}"
            general = f"\t####{h(question.explanation)}"
            if question.type == quizbank.WRITTEN:
                # an essay: nothing between the braces but the general feedback (GIFT keeps no grader information)
                lines += [head + "{", general + gift_escape(rubric_html(question, titles, site_url)), "}", ""]
                continue
            if question.type == "truefalse":
                right, wrong = truefalse_feedback(question)
                word = "TRUE" if question.choices[0].correct else "FALSE"
                lines.append(f"{head}{{{word}#{h(wrong)}#{h(right)}")
            elif question.type in ("associer", "ordonner"):
                if question.type == "associer":
                    pairs = [(p.left, to_text(p.right, titles)) for p in question.pairs]
                    pairs += [("", to_text(d, titles)) for d in question.distractors]
                    general += gift_escape(pair_feedback(question, titles, site_url))
                else:
                    head += gift_escape(html.escape(ranks_text(question), quote=False))
                    pairs = [(step, rank(question.steps.index(step) + 1)) for step in question.display_steps()]
                lines.append(head + "{")
                for left, right in pairs:
                    if "->" in left + right:
                        raise ValueError(f"{question.id}: '->' cannot be written inside a GIFT matching item")
                    lines.append(f"\t={h(left) if left else ''} -> {gift_escape(right)}")
            elif question.type == "fill":
                lines.append(head + "{")
                for variant in accepted_variants(question.answers):
                    lines.append(f"\t={gift_escape(variant.replace('*', chr(92) + '*'))}#Bonne réponse.")
                lines.append(f"\t=%0%*#{h(fill_wrong_feedback(question))}")
            else:
                lines.append(head + "{")
                for choice, grade in zip(question.display_choices(), grades(question), strict=True):
                    mark = ("=" if choice.correct else "~") if question.type == "single" else f"~%{grade}%"
                    feedback = f"#{h(choice.feedback)}" if choice.feedback else ""
                    lines.append(f"\t{mark}{h(choice.text)}{feedback}")
            lines += [general, "}", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- QTI (mkdocs-quiz)


def plain_title(title: str) -> str:
    """A page title with any markup dropped: mkdocs-quiz passes text holding a tag to QTI as raw HTML."""
    return re.sub(r"[<>]", "", re.sub(r"<[^>]*>", "", title))


def qti_markdown(quiz: quizbank.Quiz, titles: Mapping[str, str]) -> str:
    """One Markdown page of ``<quiz>`` blocks, links flattened, for mkdocs-quiz's exporter."""
    titles = {slug: plain_title(title) for slug, title in titles.items()}
    blocks = [f"# {titles.get(quiz.lesson, quiz.lesson)}", ""]
    for question in quiz.questions:
        if question.type not in QTI_TYPES:
            continue  # mkdocs-quiz's QTI exporter has no matching, ordering or essay item
        flat = replace(
            question,
            question=to_text(question.stem, titles),
            explanation=to_text(question.explanation, titles),
            choices=tuple(replace(c, text=to_text(c.text, titles), feedback=to_text(c.feedback, titles))
                          for c in question.choices),
        )
        blocks += [quizbank.to_quiz_markdown(flat), ""]
    return "\n".join(blocks)


def qti(bank: Mapping[str, quizbank.Quiz], titles: Mapping[str, str], version: str, out: Path) -> list[Path]:
    """QTI 1.2 and 2.1 packages, made by ``mkdocs-quiz export qti`` from generated Markdown."""
    written = []
    with tempfile.TemporaryDirectory(prefix="partenariat-qti-") as tmp:
        source = Path(tmp)
        for number, quiz in enumerate(ordered(bank, titles), start=1):
            if not any(q.type in QTI_TYPES for q in quiz.questions):
                continue
            (source / f"{number:02d}-{quiz.lesson}.md").write_text(qti_markdown(quiz, titles), encoding="utf-8")
        for qti_version, name in (("1.2", "partenariat-qti12.zip"), ("2.1", "partenariat-qti21.zip")):
            target = out / name
            proc = subprocess.run(
                [sys.executable, "-m", "mkdocs_quiz.cli", "export", "qti", str(source), "-o", str(target),
                 "-q", qti_version, "-t", f"{COURSE_NAME} (version {version})"],
                capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1", "TERM": "dumb"},
            )
            if proc.returncode != 0 or not target.is_file():
                raise RuntimeError(f"mkdocs-quiz export qti {qti_version} failed:\n{proc.stdout}{proc.stderr}")
            stable_qti_zip(target)
            written.append(target)
    return written


# --- reproducible QTI (helper infra) -------------------------------------------------------------------------------
QTI_RANDOM_ID = re.compile(r"\b([a-z]+)_[0-9a-f]{8}\b")  # quiz_…, assessment_…, answer_…: uuid4 prefixes


def stable_qti_zip(path: Path) -> None:
    """Make a QTI zip from mkdocs-quiz reproducible.

    Its random identifiers become numbers in order of first appearance (manifest first, items in source order);
    entries are sorted and dated like every other export.
    """
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    mapping: dict[str, str] = {}
    counters: dict[str, int] = {}
    for name, data in entries:
        for match in QTI_RANDOM_ID.finditer(name + "\n" + data.decode("utf-8", errors="replace")):
            if match.group(0) not in mapping:
                counters[match.group(1)] = counters.get(match.group(1), 0) + 1
                mapping[match.group(0)] = f"{match.group(1)}_{counters[match.group(1)]:08x}"

    def renumber(text: str) -> str:
        return QTI_RANDOM_ID.sub(lambda m: mapping[m.group(0)], text)

    stamp = _zip_time()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted((renumber(n), renumber(d.decode("utf-8")).encode("utf-8") if n.endswith(".xml") else d)
                                 for n, d in entries):
            archive.writestr(zipfile.ZipInfo(name, stamp), data, zipfile.ZIP_DEFLATED)
# --- end of reproducible QTI ---------------------------------------------------------------------------------------


# ---------------------------------------------------------------- SCORM 1.2


TRAINERS = "formateurs/"


def _learner_nav(node: Any) -> Any:
    """``nav`` without the trainers' section: a learner's package holds no answer key."""
    if isinstance(node, list):
        kept = [_learner_nav(item) for item in node]
        return [item for item in kept if item not in (None, [], {})]
    if isinstance(node, dict):
        kept_map = {key: _learner_nav(value) for key, value in node.items()}
        return {key: value for key, value in kept_map.items() if value not in (None, [], {})} or None
    return None if isinstance(node, str) and node.startswith(TRAINERS) else node


def learner_config(extra: dict[str, Any] | None = None) -> str:
    """A MkDocs configuration, read from stdin, that inherits mkdocs.yml without the trainers' pages.

    ``extra`` is merged into mkdocs.yml's own ``extra`` (MkDocs merges inherited mappings key by key).
    """
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=course._NavLoader)
    excluded = (config.get("exclude_docs") or "").rstrip("\n") + f"\n{TRAINERS}\n"
    derived: dict[str, Any] = {"INHERIT": "mkdocs.yml", "exclude_docs": excluded.lstrip("\n"),
                               "nav": _learner_nav(config["nav"])}
    # the final's key stays out of every learners' edition (scripts/build/sealed.py)
    derived["extra"] = {"sealed_final": True, **(extra or {})}
    return yaml.safe_dump(derived, allow_unicode=True, sort_keys=False)


def build_site(destination: Path, learners_only: bool = True) -> None:
    """Build the site strictly into ``destination``, by default without the trainers' section."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(destination)]
    if learners_only:
        command += ["-f", "-"]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env,
                          input=learner_config() if learners_only else None)
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{proc.stdout}{proc.stderr}")


def scorm_manifest(files: Iterable[str], version: str, pass_mark: int) -> bytes:
    """``imsmanifest.xml``: ADL SCORM 1.2, one organization, one SCO launched by ``scorm.html``."""
    cp = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    adlcp = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xsi = "http://www.w3.org/2001/XMLSchema-instance"
    manifest = etree.Element(f"{{{cp}}}manifest", nsmap={None: cp, "adlcp": adlcp, "xsi": xsi},  # type: ignore[dict-item]
                             identifier="partenariat", version=version.split(",")[0])
    manifest.set(f"{{{xsi}}}schemaLocation", f"{cp} imscp_rootv1p1p2.xsd {adlcp} adlcp_rootv1p2.xsd")
    manifest.append(etree.Comment(f" Module «{NBSP}{COURSE_NAME}{NBSP}», version {version}. "
                                  f"Généré par scripts/outputs/export_lms.py{NBSP}: ne pas modifier à la main. "))
    metadata = etree.SubElement(manifest, f"{{{cp}}}metadata")
    etree.SubElement(metadata, f"{{{cp}}}schema").text = "ADL SCORM"
    etree.SubElement(metadata, f"{{{cp}}}schemaversion").text = "1.2"
    organizations = etree.SubElement(manifest, f"{{{cp}}}organizations", default="org-partenariat")
    organization = etree.SubElement(organizations, f"{{{cp}}}organization", identifier="org-partenariat")
    etree.SubElement(organization, f"{{{cp}}}title").text = COURSE_NAME
    item = etree.SubElement(organization, f"{{{cp}}}item", identifier="item-partenariat",
                            identifierref="res-partenariat", isvisible="true")
    etree.SubElement(item, f"{{{cp}}}title").text = f"{COURSE_NAME} — module de formation"
    etree.SubElement(item, f"{{{adlcp}}}masteryscore").text = str(pass_mark)
    resources = etree.SubElement(manifest, f"{{{cp}}}resources")
    resource = etree.SubElement(resources, f"{{{cp}}}resource", identifier="res-partenariat", type="webcontent",
                                href="scorm.html")
    resource.set(f"{{{adlcp}}}scormtype", "sco")
    for name in files:
        etree.SubElement(resource, f"{{{cp}}}file", href=name)
    etree.indent(manifest, space="  ")
    return etree.tostring(manifest, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime(1980, 1, 1, tzinfo=UTC)
    return (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)


def scorm(out: Path, version: str, pass_mark: int, site: Path | None = None) -> Path:
    """The SCORM 1.2 package: launcher and runtime at the root, the learners' site under ``cours/``.

    Without ``site``, the site is built without the trainers' section (no answer key for learners).
    """
    target = out / "partenariat-scorm12.zip"
    with tempfile.TemporaryDirectory(prefix="partenariat-scorm-") as tmp:
        if site is None:
            site = Path(tmp) / "site"
            build_site(site)
        entries: dict[str, bytes] = {}
        launcher = (SCORM_SOURCES / "launcher.html").read_text(encoding="utf-8")
        entries["scorm.html"] = launcher.replace("{{VERSION}}", html.escape(version)).encode("utf-8")
        entries["scorm/runtime.js"] = (SCORM_SOURCES / "runtime.js").read_bytes()
        for path in sorted(site.rglob("*")):
            if path.is_file() and path.suffix != ".map":  # source maps: of no use to a learner
                entries[f"cours/{path.relative_to(site).as_posix()}"] = path.read_bytes()
        names = sorted(entries)
        stamp = _zip_time()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            info = zipfile.ZipInfo("imsmanifest.xml", stamp)
            archive.writestr(info, scorm_manifest(names, version, pass_mark), zipfile.ZIP_DEFLATED)
            for name in names:
                archive.writestr(zipfile.ZipInfo(name, stamp), entries[name], zipfile.ZIP_DEFLATED)
    return target


# ---------------------------------------------------------------- command


def export(out: Path, only: Iterable[str] = OUTPUTS, site: Path | None = None, site_url: str | None = None,
           ordering: str = "ordering") -> list[Path]:
    """Write the chosen exports into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    bank = quizbank.load_bank()
    titles = course_titles()
    version = course_version()
    final = bank.get(FINAL)
    pass_mark = final.pass_mark if final and final.pass_mark else PASS_MARK_DEFAULT
    written: list[Path] = []
    if "moodle" in only:
        path = out / "partenariat-moodle.xml"
        path.write_bytes(moodle_xml(bank, titles, version, site_url, ordering))
        written.append(path)
    if "gift" in only:
        path = out / "partenariat-gift.txt"
        path.write_text(gift(bank, titles, version, site_url), encoding="utf-8")
        written.append(path)
    if "qti" in only:
        written += qti(bank, titles, version, out)
    if "scorm" in only:
        written.append(scorm(out, version, pass_mark, site))
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m scripts.outputs.export_lms", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder to write into (default: dist/)")
    parser.add_argument("--only", action="append", choices=OUTPUTS, help="export only this format (repeatable)")
    parser.add_argument("--site", type=Path, help="an already built site to package for SCORM (default: build one)")
    parser.add_argument("--site-url", help="the published site's address: explanation links become absolute links")
    parser.add_argument("--ordering", choices=ORDERING, default="ordering",
                        help="ordering questions in Moodle XML: Moodle's 'ordering' type (core since Moodle 4.4, "
                             "a plugin before; default) or a 'matching' of each step with its rank")
    args = parser.parse_args(argv)
    if args.site and not (args.site / "index.html").is_file():
        parser.error(f"--site {args.site}: no index.html there")
    try:
        written = export(args.out, args.only or OUTPUTS, args.site, args.site_url, args.ordering)
    except (ValueError, RuntimeError) as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
