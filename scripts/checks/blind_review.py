"""Blind review of the items' cognitive level, by someone who did not write them.

``python -m scripts.checks.blind_review export QUIZ…`` prints each item as a packet for the reviewer: the lesson's
objectives, the stem, the options as shown and the key, but never the level the author declared.
``python -m scripts.checks.blind_review apply REVIEW.json`` writes the reviewer's judgement into the bank, as
``review: {level: <reviewer's level>, agree: <same as declared>}`` on each item (the line after ``level:``); a
disputed item then counts at the lower level (``Question.counted_level``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from scripts.model import course
from scripts.model.quizbank import FINAL, LEVELS, QUIZZES, Question, load_bank


def packet(q: Question, objectives: dict[str, str]) -> str:
    """One item as the reviewer reads it: objectives, stem, options, key; no declared level."""
    lines = [f"### {q.id}", "", "Objectifs : " + " ; ".join(objectives.get(o, o) for o in q.objectives), "",
             q.stem, ""]
    if q.choices:
        lines += [f"- {q.letter(c)}. {c.text}{'  ← clé' if c.correct else ''}" for c in q.display_choices()]
    elif q.type == "fill":
        lines.append("Réponses acceptées : " + " | ".join(q.answers))
    elif q.type == "associer":
        lines += [f"- {p.left} → {p.right}" for p in q.pairs] + [f"- (sans paire) {d}" for d in q.distractors]
    elif q.type == "ordonner":
        lines += [f"{i}. {s}" for i, s in enumerate(q.steps, 1)]
    elif q.written:
        lines += ["Réponse rédigée (3 à 6 phrases). Réponse modèle : " + q.model_answer, "",
                  *[f"- Critère : {c.text}" for c in q.rubric]]
    return "\n".join(lines) + "\n"


def export(slugs: list[str]) -> str:
    """Packets for the quizzes named (all when none), with the levels to choose from."""
    bank = load_bank()
    lessons = {lesson.slug: lesson for lesson in course.load_lessons()}
    out = [f"Niveaux possibles : {', '.join(LEVELS)}. Pour chaque item, donnez le niveau qu’il exige vraiment.", ""]
    for slug in slugs or list(bank):
        quiz = bank[slug]
        for q in quiz.questions:
            names: dict[str, str] = {}
            for objective in q.objectives:
                lesson_slug, _, oid = objective.partition("/") if slug == FINAL else (slug, "", objective)
                lesson = lessons.get(lesson_slug)
                names[objective] = lesson.objectives.get(oid, objective) if lesson else objective
            out.append(packet(q, names))
    return "\n".join(out)


ITEM = re.compile(r"^(\s*)- id: ([\w-]+)\s*$")


def apply(review: dict[str, str], folder: Path = QUIZZES) -> list[str]:
    """Write ``review:`` after each reviewed item's ``level:`` line; return the ids not found."""
    bank = load_bank(folder)
    declared = {q.id: q.level for quiz in bank.values() for q in quiz.questions}
    missing = [qid for qid in review if qid not in declared]
    for path in sorted(folder.glob("*.yml")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        current, out = "", []
        for line in lines:
            item = ITEM.match(line)
            if item:
                current = item.group(2)
            if current in review and re.match(r"^\s+review:", line):
                continue  # replaced below
            out.append(line)
            level = re.match(r"^(\s+)level:", line)
            if level and current in review:
                judged = review[current]
                if judged not in LEVELS:
                    raise ValueError(f"{current}: level {judged!r} is not one of {', '.join(LEVELS)}")
                agree = "true" if judged == declared[current] else "false"
                out.append(f"{level.group(1)}review: {{level: {judged}, agree: {agree}}}\n")
        path.write_text("".join(out), encoding="utf-8")
    return missing


def main(argv: list[str] | None = None) -> int:
    """Command line: export packets or apply a review."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("export").add_argument("quizzes", nargs="*")
    sub.add_parser("apply").add_argument("review", type=Path)
    args = parser.parse_args(argv)
    if args.command == "export":
        sys.stdout.write(export(args.quizzes))
        return 0
    missing = apply(json.loads(args.review.read_text(encoding="utf-8")))
    for qid in missing:
        print(f"{args.review}: no item {qid!r} in the bank", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
