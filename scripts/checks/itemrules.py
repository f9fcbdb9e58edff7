"""Item-writing rules over the whole question bank, and learners who guess without reading.

    .venv/bin/python -m scripts.checks.itemrules          # every violation as file:line: message, then a summary

Each rule is a function ``bank → list of violations``; ``tests/test_itemrules.py`` holds one test per
rule, and AUTHORING.md explains them to authors. All positions are the displayed ones
(``Question.display_choices()``, after the seeded shuffle), as a learner sees them.
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.model import course, quizbank  # noqa: E402
from scripts.model.quizbank import FINAL, Question, Quiz  # noqa: E402

MAX_POSITION_SHARE = 0.40  # no displayed position holds more than 40 % of the single-answer keys
MAX_LONGEST_SHARE = 0.35  # the single-answer key is the longest option in at most 35 % of questions
TRUE_SHARE = (0.40, 0.60)  # share of true/false keys that are « Vrai »
MIN_HIGHER_ORDER = 0.40  # share of appliquer/analyser items in each lesson quiz and the final assessment
HIGHER_ORDER = ("appliquer", "analyser")
# ordering items need a sequence of 4+ steps that a seed really gives: the seeds hold three such sequences
MIN_TYPES = {"associer": 6, "ordonner": 3}
# Key length rank: among four-option single-answer items, no length rank (longest, 2nd-longest, 3rd-longest,
# shortest) holds the key in more than 40 % of them; per quiz file where it has at least 6 such items (fewer make
# shares too coarse: with 5, two keys at one rank already make 40 %). A rule on the longest option alone moved the
# key to the second-shortest; a cap on every rank leaves the naive examinee no length to bet on.
MAX_RANK_SHARE = 0.40
MIN_RANK_ITEMS = 6
RANKS = ("longest", "2nd-longest", "3rd-longest", "shortest")
MIN_STEPS = 4  # an ordering item of 3 steps is solved from one linking word; 4 steps need the source's order
MIN_DISTRACTORS = 2  # with one extra option, the last pair of a matching item is nearly free
# Near-duplicate stems: Jaccard similarity of the sets of content words (accents folded, function words
# dropped). At 0.5 two stems share half of their vocabulary: in the bank this was first run on, every pair at
# or above it asked the same fact the same way (Remion's conditions twice, Pelletier's « évolution » twice),
# while the closest pairs below it (0.38–0.44) asked different things about the same source (what is in
# Tanmia's list / what is missing from it). Lower thresholds flag such legitimate pairs; higher ones let
# reworded copies through.
DUPLICATE_STEM = 0.5
# Absolute words: a statement or a choice that uses one is a classic giveaway (usually false) unless the
# seed itself says it. Multi-word entries are matched as phrases.
ABSOLUTE_WORDS = (
    "jamais", "toujours", "tous", "toutes", "tout", "toute", "seul", "seule", "seuls", "seules", "uniquement",
    "la totalité", "aucun", "aucune", "rien", "nul", "nulle", "exclusivement", "forcément", "obligatoirement",
    "systématiquement", "entièrement", "totalement", "en aucun cas", "sans exception", "nécessairement",
)
# A guessing strategy may not beat chance by more than 2 standard deviations of a random guesser's score on
# the same items (about 6 points with the bank's 60-odd single and true/false items). Below that, a learner
# using the strategy cannot be told apart from one ticking at random (one-sided, about 98 %); it is also
# the margin the count rules above leave (a key that is the longest in 35 % of questions scores about
# 1.5 sd above chance for the « longest option » learner).
CHANCE_MARGIN_SD = 2.0
STOPWORDS = frozenset("""
a à afin ai au aux avec c ça ce ceci cela celle celles celui ces cet cette ceux chaque comme d dans de des du
elle elles en est et été être eux il ils je l la le les leur leurs lui m ma mais me même mes moi mon n ne ni
nos notre nous on ont ou où par pas peut plus pour qu que quel quelle quelles quels qui s sa sans se selon ses
si son sont sur t ta te tes toi ton tu un une vos votre vous y d’ l’ qu’ n’ s’ c’ j’ lequel laquelle lesquels
lesquelles parmi quoi comment pourquoi doit doivent faut être cas ici
""".split())


@dataclass(frozen=True)
class Violation:
    """One broken rule, located in a quiz or lesson file."""

    where: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.message}" if self.line else f"{self.where}: {self.message}"


Bank = Mapping[str, Quiz]


# ---------------------------------------------------------------- helpers


def fold(text: str) -> str:
    """Lower case, accents dropped, curly apostrophes straightened."""
    text = unicodedata.normalize("NFD", text.lower().replace("’", "'").replace("œ", "oe"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def words(text: str) -> list[str]:
    """The words of a text, folded (apostrophes split « l'action » into « l », « action »)."""
    return re.findall(r"[a-z0-9]+", fold(text))


def content_words(text: str) -> set[str]:
    """Words that carry meaning: folded, without function words, links or the blank."""
    text = re.sub(r"\]\([^)]*\)", "]", text).replace(quizbank.BLANK, " ")
    stop = {fold(w) for w in STOPWORDS}
    return {w for w in words(text) if w not in stop and len(w) > 1}


_ABSOLUTE = re.compile(r"\b(" + "|".join(re.escape(fold(w)).replace(r"\ ", r"\s+")
                                          for w in sorted(ABSOLUTE_WORDS, key=len, reverse=True)) + r")\b")


def absolute_words(text: str) -> list[str]:
    """Absolute words used in a text (folded)."""
    return _ABSOLUTE.findall(fold(text))


def questions(bank: Bank) -> list[Question]:
    """Every question of the bank, quiz by quiz."""
    return [q for quiz in bank.values() for q in quiz.questions]


def single_answer(bank: Bank) -> list[Question]:
    """Single-answer questions (one key among several shown choices)."""
    return [q for q in questions(bank) if q.type == "single"]


def key_position(question: Question) -> int:
    """Displayed position (0 = A) of a single-answer question's key."""
    return next(i for i, c in enumerate(question.display_choices()) if c.correct)


def key_is_longest(question: Question) -> bool:
    """The key is at least as long as every other option (ties count: a learner cannot tell them apart)."""
    key = next(c for c in question.choices if c.correct)
    return all(len(key.text) >= len(c.text) for c in question.choices)


def key_length_ranks(question: Question) -> dict[int, float]:
    """Length rank of a single-answer key (0 = longest … n-1 = shortest), shared among ties.

    An option as long as the key is indistinguishable by length: a key tied with one other option at ranks 1–2
    counts half at each, as a reader picking by length would draw between them.
    """
    key = next(c for c in question.choices if c.correct)
    longer = sum(len(c.text) > len(key.text) for c in question.choices)
    tied = sum(len(c.text) == len(key.text) for c in question.choices)
    return {rank: 1 / tied for rank in range(longer, longer + tied)}


def four_option_single(qs: Iterable[Question]) -> list[Question]:
    """Single-answer questions with exactly four options (where length ranks are comparable)."""
    return [q for q in qs if q.type == "single" and len(q.choices) == 4]


def _pct(value: float) -> str:
    return f"{round(100 * value)}\u00a0%"


def _at(q: Question, message: str) -> Violation:
    return Violation(q.source, q.line, f"question {q.id!r}: {message}")


def _lesson_line(lesson: course.Lesson, objective: str) -> int:
    """The line of an objective in its lesson's front matter."""
    for number, line in enumerate(lesson.path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(rf"\s+{re.escape(objective)}\s*:", line):
            return number
    return 1


def _where(quiz: Quiz) -> str:
    return quiz.source


# ---------------------------------------------------------------- rules


def rule_declared(bank: Bank) -> list[Violation]:
    """Every question declares its level and the objectives it assesses."""
    return [_at(q, "no 'level' or 'objectives': say which objective it assesses and at what level "
                   f"({', '.join(quizbank.LEVELS)})")
            for q in questions(bank) if not q.level or not q.objectives]


def rule_key_position(bank: Bank) -> list[Violation]:
    """No displayed position holds more than 40 % of the single-answer keys."""
    items = single_answer(bank)
    counts = Counter(key_position(q) for q in items)
    found = []
    for position, count in sorted(counts.items()):
        share = count / len(items)
        if share > MAX_POSITION_SHARE:
            letter = quizbank.LETTERS[position]
            found += [_at(q, f"key shown at {letter}: position {letter} holds {count} of the {len(items)} single-answer "
                             f"keys ({_pct(share)}, at most {_pct(MAX_POSITION_SHARE)}): change some of these "
                             "questions (their ids decide the order) or their number of choices")
                      for q in items if key_position(q) == position]
    return found


def rule_longest_key(bank: Bank) -> list[Violation]:
    """The correct single answer is the longest option in at most 35 % of questions."""
    items = single_answer(bank)
    longest = [q for q in items if key_is_longest(q)]
    share = len(longest) / len(items) if items else 0
    if share <= MAX_LONGEST_SHARE:
        return []
    return [_at(q, f"the key is the longest option, as in {len(longest)} of {len(items)} single-answer questions "
                   f"({_pct(share)}, at most {_pct(MAX_LONGEST_SHARE)}): make a distractor as long and as precise")
            for q in longest]


def _rank_violations(items: list[Question], scope: str) -> list[Violation]:
    found = []
    shares = Counter[int]()
    for q in items:
        shares.update(key_length_ranks(q))
    for rank, count in sorted(shares.items()):
        share = count / len(items)
        if share > MAX_RANK_SHARE:
            found += [_at(q, f"the key is the {RANKS[rank]} option, as in {count:g} of the {len(items)} four-option "
                             f"single-answer questions of {scope} ({_pct(share)}, at most {_pct(MAX_RANK_SHARE)}): "
                             "change the length of some keys or distractors, spreading the key over every rank")
                      for q in items if key_length_ranks(q).get(rank)]
    return found


def rule_key_length_rank(bank: Bank) -> list[Violation]:
    """No length rank holds the key in over 40 % of four-option single items, in the bank and in each quiz of 6+."""
    every = four_option_single(questions(bank))
    found = _rank_violations(every, "the bank") if every else []
    for quiz in bank.values():
        items = four_option_single(quiz.questions)
        if len(items) >= MIN_RANK_ITEMS:
            found += _rank_violations(items, quiz.source)
    return found


def rule_truefalse_balance(bank: Bank) -> list[Violation]:
    """Between 40 % and 60 % of the true/false keys are « Vrai »."""
    items = [q for q in questions(bank) if q.type == "truefalse"]
    true = [q for q in items if q.choices[0].correct]
    share = len(true) / len(items) if items else 0.5
    if TRUE_SHARE[0] <= share <= TRUE_SHARE[1]:
        return []
    majority = true if share > TRUE_SHARE[1] else [q for q in items if q not in true]
    word = "true" if share > TRUE_SHARE[1] else "false"
    return [_at(q, f"{len(true)} of {len(items)} true/false keys are true ({_pct(share)}, between "
                   f"{_pct(TRUE_SHARE[0])} and {_pct(TRUE_SHARE[1])} needed): rewrite some {word} statements "
                   f"like this one as {'false' if word == 'true' else 'true'} ones")
            for q in majority]


def _texts_shown(q: Question) -> list[tuple[str, str]]:
    """(where, text) of a question's statement or options, where an absolute word gives the answer away."""
    if q.type == "truefalse":
        return [("the statement", q.question)]
    if q.type in ("single", "multiple"):
        return [(f"choice {q.letter(c)}", c.text) for c in q.choices]
    if q.type == "associer":
        return [("an option", text) for text in q.display_options()]
    return []


def _stem(phrase: str) -> str:
    """The part of an absolute word or phrase that a seed passage must contain.

    Its longest word without a final -e/-s: « seules » → « seul », « la totalité » → « totalit »,
    « en aucun cas » → « aucun ».
    """
    word = max(phrase.split(), key=len)
    while word.endswith(("s", "e")) and len(word) > 4:
        word = word[:-1]
    return word


def rule_absolute_words(bank: Bank) -> list[Violation]:
    """Absolute words in a statement or a choice only with `absolute`, whose passage says one of them."""
    found = []
    for q in questions(bank):
        used = [(where, w) for where, text in _texts_shown(q) for w in absolute_words(text)]
        if not used:
            continue
        if not q.absolute:
            where, word = used[0]
            found.append(_at(q, f"{where} says « {word} »: an absolute word is a giveaway unless the seed says it; "
                                "reword, or add 'absolute: {seed, passage}' quoting the seed"))
            continue
        passages = " ".join(fold(p.passage) for p in q.absolute)
        if not any(re.search(rf"\b{re.escape(_stem(w))}", passages) for _, w in used):
            found.append(_at(q, f"'absolute' passage does not contain the absolute word used "
                                f"({', '.join(sorted({w for _, w in used}))}): quote the seed where it says it"))
    return found


def rule_multiple_wrong(bank: Bank) -> list[Violation]:
    """A multiple-answer question has at least two wrong choices."""
    return [_at(q, f"{sum(not c.correct for c in q.choices)} wrong choice(s): a multiple-answer question needs at "
                   "least two, or ticking everything nearly wins")
            for q in questions(bank) if q.type == "multiple" and sum(not c.correct for c in q.choices) < 2]


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of two stems' content words."""
    x, y = content_words(a), content_words(b)
    return len(x & y) / len(x | y) if x | y else 1.0


def rule_duplicate_stems(bank: Bank) -> list[Violation]:
    """No two questions ask the same fact with (nearly) the same stem."""
    found = []
    for a, b in itertools.combinations(questions(bank), 2):
        score = similarity(a.question, b.question)
        if score >= DUPLICATE_STEM:
            found.append(_at(b, f"its stem repeats {a.id!r} ({a.source}:{a.line}) at {score:.2f} similarity "
                                f"(at most {DUPLICATE_STEM} allowed): ask another fact, or the same one another way"))
    return found


def assessed_objectives(bank: Bank) -> set[str]:
    """Objectives assessed anywhere, qualified as ``<lesson>/<id>``."""
    found: set[str] = set()
    for quiz in bank.values():
        for q in quiz.questions:
            found.update(o if quiz.lesson == FINAL else f"{quiz.lesson}/{o}" for o in q.objectives)
    return found


def rule_objective_coverage(bank: Bank) -> list[Violation]:
    """Every objective of every lesson is assessed by at least one question."""
    assessed = assessed_objectives(bank)
    return [Violation(str(lesson.path.relative_to(course.ROOT)), _lesson_line(lesson, oid),
                      f"objective {oid!r} is assessed by no question: add one to quizzes/{lesson.slug}.yml "
                      f"with 'objectives: [{oid}]'")
            for lesson in course.load_lessons() for oid in lesson.objectives if f"{lesson.slug}/{oid}" not in assessed]


def rule_higher_order(bank: Bank) -> list[Violation]:
    """At least 40 % of each lesson quiz and of the final assessment are `appliquer` or `analyser`.

    Counted at `Question.counted_level`: a level the blind reviewer disputes counts at the lower one.
    """
    found = []
    for quiz in bank.values():
        high = sum(q.counted_level in HIGHER_ORDER for q in quiz.questions)
        share = high / len(quiz.questions)
        if share < MIN_HIGHER_ORDER:
            need = math.ceil(MIN_HIGHER_ORDER * len(quiz.questions))
            found.append(Violation(quiz.source, 1, f"{high} of {len(quiz.questions)} questions ({_pct(share)}) are "
                                                   f"{' or '.join(HIGHER_ORDER)}: at least {need} needed "
                                                   f"({_pct(MIN_HIGHER_ORDER)}, levels disputed by the review count at "
                                                   "the lower one): add scenario questions"))
    return found


def rule_ordering_steps(bank: Bank) -> list[Violation]:
    """An ordering (`ordonner`) item has at least 4 steps."""
    return [_at(q, f"{len(q.steps)} steps: an ordering question needs at least {MIN_STEPS} (three are solved from one "
                   "linking word); take a longer sequence from the seed, or ask another type")
            for q in questions(bank) if q.type == "ordonner" and len(q.steps) < MIN_STEPS]


def rule_matching_distractors(bank: Bank) -> list[Violation]:
    """A matching (`associer`) item offers at least 2 extra options (`distractors`)."""
    return [_at(q, f"{len(q.distractors)} distractor(s): a matching question needs at least {MIN_DISTRACTORS} extra "
                   "options, or its last pair is (nearly) free; add confusions the course makes possible")
            for q in questions(bank) if q.type == "associer" and len(q.distractors) < MIN_DISTRACTORS]


def rule_basis(bank: Bank) -> list[Violation]:
    """Every item records the seed passage(s) its key rests on (`basis`); a written answer, each rubric criterion."""
    return [_at(q, "no 'basis': add 'basis: {seed, passage}' quoting the seed passage the key rests on "
                   "(a list if several)")
            for q in questions(bank)
            if not (all(c.basis for c in q.rubric) if q.written and q.rubric else q.basis)]


def rule_new_types(bank: Bank) -> list[Violation]:
    """The bank has at least 6 matching (`associer`) and 3 ordering (`ordonner`) questions."""
    counts = Counter(q.type for q in questions(bank))
    where = str(quizbank.QUIZZES.relative_to(course.ROOT)) + "/"
    return [Violation(where, 0, f"the bank has {counts[kind]} {kind} questions: at least {need} needed")
            for kind, need in MIN_TYPES.items() if counts[kind] < need]


def _level_share(final: Quiz, line: int) -> list[Violation]:
    """Every form has the blueprint's count of each level (`sealed.blueprint`), at least 40 % applying or analysing.

    The blueprint's counts are always within reach of one form; two disjoint forms with the same counts are preferred
    but not always possible (a slot whose two items differ in level gives one to each form), so they are not required.
    """
    from scripts.build import sealed  # the draw's own blueprint, so that the rule and the draw cannot disagree

    slots, targets = sealed.blueprint(final)
    size = sum(slots.values())
    higher = sum(targets.get(level, 0) for level in sealed.HIGHER)
    if size and higher < sealed.HIGHER_SHARE * size:
        per_form = ", ".join(f"{n} {lv or '(no level)'}" for lv, n in targets.items())
        return [Violation(final.source, line, f"a form of {size} has {higher} items that apply or analyse ({per_form}): "
                                              f"at least {math.ceil(sealed.HIGHER_SHARE * size)} needed (40 %); raise "
                                              "the level of more pool items (as a blind review judges them)")]
    return []


def rule_final_blueprint(bank: Bank) -> list[Violation]:
    """Final pool for parallel forms: `form_size`, pool ≥ 2 forms, ≥ 2 items per objective, `angoff`, levels alike.

    Levels alike: every form can have the same count of each level (`_level_share`).
    """
    final = bank.get(FINAL)
    if final is None:
        return []
    path = course.ROOT / final.source  # an absolute source stays itself
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    line = next((n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("form_size:")), 1)
    found = [_at(q, "no 'angoff': estimate the probability (0.05–0.99) that a just-competent learner answers it")
             for q in final.questions if q.angoff is None]
    pool, size = len(final.questions), final.form_size
    objectives = [f"{lesson.slug}/{oid}" for lesson in course.load_lessons() for oid in lesson.objectives]
    if size is None:
        found.append(Violation(final.source, 1, f"no 'form_size': declare how many of the {pool} items one learner "
                                                "sees (the pool holds at least twice that)"))
    elif pool < 2 * size:
        found.append(Violation(final.source, line, f"the pool holds {pool} items for forms of {size}: at least "
                                                   f"{2 * size} needed (two forms), add items or lower form_size"))
    elif size < len(objectives):
        found.append(Violation(final.source, line, f"form_size {size} is below the {len(objectives)} objectives "
                                                   "of the course: a form cannot give one item to each"))
    found += _level_share(final, line)
    counts = Counter(o for q in final.questions for o in set(q.objectives))
    found += [Violation(final.source, 1, f"objective {o!r} has {counts[o]} item(s) in the final pool: at least 2 "
                                         f"needed (one per form), add one with 'objectives: [{o}]'")
              for o in objectives if counts[o] < 2]
    return found


RULES: dict[str, Callable[[Bank], list[Violation]]] = {
    "declared": rule_declared,
    "key-position": rule_key_position,
    "longest-key": rule_longest_key,
    "truefalse-balance": rule_truefalse_balance,
    "absolute-words": rule_absolute_words,
    "multiple-wrong": rule_multiple_wrong,
    "duplicate-stems": rule_duplicate_stems,
    "objective-coverage": rule_objective_coverage,
    "higher-order": rule_higher_order,
    "new-types": rule_new_types,
    "final-blueprint": rule_final_blueprint,
    "key-length-rank": rule_key_length_rank,
    "ordering-steps": rule_ordering_steps,
    "matching-distractors": rule_matching_distractors,
    "basis": rule_basis,
}


def check(bank: Bank, only: Iterable[str] = RULES) -> dict[str, list[Violation]]:
    """Violations of each rule."""
    return {name: RULES[name](bank) for name in only}


# ---------------------------------------------------------------- learners who do not read


@dataclass(frozen=True)
class Guess:
    """How a guessing strategy fares against pure chance on the questions it applies to."""

    strategy: str
    items: int
    score: float  # expected share of right answers with the strategy
    chance: float  # expected share for a learner picking uniformly at random
    sd: float  # standard deviation of the random learner's share (sum of Bernoulli variances)

    @property
    def margin(self) -> float:
        """How far above chance, in standard deviations of the random learner's share."""
        return (self.score - self.chance) / self.sd if self.sd else 0.0


def _chance(items: list[Question]) -> tuple[float, float]:
    probabilities = [1 / len(q.display_choices()) for q in items]
    mean = sum(probabilities) / len(items)
    sd = math.sqrt(sum(p * (1 - p) for p in probabilities)) / len(items)
    return mean, sd


def guess_by_position(bank: Bank) -> list[Guess]:
    """A learner who always ticks the same displayed position (A, B, C…), one strategy per position."""
    items = single_answer(bank) + [q for q in questions(bank) if q.type == "truefalse"]
    chance, sd = _chance(items)
    width = max(len(q.display_choices()) for q in items)
    return [Guess(f"always {quizbank.LETTERS[k]}", len(items),
                  sum(q.display_choices()[min(k, len(q.display_choices()) - 1)].correct for q in items) / len(items),
                  chance, sd) for k in range(width)]


def guess_by_length(bank: Bank) -> Guess:
    """A learner who picks the longest option (a fair draw among equally long ones)."""
    items = single_answer(bank)
    chance, sd = _chance(items)
    score = 0.0
    for q in items:
        top = max(len(c.text) for c in q.choices)
        longest = [c for c in q.choices if len(c.text) == top]
        score += sum(c.correct for c in longest) / len(longest)
    return Guess("longest option", len(items), score / len(items), chance, sd)


def guess_by_wording(bank: Bank) -> Guess:
    """A learner who distrusts absolute words.

    « Faux » when a statement has one, « Vrai » otherwise; in a single-answer question, a fair draw among the
    choices without absolute words (all of them if none is left).
    """
    items = single_answer(bank) + [q for q in questions(bank) if q.type == "truefalse"]
    chance, sd = _chance(items)
    score = 0.0
    for q in items:
        if q.type == "truefalse":
            score += q.choices[1 if absolute_words(q.question) else 0].correct
        else:
            plain = [c for c in q.choices if not absolute_words(c.text)] or list(q.choices)
            score += sum(c.correct for c in plain) / len(plain)
    return Guess("distrust absolute words", len(items), score / len(items), chance, sd)


def guesses(bank: Bank) -> list[Guess]:
    """Every guessing strategy."""
    return [*guess_by_position(bank), guess_by_length(bank), guess_by_wording(bank)]


# ---------------------------------------------------------------- command


def rank_shares(items: list[Question]) -> str:
    """« longest 25 %, 2nd-longest 25 %… » of the key over four-option single items."""
    shares = Counter[int]()
    for q in items:
        shares.update(key_length_ranks(q))
    return ", ".join(f"{name} {_pct(shares[rank] / len(items))}" for rank, name in enumerate(RANKS)) if items else "-"


def summary(bank: Bank) -> list[str]:
    """Figures an author wants while rewriting."""
    items = single_answer(bank)
    counts = Counter(key_position(q) for q in items)
    tf = [q for q in questions(bank) if q.type == "truefalse"]
    types = Counter(q.type for q in questions(bank))
    lines = [
        "single-answer keys by position: "
        + ", ".join(f"{quizbank.LETTERS[k]} {counts[k]} ({_pct(counts[k] / len(items))})" for k in sorted(counts)),
        f"key is the longest option: {sum(map(key_is_longest, items))} of {len(items)}",
        f"true/false keys true: {sum(q.choices[0].correct for q in tf)} of {len(tf)}",
        "types: " + ", ".join(f"{kind} {types[kind]}" for kind in quizbank.TYPES),
    ]
    for quiz in bank.values():
        levels = Counter(q.level or "(none)" for q in quiz.questions)
        lines.append(f"{quiz.source}: " + ", ".join(f"{level} {n}" for level, n in sorted(levels.items())))
        four = four_option_single(quiz.questions)
        lines.append(f"{quiz.source}: key length rank over {len(four)} four-option single items: {rank_shares(four)}")
    lines.append(f"bank: key length rank: {rank_shares(four_option_single(questions(bank)))}")
    lines += [f"guessing « {g.strategy} »: {_pct(g.score)} vs chance {_pct(g.chance)} ({g.margin:+.1f} sd, "
              f"{g.items} items)" for g in guesses(bank)]
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print every violation as file:line: message, then a summary; exit 1 if any rule is broken."""
    parser = argparse.ArgumentParser(prog="python -m scripts.checks.itemrules", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=quizbank.QUIZZES, help="quiz folder (default: quizzes/)")
    parser.add_argument("--rule", action="append", choices=list(RULES), help="check only this rule (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="no summary")
    args = parser.parse_args(argv)
    try:
        bank = quizbank.load_bank(args.dir)
    except quizbank.QuizError as exc:
        print(exc, file=sys.stderr)
        return 2
    results = check(bank, args.rule or RULES)
    total = 0
    for name, found in results.items():
        for violation in found:
            print(f"{violation} [{name}]")
        total += len(found)
    if not args.quiet:
        print("\n".join(["", *summary(bank), f"{total} violation(s)"]), file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
