"""Written answers with a rubric (``redaction``).

The bank, the page, the browser, the report, the group page, paper, Moodle/GIFT/QTI and SCORM.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from scripts.model import course, quizbank
from scripts.outputs import export_lms
from tests.conftest import ROOT, serve_folder

BANK = quizbank.load_bank()
# Objectives that ask the learner to produce something: one written answer each, in the lesson's own quiz.
PRODUCTION = re.compile(r"\b(expliquer|justifier|interroger|porter un regard critique|présenter|situer|comparer)\b")
WRITTEN = [q for quiz in BANK.values() for q in quiz.questions if q.written]


def test_every_production_objective_has_a_written_answer_with_a_rubric() -> None:
    """Each objective asking to explain, justify, question, criticise, present, situate or compare has a written answer.

    It is in its lesson's quiz, with a model answer of 3 to 6 sentences and a rubric of 3 to 5 seed-grounded criteria.
    """
    missing = []
    for lesson in course.load_lessons():
        for oid, text in lesson.objectives.items():
            if not PRODUCTION.search(text):
                continue
            items = [q for q in BANK[lesson.slug].questions if q.written and oid in q.objectives]
            if not items:
                missing.append(f"{lesson.slug}/{oid}")
            for q in items:
                assert q.model_answer and 3 <= quizbank.sentences(q.model_answer) <= 6, q.id
                assert 3 <= len(q.rubric) <= 5 and all(c.basis for c in q.rubric), q.id
    assert not missing, f"production objectives without a written answer: {missing}"
    assert len(WRITTEN) >= 13


BAD = """\
lesson: definitions
questions:
  - id: fx-redaction-ok
    type: redaction
    level: appliquer
    objectives: [lange]
    case: Une association et une mairie.
    question: Expliquez en 3 à 6 phrases.
    model_answer: Une phrase. Deux phrases. Trois phrases.
    rubric:
      - {id: a, text: Critère A, basis: {seed: "000", passage: "Le partenariat peut se définir"}}
      - {id: b, text: Critère B, basis: {seed: "000", passage: "Le partenariat peut se définir"}}
      - {id: c, text: Critère C, basis: {seed: "000", passage: "Le partenariat peut se définir"}}
    explanation: "[Revoir](definitions.md#lange)"
  - id: fx-redaction-bad
    type: redaction
    level: appliquer
    objectives: [lange]
    question: Expliquez en 3 à 6 phrases.
    model_answer: Une seule phrase.
    choices: [{text: A}]
    rubric:
      - {id: a, text: Critère A, basis: {seed: "000", passage: "Le partenariat peut se définir"}}
      - {id: a, text: Critère B, basis: {seed: "000", passage: "un passage qui n'existe pas"}}
    explanation: "[Revoir](definitions.md#lange)"
  - id: fx-single-with-rubric
    type: single
    level: comprendre
    objectives: [lange]
    question: Quelle réponse ?
    model_answer: Une. Deux. Trois.
    choices: [{text: A, correct: true}, {text: B}, {text: C}]
    explanation: "[Revoir](definitions.md#lange)"
