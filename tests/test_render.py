"""Questions rendered once and reused: the lesson, the print worksheet and the answer key agree."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from scripts import course, quizbank, quizrender, trainer
from tests.conftest import ROOT

BANK = quizbank.load_bank()
QUESTIONS = {q.id: (slug, q) for slug, quiz in BANK.items() for q in quiz.questions}
CHOICE_TYPES = ("single", "multiple", "truefalse")


def _doc(site: Path, name: str) -> Any:
    return lxml.html.fromstring((site / name).read_text(encoding="utf-8"))


def _plain(markdown: str) -> str:
    """A choice's Markdown as its rendered text reads (emphasis, code and links removed, spaces folded)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return " ".join(re.sub(r"[*`]", "", text).split())


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def test_every_question_renders_with_its_id_everywhere(site: Path) -> None:
    """Each question of the bank appears under its id on its page, in the print worksheet and in the answer key."""
    printed = {el.get("data-qid") for el in _doc(site, "imprimer.html").xpath("//li[@data-qid]")}
    keyed = {el.get("data-qid") for el in _doc(site, "formateurs/corrige.html").xpath("//li[@data-qid]")}
    pages: dict[str, Any] = {}
    for qid, (slug, question) in QUESTIONS.items():
        doc = pages.setdefault(slug, _doc(site, f"{slug}.html"))
        found = doc.xpath(f"//*[@id='q-{qid}']")
        assert len(found) == 1, f"{slug}.html: no element with id q-{qid}"
        assert (found[0].get("data-qid"), found[0].get("data-type")) == (qid, question.type)
        assert qid in printed, f"imprimer.html: no worksheet item for {qid}"
        assert qid in keyed, f"formateurs/corrige.html: no answer-key item for {qid}"
    assert not re.search(r"partenariat:\w+:", (site / "imprimer.html").read_text(encoding="utf-8"))


def test_choices_in_shown_order_on_page_worksheet_and_key(site: Path) -> None:
    """Choices appear in display_choices() order on the web page, the worksheet and the answer key; letters agree."""
    sheet = _doc(site, "imprimer.html")
    key = _doc(site, "formateurs/corrige.html")
    pages: dict[str, Any] = {}
    checked = 0
    for qid, (slug, question) in QUESTIONS.items():
        if question.type not in CHOICE_TYPES:
            continue
        shown = quizrender.shown_choices(question)
        expected = [_plain(c.text) for c in shown]
        doc = pages.setdefault(slug, _doc(site, f"{slug}.html"))
        quiz = doc.xpath(f"//*[@id='q-{qid}']")[0]
        labels = [_text(label) for label in quiz.xpath(".//fieldset//label")]
        assert labels == expected, f"{slug}.html, {qid}: choices not in the shown order"
        values = [int(i.get("value")) for i in quiz.xpath(".//fieldset//input")]
        assert [question.choices[v] for v in values] == list(shown), f"{qid}: input values are not the YAML indexes"
        letters = quizbank.LETTERS[: len(shown)]
        printed = [_text(li) for li in sheet.xpath(f"//li[@data-qid='{qid}']//ul[@class='worksheet-choices']/li")]
        assert printed == [f"☐ {letter}. {text}" for letter, text in zip(letters, expected, strict=True)], qid
        right = [f"{letters[i]}." for i, c in enumerate(shown) if c.correct]
        assert right == [f"{letter}." for letter in question.correct_letters]
        item = key.xpath(f"//li[@data-qid='{qid}']")[0]
        if question.type == "truefalse":
            assert _text(item.xpath(".//ul[@class='answer-key-answers']")[0]) == f"Réponse : {question.correct_texts[0]}"
            continue
        named = [_text(li).split(" ", 1)[0] for li in item.xpath(".//ul[@class='answer-key-answers']/li")
                 if "— bonne réponse" in _text(li)]
        assert named == right, f"{qid}: the answer key names {named}, the worksheet shows the right ones as {right}"
        checked += 1
    assert checked >= 10


def test_answer_key_has_answers_and_explanations(site: Path) -> None:
    """The built answer key: every question with its direct link, right answer(s) and explanation, by lesson."""
    page = (site / "formateurs" / "corrige.html").read_text(encoding="utf-8")
    doc = lxml.html.fromstring(page)
    for qid, (slug, question) in QUESTIONS.items():
        item = doc.xpath(f"//li[@data-qid='{qid}']")[0]
        assert item.xpath(f".//a[@href='../{slug}.html#q-{qid}']"), qid
        answers = _text(item.xpath(".//ul[@class='answer-key-answers']")[0])
        for text in question.correct_texts:
            assert _plain(text) in answers, qid
        explanation = _text(item.xpath(".//div[@class='answer-key-explanation']")[0])
        assert _plain(question.explanation)[:40] in explanation, qid
    headings = [h.get("id") for h in doc.xpath("//article//h2") if (h.get("id") or "").startswith("corrige-")]
    titles = trainer.load_model().titles
    assert headings == [f"corrige-{s}" for s in titles if s in BANK]
    assert 'href="../definitions.html#lange"' in page  # the bank's links work from docs/formateurs/


def test_each_trainer_sheet_links_to_its_lessons_answer_key(site: Path) -> None:
    """Each lesson's trainer sheet links to that lesson's own section of the answer key."""
    for lesson in course.load_lessons():
        if lesson.slug not in BANK:
            continue
        doc = _doc(site, f"formateurs/{lesson.slug}.html")
        assert doc.xpath(f"//article//a[@href='corrige.html#corrige-{lesson.slug}']"), lesson.slug


def test_relink_leaves_anchors_and_absolute_urls() -> None:
    """Fragments rendered at docs/ root get `up` on relative links only."""
    html = '<a href="a.html#x">1</a><a href="#y">2</a><a href="https://e.org/">3</a><img src="i.svg"><a href="/r">4</a>'
    assert quizrender.relink(html, "../") == (
        '<a href="../a.html#x">1</a><a href="#y">2</a><a href="https://e.org/">3</a><img src="../i.svg"><a href="/r">4</a>')
    assert quizrender.relink(html, "") == html


def test_a_build_renders_each_question_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One build: each question through mkdocs-quiz once, one translation set-up, the bank and lessons loaded once."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs_quiz import plugin, translations

    calls = {"quiz": 0, "translations": 0, "bank": 0, "lessons": 0, "markdown": 0}

    def counting(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(plugin.MkDocsQuizPlugin, "_process_quiz", counting("quiz", plugin.MkDocsQuizPlugin._process_quiz))
    monkeypatch.setattr(translations.TranslationManager, "__init__",
                        counting("translations", translations.TranslationManager.__init__))
    monkeypatch.setattr(quizbank, "load_bank", counting("bank", quizbank.load_bank))
    monkeypatch.setattr(course, "load_lessons", counting("lessons", course.load_lessons))
    real_md = plugin.MkDocsQuizPlugin._create_fragment_markdown
    monkeypatch.setattr(plugin.MkDocsQuizPlugin, "_create_fragment_markdown", counting("markdown", real_md))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(ROOT)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    assert calls["quiz"] == len(QUESTIONS)
    assert calls["translations"] == 1
    assert calls["markdown"] == 1
    assert (calls["bank"], calls["lessons"]) == (1, 1)
    assert (tmp_path / "site" / "imprimer.html").is_file()
