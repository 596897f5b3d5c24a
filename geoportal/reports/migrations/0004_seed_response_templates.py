"""Seed a few response templates (edited in the admin)."""

from django.db import migrations

TEMPLATES = [
    (
        "confirmed",
        "Підтверджено",
        "confirmed",
        "Проблему підтверджено, повідомлення передано відповідальному підрозділу.",
    ),
    (
        "in-progress",
        "Роботи заплановано",
        "in_progress",
        "Бригаду направлено, роботи заплановано найближчим часом.",
    ),
    ("resolved", "Виконано", "resolved", "Роботи виконано. Дякуємо за повідомлення!"),
    (
        "not-communal",
        "Не комунальна власність",
        "rejected",
        "Об'єкт не належить до комунальної власності громади; звернення передано власнику.",
    ),
]


def seed(apps, schema_editor):
    ResponseTemplate = apps.get_model("reports", "ResponseTemplate")
    for code, title, status, text in TEMPLATES:
        ResponseTemplate.objects.get_or_create(
            code=code, defaults={"title": title, "status": status, "text": text}
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_response_templates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
