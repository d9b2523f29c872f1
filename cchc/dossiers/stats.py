"""On-time statistics of dossiers (DOMAIN.md §3), as aggregate queries over the
columns the services keep (`received_at`, `finished_at` + `finish_outcome`,
`withdrawn_at`, `closed_at`, `due_date`, `is_late_flagged`), each served by an index
that starts with the commune.

Definitions for a window [date_from, date_to] (local days, both included):
- received: dossiers received in the window;
- finished: dossiers whose processing ended in the window — the first of
  processed → returned → refused/stopped, so refused and stopped dossiers count
  as finished — split into early / on_time / late (supplement waiting time is
  excluded from the due date; a second supplement request counts as late);
- refused: the finished ones that were refused; withdrawn: withdrawn in the window;
- open: dossiers still being handled at the end of the window (or now, if the
  window reaches into the future); open_late: those of them past their due date;
- on_time_rate: (early + on_time) ÷ finished × 100, 2 decimals; None when nothing
  finished.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cchc.core.workcal import TZ

from .models import Dossier, Outcome, Status


def bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    return datetime.combine(date_from, time.min, TZ), datetime.combine(
        date_to + timedelta(days=1), time.min, TZ
    )


def filtered_dossiers(
    *, commune_ids, department=None, procedure=None, field: str | None = None
) -> QuerySet[Dossier]:
    """Dossiers of the communes, optionally of one department (the one handling or
    last handling it), one procedure (instance, id, or national code) or field."""
    qs = Dossier.objects.filter(commune_id__in=list(commune_ids))
    if isinstance(department, list | tuple):
        qs = qs.filter(department__in=department)
    elif department is not None:
        qs = qs.filter(department=department)
    if procedure is not None:
        if isinstance(procedure, str):
            qs = qs.filter(procedure__code=procedure)
        else:
            qs = qs.filter(procedure=procedure)
    if field:
        qs = qs.filter(procedure__field=field)
    return qs


def rate(good: int, total: int) -> float | None:
    return round(good * 100 / total, 2) if total else None


def dossier_stats(
    *,
    commune_ids,
    date_from: date,
    date_to: date,
    department=None,
    procedure=None,
    field: str | None = None,
    now: datetime | None = None,
) -> dict:
    """The figures of `GET /api/v1/stats/dossiers` (see the module docstring)."""
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    start, end = bounds(date_from, date_to)
    base = filtered_dossiers(commune_ids=commune_ids, department=department, procedure=procedure, field=field)

    received = base.filter(received_at__gte=start, received_at__lt=end).count()
    finished = base.filter(finished_at__gte=start, finished_at__lt=end).aggregate(
        finished=Count("pk"),
        early=Count("pk", filter=Q(finish_outcome=Outcome.EARLY)),
        on_time=Count("pk", filter=Q(finish_outcome=Outcome.ON_TIME)),
        late=Count("pk", filter=Q(finish_outcome=Outcome.LATE)),
        refused=Count("pk", filter=Q(status=Status.REFUSED)),
    )
    withdrawn = base.filter(withdrawn_at__gte=start, withdrawn_at__lt=end).count()

    # Open at `as_of`: received before it and not closed (finished or withdrawn)
    # before it. Two queries so that each uses the (commune, closed_at, …) index.
    as_of = min(end, (now or timezone.now()).astimezone(TZ))
    as_of_day = as_of.astimezone(TZ).date()
    late_q = Q(due_date__lt=as_of_day) | Q(is_late_flagged=True)
    open_now = base.filter(closed_at__isnull=True, received_at__lt=as_of).aggregate(
        n=Count("pk"), late=Count("pk", filter=late_q)
    )
    open_then = base.filter(closed_at__gte=as_of, received_at__lt=as_of).aggregate(
        n=Count("pk"), late=Count("pk", filter=late_q)
    )
    good = finished["early"] + finished["on_time"]
    return {
        "received": received,
        "finished": finished["finished"],
        "early": finished["early"],
        "on_time": finished["on_time"],
        "late": finished["late"],
        "open": open_now["n"] + open_then["n"],
        "open_late": open_now["late"] + open_then["late"],
        "refused": finished["refused"],
        "withdrawn": withdrawn,
        "on_time_rate": rate(good, finished["finished"]),
    }


def dossier_stats_by_month(
    *,
    commune_ids,
    date_from: date,
    date_to: date,
    department=None,
    procedure=None,
    field: str | None = None,
) -> list[dict]:
    """Per calendar month of the window: received, and finished early / on time / late."""
    start, end = bounds(date_from, date_to)
    base = filtered_dossiers(commune_ids=commune_ids, department=department, procedure=procedure, field=field)
    months: dict[date, dict] = {}
    cursor = date(date_from.year, date_from.month, 1)
    while cursor <= date_to:
        months[cursor] = {"month": cursor, "received": 0, "early": 0, "on_time": 0, "late": 0}
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    received = (
        base.filter(received_at__gte=start, received_at__lt=end)
        .annotate(m=TruncMonth("received_at", tzinfo=TZ))
        .values("m")
        .annotate(n=Count("pk"))
    )
    for row in received:
        months[_month_key(row["m"])]["received"] = row["n"]
    finished = (
        base.filter(finished_at__gte=start, finished_at__lt=end)
        .annotate(m=TruncMonth("finished_at", tzinfo=TZ))
        .values("m", "finish_outcome")
        .annotate(n=Count("pk"))
    )
    for row in finished:
        months[_month_key(row["m"])][row["finish_outcome"]] = row["n"]
    out = list(months.values())
    for row in out:
        total = row["early"] + row["on_time"] + row["late"]
        row["finished"] = total
        row["on_time_rate"] = rate(row["early"] + row["on_time"], total)
    return out


def _month_key(value) -> date:
    if isinstance(value, datetime):
        value = value.astimezone(TZ).date() if timezone.is_aware(value) else value.date()
    return date(value.year, value.month, 1)
