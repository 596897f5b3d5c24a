"""WFS 2.0.0 at /wfs, served by django-gisserver over the layer store.

Feature types are built per request from ``visible_layers(request.user)`` (the one access rule)
and ``feature_model(layer)``, so GetCapabilities, DescribeFeatureType, GetFeature,
GetPropertyValue and the stored queries only ever see the caller's layers (Transaction, for
editors, is layers/wfst.py); an unknown or
invisible typeName gets the same OWS ExceptionReport. Tables store EPSG:3857; the default
output CRS is EPSG:4326 (urn form, lat/lon), other offered CRSs are listed in ``OTHER_CRS``.
The capabilities bounding box comes from the registry (``Layer.extent``), not a table scan.
"""

from __future__ import annotations

import logging
import re
from xml.etree.ElementTree import tostring

from defusedxml import DefusedXmlException
from django.contrib.gis.gdal import AxisOrder, GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.utils.translation import get_language
from gisserver.crs import CRS, CRS84, WEB_MERCATOR, WGS84
from gisserver.exceptions import (
    ExternalValueError,
    InvalidParameterValue,
    OperationParsingFailed,
)
from gisserver.features import FeatureType, ServiceDescription
from gisserver.geometries import WGS84_BOUNDING_BOX_CRS, BoundingBox
from gisserver.parsers.gml.geometries import GEOSGMLGeometry
from gisserver.views import WFSView

from core.ratelimit import charge
from core.service import SERVICE

from .access import visible_layers
from .dynamic import feature_model
from .wfst import TransactionOperation, handle_transaction, is_transaction

log = logging.getLogger(__name__)

HEAVY_COUNT = 1000  # anonymous GetFeature above this (or without COUNT) is rate-limited

__all__ = ["PortalWFSView", "OTHER_CRS"]

#: Output CRSs offered besides the default EPSG:4326 (urn form, lat/lon): CRS84 (lon/lat),
#: Web Mercator and the Ukrainian UCS-2000 (USK-2000) systems covering the hromada.
OTHER_CRS = [
    CRS84,
    WEB_MERCATOR,
    CRS.from_string("urn:ogc:def:crs:EPSG::5561"),  # UCS-2000 geographic
    CRS.from_string("urn:ogc:def:crs:EPSG::5564"),  # UCS-2000 / Gauss-Kruger zone 6 (CM 33E)
    CRS.from_string("urn:ogc:def:crs:EPSG::6385"),  # UCS-2000 / Ukraine TM zone 11 (CM 33E)
    CRS.from_string("urn:ogc:def:crs:EPSG::9840"),  # UCS-2000 / LCS-35 Kirovohrad (mig. 0003)
]


MAX_XML_DEPTH = 64  # FES filters nest a few levels; 3,000 nested fes:Not would exhaust the stack


def _check_depth(xml: str | bytes, locator: str) -> None:
    """Refuse XML nested deeper than MAX_XML_DEPTH before gisserver's recursive parser sees it.
    A cheap scan of tags; malformed XML is left to the parser to report."""
    text = xml.decode("utf-8", "replace") if isinstance(xml, bytes) else xml
    if not text or text.count("<") < MAX_XML_DEPTH:
        return
    depth = 0
    for match in _TAG.finditer(text):
        closing, self_closing = match.group(1), match.group(2)
        if closing:
            depth -= 1
        elif not self_closing:
            depth += 1
            if depth > MAX_XML_DEPTH:
                raise OperationParsingFailed(
                    f"XML nested deeper than {MAX_XML_DEPTH} levels.", locator=locator
                )


_TAG = re.compile(r"<(/)?[A-Za-z_][^<>]*?(/)?>")


def _patch_gml_without_srsname() -> None:
    """GDAL's WFS driver sends ``<gml:Envelope>`` without srsName in its BBOX filters;
    gisserver 2.5 refuses that. WFS 2.0 allows it (the feature type's default CRS applies,
    here EPSG:4326 lat/lon), and gisserver's ``build_rhs`` already resolves ``srs=None``."""
    original = GEOSGMLGeometry.from_xml.__func__
    if getattr(original, "_portal_patched", False):
        return

    def from_xml(cls, element):
        if "srsName" in element.attrib:
            return original(cls, element)
        geos_data = GEOSGeometry.from_gml(tostring(element))
        CRS.tag_geometry(geos_data, axis_order=AxisOrder.AUTHORITY)
        return cls(srs=None, geos_data=geos_data)

    from_xml._portal_patched = True
    GEOSGMLGeometry.from_xml = classmethod(from_xml)


_patch_gml_without_srsname()


class LayerFeatureType(FeatureType):
    """A portal layer as a WFS feature type; bounding box from the registry."""

    def __init__(self, layer, **kwargs):
        self.layer = layer
        super().__init__(**kwargs)

    def resolve_element(self, xpath, ns_aliases):
        # gisserver 2.5 fails with a TypeError (a 500) on an empty <fes:ValueReference/>.
        if not xpath:
            raise ExternalValueError("Empty ValueReference: name a property of the layer.")
        return super().resolve_element(xpath, ns_aliases)

    def get_bounding_box(self):
        extent = self.layer.extent
        if not extent or len(extent) != 4:
            return None
        return BoundingBox(*extent, crs=WGS84_BOUNDING_BOX_CRS)