"""


def test_written_answer_errors_name_file_and_line(tmp_path: Path) -> None:
    """A bad written-answer item stops the bank with file:line and what to fix; a good one loads with its rubric."""
    (tmp_path / "definitions.yml").write_text(BAD, encoding="utf-8")
    with pytest.raises(quizbank.QuizError) as caught:
        quizbank.load_bank(tmp_path, complete=False)
    message = str(caught.value)
    assert re.search(r"definitions\.yml:20: question 'fx-redaction-bad': model_answer has 1 sentence", message)
    assert re.search(r"definitions\.yml:22: question 'fx-redaction-bad': a written-answer question needs a 'rubric' "
                     r"of 3 to 5 criteria.*found 2", message)
    assert re.search(r"definitions\.yml:24: question 'fx-redaction-bad': rubric criterion id 'a' is used twice "
                     r"\(first at line 23\)", message)
    assert re.search(r"definitions\.yml:24: .*rubric 'a': basis: passage .* not found in seed 000", message)
    assert re.search(r"definitions\.yml:21: question 'fx-redaction-bad': 'choices' does not belong to a question of "
                     r"type redaction", message)
    assert re.search(r"definitions\.yml:31: question 'fx-single-with-rubric': 'model_answer' does not belong", message)
    assert "fx-redaction-ok" not in message
    good = BAD.split("  - id: fx-redaction-bad")[0]
    (tmp_path / "definitions.yml").write_text(good, encoding="utf-8")
    question = quizbank.load_bank(tmp_path, complete=False)["definitions"].questions[0]
    assert question.written and [c.id for c in question.rubric] == ["a", "b", "c"]
    assert question.stem.startswith(quizbank.SCENARIO_MARK + " Une association et une mairie.")


def test_written_answer_is_rendered_with_a_textarea_and_a_rated_rubric(site: Path) -> None:
    """The lesson page shows a labelled text box and « Envoyer ma réponse ».

    The hidden correction holds the model answer and one radio group per criterion (atteint / en partie / pas
    atteint), named by its legend; the course index keeps written ids apart from the scored questions.
    """
    question = next(q for q in BANK["definitions"].questions if q.written)
    tree = etree.HTML((site / "definitions.html").read_text(encoding="utf-8"))
    box = tree.xpath(f"//div[@data-qid='{question.id}']")[0]
    area = box.xpath(".//textarea")[0]
    assert box.xpath(f".//label[@for='{area.get('id')}']")[0].text.startswith("Votre réponse")
    assert box.xpath(".//button[@type='submit']")[0].text == "Envoyer ma réponse"
    section = box.xpath(".//section[contains(@class, 'content')]")[0]
    assert section.get("hidden") is not None
    assert "Réponse modèle" in "".join(section.itertext())
    groups = section.xpath(".//fieldset[@class='redaction-criterion']")
    assert [g.get("data-criterion") for g in groups] == [c.id for c in question.rubric]
    for group in groups:
        assert group.xpath("./legend") and len(group.xpath(".//input[@type='radio']")) == 3
        assert [" ".join("".join(label.itertext()).split()) for label in group.xpath(".//label")] == [
            "atteint", "en partie", "pas atteint"]
    index = (site / "assets" / "javascripts" / "course-index.js").read_text(encoding="utf-8")
    data = json.loads(index.split("=", 1)[1].rstrip(";\n"))
    lesson = next(x for x in data["lessons"] if x["slug"] == "definitions")
    assert question.id in lesson["written"] and question.id not in lesson["questions"]
    assert data["rubrics"][question.id] == [c.id for c in question.rubric]


def test_print_gives_lines_and_the_answer_key_gives_model_and_rubric(site: Path) -> None:
    """The print edition gives ruled lines under each written-answer question.

    The answer key its model answer and its rubric.
    """
    printed = etree.HTML((site / "imprimer.html").read_text(encoding="utf-8"))
    key = etree.HTML((site / "formateurs" / "corrige.html").read_text(encoding="utf-8"))
    for question in WRITTEN:
        sheet = printed.xpath(f"//li[@class='worksheet-question'][@data-qid='{question.id}']")[0]
        assert len(sheet.xpath(".//span[@class='worksheet-line']")) >= 8
        item = key.xpath(f"//li[@class='answer-key-item'][@data-qid='{question.id}']")[0]
        text = " ".join("".join(item.itertext()).split())
        assert "Réponse modèle" in text and "Grille d’évaluation" in text
        assert len(item.xpath(".//li[@class='answer-key-rubric']/ol/li")) == len(question.rubric)


def test_moodle_exports_written_answers_as_essays_with_grader_information() -> None:
    """Moodle XML exports each written answer as an essay with grader information.

    Each written answer is a valid `essay` with the model answer and every criterion as graderinfo; GIFT: an
    essay `{}` holding only general feedback; QTI skips it.
    """
    titles = {slug: slug for slug in BANK}
    root = etree.fromstring(export_lms.moodle_xml(BANK, titles, "v-test"))
    for question in WRITTEN:
        element = root.xpath(f"//question[idnumber='{question.id}']")[0]
        assert element.get("type") == "essay"
        grader = element.findtext("graderinfo/text")
        assert element.find("graderinfo").get("format") == "html"
        assert "Réponse modèle" in grader and all(c.text.split()[0] in grader for c in question.rubric)
        assert element.findtext("responseformat") == "editor" and element.findtext("attachments") == "0"
    gift = export_lms.gift(BANK, titles, "v-test")
    for question in WRITTEN:
        block = gift.split(f"::{question.id}::", 1)[1].split("\n}\n", 1)[0]
        body = block.split("{", 1)[1]
        assert body.strip().startswith("####") and "=" not in body.split("####")[0]
    quiz = BANK["definitions"]
    assert all(q.id not in export_lms.qti_markdown(quiz, titles) for q in quiz.questions if q.written)


@pytest.fixture(scope="module")
def launcher(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The SCORM launcher and runtime beside the built site, as in the package."""
    root = tmp_path_factory.mktemp("written-lms")
    pkg = root / "pkg"
    (pkg / "scorm").mkdir(parents=True)
    sources = ROOT / "scripts" / "outputs" / "scorm"
    (pkg / "scorm.html").write_text((sources / "launcher.html").read_text(encoding="utf-8").replace("{{VERSION}}", "t"),
                                    encoding="utf-8")
    (pkg / "scorm" / "runtime.js").write_bytes((sources / "runtime.js").read_bytes())
    (pkg / "cours").symlink_to(site, target_is_directory=True)
    with serve_folder(root) as url:
        yield url


