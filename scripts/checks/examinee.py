"""A naive examinee: test-wise strategies that read only the items, never the course, run over every quiz.

    .venv/bin/python -m scripts.checks.examinee            # per quiz: chance, each strategy, best, combination, gate
    .venv/bin/python -m scripts.checks.examinee --items    # and, item by item, the strategies that beat chance on it

A strategy sees an :class:`Item` (stem and options as shown, never the key) and answers with the answers it
cannot choose between (a fair draw among them), or ``None`` when the item gives it no cue (it then guesses at
random: chance). Scores follow the site: an item counts when wholly right (``ok``, what the course's percentages
count: a multiple answer is the exact set, a matching item every pair, an ordering item the whole order);
``--partial`` uses the stored partial score (share of right pairs; of adjacent pairs in the right order).
"""

from __future__ import annotations

import argparse
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts.checks.itemrules import STOPWORDS, absolute_words, fold
from scripts.model import quizbank
from scripts.model.quizbank import BLANK, FINAL, Question, Quiz

GATE_MARGIN = 0.10  # the best strategy and the combination may beat chance by at most 10 points per quiz
Answer = tuple[int, ...]  # choices: ticked option indexes (sorted); ordonner: step indexes in order; associer: option per left
Answers = list[Answer]  # equally likely answers: ties are broken by a fair draw
# Hedges make a statement prudent, hence « true » to a test-wise reader. « selon » alone is left out: it
# introduces the source in most stems (« Selon le Guide Tanmia »); only « selon les cas »-like phrases hedge.
HEDGES = ("peut", "peuvent", "pourrait", "pourraient", "souvent", "plutôt", "en partie", "parfois", "relativement",
          "notamment", "généralement", "en général", "certains", "certaines", "la plupart", "éventuellement",
          "possible", "dans certains cas", "selon les cas", "selon le contexte", "selon la situation", "en principe")
_HEDGE = re.compile(r"\b(" + "|".join(re.escape(fold(h)).replace(r"\ ", r"\s+") for h in HEDGES) + r")\b")
# Ordering: where linking and time words put a step (0 first, 2 last); a step opening on an anaphor is not first.
LINKING = ((0.0, ("d'abord", "tout d'abord", "premier", "première", "a priori", "au départ", "avant", "initial",
                  "initiale", "en amont", "commencer")),
           (1.5, ("ensuite", "puis", "après", "une fois", "intermédiaire", "pendant", "au cours")),
           (2.0, ("enfin", "finalement", "final", "finale", "pour finir", "conclure", "conclusion", "bilan",
                  "au terme", "en aval", "résultat", "par conséquent")))
ANAPHORS = frozenset("ce cet cette ces cela celle celui il elle ils elles leur leurs sa son ses".split())
# Grammatical agreement: (gender, number) of determiners and asking words; "" when the word does not say.
FORMS = {**dict.fromkeys(("un", "le", "ce", "cet", "son", "du", "au", "quel", "lequel"), ("m", "s")),
         **dict.fromkeys(("une", "la", "cette", "sa", "quelle", "laquelle"), ("f", "s")),
         **dict.fromkeys(("les", "des", "ces", "ses", "aux", "leurs", "plusieurs"), ("", "p")),
         **dict.fromkeys(("quels", "lesquels"), ("m", "p")), **dict.fromkeys(("quelles", "lesquelles"), ("f", "p"))}
ASKING = frozenset(("quel", "lequel", "quelle", "laquelle", "quels", "lesquels", "quelles", "lesquelles"))
NO_ELISION = frozenset(("le", "la", "de", "que", "ce", "je", "ne", "se"))  # before them a word starts with a consonant
NOT_PLURAL = frozenset("dans des apres lors sans sous vers plus moins jamais toujours parfois depuis puis fois cas mais alors "
                       "ailleurs temps".split())