def layer_feature_type(layer, language: str = "uk") -> FeatureType:
    model = feature_model(layer)
    return LayerFeatureType(
        layer,
        queryset=model.objects.order_by("fid"),
        fields="__all__",
        name=layer.slug,
        title=layer.title(language),
        abstract=(layer.description_en if language.startswith("en") else layer.description_uk)
        or None,
        keywords=[layer.category],
        crs=WGS84,
        other_crs=OTHER_CRS,
        show_name_field=False,
    )


class PortalWFSView(WFSView):
    error_format = "ows"  # PortalErrors (rate limits) as OWS exceptions, by core.errors
    xml_namespace = "https://geoportal.example/hromada"
    xml_namespace_aliases = {"hromada": "https://geoportal.example/hromada"}
    max_page_size = 10000
    accept_operations = {
        "WFS": {**WFSView.accept_operations["WFS"], "Transaction": TransactionOperation}
    }
    wfs_service_constraints = {
        **WFSView.wfs_service_constraints,
        "ImplementsTransactionalWFS": True,
    }
    service_description = ServiceDescription(
        title="Геопортал громади: WFS",
        abstract="Векторні шари геопорталу територіальної громади (WFS 2.0.0). "
        f"Плата: {SERVICE['fees']}. {SERVICE['access_constraints_uk']}",
        keywords=SERVICE["keywords_uk"] + SERVICE["keywords_en"] + ["WFS"],
        provider_name=SERVICE["provider_uk"],
        provider_site=SERVICE["provider_url"] or None,
        contact_person=SERVICE["contact_name"] or None,
    )

    def get(self, request, *args, **kwargs):
        # gisserver 2.5 turns COUNT=-1 into a negative slice (a 500): refuse it up front.
        for key, value in request.GET.items():
            if key.upper() in ("COUNT", "MAXFEATURES", "STARTINDEX"):
                if not value.strip().isdigit():
                    raise InvalidParameterValue(
                        f"{key} must be a non-negative integer, got {value!r}.", locator=key
                    )
        params = {k.upper(): v for k, v in request.GET.items()}
        if "QUERY" in params:
            self._query_as_filter(request, params)
        if params.get("REQUEST", "").lower() in ("getfeature", "getpropertyvalue"):
            count = params.get("COUNT") or params.get("MAXFEATURES")
            if params.get("RESULTTYPE", "").lower() != "hits" and (
                count is None or int(count) > HEAVY_COUNT
            ):
                charge(request, 1.0, scope="wfs")  # a 429 OWS exception via core.errors
        _check_depth(params.get("FILTER", ""), "filter")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        _check_depth(request.body, "body")
        if is_transaction(request.body):
            return handle_transaction(request, request.body)  # layers/wfst.py: WFS-T
        return super().post(request, *args, **kwargs)

    @staticmethod
    def _query_as_filter(request, params: dict) -> None:
        """OWSLib 0.35 sends a GET GetFeature's filter as QUERY=<fes:Filter ...>, which WFS 2.0
        does not define; gisserver would ignore it and answer every feature. Take a lone
        filter as FILTER; refuse anything else (never answer unfiltered)."""
        value = params["QUERY"].strip()
        if "FILTER" in params or not value.startswith("<") or "Filter" not in value[:64]:
            raise InvalidParameterValue(
                "QUERY is not a WFS 2.0 parameter: send the filter as FILTER.", locator="QUERY"
            )
        query = request.GET.copy()
        for key in [k for k in query if k.upper() == "QUERY"]:
            del query[key]
        query["FILTER"] = value
        request.GET = query
        params["FILTER"] = value

    def handle_exception(self, exc):
        # gisserver's defusedxml parser refuses DTDs and entities (billion laughs, external
        # entities) but only turns ParseError into an OWS exception: a POST body with a DTD
        # would be a 500. Refuse it as the unparsable request it is.
        if isinstance(exc, DefusedXmlException):
            exc = OperationParsingFailed("XML with a DTD or entity declarations is not accepted.")
        elif isinstance(exc, GDALException | GEOSException):
            # a filter geometry GDAL cannot transform (infinite or out-of-range coordinates)
            exc = InvalidParameterValue("Invalid geometry in the filter.", locator="filter")
        elif isinstance(exc, TypeError | ValueError):
            # gisserver builds fes:Function calls from literals without checking their types
            # (strSubstring with "-5" is a TypeError): the request's values are wrong
            log.warning("WFS request refused: %s", exc, exc_info=exc)
            exc = InvalidParameterValue(
                "A filter function or value has the wrong type or range.", locator="filter"
            )
        return super().handle_exception(exc)

    def get_feature_types(self):
        if not hasattr(self, "_feature_types"):
            language = get_language() or "uk"
            layers = visible_layers(self.request.user).exclude(geometry_type="Raster")
            self._feature_types = [layer_feature_type(layer, language) for layer in layers]
        return self._feature_types
