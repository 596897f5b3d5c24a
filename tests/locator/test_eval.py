"""Accuracy goals on a sample of the seeded evaluation set (bench/data/locator_eval.jsonl)."""

from pathlib import Path

import pytest

from geoportal.locator.evaluation import evaluate, load_items

pytestmark = pytest.mark.django_db
EVAL = Path(__file__).resolve().parents[2] / "bench" / "data" / "locator_eval.jsonl"


def test_accuracy_goals_on_a_sample(registry):
    items = load_items(EVAL)[::2]
    stats, runs = evaluate(items)
    assert stats["landmark_ref"]["within_10"] >= 0.95, stats["landmark_ref"]
    assert stats["text_only"]["within_50"] >= 0.85, stats["text_only"]
    assert stats["all"]["confident_wrong"] < 0.02, stats["all"]
    # Ambiguous reports are flagged, with the true place among the candidates.
    assert stats["ambiguous"]["flagged_ambiguous"] >= 0.9, stats["ambiguous"]
