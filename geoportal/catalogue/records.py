"""A layer's metadata as an ISO 19139 document (pygeometa's MCF, Ukrainian with English as
the alternate language) and as pycsw's columns (``Record``). ``refresh`` rewrites a layer's
record; ``refresh_all`` the whole catalogue."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from lxml import etree
from pygeometa.schemas.iso19139 import ISO19139OutputSchema

from core.conf import HROMADA, PUBLIC_URL
from core.service import SERVICE
from layers.models import Layer

from . import fill
from .models import Metadata, Record

__all__ = ["mcf", "refresh", "refresh_all"]

NS = {"gmd": "http://www.isotc211.org/2005/gmd", "gco": "http://www.isotc211.org/2005/gco"}
GEOMETRY = {"Point": "point", "MultiPoint": "point", "LineString": "curve"}


def _base_url() -> str:
    return (PUBLIC_URL or "http://127.0.0.1:8000").rstrip("/")


def _keywords(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


def _contact(md: Metadata) -> dict:
    return {
        "organization": {
            "ukr": md.organisation_uk or SERVICE["provider_uk"],
            "eng": md.organisation_en or SERVICE["provider_en"],
        },
        "individualname": md.contact_name or SERVICE["contact_name"],
        "email": md.contact_email or SERVICE["contact_email"],
        "phone": md.contact_phone or SERVICE["contact_phone"],
        "city": SERVICE["city_uk"],
        "country": SERVICE["country"],
        "url": SERVICE["provider_url"],
    }


def _links(layer: Layer) -> dict:
    base = _base_url()
    links = {
        "wms": {
            "url": f"{base}/wms",
            "type": "OGC:WMS",
            "name": layer.slug,
            "description": {"ukr": "Сервіс перегляду (WMS 1.3.0)", "eng": "View service"},
            "function": "browse",
        }
    }
    if not layer.is_raster:
        links["wfs"] = {
            "url": f"{base}/wfs",
            "type": "OGC:WFS",
            "name": layer.slug,
            "description": {"ukr": "Сервіс завантаження (WFS 2.0)", "eng": "Download service"},
            "function": "download",
        }
        links["oapif"] = {
            "url": f"{base}/ogc/collections/{layer.slug}",
            "type": "OGC:API-Features",
            "name": layer.slug,
            "description": {"ukr": "OGC API - Features", "eng": "OGC API - Features"},
            "function": "download",
        }
    return links


def mcf(md: Metadata) -> dict:
    """The layer's metadata in pygeometa's MCF (values {uk, en})."""
    layer = md.layer
    code, cond_uk, cond_en = fill.access_constraints(layer)
    extent = layer.extent if len(layer.extent or []) == 4 else HROMADA["extent"]
    revision = layer.data_updated_at or layer.updated_at
    dates = {"revision": revision.date().isoformat()}
    if md.date_creation:
        dates["creation"] = md.date_creation.isoformat()
    if md.date_publication:
        dates["publication"] = md.date_publication.isoformat()
    return {
        "mcf": {"version": "1.0"},
        "metadata": {
            "identifier": str(md.identifier),
            "language": "ukr",
            "language_alternate": "eng",
            "charset": "utf8",
            "hierarchylevel": "dataset",
            "datestamp": md.updated_at.date().isoformat(),
            "dataseturi": f"{_base_url()}/ogc/collections/{layer.slug}",
        },
        "spatial": {
            "datatype": "grid" if layer.is_raster else "vector",
            "geomtype": GEOMETRY.get(layer.geometry_type, "surface"),
        },
        "identification": {
            "language": "ukr",
            "charset": "utf8",
            "title": {"ukr": layer.title_uk, "eng": layer.title_en or layer.title_uk},
            "abstract": {
                "ukr": layer.description_uk or layer.title_uk,
                "eng": layer.description_en or layer.title_en or layer.title_uk,
            },
            "dates": dates,
            "keywords": {
                "default": {
                    "keywords": {
                        "ukr": _keywords(md.keywords_uk) or [layer.title_uk],
                        "eng": _keywords(md.keywords_en) or [layer.slug],
                    },
                    "keywords_type": "theme",
                },
                "nsdi": {
                    "keywords": {
                        "ukr": [md.get_nsdi_theme_display()] if md.nsdi_theme else [],
                        "eng": [md.nsdi_theme] if md.nsdi_theme else [],
                    },
                    "keywords_type": "theme",
                    "vocabulary": {
                        "name": {
                            "ukr": "Геопросторові дані (Закон України № 554-IX)",
                            "eng": "Geospatial data themes (Law of Ukraine No. 554-IX)",
                        },
                        "url": "https://zakon.rada.gov.ua/laws/show/554-20",
                    },
                },
            },
            "topiccategory": [md.topic_category] if md.topic_category else [],
            "extents": {"spatial": [{"bbox": list(extent), "crs": fill.CRS_CODE}]},
            "fees": SERVICE["fees"],
            "accessconstraints": code,
            "rights": {"ukr": cond_uk, "eng": cond_en},
            "license": {"name": layer.licence or "CC BY 4.0", "url": ""},
            "url": f"{_base_url()}/ogc/collections/{layer.slug}",
            "status": md.status or "completed",
            "maintenancefrequency": md.update_frequency or "asNeeded",
        },
        "contact": {"pointOfContact": _contact(md), "distributor": _contact(md)},
        "distribution": _links(layer),
        "dataquality": {
            "scope": {"level": "dataset"},
            "lineage": {
                "statement": {
                    "ukr": md.lineage_uk or fill.lineage(layer, "uk"),
                    "eng": md.lineage_en or fill.lineage(layer, "en"),
                }
            },
        },
    }


def _add_resolution(xml: str, md: Metadata) -> str:
    """pygeometa writes no spatialResolution: add the scale or the distance (ISO 19115)."""
    if not (md.scale_denominator or md.resolution_m):
        return xml
    root = etree.fromstring(xml.encode())
    ident = root.find(".//gmd:MD_DataIdentification", NS)
    res = etree.Element(f"{{{NS['gmd']}}}spatialResolution")
    inner = etree.SubElement(res, f"{{{NS['gmd']}}}MD_Resolution")
    if md.resolution_m:
        dist = etree.SubElement(inner, f"{{{NS['gmd']}}}distance")
        value = etree.SubElement(dist, f"{{{NS['gco']}}}Distance", uom="m")
        value.text = repr(md.resolution_m)
    else:
        scale = etree.SubElement(inner, f"{{{NS['gmd']}}}equivalentScale")
        frac = etree.SubElement(scale, f"{{{NS['gmd']}}}MD_RepresentativeFraction")
        den = etree.SubElement(frac, f"{{{NS['gmd']}}}denominator")
        etree.SubElement(den, f"{{{NS['gco']}}}Integer").text = str(md.scale_denominator)
    # ISO 19139 order: after spatialRepresentationType, before language
    anchor = ident.find("gmd:language", NS)
    anchor.addprevious(res)
    return etree.tostring(root, encoding="unicode")


def _add_bbox(xml: str, bbox) -> str:
    """pygeometa writes the extent as a polygon only: add the ISO 19115 core geographic
    bounding box (EX_GeographicBoundingBox) that CSW clients read."""
    root = etree.fromstring(xml.encode())
    extent = root.find(".//gmd:MD_DataIdentification//gmd:EX_Extent", NS)
    if extent is None:
        return xml
    element = etree.Element(f"{{{NS['gmd']}}}geographicElement")
    box = etree.SubElement(element, f"{{{NS['gmd']}}}EX_GeographicBoundingBox")
    names = ("westBoundLongitude", "southBoundLatitude", "eastBoundLongitude", "northBoundLatitude")
    for name, value in zip(names, bbox, strict=True):
        etree.SubElement(
            etree.SubElement(box, f"{{{NS['gmd']}}}{name}"), f"{{{NS['gco']}}}Decimal"
        ).text = repr(float(value))
    extent.insert(0, element)
    return etree.tostring(root, encoding="unicode")


def _columns(md: Metadata, doc: dict, xml: str) -> dict:
    layer, ident = md.layer, doc["identification"]
    minx, miny, maxx, maxy = ident["extents"]["spatial"][0]["bbox"]
    keywords = [k for group in ident["keywords"].values() for k in group["keywords"]["ukr"]] + [
        k for group in ident["keywords"].values() for k in group["keywords"]["eng"]
    ]
    lineage = doc["dataquality"]["lineage"]["statement"]
    org = doc["contact"]["pointOfContact"]["organization"]
    texts = [layer.title_uk, layer.title_en, layer.description_uk, layer.description_en]
    texts += keywords + [lineage["ukr"], lineage["eng"], org["ukr"], org["eng"], layer.slug]
    return {
        "identifier": str(md.identifier),
        "layer_slug": layer.slug,
        "insert_date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "xml": xml,
        "anytext": " ".join(t for t in texts if t),
        "title": layer.title_uk,
        "title_alternate": layer.title_en,
        "abstract": ident["abstract"]["ukr"],
        "keywords": ",".join(keywords),
        "keywordstype": "theme",
        "themes": json.dumps([{"keywords": [md.nsdi_theme], "thesaurus": {"title": "NSDI"}}]),
        "topicategory": md.topic_category,
        "resourcelanguage": "ukr",
        "creator": org["ukr"],
        "publisher": org["ukr"],
        "organization": org["ukr"],
        "accessconstraints": ident["accessconstraints"],
        "otherconstraints": ident["license"]["name"],
        "conditionapplyingtoaccessanduse": ident["rights"]["ukr"],
        "date": ident["dates"]["revision"],
        "date_revision": ident["dates"]["revision"],
        "date_creation": ident["dates"].get("creation"),
        "date_publication": ident["dates"].get("publication"),
        "date_modified": ident["dates"]["revision"],
        "format": "GeoTIFF" if layer.is_raster else "GML, GeoJSON",
        "source": layer.source,
        "crs": f"urn:ogc:def:crs:EPSG::{fill.CRS_CODE}",
        "denominator": str(md.scale_denominator) if md.scale_denominator else None,
        "distancevalue": repr(md.resolution_m) if md.resolution_m else None,
        "distanceuom": "m" if md.resolution_m else None,
        "wkt_geometry": (
            f"POLYGON(({minx} {miny},{minx} {maxy},{maxx} {maxy},{maxx} {miny},{minx} {miny}))"
        ),
        "lineage": lineage["ukr"],
        "responsiblepartyrole": "pointOfContact",
        "links": json.dumps(
            [
                {
                    "name": v["name"],
                    "description": v["description"]["eng"],
                    "protocol": v["type"],
                    "url": v["url"],
                }
                for v in doc["distribution"].values()
            ]
        ),
        "contacts": json.dumps(
            [{"organization": org["ukr"], "email": doc["contact"]["pointOfContact"]["email"]}]
        ),
    }


def refresh(layer: Layer) -> Record:
    """Fill the layer's metadata from the registry where empty and rewrite its record."""
    md = fill.ensure(layer)
    md.refresh_from_db()
    doc = mcf(md)
    xml = _add_resolution(ISO19139OutputSchema().write(doc), md)
    xml = _add_bbox(xml, doc["identification"]["extents"]["spatial"][0]["bbox"])
    columns = _columns(md, doc, xml)
    record, _ = Record.objects.update_or_create(layer=layer, defaults=columns)
    return record


def refresh_all() -> int:
    count = 0
    for layer in Layer.objects.all():
        refresh(layer)
        count += 1
    Record.objects.exclude(layer__in=Layer.objects.all()).delete()
    return count
