"""The final assessment's pool is built for parallel forms: `form_size`, two items per objective, an Angoff estimate."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from scripts.checks import itemrules
from scripts.model import course, quizbank
from scripts.model.quizbank import FINAL, Choice, Question, Quiz

SOURCE = "quizzes/made-up-final.yml"
OBJECTIVES = [f"{lesson.slug}/{oid}" for lesson in course.load_lessons() for oid in lesson.objectives]


def _item(qid: str, objective: str, angoff: float | None = 0.6, level: str = "appliquer") -> Question:
    return Question(id=qid, type="truefalse", question=f"Affirmation {qid}.", explanation="E", source=SOURCE, line=5,
                    choices=(Choice("Vrai", True), Choice("Faux", False)), level=level,
                    objectives=(objective,), angoff=angoff)


def _final(per_objective: int = 2, form_size: int | None = None,
           changes: dict[str, Question] | None = None) -> dict[str, Quiz]:
    """A final pool with `per_objective` items on each objective of the course; `changes` replace items by id."""
    items = [_item(f"i{n}-{k}", objective) for n, objective in enumerate(OBJECTIVES) for k in range(per_objective)]
    items = [(changes or {}).get(q.id, q) for q in items]
    size = len(OBJECTIVES) if form_size is None else form_size
    return {FINAL: Quiz(lesson=FINAL, source=SOURCE, questions=tuple(items), form_size=size)}


def test_blueprint_passes_on_a_good_pool() -> None:
    """Two items per objective, each with `angoff`, and forms of one item per objective: no violation."""
    assert not itemrules.rule_final_blueprint(_final())


def test_blueprint_fires_on_bad_pools() -> None:
    """A missing estimate, an objective with one item, a pool under two forms or no form_size are each reported."""
    no_angoff = _final(changes={"i0-0": _item("i0-0", OBJECTIVES[0], angoff=None)})
    found = [str(v) for v in itemrules.rule_final_blueprint(no_angoff)]
    assert found == [f"{SOURCE}:5: question 'i0-0': no 'angoff': estimate the probability (0.05–0.99) that a "
                     "just-competent learner answers it"], found

    single = _final(changes={"i1-1": _item("i1-1", OBJECTIVES[0])})
    found = [str(v) for v in itemrules.rule_final_blueprint(single)]
    assert len(found) == 1 and f"objective {OBJECTIVES[1]!r} has 1 item(s) in the final pool" in found[0], found

    found = [str(v) for v in itemrules.rule_final_blueprint(_final(form_size=len(OBJECTIVES) + 1))]
    assert len(found) == 1 and f"for forms of {len(OBJECTIVES) + 1}: at least {2 * len(OBJECTIVES) + 2}" in found[0]

    found = [str(v) for v in itemrules.rule_final_blueprint(_final(per_objective=3, form_size=10))]
    assert len(found) == 1 and "form_size 10 is below the" in found[0], found

    bank = _final()
    bank[FINAL] = replace(bank[FINAL], form_size=None)
    found = [str(v) for v in itemrules.rule_final_blueprint(bank)]
    assert len(found) == 1 and found[0].startswith(f"{SOURCE}:1: no 'form_size'"), found


def test_blueprint_fires_when_forms_ask_too_little_application() -> None:
    """A form must have at least 40 % of items that apply or analyse, with the same count in every form.

    A pool of recall and understanding items only fails, naming the counts; one where half of each objective's items
    apply passes, and every form drawn from it has the blueprint's counts.
    """
    from scripts.build import sealed
    low = _final(changes={f"i{n}-{k}": _item(f"i{n}-{k}", o, level=("se souvenir", "comprendre")[k])
                          for n, o in enumerate(OBJECTIVES) for k in range(2)})
    found = [str(v) for v in itemrules.rule_final_blueprint(low)]
    assert len(found) == 1 and "items that apply or analyse" in found[0] and "at least" in found[0], found
    high = _final(changes={f"i{n}-0": _item(f"i{n}-0", o, level="se souvenir") for n, o in enumerate(OBJECTIVES)})
    assert not itemrules.rule_final_blueprint(high)
    final = high[FINAL]
    _, targets = sealed.blueprint(final)
    level = {q.id: q.counted_level for q in final.questions}
    for seed in ("a", "b", "c"):
        drawn = sealed.draw_form(final, seed)
        assert Counter(level[q] for q in drawn) == Counter({k: v for k, v in targets.items() if v})


def test_blueprint_holds_on_the_real_bank() -> None:
    """The course's own final pool meets the blueprint (and declares a form size)."""
    bank = quizbank.load_bank()
    assert bank[FINAL].form_size and not itemrules.rule_final_blueprint(bank)


def test_form_size_belongs_to_the_final_only(tmp_path: Path) -> None:
    """`form_size` in a lesson quiz is an error at its file:line; in the final it is read as an integer."""
    quiz = ("lesson: %s\n%sform_size: 3\nquestions:\n  - id: taille-%s\n    type: truefalse\n    level: comprendre\n"
            "    objectives: [%s]\n    question: Une affirmation sur Lange.\n    answer: true\n%s"
            "    explanation: \"Voir [Lange](definitions.md#lange).\"\n")
    (tmp_path / "definitions.yml").write_text(quiz % ("definitions", "", "a", "lange", ""), encoding="utf-8")
    with pytest.raises(quizbank.QuizError, match=r"definitions\.yml:2: 'form_size' belongs to the final assessment"):
        quizbank.load_bank(tmp_path, complete=False)
    (tmp_path / "definitions.yml").unlink()
    (tmp_path / f"{FINAL}.yml").write_text(quiz % (FINAL, "pass_mark: 70\n", "b", "definitions/lange",
                                                   "    angoff: 0.7\n"), encoding="utf-8")
    final = quizbank.load_bank(tmp_path, complete=False)[FINAL]
    assert final.form_size == 3 and final.pass_mark == 70 and final.questions[0].angoff == 0.7
