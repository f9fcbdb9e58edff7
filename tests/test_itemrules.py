"""Item-writing rules: each rule catches what it should on a small made-up bank (file:line in its message)."""

from __future__ import annotations

import subprocess
import sys

from scripts.checks import itemrules
from scripts.model import course, quizbank
from scripts.model.quizbank import Choice, Question, Quiz

SOURCE = "quizzes/made-up.yml"


def _single(qid: str, shown_key: int, texts: tuple[str, ...] = ("un", "deux", "trois", "quatre"),
            level: str = "comprendre") -> Question:
    """A single-answer question whose key, `texts[0]`, is displayed at `shown_key` (0 = A) after the seeded shuffle."""
    key = quizbank._permutation(f"{qid}:choices", len(texts))[shown_key]
    others = iter(texts[1:])
    choices = tuple(Choice(texts[0], True) if index == key else Choice(next(others)) for index in range(len(texts)))
    return Question(id=qid, type="single", question=f"Question {qid} ?", explanation="E", source=SOURCE,
                    line=10, choices=choices, level=level, objectives=("lange",))


def _tf(qid: str, answer: bool, text: str = "Une affirmation neutre.", **extra: object) -> Question:
    extra.setdefault("objectives", ("lange",))
    return Question(id=qid, type="truefalse", question=text, explanation="E", source=SOURCE, line=20,
                    choices=(Choice("Vrai", answer), Choice("Faux", not answer)), level="comprendre",
                    **extra)  # type: ignore[arg-type]


def _bank(*questions: Question, lesson: str = "definitions") -> dict[str, Quiz]:
    return {lesson: Quiz(lesson=lesson, source=SOURCE, questions=questions)}


def test_key_position_rule() -> None:
    """Keys displayed at A in 5 of 10 single-answer questions (50 % > 40 %) are each reported at file:line."""
    bank = _bank(*[_single(f"p{i}", 0 if i < 5 else 1 + i % 3) for i in range(10)])
    found = [str(v) for v in itemrules.rule_key_position(bank)]
    assert len(found) == 5 and all(v.startswith(f"{SOURCE}:10: question 'p") for v in found), found
    assert "position A holds 5 of the 10 single-answer keys (50" in found[0]
    assert not itemrules.rule_key_position(_bank(*[_single(f"p{i}", i % 4) for i in range(10)]))


def test_longest_key_rule() -> None:
    """A key that is the longest option in 4 of 10 questions (40 % > 35 %) is reported; 3 of 10 is fine."""
    long = ("une réponse bien plus longue", "deux", "trois", "quatre")
    short = ("un", "deux mots de plus", "trois", "quatre")

    def make(n_long: int) -> dict[str, Quiz]:
        return _bank(*[_single(f"l{i}", i % 4, long if i < n_long else short) for i in range(10)])

    for q in make(4)["definitions"].questions[:4]:
        assert itemrules.key_is_longest(q)
    found = [str(v) for v in itemrules.rule_longest_key(make(4))]
    assert len(found) == 4 and "longest option, as in 4 of 10" in found[0] and found[0].startswith(f"{SOURCE}:10:")
    assert not itemrules.rule_longest_key(make(3))


def test_truefalse_balance_rule() -> None:
    """3 true keys of 10 (30 %) is reported on the false statements; 5 of 10 is fine."""
    found = [str(v) for v in itemrules.rule_truefalse_balance(_bank(*[_tf(f"t{i}", i < 3) for i in range(10)]))]
    assert len(found) == 7 and "3 of 10 true/false keys are true (30" in found[0] and found[0].startswith(f"{SOURCE}:20:")
    assert not itemrules.rule_truefalse_balance(_bank(*[_tf(f"t{i}", i < 5) for i in range(10)]))


def test_absolute_words_rule() -> None:
    """An absolute word needs `absolute`, and the quoted passage must say one; words inside others do not count."""
    plain = _tf("a1", False, "Le partenariat est toujours une fin en soi.")
    marked = _tf("a2", True, "Le partenariat n’est jamais une fin en soi.", absolute=(
        quizbank.SeedPassage("003", "le partenariat n'est pas une fin en soi"),))
    good = _tf("a3", True, "Aucun acteur ne détient tous les pouvoirs.", absolute=(
        quizbank.SeedPassage("003", "Une personne qui détient tous les pouvoirs"),))
    innocent = _tf("a4", True, "Surtout, la seulement-ité n’existe pas ; toutefois attention.")
    found = [str(v) for v in itemrules.rule_absolute_words(_bank(plain, marked, good, innocent))]
    assert len(found) == 2, found
    assert found[0].startswith(f"{SOURCE}:20: question 'a1': the statement says « toujours »")
    assert "question 'a2': 'absolute' passage does not contain the absolute word used (jamais)" in found[1]
    assert itemrules.absolute_words("Il détient la totalité du pouvoir, en aucun cas partagé.") == ["la totalite", "en aucun cas"]
    phrase = _tf("a5", True, "Ce n’est en aucun cas un partenariat.", absolute=(
        quizbank.SeedPassage("003", "un levier fondamental pour canaliser ces efforts"),))  # « ca… » is not « aucun »
    assert [str(v) for v in itemrules.rule_absolute_words(_bank(phrase))] == [
        f"{SOURCE}:20: question 'a5': 'absolute' passage does not contain the absolute word used (en aucun cas): "
        "quote the seed where it says it"]


