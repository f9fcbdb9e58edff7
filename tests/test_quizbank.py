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

from scripts.model import course, quizbank

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
BANK = quizbank.load_bank()
LESSONS = [lesson.slug for lesson in course.load_lessons()]


@pytest.mark.parametrize("slug", LESSONS)
def test_each_lesson_has_a_rich_quiz(slug: str) -> None:
    """Each lesson: at least 8 questions, all four types, at least one scenario question."""
    quiz = BANK[slug]
    assert len(quiz.questions) >= 8
    assert {"single", "multiple", "truefalse", "fill"} <= {q.type for q in quiz.questions}
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
            if question.written:  # a labelled text box, and one self-rating radio group per rubric criterion
                assert div.xpath(".//textarea[@id=//label/@for]"), question.id
                assert len(div.xpath(".//fieldset[@class='redaction-criterion']")) == len(question.rubric)
            elif question.type == "fill":
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
        ("duplicate-id.yml", r"duplicate-id\.yml:11: duplicate id 'fx-twice' \(first used at .*duplicate-id\.yml:3\)"),
        ("empty-choice.yml", r"empty-choice\.yml:9: question 'fx-empty-choice': choice 2 is empty"),
        ("no-explanation.yml", r"no-explanation\.yml:3: .*'explanation' is a required property.*explanation missing"),
        ("bad-anchor.yml", r"bad-anchor\.yml:8: link 'definitions\.md#cette-section-nexiste-pas': no section"),
        ("not-yaml.yml", r"not-yaml\.yml:6: not valid YAML"),
        ("raw-html.yml", r"raw-html\.yml:9: question 'fx-raw-html': choices/2/text: raw HTML '<img src=x onerror.*is not allowed"),
        ("raw-html-explanation.yml", r"raw-html-explanation\.yml:9: question 'fx-raw-html-explanation': explanation: raw HTML '<script>"),
        ("reserved-id.yml", r"reserved-id\.yml:3: question 'constructor': this id is a name every JavaScript object already has"),
        ("not-a-lesson.yml", r"not-a-lesson\.yml:1: lesson 'glossaire': docs/glossaire\.md is not a lesson"),
        ("bad-objective.yml", r"bad-objective\.yml:6: question 'fx-bad-objective': objective 'objectif-inconnu' is not in the "
                              r"front matter of docs/definitions\.md \(objectives: .*lange"),
        ("final-unqualified-objective.yml", r"final-unqualified-objective\.yml:6: question 'fx-final-unqualified': "
                                            r"objective 'lange': write <lesson>/<objective-id>"),
        ("no-level.yml", r"no-level\.yml:3: questions/0: 'level' is a required property: give its level \(se souvenir, "
                         r"comprendre, appliquer, analyser\) and the objective ids it assesses"),
        ("bad-level.yml", r"bad-level\.yml:5: questions/0/level: 'évaluer' is not one of \['se souvenir'"),
        ("absolute-not-in-seed.yml", r"absolute-not-in-seed\.yml:11: question 'fx-absolute-missing': absolute: passage "
                                     r"'le partenariat est toujours une fin en soi' not found in seed 003"),
        ("too-few-pairs.yml", r"too-few-pairs\.yml:8: questions/0/pairs: 2 pairs: a matching question has 3 to 6 pairs"),
        ("ordering-without-source.yml", r"ordering-without-source\.yml:3: question 'fx-ordering-no-source': an ordering "
                                        r"question needs 'order_source"),
        ("shuffle-on-ordering.yml", r"shuffle-on-ordering\.yml:8: question 'fx-ordering-unshuffled': 'shuffle' does not "
                                    r"belong to a question of type ordonner"),
        ("duplicate-key.yml", r"duplicate-key\.yml:11: key 'question' written twice in the same block \(first at line 5\): "
                              r"keep one"),
        ("duplicate-type.yml", r"duplicate-type\.yml:11: key 'type' written twice in the same block \(first at line 4\): "
                               r"keep one"),
    ],
)
def test_validation_errors_name_file_and_line(tmp_path: Path, fixture: str, message: str) -> None:
    """Each malformed quiz is refused with its file:line and what to fix."""
    shutil.copy(FIXTURES / fixture, tmp_path / fixture)
    with pytest.raises(quizbank.QuizError, match=message):
        quizbank.load_bank(tmp_path)


def test_duplicate_key_is_the_only_error_reported(tmp_path: Path) -> None:
    """A key written twice is reported alone: no misleading error about what the second value would have meant."""
    shutil.copy(FIXTURES / "duplicate-type.yml", tmp_path / "duplicate-type.yml")
    with pytest.raises(quizbank.QuizError) as raised:
        quizbank.load_bank(tmp_path)
    problems = str(raised.value).splitlines()[1:]
    assert len(problems) == 1 and "key 'type' written twice" in problems[0], problems


