"""Extra questions of a category and the appeal deadline (no HTTP, no DB)."""

from datetime import UTC, datetime

from geoportal.reports.questions import appeal_deadline, validate_answers

QUESTIONS = [
    {"name": "pole_number", "label_uk": "Номер опори", "type": "text", "required": True},
    {"name": "lamp", "label_uk": "Лампа", "type": "choice", "choices": ["LED", "ДНаТ"]},
    {"name": "dangerous", "label_uk": "Небезпечно", "type": "bool"},
]


def test_valid_answers_are_cleaned():
    clean, errors = validate_answers(
        QUESTIONS, {"pole_number": " 12 ", "lamp": "LED", "dangerous": "так"}
    )
    assert errors == {}
    assert clean == {"pole_number": "12", "lamp": "LED", "dangerous": True}


def test_errors_per_question():
    _, errors = validate_answers(QUESTIONS, {"lamp": "xenon", "dangerous": "maybe", "x": 1})
    assert set(errors) == {"pole_number", "lamp", "dangerous", "x"}


def test_long_text_rejected():
    _, errors = validate_answers(QUESTIONS, {"pole_number": "a" * 100_000})
    assert "pole_number" in errors


def test_deadline_30_days_default_15_if_category_says():
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert appeal_deadline(t).day == 31
    assert appeal_deadline(t, 15).day == 16
