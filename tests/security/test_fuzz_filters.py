"""Fuzzed filters and parsers: hypothesis builds FES 2.0 XML filters (well-formed from a
grammar, then mutated byte by byte) for /wfs, WFS key-value requests and whole XML GetFeature
requests (mutated), and CQL2 text / JSON filters for the OGC API and REST items.
No answer may be a 5xx, and none may carry SQL, a driver message or a stack trace.

Slow (many requests): `make test-long`; GEOPORTAL_FUZZ_EXAMPLES sets the examples per test."""

from __future__ import annotations

import json

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .hostile import EXAMPLES, assert_clean, wfs_get_feature

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
LAYER = "bus-stops"  # name, routes (text) + Point
NUMERIC_LAYER = "parcels"  # cadnum (text), area_ha (float): type mismatches matter here
PROPERTIES = ["name", "routes", "area_ha", "cadnum", "geom", "geometry", "fid", "id", "nope"]
NASTY = [
    "'", "''", "' OR 1=1 --", "'; DROP TABLE layers_layer; --", "\\", "%", "_", "\x00",
    "1e309", "-0", "NaN", "9" * 40, "Шевченка", "😀", "<x/>", "]]>", "&amp;", "",
]  # fmt: skip
texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=30))
numbers = st.one_of(st.integers(-(10**20), 10**20), st.floats(allow_nan=True))
literals = st.one_of(texts, numbers.map(str))
props = st.one_of(st.sampled_from(PROPERTIES), texts)

# -- FES 2.0 -------------------------------------------------------------------------------
FES_NS = 'xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"'


def _x(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _comparison(op, prop, value):
    return (
        f"<fes:{op}><fes:ValueReference>{_x(prop)}</fes:ValueReference>"
        f"<fes:Literal>{_x(value)}</fes:Literal></fes:{op}>"
    )


fes_leaf = st.one_of(
    st.builds(
        _comparison,
        st.sampled_from(
            [
                "PropertyIsEqualTo",
                "PropertyIsNotEqualTo",
                "PropertyIsLessThan",
                "PropertyIsGreaterThanOrEqualTo",
                "PropertyIsLike",
                "Unknown",
            ]
        ),
        props,
        literals,
    ),  # fmt: skip
    st.builds(
        lambda p: (
            f"<fes:PropertyIsNull><fes:ValueReference>{_x(p)}</fes:ValueReference>"
            "</fes:PropertyIsNull>"
        ),
        props,
    ),
    st.builds(
        lambda p, a, b: (
            f"<fes:PropertyIsBetween><fes:ValueReference>{_x(p)}</fes:ValueReference>"
            f"<fes:LowerBoundary><fes:Literal>{_x(a)}</fes:Literal></fes:LowerBoundary>"
            f"<fes:UpperBoundary><fes:Literal>{_x(b)}</fes:Literal></fes:UpperBoundary>"
            "</fes:PropertyIsBetween>"
        ),
        props,
        literals,
        literals,
    ),
    st.builds(
        lambda p, c: (
            f"<fes:BBOX><fes:ValueReference>{_x(p)}</fes:ValueReference>"
            f'<gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326"><gml:lowerCorner>{_x(c[0])} '
            f"{_x(c[1])}</gml:lowerCorner><gml:upperCorner>{_x(c[2])} {_x(c[3])}</gml:upperCorner>"
            "</gml:Envelope></fes:BBOX>"
        ),
        props,
        st.lists(numbers.map(str) | texts, min_size=4, max_size=4),
    ),
    st.builds(lambda i: f'<fes:ResourceId rid="{_x(i)}"/>', st.one_of(texts, literals)),
)
fes_predicates = st.recursive(
    fes_leaf,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"<fes:And>{a}{b}</fes:And>", inner, inner),
        st.builds(lambda a, b: f"<fes:Or>{a}{b}</fes:Or>", inner, inner),
        st.builds(lambda a: f"<fes:Not>{a}</fes:Not>", inner),
    ),
    max_leaves=6,
)
fes_filters = fes_predicates.map(lambda p: f"<fes:Filter {FES_NS}>{p}</fes:Filter>")


@st.composite
def mutated(draw, documents):
    """A valid document with a few characters deleted, replaced or inserted."""
    text = draw(documents)
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        kind = draw(st.sampled_from(["delete", "replace", "insert"]))
        char = draw(st.sampled_from(list("<>/\"'&=;!?: ")) | st.characters())
        if kind == "delete":
            text = text[:at] + text[at + 1 :]
        elif kind == "replace":
            text = text[:at] + char + text[at + 1 :]
        else:
            text = text[:at] + char + text[at:]
    return text


def test_fes_filters_from_the_grammar(security_server):
    session = requests.Session()

    @FUZZ
    @given(filter_xml=fes_filters, layer=st.sampled_from([LAYER, NUMERIC_LAYER]))
    def check(filter_xml, layer):
        assert_clean(wfs_get_feature(security_server, filter_xml, layer, session), filter_xml)

    check()


def test_fes_filters_mutated(security_server):
    session = requests.Session()

    @FUZZ
    @given(filter_xml=mutated(fes_filters), layer=st.sampled_from([LAYER, NUMERIC_LAYER]))
    def check(filter_xml, layer):
        assert_clean(wfs_get_feature(security_server, filter_xml, layer, session), filter_xml)

    check()


# -- WFS key-value parameters and XML requests ----------------------------------------------
WFS_KEYS = ["SERVICE", "VERSION", "REQUEST", "TYPENAMES", "TYPENAME", "COUNT", "STARTINDEX",
            "BBOX", "SRSNAME", "OUTPUTFORMAT", "PROPERTYNAME", "SORTBY", "RESOURCEID",
            "RESULTTYPE", "VALUEREFERENCE", "STOREDQUERY_ID", "QUERY", "FILTER_LANGUAGE"]  # fmt: skip
