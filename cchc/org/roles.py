"""Roles are Django groups with permissions, so an administrator can adjust them.

Each app declares what its roles may do by calling `grant()` from its
`AppConfig.ready()`; after every `migrate` the groups are created and the default
permissions added (additively: permissions an administrator added stay; a default
removed by hand comes back at the next upgrade, so restrict with a custom group).
"""

from __future__ import annotations

from collections import defaultdict

from .models import Role

_DEFAULTS: dict[str, set[str]] = defaultdict(set)


def grant(roles: Role | str | list, *permissions: str) -> None:
    """Declare that `roles` get `permissions` ("app_label.codename") by default."""
    for role in roles if isinstance(roles, list | tuple) else [roles]:
        _DEFAULTS[str(role)].update(permissions)


def default_permissions(role: Role | str) -> set[str]:
    return set(_DEFAULTS.get(str(role), set()))


def group_name(role: Role | str) -> str:
    return Role(role).label


def ensure_role_groups(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = default_permissions(role)
        if not wanted:
            continue
        by_key = {
            f"{p.content_type.app_label}.{p.codename}": p
            for p in Permission.objects.select_related("content_type").filter(
                codename__in=[w.split(".", 1)[1] for w in wanted]
            )
        }
        group.permissions.add(*[by_key[w] for w in wanted if w in by_key])


ALL = list(Role)
COMMUNE_STAFF = [
    Role.CHAIRMAN,
    Role.VICE_CHAIRMAN,
    Role.CCHC_OFFICE,
    Role.DEPARTMENT_OFFICER,
    Role.ONE_STOP_OFFICER,
]

grant(
    Role.ADMIN,
    "core.view_auditlog",
    "core.add_calendaroverride",
    "core.change_calendaroverride",
    "core.delete_calendaroverride",
    "core.view_calendaroverride",
    "org.add_user",
    "org.change_user",
    "org.view_user",
    "org.add_department",
    "org.change_department",
    "org.view_department",
    "org.view_unit",
    "org.add_unit",
    "org.change_unit",
)
grant(
    [Role.CHAIRMAN, Role.VICE_CHAIRMAN, Role.CCHC_OFFICE],
    "core.view_calendaroverride",
    "org.view_department",
    "org.view_user",
    "core.view_auditlog",
)
grant([Role.CCHC_OFFICE], "core.add_calendaroverride", "core.change_calendaroverride")
