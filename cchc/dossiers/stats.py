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

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from cchc.core.figures import percent
from cchc.core.workcal import TZ
from cchc.org.models import Department, Unit
from cchc.procedures.models import OnlineLevel, Procedure

from .models import (
    LONG_RUNNING,
    Action,
    Channel,
    Dossier,
    DossierDayStat,
    DossierFieldDayStat,
    DossierProcedureDayStat,
    Outcome,
    PaymentMethod,
    ReturnMode,
    Status,
    SupplementRequest,
)


def bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    return datetime.combine(date_from, time.min, TZ), datetime.combine(
        date_to + timedelta(days=1), time.min, TZ
    )


def _resolve(
    commune_ids, department, procedure, field
) -> tuple[list[int], list[int] | None, list[int] | None]:
    """(commune ids, department ids or None, procedure ids or None), all inside the communes."""
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


def rate(good: int, total: int) -> float | None:
    """The legacy float form of `cchc.core.figures.percent` (the API's JSON numbers)."""
    value = percent(good, total)
    return float(value) if value is not None else None


# --- the typed bundle the catalogue's dossier figures pick from -----------------------
@dataclass(frozen=True)
class OpenCounts:
    """Dossiers open at one instant: all of them, those past their due date, and
    those waiting for the applicant's supplement (never counted as past due)."""

    open: int = 0
    late: int = 0
    waiting: int = 0


_ZERO_FLOWS = {c: 0 for c in DossierDayStat.COUNTERS}
_ZERO_DIGITAL = {c: 0 for c in DossierDayStat.DIGITAL}


class DossierCounts:
    """The dossier counts of one scope (or of one commune of a grouped scope), computed
    lazily in three parts — flows of the window (received, finished, withdrawn), open
    at its end, open at its start (carried over) — so that asking for "received"
    does not count open dossiers. Values are None only for a part the scope cannot
    give (open counts per officer)."""

    def __init__(self, source: _Source, commune_id: int | None = None) -> None:
        self._source = source
        self._key = commune_id

    def _flows(self) -> dict:
        # A grouped part that found no row for any group names no count at all.
        return {**_ZERO_FLOWS, **self._source.flows().get(self._key, {})}

    def _digital(self) -> dict:
        return {**_ZERO_DIGITAL, **self._source.digital().get(self._key, {})}

    def _end(self) -> OpenCounts | None:
        return self._source.open_end().get(self._key, OpenCounts()) if self._source.has_open else None

    def _start(self) -> OpenCounts | None:
        return self._source.open_start().get(self._key, OpenCounts()) if self._source.has_open else None

    # flows
    received = property(lambda self: self._flows()["received"])
    online = property(lambda self: self._flows()["online"])
    finished = property(lambda self: self._flows()["finished"])
    early = property(lambda self: self._flows()["early"])
    on_time = property(lambda self: self._flows()["on_time"])
    late = property(lambda self: self._flows()["late"])
    refused = property(lambda self: self._flows()["refused"])
    withdrawn = property(lambda self: self._flows()["withdrawn"])

    # online level of the online receipts, results returned and fees paid in the window
    # (the digital figures)
    online_full = property(lambda self: self._digital()["online_full"])
    online_partial = property(lambda self: self._digital()["online_partial"])
    returned = property(lambda self: self._digital()["returned"])
    returned_electronic = property(lambda self: self._digital()["returned_electronic"])
    paid = property(lambda self: self._digital()["paid"])
    paid_online = property(lambda self: self._digital()["paid_online"])

    @property
    def offline(self) -> int:
        """Received in person or by post (TT 01/2020 table II.06a puts them together)."""
        return self.received - self.online

    @property
    def in_time(self) -> int:
        """Finished early or on time ("trả đúng thời hạn" of table II.06a)."""
        return self.early + self.on_time

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.in_time, self.finished)

    @property
    def online_rate(self) -> Decimal | None:
        return percent(self.online, self.received)

    # open at the end and at the start of the window
    @property
    def open(self) -> int | None:
        end = self._end()
        return end.open if end else None

    @property
    def open_late(self) -> int | None:
        end = self._end()
        return end.late if end else None

    @property
    def open_waiting(self) -> int | None:
        end = self._end()
        return end.waiting if end else None

    @property
    def open_within(self) -> int | None:
        end = self._end()
        return end.open - end.late if end else None

    @property
    def carried_over(self) -> int | None:
        start = self._start()
        return start.open if start else None

    # QĐ 766 progress: received in the window, and of them in time at its end
    @property
    def progress(self) -> ProgressCounts:
        return self._source.progress().get(self._key, ProgressCounts())

    @property
    def to_handle(self) -> int | None:
        """Carried over + received: "tổng số hồ sơ nhận giải quyết" of table II.06a."""
        carried = self.carried_over
        return None if carried is None else carried + self.received

    def as_dict(self) -> dict:
        """The JSON of `GET /api/v1/stats/dossiers` (its historical shape, plus the
        table II.06a counts)."""
        return {
            "received": self.received,
            "finished": self.finished,
            "early": self.early,
            "on_time": self.on_time,
            "late": self.late,
            "open": self.open,
            "open_late": self.open_late,
            "open_waiting": self.open_waiting,
            "refused": self.refused,
            "withdrawn": self.withdrawn,
            "on_time_rate": _float(self.on_time_rate),
            "online": self.online,
            "online_rate": _float(self.online_rate),
        }


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


