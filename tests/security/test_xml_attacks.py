"""XML entity attacks on the FES filter parser (WFS KVP FILTER and POST bodies): billion laughs
and external entities are refused with an OWS exception (400), never expanded or fetched."""

from __future__ import annotations

import time

import pytest
import requests

from .hostile import assert_clean, wfs_get_feature

pytestmark = pytest.mark.django_db

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>"""
FES = 'xmlns:fes="http://www.opengis.net/fes/2.0"'
FILTER = (
    f"<fes:Filter {FES}><fes:PropertyIsEqualTo><fes:ValueReference>name</fes:ValueReference>"
    "<fes:Literal>{literal}</fes:Literal></fes:PropertyIsEqualTo></fes:Filter>"
)
EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY ext SYSTEM "{url}">]>'
PARAMETER_ENTITY = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY % p SYSTEM "{url}"> %p;]>'


def _post_body(filter_xml: str) -> str:
    return (
        '<wfs:GetFeature service="WFS" version="2.0.0" count="5" '
        'xmlns:wfs="http://www.opengis.net/wfs/2.0" '
        'xmlns:hromada="https://geoportal.example/hromada">'
        f'<wfs:Query typeNames="hromada:bus-stops">{filter_xml}</wfs:Query></wfs:GetFeature>'
    )


def attacks():
    passwd = "file:///etc/passwd"
    return {
        "billion-laughs": LAUGHS + FILTER.format(literal="&lol9;"),
        "external-file": EXTERNAL.format(url=passwd) + FILTER.format(literal="&ext;"),
        "external-http": EXTERNAL.format(url="http://127.0.0.1:9/x")
        + FILTER.format(literal="&ext;"),
        "parameter-entity": PARAMETER_ENTITY.format(url=passwd) + FILTER.format(literal="x"),
        "dtd-only": '<!DOCTYPE x SYSTEM "file:///etc/passwd">' + FILTER.format(literal="x"),
    }


@pytest.mark.parametrize("name", list(attacks()))
def test_fes_filter_entities_refused_in_kvp(security_server, name):
    started = time.monotonic()
    response = wfs_get_feature(security_server, attacks()[name])
    assert time.monotonic() - started < 10  # nothing was expanded
    assert response.status_code == 400, response.text[:500]
    assert "ExceptionReport" in response.text
    assert "root:" not in response.text and "lollol" not in response.text
    assert_clean(response, name)


@pytest.mark.parametrize("name", list(attacks()))
def test_fes_filter_entities_refused_in_post(security_server, name):
    xml = attacks()[name]
    prolog, _, filter_xml = xml.rpartition("]>") if "]>" in xml else ("", "", xml)
    if name == "dtd-only":
        prolog, filter_xml = xml.split(">", 1)[0] + ">", xml.split(">", 1)[1]
    else:
        prolog += "]>"
    body = prolog + _post_body(filter_xml)
    response = requests.post(
        f"{security_server}/wfs",
        data=body.encode(),
        headers={"Content-Type": "application/xml"},
        timeout=30,
    )
    assert response.status_code == 400, response.text[:500]
    assert "ExceptionReport" in response.text
    assert "root:" not in response.text and "lollol" not in response.text
    assert_clean(response, name)


def test_same_post_without_a_dtd_is_served(security_server):
    """The control: the attack bodies fail because of their DTD, not because of the request."""
    body = _post_body(FILTER.format(literal="Елеватор"))
    response = requests.post(
        f"{security_server}/wfs",
        data=body.encode(),
        headers={"Content-Type": "application/xml"},
        timeout=30,
    )
    assert response.status_code == 200, response.text[:500]
    assert 'numberReturned="1"' in response.text