FEMININE = ("tion", "sion", "te", "ence", "ance", "ure", "ie", "ise", "ette", "elle", "euse", "ive", "trice", "ee")
MASCULINE = ("ment", "age", "isme", "eau", "at", "et", "if", "eux")
SUFFIXES = ("ations", "ation", "ements", "ement", "ites", "ite", "euses", "euse", "eurs", "eur", "ives", "ive",
            "elles", "elle", "iques", "ique", "ees", "ee", "es", "er", "e", "s", "x")
_STOP = frozenset(fold(w) for w in STOPWORDS)


# ---------------------------------------------------------------- what the examinee sees
@dataclass(frozen=True)
class Item:
    """A question as the examinee sees it: the stem and the options in their shown order, never the key."""

    kind: str
    stem: str
    options: tuple[str, ...] = ()  # choices, Vrai/Faux, matching options or ordering steps, as shown
    lefts: tuple[str, ...] = ()  # associer: the items to match, as shown


def shown(q: Question) -> Item:
    """What a learner sees of a question before answering."""
    if q.type == "associer":
        return Item(q.type, q.question, q.display_options(), tuple(p.left for p in q.pairs))
    if q.type == "ordonner":
        return Item(q.type, q.question, q.display_steps())
    return Item(q.type, q.question, tuple(c.text for c in q.display_choices()))


def key_of(q: Question) -> Answer:
    """The right answer in the examinee's terms (read by the scorer only, never by a strategy)."""
    if q.type == "associer":
        options = q.display_options()
        return tuple(options.index(p.right) for p in q.pairs)
    if q.type == "ordonner":
        return q.step_order()  # YAML rank of each shown step
    return tuple(i for i, c in enumerate(q.display_choices()) if c.correct)


def credit(kind: str, key: Answer, answer: Answer, partial: bool = False) -> float:
    """The site's score of an answer: 1 when wholly right; ``partial`` per pair / adjacent pair for associer, ordonner."""
    if kind in ("single", "multiple", "truefalse"):
        return float(answer == key)
    if kind == "associer":
        right = sum(a == k for a, k in zip(answer, key, strict=True)) / len(key)
    elif kind == "ordonner":
        ranks = [key[i] for i in answer]
        right = sum(b == a + 1 for a, b in itertools.pairwise(ranks)) / (len(ranks) - 1)
    else:
        return 0.0  # fill-in: nothing to pick, a random answer is never the word
    return right if partial else float(right == 1)


def chance(item: Item, partial: bool = False) -> float:
    """Expected score of a random answer: one option, a non-empty set of boxes, a random order or option per item."""
    k = len(item.options)
    if item.kind in ("single", "truefalse"):
        return 1 / k
    if item.kind == "multiple":
        return 1 / (2**k - 1)
    if item.kind == "associer":
        return 1 / k if partial else k ** -len(item.lefts)
    if item.kind == "ordonner":
        return 1 / k if partial else 1 / math.factorial(k)
    return 0.0


# ---------------------------------------------------------------- French words
def tokens(text: str) -> list[str]:
    """Folded words, elided ones keeping their apostrophe (« l'action » → « l' », « action »)."""
    return re.findall(r"[a-z0-9]+'|[a-z0-9]+", fold(text))


def stem(word: str) -> str:
    """A light French stemmer: one common suffix stripped, then the first six letters."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:6]


def stems(text: str) -> set[str]:
    """Stems of a text's content words (function words and one-letter words dropped)."""
    return {stem(w) for w in tokens(text) if w not in _STOP and len(w) > 1 and not w.endswith("'")}


def _form(word: str) -> dict[str, str]:
    """Gender (g: m/f), number (n: s/p) and first sound (v: 1 vowel, 0 consonant) of an option's first word; "" unknown."""
    bare = word[:-1] if len(word) > 3 and word[-1] in "sx" and word not in NOT_PLURAL else word
    gender = "f" if bare.endswith(FEMININE) else "m" if bare.endswith(MASCULINE) else ""
    gender, number = FORMS.get(word, ("", "s") if word.endswith("'") else (gender, "p" if bare != word else ""))
    return {"g": gender, "n": number, "v": "1" if word[0] in "aeiouyh" else "0"}