class _Source:
    """The queries behind `DossierCounts` for one scope, each run at most once and
    shared by every commune's bundle when `grouped` (one GROUP BY per part), or by
    every field's bundle when `by_field` (table II.06a)."""

    def __init__(
        self,
        *,
        commune_ids,
        date_from: date,
        date_to: date,
        department=None,
        procedure=None,
        field: str | None = None,
        officer=None,
        now: datetime | None = None,
        use_summary: bool = True,
        grouped: bool = False,
        by_field: bool = False,
    ) -> None:
        if date_to < date_from:
            date_from, date_to = date_to, date_from
        self.ids, self.dept_ids, self.proc_ids = _resolve(commune_ids, department, procedure, field)
        self.officer_id = getattr(officer, "pk", officer)
        self.filtered = self.dept_ids is not None or self.proc_ids is not None
        self.use_summary = use_summary and not self.filtered and self.officer_id is None
        self.grouped = grouped
        self.group_by = "commune_id" if grouped else "procedure__field" if by_field else None
        if by_field:
            # Every procedure with a field (within the other filters): the rows are
            # counted through the procedure index and grouped by its field.
            procedures = Procedure.objects.exclude(field="")
            procedures = (
                procedures.filter(pk__in=self.proc_ids)
                if self.proc_ids is not None
                else procedures.filter(commune_id__in=self.ids)
            )
            self.proc_ids = list(procedures.values_list("pk", flat=True))
            self.filtered = True
            self.use_summary = False
        # Filtered by procedure or field only: the per-procedure summary; by field alone
        # (or grouped by field without other filters): the per-field summary, once it has
        # caught up with the fields changed in the communes' catalogues.
        self.use_procedure_summary = (
            use_summary and self.proc_ids is not None and self.dept_ids is None and self.officer_id is None
        )
        self.now = (now or timezone.now()).astimezone(TZ)
        self.field = field or None
        self.use_field_summary = (
            self.use_procedure_summary
            and procedure is None
            and (self.field is not None or by_field)
            and field_summary_ready(self.ids)
        )
        if self.use_field_summary and by_field:
            self.summary_group_by = "field"
        else:
            self.summary_group_by = self.group_by
        self.date_from, self.date_to = date_from, date_to
        self.start, self.end = bounds(date_from, date_to)
        # Open counts per officer are not defined (an officer holds no dossier).
        self.has_open = self.officer_id is None
        self._cache: dict[str, dict] = {}

    def _once(self, name: str, compute) -> dict:
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def _base(self) -> QuerySet[Dossier]:
        qs = Dossier.objects.all()
        if self.dept_ids is not None:
            qs = qs.filter(department_id__in=self.dept_ids)
        if self.proc_ids is not None:
            qs = qs.filter(procedure_id__in=self.proc_ids)
        if not self.filtered:
            qs = qs.filter(commune_id__in=self.ids)
        return qs

    def _candidates(self) -> QuerySet[Dossier]:
        """The same rows scoped by commune for the partial indexes of open and
        long-running dossiers; the other filters are written as expressions
        (`procedure_id + 0`) that no index matches, so the planner keeps to those small
        partial indexes instead of walking a procedure's whole history."""
        qs = Dossier.objects.filter(commune_id__in=self.ids)
        if self.dept_ids is not None:
            qs = qs.alias(dept0=F("department_id") + 0).filter(dept0__in=self.dept_ids)
        if self.proc_ids is not None:
            qs = qs.alias(proc0=F("procedure_id") + 0).filter(proc0__in=self.proc_ids)
        return qs

    def _aggregate(self, qs: QuerySet, group_by: str | None = None, **aggregates) -> dict:
        group_by = group_by or self.group_by
        if group_by:
            return {row.pop(group_by): row for row in qs.values(group_by).annotate(**aggregates).order_by()}
        return {None: qs.aggregate(**aggregates)}

    # --- flows of the window ---------------------------------------------------------
    def flows(self) -> dict:
        return self._once("flows", self._compute_flows)

    def _compute_flows(self) -> dict:
        if self.has_summary:
            # The day summaries (per commune, per field, or per procedure) hold the same
            # counters, kept by the services — the results and fees too, in the same query.
            return self._summary(self.date_from, self.date_to, DossierDayStat.COUNTERS)
        if self.officer_id is not None:
            return self._officer_flows()
        return self._row_flows()

    @property
    def has_summary(self) -> bool:
        return self.use_summary or self.use_procedure_summary

    # --- online level, results returned and fees paid in the window --------------------
    def digital(self) -> dict:
        """{key: {online_full, online_partial, returned, returned_electronic, paid,
        paid_online}}: from the day summaries with the flows, or counted on the partial
        indexes of online receipts, returned results and paid fees (a department filter)."""
        if self.has_summary:
            return self.flows()
        return self._once("digital", self._row_digital)

    def _row_digital(self) -> dict:
        # The commune list too: the partial indexes start with the commune.
        base = self._base().filter(commune_id__in=self.ids)
        return _merge(
            [
                self._aggregate(
                    base.filter(
                        received_at__gte=self.start, received_at__lt=self.end, channel=Channel.ONLINE
                    ),
                    online_full=Count("online_level", filter=Q(online_level=OnlineLevel.FULL)),
                    online_partial=Count("online_level", filter=Q(online_level=OnlineLevel.PARTIAL)),
                ),
                self._aggregate(
                    base.filter(returned_at__gte=self.start, returned_at__lt=self.end),
                    returned=Count("returned_at"),
                    returned_electronic=Count("return_mode", filter=Q(return_mode=ReturnMode.ELECTRONIC)),
                ),
                self._aggregate(
                    base.filter(fee_paid_at__gte=self.start, fee_paid_at__lt=self.end),
                    paid=Count("fee_paid_at"),
                    paid_online=Count("fee_method", filter=Q(fee_method=PaymentMethod.ONLINE)),
                ),
            ]
        )

    def _summary(self, day_from: date, day_to: date, counters) -> dict:
        """{key: {counter: sum}} of the day summary (per commune, or per procedure when
        filtered by field or procedure) over the days day_from..day_to."""
        if self.use_summary:
            summary = DossierDayStat.objects.filter(commune_id__in=self.ids)
        elif self.use_field_summary:
            summary = DossierFieldDayStat.objects.filter(commune_id__in=self.ids)
            if self.field is not None:
                summary = summary.filter(field=self.field)
        else:
            summary = DossierProcedureDayStat.objects.filter(procedure_id__in=self.proc_ids)
        rows = self._aggregate(
            summary.filter(day__gte=day_from, day__lte=day_to),
            group_by=self.summary_group_by,
            **{c: Sum(c) for c in counters},
        )
        return {k: {c: row[c] or 0 for c in counters} for k, row in rows.items()}

    def _row_flows(self) -> dict:
        """Counts straight from the dossier rows (index range scans). Filtered counts
        name a column of the index they run on (never null there) rather than `id`,
        which PostgreSQL would have to fetch from the table."""
        base = self._base()
        received = base.filter(received_at__gte=self.start, received_at__lt=self.end)
        parts = [
            self._aggregate(
                base.filter(finished_at__gte=self.start, finished_at__lt=self.end),
                finished=Count("*"),
                early=Count("finish_outcome", filter=Q(finish_outcome=Outcome.EARLY)),
                on_time=Count("finish_outcome", filter=Q(finish_outcome=Outcome.ON_TIME)),
                late=Count("finish_outcome", filter=Q(finish_outcome=Outcome.LATE)),
                refused=Count("finish_outcome", filter=Q(status=Status.REFUSED)),
            ),
            self._aggregate(received, received=Count("*")),
            self._aggregate(
                base.filter(withdrawn_at__gte=self.start, withdrawn_at__lt=self.end), withdrawn=Count("*")
            ),
            # Matches the partial indexes of online receipts: an index-only count.
            self._aggregate(received.filter(channel=Channel.ONLINE), online=Count("*")),
        ]
        return _merge(parts)

    def _officer_flows(self) -> dict:
        """Per officer (docs/figures.md, "figures by officer"): received = dossiers the
        officer received at the counter; finished and its outcomes = dossiers whose
        finishing step (finish, refuse, stop) the officer recorded; withdrawn = the
        withdrawals the officer recorded."""
        from .services import FINISHING

        base = Dossier.objects.filter(commune_id__in=self.ids)
        if self.dept_ids is not None:
            base = base.filter(department_id__in=self.dept_ids)
        if self.proc_ids is not None:
            base = base.filter(procedure_id__in=self.proc_ids)
        received = base.filter(
            received_at__gte=self.start, received_at__lt=self.end, received_by_id=self.officer_id
        )
        finished = base.filter(
            finished_at__gte=self.start,
            finished_at__lt=self.end,
            events__action__in=list(FINISHING),
            events__actor_id=self.officer_id,
        )
        withdrawn = base.filter(
            withdrawn_at__gte=self.start,
            withdrawn_at__lt=self.end,
            events__action=Action.WITHDRAW,
            events__actor_id=self.officer_id,
        )
        return _merge(
            [
                self._aggregate(
                    finished,
                    finished=Count("pk", distinct=True),
                    early=Count("pk", distinct=True, filter=Q(finish_outcome=Outcome.EARLY)),
                    on_time=Count("pk", distinct=True, filter=Q(finish_outcome=Outcome.ON_TIME)),
                    late=Count("pk", distinct=True, filter=Q(finish_outcome=Outcome.LATE)),
                    refused=Count("pk", distinct=True, filter=Q(status=Status.REFUSED)),
                ),
                self._aggregate(
                    received,
                    received=Count("pk"),
                    online=Count("pk", filter=Q(channel=Channel.ONLINE)),
                ),
                self._aggregate(withdrawn, withdrawn=Count("pk", distinct=True)),
            ]
        )

    # --- open at an instant -----------------------------------------------------------
    def open_end(self) -> dict:
        return self._once("open_end", lambda: _open_counts(self._open_end_raw()))

    def open_start(self) -> dict:
        return self._once("open_start", lambda: _open_counts(self._open_start_raw()))

    def _open_end_raw(self) -> dict:
        return self._once("open_end_raw", lambda: self._open_at(min(self.end, self.now), cohort=True))

    def _open_start_raw(self) -> dict:
        return self._once("open_start_raw", lambda: self._open_at(min(self.start, self.now), carried=True))

    def _open_at(self, as_of: datetime, *, cohort: bool = False, carried: bool = False) -> dict:
        """Raw counts of the dossiers open at `as_of`: received before it and not closed
        (finished or withdrawn) before it. Still open now: the partial index of open
        dossiers. Closed since: received in the LONG_RUNNING before `as_of`, or flagged
        long-running — so no query reads more than a few months of receipts.

        Of them, waiting: a supplement was requested before `as_of` and had not arrived
        by then (docs/rules.md §7: the clock is stopped, so the dossier is neither
        overdue nor due soon); late: past its due date on `as_of`'s day (or flagged
        late by a second supplement request) and not waiting.

        The three parts count open and past-due from their indexes alone (index-only
        scans); the waiting ones are found apart, from the supplement requests (few),
        and taken out of the past-due. A per-row EXISTS on the supplement requests in
        the parts made PostgreSQL read every row of the communes instead (a province's
        carried-over count at 5,000,000 dossiers: 6.3 s instead of 0.14 s).

        The same scans give the parts of the progress count (`progress`) as extra
        filtered counts: at the window's end (`cohort`), the dossiers received in the
        window that are open at `as_of` within time, or past it but waiting (the scans
        then reach to the window's end: a dossier received after a past `as_of` is in the
        window's cohort, not open at `as_of`); at its start (`carried`), those received
        before it that were finished in time in it."""
        as_of_day = as_of.astimezone(TZ).date()
        past_due = Q(due_date__lt=as_of_day) | Q(is_late_flagged=True)
        recent_from = as_of - LONG_RUNNING
        upto = max(self.end, as_of) if cohort else as_of
        before = Q(received_at__lt=as_of)
        counts = {
            "open": Count("received_at", filter=before),
            "late": Count("due_date", filter=past_due & before),
        }
        waiting_counts = {
            "waiting": Count("received_at", filter=before),
            "waiting_past_due": Count("due_date", filter=past_due & before),
        }
        if cohort:
            in_window = Q(received_at__gte=self.start, received_at__lt=self.end)
            counts["cohort_within"] = Count(
                "due_date", filter=in_window & Q(is_late_flagged=False, due_date__gte=as_of_day)
            )
            waiting_counts["cohort_waiting_overdue"] = Count(
                "received_at",
                filter=in_window
                & Q(is_late_flagged=False)
                & (Q(due_date__lt=as_of_day) | Q(due_date__isnull=True)),
            )
        if carried:
            judged = min(self.end, self.now)
            counts["carried_in_time"] = Count(
                "finish_outcome",
                filter=Q(
                    finish_outcome__in=[Outcome.EARLY, Outcome.ON_TIME],
                    finished_at__gte=self.start,
                    finished_at__lt=judged,
                ),
            )
        candidates = self._candidates()
        parts = []
        for part in (
            candidates.filter(closed_at__isnull=True, received_at__lt=upto),
            self._base().filter(received_at__gte=recent_from, received_at__lt=upto, closed_at__gte=as_of),
            candidates.filter(long_running=True, closed_at__gte=as_of, received_at__lt=recent_from),
        ):
            parts.append(self._aggregate(part, **counts))
        waiting_then = SupplementRequest.objects.filter(requested_at__lt=as_of).filter(
            Q(answered_at__isnull=True) | Q(answered_at__gte=as_of)
        )
        waiting = candidates.filter(
            Q(closed_at__isnull=True) | Q(closed_at__gte=as_of),
            pk__in=waiting_then.values("dossier_id"),
            received_at__lt=upto,
        )
        parts.append(self._aggregate(waiting, **waiting_counts))
        return _merge(parts)

    # --- QĐ 766 progress (see `progress_counts`) ----------------------------------------
    def progress(self) -> dict:
        """{key: ProgressCounts}: the summary path below, or one aggregate over the
        received dossiers when the scope has no summary (a department filter)."""
        return self._once("progress", self._compute_progress)

    def _compute_progress(self) -> dict:
        """Judged at J = the window's end (or now): in time = A + B + C over the dossiers
        received in the window, where A = finished early or on time before J (the window's
        flows, less those received before the window: they were open at its start, so they
        are counted by the open-at-start scans), B = open at J, not flagged late and not
        past the due date, C = open at J, past the due date but waiting for a supplement
        then (both counted by the open-at-end scans). The parts are disjoint (a finished
        dossier is closed at its finishing time)."""
        as_of = min(self.end, self.now)
        if not self.has_summary:
            return _progress_rows_counts(self, as_of)
        as_of_day = as_of.astimezone(TZ).date()
        # A: finished in time in [start, J) — whole days from the summary, the rest of J's
        # day (a window not yet ended) from the rows.
        if as_of >= self.end:
            finished = {k: row["early"] + row["on_time"] for k, row in self.flows().items()}
        else:
            before = self._summary(self.date_from, as_of_day - timedelta(days=1), ("early", "on_time"))
            today = self._aggregate(
                self._base().filter(
                    finish_outcome__in=[Outcome.EARLY, Outcome.ON_TIME],
                    finished_at__gte=max(self.start, datetime.combine(as_of_day, time.min, TZ)),
                    finished_at__lt=as_of,
                ),
                n=Count("finish_outcome"),
            )
            finished = {
                k: before.get(k, {}).get("early", 0)
                + before.get(k, {}).get("on_time", 0)
                + (today.get(k, {}).get("n") or 0)
                for k in {*before, *today}
            }
        start, end = self._open_start_raw(), self._open_end_raw()
        out = {}
        for key, row in self.flows().items():
            if not row["received"]:
                continue
            at_start, at_end = start.get(key, {}), end.get(key, {})
            in_time = (
                finished.get(key, 0)
                - at_start.get("carried_in_time", 0)
                + at_end.get("cohort_within", 0)
                + at_end.get("cohort_waiting_overdue", 0)
            )
            out[key] = ProgressCounts(row["received"], in_time)
        return out


