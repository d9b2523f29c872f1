"""What the dashboards show, computed through the figures catalogue only.

- `commune_dashboard`: the chairman's home — each plan target against its live value
  (plans.services.live_targets over the plan year's annual window unless another
  period is asked for), a trend of the headline figures over the last 12 reporting
  months, the commune's overdue dossiers and petitions, and the reports coming due.
- `comparison`: the province's table — one row per commune for a period, each cell a
  catalogue figure computed for all communes at once (`evaluate_by_commune`: one
  grouped query per figure set, no per-commune loop).
- `officer_table`: figures by officer and by department (seed II.5d).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cchc.core.figures import Figure, Scope, Value, evaluate, evaluate_by_commune
from cchc.core.periods import Period, PeriodKind, containing
from cchc.dossiers import figures as DF
from cchc.dossiers.models import Dossier
from cchc.org.models import Unit
from cchc.petitions import figures as PF
from cchc.petitions.models import Petition
from cchc.plans import figures as PlanF
from cchc.plans.models import Plan, Task
from cchc.plans.services import TargetReading, TargetState, live_targets, target_period
from cchc.procedures import figures as ProcF
from cchc.reports import figures as RF
from cchc.satisfaction import figures as SF

# The headline figures of the chairman's trend charts, in order.
HEADLINES: tuple[Figure, ...] = (
    DF.ON_TIME_RATE,
    SF.RATE,
    DF.ONLINE_RATE,
    PF.ON_TIME_RATE,
)

# Words and an icon for each state of a target (never colour alone).
STATE_ICONS = {
    TargetState.MET: ("✔", "success"),
    TargetState.NOT_MET: ("✘", "danger"),
    TargetState.NO_DATA: ("–", "secondary"),
    TargetState.NOT_STARTED: ("…", "secondary"),
}


def reporting_year(today: date) -> int:
    return containing(today, PeriodKind.YEAR).year


def trend_months(today: date, count: int = 12) -> list[Period]:
    """The last `count` reporting months, ending with the one that holds `today`."""
    months = [containing(today, PeriodKind.MONTH)]
    while len(months) < count:
        months.insert(0, months[0].previous())
    return months


@dataclass
class Trend:
    figure: Figure
    months: list[Period]
    values: list[Value]
    target: Decimal | None = None  # the plan's target for this figure, if any

    @property
    def latest(self) -> Value:
        return self.values[-1] if self.values else None

    @property
    def points(self) -> list[tuple[Period, Value, str]]:
        return [(m, v, self.figure.format(v)) for m, v in zip(self.months, self.values, strict=True)]


def trends(commune_ids: list[int], today: date, figures: tuple[Figure, ...] = HEADLINES) -> list[Trend]:
    """Each headline figure over the last 12 reporting months (one evaluation of
    the figure set per month)."""
    months = trend_months(today)
    series = [
        evaluate(
            figures, Scope.of(commune_ids=commune_ids, date_from=m.date_from, date_to=min(m.date_to, today))
        )
        for m in months
    ]
    return [Trend(fig, months, [row[fig] for row in series]) for fig in figures]


@dataclass
class TargetRow:
    reading: TargetReading

    @property
    def task(self):
        return self.reading.task

    @property
    def icon(self) -> str:
        return STATE_ICONS[self.reading.state][0]

    @property
    def tone(self) -> str:
        return STATE_ICONS[self.reading.state][1]


@dataclass
class CommuneDashboard:
    commune: Unit
    today: date
    period: Period
    plan: Plan | None
    targets: list[TargetRow]
    trends: list[Trend]
    overdue_dossiers: list[Dossier]
    overdue_dossier_count: int
    waiting_dossier_count: int
    overdue_petitions: list[Petition]
    overdue_petition_count: int
    reports_due: list = field(default_factory=list)

    @property
    def targets_met(self) -> int:
        return sum(r.reading.state == TargetState.MET for r in self.targets)

    @property
    def targets_not_met(self) -> int:
        return sum(r.reading.state == TargetState.NOT_MET for r in self.targets)


def commune_dashboard(
    commune: Unit, *, today: date, period: Period | None = None, with_trends: bool = True, limit: int = 10
) -> CommuneDashboard:
    year = reporting_year(today)
    plan = Plan.objects.filter(commune=commune, year=year).first()
    chosen = period or (target_period(plan) if plan else Period.year_of(year))
    targets: list[TargetRow] = []
    if plan is not None:
        readings = live_targets(plan, today=today, period=chosen)
        order = Task.objects.filter(pk__in=list(readings)).values_list("pk", flat=True)  # plan order
        targets = [TargetRow(readings[pk]) for pk in order]
    commune_ids = [commune.pk]
    trend_rows = trends(commune_ids, today) if with_trends else []
    for trend in trend_rows:
        for row in targets:
            if row.reading.figure is trend.figure:
                trend.target = row.task.target_value
    overdue = Dossier.objects.for_communes(commune_ids).overdue(today).select_related("procedure")
    petitions = Petition.objects.filter(commune_id__in=commune_ids).overdue(today)
    return CommuneDashboard(
        commune=commune,
        today=today,
        period=chosen,
        plan=plan,
        targets=targets,
        trends=trend_rows,
        overdue_dossiers=list(overdue.order_by("due_date", "pk")[:limit]),
        overdue_dossier_count=overdue.count(),
        waiting_dossier_count=Dossier.objects.for_communes(commune_ids).waiting().count(),
        overdue_petitions=list(petitions.order_by("due_date", "pk")[:limit]),
        overdue_petition_count=petitions.count(),
        reports_due=reports_due(commune, today),
    )


def reports_due(commune: Unit, today: date, limit: int = 4) -> list:
    """The periodic reports the commune has not sent yet whose deadline has passed
    or is the next ones (reports.services.completeness_table cells)."""
    from cchc.reports.services import completeness_table

    year = reporting_year(today)
    cells = []
    for y in (year - 1, year):
        _, rows = completeness_table(communes=[commune], year=y, today=today)
        cells += [c for c in rows[0].cells if c.state in ("overdue", "not_due")]
    overdue = [c for c in cells if c.state == "overdue"]
    upcoming = sorted((c for c in cells if c.state == "not_due"), key=lambda c: c.deadline)
    return (overdue + upcoming)[:limit]


# --- the province's comparison --------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    key: str  # the sort parameter
    label: str
    figure: Figure | None  # None: a composed column (report status)
    higher_is_better: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("dung-han", "Tỷ lệ giải quyết đúng hạn", DF.ON_TIME_RATE),
    Column("qua-han", "Hồ sơ đang quá hạn", DF.OPEN_LATE, higher_is_better=False),
    Column("hai-long", "Tỷ lệ hài lòng", SF.RATE),
    Column("truc-tuyen", "Tỷ lệ hồ sơ trực tuyến", DF.ONLINE_RATE),
    Column("cong-khai", "Tỷ lệ TTHC công khai đầy đủ", ProcF.PUBLISHED_RATE),
    Column("ke-hoach", "Tiến độ kế hoạch CCHC", PlanF.TASKS_DONE_RATE),
    Column("bao-cao", "Báo cáo định kỳ đã gửi", RF.SENT_RATE),
)
# Every figure the table reads (the report status cell also shows the counts).
COMPARISON_FIGURES: tuple[Figure, ...] = (
    *(c.figure for c in COLUMNS if c.figure is not None),
    DF.RECEIVED,
    DF.FINISHED,
    RF.EXPECTED,
    RF.SENT,
    RF.SENT_ON_TIME,
)


@dataclass
class ComparisonRow:
    commune: Unit
    values: dict[Figure, Value]

    def value(self, column: Column) -> Value:
        return self.values[column.figure]

    @property
    def cells(self) -> list[tuple[Column, Value, str]]:
        return [(c, self.values[c.figure], c.figure.format(self.values[c.figure])) for c in COLUMNS]

    @property
    def report_status(self) -> str:
        expected, sent, on_time = (
            self.values[RF.EXPECTED],
            self.values[RF.SENT],
            self.values[RF.SENT_ON_TIME],
        )
        if not expected:
            return "Chưa có báo cáo đến hạn"
        late = sent - on_time
        text = f"Đã gửi {sent}/{expected}"
        if late:
            text += f" ({late} muộn)"
        if expected > sent:
            text += f", còn thiếu {expected - sent}"
        return text


def comparison(
    communes: list[Unit], period: Period, *, sort: str = "", descending: bool = False
) -> list[ComparisonRow]:
    """One row per commune for `period`; every value from the catalogue, computed for
    all communes together. `sort` is a column key (no data sorts last either way)."""
    scope = Scope.of(commune_ids=[c.pk for c in communes], date_from=period.date_from, date_to=period.date_to)
    per = evaluate_by_commune(COMPARISON_FIGURES, scope) if communes else {}
    rows = [ComparisonRow(c, per[c.pk]) for c in communes]
    column = next((c for c in COLUMNS if c.key == sort), None)
    if column is not None:
        present = [r for r in rows if r.value(column) is not None]
        missing = [r for r in rows if r.value(column) is None]
        present.sort(key=lambda r: (r.value(column), r.commune.name), reverse=descending)
        rows = present + missing
    return rows


def comparison_total(communes: list[Unit], period: Period) -> dict[Figure, Value]:
    """The line of all the communes together: every figure over the whole scope (rates
    from the summed counts, never an average of the communes' rates)."""
    scope = Scope.of(commune_ids=[c.pk for c in communes], date_from=period.date_from, date_to=period.date_to)
    return evaluate(COMPARISON_FIGURES, scope)


# --- figures by officer (seed II.5d) -----------------------------------------------------
OFFICER_FIGURES: tuple[Figure, ...] = (
    DF.RECEIVED,
    DF.FINISHED,
    DF.FINISHED_IN_TIME,
    DF.FINISHED_LATE,
    DF.ON_TIME_RATE,
    SF.RATED,
    SF.RATE,
)


@dataclass
class OfficerRow:
    name: str
    detail: str  # position / department
    values: dict[Figure, Value]

    @property
    def cells(self) -> list[tuple[Figure, Value, str]]:
        return [(f, self.values[f], f.format(self.values[f])) for f in OFFICER_FIGURES]

    @property
    def active(self) -> bool:
        return any(self.values[f] for f in (DF.RECEIVED, DF.FINISHED, SF.RATED))


def officer_table(
    commune: Unit, period: Period
) -> tuple[list[OfficerRow], list[OfficerRow], dict[Figure, Value]]:
    """(rows per officer, rows per department, the commune's total) for `period`.

    Per officer (the catalogue's `officer` filter): received = dossiers the officer
    received at the counter; finished / in time / late = dossiers whose finishing step
    the officer recorded; satisfaction = ratings of the dossiers the officer handled.
    Per department: the dossiers and ratings of the department's procedures. Only
    the commune's own officers and departments are listed."""
    from cchc.org.models import Department, User

    base = {"commune_ids": [commune.pk], "date_from": period.date_from, "date_to": period.date_to}
    officers = (
        User.objects.filter(unit=commune, is_active=True)
        .select_related("department")
        .order_by("department__name", "full_name", "username")
    )
    by_officer = [
        OfficerRow(
            u.full_name or u.username,
            " – ".join(p for p in (u.get_role_display(), u.department.name if u.department else "") if p),
            evaluate(OFFICER_FIGURES, Scope.of(**base, officer=u.pk)),
        )
        for u in officers
    ]
    by_department = [
        OfficerRow(d.name, "", evaluate(OFFICER_FIGURES, Scope.of(**base, department=d.pk)))
        for d in Department.objects.filter(commune=commune).order_by("name")
    ]
    total = evaluate(OFFICER_FIGURES, Scope.of(**base))
    return by_officer, by_department, total
