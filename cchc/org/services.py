"""Operations on units, departments and users."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from cchc.core.text import clean_text

from .models import Department, Role, Unit, User
from .roles import group_name


def user_sync_groups(*, user: User) -> None:
    """Make the user a member of exactly the group of their role (other, custom
    groups an administrator added are kept)."""
    role_groups = {group_name(r) for r in Role}
    current = set(user.groups.filter(name__in=role_groups).values_list("name", flat=True))
    wanted = group_name(user.role)
    if current != {wanted}:
        user.groups.remove(*Group.objects.filter(name__in=current - {wanted}))
        group, _ = Group.objects.get_or_create(name=wanted)
        user.groups.add(group)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    full_name: str,
    role: Role | str,
    unit: Unit | None,
    department: Department | None = None,
    position: str = "",
    email: str = "",
    is_staff: bool = False,
) -> User:
    """Create a user in a role and put them in the role's group."""
    user = User(
        username=username,
        full_name=clean_text(full_name),
        role=Role(role),
        unit=unit,
        department=department,
        position=clean_text(position),
        email=email,
        is_staff=is_staff or Role(role) == Role.ADMIN,
    )
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user_sync_groups(user=user)
    return user


@transaction.atomic
def unit_create(
    *,
    kind: Unit.Kind | str,
    name: str,
    short_name: str,
    slug: str,
    agency_code: str,
    parent: Unit | None = None,
    place_name: str = "",
    one_stop_name: str = "",
) -> Unit:
    unit = Unit(
        kind=kind,
        name=clean_text(name),
        short_name=clean_text(short_name),
        slug=slug,
        agency_code=agency_code.strip(),
        parent=parent,
        place_name=clean_text(place_name),
        one_stop_name=clean_text(one_stop_name),
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    return unit