def expected_form(text: str) -> dict[str, str]:
    """What the stem asks of the answer's first word: gender g, number n, first sound v ("" when it does not say).

    Taken from the word before a blank or a final « … » (« une », « l' », « le »), else from the asking word
    (« Lesquelles »; « Quelle condition » gives the number only: « quelle » agrees with « condition »).
    """
    text = text.strip()
    before = text.split(BLANK)[0] if BLANK in text else text.rstrip(".…: ") if text.endswith(("…", "...", ":")) else ""
    last = (tokens(before) or [""])[-1]
    if last.endswith("'"):
        return {"v": "1"}
    if last in FORMS and last not in ASKING:
        gender, number = FORMS[last]
        return {"g": gender, "n": number, "v": "0" if last in NO_ELISION else "1" if last == "cet" else ""}
    if last in NO_ELISION:
        return {"v": "0"}
    asking = next((w for w in tokens(text) if w in ASKING), "")
    gender, number = FORMS.get(asking, ("", ""))
    return {"g": gender if asking.startswith("l") else "", "n": number}


# ---------------------------------------------------------------- answers from cues
def _choose(item: Item, values: Sequence[float]) -> Answers | None:
    """Single: one of the options with the highest value; multiple: all but the lowest; no cue if all are equal."""
    if len(set(values)) < 2 or item.kind not in ("single", "multiple"):
        return None
    if item.kind == "multiple":
        return [tuple(i for i, v in enumerate(values) if v > min(values))]
    return [(i,) for i, v in enumerate(values) if v == max(values)]


def _order(item: Item, keys: Sequence[float]) -> Answers | None:
    """Steps sorted by key, steps with equal keys in every order; no cue when all keys are equal, nor for other types."""
    if len(set(keys)) < 2 or item.kind != "ordonner":
        return None
    groups = [[i for i, k in enumerate(keys) if k == key] for key in sorted(set(keys))]
    return [sum(perms, ()) for perms in itertools.product(*(itertools.permutations(g) for g in groups))]


def _match(rows: Sequence[Sequence[float]]) -> Answers | None:
    """For each left item one of the options with the highest value; no cue when no row tells options apart."""
    if all(len(set(row)) < 2 for row in rows):
        return None
    return list(itertools.product(*([i for i, v in enumerate(row) if v == max(row)] for row in rows)))


# ---------------------------------------------------------------- strategies
Strategy = Callable[[Item], Answers | None]


def by_length(rank: int) -> Strategy:
    """Single answer: the option at a length rank (0 longest, 1 second longest… -1 shortest, -2 second shortest)."""
    def strategy(item: Item) -> Answers | None:
        lengths = sorted((len(o) for o in item.options), reverse=True)
        if item.kind != "single" or not -len(lengths) <= rank < len(lengths):
            return None
        return _choose(item, [float(len(o) == lengths[rank]) for o in item.options])
    return strategy


def longer_half(item: Item) -> Answers | None:
    """Multiple answers: tick the options longer than the mean."""
    mean = sum(map(len, item.options)) / len(item.options) if item.options else 0
    return _choose(item, [float(len(o) > mean) for o in item.options]) if item.kind == "multiple" else None


def overlap(item: Item) -> Answers | None:
    """The options (or, for matching, the right items) that repeat the most content words of the stem (left item)."""
    if item.kind == "associer":
        return _match([[len(stems(left) & stems(o)) for o in item.options] for left in item.lefts])
    words = stems(item.stem)
    return _choose(item, [len(words & stems(o)) for o in item.options])


def hedge(item: Item) -> Answers | None:
    """Hedged options chosen, absolute ones eliminated; true/false: hedged statement → Vrai, absolute → Faux."""
    cue, *values = [float(bool(_HEDGE.search(fold(t)))) - bool(absolute_words(t)) for t in (item.stem, *item.options)]
    if item.kind == "truefalse":
        return None if cue == 0 else [(0,) if cue > 0 else (1,)]
    return _choose(item, values)


