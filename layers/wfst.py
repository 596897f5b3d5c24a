"""WFS-T: the Transaction operation of /wfs (Insert, Update, Delete), which django-gisserver
2.5 does not implement (its parser has the request commented out, its capabilities say
ImplementsTransactionalWFS=FALSE).

Accepted: WFS 2.0 transactions (``wfs/2.0`` namespace, ``fes:ResourceId``) and the WFS 1.0/1.1
form QGIS sends even to a WFS 2.0 server (``wfs`` namespace, ``ogc:FeatureId``); the answer is
in the request's version, so each client finds the ids of inserted features where it looks.
Update and Delete name their features by id (the filter QGIS and OWSLib send); another filter
is refused rather than guessed at. Geometries are GML (parsed by gisserver/GDAL, axis order by
the srsName form: ``urn:ogc:def:crs:EPSG::4326`` is lat/lon, ``EPSG:4326`` lon/lat).

Who: an editor of every layer named (layers.access.can_edit); anyone else gets the OWS
exception (401 with a Basic challenge for the anonymous, 403 otherwise). A request signed in
by session cookie must carry Django's CSRF token (a browser on another site cannot edit);
token and Basic clients are exempt as elsewhere. The whole request is one database
transaction (layers.editing): a feature gone meanwhile fails it all, nothing half-applied; every
change is recorded and revertible.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from django.contrib.gis.gdal import AxisOrder, GDALException
from django.contrib.gis.geos import GEOSException
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from gisserver.crs import WGS84
from gisserver.exceptions import (
    ExternalParsingError,
    InvalidParameterValue,
    OperationNotSupported,
    OperationParsingFailed,
    PermissionDenied,
)
from gisserver.operations.base import WFSOperation
from gisserver.parsers.gml.geometries import GEOSGMLGeometry
from gisserver.parsers.xml import parse_xml_from_string, split_ns

from core.errors import PortalError

from .access import can_edit, visible_layers
from .editing import Edits, apply, coerce

__all__ = ["TransactionOperation", "handle_transaction", "is_transaction"]

WFS2 = "http://www.opengis.net/wfs/2.0"
WFS1 = "http://www.opengis.net/wfs"
FES2 = "http://www.opengis.net/fes/2.0"
OGC = "http://www.opengis.net/ogc"
GML_NAMESPACES = ("http://www.opengis.net/gml", "http://www.opengis.net/gml/3.2")
GEOMETRY = "geom"


class TransactionOperation(WFSOperation):
    """Listed in GetCapabilities (QGIS enables editing when it sees it); POSTed transactions
    are answered by ``handle_transaction`` before gisserver's parser, which has none."""


class NotSignedIn(PermissionDenied):
    """The OWS exception for an anonymous Transaction: 401 with a Basic challenge, so that a
    GIS client asks for the editor's credentials."""

    status_code = 401

    def as_response(self):
        response = super().as_response()
        response["WWW-Authenticate"] = 'Basic realm="geoportal"'
        return response


_PROLOG = re.compile(r"<\?.*?\?>|<!--.*?-->", re.DOTALL)
_FIRST_TAG = re.compile(r"<(?:[\w.-]+:)?([\w.-]+)")


def is_transaction(body: bytes) -> bool:
    """Whether a POST body's root element is a Transaction (a cheap sniff of its start)."""
    head = _PROLOG.sub("", body[:4096].decode("utf-8", "replace"))
    match = _FIRST_TAG.search(head)
    return bool(match) and match.group(1) == "Transaction"


def _check_caller(request) -> None:
    user = request.user
    if not user.is_authenticated:
        raise NotSignedIn("Editing needs an editor's sign-in (HTTP Basic or an API token).")
    if not getattr(request, "_dont_enforce_csrf_checks", False):
        reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if reason is not None:
            raise PermissionDenied("A signed-in browser request needs the CSRF token.")


def _layer_for(request, type_name: str | None, locator: str):
    if not type_name:
        raise InvalidParameterValue("No typeName given.", locator=locator)
    slug = type_name.split(":")[-1]
    layer = visible_layers(request.user).filter(slug=slug).exclude(geometry_type="Raster").first()
    if layer is None:
        raise InvalidParameterValue(f"Unknown typeName {type_name!r}.", locator="typeName")
    if not can_edit(request.user, layer):
        raise PermissionDenied(f"You may not edit {slug}.", locator="typeName")
    return layer


