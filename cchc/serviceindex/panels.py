"""Home-page panel of the service index: this month's points of the user's commune
(so far), or a link to the province's table."""

from __future__ import annotations

from django.utils import timezone

from cchc.core.periods import PeriodKind, containing

from .models import IndexVersion
from .results import index_for

PERM = "serviceindex.view_service_index"


def shows_panel(user) -> bool:
    return user.has_perm(PERM) and bool(user.commune_ids())


def panel_context(user) -> dict:
    today = timezone.localdate()
    month = containing(today, PeriodKind.MONTH)
    commune = user.home_commune
    if commune is None or not IndexVersion.objects.exists():
        return {"result": None, "month": month, "commune": commune}
    result = index_for(commune_ids=[commune.pk], date_from=month.date_from, date_to=month.date_to)
    return {"result": result, "month": month, "commune": commune}
