"""POST /api/v1/locate over real HTTP (gunicorn over the test database with the demo)."""

import json
import re
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.django_db


def post(base, body, raw=None, lang=None):
    data = raw if raw is not None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if lang:
        headers["Accept-Language"] = lang
    req = urllib.request.Request(base + "/api/v1/locate", data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type"), json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), json.loads(e.read())


@pytest.fixture(scope="module")
def base(registry, portal_server):
    return portal_server


def test_manhole_with_gps_is_confident_and_leaks_nothing(base):
    status, _, body = post(base, {"text": "люк К-204 відкритий"})
    assert status == 200
    assert body["confidence"] >= 0.5 and not body["ambiguous"]
    assert "К-204" in body["explanation"]
    # Staff-only layer: ref, kind and point only; no layer name, no depth or network.
    cand = body["candidates"][0]
    assert cand["kind"] == "manhole" and cand["layer"] is None
    flat = json.dumps(body, ensure_ascii=False)
    for leak in ("depth", "network", "каналізація", "manholes", "street-light-poles"):
        assert leak not in flat
    lat, lon = body["lat"], body["lon"]
    status, _, body = post(base, {"text": "люк К-204", "lat": lat + 0.0002, "lon": lon,
                                  "accuracy_m": 20})  # fmt: skip
    assert status == 200 and "GPS" in body["explanation"]


def test_pole_number_alone_is_ambiguous_with_candidates(base):
    status, _, body = post(base, {"text": "опора 17 не світить"})
    assert status == 200
    assert body["ambiguous"] and body["confidence"] < 0.5
    assert len(body["candidates"]) > 1
    assert "Неоднозначно" in body["explanation"]


def test_street_settles_the_pole(base):
    status, _, body = post(base, {"text": "опора 17 на вул. Тараса Шевченка не світить"})
    assert status == 200 and body["confidence"] >= 0.5
    # street-light poles are public in the demo since issue 17 (their numbers are painted on
    # them): the answer is the pole itself, described by its street (power poles and manholes
    # stay shielded: tests/security/test_shield.py)
    assert "Шевченка" in body["explanation"] and body["uncertainty_m"] < 50


def test_explanation_is_english_on_request(base):
    # Only the names from the data (street, settlement) may stay Cyrillic in English.
    cyrillic = re.compile("[\u0400-\u04ff]")
    text = "опора 17 на вул. Тараса Шевченка не світить"
    lat, lon = (post(base, {"text": text})[2][k] for k in ("lat", "lon"))
    body = {"text": text, "lat": lat + 0.0001, "lon": lon, "accuracy_m": 20}
    status, _, out = post(base, body, lang="en")
    best = out["candidates"][0]
    sentence = out["explanation"].replace(best["street"], "").replace(best["settlement"], "")
    assert status == 200 and sentence.startswith("Pole No. 17"), out["explanation"]
    assert "phone's GPS" in sentence and not cyrillic.search(sentence), out["explanation"]
    status, _, out = post(base, {}, lang="en")
    assert status == 400 and out["detail"] == "Invalid request to locate a place."
    assert not cyrillic.search(out["errors"]["non_field_errors"][0])


def test_address_and_sources(base):
    status, _, body = post(base, {"text": "яма біля буд. 12 по вул. Тараса Шевченка"})
    assert status == 200 and body["confidence"] >= 0.5
    assert body["candidates"][0]["layer"] == "buildings"
    # Limited to pole layers, the same text has no address to use.
    status, _, body = post(
        base, {"text": "яма біля буд. 12 по вул. Тараса Шевченка", "sources": ["bus-stops"]}
    )
    assert status == 422 or body["confidence"] < 0.5


def test_staff_sources_are_unknown_to_residents_but_not_to_staff(base):
    import base64

    body = {"text": "люк К-204", "sources": ["manholes"]}
    status, _, out = post(base, body)
    assert status == 400 and "manholes" in out["errors"]["sources"][0]
    unknown = post(base, {"text": "люк К-204", "sources": ["no-such-layer"]})[2]
    assert out["errors"]["sources"][0].replace("manholes", "X") == unknown["errors"]["sources"][
        0
    ].replace("no-such-layer", "X")
    auth = "Basic " + base64.b64encode(b"dispatcher:demo-pass-123").decode()
    req = urllib.request.Request(
        base + "/api/v1/locate", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": auth},
    )  # fmt: skip
    with urllib.request.urlopen(req, timeout=60) as r:
        assert r.status == 200 and json.loads(r.read())["confidence"] >= 0.5


def test_gps_only(base):
    status, _, body = post(base, {"lat": 48.11, "lon": 32.764, "accuracy_m": 10})
    assert status == 200 and body["confidence"] >= 0.5
    assert abs(body["lat"] - 48.11) < 1e-5


def test_nothing_located_is_422_problem(base):
    status, ctype, body = post(base, {"text": "допоможіть будь ласка"})
    assert status == 422 and ctype.startswith("application/problem+json")
    assert body["code"] == "not-located" and body["candidates"] == []


@pytest.mark.parametrize(
    "body, field",
    [({}, "non_field_errors"), ({"text": "   "}, "non_field_errors"),
     ({"text": "x" * 2001}, "text"), ({"lat": 50.45, "lon": 30.52}, "lat"),
     ({"lat": "north", "lon": 32.7}, "lat"), ({"lat": 48.11}, "lon"),
     ({"text": "опора 1", "landmarks": "ОП-1"}, "landmarks"),
     ({"text": "опора 1", "sources": ["parcels"]}, "sources"),
     ({"text": "опора 1", "sources": ["no-such-layer"]}, "sources"),
     ({"text": "опора 1", "accuracy_m": -5}, "accuracy_m")],
)  # fmt: skip
def test_bad_input_is_400_with_field_errors(base, body, field):
    status, ctype, out = post(base, body)
    assert status == 400 and ctype.startswith("application/problem+json")
    assert field in out["errors"]


def test_not_json_object_is_400(base):
    assert post(base, None, raw=b"[1, 2]")[0] == 400
    assert post(base, None, raw=b"{not json")[0] == 400