def agreement(item: Item) -> Answers | None:
    """The options whose first word agrees with the stem (gender, number, elision before the blank or « … »)."""
    wanted = expected_form(item.stem)
    def fit(text: str) -> float:
        form = _form((tokens(text) or ["-"])[0])
        return sum((form[k] == v) - (form[k] != v) for k, v in wanted.items() if v and form.get(k))
    return _choose(item, [fit(o) for o in item.options])


def convergence(item: Item) -> Answers | None:
    """The option most like the others (the sum of its word similarity with each other option)."""
    sets = [stems(o) for o in item.options]
    # rounded: two options with the same words must tie whatever the order of the float additions
    return _choose(item, [round(sum(len(s & t) / len(s | t) for t in sets if t is not s and s | t), 9) for s in sets])


def elimination(item: Item) -> Answers | None:
    """Options naming an author, a source or a year that the stem does not name are ruled out."""
    asked = set(tokens(item.stem))
    names = [re.findall(r"(?<=[\s’'(])[A-ZÀ-Ý][\w’'-]+|\b\d{4}\b", o) for o in item.options]
    return _choose(item, [-sum(not set(tokens(name)) <= asked for name in found) for found in names])


def linking(item: Item) -> Answers | None:
    """Ordering: steps placed by their linking and time words (« d'abord », « ensuite », « enfin »…)."""
    def place(step: str) -> float:
        text = fold(step)
        found = [rank for rank, cues in LINKING for cue in cues if re.search(rf"\b{re.escape(fold(cue))}\b", text)]
        rank = max(found) if found else 1.0
        return max(rank, 1.2) if tokens(step)[:1] and tokens(step)[0] in ANAPHORS else rank
    return _order(item, [place(s) for s in item.options])


def stem_order(item: Item) -> Answers | None:
    """Ordering: steps in the order their words first appear in the stem."""
    said = [stem(w) for w in tokens(item.stem)]
    return _order(item, [min((said.index(s) for s in stems(step) if s in said), default=len(said)) for step in item.options])


def display_order(item: Item) -> Answers | None:
    """Ordering: the steps left in the order shown."""
    return [tuple(range(len(item.options)))] if item.kind == "ordonner" else None


STRATEGIES: dict[str, Strategy] = {
    "longest": by_length(0), "2nd-longest": by_length(1), "3rd-longest": by_length(2),
    "2nd-shortest": by_length(-2), "shortest": by_length(-1), "longer-half": longer_half,
    "overlap": overlap, "hedge": hedge, "agreement": agreement, "convergence": convergence,
    "elimination": elimination, "linking": linking, "stem-order": stem_order, "display-order": display_order,
}
# The combination's priority, fixed beforehand from how strong each cue is for a test-wise reader (never tuned on keys).
PRIORITY = ("elimination", "agreement", "hedge", "overlap", "linking", "stem-order", "convergence", "longest", "longer-half")


def combination(item: Item) -> Answers | None:
    """Every cue together, without the key.

    Single answer and true/false: each strategy in priority order narrows the options still in play (unless it
    would leave none). Other types: the first strategy in priority order that has a cue.
    """
    guesses = [g for name in PRIORITY if (g := STRATEGIES[name](item)) is not None]
    if not guesses or item.kind not in ("single", "truefalse"):
        return guesses[0] if guesses else None
    kept = set(range(len(item.options)))
    for guess in guesses:
        kept = (kept & {a[0] for a in guess}) or kept
    return [(i,) for i in sorted(kept)]


# ---------------------------------------------------------------- scores
def expected(item: Item, key: Answer, answers: Answers | None, partial: bool = False) -> float:
    """Expected score of a fair draw among ``answers``; chance when the strategy has no cue."""
    if answers is None:
        return chance(item, partial)
    return sum(credit(item.kind, key, a, partial) for a in answers) / len(answers)


@dataclass(frozen=True)
class ItemScore:
    """One question: the expected score of chance, of each strategy and of the combination."""

    question: Question
    scores: dict[str, float]  # "chance", each strategy, "combination"

    def beaten(self) -> dict[str, float]:
        """The strategies (and the combination) that beat chance on this item, best first."""
        return dict(sorted(((n, s) for n, s in self.scores.items() if s > self.scores["chance"] + 1e-9), key=lambda p: -p[1]))


