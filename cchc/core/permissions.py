"""Permission-checked look-ups shared by every app's views and API."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


def check_commune(user, commune_id: int, *, write: bool = False) -> None:
    """Raise 404 when the user may not see the commune (do not reveal that it
    exists), 403 when they may see but not change it."""
    if not user.can_see_commune(commune_id):
        raise Http404("Không tìm thấy.")
    if write and not user.can_write_commune(commune_id):
        raise PermissionDenied("Bạn chỉ có quyền xem dữ liệu của đơn vị này.")


def require_perm(user, perm: str, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(message)


def scoped(queryset, user, field: str = "commune_id"):
    """Rows of the communes the user may see."""
    return queryset.filter(**{f"{field}__in": user.commune_ids()})
