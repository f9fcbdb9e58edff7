"""Item statistics of the final assessment (issue 27, item 4): ``docs/assets/javascripts/stats.js`` run under Node.

Response sets are simulated here with a seeded generator and known properties (a Rasch model with known item
difficulties, pure chance, a constant item); the script's figures are checked against them and, for one small set,
against values computed by hand.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

STATS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "javascripts" / "stats.js"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs the statistics script")

RUNNER = """
require(process.argv[1]);
const NS = globalThis.Partenariat;
let input = "";
process.stdin.on("data", (d) => { input += d; });
process.stdin.on("end", () => {
  const job = JSON.parse(input);
  const out = job.call === "reliability" ? NS.stats.reliability(job.matrix) : NS.stats.analyse(job.attempts, job.options);
  process.stdout.write(JSON.stringify(out));
});
"""


def run(job: dict[str, Any]) -> Any:
    """The script's answer to ``job`` (``{"call": "reliability", "matrix"}`` or ``{"call": "analyse", ...}``)."""
    proc = subprocess.run(["node", "-e", RUNNER, str(STATS)], input=json.dumps(job), capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def rasch(seed: int, learners: int, difficulties: list[float], ability_sd: float) -> list[list[int]]:
    """0/1 responses drawn from a Rasch model: P(right) = 1 / (1 + exp(difficulty − ability))."""
    rng = random.Random(seed)
    rows = []
    for _ in range(learners):
        theta = rng.gauss(0, ability_sd)
        rows.append([1 if rng.random() < 1 / (1 + math.exp(b - theta)) else 0 for b in difficulties])
    return rows


def ranks(values: list[float]) -> list[float]:
    """Ranks (1-based, ties get their mean rank)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for m in range(i, j + 1):
            out[order[m]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (Pearson's r of the ranks)."""
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    return sxy / math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))


def attempts_of(rows: list[list[int]], form: str = "A") -> list[dict[str, Any]]:
    """Attempts as the group page gives them to the script: one form, every item answered."""
    ids = [f"q{j}" for j in range(len(rows[0]))]
    return [{"form": form, "questions": ids, "scores": dict(zip(ids, row, strict=True))} for row in rows]


def test_rasch_responses_give_back_the_difficulty_order_and_a_high_kr20() -> None:
    """Rasch responses give back the difficulty order and a high KR-20.

    40 items of known Rasch difficulty, 300 learners (ability sd 1.5): the share right orders the items as their
    difficulties do (Spearman ≥ 0.9, harder items less often right) and KR-20 is above 0.7, with a finite SEM.
    """
    rng = random.Random(27)
    difficulties = [rng.uniform(-2.5, 2.5) for _ in range(40)]
    rows = rasch(2027, 300, difficulties, 1.5)
    result = run({"call": "analyse", "attempts": attempts_of(rows), "options": {"minN": 10}})
    shares = [result["items"][f"q{j}"]["difficulty"] for j in range(40)]
    assert spearman([-b for b in difficulties], shares) >= 0.9
    (form,) = result["forms"]
    rel = form["reliability"]
    assert (form["n"], form["k"], rel["method"]) == (300, 40, "KR-20")
    assert rel["value"] > 0.7
    assert 0 < rel["sem"] < rel["sd"]
    # under a Rasch model every item discriminates: none falls under the 0.2 flag
    assert all(result["items"][f"q{j}"]["discrimination"] > 0.2 for j in range(40)), result["items"]


def test_random_responses_give_reliability_near_zero() -> None:
    """Learners answering 40 items by a coin toss: KR-20 near 0 (|KR-20| < 0.15).

    KR-20 of pure chance spreads with a standard deviation of about √(2k / ((k − 1)(n − 2))): 0.08 for 300 learners
    (|KR-20| ≥ 0.15 in about 1 seed in 10), 0.03 for 2,000, where 0.15 is 4.5 standard deviations away.
    """
    rng = random.Random(7)
    rows = [[rng.randint(0, 1) for _ in range(40)] for _ in range(2000)]
    rel = run({"call": "reliability", "matrix": rows})
    assert rel["method"] == "KR-20"
    assert abs(rel["value"]) < 0.15