def _open_counts(raw: dict) -> dict:
    return {
        k: OpenCounts(v["open"], v["late"] - v.get("waiting_past_due", 0), v.get("waiting", 0))
        for k, v in raw.items()
    }


def _merge(parts: list[dict]) -> dict:
    """Sum per key the count dicts of several aggregate queries."""
    out: dict = {}
    for part in parts:
        for key, row in part.items():
            target = out.setdefault(key, {})
            for name, value in row.items():
                target[name] = target.get(name, 0) + (value or 0)
    if not out:
        return out
    names = {n for row in out.values() for n in row}
    for row in out.values():
        for name in names:
            row.setdefault(name, 0)
    return out


def dossier_counts(
    *,
    commune_ids,
    date_from: date,
    date_to: date,
    department=None,
    procedure=None,
    field: str | None = None,
    officer=None,
    now: datetime | None = None,
    use_summary: bool = True,
) -> DossierCounts:
    """The counts of the window (see the module docstring). Without a department,
    procedure, field or officer filter the flows come from the per-day summary;
    `use_summary=False` counts the rows (same result, tested)."""
    source = _Source(
        commune_ids=commune_ids,
        date_from=date_from,
        date_to=date_to,
        department=department,
        procedure=procedure,
        field=field,
        officer=officer,
        now=now,
        use_summary=use_summary,
    )
    return DossierCounts(source)


