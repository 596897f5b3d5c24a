"""Seed the departments and the categories of issue 7 (each with its questions).

Hromadas edit them in the admin; this only creates what is missing."""

from django.db import migrations

DEPARTMENTS = [
    ("roads", "Відділ дорожнього господарства", "Roads department"),
    ("street-lighting", "Служба вуличного освітлення", "Street lighting service"),
    ("water-sewer", "КП «Водоканал»", "Water and sewer utility"),
    ("improvement", "Відділ благоустрою", "Public improvement department"),
]

POLE = {
    "name": "pole_number",
    "label_uk": "Номер на опорі (якщо видно)",
    "label_en": "Number on the pole (if visible)",
    "type": "text",
    "required": False,
}
CATEGORIES = [
    (
        "pothole",
        "Вибоїна на дорозі",
        "Pothole",
        "roads",
        "roads",
        14,
        [
            {
                "name": "size",
                "label_uk": "Розмір вибоїни",
                "label_en": "Size of the pothole",
                "type": "choice",
                "choices": ["до 30 см", "30–100 см", "понад 1 м"],
                "required": True,
            },
            {
                "name": "on_carriageway",
                "label_uk": "На проїжджій частині?",
                "label_en": "On the carriageway?",
                "type": "bool",
                "required": False,
            },
        ],
    ),
    (
        "road-surface",
        "Пошкоджене дорожнє покриття",
        "Damaged road surface",
        "roads",
        "roads",
        30,
        [
            {
                "name": "kind",
                "label_uk": "Що пошкоджено",
                "label_en": "What is damaged",
                "type": "choice",
                "choices": ["тріщини", "просідання", "колійність", "тротуар"],
                "required": False,
            },
        ],
    ),
    (
        "light-out",
        "Не світить ліхтар",
        "Street light out",
        "street-lighting",
        "lighting",
        7,
        [
            POLE,
            {
                "name": "how_many",
                "label_uk": "Скільки ліхтарів не світить",
                "label_en": "How many lights are out",
                "type": "choice",
                "choices": ["один", "кілька поспіль", "уся вулиця"],
                "required": False,
            },
        ],
    ),
    (
        "light-daytime",
        "Ліхтар світить удень",
        "Light on in daytime",
        "street-lighting",
        "lighting",
        7,
        [POLE],
    ),
    (
        "damaged-pole",
        "Пошкоджена опора",
        "Damaged pole",
        "street-lighting",
        "lighting",
        3,
        [
            POLE,
            {
                "name": "wires_down",
                "label_uk": "Обірвані дроти?",
                "label_en": "Wires down?",
                "type": "bool",
                "required": True,
            },
        ],
    ),
    (
        "manhole",
        "Відкритий або пошкоджений люк",
        "Open or broken manhole",
        "water-sewer",
        "utilities",
        2,
        [
            {
                "name": "manhole_id",
                "label_uk": "Номер на люку (якщо видно)",
                "label_en": "Number on the manhole (if visible)",
                "type": "text",
                "required": False,
            },
            {
                "name": "state",
                "label_uk": "Стан люка",
                "label_en": "State of the manhole",
                "type": "choice",
                "choices": ["відкритий", "зламана кришка", "просів"],
                "required": True,
            },
        ],
    ),
    (
        "missing-sign",
        "Відсутній дорожній знак",
        "Missing sign",
        "roads",
        "roads",
        14,
        [
            {
                "name": "sign",
                "label_uk": "Який знак",
                "label_en": "Which sign",
                "type": "text",
                "required": False,
            },
        ],
    ),
    ("other", "Інше", "Other", "improvement", "other", 30, []),
]


def seed(apps, schema_editor):
    Department = apps.get_model("reports", "Department")
    Category = apps.get_model("reports", "Category")
    deps = {}
    for code, uk, en in DEPARTMENTS:
        deps[code], _ = Department.objects.get_or_create(
            code=code, defaults={"name_uk": uk, "name_en": en}
        )
    for order, (code, uk, en, dep, group, days, questions) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "title_uk": uk,
                "title_en": en,
                "department": deps[dep],
                "group": group,
                "response_days": days,
                "questions": questions,
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
