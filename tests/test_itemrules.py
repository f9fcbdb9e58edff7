"""Item-writing rules: each rule catches what it should on a small made-up bank (file:line in its message)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from scripts.checks import itemrules
from scripts.model import course, quizbank
from scripts.model.quizbank import Choice, Pair, Question, Quiz

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
                     "(40\u00a0%, levels disputed by the review count at the lower one): add scenario questions"]
    assert not itemrules.rule_higher_order(quiz(4))


def test_higher_order_rule_counts_the_reviewed_level() -> None:
    """An item whose `analyser` level the blind reviewer disputes (says `comprendre`) counts as `comprendre`.

    4 of 10 labelled higher order pass; with one of them disputed only 3 count, and the quiz is reported.
    """
    items = [_single(f"r{i}", i % 4, level="analyser" if i < 4 else "se souvenir") for i in range(10)]
    agreed = [replace(q, review_level="analyser", review_agree=True) if i == 0 else q for i, q in enumerate(items)]
    disputed = [replace(q, review_level="comprendre", review_agree=False) if i == 0 else q for i, q in enumerate(items)]
    assert disputed[0].counted_level == "comprendre"
    assert not itemrules.rule_higher_order(_bank(*agreed))
    found = [str(v) for v in itemrules.rule_higher_order(_bank(*disputed))]
    assert len(found) == 1 and found[0].startswith(f"{SOURCE}:1: 3 of 10 questions (30\u00a0%)"), found


def _lengths(qid: str, rank: int, shown_key: int = 0) -> Question:
    """A four-option single item whose key has length rank ``rank`` (0 longest … 3 shortest), lengths all distinct."""
    texts = ["x" * n for n in (40, 30, 20, 10)]
    key = texts.pop(rank)
    return _single(qid, shown_key, (key, *texts))


def test_key_length_ranks_share_ties() -> None:
    """A key as long as one other option counts half at each of the two ranks they share."""
    assert itemrules.key_length_ranks(_lengths("k", 2)) == {2: 1.0}
    tied = _single("t", 0, ("x" * 20, "x" * 20, "x" * 30, "x" * 10))
    assert itemrules.key_length_ranks(tied) == {1: 0.5, 2: 0.5}


def test_key_length_rank_rule_fires_in_a_file() -> None:
    """A quiz file of 10 four-option items whose key is 3rd-longest in 5 (50 % > 40 %) is reported at those 5 items.

    Spread 3/3/2/2 over the four ranks, it passes. The three-option and multiple items do not count.
    """
    skewed = [_lengths(f"s{i}", 2 if i < 5 else (0, 1, 3)[i % 3], i % 4) for i in range(10)]
    found = [str(v) for v in itemrules.rule_key_length_rank(_bank(*skewed))]
    in_file = [v for v in found if "of quizzes/made-up.yml" in v]
    assert len(in_file) == 5 and all(v.startswith(f"{SOURCE}:10: question 's") for v in in_file), found
    assert "the key is the 3rd-longest option, as in 5 of the 10 four-option single-answer questions" in in_file[0]
    spread = [_lengths(f"e{i}", i % 4, i % 4) for i in range(10)]
    three = _single("three", 0, ("x" * 5, "x" * 40, "x" * 30))  # a shortest key among three options: not counted
    assert not itemrules.rule_key_length_rank(_bank(*spread, three))


def test_key_length_rank_rule_per_file_needs_six_items() -> None:
    """A file of 5 four-option items (all 2nd-longest) is not judged alone; the whole bank is.

    Next to 12 items at the three other ranks, the bank's 2nd-longest share is 5 of 17 (29 %): nothing reported.
    On its own it makes the bank 5 of 5 (100 %), reported at each item as a share of the bank.
    """
    small = Quiz("acteurs", "quizzes/small.yml", tuple(_lengths(f"a{i}", 1, i % 4) for i in range(5)))
    others = Quiz("definitions", SOURCE, tuple(_lengths(f"b{i}", (0, 2, 3)[i % 3], i % 4) for i in range(12)))
    assert not itemrules.rule_key_length_rank({"acteurs": small, "definitions": others})
    found = [str(v) for v in itemrules.rule_key_length_rank({"acteurs": small})]
    assert len(found) == 5 and all("as in 5 of the 5 four-option single-answer questions of the bank" in v
                                   for v in found), found


def test_ordering_steps_rule() -> None:
    """An ordering item of 3 steps is reported at its line; one of 4 steps passes."""
    def ordering(qid: str, n: int) -> Question:
        return Question(id=qid, type="ordonner", question="Ordonnez.", explanation="E", source=SOURCE, line=60,
                        steps=tuple(f"Étape {i}" for i in range(n)), level="comprendre", objectives=("lange",))
    found = [str(v) for v in itemrules.rule_ordering_steps(_bank(ordering("o3", 3), ordering("o4", 4)))]
    assert found == [f"{SOURCE}:60: question 'o3': 3 steps: an ordering question needs at least 4 (three are solved "
                     "from one linking word); take a longer sequence from the seed, or ask another type"]


def test_matching_distractors_rule() -> None:
    """A matching item with one extra option is reported at its line; one with two passes."""
    pairs = tuple(Pair(f"gauche {i}", f"droite {i}") for i in range(3))

    def matching(qid: str, n: int) -> Question:
        return Question(id=qid, type="associer", question="Associez.", explanation="E", source=SOURCE, line=70,
                        pairs=pairs, distractors=tuple(f"autre {i}" for i in range(n)))
    found = [str(v) for v in itemrules.rule_matching_distractors(_bank(matching("m1", 1), matching("m2", 2)))]
    assert len(found) == 1 and found[0].startswith(f"{SOURCE}:70: question 'm1': 1 distractor(s): a matching question "
                                                   "needs at least 2 extra options"), found


def test_basis_rule() -> None:
    """An item without `basis` is reported at its line; one quoting its seed passage passes."""
    based = _tf("b1", True, basis=(quizbank.SeedPassage("003", "le partenariat n'est pas une fin en soi"),))
    found = [str(v) for v in itemrules.rule_basis(_bank(based, _tf("b2", True)))]
    assert found == [f"{SOURCE}:20: question 'b2': no 'basis': add 'basis: {{seed, passage}}' quoting the seed passage "
                     "the key rests on (a list if several)"]


def test_new_types_rule() -> None:
    """A bank without matching or ordering questions is told how many of each it lacks."""
    found = [str(v) for v in itemrules.rule_new_types(_bank(_tf("n1", True)))]
    assert found == ["quizzes/: the bank has 0 associer questions: at least 6 needed",
                     "quizzes/: the bank has 0 ordonner questions: at least 3 needed"]


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
    """Each lesson quiz and the final have at least 40 % `appliquer`/`analyser` items, at their reviewed level."""
    _clean("higher-order")


def test_bank_has_matching_and_ordering_questions() -> None:
    """The bank has at least 6 `associer` and 4 `ordonner` questions."""
    _clean("new-types")


def test_bank_key_length_ranks_are_spread() -> None:
    """No length rank holds the key in over 40 % of the four-option single items, in the bank and each quiz of 6+."""
    _clean("key-length-rank")


def test_bank_ordering_items_have_four_steps() -> None:
    """Every ordering item of the bank has at least 4 steps."""
    _clean("ordering-steps")


def test_bank_matching_items_have_two_distractors() -> None:
    """Every matching item of the bank offers at least 2 extra options."""
    _clean("matching-distractors")


def test_bank_items_record_their_basis() -> None:
    """Every item of the bank records the seed passage(s) it rests on."""
    _clean("basis")


def test_guessing_learners_do_not_beat_chance() -> None:
    """Picking by position, by the longest option or by distrusting absolute words stays within 2 sd of chance.

    The margin (itemrules.CHANCE_MARGIN_SD) is two standard deviations of a random guesser's score on the same
    items: a learner using such a strategy cannot be told apart from one answering at random.
    """
    beaten = [f"« {g.strategy} »: {g.score:.0%} right vs {g.chance:.0%} by chance ({g.margin:+.1f} sd, "
              f"at most +{itemrules.CHANCE_MARGIN_SD} sd, {g.items} items)"
              for g in itemrules.guesses(BANK) if g.margin > itemrules.CHANCE_MARGIN_SD]
    assert not beaten, "\n".join(beaten)