def dossier_counts_by_commune(
    *,
    commune_ids,
    date_from: date,
    date_to: date,
    department=None,
    procedure=None,
    field: str | None = None,
    now: datetime | None = None,
    use_summary: bool = True,
) -> dict[int, DossierCounts]:
    """The same counts for each commune, each part one grouped query for all of them."""
    ids = list(commune_ids)
    source = _Source(
        commune_ids=ids,
        date_from=date_from,
        date_to=date_to,
        department=department,
        procedure=procedure,
        field=field,
        now=now,
        use_summary=use_summary,
        grouped=True,
    )
    return {cid: DossierCounts(source, cid) for cid in ids}


def dossier_counts_by_field(
    *,
    commune_ids,
    date_from: date,
    date_to: date,
    department=None,
    procedure=None,
    field: str | None = None,
    now: datetime | None = None,
) -> dict[str, DossierCounts]:
    """The same counts for each field of the communes' catalogue (table II.06a's
    rows), each part one query grouped by the procedure's field; a field without
    dossiers counts zero."""
    source = _Source(
        commune_ids=commune_ids,
        date_from=date_from,
        date_to=date_to,
        department=department,
        procedure=procedure,
        field=field,
        now=now,
        by_field=True,
    )
    names = set(
        Procedure.objects.filter(commune_id__in=source.ids).exclude(field="").values_list("field", flat=True)
    )
    if field:
        names &= {field}
    return {name: DossierCounts(source, name) for name in sorted(names)}


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
    """The counts as the dict of `GET /api/v1/stats/dossiers` (see `DossierCounts.as_dict`)."""
    return dossier_counts(
        commune_ids=commune_ids,
        date_from=date_from,
        date_to=date_to,
        department=department,
        procedure=procedure,
        field=field,
        now=now,
        use_summary=use_summary,
    ).as_dict()