def _geometry(element, xy_order: bool):
    """A GML geometry element as GEOS with its SRID, in the traditional x/y order.

    ``xy_order``: a WFS 1.0 transaction, whose coordinates are x/y (lon/lat) whatever the
    srsName says (QGIS writes urn:ogc:def:crs:EPSG::4326 over lon,lat GML2 coordinates)."""
    if "srsName" in element.attrib:
        parsed = GEOSGMLGeometry.from_xml(element)
        crs = parsed.srs
    else:  # no srsName: the feature type's default CRS (EPSG:4326 in lat/lon)
        parsed, crs = GEOSGMLGeometry.from_xml(_with_srs(element)), WGS84
    geom = parsed.geos_data
    if crs.is_north_east_order and not crs.force_xy and not xy_order:
        geom = crs.apply_to(geom, clone=True, axis_order=AxisOrder.TRADITIONAL)
    geom.srid = crs.srid
    return geom


def _with_srs(element):
    element.attrib["srsName"] = WGS84.urn
    return element


def _value(layer, name: str, element):
    """The value of property ``name`` given by ``element`` (its text, or a GML child)."""
    if name == GEOMETRY:
        children = [c for c in element if split_ns(c.tag)[0] in GML_NAMESPACES]
        if not children:
            raise InvalidParameterValue("The geometry property holds no GML.", locator=name)
        return _geometry(children[0], getattr(element, "xy_order", False))
    return coerce(layer, name, element.text if element.text is not None or len(element) else None)


def _feature_ids(layer, op) -> list[int]:
    filters = [c for c in op if split_ns(c.tag)[1] == "Filter"]
    if len(filters) != 1:
        raise InvalidParameterValue("Update and Delete need one filter.", locator="Filter")
    fids = []
    for child in filters[0]:
        ns, tag = split_ns(child.tag)
        if tag == "ResourceId":
            raw = child.attrib.get("rid", "")
        elif tag in ("FeatureId", "GmlObjectId"):
            raw = child.attrib.get("fid") or next(
                (v for k, v in child.attrib.items() if k.endswith("id")), ""
            )
        else:
            raise OperationNotSupported(
                "Update and Delete take feature ids only (fes:ResourceId / ogc:FeatureId).",
                locator="Filter",
            )
        prefix, _, number = raw.rpartition(".")
        if prefix.split(":")[-1] != layer.slug or not number.isdigit():
            raise InvalidParameterValue(f"Not a feature of {layer.slug}: {raw!r}.", locator="rid")
        fids.append(int(number))
    if not fids:
        raise InvalidParameterValue("The filter names no feature.", locator="Filter")
    return fids


def _insert(request, op, plans) -> None:
    for feature in op:
        layer = _layer_for(request, split_ns(feature.tag)[1], "Insert")
        values, geom = {}, None
        for prop in feature:
            name = split_ns(prop.tag)[1]
            if name == "fid":
                continue  # the id is the database's to give
            value = _value(layer, name, prop)
            if name == GEOMETRY:
                geom = value
            else:
                values[name] = value
        plans.setdefault(layer.pk, (layer, Edits()))[1].inserts.append((values, geom))


def _update(request, op, plans) -> None:
    layer = _layer_for(request, op.attrib.get("typeName"), "Update")
    values, geom = {}, None
    for prop in (c for c in op if split_ns(c.tag)[1] == "Property"):
        name_el = next((c for c in prop if split_ns(c.tag)[1] in ("Name", "ValueReference")), None)
        if name_el is None or not (name_el.text or "").strip():
            raise InvalidParameterValue("A Property names no field.", locator="Property")
        name = name_el.text.strip().split(":")[-1].split("/")[-1]
        if name == "fid":
            raise InvalidParameterValue("A feature's id cannot be changed.", locator="fid")
        value_el = next((c for c in prop if split_ns(c.tag)[1] == "Value"), None)
        value = _value(layer, name, value_el) if value_el is not None else None
        if name == GEOMETRY:
            geom = value
        else:
            values[name] = value
    edits = plans.setdefault(layer.pk, (layer, Edits()))[1]
    for fid in _feature_ids(layer, op):
        edits.updates[fid] = (values, geom)


