"""The landmark registry built from the demo layers, and its lazy rebuild."""

import pytest

from geoportal.locator.models import Landmark, LandmarkSource
from geoportal.locator.registry import ensure_fresh

pytestmark = pytest.mark.django_db


def test_sources_and_kinds(registry):
    kinds = dict(
        (k, Landmark.objects.filter(kind=k).count())
        for k in ("pole", "manhole", "stop", "street", "address", "facility")
    )
    assert all(n > 0 for n in kinds.values()), kinds
    assert Landmark.objects.filter(kind="manhole", ref="К-204", ref_norm="к204").exists()
    assert Landmark.objects.filter(kind="pole", ref__startswith="ОП-", ref_norm="17").exists()
    town = Landmark.objects.filter(kind="address", settlement="м. Долинська").count()
    village = Landmark.objects.filter(kind="address", settlement="с. Новоселівка").count()
    assert town > village > 0
    # Poles are named after the public street they stand on.
    assert Landmark.objects.filter(kind="pole").exclude(street="").count() > 1000


def test_rebuilt_when_the_layer_version_changes(registry):
    from layers.models import Layer

    stops = Layer.objects.get(slug="bus-stops")
    assert ensure_fresh(now=True) == []
    Landmark.objects.filter(layer=stops).delete()
    stops.bump_version()
    assert ensure_fresh(now=True) == ["bus-stops"]
    assert Landmark.objects.filter(layer=stops).count() == 40
    assert LandmarkSource.objects.get(layer=stops).version == stops.version


def test_build_landmarks_command_errors(registry):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not a landmark source"):
        call_command("build_landmarks", layer="parcels")
    with pytest.raises(CommandError, match="no layer"):
        call_command("build_landmarks", layer="nope")
