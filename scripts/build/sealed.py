"""The final assessment sealed in the learners' editions, and its parallel forms (issues 26 and 27).

A learners' edition (``extra.sealed_final``, set by ``export_lms.learner_config``: published site, learner zip,
SCORM package) gets the final's questions without their key: no ``data-correct``, ``data-accept``, ``data-answer``,
no per-choice feedback, the explanation encrypted with the publisher's AES key (``seal.Keys.encrypt``), and choices
and steps valued by their place in the order shown (a choice's place in the YAML file gives the key away: authors
write it first more often than not). ``docs/assets/javascripts/final.js`` saves the answers in the learner's attempt;
the score comes back from the trainer as a signed correction code. The trainers' edition keeps the keys.

Parallel forms: a form is drawn from the pool by a seeded shuffle (FNV-1a 32 of the seed, then mulberry32, the
same in ``final.js``) over the objectives of the blueprint: each objective's items shuffled, objectives taken in
turn until the form is full, each slot taking the first item that keeps the form able to have the blueprint's count
of each level, then the form shuffled. Its pass mark is the items' modified-Angoff estimates' mean
× 100, rounded.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from itertools import product
from typing import Any

import lxml.html
from lxml import etree

from scripts.build import seal
from scripts.model import quizbank

NBSP = "\u00a0"
FINAL = "evaluation-finale"
ANGOFF_ABSENT = 0.6  # an item without an estimate (the pool before its Angoff review): tests of that case only
KEY_ATTRIBUTES = ("data-correct", "data-accept", "data-answer", "data-show-correct")
CONFIDENCE = (("sur", "Sûr"), ("pas-sur", "Pas sûr"))


# ---------------------------------------------------------------- forms


def _fnv1a(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _mulberry32(seed: int) -> Callable[[], float]:
    """The PRNG final.js uses, bit for bit (32-bit unsigned arithmetic)."""
    state = [seed & 0xFFFFFFFF]

    def imul(a: int, b: int) -> int:
        return (a * b) & 0xFFFFFFFF

    def draw() -> float:
        state[0] = (state[0] + 0x6D2B79F5) & 0xFFFFFFFF
        a = state[0]
        t = imul(a ^ (a >> 15), 1 | a)
        t = ((t + imul(t ^ (t >> 7), 61 | t)) & 0xFFFFFFFF) ^ t
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return draw


def _shuffle(items: list[Any], rand: Callable[[], float]) -> list[Any]:
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = int(rand() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def form_size(quiz: quizbank.Quiz) -> int:
    """How many items one learner answers: the pool's ``form_size``, or the whole pool when it has none."""
    size = getattr(quiz, "form_size", None)
    return min(int(size), len(quiz.questions)) if size else len(quiz.questions)


def _groups(quiz: quizbank.Quiz) -> dict[str, list[quizbank.Question]]:
    """The pool's items by slot (first objective), objectives and items in pool order."""
    groups: dict[str, list[quizbank.Question]] = {}
    for question in quiz.questions:
        groups.setdefault(question.objectives[0] if question.objectives else "", []).append(question)
    return groups


def _slots(sizes: dict[str, int], size: int) -> dict[str, int]:
    """How many items each objective gives a form of ``size``: one each in pool order, then further turns."""
    slots, total, turn = dict.fromkeys(sizes, 0), 0, 0
    while total < size:
        for objective, count in sizes.items():
            if turn < count and total < size:
                slots[objective] += 1
                total += 1
        turn += 1
    return slots


