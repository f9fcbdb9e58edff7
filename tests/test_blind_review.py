"""The blind review tool: packets without the declared level, judgements written back into the bank."""

from __future__ import annotations

import shutil
from pathlib import Path

from scripts.checks import blind_review
from scripts.model import quizbank


def test_packet_shows_the_key_but_not_the_declared_level() -> None:
    """A reviewer sees stem, options and key, never the level the author declared."""
    bank = quizbank.load_bank()
    q = next(q for quiz in bank.values() for q in quiz.questions if q.type == "single")
    text = blind_review.packet(q, {})
    assert q.question.split("\n")[0][:40] in text and "← clé" in text
    assert f"level: {q.level}" not in text and "Niveau déclaré" not in text


def test_apply_writes_reviews_that_lower_a_disputed_level(tmp_path: Path) -> None:
    """apply() adds review lines after level:, agree when levels match, and a disputed item counts lower."""
    folder = tmp_path / "quizzes"
    shutil.copytree(quizbank.QUIZZES, folder)
    bank = quizbank.load_bank(folder)
    high = next(q for quiz in bank.values() for q in quiz.questions if q.level in ("appliquer", "analyser"))
    other = next(q for quiz in bank.values() for q in quiz.questions if q.id != high.id)
    review = {high.id: "se souvenir", other.id: other.level, "pas-un-item": "comprendre"}
    assert blind_review.apply(review, folder) == ["pas-un-item"]
    assert blind_review.apply({high.id: "se souvenir"}, folder) == []  # applied twice: one review line, not two
    after = {q.id: q for quiz in quizbank.load_bank(folder).values() for q in quiz.questions}
    assert after[high.id].review_agree is False and after[high.id].counted_level == "se souvenir"
    assert after[other.id].review_agree is True and after[other.id].counted_level == other.level
