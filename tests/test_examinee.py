"""The naive examinee: chance per type, each strategy on its cue and on a control, a key-blind combination, the report."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
from dataclasses import replace

import pytest

from scripts.checks import examinee
from scripts.checks.examinee import Item
from scripts.model import course, quizbank
from scripts.model.quizbank import Choice, Pair, Question, Quiz

SOURCE = "quizzes/made-up.yml"


def _q(kind: str, stem: str, qid: str = "made-up", **fields: object) -> Question:
    return Question(id=qid, type=kind, question=stem, explanation="E", source=SOURCE, line=1, **fields)  # type: ignore[arg-type]


def _single(stem: str, key: str, *others: str, kind: str = "single") -> Question:
    """A single-answer question whose first text is the key."""
    return _q(kind, stem, choices=(Choice(key, True), *(Choice(o) for o in others)))


def _multiple(stem: str, keys: tuple[str, ...], others: tuple[str, ...]) -> Question:
    return _q("multiple", stem, choices=(*(Choice(k, True) for k in keys), *(Choice(o) for o in others)))


def _tf(stem: str, answer: bool) -> Question:
    return _q("truefalse", stem, choices=(Choice("Vrai", answer), Choice("Faux", not answer)))


def _words(n: int) -> str:
    """A neutral option of ``n`` characters: no cue but its length."""
    return "z" * n


NEUTRAL = "Quelle proposition retenir ?"
MATCH_STEM = "Associez chaque élément à sa description."
PAIRS_CUE = (Pair("Dimension personnelle", "Engagement personnel"), Pair("Dimension professionnelle", "Compétences professionnelles"),
             Pair("Dimension institutionnelle", "Mandat institutionnel"))
PAIRS_NONE = (Pair("Dimension personnelle", "Valeurs"), Pair("Dimension professionnelle", "Savoir-faire"),
              Pair("Dimension institutionnelle", "Mandat"))
STEPS_CUE = ("D'abord, réunir les partenaires", "Ensuite, rédiger la convention", "Enfin, évaluer l'action")
STEPS_NONE = ("Réunir les partenaires", "Rédiger la convention", "Évaluer l'action")
ORDER_STEPS = ("Établir un diagnostic", "Signer une convention", "Mener une évaluation")

# (strategy, an item its cue solves, the same item with the cue removed)
CASES = [
    *[(name, _single(NEUTRAL, _words(n), *(_words(m) for m in (10, 20, 30, 40) if m != n)),
       _single(NEUTRAL, _words(25), _words(25), _words(25), _words(25)))
      for name, n in (("longest", 40), ("2nd-longest", 30), ("3rd-longest", 20), ("2nd-shortest", 20), ("shortest", 10))],
    ("longer-half", _multiple(NEUTRAL, (_words(40), _words(41)), (_words(10), _words(11), _words(12))),
     _multiple(NEUTRAL, (_words(20), _words(20)), (_words(20), _words(20), _words(20)))),
    ("overlap", _single("Quel outil sert à évaluer la qualité d'un partenariat ?", "Une grille d'évaluation de la qualité",
                        "Un comité de pilotage", "Une convention signée", "Un budget annuel"),
     _single("Quel outil sert à évaluer la qualité d'un partenariat ?", "Une grille d'autodiagnostic",
             "Un comité de pilotage", "Une convention signée", "Un budget annuel")),
    ("overlap", _q("associer", MATCH_STEM, pairs=PAIRS_CUE, distractors=("Calendrier commun",)),
     _q("associer", MATCH_STEM, pairs=PAIRS_NONE, distractors=("Calendrier",))),
    ("hedge", _single(NEUTRAL, "Elle peut parfois évoluer", "Elle ne change jamais", "Elle est toujours écrite",
                      "Elle fixe tous les rôles"),
     _single(NEUTRAL, "Elle évolue", "Elle change", "Elle est écrite", "Elle fixe les rôles")),
    ("hedge", _tf("Un partenariat peut parfois naître d'une obligation.", True), _tf("Un partenariat naît d'une obligation.", True)),
    ("hedge", _tf("Un partenariat naît toujours d'une convention.", False), _tf("Un partenariat naît d'une convention.", False)),
    ("agreement", _single("Pour Pelletier, le partenariat institutionnalise en quelque sorte une…", "coopération ancienne",
                          "réseau d'échanges", "contrat de gestion", "financement public"),
     _single("Pour Pelletier, le partenariat institutionnalise en quelque sorte une…", "coopération ancienne",
             "relation d'échanges", "convention de gestion", "subvention publique")),
    ("agreement", _single("Chaque partenaire garde son identité : le cours parle de l'…", "autonomie des partenaires",
                          "domination", "tutelle", "subordination"),
     _single("Chaque partenaire garde son identité : le cours parle de l'…", "autonomie des partenaires",
             "égalité", "intérêt mutuel", "évolution")),
    ("convergence", _single(NEUTRAL, "Un partenariat fondé sur des objectifs communs", "Un partenariat fondé sur une tutelle",
                            "Des objectifs communs imposés", "Une aide ponctuelle"),
     _single(NEUTRAL, "Un partenariat fondé sur des objectifs communs", "Une tutelle", "Un décret imposé", "Une aide ponctuelle")),
    ("elimination", _single("Selon le Guide Tanmia, quel critère manque ?", "La co-élaboration des objectifs",
                            "Un noyau mobilisateur (Remion, 1988)", "Des responsabilités comparables (Hamzaoui)",
                            "L'intérêt mutuel selon Pelletier"),
     _single("Selon le Guide Tanmia, quel critère manque ?", "La co-élaboration des objectifs",
             "Un noyau mobilisateur", "Des responsabilités comparables", "L'intérêt mutuel")),
    ("linking", _q("ordonner", "Remettez ces étapes dans l'ordre.", steps=STEPS_CUE),
     _q("ordonner", "Remettez ces étapes dans l'ordre.", steps=STEPS_NONE)),
    ("linking", _q("ordonner", "Remettez ces étapes dans l'ordre.",
                   steps=("Une association repère un besoin", "Elle réunit des partenaires", "Enfin, ils évaluent l'action")),
     _q("ordonner", "Remettez ces étapes dans l'ordre.",
        steps=("Une association repère un besoin", "Une commune réunit des partenaires", "Une fédération évalue l'action"))),
    ("stem-order", _q("ordonner", "On part du diagnostic, on signe la convention, on finit par l'évaluation : ordonnez.",
                      steps=ORDER_STEPS),
     _q("ordonner", "Remettez ces étapes dans l'ordre.", steps=ORDER_STEPS)),
]


@pytest.mark.parametrize(("name", "cue", "control"), CASES, ids=[f"{c[0]}-{c[1].type}-{i}" for i, c in enumerate(CASES)])
def test_strategy_solves_its_cue_and_not_the_control(name: str, cue: Question, control: Question) -> None:
    """Each strategy answers right an item built on its cue, and does no better than chance once the cue is gone."""
    solved, missed = examinee.score_item(cue), examinee.score_item(control)
    assert solved.scores[name] == 1.0 > solved.scores["chance"]
    assert missed.scores[name] <= missed.scores["chance"] + 1e-9


def test_display_order_solves_only_an_item_shown_in_order() -> None:
    """« display-order » keeps the shown order: right when the steps are shown in order, not when they are not."""
    item = Item("ordonner", "Remettez dans l'ordre.", STEPS_NONE)
    answers = examinee.display_order(item)
    assert examinee.expected(item, (0, 1, 2), answers) == 1.0
    assert examinee.expected(item, (2, 0, 1), answers) == 0.0
    assert examinee.expected(item, (2, 0, 1), answers, partial=True) == 0.5  # the pair 0→1 is kept


def test_convergence_ties_options_with_the_same_words() -> None:
    """Two options with the same words are equally « like the others » in every shown order (no float-noise winner)."""
    same = ("Ils divergent : un réseau pour le Diaporama Réseau et territoire, un partenariat pour la Note de synthèse",
            "Ils divergent : un partenariat pour le Diaporama Réseau et territoire, un réseau pour la Note de synthèse")
    others = ("Ils s’accordent : un partenariat, puisqu’un contrat lie les deux structures",
              "Ils s’accordent : un réseau, faute d’objet commun")
    for order in itertools.permutations((*same, *others)):
        answers = examinee.convergence(Item("single", NEUTRAL, order))
        assert answers is not None and sorted(order[a[0]] for a in answers) == sorted(same), order


def _tied(kind: str) -> Question:
    """An item of each type that gives no cue."""
    return {"single": _single(NEUTRAL, *(_words(20),) * 4),
            "truefalse": _tf("Une affirmation.", True),
            "multiple": _multiple(NEUTRAL, (_words(20), _words(20)), (_words(20),) * 3),
            "fill": _q("fill", "Le mot ____ manque.", answers=("coopération",)),
            "associer": _q("associer", MATCH_STEM, pairs=PAIRS_NONE, distractors=("Calendrier",)),
            "ordonner": _q("ordonner", "Ordonnez.", steps=("Un", "Deux", "Trois", "Quatre"))}[kind]


@pytest.mark.parametrize(("kind", "ok", "partial"), [
    ("single", 1 / 4, 1 / 4), ("truefalse", 1 / 2, 1 / 2), ("multiple", 1 / 31, 1 / 31), ("fill", 0.0, 0.0),
    ("associer", 1 / 64, 1 / 4), ("ordonner", 1 / 24, 1 / 4)])
def test_chance_by_type(kind: str, ok: float, partial: float) -> None:
    """Chance matches hand-computed values.

    1 of 4 options; 1 of 2; 1 of the 31 non-empty sets of 5 boxes; no word; 3 lists of 4 options (1/4³ wholly
    right, 1/4 per pair); 4 steps (1/4! wholly right, 1/4 of the adjacent pairs).
    """
    q = _tied(kind)
    assert examinee.chance(examinee.shown(q)) == pytest.approx(ok)
    assert examinee.chance(examinee.shown(q), partial=True) == pytest.approx(partial)


@pytest.mark.parametrize("kind", ["single", "truefalse", "multiple", "associer", "ordonner"])
@pytest.mark.parametrize("partial", [False, True])
def test_chance_is_the_mean_over_every_answer(kind: str, partial: bool) -> None:
    """Chance equals the site's score averaged over every answer a learner can give (each box set, order, pairing)."""
    q = _tied(kind)
    item, key = examinee.shown(q), examinee.key_of(q)
    k = len(item.options)
    every: list[tuple[int, ...]] = {
        "single": [(i,) for i in range(k)], "truefalse": [(i,) for i in range(k)],
        "multiple": [c for r in range(1, k + 1) for c in itertools.combinations(range(k), r)],
        "associer": list(itertools.product(range(k), repeat=len(item.lefts))),
        "ordonner": list(itertools.permutations(range(k)))}[kind]
    assert examinee.expected(item, key, every, partial) == pytest.approx(examinee.chance(item, partial))
    assert math.isclose(examinee.expected(item, key, None, partial), examinee.chance(item, partial))