def shortfall(slots: dict[str, int], available: dict[str, dict[str, int]],
              targets: dict[str, int]) -> tuple[tuple[str, ...], int, int] | None:
    """The first set of levels the pool cannot give enough items of: (levels, items needed, items it can give).

    Filling ``slots`` (per objective) with exactly ``targets`` of each level, ``available[objective][level]`` items
    at most, is a transportation problem; by max-flow/min-cut it has a solution iff, for every set S of levels, the
    targets of S are at most Σ over objectives of min(its slots, its items whose level is in S).
    """
    levels = list(targets)
    masks = range(1, 1 << len(levels))
    # each set's sum built from the set without its lowest level (one addition per set, not one per level)
    lowest = [(mask & -mask).bit_length() - 1 for mask in range(1 << len(levels))]
    need = [0] * (1 << len(levels))
    supply = [0] * (1 << len(levels))
    for mask in masks:
        need[mask] = need[mask & (mask - 1)] + targets[levels[lowest[mask]]]
    for o, cap in slots.items():
        counts = [available[o].get(level, 0) for level in levels]
        items = [0] * (1 << len(levels))
        for mask in masks:
            items[mask] = items[mask & (mask - 1)] + counts[lowest[mask]]
            supply[mask] += min(cap, items[mask])
    for mask in masks:
        if need[mask] > supply[mask]:
            return tuple(level for i, level in enumerate(levels) if mask >> i & 1), need[mask], supply[mask]
    return None


def feasible(slots: dict[str, int], available: dict[str, dict[str, int]], targets: dict[str, int]) -> bool:
    """Whether items can fill ``slots`` with exactly ``targets`` of each level (see ``shortfall``)."""
    return (sum(slots.values()) == sum(targets.values()) and min(targets.values(), default=0) >= 0
            and shortfall(slots, available, targets) is None)


def levels_available(quiz: quizbank.Quiz) -> dict[str, dict[str, int]]:
    """How many items of each level (``Question.counted_level``) each objective slot has in the pool."""
    return {o: dict(Counter(q.counted_level for q in items)) for o, items in _groups(quiz).items()}


HIGHER = ("appliquer", "analyser")
HIGHER_SHARE = 0.4  # at least this share of a form asks to apply or analyse (issue 26)


# Results that depend on the pool only, kept per pool (by identity: a build reads each quiz file once).
_memo: dict[tuple[str, int], tuple[quizbank.Quiz, Any]] = {}


def _kept(name: str, quiz: quizbank.Quiz, make: Callable[[], Any]) -> Any:
    key = (name, id(quiz))
    if key not in _memo or _memo[key][0] is not quiz:
        _memo[key] = (quiz, make())
    return _memo[key][1]


def blueprint(quiz: quizbank.Quiz) -> tuple[dict[str, int], dict[str, int]]:
    """Every form's objective slots and its count of each level, fixed by the pool (computed once per pool)."""
    slots, targets = _kept("blueprint", quiz, lambda: _blueprint(quiz))
    return dict(slots), dict(targets)


def _blueprint(quiz: quizbank.Quiz) -> tuple[dict[str, int], dict[str, int]]:
    """Every form's objective slots and its count of each level (``Question.counted_level``), fixed by the pool.

    The level counts are those nearest the pool's shares scaled to the form (each within one item of its share)
    that two disjoint forms can both have, preferring counts where at least 40 % of the form applies or analyses;
    when no such counts exist, those one form can have; failing that, those of the form taking each objective's
    first items (possible by construction).
    """
    groups = _groups(quiz)
    slots = _slots({o: len(items) for o, items in groups.items()}, form_size(quiz))
    available = levels_available(quiz)
    levels = sorted({q.counted_level for q in quiz.questions},
                    key=lambda lv: (quizbank.LEVELS.index(lv) if lv in quizbank.LEVELS else len(quizbank.LEVELS), lv))
    share = {lv: sum(slots[o] * available[o].get(lv, 0) / len(groups[o]) for o in groups) for lv in levels}
    size = sum(slots.values())
    double = {o: 2 * n for o, n in slots.items()}
    candidates = []
    for counts in product(*(range(max(0, math.floor(share[lv]) - 1), math.ceil(share[lv]) + 2) for lv in levels)):
        targets = dict(zip(levels, counts, strict=True))
        if sum(counts) != size or any(abs(targets[lv] - share[lv]) >= 2 for lv in levels):
            continue
        higher = sum(targets.get(lv, 0) for lv in HIGHER)
        twice = feasible(double, available, {lv: 2 * n for lv, n in targets.items()})
        if twice or feasible(slots, available, targets):
            distance = round(sum(abs(targets[lv] - share[lv]) for lv in levels), 9)
            candidates.append((not twice, higher < HIGHER_SHARE * size, distance, counts))
    if candidates:
        return slots, dict(zip(levels, min(candidates)[3], strict=True))
    targets = dict.fromkeys(levels, 0)
    for o, items in groups.items():
        for q in items[: slots[o]]:
            targets[q.counted_level] += 1
    return slots, targets


