"""Fixtures of the condition tests: the registers filled (committed) from the demo layers once
per module, and removed again after it, with the layers they published, so other tests see
the demo as loaded."""

import pytest


@pytest.fixture(scope="module")
def registers(django_db_setup, django_db_blocker, demo_layers):
    if "street-light-poles" not in demo_layers:
        pytest.skip("demo hromada not loaded (GEOPORTAL_TEST_NO_DEMO=1)")
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_conditions_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        clear_registers()


def clear_registers():
    from geoportal.conditions.models import Outage, Pole, Segment
    from layers.models import Layer, LayerRole

    Pole.objects.all().delete()
    Segment.objects.all().delete()
    Outage.objects.all().delete()
    roles = [LayerRole.LIGHTING_CONDITION, LayerRole.ROAD_CONDITION, LayerRole.BUDGET]
    for layer in Layer.objects.filter(role__in=roles):
        layer.delete()  # takes its table along (layers.signals)


@pytest.fixture(autouse=True)
def _fresh_buckets(fresh_buckets):
    """Rate-limit buckets of one test must not leak into the next."""


@pytest.fixture
def dispatcher(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="dispatcher")


def lonlat(point):
    p = point.transform(4326, clone=True)
    return p.x, p.y
