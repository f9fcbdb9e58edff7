"""The trainers' correction of the final assessment (issue 27, items 2 and 4) on « Suivi du groupe ».

Reports are made here from the question bank: each learner's form, a right or wrong answer per question decided
by a seeded plan, so that the expected score of each learner is counted here, not by the page. Codes are checked
with the publisher's public key in Python (``cryptography``), independently of the browser.
"""

from __future__ import annotations

import base64
import json
import math
import random
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from scripts.build import seal
from scripts.model import quizbank
from tests.test_a11y import run_axe

pytestmark = pytest.mark.browser

FINAL = "evaluation-finale"


def half_up(x: float) -> int:
    """Rounded as the page and the learner's edition round (JavaScript's Math.round: halves up, not to even)."""
    return math.floor(x + 0.5)


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _right(q: quizbank.Question) -> list[str]:
    """The values a right answer stores (choice places in YAML order, a fill-in in accent-free capitals, etc.)."""
    if q.type in ("single", "multiple", "truefalse"):
        return [str(i) for i, c in enumerate(q.choices) if c.correct]
    if q.type == "fill":
        return [q.answers[0].upper().replace("é", "e").replace("É", "E") + " "]  # folded like the lesson pages
    if q.type == "associer":
        return [p.right for p in q.pairs]
    if q.type == "ordonner":
        return [str(i) for i in range(len(q.steps))]
    raise AssertionError(q.type)


def _wrong(q: quizbank.Question, rng: random.Random) -> list[str]:
    """The values of a wrong answer: a wrong choice, an incomplete multiple answer, two pairs or steps swapped."""
    right = _right(q)
    if q.type in ("single", "truefalse"):
        return [rng.choice([str(i) for i, c in enumerate(q.choices) if not c.correct])]
    if q.type == "multiple":
        return right[1:]  # every box right, one left out: wrong
    if q.type == "fill":
        return ["rien à voir"]
    return [right[1], right[0], *right[2:]]


def _form(bank: quizbank.Quiz, ids: list[str]) -> list[quizbank.Question]:
    by_id = {q.id: q for q in bank.questions}
    return [by_id[i] for i in ids]


def _reports(tmp: Path, bank: quizbank.Quiz) -> tuple[list[Path], dict[str, dict[str, Any]], dict[str, list[str]]]:
    """Report files, what each learner's result must be, and the two forms (disjoint halves of the pool).

    Form A goes to 12 learners (first attempts), form B to 3, and one learner hands in a second attempt on form B;
    one report has no final, one a question this edition does not know. The first question of form A is right for
    everyone (a constant item); each learner's ability decides how many others are right.
    """
    rng = random.Random(2711)
    auto = [q.id for q in bank.questions if q.type in ("single", "multiple", "truefalse", "fill", "associer", "ordonner")]
    forms = {"A": auto[0::2][:16], "B": auto[1::2][:16]}
    names = ["Anaïs", "Bérénice", "Cédric", "Daphné", "Élodie", "François", "Gaëlle", "Hélène", "Inès", "Jérôme",
             "Kévin", "Léa", "Maël", "Noé", "Océane", "Pénélope"]
    plan = [("A", 1)] * 12 + [("B", 1)] * 3 + [("B", 2)]
    files, expected = [], {}
    for index, (name, (form, n)) in enumerate(zip(names, plan, strict=True)):
        learner, attempt = str(uuid.uuid4()), str(uuid.uuid4())
        ability = rng.random()
        answers, items = {}, ""
        for position, q in enumerate(_form(bank, forms[form])):
            right = (form == "A" and position == 0) or rng.random() < ability
            if not right and rng.random() < 0.1:
                items += "0"  # left unanswered: counts wrong
                continue
            answers[q.id] = {"response": _right(q) if right else _wrong(q, rng),
                             "confidence": rng.choice(["sur", "pas-sur"]), "t": 1_700_000_000_000 + position}
            items += "1" if right else "0"
        expected[name] = {"learner": learner, "attempt": attempt, "form": form, "n": n, "items": items,
                          "right": items.count("1"), "total": len(items)}
        files.append(_write(tmp, f"releve-{index:02d}.json", name, learner,
                            {"attempt": attempt, "n": n, "form": form, "questions": forms[form], "answers": answers}))
    files.append(_write(tmp, "sans-finale.json", "Quentin", str(uuid.uuid4()), None))
    files.append(_write(tmp, "autre-version.json", "Rémi", str(uuid.uuid4()),
                        {"attempt": str(uuid.uuid4()), "n": 1, "form": "Z", "questions": ["question-disparue"], "answers": {}}))
    return files, expected, forms


