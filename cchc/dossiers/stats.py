"""On-time statistics of dossiers (docs/rules.md §7), as aggregate queries over the
columns the services keep (`received_at`, `finished_at` + `finish_outcome`,
`withdrawn_at`, `closed_at`, `due_date`, `is_late_flagged`), each served by an index
that starts with the commune.

Definitions for a window [date_from, date_to] (local days, both included):
- received: dossiers received in the window. An online submission counts when
  the one-stop officer accepts it (`received_at` is the acceptance time); while
  it waits (status `registered`, national code 1) or once refused before
  acceptance (code 3 with no `received_at`) it is not received, not finished, not
  refused and not open in these figures — it never entered processing;
- online: of the received, those that came through the online channel;
  online_rate: online ÷ received × 100, 2 decimals (None when nothing received);
- finished: dossiers whose processing ended in the window — the first of
  processed → returned → refused/stopped, so refused and stopped dossiers count
  as finished — split into early / on_time / late (supplement waiting time is
  excluded from the due date; a second supplement request counts as late);
- refused: the finished ones that were refused; withdrawn: withdrawn in the window;
- open: dossiers still being handled at the end of the window (or now, if the
  window reaches into the future); open_late: those of them past their due date;
- on_time_rate: (early + on_time) ÷ finished × 100, 2 decimals; None when nothing
  finished.

Outcomes are judged against the effective `due_date`. When the working-day
calendar changes, `services.dossiers_recompute_due_dates` may move the due date of
a dossier still being handled (a day declared off inside its window moves the
deadline, as the Civil Code does for a deadline on a day off), but never that of a
finished dossier, never one already late on the day of the change, and never to
a day before the change — so no outcome becomes on time (or late) after the fact.
The receipt keeps `original_due_date`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from cchc.core.workcal import TZ

from .models import LONG_RUNNING, Channel, Dossier, DossierDayStat, Outcome, Status


def bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    return datetime.combine(date_from, time.min, TZ), datetime.combine(
        date_to + timedelta(days=1), time.min, TZ
    )


def _resolve(
    commune_ids, department, procedure, field
) -> tuple[list[int], list[int] | None, list[int] | None]:
    """(commune ids, department ids or None, procedure ids or None), all inside the communes."""
    from cchc.org.models import Department
    from cchc.procedures.models import Procedure

    ids = list(commune_ids)
    dept_ids = proc_ids = None
    if department is not None:
        wanted = department if isinstance(department, list | tuple) else [department]
        allowed = Department.objects.filter(pk__in=[getattr(d, "pk", d) for d in wanted], commune_id__in=ids)
        dept_ids = list(allowed.values_list("pk", flat=True))
    if procedure is not None or field:
        procedures = Procedure.objects.filter(commune_id__in=ids)
        if isinstance(procedure, str):
            procedures = procedures.filter(code=procedure)
        elif procedure is not None:
            procedures = procedures.filter(pk=getattr(procedure, "pk", procedure))
        if field:
            procedures = procedures.filter(field=field)
        proc_ids = list(procedures.values_list("pk", flat=True))
    return ids, dept_ids, proc_ids


def filtered_dossiers(
    *, commune_ids, department=None, procedure=None, field: str | None = None
) -> QuerySet[Dossier]:
    """Dossiers of the communes, optionally of one department (the one handling or
    last handling it; an instance, id or list of them), one procedure (instance, id,
    or national code) or field.

    Filters are resolved to id lists first and then stand alone, without the
    commune list (a procedure or department belongs to one commune), so that each
    count is a range scan of the (procedure, …) or (department, …) indexes.
    """
    ids, dept_ids, proc_ids = _resolve(commune_ids, department, procedure, field)
    qs = Dossier.objects.all()
    if dept_ids is not None:
        qs = qs.filter(department_id__in=dept_ids)
    if proc_ids is not None:
        qs = qs.filter(procedure_id__in=proc_ids)
    if dept_ids is None and proc_ids is None:
        qs = qs.filter(commune_id__in=ids)
    return qs


def _open_candidates(
    commune_ids, department=None, procedure=None, field: str | None = None
) -> QuerySet[Dossier]:
    """The same rows, scoped by commune for the partial indexes of open and
    long-running dossiers; the other filters are written as expressions
    (`procedure_id + 0`) that no index matches, so the planner keeps to those small
    partial indexes instead of walking a procedure's whole history."""
    ids, dept_ids, proc_ids = _resolve(commune_ids, department, procedure, field)
    qs = Dossier.objects.filter(commune_id__in=ids)
    if dept_ids is not None:
        qs = qs.alias(dept0=F("department_id") + 0).filter(dept0__in=dept_ids)
    if proc_ids is not None:
        qs = qs.alias(proc0=F("procedure_id") + 0).filter(proc0__in=proc_ids)
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
    use_summary: bool = True,
) -> dict:
    """The figures of `GET /api/v1/stats/dossiers` (see the module docstring).
    Without a department, procedure or field filter the counts come from the
    per-day summary; `use_summary=False` counts the rows (same result)."""
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    start, end = bounds(date_from, date_to)
    base = filtered_dossiers(commune_ids=commune_ids, department=department, procedure=procedure, field=field)

    if use_summary and department is None and procedure is None and not field:
        counts = _summary_counts(commune_ids, date_from, date_to)
    else:
        counts = _row_counts(base, start, end)

    # Open at `as_of`: received before it and not closed (finished or withdrawn)
    # before it. Still open now: the partial index of open dossiers. Closed since:
    # received in the LONG_RUNNING before `as_of`, or flagged long-running — so no
    # query reads more than a few months of receipts.
    as_of = min(end, (now or timezone.now()).astimezone(TZ))
    as_of_day = as_of.astimezone(TZ).date()
    late_q = Q(due_date__lt=as_of_day) | Q(is_late_flagged=True)
    recent_from = as_of - LONG_RUNNING
    candidates = _open_candidates(commune_ids, department, procedure, field)
    open_n = open_late = 0
    for part in (
        candidates.filter(closed_at__isnull=True, received_at__lt=as_of),
        base.filter(received_at__gte=recent_from, received_at__lt=as_of, closed_at__gte=as_of),
        candidates.filter(long_running=True, closed_at__gte=as_of, received_at__lt=recent_from),
    ):
        row = part.aggregate(n=Count("*"), late=Count("due_date", filter=late_q))
        open_n += row["n"]
        open_late += row["late"]
    return {
        "received": counts["received"],
        "finished": counts["finished"],
        "early": counts["early"],
        "on_time": counts["on_time"],
        "late": counts["late"],
        "open": open_n,
        "open_late": open_late,
        "refused": counts["refused"],
        "withdrawn": counts["withdrawn"],
        "on_time_rate": rate(counts["early"] + counts["on_time"], counts["finished"]),
        "online": counts["online"],
        "online_rate": rate(counts["online"], counts["received"]),
    }