def _pick(quiz: quizbank.Quiz, rand: Callable[[], float], slots: dict[str, int], targets: dict[str, int],
          within: Collection[str] | None = None, avoid: Collection[str] = ()) -> list[str]:
    """The items filling ``slots`` with ``targets`` of each level, in the order picked (see ``draw_form``)."""
    groups = {o: [q for q in items if within is None or q.id in within] for o, items in _groups(quiz).items()}
    objectives = _shuffle([o for o in groups if groups[o]], rand)
    shuffled = {o: _shuffle([q.id for q in groups[o]], rand) for o in objectives}
    level = {q.id: q.counted_level for q in quiz.questions}
    for o in objectives:  # a stable partition: the items to avoid last
        shuffled[o] = [q for q in shuffled[o] if q not in avoid] + [q for q in shuffled[o] if q in avoid]
    left, targets = {o: slots.get(o, 0) for o in objectives}, dict(targets)
    available = {o: dict(Counter(level[q] for q in shuffled[o])) for o in objectives}
    picked: list[str] = []
    turn = 0
    while sum(left.values()) > 0 and turn <= len(quiz.questions):  # as final.js
        for o in objectives:
            if turn >= slots.get(o, 0):
                continue
            for q in shuffled[o]:
                if q in picked:
                    continue
                left[o], available[o][level[q]], targets[level[q]] = left[o] - 1, available[o][level[q]] - 1, \
                    targets[level[q]] - 1
                if feasible(left, available, targets):
                    picked.append(q)
                    break
                left[o], available[o][level[q]], targets[level[q]] = left[o] + 1, available[o][level[q]] + 1, \
                    targets[level[q]] + 1
        turn += 1
    return picked


def draw_form(quiz: quizbank.Quiz, seed: str, avoid: Collection[str] = ()) -> list[str]:
    """The question ids of the form drawn for ``seed`` (an attempt id), in the order they are asked.

    Objectives in a seeded order, each one's items shuffled; each slot takes the first item whose level keeps the
    rest of the form able to meet the blueprint's level counts (``feasible``), so every form has the same count of
    each level. Items in ``avoid`` (another form's) are taken only when nothing else fits.
    """
    rand = _mulberry32(_fnv1a(seed))
    return _shuffle(_pick(quiz, rand, *blueprint(quiz), avoid=avoid), rand)


PRINT_FORMS = ("Forme 1", "Forme 2")


def print_forms(quiz: quizbank.Quiz) -> list[tuple[str, list[str]]]:
    """The print edition's two forms (computed once per pool)."""
    forms: list[tuple[str, list[str]]] = _kept("print_forms", quiz, lambda: _print_forms(quiz))
    return [(name, list(qids)) for name, qids in forms]