# --- QĐ 766 "progress": received dossiers early or on time, open ones judged at the end --
def judged_at(date_to: date, now: datetime | None = None) -> datetime:
    """The instant a window's open dossiers are judged at: 24:00 of its last day, or
    now if the window has not ended yet."""
    _, end = bounds(date_to, date_to)
    return min(end, (now or timezone.now()).astimezone(TZ))


def _progress_parts(as_of: datetime) -> tuple[Q, Q]:
    """The two disjoint parts of `progress_in_time_q`: (finished in time, or open and
    not past the due date — plain column tests), and (open, past the due date, but
    waiting for a supplement at `as_of` — the only part that needs the supplement
    requests). Counting them apart keeps the per-row EXISTS on the few overdue open
    dossiers instead of every dossier received (a province year: 1.7 million rows)."""
    as_of_day = as_of.astimezone(TZ).date()
    waiting = Exists(
        SupplementRequest.objects.filter(dossier_id=OuterRef("pk"), requested_at__lt=as_of).filter(
            Q(answered_at__isnull=True) | Q(answered_at__gte=as_of)
        )
    )
    finished_in_time = Q(finished_at__lt=as_of, finish_outcome__in=[Outcome.EARLY, Outcome.ON_TIME])
    open_unflagged = (Q(closed_at__isnull=True) | Q(closed_at__gte=as_of)) & Q(is_late_flagged=False)
    plain = finished_in_time | (open_unflagged & Q(due_date__gte=as_of_day))
    waiting_overdue = (
        open_unflagged
        & (Q(due_date__lt=as_of_day) | Q(due_date__isnull=True))
        & ~finished_in_time
        & Q(waiting)
    )
    return plain, waiting_overdue


