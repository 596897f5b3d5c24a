"""The thematic grouping of the layer panel, finer than Layer.category: the set of themes the
municipal GIS strategies ask for. A layer's ``style.panel_group`` wins; then the slug mapping
below; then its category. Configuration, not code paths: add slugs here or set panel_group."""

from django.utils.translation import gettext_lazy as _

__all__ = ["GROUPS", "panel_groups"]

# (key, title, slugs): order = order in the panel.
GROUPS = [
    ("masterplan", _("Генеральний план і містобудівна документація"), ["masterplan-zones"]),
    ("cadastre", _("Кадастровий поділ"), ["parcels"]),
    ("communal", _("Комунальна власність"), ["communal-property"]),
    ("valuation", _("Нормативна грошова оцінка землі"), ["land-valuation"]),
    ("advertising", _("Рекламні конструкції"), ["advertising-structures"]),
    ("trade", _("Малі архітектурні форми і торгівля"), ["street-trade"]),
    ("roads", _("Дороги і вулиці"), ["streets"]),
    ("transport", _("Громадський транспорт"), ["bus-stops", "transport-routes"]),
    ("parking", _("Паркувальні зони"), ["parking-zones"]),
    ("landfills", _("Сміттєзвалища"), ["landfills"]),
    ("hazards", _("Зсуви і підтоплення"), ["landslide-zones", "flood-depth"]),
    ("recreation", _("Рекреаційні зони"), ["recreation-zones"]),
    (
        "heritage",
        _("Природно-заповідний фонд і культурна спадщина"),
        ["nature-reserve", "cultural-heritage", "rivers"],
    ),  # fmt: skip
    ("accessibility", _("Доступність"), ["facilities"]),
    ("utilities", _("Інженерні мережі"), []),
    ("registries", _("Земельні реєстри"), []),
    ("boundaries", _("Межі громади"), ["hromada-boundary", "settlements"]),
    ("topographic", _("Топографічна основа"), ["buildings"]),
]


def panel_groups() -> list[dict]:
    return [{"key": k, "title": str(t), "slugs": s} for k, t, s in GROUPS]