def _print_forms(quiz: quizbank.Quiz) -> list[tuple[str, list[str]]]:
    """The print edition's two forms, drawn from the fixed seed « Forme 1 »: disjoint where the pool allows.

    Both forms' items are drawn together (twice the slots, twice each level's count), then split: a bipartite
    multigraph with even degrees halves exactly, so the first form's draw among them leaves the second one the
    blueprint too. A pool too small for that gives a second form that avoids the first's items where it can.
    """
    slots, targets = blueprint(quiz)
    double = {o: 2 * n for o, n in slots.items()}, {lv: 2 * n for lv, n in targets.items()}
    if not feasible(double[0], levels_available(quiz), double[1]):
        one = draw_form(quiz, PRINT_FORMS[0])
        return [(PRINT_FORMS[0], one), (PRINT_FORMS[1], draw_form(quiz, PRINT_FORMS[1], avoid=set(one)))]
    rand = _mulberry32(_fnv1a(PRINT_FORMS[0]))
    both = _pick(quiz, rand, *double)
    one = _pick(quiz, rand, slots, targets, within=set(both))
    two = [q for q in both if q not in one]
    return [(PRINT_FORMS[0], _shuffle(one, rand)), (PRINT_FORMS[1], _shuffle(two, rand))]


def form_questions(quiz: quizbank.Quiz, qids: Sequence[str]) -> tuple[quizbank.Question, ...]:
    """The questions of a form, in its order."""
    by_id = {q.id: q for q in quiz.questions}
    return tuple(by_id[q] for q in qids)


def form_id(quiz: quizbank.Quiz, qids: Sequence[str]) -> str:
    """A short name for a form: its items' places in the pool, in their order (the same with opaque ids)."""
    places = {q.id: str(i) for i, q in enumerate(quiz.questions)}
    return f"F{_fnv1a(','.join(places[q] for q in qids)):08x}"


def opaque_id(keys: seal.Keys, qid: str) -> str:
    """The id a final item has in the learners' editions: its own id names its answer (``…-compatibles``)."""
    return "x" + hmac.new(keys.explanations_key, f"question-id:{qid}".encode(), hashlib.sha256).hexdigest()[:12]


def real_ids(keys: seal.Keys, quiz: quizbank.Quiz) -> dict[str, str]:
    """Opaque id → question id: how the trainers' edition reads a report of a learners' edition."""
    return {opaque_id(keys, q.id): q.id for q in quiz.questions}


def hide_ids(page_html: str, keys: seal.Keys, quiz: quizbank.Quiz) -> str:
    """Every final item's id in a page of a learners' edition replaced by its opaque id."""
    ids = sorted((q.id for q in quiz.questions), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, ids)))  # inside other ids too (q-<id>-blank-0), longest first
    return pattern.sub(lambda m: opaque_id(keys, m.group(0)), page_html)


def pass_mark(questions: Sequence[quizbank.Question]) -> int:
    """Modified Angoff: the mean of the items' estimates that a just-competent learner answers right, × 100."""
    estimates = [q.angoff if q.angoff is not None else ANGOFF_ABSENT for q in questions]
    # half up, as Math.round in final.js (Python's round() rounds half to even)
    return math.floor(sum(estimates) / len(estimates) * 100 + 0.5) if estimates else 0


def final_index(quiz: quizbank.Quiz, keys: seal.Keys | None) -> dict[str, Any]:
    """What final.js needs to draw a form and its pass mark: the blueprint, never a key (ids opaque when sealed)."""
    def name(qid: str) -> str:
        return opaque_id(keys, qid) if keys else qid

    slots, targets = blueprint(quiz)
    return {"sealed": keys is not None, "formSize": form_size(quiz), "questions": [name(q.id) for q in quiz.questions],
            "slots": slots, "levels": [[level, count] for level, count in targets.items()],
            "items": {name(q.id): {"objective": q.objectives[0] if q.objectives else "", "level": q.counted_level,
                             "angoff": q.angoff if q.angoff is not None else ANGOFF_ABSENT,
                             # a matching item's options as shown: SCORM's suspend_data stores an answer by its place
                             **({"options": list(q.display_options())} if q.type == "associer" else {})}
                      for q in quiz.questions}}


# ---------------------------------------------------------------- responses


