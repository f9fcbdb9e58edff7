"""The question bank: every quiz validates and renders; each kind of mistake fails with file:line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from scripts import course, quizbank

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
BANK = quizbank.load_bank()
LESSONS = [lesson.slug for lesson in course.load_lessons()]


@pytest.mark.parametrize("slug", LESSONS)
def test_each_lesson_has_a_rich_quiz(slug: str) -> None:
    """Each lesson: at least 8 questions, all four types, at least one scenario question."""
    quiz = BANK[slug]
    assert len(quiz.questions) >= 8
    assert {q.type for q in quiz.questions} == {"single", "multiple", "truefalse", "fill"}
    assert any(q.scenario for q in quiz.questions)


def test_final_assessment() -> None:
    """The final assessment has at least 25 questions covering every lesson, and a pass mark."""
    final = BANK["evaluation-finale"]
    assert len(final.questions) >= 25
    assert final.pass_mark and 50 <= final.pass_mark <= 100
    linked = {m for q in final.questions for m in re.findall(r"\(([a-z-]+)\.md#", q.explanation)}
    assert set(LESSONS) <= linked


def test_ids_are_unique_and_stable_looking() -> None:
    """Question ids are unique across the course and kebab-case."""
    ids = [q.id for quiz in BANK.values() for q in quiz.questions]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


def test_every_question_renders(site: Path) -> None:
    """Each question appears once in its page's HTML, with its id, its choices or blank, and its explanation."""
    for slug, quiz in BANK.items():
        doc = lxml.html.fromstring((site / f"{slug}.html").read_text(encoding="utf-8"))
        rendered = doc.xpath("//div[contains(concat(' ',@class,' '),' quiz ')]")
        assert [d.get("data-qid") for d in rendered] == [q.id for q in quiz.questions], slug
        for div, question in zip(rendered, quiz.questions, strict=True):
            assert div.xpath(".//div[@class='quiz-feedback' and @role='status' and @aria-live='polite']"), question.id
            explanation = div.xpath(".//section[contains(@class,'content')]")[0]
            assert explanation.text_content().strip(), question.id
            assert explanation.xpath(".//a[contains(@href,'.html#')]"), question.id
            if question.type == "fill":
                assert div.xpath(".//input[contains(@class,'quiz-blank-input')]"), question.id
                assert json.loads(div.get("data-accept")) == list(question.answers)
            else:
                inputs = div.xpath(".//fieldset//input")
                assert len(inputs) == len(question.choices), question.id
                assert sum(i.get("data-correct") == "true" for i in inputs) == len(question.correct_texts)
                assert all(div.xpath(f".//label[@for='{i.get('id')}']") for i in inputs)


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("no-correct.yml", r"no-correct\.yml:3: question 'fx-no-correct': no correct answer"),
        ("duplicate-id.yml", r"duplicate-id\.yml:9: duplicate id 'fx-twice' \(first used at .*duplicate-id\.yml:3\)"),
        ("empty-choice.yml", r"empty-choice\.yml:9: question 'fx-empty-choice': choice 2 is empty"),
        ("no-explanation.yml", r"no-explanation\.yml:3: .*'explanation' is a required property.*explanation missing"),
        ("bad-anchor.yml", r"bad-anchor\.yml:8: link 'definitions\.md#cette-section-nexiste-pas': no section"),
        ("not-yaml.yml", r"not-yaml\.yml:6: not valid YAML"),
    ],
)
def test_validation_errors_name_file_and_line(tmp_path: Path, fixture: str, message: str) -> None:
    """Each malformed quiz is refused with its file:line and what to fix."""
    shutil.copy(FIXTURES / fixture, tmp_path / fixture)
    with pytest.raises(quizbank.QuizError, match=message):
        quizbank.load_bank(tmp_path)


def test_malformed_quiz_fails_the_build(tmp_path: Path) -> None:
    """A malformed quiz in quizzes/ makes `mkdocs build` fail with its file:line; nothing is half rendered."""
    project = tmp_path / "project"
    shutil.copytree(course.ROOT, project, ignore=shutil.ignore_patterns(".venv", "node_modules", "site", ".git", "dist"))
    shutil.copy(FIXTURES / "no-correct.yml", project / "quizzes" / "zz-broken.yml")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                          cwd=project, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "quizzes/zz-broken.yml:3: question 'fx-no-correct': no correct answer" in proc.stdout + proc.stderr
    assert not (tmp_path / "out" / "definitions.html").exists()


def test_quiz_markdown_is_mkdocs_quiz_syntax() -> None:
    """A question becomes a <quiz> block with [x] on correct choices and `[[answer]]` for a blank."""
    single = next(q for q in BANK["definitions"].questions if q.type == "single")
    block = quizbank.to_quiz_markdown(single)
    assert block.startswith("<quiz>") and block.endswith("</quiz>")
    assert block.count("- [x] ") == 1
    fill = next(q for q in BANK["definitions"].questions if q.type == "fill")
    assert f"[[{fill.answers[0]}]]" in quizbank.to_quiz_markdown(fill)
