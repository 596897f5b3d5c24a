"""The Layer model: metadata, schema, style and access level of one map layer."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from .events import version_bumped

__all__ = [
    "Access", "AttributeType", "Category", "FeatureEdit", "GeometryType", "Layer", "LayerKind",
    "LayerRole", "next_version",
]  # fmt: skip

# One sequence for every layer's version (migration 0006): a number is never given twice, so a
# layer deleted and re-created, or renamed, never meets the cached tiles, ETags, WMS templates or
# kept tables of an earlier layer under the same slug.
VERSION_SEQUENCE = "layers_layer_version_seq"


def next_version() -> int:
    """A layer version no layer has had before (the next value of VERSION_SEQUENCE)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [VERSION_SEQUENCE])
        return cursor.fetchone()[0]


class Category(models.TextChoices):
    CADASTRE = "cadastre", _("Кадастр")
    MASTERPLAN = "masterplan", _("Генеральний план і містобудування")
    UTILITIES = "utilities", _("Інженерні мережі")
    ROADS = "roads", _("Дороги і транспорт")
    ACCESSIBILITY = "accessibility", _("Доступність")
    ENVIRONMENT = "environment", _("Довкілля і ризики")
    BOUNDARIES = "boundaries", _("Межі")
    TOPOGRAPHIC = "topographic", _("Топографічна основа")
    OTHER = "other", _("Інше")


class Access(models.TextChoices):
    PUBLIC = "public", _("Публічний")
    STAFF = "staff", _("Лише для працівників")
    RESTRICTED = "restricted", _("Обмежений (групи)")


class GeometryType(models.TextChoices):
    POINT = "Point", "Point"
    MULTIPOINT = "MultiPoint", "MultiPoint"
    LINESTRING = "LineString", "LineString"
    MULTILINESTRING = "MultiLineString", "MultiLineString"
    POLYGON = "Polygon", "Polygon"
    MULTIPOLYGON = "MultiPolygon", "MultiPolygon"
    GEOMETRY = "Geometry", "Geometry"
    RASTER = "Raster", "Raster"


class LayerKind(models.TextChoices):
    GENERIC = "generic", _("Загальний")
    CADASTRAL = "cadastral", _("Кадастровий")
    MASTERPLAN = "masterplan", _("Генеральний план")
    UTILITY = "utility", _("Інженерні мережі")
    ACCESSIBILITY = "accessibility", _("Доступність")
    BUDGET = "budget", _("Бюджетні проєкти")


class LayerRole(models.TextChoices):
    """What a layer is for in the portal: the parcel card reads the ``parcels`` layer, street
    labels the ``streets`` layer, and so on, whatever the hromada called the layer (its slug).
    At most one layer holds a role; a layer may hold none."""

    BOUNDARY = "boundary", _("Межа громади")
    SETTLEMENTS = "settlements", _("Населені пункти")
    STREETS = "streets", _("Вулиці")
    BUILDINGS = "buildings", _("Будинки з адресами")
    PARCELS = "parcels", _("Земельні ділянки")
    ZONES = "zones", _("Функціональні зони генплану")
    FACILITIES = "facilities", _("Громадські заклади (доступність)")
    STOPS = "stops", _("Зупинки громадського транспорту")
    # Asset condition and communal services (geoportal.conditions): the source register of
    # street-light poles, and the layers that app publishes.
    STREET_LIGHTS = "street-lights", _("Опори вуличного освітлення")
    LIGHTING_CONDITION = "lighting-condition", _("Стан вуличного освітлення")
    ROAD_CONDITION = "road-condition", _("Стан дорожнього покриття")
    OUTAGES = "utility-outages", _("Відключення комунальних послуг")
    BUDGET = "budget-projects", _("Бюджетні проєкти")


class AttributeType(models.TextChoices):
    STRING = "string", "string"
    INTEGER = "integer", "integer"
    FLOAT = "float", "float"
    BOOLEAN = "boolean", "boolean"
    DATE = "date", "date"
    DATETIME = "datetime", "datetime"


# Column names must be safe SQL identifiers: the schema is declared, never taken raw.
ATTRIBUTE_NAME = RegexValidator(r"^[a-z_][a-z0-9_]{0,62}$", _("Назва поля: латиниця, цифри, _"))
RESERVED_NAMES = {"fid", "geom", "id"}


def validate_attributes(value):
    if not isinstance(value, list):
        raise ValidationError(_("Схема атрибутів має бути списком"))
    seen = set()
    for item in value:
        if not isinstance(item, dict) or "name" not in item:
            raise ValidationError(_("Кожен атрибут має мати назву"))
        name = item["name"]
        ATTRIBUTE_NAME(name)
        if name in RESERVED_NAMES:
            raise ValidationError(_("Назва поля %(name)s зарезервована"), params={"name": name})
        if name in seen:
            raise ValidationError(_("Поле %(name)s повторюється"), params={"name": name})
        seen.add(name)
        if item.get("type", "string") not in AttributeType.values:
            raise ValidationError(_("Невідомий тип поля %(name)s"), params={"name": name})


