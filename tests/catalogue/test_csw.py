"""The catalogue at /csw with OWSLib's CatalogueServiceWeb (the client of QGIS's MetaSearch):
capabilities with the one service configuration, GetRecords with full-text, bbox, keyword and
date filters, GetRecordById in ISO 19139 and Dublin Core, the access rule (staff-only layers'
records absent for anonymous callers, present for staff), bad input as OWS exceptions."""

from __future__ import annotations

import pytest
import requests
from lxml import etree

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

GMD = "http://www.isotc211.org/2005/gmd"


def csw(url, **kwargs):
    from owslib.csw import CatalogueServiceWeb

    return CatalogueServiceWeb(f"{url}/csw", version="2.0.2", timeout=60, **kwargs)


def titles(service) -> set[str]:
    return {r.title for r in service.records.values()}


def test_capabilities_carry_the_service_metadata(portal_server):
    from core.service import SERVICE

    service = csw(portal_server)
    assert service.identification.type == "CSW"
    assert service.provider.name == SERVICE["provider_uk"]
    assert service.identification.fees == SERVICE["fees"]
    assert "NSDI" in service.identification.keywords
    assert "GetRecords" in [op.name for op in service.operations]
    r = requests.get(
        f"{portal_server}/csw", params={"service": "CSW", "request": "GetCapabilities"}
    )
    assert r.status_code == 200 and b"csw30:Capabilities" in r.content  # CSW 3.0 by default


def test_full_text_keyword_and_bbox_filters(portal_server, demo_layers):
    from owslib.fes import BBox, PropertyIsEqualTo, PropertyIsLike

    service = csw(portal_server)
    service.getrecords2(constraints=[PropertyIsLike("csw:AnyText", "%ділянки%")], maxrecords=50)
    assert demo_layers["parcels"].title_uk in titles(service)
    assert demo_layers["rivers"].title_uk not in titles(service)

    service.getrecords2(
        constraints=[PropertyIsEqualTo("apiso:TopicCategory", "transportation")],
        typenames="gmd:MD_Metadata",
        maxrecords=50,
    )
    found = titles(service)
    assert found and demo_layers["parcels"].title_uk not in found

    service.getrecords2(constraints=[PropertyIsLike("dc:subject", "%cadastral-parcels%")])
    assert demo_layers["parcels"].title_uk in titles(service)

    # a box far from the hromada finds nothing; one over it finds every public layer
    service.getrecords2(constraints=[BBox([10.0, 40.0, 11.0, 41.0])], maxrecords=50)
    assert service.results["matches"] == 0
    minx, miny, maxx, maxy = demo_layers["parcels"].extent
    service.getrecords2(constraints=[BBox([miny, minx, maxy, maxx])], maxrecords=50)
    assert demo_layers["parcels"].title_uk in titles(service)


def test_date_filter(portal_server, demo_layers):
    from owslib.fes import PropertyIsGreaterThanOrEqualTo, PropertyIsLessThan

    service = csw(portal_server)
    service.getrecords2(
        constraints=[PropertyIsGreaterThanOrEqualTo("apiso:RevisionDate", "2000-01-01")],
        typenames="gmd:MD_Metadata",
        maxrecords=50,
    )
    assert service.results["matches"] > 0
    service.getrecords2(
        constraints=[PropertyIsLessThan("apiso:RevisionDate", "2000-01-01")],
        typenames="gmd:MD_Metadata",
        maxrecords=50,
    )
    assert service.results["matches"] == 0


def test_getrecordbyid_in_iso19139_and_dublin_core(portal_server, demo_layers):
    from geoportal.catalogue.models import Metadata

    md = Metadata.objects.get(layer=demo_layers["parcels"])
    service = csw(portal_server)
    service.getrecordbyid(id=[str(md.identifier)], outputschema=GMD)
    record = service.records[str(md.identifier)]
    assert record.identification[0].title == demo_layers["parcels"].title_uk
    assert "Земельні ділянки (кадастрові)" in " ".join(  # the NSDI theme
        k for kw in record.identification[0].keywords for k in (x.name for x in kw.keywords)
    )
    assert record.dataquality.lineage and "parcels" in record.dataquality.lineage
    assert record.identification[0].topiccategory == ["planningCadastre"]
    xml = etree.fromstring(service.response)
    ns = {"gmd": GMD}
    assert xml.find(".//gmd:PT_FreeText", ns) is not None  # English beside Ukrainian
    assert xml.find(".//gmd:EX_GeographicBoundingBox", ns) is not None
    assert xml.find(".//gmd:MD_RestrictionCode", ns).get("codeListValue") == "otherRestrictions"
    service.getrecordbyid(id=[str(md.identifier)])  # Dublin Core
    assert service.records[str(md.identifier)].title == demo_layers["parcels"].title_uk


def test_staff_only_records_absent_for_anonymous_present_for_staff(portal_server, demo_layers):
    from owslib.fes import PropertyIsLike

    from geoportal.catalogue.models import Metadata

    staff_layer = demo_layers["manholes"]
    assert staff_layer.access == "staff"
    ident = str(Metadata.objects.get(layer=staff_layer).identifier)
    query = [PropertyIsLike("csw:AnyText", "%" + staff_layer.title_uk + "%")]

    anonymous = csw(portal_server)
    anonymous.getrecords2(constraints=query, maxrecords=50)
    assert staff_layer.title_uk not in titles(anonymous)
    anonymous.getrecordbyid(id=[ident])
    assert ident not in anonymous.records
    anonymous.getrecords2(maxrecords=100)
    public = anonymous.results["matches"]

    staff = csw(portal_server, username="planner", password=PASSWORD)
    staff.getrecords2(constraints=query, maxrecords=50)
    assert staff_layer.title_uk in titles(staff)
    staff.getrecordbyid(id=[ident])
    assert ident in staff.records
    staff.getrecords2(maxrecords=100)
    assert staff.results["matches"] > public


@pytest.mark.parametrize(
    "params",
    [
        {"request": "GetRecords", "constraint": "title = 'x", "constraintlanguage": "CQL_TEXT"},
        {"request": "GetRecords", "maxrecords": "NaN"},
        {"request": "GetRecordById", "id": "\x00\x1b"},
        {"request": "Nope"},
    ],
)
def test_bad_requests_are_ows_exceptions(client, params):
    r = client.get(
        "/csw",
        {"service": "CSW", "version": "2.0.2", "typenames": "csw:Record", **params},
        HTTP_HOST="127.0.0.1",
    )
    assert r.status_code < 500
    if params["request"] != "GetRecordById":
        assert b"ExceptionReport" in r.content


def test_xml_with_entities_is_refused(client):
    body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><csw:GetCapabilities xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" service="CSW">&a;</csw:GetCapabilities>'
    r = client.post("/csw", body, content_type="application/xml", HTTP_HOST="127.0.0.1")
    assert r.status_code < 500 and b"ExceptionReport" in r.content