def score_item(q: Question, partial: bool = False) -> ItemScore:
    """Run every strategy and the combination on one question."""
    item, key = shown(q), key_of(q)
    every = {**STRATEGIES, "combination": combination}
    return ItemScore(q, {"chance": chance(item, partial)} | {n: expected(item, key, s(item), partial) for n, s in every.items()})


@dataclass(frozen=True)
class QuizScore:
    """A quiz's items, and the shares of them a random and a naive examinee are expected to get right."""

    lesson: str
    items: tuple[ItemScore, ...]

    def mean(self, name: str) -> float:
        """Mean expected score over the quiz of "chance", a strategy or "combination"."""
        return sum(i.scores[name] for i in self.items) / len(self.items)

    @property
    def best(self) -> tuple[str, float]:
        """The best single strategy and its mean score."""
        return max(((name, self.mean(name)) for name in STRATEGIES), key=lambda pair: pair[1])

    @property
    def passes(self) -> bool:
        """The gate: neither the best strategy nor the combination beats chance by more than 10 points."""
        return max(self.best[1], self.mean("combination")) <= self.mean("chance") + GATE_MARGIN + 1e-9


def score_quiz(quiz: Quiz, partial: bool = False) -> QuizScore:
    """Run the examinee over one quiz (written answers have no key to guess: left out)."""
    return QuizScore(quiz.lesson, tuple(score_item(q, partial) for q in quiz.questions if not q.written))


def gate(quiz: Quiz, partial: bool = False) -> bool:
    """The issue's gate: the best strategy and the combination score at most chance + 10 points on this quiz."""
    return score_quiz(quiz, partial).passes


# ---------------------------------------------------------------- command
def _pct(value: float) -> str:
    return f"{100 * value:.0f}"


def report(scores: Sequence[QuizScore], items: bool = False) -> list[str]:
    """The table (one column per quiz, in %) and, with ``items``, the strategies that beat chance on each item."""
    names = [s.lesson[:12] for s in scores]
    rows = [("items", [str(len(s.items)) for s in scores])]
    rows += [(name, [_pct(s.mean(name)) for s in scores]) for name in ("chance", *STRATEGIES)]
    rows += [("best strategy", [_pct(s.best[1]) for s in scores]), ("combination", [_pct(s.mean("combination")) for s in scores]),
             ("gate (chance+10)", [_pct(s.mean("chance") + GATE_MARGIN) for s in scores]),
             ("verdict", ["ok" if s.passes else "OVER" for s in scores]), ("best is", [s.best[0] for s in scores])]
    lines = ["".join([f"{'% of items':<17}", *(f"{n:>13}" for n in names)])]
    lines += ["".join([f"{label:<17}", *(f"{c:>13}" for c in cells)]) for label, cells in rows]
    if items:
        for s in scores:
            lines.append(f"\n{s.lesson}")
            for i in s.items:
                beaten = ", ".join(f"{name} {_pct(v)} %" for name, v in i.beaten().items())
                lines.append(f"  {i.question.source}:{i.question.line} {i.question.id} ({i.question.type}, chance "
                             f"{_pct(i.scores['chance'])} %): {beaten or 'no strategy beats chance'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the report; always exit 0 (tests/test_examinee.py enforces the gate on the bank)."""
    parser = argparse.ArgumentParser(prog="python -m scripts.checks.examinee", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=quizbank.QUIZZES, help="quiz folder (default: quizzes/)")
    parser.add_argument("--items", action="store_true", help="for each item, the strategies that beat chance on it")
    parser.add_argument("--partial", action="store_true", help="partial credit for matching and ordering items")
    args = parser.parse_args(argv)
    try:
        bank = quizbank.load_bank(args.dir)
    except quizbank.QuizError as exc:
        raise SystemExit(str(exc)) from None
    quizzes = sorted(bank.values(), key=lambda quiz: (quiz.lesson != FINAL, quiz.lesson))
    print("\n".join(report([score_quiz(quiz, args.partial) for quiz in quizzes], args.items)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