def test_multiple_wrong_rule() -> None:
    """A multiple-answer question with one wrong choice is reported; two wrong choices pass."""
    def multiple(qid: str, wrong: int) -> Question:
        choices = tuple(Choice(f"c{i}", i < 3) for i in range(3 + wrong))
        return Question(id=qid, type="multiple", question="Lesquels ?", explanation="E", source=SOURCE, line=30,
                        choices=choices)
    found = [str(v) for v in itemrules.rule_multiple_wrong(_bank(multiple("m1", 1), multiple("m2", 2)))]
    assert found == [f"{SOURCE}:30: question 'm1': 1 wrong choice(s): a multiple-answer question needs at least two, "
                     "or ticking everything nearly wins"]


def test_duplicate_stems_rule() -> None:
    """Two stems sharing most content words are reported at the second, naming the first; distinct stems pass."""
    def stem(qid: str, text: str) -> Question:
        return Question(id=qid, type="fill", question=text, explanation="E", source=SOURCE, line=40, answers=("x",))
    first = stem("s1", "Quelles conditions de pérennité du partenariat sont énoncées par Remion (1988) ?")
    second = stem("s2", "Selon Remion (1988), quelles sont les conditions de pérennité d’un partenariat ?")
    other = stem("s3", "Qui ajoute des responsabilités comparables aux conditions de Remion ?")
    assert itemrules.similarity(first.question, second.question) >= itemrules.DUPLICATE_STEM
    found = [str(v) for v in itemrules.rule_duplicate_stems(_bank(first, second, other))]
    assert len(found) == 1 and found[0].startswith(f"{SOURCE}:40: question 's2': its stem repeats 's1' ({SOURCE}:40)")


def test_objective_coverage_rule() -> None:
    """Objectives no question assesses are reported at their line in the lesson's front matter.

    A lesson quiz names bare ids, the final assessment qualified ones: both count.
    """
    lessons = course.load_lessons()
    total = sum(len(lesson.objectives) for lesson in lessons)
    lesson = lessons[0]
    first, second = list(lesson.objectives)[:2]
    lesson_only = _bank(_tf("o1", True, objectives=(first,)), lesson=lesson.slug)
    found = [str(v) for v in itemrules.rule_objective_coverage(lesson_only)]
    assert len(found) == total - 1 and not any(f"objective {first!r}" in v for v in found)
    line = next(n for n, text in enumerate(lesson.path.read_text(encoding="utf-8").splitlines(), 1)
                if text.strip().startswith(f"{second}:"))
    assert f"docs/{lesson.slug}.md:{line}: objective {second!r} is assessed by no question" in "\n".join(found)
    final = Quiz("evaluation-finale", "quizzes/evaluation-finale.yml",
                 (_tf("o2", True, objectives=(f"{lesson.slug}/{second}",)),))
    both = itemrules.rule_objective_coverage({**lesson_only, "evaluation-finale": final})
    assert len(both) == total - 2 and not any(f"objective {second!r}" in str(v) for v in both)


def test_higher_order_rule() -> None:
    """A quiz with 3 of 10 appliquer/analyser items (30 %) is reported at its file; 4 of 10 passes."""
    def quiz(high: int) -> dict[str, Quiz]:
        levels = ["appliquer", "analyser"] * 5
        return _bank(*[_single(f"h{i}", i % 4, level=levels[i] if i < high else "se souvenir") for i in range(10)])
    found = [str(v) for v in itemrules.rule_higher_order(quiz(3))]
    assert found == [f"{SOURCE}:1: 3 of 10 questions (30\u00a0%) are appliquer or analyser: at least 4 needed "
                     "(40\u00a0%): add scenario questions"]
    assert not itemrules.rule_higher_order(quiz(4))


def test_new_types_rule() -> None:
    """A bank without matching or ordering questions is told how many of each it lacks."""
    found = [str(v) for v in itemrules.rule_new_types(_bank(_tf("n1", True)))]
    assert found == ["quizzes/: the bank has 0 associer questions: at least 6 needed",
                     "quizzes/: the bank has 0 ordonner questions: at least 4 needed"]