# Each unsafe address of tests/fixtures/quizzes/unsafe-links.yml: its line, the field, what the build names it.
UNSAFE_LINKS = [
    (8, "question", r"link to 'javascript:…': a 'javascript:' address is not allowed"),
    (10, "choices/1/text", r"link to 'JaVaScRiPt:…': a 'javascript:' address"),  # mixed case
    (12, "choices/2/text", r"link to 'java\\tscript:…': a 'javascript:' address"),  # split by a tab
    (13, "choices/2/feedback", r"link to '   javascript:…': a 'javascript:' address"),  # leading spaces
    (14, "choices/3/text", r"link to 'data:…': a 'data:' address"),  # an image
    (15, "choices/4/text", r"link to 'vbscript:…': a 'vbscript:' address"),
    (15, "choices/4/text", r"link to 'file:…': a 'file:' address"),
    (16, "choices/5/text", r"raw HTML '&#106;avascript"),  # entity-encoded
    (19, "explanation", r"link to 'java\\nscript:…': a 'javascript:' address"),  # split by a line break
    (24, "explanation", r"link to ' javascript:…': a 'javascript:' address"),  # a reference definition
    (31, "pairs/1/left", r"attribute list '\{ onclick=\"alert\(1\)\" \}' sets an HTML attribute"),
    (32, "pairs/1/right", r"link to '<javascript:…': a 'javascript:' address"),  # in angle brackets
    (35, "pairs/2/feedback", r"link to 'ms-settings:…': a 'ms-settings:' address"),  # any other scheme
    (37, "pairs/3/right", r"raw HTML '<a href=\"javascript:"),
    (47, "steps/2", r"link to '\\x01javascript:…': a 'javascript:' address"),  # behind a control character
    (53, "explanation", r"attribute list '\{ href=\"javascript:alert\(1\)\" \}' sets an HTML attribute"),
]


def test_unsafe_links_fail_at_their_line(tmp_path: Path) -> None:
    """Every address but http(s):, mailto: and relative ones is refused in every field, however it is disguised.

    Each error names the file, the line, the field and the scheme, and says what to link to instead.
    """
    shutil.copy(FIXTURES / "unsafe-links.yml", tmp_path / "unsafe-links.yml")
    with pytest.raises(quizbank.QuizError) as raised:
        quizbank.load_bank(tmp_path)
    message = str(raised.value)
    for line, field_path, what in UNSAFE_LINKS:
        assert re.search(rf"unsafe-links\.yml:{line}: question '[\w-]+': {field_path}: {what}", message), (line, what)
    assert "link to a lesson section (leçon.md#section), or to an http(s): or mailto: address" in message


def test_web_mail_and_relative_links_pass(tmp_path: Path) -> None:
    """http:, https: (any case), mailto:, protocol-relative, anchor and lesson links, titles with a colon: accepted."""
    question = _fixture_bank(tmp_path, "safe-links.yml")["definitions"].questions[0]
    assert "https://example.org/a:b" in question.question
    assert len(question.choices) == 3


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


def test_every_lesson_in_nav_needs_its_quiz(tmp_path: Path) -> None:
    """A lesson of `nav` without its quiz file is reported at the lesson, naming the file to write."""
    for path in quizbank.QUIZZES.glob("*.yml"):
        if path.stem != "acteurs":
            shutil.copy(path, tmp_path / path.name)
    with pytest.raises(quizbank.QuizError, match=r"docs/acteurs\.md:1: lesson 'acteurs' is in nav but has no quiz: "
                                                 r"write .*/acteurs\.yml"):
        quizbank.load_bank(tmp_path, complete=True)


def _fixture_bank(tmp_path: Path, name: str) -> dict[str, quizbank.Quiz]:
    shutil.copy(FIXTURES / name, tmp_path / name)
    return quizbank.load_bank(tmp_path)


def test_new_types_are_parsed_into_typed_fields(tmp_path: Path) -> None:
    """A matching question gives Pair items and distractors; an ordering one, steps and their seed passage."""
    questions = {q.id: q for q in _fixture_bank(tmp_path, "new-types.yml")["definitions"].questions}
    match = questions["fx-associer-definitions"]
    assert [type(p) for p in match.pairs] == [quizbank.Pair] * 3
    assert match.pairs[0].left == "Lange (2003)" and match.pairs[0].feedback.startswith("Lange parle")
    assert match.distractors == ("Une coopération imposée par l’État",)
    assert match.level == "comprendre" and match.objectives == ("definitions-sources",)
    assert sorted(match.display_options()) == sorted([p.right for p in match.pairs] + list(match.distractors))
    order = questions["fx-ordonner-guide"]
    assert order.steps[0] == "Le concept du développement" and len(order.steps) == 4
    assert order.order_source == quizbank.SeedPassage("003", "Il introduit dans un premier temps le concept du développement")
    assert sorted(order.step_order()) == [0, 1, 2, 3]
    assert order.display_steps() == tuple(order.steps[i] for i in order.step_order())
    assert questions["fx-absolute-ok"].absolute == (quizbank.SeedPassage("003", "le partenariat n'est pas une fin en soi"),)


