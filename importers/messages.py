"""What the upload page says about a failed import: one mapping from the importers' error codes
to messages in the page's own words (its fields, not CLI flags), in Ukrainian and English by
Django i18n. A code without an entry shows the importer's own line, which names the file by
its upload name and carries no server path or GDAL advice (importers.errors.gdal_message)."""

from __future__ import annotations

from django.utils.translation import gettext as _

__all__ = ["user_message"]


def _messages() -> dict[str, str]:
    return {
        "crs-missing": _("Файл не вказує системи координат. Виберіть її в полі «Система "
                         "координат» (для CSV з колонками lon/lat — «градуси WGS 84»)."),
        "crs-unknown": _("Така система координат невідома. Виберіть її зі списку поля «Система "
                         "координат» або введіть код EPSG, наприклад EPSG:6385."),
        "wrong-encoding": _("Текст у файлі прочитано не в тому кодуванні. Виберіть кодування "
                            "в полі «Кодування» (для старих шейп-файлів без .cpg — CP1251)."),
        "layer-ambiguous": _("У файлі кілька шарів. Впишіть потрібний у поле «Шар у файлі»."),
        "outside-extent": _("Дані лежать поза межами громади: перевірте систему координат. Якщо "
                            "так і має бути, позначте «Дозволити дані поза межами громади»."),
        "schema-change": _("Файл змінює схему шару: %(detail)s. Нічого не імпортовано. Щоб "
                           "прийняти зміну, позначте «Прийняти зміну схеми» і імпортуйте ще раз."),
        "import-running": _("Імпорт цього шару вже виконується. Спробуйте, коли він закінчиться."),
        "shapefile-incomplete": _("У шейп-файлі бракує частини (.dbf з атрибутами). Додайте в "
                                  "zip файли .shp, .shx, .dbf і .prj разом."),
    }  # fmt: skip


def user_message(code: str, detail: str, differences: list[str] | None = None) -> str:
    """The page's message for an import that failed with ``code``; ``detail`` otherwise."""
    text = _messages().get(code or "")
    if text is None:
        return detail
    return text % {"detail": "; ".join(differences or [])} if "%(detail)s" in text else text
