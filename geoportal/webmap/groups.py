"""The thematic grouping of the layer panel, finer than Layer.category: the set of themes the
municipal GIS strategies ask for. A layer goes to the group its ``style.panel_group`` names;
else to the group listing its ``Layer.role``; else to the group listing its category; else to
none (the map then groups it by category). Configuration, not code paths: no slug is named
here, a hromada's layers are placed by their role, category or panel_group."""

from django.utils.translation import gettext_lazy as _

from layers.access import visible_layers
from layers.models import Category, Layer, LayerRole

__all__ = ["GROUPS", "group_of", "panel_groups"]

# (key, title, roles, categories): order = order in the panel. Groups without roles or
# categories take the layers whose style.panel_group names them.
GROUPS = [
    ("masterplan", _("Генеральний план і містобудівна документація"), [LayerRole.ZONES],
     [Category.MASTERPLAN]),
    ("cadastre", _("Кадастровий поділ"), [LayerRole.PARCELS], [Category.CADASTRE]),
    ("communal", _("Комунальна власність"), [], []),
    ("valuation", _("Нормативна грошова оцінка землі"), [], []),
    ("advertising", _("Рекламні конструкції"), [], []),
    ("trade", _("Малі архітектурні форми і торгівля"), [], []),
    ("roads", _("Дороги і вулиці"), [LayerRole.STREETS], [Category.ROADS]),
    ("transport", _("Громадський транспорт"), [LayerRole.STOPS], []),
    ("parking", _("Паркувальні зони"), [], []),
    ("landfills", _("Сміттєзвалища"), [], []),
    ("hazards", _("Зсуви і підтоплення"), [], []),
    ("recreation", _("Рекреаційні зони"), [], []),
    ("heritage", _("Природно-заповідний фонд і культурна спадщина"), [], []),
    ("accessibility", _("Доступність"), [LayerRole.FACILITIES], [Category.ACCESSIBILITY]),
    ("conditions", _("Стан вулиць, освітлення і комунальні послуги"),
     [LayerRole.LIGHTING_CONDITION, LayerRole.ROAD_CONDITION, LayerRole.OUTAGES,
      LayerRole.BUDGET], []),
    ("utilities", _("Інженерні мережі"), [], [Category.UTILITIES]),
    ("registries", _("Земельні реєстри"), [], []),
    ("boundaries", _("Межі громади"), [LayerRole.BOUNDARY, LayerRole.SETTLEMENTS],
     [Category.BOUNDARIES]),
    ("topographic", _("Топографічна основа"), [LayerRole.BUILDINGS], [Category.TOPOGRAPHIC]),
]  # fmt: skip


def group_of(layer: Layer) -> str | None:
    """The key of the group ``layer`` goes to (None: no group takes it)."""
    by_style = (layer.style or {}).get("panel_group")
    if by_style:
        return by_style
    if layer.role:
        key = next((k for k, _t, roles, _c in GROUPS if layer.role in roles), None)
        if key:
            return key
    return next((k for k, _t, _r, categories in GROUPS if layer.category in categories), None)


def panel_groups(user) -> list[dict]:
    """The groups in panel order, each with the roles and categories it lists and the slugs
    of the layers ``user`` may see that it takes."""
    slugs: dict[str, list[str]] = {}
    for layer in visible_layers(user).only("slug", "role", "category", "style"):
        slugs.setdefault(group_of(layer), []).append(layer.slug)
    return [
        {"key": key, "title": str(title), "roles": [str(r) for r in roles],
         "categories": [str(c) for c in categories], "slugs": slugs.get(key, [])}
        for key, title, roles, categories in GROUPS
    ]  # fmt: skip
