"""The web map's JSON search over the catalogue's records (/api/v1/catalogue/?q=)."""

import pytest

pytestmark = pytest.mark.django_db


def test_search_finds_by_keyword_and_respects_access(client, demo_layers, django_user_model):
    r = client.get("/api/v1/catalogue/", {"q": "кадастрові"}, HTTP_HOST="127.0.0.1")
    assert r.status_code == 200
    assert "parcels" in [x["layer"] for x in r.json()["results"]]
    staff_title = demo_layers["manholes"].title_uk
    r = client.get("/api/v1/catalogue/", {"q": staff_title}, HTTP_HOST="127.0.0.1")
    assert "manholes" not in [x["layer"] for x in r.json()["results"]]
    client.force_login(django_user_model.objects.get(username="planner"))
    r = client.get("/api/v1/catalogue/", {"q": staff_title}, HTTP_HOST="127.0.0.1")
    assert "manholes" in [x["layer"] for x in r.json()["results"]]


@pytest.mark.parametrize("q", ["\x00", "x" * 500])
def test_bad_query_is_a_400(client, q):
    r = client.get("/api/v1/catalogue/", {"q": q}, HTTP_HOST="127.0.0.1")
    assert r.status_code == 400 and r["Content-Type"].startswith("application/problem+json")