class Layer(models.Model):
    """One map layer. Its features live in ``layerdata.<table_name>`` (see layers.storage)."""

    slug = models.SlugField(
        max_length=48,  # leaves room for the __vNNNN suffix of kept versions (63-char identifiers)
        unique=True,
        validators=[
            RegexValidator(r"^[a-z][a-z0-9-]*$", _("Лише малі латинські літери, цифри, -"))
        ],
    )
    title_uk = models.CharField(_("назва (укр.)"), max_length=200)
    title_en = models.CharField(_("назва (англ.)"), max_length=200, blank=True)
    description_uk = models.TextField(_("опис (укр.)"), blank=True)
    description_en = models.TextField(_("опис (англ.)"), blank=True)
    category = models.CharField(
        _("категорія"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    kind = models.CharField(
        _("тип даних"), max_length=20, choices=LayerKind.choices, default=LayerKind.GENERIC
    )
    role = models.CharField(
        _("роль"),
        max_length=20,
        choices=LayerRole.choices,
        blank=True,
        default="",
        help_text=_(
            "Для чого шар порталу: картка ділянки, підписи вулиць, доступність тощо. "
            "Роль може мати лише один шар."
        ),
    )
    geometry_type = models.CharField(
        _("тип геометрії"),
        max_length=20,
        choices=GeometryType.choices,
        default=GeometryType.GEOMETRY,
    )
    attributes = models.JSONField(
        _("схема атрибутів"),
        default=list,
        blank=True,
        validators=[validate_attributes],
        help_text=_(
            '[{"name": "cadnum", "type": "string", "title_uk": "...", "title_en": "...", "unit": null}]'
        ),
    )
    style = models.JSONField(_("стиль"), default=dict, blank=True)
    access = models.CharField(
        _("доступ"), max_length=12, choices=Access.choices, default=Access.PUBLIC
    )
    groups = models.ManyToManyField(
        Group, blank=True, related_name="layers", verbose_name=_("групи з доступом")
    )
    min_zoom = models.PositiveSmallIntegerField(_("мін. масштаб"), default=0)
    max_zoom = models.PositiveSmallIntegerField(_("макс. масштаб"), default=22)
    tile_settings = models.JSONField(_("налаштування тайлів"), default=dict, blank=True)
    is_basemap = models.BooleanField(_("базова карта"), default=False)
    sort_order = models.IntegerField(_("порядок"), default=100)

    # Landmark registry hooks (used by issue reporting's locator).
    landmark_ref = models.CharField(_("поле номера орієнтира"), max_length=63, blank=True)
    street_name_field = models.CharField(_("поле назви вулиці"), max_length=63, blank=True)
    address_fields = models.CharField(_("поля адреси (вулиця,номер)"), max_length=127, blank=True)

    # Provenance.
    source = models.CharField(_("джерело"), max_length=300, blank=True)
    source_file = models.CharField(_("файл"), max_length=300, blank=True)
    source_checksum = models.CharField(_("контрольна сума"), max_length=64, blank=True)
    source_crs = models.CharField(_("система координат джерела"), max_length=300, blank=True)
    licence = models.CharField(_("ліцензія"), max_length=200, blank=True)
    attribution = models.CharField(_("атрибуція"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    data_updated_at = models.DateTimeField(_("дані оновлено"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # State of the stored data.
    version = models.PositiveIntegerField(
        default=1,
        help_text=_(
            "Зростає при кожній зміні даних, стилю чи доступу і ніколи не повторюється "
            "(навіть для видаленого шару з тією ж назвою): ключ кешу тайлів"
        ),
    )
    feature_count = models.BigIntegerField(default=0)
    extent = models.JSONField(
        default=list, blank=True, help_text="[minlon, minlat, maxlon, maxlat]"
    )
    raster_path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["category", "sort_order", "title_uk"]
        verbose_name = _("шар")
        verbose_name_plural = _("шари")
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=~models.Q(role=""),
                name="layers_layer_one_per_role",
                violation_error_message=_("Цю роль уже має інший шар"),
            )
        ]

    def __str__(self):
        return f"{self.title_uk} ({self.slug})"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.pk and self.version in (None, 1):
            # never one an earlier layer of this slug had (the sequence never gives 1)
            self.version = next_version()
        super().save(*args, **kwargs)

    # -- naming ------------------------------------------------------------------------------
    @property
    def table_name(self) -> str:
        return self.slug.replace("-", "_")

    @property
    def is_raster(self) -> bool:
        return self.geometry_type == GeometryType.RASTER

    def title(self, language: str | None = None) -> str:
        if language and language.startswith("en") and self.title_en:
            return self.title_en
        return self.title_uk

    def attribute(self, name: str) -> dict | None:
        return next((a for a in self.attributes if a["name"] == name), None)

    def attribute_names(self) -> list[str]:
        return [a["name"] for a in self.attributes]

    def bump_version(self) -> None:
        """Mark the layer's data, style or access as changed (invalidates its cached tiles)."""
        Layer.objects.filter(pk=self.pk).update(version=RawSQL("nextval(%s)", [VERSION_SEQUENCE]))
        self.refresh_from_db(fields=["version"])
        version_bumped.send(sender=Layer, instance=self)


class FeatureEdit(models.Model):
    """One change of one feature by a person (the web editor, WFS-T, the REST API): who, when,
    the feature before and after (``{"properties": {...}, "geometry": EWKT in EPSG:3857}``,
    None for a feature that did not exist), and which edit a revert undid."""

    class Action(models.TextChoices):
        INSERT = "insert", _("Додано")
        UPDATE = "update", _("Змінено")
        DELETE = "delete", _("Видалено")

    layer = models.ForeignKey(Layer, on_delete=models.CASCADE, related_name="edits")
    fid = models.BigIntegerField(_("об'єкт"))
    action = models.CharField(_("дія"), max_length=8, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("коли"), auto_now_add=True)
    via = models.CharField(_("через"), max_length=20, blank=True)  # "wfs-t", "editor", "api"
    before = models.JSONField(_("було"), null=True, blank=True)
    after = models.JSONField(_("стало"), null=True, blank=True)
    layer_version = models.PositiveIntegerField(_("версія шару після зміни"), null=True)
    reverts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reverted_by"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("зміна об'єкта")
        verbose_name_plural = _("зміни об'єктів")

    def __str__(self):
        return f"{self.layer.slug}.{self.fid} {self.action}"