def _keys(q: Question) -> list[Question]:
    """The same question with the key moved to each option (or each set of as many options) in turn."""
    right = sum(c.correct for c in q.choices)
    return [replace(q, choices=tuple(Choice(c.text, i in chosen) for i, c in enumerate(q.choices)))
            for chosen in itertools.combinations(range(len(q.choices)), right)]


def test_combination_never_reads_the_key() -> None:
    """No strategy nor the combination can use the key.

    Over the real bank, moving the key leaves what the examinee sees unchanged; on single-answer and true/false
    items, averaged over every place the key could take, each strategy and the combination score exactly chance.
    """
    bank = quizbank.load_bank()
    every = {**examinee.STRATEGIES, "combination": examinee.combination}
    checked = 0
    for q in (q for quiz in bank.values() for q in quiz.questions if q.type in ("single", "multiple", "truefalse")):
        variants = _keys(q)
        assert len(variants) > 1 and {examinee.shown(v) for v in variants} == {examinee.shown(q)}
        if q.type == "multiple":
            continue
        for name, strategy in every.items():
            answers = strategy(examinee.shown(q))
            scores = [examinee.expected(examinee.shown(v), examinee.key_of(v), answers) for v in variants]
            assert sum(scores) / len(scores) == pytest.approx(examinee.chance(examinee.shown(q))), (q.id, name)
            checked += 1
    assert checked > 50 * len(every)


