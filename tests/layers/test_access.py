"""Who sees which layer: one rule for every path."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from geoportal.accounts.roles import ANALYSTS, PLANNERS, assign_role
from layers.access import can_view, visible_layers
from layers.models import Access, Layer

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_layers():
    public = Layer.objects.create(slug="t-public", title_uk="П", access=Access.PUBLIC)
    staff = Layer.objects.create(slug="t-staff", title_uk="С", access=Access.STAFF)
    restricted = Layer.objects.create(slug="t-restricted", title_uk="О", access=Access.RESTRICTED)
    restricted.groups.add(Group.objects.get(name=ANALYSTS))
    return public, staff, restricted


def slugs(user):
    return set(visible_layers(user).filter(slug__startswith="t-").values_list("slug", flat=True))


def test_roles_see_their_layers(three_layers):
    resident = User.objects.create_user("resident")
    planner = User.objects.create_user("planner-x")
    assign_role(planner, PLANNERS)
    analyst = User.objects.create_user("analyst-x")
    assign_role(analyst, ANALYSTS)
    admin = User.objects.create_superuser("root-x")
    assert slugs(AnonymousUser()) == {"t-public"}
    assert slugs(resident) == {"t-public"}
    assert slugs(planner) == {"t-public", "t-staff"}
    assert slugs(analyst) == {"t-public", "t-restricted"}
    assert slugs(admin) == {"t-public", "t-staff", "t-restricted"}
    for user in (AnonymousUser(), resident, planner, analyst, admin):
        for layer in three_layers:
            assert can_view(user, layer) == (layer.slug in slugs(user)), (user, layer)


def test_access_change_bumps_the_version(three_layers):
    public = three_layers[0]
    version = public.version
    public.access = Access.STAFF
    public.save()
    assert Layer.objects.get(pk=public.pk).version > version
