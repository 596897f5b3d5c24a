"""The portal's roles as Django groups, and helpers to give a user one."""

from __future__ import annotations

from django.contrib.auth.models import Group

__all__ = [
    "ANALYSTS", "DISPATCHERS", "PERMISSIONS", "PLANNERS", "ROLES", "STAFF_ROLES", "assign_role",
    "grant_role_permissions",
]  # fmt: skip

PLANNERS = "planners"
DISPATCHERS = "dispatchers"
ANALYSTS = "analysts"
ROLES = {
    PLANNERS: "Планувальники (працівники)",
    DISPATCHERS: "Диспетчери звернень (працівники)",
    ANALYSTS: "ГІС-аналітики (доступ через API-токен)",
}
STAFF_ROLES = {PLANNERS, DISPATCHERS}

# The admin permissions each role's work needs, and no more: planners keep the layers, their
# metadata and imports (deleting a layer, which drops its table, is for administrators);
# dispatchers handle reports, their answers and moderation and the ban list, and read the
# reference lists (categories, departments, areas); analysts work through the API only.
# Permission codenames are "<action>_<model>"; applied after every migrate (accounts/apps.py).
PERMISSIONS = {
    PLANNERS: {
        "layers.layer": ("view", "change"),
        "layers.featureedit": ("view",),  # the record of feature edits, and its revert action
        "catalogue.metadata": ("view", "change"),
        "catalogue.record": ("view",),
        "importers.importrun": ("view", "change"),
        "locator.landmarksource": ("view",),
        "locator.landmark": ("view",),
    },
    DISPATCHERS: {
        "reports.report": ("view", "change"),
        "reports.photo": ("view", "change"),
        "reports.reportupdate": ("view", "add"),
        "reports.responsetemplate": ("view", "add", "change"),
        "reports.bannedsender": ("view", "add", "change", "delete"),
        "reports.subscription": ("view",),
        "reports.confirmation": ("view",),
        "reports.category": ("view",),
        "reports.department": ("view",),
        "reports.area": ("view",),
        # the communal services' registers: inspections in the field, outages (conditions app)
        "conditions.inspection": ("view", "add"),
        "conditions.outage": ("view", "add", "change", "delete"),
        "conditions.pole": ("view",),
        "conditions.segment": ("view", "change"),
    },
    ANALYSTS: {},
}


def assign_role(user, role: str) -> None:
    """Put ``user`` in the role's group; staff roles also get ``is_staff`` (admin access)."""
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def grant_role_permissions(**_kwargs) -> None:
    """Give each role's group exactly the permissions of PERMISSIONS (run after migrate, when
    every model's permissions exist; models of apps not installed are skipped)."""
    from django.contrib.auth.models import Permission

    for role, models in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for label, actions in models.items():
            app_label, model = label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            wanted += Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.set(wanted)