def yaml_values(question: quizbank.Question, values: Sequence[str]) -> list[str]:
    """A sealed response turned into the stored form of the unsealed site (for scoring with the key).

    single, multiple, truefalse: the place of each ticked choice in the order shown → its place in the YAML file;
    ordonner: the places of the steps as first shown, in the learner's order → their YAML indexes; fill and
    associer: unchanged (the text typed, the option chosen).
    """
    if question.type in ("single", "multiple", "truefalse"):
        shown = question.display_choices()
        return [str(question.choices.index(shown[int(v)])) for v in values]
    if question.type == "ordonner":
        order = question.step_order()
        return [str(order[int(v)]) for v in values]
    return list(values)


# ---------------------------------------------------------------- sealing


def _nonce(keys: seal.Keys, text: str) -> bytes:
    """A nonce fixed by the text (so that a build is reproducible), never reused for another text."""
    return hmac.new(keys.explanations_key, text.encode("utf-8"), hashlib.sha256).digest()[:12]


def _confidence(qid: str) -> str:
    options = "".join(
        f'<label class="pt-confidence-choice"><input type="radio" name="pt-confidence-{qid}" value="{value}"> '
        f"{label}</label> " for value, label in CONFIDENCE)
    return (f'<fieldset class="pt-confidence"><legend>Êtes-vous sûr(e) de votre réponse{NBSP}?</legend>'
            f"{options}</fieldset>")


def seal_fragment(fragment: str, question: quizbank.Question, keys: seal.Keys) -> str:
    """A final question as a learner's edition ships it: no key, explanation encrypted, confidence asked."""
    tree = lxml.html.fragment_fromstring(fragment)
    quiz = tree if tree.get("data-qid") else tree.xpath(".//*[@data-qid]")[0]
    for attribute in KEY_ATTRIBUTES:
        for element in tree.xpath(f"descendant-or-self::*[@{attribute}]"):
            del element.attrib[attribute]
    for element in tree.xpath(".//*[contains(@class,'answer-feedback') or contains(@class,'pair-note')]"):
        element.drop_tree()
    for position, choice in enumerate(tree.xpath(".//fieldset//input[@name='answer']")):
        choice.set("value", str(position))
    for position, step in enumerate(tree.xpath(".//li[@data-step]")):
        step.set("data-step", str(position))
        for element in step.xpath(".//*[@id or @aria-labelledby]"):  # ids named after the YAML index
            for name in ("id", "aria-labelledby"):
                if element.get(name):
                    element.set(name, re.sub(r"-(step|up|down)-\d+", rf"-\1-s{position}", element.get(name)))
    for blank in tree.xpath(".//input[contains(@class,'quiz-blank-input')]"):
        blank.set("size", "20")  # mkdocs-quiz sizes the blank after the answer
    section = tree.xpath(".//section[contains(@class,'content')]")[0]
    explanation = "".join(etree.tostring(child, encoding="unicode", method="html") for child in section)
    explanation = (html.escape(section.text, quote=False) if section.text else "") + explanation
    section.set("data-sealed", keys.encrypt(explanation.strip(), _nonce(keys, f"{question.id}\n{explanation}")))
    for child in list(section):
        section.remove(child)
    section.text = None
    quiz.set("data-sealed-final", "")
    button = tree.xpath(".//button[contains(@class,'quiz-button')]")[0]
    button.addprevious(lxml.html.fragment_fromstring(_confidence(question.id)))
    button.text = "Enregistrer ma réponse"
    return etree.tostring(tree, encoding="unicode", method="html")


def code_box(public_jwk: dict[str, Any]) -> str:
    """Where a learner pastes the correction code the trainer gave back (checked by final.js)."""
    jwk = html.escape(json.dumps(public_jwk, separators=(",", ":")))
    return "\n".join([
        f'<form class="pt-code" data-public-jwk="{jwk}" data-search-exclude>',
        '<p><label for="pt-code-input">Code de correction remis par votre formateur</label><br>',
        '<textarea id="pt-code-input" rows="3" autocomplete="off" spellcheck="false" class="pt-code-input"></textarea></p>',
        '<p><button type="submit" class="md-button md-button--primary">Valider le code</button></p>',
        '<p class="pt-code-message" role="status" aria-live="polite"></p>',
        "</form>",
    ])