def test_moving_the_key_off_the_cue_loses_the_point() -> None:
    """The combination follows the cue: the key on the cued option scores 1, moved to a distractor it scores 0."""
    cue = next(c[1] for c in CASES if c[0] == "overlap")  # the key repeats the stem's words
    assert examinee.score_item(cue).scores["combination"] == 1.0
    moved = replace(cue, choices=tuple(Choice(c.text, i == 1) for i, c in enumerate(cue.choices)))
    assert examinee.score_item(moved).scores["combination"] == 0.0


@pytest.mark.parametrize("name", ["overlap", "hedge", "agreement", "elimination", "linking"])
def test_combination_uses_every_cue(name: str) -> None:
    """The combination solves the items built on each content cue."""
    for strategy, cue, _ in CASES:
        if strategy == name:
            assert examinee.score_item(cue).scores["combination"] == 1.0, cue.question


def test_gate() -> None:
    """The gate fails a quiz that cues give away and passes one whose items give no cue."""
    cued = Quiz("made-up", SOURCE, tuple(replace(c[1], id=f"cue-{i}") for i, c in enumerate(CASES) if c[0] == "longest"
                                         or c[0] == "hedge"))
    plain = Quiz("made-up", SOURCE, tuple(replace(_tied(kind), id=f"plain-{kind}")
                                          for kind in ("single", "truefalse", "multiple", "fill", "associer", "ordonner")))
    assert not examinee.gate(cued)
    assert examinee.gate(plain)
    score = examinee.score_quiz(plain)
    assert score.mean("combination") == pytest.approx(score.mean("chance"))