@pytest.mark.browser
def test_scorm_keeps_the_self_rating_in_suspend_data(page: Any, launcher: str) -> None:
    """A self-rating goes into cmi.suspend_data (one character per criterion) and comes back.

    The text is not sent, and a written answer never turns into a right/wrong answer code.
    """
    question = WRITTEN[0]
    rating = {question.rubric[0].id: 2, question.rubric[1].id: 0}
    page.goto(launcher + "pkg/scorm.html")
    result = page.evaluate("""([qid, rating]) => {
        const data = window.partenariatScorm.encode({answers: {[qid]: {text: "Mon texte secret.", selfRating: rating,
          t: 1}}, checks: {}, reviews: {}, reset: 0});
        return {data, back: window.partenariatScorm.decode(data).answers[qid] || null}; }""", [question.id, rating])
    assert "secret" not in result["data"] and "a:" + question.id not in result["data"]
    assert result["back"]["selfRating"] == rating and result["back"]["text"] == ""


def _write_and_rate(page: Any, qid: str) -> None:
    quiz = page.locator(f"[data-qid='{qid}']")
    quiz.scroll_into_view_if_needed()
    quiz.locator(".quiz-button").click()
    assert "Écrivez votre réponse" in (quiz.locator(".quiz-feedback").text_content() or "")
    assert quiz.locator("section.content").is_hidden()
    quiz.get_by_label("Votre réponse (3 à 6 phrases)").fill("Le partenariat évolue.\nIl faut l’évaluer.")
    quiz.get_by_role("button", name="Envoyer ma réponse").click()
    quiz.locator("section.content").wait_for(state="visible")
    assert "Réponse modèle" in (quiz.locator("section.content").text_content() or "")
    first = quiz.locator(".redaction-criterion").first
    first.get_by_role("radio", name="en partie").check()
    quiz.locator(".redaction-criterion").nth(1).get_by_role("radio", name="atteint", exact=True).check()


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_write_send_rate_and_find_it_after_reload(page: Any, server: str, width: int) -> None:
    """At phone and desktop widths.

    An empty answer is refused; typing and sending shows the model answer and the rubric; the self-rating is
    stored with the text by question id; after a reload both are back; the report carries them under `written`,
    and the lesson's score ignores them.
    """
    question = next(q for q in BANK["definitions"].questions if q.written)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server + "definitions.html")
    _write_and_rate(page, question.id)
    page.wait_for_function("qid => { const r = window.Partenariat.store.get('answers', qid);"
                           " return r && Object.keys(r.selfRating).length === 2; }", arg=question.id)
    page.evaluate("window.Partenariat.store.flush ? window.Partenariat.store.flush() : null")
    record = page.evaluate("qid => window.Partenariat.store.get('answers', qid)", question.id)
    assert record["text"] == "Le partenariat évolue.\nIl faut l’évaluer."
    assert record["selfRating"] == {question.rubric[0].id: 1, question.rubric[1].id: 2} and "ok" not in record
    box = page.locator(f"[data-qid='{question.id}'] .redaction-text").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    page.reload()
    quiz = page.locator(f"[data-qid='{question.id}']")
    quiz.locator("section.content").wait_for(state="visible")
    assert quiz.locator(".redaction-text").input_value() == record["text"]
    assert quiz.locator(".redaction-criterion").first.get_by_role("radio", name="en partie").is_checked()
    page.goto(server + "parcours.html")  # the report is made on « Mon parcours »
    summary = page.evaluate("window.Partenariat.report.summary()")
    assert summary["written"] == {question.id: {"text": record["text"], "selfRating": record["selfRating"]}}
    lesson = next(x for x in summary["lessons"] if x["slug"] == "definitions")
    assert lesson["answered"] == 0
    assert page.js_errors == []


