"""The catalogue's two tables: ``Metadata`` (what staff edit: ISO 19115 core in Ukrainian and
English, one per layer) and ``Record`` (the same, flattened into pycsw's core columns with the
ISO 19139 document, rebuilt by ``records.refresh``; pycsw only ever reads it)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from layers.models import Layer

__all__ = ["Frequency", "Metadata", "NsdiTheme", "Record", "Status", "TopicCategory"]


class NsdiTheme(models.TextChoices):
    """Geospatial data of the Law No. 554-IX (art. 7 and 8): base data, then thematic data."""

    COORDINATES = "coordinate-systems", _("Системи відліку координат і висот")
    ADMIN_UNITS = "administrative-units", _("Адміністративно-територіальні одиниці")
    GEONAMES = "geographical-names", _("Географічні назви")
    ADDRESSES = "addresses", _("Адреси")
    PARCELS = "cadastral-parcels", _("Земельні ділянки (кадастрові)")
    BUILDINGS = "buildings", _("Будівлі та споруди")
    TRANSPORT = "transport-networks", _("Транспортна мережа")
    HYDROGRAPHY = "hydrography", _("Гідрографія")
    ELEVATION = "elevation", _("Рельєф")
    ORTHOIMAGERY = "orthoimagery", _("Ортофотознімки")
    LAND_USE = "land-use", _("Землекористування, містобудівна документація")
    UTILITIES = "utility-services", _("Інженерні мережі та комунальні послуги")
    PROTECTED = "protected-sites", _("Природоохоронні території та об'єкти")
    HAZARDS = "natural-risk-zones", _("Зони природних ризиків")
    FACILITIES = "public-services", _("Об'єкти соціальної інфраструктури")
    HERITAGE = "cultural-heritage", _("Культурна спадщина")
    OTHER = "other", _("Інші тематичні дані")


class TopicCategory(models.TextChoices):
    """ISO 19115 MD_TopicCategoryCode (the values the order's metadata requirements use)."""

    BOUNDARIES = "boundaries", "boundaries"
    PLANNING = "planningCadastre", "planningCadastre"
    STRUCTURE = "structure", "structure"
    TRANSPORTATION = "transportation", "transportation"
    UTILITIES = "utilitiesCommunication", "utilitiesCommunication"
    INLAND_WATERS = "inlandWaters", "inlandWaters"
    ENVIRONMENT = "environment", "environment"
    ELEVATION = "elevation", "elevation"
    IMAGERY = "imageryBaseMapsEarthCover", "imageryBaseMapsEarthCover"
    LOCATION = "location", "location"
    SOCIETY = "society", "society"
    HEALTH = "health", "health"
    GEOSCIENTIFIC = "geoscientificInformation", "geoscientificInformation"


class Frequency(models.TextChoices):
    """ISO 19115 MD_MaintenanceFrequencyCode."""

    CONTINUAL = "continual", _("безперервно")
    DAILY = "daily", _("щодня")
    WEEKLY = "weekly", _("щотижня")
    MONTHLY = "monthly", _("щомісяця")
    QUARTERLY = "quarterly", _("щокварталу")
    ANNUALLY = "annually", _("щороку")
    AS_NEEDED = "asNeeded", _("за потреби")
    IRREGULAR = "irregular", _("нерегулярно")
    UNKNOWN = "unknown", _("невідомо")


class Status(models.TextChoices):
    """ISO 19115 MD_ProgressCode: the data status item 73 of Procedure No. 532 searches by."""

    COMPLETED = "completed", _("завершено")
    ON_GOING = "onGoing", _("постійно оновлюється")
    PLANNED = "planned", _("заплановано")
    UNDER_DEVELOPMENT = "underDevelopment", _("у розробці")
    OBSOLETE = "obsolete", _("застаріло")
    HISTORICAL = "historicalArchive", _("історичний архів")


class Metadata(models.Model):
    """ISO 19115 core of one layer. Title, abstract, extent, revision date, access and licence
    are the layer's own (one source); the rest is edited here; empty fields are filled from
    the registry (``fill.defaults``) when the record is written."""

    layer = models.OneToOneField(Layer, on_delete=models.CASCADE, related_name="metadata")
    identifier = models.UUIDField(_("ідентифікатор ресурсу"), default=uuid.uuid4, unique=True)
    keywords_uk = models.CharField(_("ключові слова (укр.)"), max_length=500, blank=True)
    keywords_en = models.CharField(_("ключові слова (англ.)"), max_length=500, blank=True)
    nsdi_theme = models.CharField(
        _("тема НІГД"), max_length=40, choices=NsdiTheme.choices, blank=True
    )
    topic_category = models.CharField(
        _("тематична категорія ISO"), max_length=40, choices=TopicCategory.choices, blank=True
    )
    organisation_uk = models.CharField(
        _("відповідальна організація (укр.)"), max_length=300, blank=True
    )
    organisation_en = models.CharField(
        _("відповідальна організація (англ.)"), max_length=300, blank=True
    )
    contact_name = models.CharField(_("контактна особа"), max_length=200, blank=True)
    contact_email = models.EmailField(_("ел. пошта"), blank=True)
    contact_phone = models.CharField(_("телефон"), max_length=50, blank=True)
    date_creation = models.DateField(_("дата створення"), null=True, blank=True)
    date_publication = models.DateField(_("дата публікації"), null=True, blank=True)
    lineage_uk = models.TextField(_("походження (укр.)"), blank=True)
    lineage_en = models.TextField(_("походження (англ.)"), blank=True)
    scale_denominator = models.PositiveIntegerField(_("знаменник масштабу"), null=True, blank=True)
    resolution_m = models.FloatField(_("просторова розрізненість, м"), null=True, blank=True)
    update_frequency = models.CharField(
        _("періодичність оновлення"), max_length=20, choices=Frequency.choices, blank=True
    )
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("метадані шару")
        verbose_name_plural = _("метадані шарів")

    def __str__(self):
        return f"{self.layer.title_uk} ({self.identifier})"


class Record(models.Model):
    """A catalogue record in pycsw's core columns (names as pycsw maps them by default), so
    pycsw's filter translation (FES, CQL, full text, bbox) runs as SQL on this table."""

    layer = models.OneToOneField(Layer, on_delete=models.CASCADE, related_name="+")
    identifier = models.CharField(max_length=64, unique=True)
    typename = models.CharField(max_length=32, default="gmd:MD_Metadata")
    schema = models.CharField(max_length=64, default="http://www.isotc211.org/2005/gmd")
    mdsource = models.CharField(max_length=32, default="local")
    insert_date = models.CharField(max_length=20)
    xml = models.TextField()
    metadata = models.TextField(blank=True)
    metadata_type = models.CharField(max_length=32, default="application/xml")
    anytext = models.TextField()
    language = models.CharField(max_length=8, default="ukr")
    type = models.CharField(max_length=32, default="dataset")
    title = models.TextField()
    title_alternate = models.TextField(blank=True)
    abstract = models.TextField(blank=True)
    edition = models.TextField(blank=True, null=True)
    keywords = models.TextField(blank=True)
    keywordstype = models.TextField(blank=True)
    themes = models.TextField(blank=True, null=True)
    parentidentifier = models.TextField(blank=True, null=True)
    relation = models.TextField(blank=True, null=True)
    time_begin = models.TextField(blank=True, null=True)
    time_end = models.TextField(blank=True, null=True)
    topicategory = models.TextField(blank=True)
    resourcelanguage = models.TextField(blank=True)
    creator = models.TextField(blank=True)
    publisher = models.TextField(blank=True)
    contributor = models.TextField(blank=True, null=True)
    organization = models.TextField(blank=True)
    securityconstraints = models.TextField(blank=True, null=True)
    accessconstraints = models.TextField(blank=True)
    otherconstraints = models.TextField(blank=True)
    date = models.TextField(blank=True)
    date_revision = models.TextField(blank=True, null=True)
    date_creation = models.TextField(blank=True, null=True)
    date_publication = models.TextField(blank=True, null=True)
    date_modified = models.TextField(blank=True)
    format = models.TextField(blank=True)
    source = models.TextField(blank=True)
    crs = models.TextField(blank=True)
    geodescode = models.TextField(blank=True, null=True)
    denominator = models.TextField(blank=True, null=True)
    distancevalue = models.TextField(blank=True, null=True)
    distanceuom = models.TextField(blank=True, null=True)
    wkt_geometry = models.TextField(blank=True, null=True)
    vert_extent_min = models.TextField(blank=True, null=True)
    vert_extent_max = models.TextField(blank=True, null=True)
    servicetype = models.TextField(blank=True, null=True)
    servicetypeversion = models.TextField(blank=True, null=True)
    operation = models.TextField(blank=True, null=True)
    couplingtype = models.TextField(blank=True, null=True)
    operateson = models.TextField(blank=True, null=True)
    operatesonidentifier = models.TextField(blank=True, null=True)
    operatesoname = models.TextField(blank=True, null=True)
    degree = models.TextField(blank=True, null=True)
    classification = models.TextField(blank=True, null=True)
    conditionapplyingtoaccessanduse = models.TextField(blank=True)
    lineage = models.TextField(blank=True)
    responsiblepartyrole = models.TextField(blank=True)
    specificationtitle = models.TextField(blank=True, null=True)
    specificationdate = models.TextField(blank=True, null=True)
    specificationdatetype = models.TextField(blank=True, null=True)
    platform = models.TextField(blank=True, null=True)
    instrument = models.TextField(blank=True, null=True)
    sensortype = models.TextField(blank=True, null=True)
    cloudcover = models.TextField(blank=True, null=True)
    bands = models.TextField(blank=True, null=True)
    links = models.TextField(blank=True)
    contacts = models.TextField(blank=True)
    # the portal's own: text the web map's search ranks by (title, keywords in both languages)
    layer_slug = models.CharField(max_length=48, db_index=True)

    class Meta:
        verbose_name = _("запис каталогу")
        verbose_name_plural = _("записи каталогу")

    def __str__(self):
        return self.identifier