def test_report_lists_every_quiz_and_item() -> None:
    """`python -m scripts.checks.examinee --items` exits 0 and reports every quiz of the bank (a column each) and every item."""
    proc = subprocess.run([sys.executable, "-m", "scripts.checks.examinee", "--items"], cwd=course.ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    header, *rest = proc.stdout.splitlines()
    bank = quizbank.load_bank()
    assert sorted(header.split()[3:]) == sorted(quiz.lesson[:12] for quiz in bank.values())
    for row in ("chance", *examinee.STRATEGIES, "combination", "gate (chance+10)"):
        assert any(line.startswith(row + " ") for line in rest), row
    for quiz in bank.values():
        assert quiz.lesson in rest
        for q in quiz.questions:
            if q.written:  # a written answer has no key to guess: the examinee leaves it out
                assert not any(f" {q.id} " in line for line in rest), q.id
                continue
            assert any(f"{q.source}:{q.line} {q.id} " in line for line in rest), q.id


# ---------------------------------------------------------------- the course's own bank
BANK = quizbank.load_bank()


@pytest.mark.parametrize("lesson", sorted(BANK, key=lambda lesson: (lesson != quizbank.FINAL, lesson)))
def test_bank_quiz_is_not_passed_by_reading_cleverly(lesson: str) -> None:
    """On the final and every lesson quiz, the best strategy and the combination score at most chance + 10 points.

    The figures are those `python -m scripts.checks.examinee` prints; `--items` names the items each strategy solves.
    """
    score = examinee.score_quiz(BANK[lesson])
    best, combined, chance = score.best, score.mean("combination"), score.mean("chance")
    solved = [f"{i.question.source}:{i.question.line} {i.question.id}: {', '.join(i.beaten())}"
              for i in score.items if i.beaten()]
    assert score.passes, (f"{lesson}: best strategy « {best[0]} » {best[1]:.0%}, combination {combined:.0%}, "
                          f"chance {chance:.0%} (at most chance + {examinee.GATE_MARGIN:.0%}); items a strategy "
                          "solves:\n" + "\n".join(solved))