def test_declared_rule() -> None:
    """A question without level or objectives is reported."""
    bare = Question(id="d1", type="fill", question="Un ____ ?", explanation="E", source=SOURCE, line=50, answers=("x",))
    assert [str(v) for v in itemrules.rule_declared(_bank(bare, _tf("d2", True)))] == [
        f"{SOURCE}:50: question 'd1': no 'level' or 'objectives': say which objective it assesses and at what level "
        "(se souvenir, comprendre, appliquer, analyser)"]


def test_guessing_learners_are_measured_against_chance() -> None:
    """On a bank with every key at A and longest, the position and length learners score 100 %, far above chance."""
    long = ("la réponse longue et précise", "deux", "trois", "quatre")
    bank = _bank(*[_single(f"g{i}", 0, long) for i in range(20)])
    by_position = itemrules.guess_by_position(bank)
    assert by_position[0].score == 1.0 and by_position[0].chance == 0.25
    assert by_position[0].margin > itemrules.CHANCE_MARGIN_SD
    assert itemrules.guess_by_length(bank).score == 1.0
    wording = _bank(*[_tf(f"w{i}", False, "Il a toujours raison.") for i in range(10)])
    assert itemrules.guess_by_wording(wording).score == 1.0


def test_command_prints_file_line_messages(tmp_path: object) -> None:
    """`python -m scripts.checks.itemrules` prints violations as file:line: message [rule] and exits 1 when there are some."""
    proc = subprocess.run([sys.executable, "-m", "scripts.checks.itemrules", "--rule", "new-types", "--quiet"],
                          cwd=course.ROOT, capture_output=True, text=True)
    bank = quizbank.load_bank()
    expected = [str(v) + " [new-types]" for v in itemrules.rule_new_types(bank)]
    assert proc.stdout.splitlines() == expected
    assert proc.returncode == (1 if expected else 0)


# ---------------------------------------------------------------- the course's own bank

BANK = quizbank.load_bank()


def _clean(rule: str) -> None:
    found = itemrules.RULES[rule](BANK)
    assert not found, f"{len(found)} violation(s) of « {rule} »:\n" + "\n".join(map(str, found))


def test_bank_questions_declare_level_and_objectives() -> None:
    """Every question of quizzes/ declares its level and the objectives it assesses."""
    _clean("declared")


def test_bank_key_positions_are_spread() -> None:
    """No displayed position holds more than 40 % of the bank's single-answer keys (after the shuffle)."""
    _clean("key-position")


def test_bank_key_is_rarely_the_longest() -> None:
    """The correct single answer is the longest option in at most 35 % of the bank's single-answer questions."""
    _clean("longest-key")


def test_bank_truefalse_keys_are_balanced() -> None:
    """Between 40 % and 60 % of the bank's true/false keys are « Vrai »."""
    _clean("truefalse-balance")


def test_bank_absolute_words_are_backed_by_the_seeds() -> None:
    """An absolute word in a statement or choice comes with an `absolute` passage of the seed that says it."""
    _clean("absolute-words")


def test_bank_multiple_answers_have_two_wrong_choices() -> None:
    """Every multiple-answer question of the bank has at least two wrong choices."""
    _clean("multiple-wrong")


def test_bank_has_no_near_duplicate_stems() -> None:
    """No two questions of the bank have stems sharing half or more of their content words."""
    _clean("duplicate-stems")


def test_bank_assesses_every_objective() -> None:
    """Every objective of every lesson is assessed by at least one question."""
    _clean("objective-coverage")


def test_bank_quizzes_ask_to_apply_or_analyse() -> None:
    """Each lesson quiz and the final assessment have at least 40 % `appliquer`/`analyser` questions."""
    _clean("higher-order")


def test_bank_has_matching_and_ordering_questions() -> None:
    """The bank has at least 6 `associer` and 4 `ordonner` questions."""
    _clean("new-types")


def test_guessing_learners_do_not_beat_chance() -> None:
    """Picking by position, by the longest option or by distrusting absolute words stays within 2 sd of chance.

    The margin (itemrules.CHANCE_MARGIN_SD) is two standard deviations of a random guesser's score on the same
    items: a learner using such a strategy cannot be told apart from one answering at random.
    """
    beaten = [f"« {g.strategy} »: {g.score:.0%} right vs {g.chance:.0%} by chance ({g.margin:+.1f} sd, "
              f"at most +{itemrules.CHANCE_MARGIN_SD} sd, {g.items} items)"
              for g in itemrules.guesses(BANK) if g.margin > itemrules.CHANCE_MARGIN_SD]
    assert not beaten, "\n".join(beaten)
