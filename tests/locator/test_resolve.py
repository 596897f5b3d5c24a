"""locate() as a plain function over the demo hromada: the cases the brief names."""

import pytest

from geoportal.locator.geo import to_lonlat
from geoportal.locator.models import Landmark
from geoportal.locator.resolve import locate

pytestmark = pytest.mark.django_db


def lonlat(result):
    return to_lonlat(result.candidate.x, result.candidate.y)


def test_same_street_name_in_town_and_village(registry):
    town = locate(text="вул. Шевченка 20")
    village = locate(text="с. Новоселівка, вул. Шевченка 20")
    assert town.candidate.settlement == "м. Долинська"
    assert village.candidate.settlement == "с. Новоселівка"
    assert village.confidence >= 0.5 and "Новоселівка" in village.explanation


@pytest.mark.parametrize(
    "text",
    ["вулиця Тараса Шевченка, 12", "на Шевченка 12", "вулицею Тараса Шевченка 12",
     "Shevchenka 12", "Шевченко улица дом 12"],
)  # fmt: skip
def test_street_spellings_agree(registry, text):
    expected = locate(text="вулиця Тараса Шевченка, 12")
    result = locate(text=text)
    assert result.confidence >= 0.5
    assert (result.candidate.x, result.candidate.y) == (expected.candidate.x, expected.candidate.y)


def test_between_two_poles_is_their_midpoint(registry):
    result = locate(text="між опорами 17 і 18 на Садовій")
    assert result.confidence >= 0.5 and result.candidate.basis == "between"
    poles = Landmark.objects.filter(kind="pole", street="вулиця Садова", ref_norm__in=["17", "18"])
    assert poles.count() >= 2


def test_phone_fix_picks_one_of_many_poles(registry):
    pole = Landmark.objects.filter(kind="pole", ref="17", street="вулиця Садова").first()
    from geoportal.locator.geo import to_lonlat as ll

    lon, lat = ll(pole.geom.x, pole.geom.y)
    result = locate(text="опора 17 не світить", lat=lat + 0.0002, lon=lon, accuracy_m=25)
    assert not result.ambiguous and result.confidence >= 0.5
    assert (result.candidate.x, result.candidate.y) == pytest.approx((pole.geom.x, pole.geom.y))
    assert "GPS" in result.explanation


def test_stale_fix_is_reported_not_trusted(registry):
    result = locate(text="люк К-204", lat=48.20, lon=32.60, accuracy_m=10)
    assert result.candidate.kind == "manhole"
    assert "інше місце" in result.explanation


def test_intersection(registry):
    from django.db import connection

    result = locate(text="яма на розі Мирної і Тополиної")
    assert result.candidate.basis == "intersection" and result.confidence >= 0.5
    assert "Перехрестя" in result.explanation
    with connection.cursor() as cur:  # the point lies on both streets
        cur.execute(
            "SELECT ref, ST_Distance(geom, ST_SetSRID(ST_MakePoint(%s, %s), 3857)) "
            "FROM locator_landmark WHERE kind = 'street' AND settlement = 'м. Долинська' "
            "AND ref IN ('вулиця Мирна', 'вулиця Тополина')",
            [result.candidate.x, result.candidate.y],
        )
        assert all(d < 1 for _, d in cur.fetchall())


def test_photo_fix_alone(registry):
    result = locate(photo_lat=48.11, photo_lon=32.764)
    lon, lat = lonlat(result)
    assert abs(lat - 48.11) < 1e-6 and result.evidence[0]["type"] == "photo_gps"


def test_nothing_found(registry):
    result = locate(text="допоможіть будь ласка")
    assert result.candidate is None and result.confidence == 0