def test_kr20_alpha_and_sem_match_hand_computation() -> None:
    """KR-20, alpha and the SEM equal values computed by hand.

    A 4 × 3 set: totals 3, 2, 1, 0 (variance 1.25), item p = .75, .5, .25 (Σpq = .625): KR-20 = 3/2 × (1 − .625/1.25)
    = 0.75; SEM = √1.25 × √.25. With a half-credit item the method is Cronbach's alpha: items [1, 1, 1, 0],
    [1, .5, 0, 0], [1, 1, 0, 0] → totals 3, 2.5, 1, 0.
    """
    rel = run({"call": "reliability", "matrix": [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]})
    assert rel["method"] == "KR-20"
    assert rel["value"] == pytest.approx(0.75)
    assert rel["sem"] == pytest.approx(math.sqrt(1.25) * 0.5)
    assert rel["semPct"] == pytest.approx(100 * math.sqrt(1.25) * 0.5 / 3)
    alpha = run({"call": "reliability", "matrix": [[1, 1, 1], [1, 0.5, 1], [1, 0, 0], [0, 0, 0]]})
    totals = [3, 2.5, 1, 0]

    def var(xs: list[float]) -> float:
        m = sum(xs) / len(xs)
        return sum((x - m) ** 2 for x in xs) / len(xs)

    expected = 1.5 * (1 - (var([1, 1, 1, 0]) + var([1, 0.5, 0, 0]) + var([1, 1, 0, 0])) / var(totals))
    assert alpha["method"] == "alpha"
    assert alpha["value"] == pytest.approx(expected)


def test_constant_item_has_no_discrimination_and_flags_follow_the_rules() -> None:
    """A constant item has no discrimination; low discrimination and unused distractors are flagged.

    An item everyone gets right has an undefined discrimination (null, not NaN) and no flag for it; an item
    answered against the rest of the test is flagged (discrimination < 0.2); an option nobody chose is flagged as an
    unused distractor, with the counts of the others; confident and unsure errors are counted; no flag below minN.
    """
    rng = random.Random(3)
    difficulties = [rng.uniform(-1.5, 1.5) for _ in range(12)]
    rows = rasch(11, 60, difficulties, 1.5)
    attempts = attempts_of(rows)
    for a in attempts:
        total = sum(a["scores"].values())
        a["scores"]["const"] = 1
        a["scores"]["reverse"] = 1 if total < 6 else 0  # right for weak learners, wrong for strong ones
        a["questions"] = [*a["questions"], "const", "reverse"]
        a["chosen"] = {"reverse": ["0"] if a["scores"]["reverse"] else ["1"]}
        a["confidence"] = {"reverse": "sur" if total % 2 else "pas-sur"}
    result = run({"call": "analyse", "attempts": attempts,
                  "options": {"minN": 10, "distractors": {"reverse": ["1", "2"]}}})
    const, reverse = result["items"]["const"], result["items"]["reverse"]
    assert const["discrimination"] is None
    assert const["difficulty"] == 1
    assert "discrimination" not in const["flags"]
    assert reverse["discrimination"] < 0.2
    assert reverse["flags"] == ["discrimination", "distractor"]
    wrong = sum(1 for a in attempts if not a["scores"]["reverse"])
    assert reverse["distractors"] == [{"option": "1", "count": wrong}, {"option": "2", "count": 0}]
    assert reverse["unused"] == ["2"]
    sure_wrong = sum(1 for a in attempts if not a["scores"]["reverse"] and a["confidence"]["reverse"] == "sur")
    assert (reverse["sureWrong"], reverse["unsureWrong"]) == (sure_wrong, wrong - sure_wrong)
    assert reverse["confidenceGiven"] == 60
    assert result["items"]["q0"]["confidenceGiven"] == 0
    few = run({"call": "analyse", "attempts": attempts[:5],
               "options": {"minN": 10, "distractors": {"reverse": ["1", "2"]}}})
    assert few["items"]["reverse"]["flags"] == []


def test_forms_get_their_own_reliability() -> None:
    """Each parallel form gets its own reliability; a shared item counts the learners of both.

    Two forms sharing one item: each form's reliability is computed on its own learners and items; the shared
    item's difficulty counts the learners of both forms.
    """
    rows_a = rasch(1, 80, [-1, -0.5, 0, 0.5, 1, 1.5], 1.5)
    rows_b = rasch(2, 50, [-1, 0.2, 0.4, 0.8], 1.5)
    a = [{"form": "A", "questions": ["s", "a1", "a2", "a3", "a4", "a5"],
          "scores": dict(zip(["s", "a1", "a2", "a3", "a4", "a5"], r, strict=True))} for r in rows_a]
    b = [{"form": "B", "questions": ["s", "b1", "b2", "b3"], "scores": dict(zip(["s", "b1", "b2", "b3"], r, strict=True))}
         for r in rows_b]
    result = run({"call": "analyse", "attempts": a + b})
    forms = {f["form"]: f for f in result["forms"]}
    assert (forms["A"]["n"], forms["A"]["k"], forms["B"]["n"], forms["B"]["k"]) == (80, 6, 50, 4)
    alone = run({"call": "reliability", "matrix": rows_b})
    assert forms["B"]["reliability"]["value"] == pytest.approx(alone["value"])
    shared = result["items"]["s"]
    assert shared["n"] == 130
    assert shared["difficulty"] == pytest.approx((sum(r[0] for r in rows_a) + sum(r[0] for r in rows_b)) / 130)