def _delete(request, op, plans) -> None:
    layer = _layer_for(request, op.attrib.get("typeName"), "Delete")
    plans.setdefault(layer.pk, (layer, Edits()))[1].deletes.extend(_feature_ids(layer, op))


ACTIONS = {"Insert": _insert, "Update": _update, "Delete": _delete}


def handle_transaction(request, body: bytes) -> HttpResponse:
    """Answer a POSTed wfs:Transaction (see the module docstring)."""
    _check_caller(request)
    try:
        root = parse_xml_from_string(body)
    except ExternalParsingError as exc:
        raise OperationParsingFailed(f"Unreadable transaction: {exc}", locator="body") from exc
    namespace, _ = split_ns(root.tag)
    version = "2.0.0" if namespace == WFS2 else root.attrib.get("version", "1.1.0")
    if version.startswith("1.0"):
        for element in root.iter():
            element.xy_order = True  # read by _value: WFS 1.0 coordinates are x/y
    plans: dict[int, tuple] = {}
    try:
        for op in root:
            action = ACTIONS.get(split_ns(op.tag)[1])
            if action is None:
                raise OperationNotSupported(
                    f"{split_ns(op.tag)[1]} is not supported (Insert, Update, Delete are).",
                    locator=split_ns(op.tag)[1],
                )
            action(request, op, plans)
        results = {"inserted": [], "updated": 0, "deleted": 0}
        for layer, edits in plans.values():
            done = apply(layer, edits, request.user, via="wfs-t")
            results["inserted"] += [f"{layer.slug}.{fid}" for fid in done["inserted"]]
            results["updated"] += done["updated"]
            results["deleted"] += done["deleted"]
    except PortalError as exc:
        raise InvalidParameterValue(exc.detail, locator="Transaction") from exc
    except (GDALException, GEOSException, ValueError) as exc:
        raise InvalidParameterValue(f"Invalid geometry: {exc}", locator="geometry") from exc
    return HttpResponse(_response(version, results), content_type="text/xml; charset=utf-8")


def _response(version: str, results: dict) -> str:
    ids = results["inserted"]
    if version.startswith("1.0"):
        inserted = "".join(f"<ogc:FeatureId fid={quoteattr(i)}/>" for i in ids)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<wfs:WFS_TransactionResponse version="1.0.0" '
            f'xmlns:wfs="{WFS1}" xmlns:ogc="{OGC}">'
            + (f"<wfs:InsertResult>{inserted}</wfs:InsertResult>" if ids else "")
            + "<wfs:TransactionResult><wfs:Status><wfs:SUCCESS/></wfs:Status>"
            "</wfs:TransactionResult></wfs:WFS_TransactionResponse>"
        )
    wfs, fes, id_tag = (WFS2, FES2, "fes:ResourceId rid") if version.startswith("2") else (
        WFS1, OGC, "ogc:FeatureId fid")  # fmt: skip
    prefix = "fes" if version.startswith("2") else "ogc"
    features = "".join(f"<wfs:Feature><{id_tag}={quoteattr(i)}/></wfs:Feature>" for i in ids)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<wfs:TransactionResponse version="{escape(version)}" '
        f'xmlns:wfs="{wfs}" xmlns:{prefix}="{fes}"><wfs:TransactionSummary>'
        f"<wfs:totalInserted>{len(ids)}</wfs:totalInserted>"
        f"<wfs:totalUpdated>{results['updated']}</wfs:totalUpdated>"
        + ("<wfs:totalReplaced>0</wfs:totalReplaced>" if version.startswith("2") else "")
        + f"<wfs:totalDeleted>{results['deleted']}</wfs:totalDeleted></wfs:TransactionSummary>"
        + (f"<wfs:InsertResults>{features}</wfs:InsertResults>" if ids else "")
        + "</wfs:TransactionResponse>"
    )