def _write(tmp: Path, file: str, name: str, learner: str, final: dict[str, Any] | None) -> Path:
    report: dict[str, Any] = {"name": name, "learnerId": learner}
    if final:
        report["final"] = final
    doc = {"schema": "partenariat-progress", "version": 2, "course": "partenariat", "reset": 0,
           "exported": "2030-01-01T10:00:00.000Z",
           "buckets": {"answers": {}, "profile": {"name": {"value": name, "t": 1}, "learner": {"value": learner, "t": 1}}},
           "report": report}
    path = tmp / file
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _verify(code: str, public_jwk: dict[str, Any]) -> dict[str, Any]:
    """The payload of ``code`` once its ECDSA P-256 signature (r||s) checks with the public key; raises otherwise."""
    head, sig = code.split(".")
    raw = _b64decode(sig)
    assert len(raw) == 64, "IEEE P1363 r||s, 32 bytes each"
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    numbers = ec.EllipticCurvePublicNumbers(int.from_bytes(_b64decode(public_jwk["x"]), "big"),
                                            int.from_bytes(_b64decode(public_jwk["y"]), "big"), ec.SECP256R1())
    numbers.public_key().verify(der, head.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    return json.loads(_b64decode(head))


ANGOFF_SCRIPT = """(angoff) => document.addEventListener("DOMContentLoaded", () => {
    const block = document.getElementById("groupe-final-key");
    if (!block) return;  // another frame (the search iframe, from disk)
    const key = JSON.parse(block.textContent);
    for (const [qid, value] of Object.entries(angoff)) key.items[qid].angoff = value;
    block.textContent = JSON.stringify(key);
})"""


def _with_angoff(page: Any, angoff: dict[str, float]) -> None:
    """Angoff estimates added to some items of the page's key before its scripts read it (the pool may lack them).

    An init script, not a rewritten response: Chromium treats a page served by a test's route as public and then
    refuses it the loopback scripts the audit loads.
    """
    page.add_init_script(f"({ANGOFF_SCRIPT})({json.dumps(angoff)})")


@pytest.mark.parametrize(("width", "mode"), [(360, "http"), (1280, "http"), (360, "file"), (1280, "file")])
def test_group_page_scores_finals_signs_codes_and_shows_statistics(browser: Any, server: str, site: Path,
                                                                    tmp_path: Path, width: int, mode: str) -> None:
    """Sixteen reports and two faulty ones on the group page, at phone and desktop width, online and from disk.

    Each learner's score, pass mark and result match the counts made here (form A's pass mark from Angoff
    estimates added to its items, form B's from the quiz's pass mark); each code verifies with the public key and
    its payload names that learner, attempt, form, result and the explanations' key; a code altered to name another
    learner fails; « Copier le code » copies it; the report without a final and the one with an unknown question
    are named; the statistics count first attempts only, give each form's reliability, show the constant item's
    discrimination as not computable (no NaN anywhere) and flag items by the rules; the learners' table's final
    column shows the same scored result; axe finds nothing.
    """
    bank = quizbank.load_bank()[FINAL]
    files, expected, forms = _reports(tmp_path, bank)
    keys = seal.load_or_create()
    rng = random.Random(5)
    angoff = {qid: round(rng.uniform(0.4, 0.9), 2) for qid in forms["A"]}
    pass_a = half_up(100 * sum(angoff.values()) / len(angoff))
    form_b = _form(bank, forms["B"])  # the pool's own estimates, or the quiz's pass mark where one lacks
    pass_b = (half_up(100 * sum(q.angoff or 0 for q in form_b) / len(form_b))
              if all(q.angoff is not None for q in form_b) else bank.pass_mark or 70)
    context = browser.new_context(viewport={"width": width, "height": 900})
    if mode == "http":
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = server if mode == "http" else (site.resolve().as_uri() + "/")
    _with_angoff(page, angoff)
    page.goto(base + "formateurs/groupe.html")
    page.set_input_files("#groupe-files", [str(f) for f in files])
    page.wait_for_selector("#groupe-final-host[data-signed='true']")
    rows = page.locator("#groupe-final tbody tr")
    assert rows.count() == 16
    problems = page.locator("#groupe-final-host .pt-group-rejected").text_content() or ""
    assert "Rémi\u00a0: question «\u00a0question-disparue\u00a0» inconnue de cette édition" in problems
    assert "1 relevé sans évaluation finale remise" in (page.locator("#groupe-final-host > p").first.text_content() or "")
    today = date.today().isoformat()
    codes = {}
    for name, want in expected.items():
        row = page.locator(f"#groupe-final tr[data-learner='{want['learner']}']")
        mark = pass_a if want["form"] == "A" else pass_b
        score = half_up(100 * want["right"] / want["total"])
        assert row.locator("th").first.text_content().startswith(name)
        assert row.locator("[data-col='score']").text_content() == f"{want['right']} / {want['total']} soit {score}\u00a0%", name
        assert row.locator("[data-col='pass']").text_content() == f"{mark}\u00a0%", name
        assert row.locator("[data-col='result']").text_content() == ("réussie" if score >= mark else "non réussie"), name
        code = row.locator("input.pt-final-code").input_value()
        payload = _verify(code, keys.public_jwk)
        assert payload == {"v": 1, "learner": want["learner"], "attempt": want["attempt"], "form": want["form"],
                           "score": score, "passed": score >= mark, "passMark": mark, "items": want["items"],
                           "k": base64.urlsafe_b64encode(keys.explanations_key).decode().rstrip("="), "issued": today}
        codes[name] = code
        # The learners' table's « Évaluation finale » column gives the same trainer-scored result.
        cell = page.locator("#groupe-table tbody tr", has=page.locator("th", has_text=name)).locator("[data-col='final']")
        trial = f", essai n°\u00a0{want['n']}" if want["n"] > 1 else ""
        assert cell.text_content() == (f"{score}\u00a0% — {'réussie' if score >= mark else 'non réussie'} "
                                       f"(corrigée ici, forme {want['form']}{trial})"), name
    # A code bound to learner A, edited to name learner B, no longer verifies.
    head, sig = codes["Anaïs"].split(".")
    forged = json.loads(_b64decode(head))
    forged["learner"] = expected["Bérénice"]["learner"]
    forged_head = base64.urlsafe_b64encode(json.dumps(forged, separators=(",", ":")).encode()).decode().rstrip("=")
    with pytest.raises(InvalidSignature):
        _verify(forged_head + "." + sig, keys.public_jwk)
    # Copy a code (the clipboard is readable in the test on http; from disk the page says what it did).
    first = page.locator("#groupe-final tbody tr").first
    first.locator("button.pt-final-copy").click()
    message = page.locator("#groupe-final-message")
    page.wait_for_function("document.getElementById('groupe-final-message').textContent !== ''")
    name = (first.locator("th").first.text_content() or "").split("Détail")[0]
    if mode == "http":
        assert page.evaluate("navigator.clipboard.readText()") == codes[name]
        assert (message.text_content() or "").startswith(f"Code de {name} copié\u00a0:")
    # Per-question detail of one learner.
    anais = page.locator(f"#groupe-final tr[data-learner='{expected['Anaïs']['learner']}']")
    anais.locator("summary").click()
    marks = anais.locator("details li").evaluate_all("ls => ls.map(l => l.classList.contains('is-right') ? '1' : '0')")
    assert "".join(marks) == expected["Anaïs"]["items"]
    # Statistics: first attempts only (15), one line of reliability per form, no NaN anywhere.
    stats = page.locator("#groupe-stats-host").text_content() or ""
    assert "(15 apprenants)" in stats and "1 relevé d’un essai suivant" in stats
    reliability = page.locator("#groupe-reliability li").all_text_contents()
    assert [r.split("\u00a0:")[0] for r in reliability] == ["Forme «\u00a0A\u00a0» (12 apprenants, 16 questions)",
                                                             "Forme «\u00a0B\u00a0» (3 apprenants, 16 questions)"]
    assert "NaN" not in (page.locator("#groupe").text_content() or "")
    constant = page.locator(f"#groupe-stats tr[data-qid='{forms['A'][0]}']")
    assert constant.locator("[data-col='difficulty']").text_content() == "100\u00a0%"
    assert constant.locator("[data-col='discrimination']").text_content().startswith("non calculable")
    for qid in forms["B"]:
        assert page.locator(f"#groupe-stats tr[data-qid='{qid}'] [data-col='flags']").text_content() == \
            "trop peu de réponses pour juger"
    flagged = page.locator("#groupe-stats tr.is-flagged")
    for i in range(flagged.count()):
        tr = flagged.nth(i)
        for flag in tr.locator("[data-flag]").evaluate_all("ps => ps.map(p => p.dataset.flag)"):
            if flag == "discrimination":
                value = (tr.locator("[data-col='discrimination']").text_content() or "").replace(",", ".")
                assert float(value) <= 0.2  # shown to two decimals: 0.195 ≤ d < 0.2 reads « 0,20 »
            else:
                assert "\u00a0: 0" in (tr.locator("[data-col='distractors']").text_content() or "")
    if width == 1280 and mode == "http":
        violations = run_axe(page, "formateurs/groupe.html, finals corrected")
        assert not violations, "\n".join(violations)
    assert not errors, errors
    context.close()


def test_private_key_is_on_the_group_page_only(site: Path) -> None:
    """The private signing key is on the trainers' group page and in no other page, script or search index."""
    keys = seal.load_or_create()
    private = keys.private_jwk["d"]
    holders = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".json")
               and private in p.read_text(encoding="utf-8", errors="replace")]
    assert holders == ["formateurs/groupe.html"]
    assert "groupe-final-key" in (site / "formateurs" / "groupe.html").read_text(encoding="utf-8")