def progress_in_time_q(as_of: datetime) -> Q:
    """The dossiers that count as "early or on time" for the service index's progress
    item (QĐ 766/QĐ-TTg) when judged at `as_of`: finished before it early or on time
    (refused and stopped ones included, as in every outcome count), or still being
    handled then and not past their due date — the due date moves by the time spent
    waiting for a supplement, so a dossier waiting at `as_of` is within time — unless
    flagged late by a second supplement request. Withdrawn ones never count."""
    plain, waiting_overdue = _progress_parts(as_of)
    return plain | waiting_overdue


@dataclass(frozen=True)
class ProgressCounts:
    """Received in the window, and of them early or on time at the window's end
    (`progress_in_time_q`)."""

    received: int = 0
    in_time: int = 0

    @property
    def rate(self) -> Decimal | None:
        return percent(self.in_time, self.received)


def progress_rows(
    *, commune_ids, date_from: date, date_to: date, department=None, procedure=None, field=None
) -> QuerySet[Dossier]:
    """The dossiers received in the window (the progress item's denominator)."""
    start, end = bounds(date_from, date_to)
    return filtered_dossiers(
        commune_ids=commune_ids, department=department, procedure=procedure, field=field
    ).filter(received_at__gte=start, received_at__lt=end)


def progress_counts(
    *,
    commune_ids,
    date_from: date,
    date_to: date,
    department=None,
    procedure=None,
    field: str | None = None,
    now: datetime | None = None,
    grouped: bool = False,
    use_summary: bool = True,
) -> ProgressCounts | dict[int, ProgressCounts]:
    """The progress counts of the window (all communes together, or per commune when
    `grouped`).

    Summary path (default; `_Source.progress`): the received and the finished-in-time
    counts come from the window's flows (the day summaries), less the dossiers received
    before the window and finished in time in it; the open ones within time at the end
    and the waiting ones are counted from the small sets of open dossiers — so the cost
    does not grow with the dossiers received (a province year: 1.7 million). Row path
    (`use_summary=False`; with a department filter, which has no summary): one aggregate
    over the received dossiers. The two are equal (tested)."""
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    source = _Source(
        commune_ids=commune_ids,
        date_from=date_from,
        date_to=date_to,
        department=department,
        procedure=procedure,
        field=field,
        now=now,
        use_summary=use_summary,
        grouped=grouped,
    )
    found = source.progress()
    if not grouped:
        return found.get(None, ProgressCounts())
    return {cid: found.get(cid, ProgressCounts()) for cid in source.ids}