def _row_counts(base: QuerySet, start: datetime, end: datetime) -> dict:
    """Counts straight from the dossier rows (index range scans). Filtered counts
    name a column of the index they run on (never null there) rather than `id`,
    which PostgreSQL would have to fetch from the table."""
    finished = base.filter(finished_at__gte=start, finished_at__lt=end).aggregate(
        finished=Count("*"),
        early=Count("finish_outcome", filter=Q(finish_outcome=Outcome.EARLY)),
        on_time=Count("finish_outcome", filter=Q(finish_outcome=Outcome.ON_TIME)),
        late=Count("finish_outcome", filter=Q(finish_outcome=Outcome.LATE)),
        refused=Count("finish_outcome", filter=Q(status=Status.REFUSED)),
    )
    received = base.filter(received_at__gte=start, received_at__lt=end)
    return {
        "received": received.count(),
        **finished,
        "withdrawn": base.filter(withdrawn_at__gte=start, withdrawn_at__lt=end).count(),
        # Matches the partial indexes of online receipts: an index-only count.
        "online": received.filter(channel=Channel.ONLINE).count(),
    }


def _summary_counts(commune_ids, date_from: date, date_to: date) -> dict:
    """The same counts from the per-day summary (no filter on department, procedure or field)."""
    sums = DossierDayStat.objects.filter(
        commune_id__in=list(commune_ids), day__gte=date_from, day__lte=date_to
    ).aggregate(**{c: Sum(c) for c in DossierDayStat.COUNTERS})
    return {c: sums[c] or 0 for c in DossierDayStat.COUNTERS}


