"""The portal's roles as Django groups, and helpers to give a user one."""

from __future__ import annotations

from django.contrib.auth.models import Group

__all__ = ["ANALYSTS", "DISPATCHERS", "PLANNERS", "ROLES", "STAFF_ROLES", "assign_role"]

PLANNERS = "planners"
DISPATCHERS = "dispatchers"
ANALYSTS = "analysts"
ROLES = {
    PLANNERS: "Планувальники (працівники)",
    DISPATCHERS: "Диспетчери звернень (працівники)",
    ANALYSTS: "ГІС-аналітики (доступ через API-токен)",
}
STAFF_ROLES = {PLANNERS, DISPATCHERS}


def assign_role(user, role: str) -> None:
    """Put ``user`` in the role's group; staff roles also get ``is_staff`` (admin access)."""
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