def _sealed_right(q: quizbank.Question) -> list[str]:
    """A right answer as a learners' edition stores it: choices and ordering steps by their place as shown."""
    if q.type in ("single", "multiple", "truefalse"):
        return [str(i) for i, c in enumerate(q.display_choices()) if c.correct]
    if q.type == "ordonner":
        shown = q.step_order()
        return [str(shown.index(step)) for step in range(len(q.steps))]
    return _right(q)


@pytest.mark.parametrize("width", [360, 1280])
def test_group_page_scores_a_report_from_a_learners_edition(browser: Any, server: str, site: Path, tmp_path: Path,
                                                            width: int) -> None:
    """A report whose final comes from a sealed learners' edition (opaque ids, places as shown) is scored right.

    One learner answers every item of a mixed form right, another picks the first wrong choice shown: the page
    reads them back to the items' own ids and YAML places, so the first scores 100 % and the second 0 %, and the
    code names the attempt and form the learner's edition gave.
    """
    from scripts.build import sealed
    bank = quizbank.load_bank()[FINAL]
    keys = seal.load_or_create()
    picked: dict[str, quizbank.Question] = {}
    for q in bank.questions:  # one of each automatically scored type, choice types twice
        if sum(p.type == q.type for p in picked.values()) < (2 if q.choices else 1) and q.type != "redaction":
            picked[q.id] = q
    opaque = [sealed.opaque_id(keys, qid) for qid in picked]
    files, want = [], {}
    for name, right in (("Sacha", True), ("Tom", False)):
        learner, attempt = str(uuid.uuid4()), str(uuid.uuid4())
        answers = {}
        for oid, q in zip(opaque, picked.values(), strict=True):
            if right:
                values = _sealed_right(q)
            elif q.choices:
                values = [next(str(i) for i, c in enumerate(q.display_choices()) if not c.correct)]
            elif q.type == "ordonner":
                values = [str(i) for i in range(len(q.steps))]  # the order first shown, never the right one
            elif q.type == "associer":
                values = list(reversed(_right(q)))
            else:
                values = ["reponse fausse"]
            answers[oid] = {"response": values, "confidence": "sur", "t": 1_700_000_000_000}
        want[name] = learner
        files.append(_write(tmp_path, f"scelle-{name}.json", name, learner,
                            {"attempt": attempt, "n": 1, "form": "Fscelle", "questions": opaque, "answers": answers}))
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(server + "formateurs/groupe.html")
    page.set_input_files("#groupe-files", [str(f) for f in files])
    page.wait_for_selector("#groupe-final-host[data-signed='true']")
    total = len(picked)
    for name, score in (("Sacha", 100), ("Tom", 0)):
        row = page.locator(f"#groupe-final tr[data-learner='{want[name]}']")
        right = total if score else 0
        assert row.locator("[data-col='score']").text_content() == f"{right} / {total} soit {score}\u00a0%", name
        payload = _verify(row.locator("input.pt-final-code").input_value(), keys.public_jwk)
        assert payload["learner"] == want[name] and payload["form"] == "Fscelle" and payload["score"] == score
    page.close()