def _progress_rows_counts(source: _Source, as_of: datetime) -> dict:
    """Over the dossiers received in the window: one aggregate of the plain part and one
    count of the overdue-but-waiting part (`_progress_parts`)."""
    qs = source._base().filter(received_at__gte=source.start, received_at__lt=source.end)
    plain, waiting_overdue = _progress_parts(as_of)
    counted = source._aggregate(qs, n_received=Count("pk"), n_in_time=Count("pk", filter=plain))
    waiting = source._aggregate(qs.filter(waiting_overdue), n=Count("pk"))
    return {
        key: ProgressCounts(
            row["n_received"] or 0, (row["n_in_time"] or 0) + waiting.get(key, {}).get("n", 0)
        )
        for key, row in counted.items()
        if row["n_received"]
    }


def bump_day(*, commune_id: int, day: date, procedure_id: int | None = None, **counts: int) -> None:
    """Add to the day's counters of the commune, of the procedure and of its field
    (inside the caller's transaction); negative counts take off (`_take_off_day`)."""
    changed = [c for c in DossierDayStat.COUNTERS if counts.get(c)]
    if not changed:
        return
    if any(counts[c] < 0 for c in changed):
        _take_off_day(commune_id=commune_id, day=day, procedure_id=procedure_id, **counts)
        return
    columns = ", ".join(DossierDayStat.COUNTERS)
    values = ", ".join(["%s"] * len(DossierDayStat.COUNTERS))
    counters = [counts.get(c, 0) for c in DossierDayStat.COUNTERS]
    quote = connection.ops.quote_name

    def upsert(cursor, model, key: str, insert: str, params: list) -> None:
        table = quote(model._meta.db_table)
        updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in changed)
        cursor.execute(
            f"{insert.format(table=table)} ON CONFLICT ({key}, day) DO UPDATE SET {updates}", params
        )

    with connection.cursor() as cursor:
        upsert(
            cursor,
            DossierDayStat,
            "commune_id",
            f"INSERT INTO {{table}} (commune_id, day, {columns}) VALUES (%s, %s, {values})",
            [commune_id, day.isoformat(), *counters],
        )
        if procedure_id is None:
            return
        upsert(
            cursor,
            DossierProcedureDayStat,
            "procedure_id",
            f"INSERT INTO {{table}} (commune_id, procedure_id, day, {columns}) VALUES (%s, %s, %s, {values})",
            [commune_id, procedure_id, day.isoformat(), *counters],
        )
        # The field as stored when the statement runs (not as the caller loaded it), so a
        # field changed meanwhile is caught up by `field_summary_ready`.
        procedures = quote(Procedure._meta.db_table)
        upsert(
            cursor,
            DossierFieldDayStat,
            "commune_id, field",
            f"INSERT INTO {{table}} (commune_id, field, day, {columns}) "
            f"SELECT %s, field, %s, {values} FROM {procedures} WHERE id = %s AND field <> ''",
            [commune_id, day.isoformat(), *counters, procedure_id],
        )


def _take_off_day(*, commune_id: int, day: date, procedure_id: int | None, **counts: int) -> None:
    """Take counts off a day already counted (a payment undone by a new fee request),
    never below zero: a field row not caught up yet with a field change may not hold
    them; the catch-up recounts it from the per-procedure row, which does."""
    changed = [c for c in DossierDayStat.COUNTERS if counts.get(c)]
    quote = connection.ops.quote_name
    updates = ", ".join(f"{c} = CASE WHEN {c} >= %s THEN {c} - %s ELSE 0 END" for c in changed)
    amounts = [a for c in changed for a in (-counts[c], -counts[c])]
    targets = [(DossierDayStat, "commune_id = %s", [commune_id])]
    if procedure_id is not None:
        targets.append((DossierProcedureDayStat, "procedure_id = %s", [procedure_id]))
        procedures = quote(Procedure._meta.db_table)
        targets.append(
            (
                DossierFieldDayStat,
                f"commune_id = %s AND field = (SELECT field FROM {procedures} WHERE id = %s)",
                [commune_id, procedure_id],
            )
        )
    with connection.cursor() as cursor:
        for model, where, params in targets:
            cursor.execute(
                f"UPDATE {quote(model._meta.db_table)} SET {updates} WHERE {where} AND day = %s",
                [*amounts, *params, day.isoformat()],
            )