def test_shuffle_false_keeps_the_written_order(tmp_path: Path) -> None:
    """`shuffle: false` shows choices as written (for « Toutes ces réponses »); true/false is always Vrai, Faux."""
    questions = {q.id: q for q in _fixture_bank(tmp_path, "new-types.yml")["definitions"].questions}
    fixed = questions["fx-single-unshuffled"]
    assert fixed.shuffle is False
    assert fixed.display_choices() == fixed.choices
    assert fixed.correct_letters == ["C"]
    assert [c.text for c in questions["fx-absolute-ok"].display_choices()] == ["Vrai", "Faux"]


def _synthetic(qid: str, size: int, right: int = 0) -> quizbank.Question:
    choices = tuple(quizbank.Choice(f"choix {i}", i == right) for i in range(size))
    return quizbank.Question(id=qid, type="single", question="Q ?", explanation="E", source="x", line=1, choices=choices)


def test_display_order_depends_on_the_id_only() -> None:
    """The shown order is a function of the id and the number of choices: not of which choice is right."""
    for number in range(50):
        orders = {tuple(c.text for c in _synthetic(f"q-{number}", 4, right).display_choices()) for right in range(4)}
        assert len(orders) == 1, f"q-{number}: the order changes with the right answer"
    assert _synthetic("q-1", 4).display_choices() == _synthetic("q-1", 4).display_choices()


def test_display_order_is_the_same_on_every_machine() -> None:
    """The order is fixed by SHA-256 of the id, not by Python's hash seed or random module.

    A fresh interpreter with another PYTHONHASHSEED gives the same orders, and one order is pinned so that a
    change of algorithm (which would reshuffle every learner's page and the printed answer keys) is noticed.
    """
    code = ("from scripts.model import quizbank; print([quizbank._permutation(f'q-{i}', 5) for i in range(20)])")
    runs = {subprocess.run([sys.executable, "-c", code], cwd=course.ROOT, capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout for seed in ("0", "1", "12345")}
    assert len(runs) == 1
    assert runs.pop().strip() == str([quizbank._permutation(f"q-{i}", 5) for i in range(20)])
    assert quizbank._permutation("def-lange-objectifs-communs:choices", 4) == [2, 0, 1, 3]


def test_display_positions_are_spread_evenly() -> None:
    """Over 4000 ids, the first written choice lands in each of 4 positions 25 % ± 2.5 points of the time."""
    counts = [0, 0, 0, 0]
    for number in range(4000):
        shown = _synthetic(f"spread-{number}", 4).display_choices()
        counts[[c.correct for c in shown].index(True)] += 1
    assert all(abs(count / 4000 - 0.25) < 0.025 for count in counts), counts


def test_steps_and_options_are_never_shown_in_the_answer_order() -> None:
    """An ordering question never starts in the right order; a matching question's options never follow the pairs."""
    for number in range(300):
        steps = quizbank.Question(id=f"o-{number}", type="ordonner", question="Q ?", explanation="E", source="x",
                                  line=1, steps=("a", "b", "c"))
        assert steps.display_steps() != steps.steps
        pairs = tuple(quizbank.Pair(f"l{i}", f"r{i}") for i in range(3))
        match = quizbank.Question(id=f"m-{number}", type="associer", question="Q ?", explanation="E", source="x",
                                  line=1, pairs=pairs)
        assert match.display_options() != tuple(p.right for p in pairs)


def test_quiz_markdown_lists_choices_in_display_order() -> None:
    """The mkdocs-quiz block shows the choices in `display_choices()` order, the order of the answer key letters."""
    for quiz in BANK.values():
        for question in quiz.questions:
            if question.type in ("single", "multiple"):
                block = quizbank.to_quiz_markdown(question)
                positions = [block.index(f"] {c.text}\n") for c in question.display_choices()]
                assert positions == sorted(positions), question.id


def test_basis_review_and_angoff_are_checked(tmp_path: Path) -> None:
    """`basis` must quote its seed exactly, `angoff` belongs to final items only, and a disputed level counts lower."""
    good = ("lesson: definitions\nquestions:\n  - id: basis-ok\n    type: truefalse\n    level: analyser\n"
            "    objectives: [lange]\n    question: Une question sur Lange.\n    answer: true\n"
            "    basis: {seed: \"%s\", passage: \"%s\"}\n    review: {level: comprendre, agree: false}\n%s"
            "    explanation: \"Voir [Lange](definitions.md#lange).\"\n")
    path = tmp_path / "definitions.yml"
    path.write_text(good % ("003", "pas un mot de la graine zzz", ""), encoding="utf-8")
    with pytest.raises(quizbank.QuizError, match=r"definitions\.yml:\d+: .*basis: passage .* not found in seed 003"):
        quizbank.load_bank(tmp_path, complete=False)
    path.write_text(good % ("003", "partenariat", "    angoff: 0.6\n"), encoding="utf-8")
    with pytest.raises(quizbank.QuizError, match="'angoff' belongs to final-assessment items only"):
        quizbank.load_bank(tmp_path, complete=False)
    path.write_text(good % ("003", "partenariat", ""), encoding="utf-8")
    question = quizbank.load_bank(tmp_path, complete=False)["definitions"].questions[0]
    assert question.basis[0].seed == "003" and question.counted_level == "comprendre"