@pytest.mark.browser
def test_group_page_shows_each_text_with_the_rubric_for_the_trainer(page: Any, server: str, tmp_path: Path) -> None:
    """A report holding a written answer is accepted (not « réponse illisible »).

    Its text, the learner's self-rating and one trainer's mark per criterion show in a table of their own; marks
    add up to a total.
    """
    question = WRITTEN[0]
    page.goto(server + "definitions.html")
    page.evaluate("([qid, rating]) => window.Partenariat.store.put('answers', qid, {text: 'Ma réponse rédigée.',"
                  " selfRating: rating})", [question.id, {question.rubric[0].id: 2}])
    page.evaluate("window.Partenariat.store.put('profile', 'name', {value: 'Awa Diop'})")
    page.evaluate("window.Partenariat.store.settled()")  # both writes landed before the page changes
    page.goto(server + "parcours.html")  # the report is made on « Mon parcours »
    report = page.evaluate("window.Partenariat.report.json()")
    path = tmp_path / "releve-awa.json"
    path.write_text(report, encoding="utf-8")
    page.goto(server + "formateurs/groupe.html")
    page.set_input_files("#groupe-files", str(path))
    table = page.locator(f"table.pt-group-written[data-qid='{question.id}']")
    table.wait_for()
    assert page.locator("#groupe-rejected li").count() == 0
    row = table.locator("tbody tr").first
    assert row.locator("th").text_content() == "Awa Diop"
    assert row.locator(".pt-written-text").text_content() == "Ma réponse rédigée."
    assert "Auto-évaluation\u00a0: atteint" in (row.locator("td").nth(1).text_content() or "")
    assert table.locator("thead th").count() == 3 + len(question.rubric)
    row.get_by_label("Note du formateur, critère 1, Awa Diop").select_option("1")
    row.get_by_label("Note du formateur, critère 2, Awa Diop").select_option("2")
    assert row.locator(".pt-written-total").text_content() == textwrap.dedent(
        f"3 / {2 * len(question.rubric)} (2 critères sur {len(question.rubric)})")
    assert page.js_errors == []