def rebuild_day_stats(commune_ids) -> int:
    """Recompute the per-day summaries (per commune, per procedure) of the communes
    from their dossiers (after bulk inserts, which bypass the services). Returns the
    number of rows of the communes' summary."""
    ids = list(commune_ids)
    DossierDayStat.objects.filter(commune_id__in=ids).delete()
    DossierProcedureDayStat.objects.filter(commune_id__in=ids).delete()
    communes: dict[tuple, DossierDayStat] = {}
    procedures: dict[tuple, DossierProcedureDayStat] = {}

    def rows(r: dict) -> list:
        day = _day_key(r["d"])
        key = (r["commune_id"], day)
        if key not in communes:
            communes[key] = DossierDayStat(commune_id=r["commune_id"], day=day)
        out = [communes[key]]
        if r["procedure_id"] is not None:
            pkey = (r["procedure_id"], day)
            if pkey not in procedures:
                procedures[pkey] = DossierProcedureDayStat(
                    commune_id=r["commune_id"], procedure_id=r["procedure_id"], day=day
                )
            out.append(procedures[pkey])
        return out

    base = Dossier.objects.filter(commune_id__in=ids)

    def per_day(column: str, *group, **counts):
        """The communes' dossiers with `column` set, per commune, procedure and local day."""
        return (
            base.filter(**{f"{column}__isnull": False})
            .annotate(d=TruncDate(column, tzinfo=TZ))
            .values("commune_id", "procedure_id", "d", *group)
            .annotate(n=Count("*"), **{name: Count("commune", filter=q) for name, q in counts.items()})
        )

    online = Q(channel=Channel.ONLINE)
    for r in per_day(
        "received_at",
        online=online,
        online_full=online & Q(online_level=OnlineLevel.FULL),
        online_partial=online & Q(online_level=OnlineLevel.PARTIAL),
    ):
        for target in rows(r):
            target.received += r["n"]
            target.online += r["online"]
            target.online_full += r["online_full"]
            target.online_partial += r["online_partial"]
    for r in per_day("finished_at", "finish_outcome", refused=Q(status=Status.REFUSED)):
        for target in rows(r):
            target.finished += r["n"]
            setattr(target, r["finish_outcome"], getattr(target, r["finish_outcome"]) + r["n"])
            target.refused += r["refused"]
    for r in per_day("withdrawn_at"):
        for target in rows(r):
            target.withdrawn += r["n"]
    for r in per_day("returned_at", electronic=Q(return_mode=ReturnMode.ELECTRONIC)):
        for target in rows(r):
            target.returned += r["n"]
            target.returned_electronic += r["electronic"]
    for r in per_day("fee_paid_at", online=Q(fee_method=PaymentMethod.ONLINE)):
        for target in rows(r):
            target.paid += r["n"]
            target.paid_online += r["online"]
    DossierDayStat.objects.bulk_create(communes.values(), batch_size=5000)
    DossierProcedureDayStat.objects.bulk_create(procedures.values(), batch_size=5000)
    _rebuild_field_day_stats(ids)
    return len(communes)


# A field changed less than this long ago may still have receipts in flight that read the
# old field; until then the figures by field sum the per-procedure summary (exact).
FIELD_CHANGE_SETTLE = timedelta(minutes=1)


def field_summary_ready(commune_ids) -> bool:
    """Whether the per-field day summary of the communes can be read: no procedure's
    field changed since it was last caught up, or only long enough ago
    (`FIELD_CHANGE_SETTLE`) that every move that read the old field has been committed
    — those communes' rows are then recomputed from the per-procedure summary first
    (one grouped query per commune set) and the marks cleared. False while a change is
    younger: the caller sums the per-procedure summary instead."""
    changed = list(
        Procedure.objects.filter(
            commune_id__in=list(commune_ids), field_changed_at__isnull=False
        ).values_list("commune_id", "field_changed_at")
    )
    if not changed:
        return True
    if max(at for _, at in changed) > timezone.now() - FIELD_CHANGE_SETTLE:
        return False
    _rebuild_field_day_stats(sorted({commune_id for commune_id, _ in changed}))
    return True


@transaction.atomic
def _rebuild_field_day_stats(commune_ids: list[int]) -> None:
    """Recompute the communes' per-field rows from their per-procedure rows (under the
    fields the procedures have now) and clear the procedures' field-change marks that
    are older than `FIELD_CHANGE_SETTLE` (a younger one is caught up again later: a move
    in flight may still add to its old field). The communes' rows are locked first, so
    two requests catching up at once take turns."""
    settled = timezone.now() - FIELD_CHANGE_SETTLE
    list(Unit.objects.select_for_update().filter(pk__in=commune_ids).values_list("pk", flat=True))
    counters = DossierDayStat.COUNTERS
    DossierFieldDayStat.objects.filter(commune_id__in=commune_ids).delete()
    rows = (
        DossierProcedureDayStat.objects.filter(commune_id__in=commune_ids)
        .exclude(procedure__field="")
        .values("commune_id", "procedure__field", "day")
        .annotate(**{f"n_{c}": Sum(c) for c in counters})
        .order_by()
    )
    DossierFieldDayStat.objects.bulk_create(
        (
            DossierFieldDayStat(
                commune_id=r["commune_id"],
                field=r["procedure__field"],
                day=r["day"],
                **{c: r[f"n_{c}"] for c in counters},
            )
            for r in rows.iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )
    Procedure.objects.filter(commune_id__in=commune_ids, field_changed_at__lte=settled).update(
        field_changed_at=None
    )


def _day_key(value) -> date:
    if isinstance(value, datetime):
        return value.astimezone(TZ).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value