def final_rules(quiz: quizbank.Quiz, public_jwk: dict[str, Any]) -> str:
    """The final page's rules in a learners' edition: answers saved here, correction by the trainer."""
    size = form_size(quiz)
    return "\n".join([
        '!!! info "Règles de l’évaluation"',
        "",
        f"    - **{size} questions** tirées pour vous parmi {len(quiz.questions)} (un sujet par tentative{NBSP}; "
        f"un nouvel essai tire un autre sujet){NBSP};",
        f"    - une réponse par question, enregistrée dans ce navigateur et verrouillée dès qu’elle est donnée{NBSP}; "
        f"dites pour chacune si vous êtes **sûr(e)** ou **pas sûr(e)**{NBSP}; ce choix **ne change pas votre score** "
        f"(la part de réponses justes{NBSP}: le seuil, estimé en réponses justes, garde ainsi son sens), il sert à "
        f"repérer les erreurs faites avec assurance, à retravailler en premier{NBSP};",
        f"    - **la correction vient de votre formateur**{NBSP}: remettez-lui votre relevé (page [Mon parcours]"
        f"(parcours.md)), il vous rend un **code de correction** à saisir en bas de cette page ou dans "
        f"«{NBSP}Mon parcours{NBSP}»{NBSP}: votre score, le détail et les explications s’affichent alors{NBSP};",
        "    - **seuil de réussite**, propre à votre sujet, fixé par la méthode d’Angoff modifiée"
        f"{NBSP}: pour chaque question, des formateurs ont estimé la probabilité qu’un apprenant tout juste "
        f"compétent y réponde juste{NBSP}; le seuil est la moyenne de ces estimations pour les questions de votre "
        f"sujet (arrondie au pour cent){NBSP}: <span data-final=\"pass-mark\">affiché quand le sujet est tiré</span>.",
        "",
        '<div class="pt-final" id="pt-final" data-search-exclude>',
        '<p class="pt-final-state" role="status" aria-live="polite"></p>',
        '<p><button type="button" class="md-button md-button--primary" data-final="start" hidden>'
        "Commencer l’évaluation</button></p>",
        "</div>",
        "",
        f"Pour vous entraîner sans formateur, utilisez [S’entraîner](s-entrainer.md) (une série de questions des "
        f"leçons tirée au hasard), les quiz des leçons et [Revoir mes erreurs](revoir.md){NBSP}: "
        "ce sont des questions d’entraînement, qui ne donnent pas l’attestation.",
        "",
    ])


def final_end(public_jwk: dict[str, Any]) -> str:
    """After the questions: hand-in state, the code box, the results, a retake."""
    return "\n".join([
        '<div class="pt-final-end" data-search-exclude>',
        '<h2 id="correction">Votre correction</h2>',
        '<p class="pt-final-handin" role="status"></p>',
        code_box(public_jwk),
        '<div class="pt-final-results" hidden></div>',
        '<p><button type="button" class="md-button" data-final="retake" hidden>'
        "Repasser l’évaluation (nouveau sujet)</button></p>",
        "</div>",
    ])


def parcours_block(public_jwk: dict[str, Any]) -> str:
    """« Mon parcours » in a learners' edition: the final's state and where to enter the correction code."""
    return "\n".join([
        '<div class="pt-final-parcours" data-search-exclude>',
        '<h2 id="correction-finale">Correction de l’évaluation finale</h2>',
        f"<p>Votre formateur corrige l’évaluation finale à partir de votre relevé{NBSP}; il vous rend un code de "
        f"correction. Saisissez-le ici{NBSP}: il ne vaut que pour vous et pour cette tentative.</p>",
        code_box(public_jwk),
        '<div class="pt-final-results" hidden></div>',
        "</div>",
    ])