wfs_values = st.one_of(
    literals,
    st.sampled_from(["WFS", "2.0.0", "GetFeature", "GetPropertyValue", "DescribeFeatureType",
                     "bus-stops", "parcels", "manholes", "hits", "-1", "0", "32.7,48.1,32.8,48.2",
                     "urn:ogc:def:crs:EPSG::4326", "EPSG:9999", "application/json", "name DESC",
                     "bus-stops.1", "urn:ogc:def:query:OGC-WFS::GetFeatureById"]),
)  # fmt: skip
wfs_kvp = st.dictionaries(st.sampled_from(WFS_KEYS), wfs_values, min_size=1, max_size=8)
WFS_BODY = (
    '<wfs:GetFeature service="WFS" version="2.0.0" count="5" '
    'xmlns:wfs="http://www.opengis.net/wfs/2.0" {ns}><wfs:Query typeNames="{layer}">'
    "<fes:Filter>{filter}</fes:Filter></wfs:Query></wfs:GetFeature>"
)


def test_wfs_key_value_parameters(security_server, role_sessions):
    session = role_sessions["staff"]  # signed in: big GetFeatures are not rate-limited

    @FUZZ
    @given(params=wfs_kvp)
    def check(params):
        response = session.get(
            f"{security_server}/wfs", params={"SERVICE": "WFS", **params}, timeout=60
        )
        assert_clean(response, repr(params))

    check()


def test_wfs_xml_requests_mutated(security_server, role_sessions):
    session = role_sessions["staff"]
    bodies = st.builds(
        lambda f, layer: WFS_BODY.format(ns=FES_NS, layer=layer, filter=f),
        fes_filters, st.sampled_from([LAYER, NUMERIC_LAYER]),
    )  # fmt: skip

    @FUZZ
    @given(body=mutated(bodies))
    def check(body):
        response = session.post(f"{security_server}/wfs", data=body.encode("utf-8", "replace"),
                                headers={"Content-Type": "application/xml"}, timeout=60)  # fmt: skip
        assert_clean(response, body)

    check()


# -- CQL2 ----------------------------------------------------------------------------------
def _quote(value):
    return "'" + str(value).replace("'", "''") + "'"


cql_values = st.one_of(literals.map(_quote), numbers.map(str), st.sampled_from(["TRUE", "NULL"]))
cql_leaf = st.one_of(
    st.builds(
        lambda p, op, v: f"{p} {op} {v}",
        props,
        st.sampled_from(["=", "<>", "<", ">=", "LIKE", "ILIKE", "IN", "=="]),
        cql_values,
    ),
    st.builds(lambda p, a, b: f"{p} BETWEEN {a} AND {b}", props, cql_values, cql_values),
    st.builds(lambda p: f"{p} IS NULL", props),
    st.builds(lambda p, vs: f"{p} IN ({', '.join(vs)})", props, st.lists(cql_values, max_size=4)),
    st.builds(
        lambda f, p, x, y: f"{f}({p}, POINT({x} {y}))",
        st.sampled_from(["S_INTERSECTS", "S_WITHIN", "S_DWITHIN", "INTERSECTS"]),
        props,
        numbers,
        numbers,
    ),
    st.builds(
        lambda p, c: f"S_INTERSECTS({p}, BBOX({', '.join(map(str, c))}))",
        props,
        st.lists(numbers, min_size=4, max_size=4),
    ),
)
cql_text = st.recursive(
    cql_leaf,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a}) AND ({b})", inner, inner),
        st.builds(lambda a, b: f"{a} OR {b}", inner, inner),
        st.builds(lambda a: f"NOT ({a})", inner),
    ),
    max_leaves=6,
)
json_scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
cql_json = st.recursive(
    st.one_of(json_scalars, st.builds(lambda p: {"property": p}, props)),
    lambda inner: st.one_of(
        st.builds(
            lambda op, args: {"op": op, "args": args},
            st.sampled_from(
                [
                    "=",
                    "<",
                    "like",
                    "and",
                    "or",
                    "not",
                    "between",
                    "in",
                    "isNull",
                    "s_intersects",
                    "unknown",
                ]
            )
            | texts,
            st.lists(inner, max_size=3),
        ),  # fmt: skip
        st.lists(inner, max_size=3),
        st.dictionaries(texts, inner, max_size=2),
        st.builds(
            lambda t, c: {"type": t, "coordinates": c},
            st.sampled_from(["Point", "Polygon", "LineString", "Nope"]),
            st.lists(numbers | st.lists(numbers, max_size=3), max_size=4),
        ),
    ),
    max_leaves=8,
)


def _items(base, session, path, params):
    return session.get(f"{base}{path}", params=params, timeout=60)


PATHS = st.sampled_from(
    [f"/ogc/collections/{LAYER}/items", f"/ogc/collections/{NUMERIC_LAYER}/items",
     f"/api/v1/layers/{NUMERIC_LAYER}/features/"]
)  # fmt: skip


def test_cql2_text_filters(security_server):
    session = requests.Session()

    @FUZZ
    @given(text=st.one_of(cql_text, mutated(cql_text)), path=PATHS)
    def check(text, path):
        response = _items(security_server, session, path, {"filter": text, "limit": 5})
        assert_clean(response, text)

    check()


def test_cql2_json_filters(security_server):
    session = requests.Session()

    @FUZZ
    @given(doc=cql_json, path=PATHS)
    def check(doc, path):
        params = {"filter": json.dumps(doc), "filter-lang": "cql2-json", "limit": 5}
        assert_clean(_items(security_server, session, path, params), json.dumps(doc))

    check()