def bump_day(*, commune_id: int, day: date, **counts: int) -> None:
    """Add to the day's counters (inside the caller's transaction)."""
    table = connection.ops.quote_name(DossierDayStat._meta.db_table)
    changed = [c for c in DossierDayStat.COUNTERS if counts.get(c)]
    if not changed:
        return
    columns = ", ".join(DossierDayStat.COUNTERS)
    values = ", ".join(["%s"] * len(DossierDayStat.COUNTERS))
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in changed)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (commune_id, day, {columns}) VALUES (%s, %s, {values}) "
            f"ON CONFLICT (commune_id, day) DO UPDATE SET {updates}",
            [commune_id, day.isoformat(), *[counts.get(c, 0) for c in DossierDayStat.COUNTERS]],
        )


def rebuild_day_stats(commune_ids) -> int:
    """Recompute the per-day summary of the communes from their dossiers (after bulk
    inserts, which bypass the services). Returns the number of summary rows."""
    ids = list(commune_ids)
    DossierDayStat.objects.filter(commune_id__in=ids).delete()
    rows: dict[tuple[int, date], DossierDayStat] = {}

    def row(commune_id: int, day) -> DossierDayStat:
        day = _day_key(day)
        key = (commune_id, day)
        if key not in rows:
            rows[key] = DossierDayStat(commune_id=commune_id, day=day)
        return rows[key]

    base = Dossier.objects.filter(commune_id__in=ids)
    for r in (
        base.filter(received_at__isnull=False)
        .annotate(d=TruncDate("received_at", tzinfo=TZ))
        .values("commune_id", "d")
        .annotate(n=Count("*"), online=Count("commune", filter=Q(channel=Channel.ONLINE)))
    ):
        target = row(r["commune_id"], r["d"])
        target.received += r["n"]
        target.online += r["online"]
    for r in (
        base.filter(finished_at__isnull=False)
        .annotate(d=TruncDate("finished_at", tzinfo=TZ))
        .values("commune_id", "d", "finish_outcome")
        .annotate(n=Count("*"), refused=Count("commune", filter=Q(status=Status.REFUSED)))
    ):
        target = row(r["commune_id"], r["d"])
        target.finished += r["n"]
        setattr(target, r["finish_outcome"], getattr(target, r["finish_outcome"]) + r["n"])
        target.refused += r["refused"]
    for r in (
        base.filter(withdrawn_at__isnull=False)
        .annotate(d=TruncDate("withdrawn_at", tzinfo=TZ))
        .values("commune_id", "d")
        .annotate(n=Count("*"))
    ):
        row(r["commune_id"], r["d"]).withdrawn += r["n"]
    DossierDayStat.objects.bulk_create(rows.values(), batch_size=5000)
    return len(rows)


def _day_key(value) -> date:
    if isinstance(value, datetime):
        return value.astimezone(TZ).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


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
        .annotate(n=Count("*"))
    )
    for row in received:
        months[_month_key(row["m"])]["received"] = row["n"]
    finished = (
        base.filter(finished_at__gte=start, finished_at__lt=end)
        .annotate(m=TruncMonth("finished_at", tzinfo=TZ))
        .values("m", "finish_outcome")
        .annotate(n=Count("*"))
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
