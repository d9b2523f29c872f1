"""Figures of the inspection register (docs/registers.md, "Kiểm tra CCHC").

Planned: inspections of the year's plan whose planned date falls in the window
(cancelled ones included: they were planned and not done). Planned and done: of
those, the ones conducted on or before the window's last day. Done: every
inspection conducted in the window, planned or not. Recommendations due: those
whose deadline falls in the window; handled on time: of those, completed on or
before their deadline (and not after the window's last day). Filter: `kind`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F as DbF
from django.db.models import QuerySet

from cchc.core.figures import PERCENT, Figure, Scope, percent, register

from .models import Inspection, InspectionStatus, Recommendation

SOURCE = (
    "Kế hoạch CCHC của xã, mục II.1đ (tăng cường kiểm tra việc giải quyết TTHC tại các bộ phận); tiêu chí "
    "“kiểm tra công tác CCHC” của bộ Chỉ số CCHC cấp xã do tỉnh ban hành; docs/registers.md"
)
FILTERS = frozenset({"kind"})


def inspections(scope: Scope) -> QuerySet[Inspection]:
    qs = Inspection.objects.filter(commune_id__in=scope.commune_ids)
    if scope.get("kind"):
        qs = qs.filter(kind=scope.get("kind"))
    return qs


def planned(scope: Scope) -> QuerySet[Inspection]:
    return inspections(scope).filter(
        plan__isnull=False, planned_on__gte=scope.date_from, planned_on__lte=scope.date_to
    )


def planned_done(scope: Scope) -> QuerySet[Inspection]:
    return planned(scope).filter(status=InspectionStatus.DONE, conducted_on__lte=scope.date_to)


def done(scope: Scope) -> QuerySet[Inspection]:
    return inspections(scope).filter(
        status=InspectionStatus.DONE, conducted_on__gte=scope.date_from, conducted_on__lte=scope.date_to
    )


def due(scope: Scope) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        inspection__in=inspections(scope), due_on__gte=scope.date_from, due_on__lte=scope.date_to
    )


def on_time(scope: Scope) -> QuerySet[Recommendation]:
    return (
        due(scope)
        .filter(handled_on__isnull=False, handled_on__lte=DbF("due_on"))
        .filter(handled_on__lte=scope.date_to)
    )


def made(scope: Scope) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(inspection__in=done(scope))


@dataclass(frozen=True)
class InspectionCounts:
    planned: int
    planned_done: int
    done: int
    unplanned: int
    recommendations: int
    due: int
    on_time: int

    @property
    def plan_rate(self) -> Decimal | None:
        return percent(self.planned_done, self.planned)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.due)


def inspection_counts(scope: Scope) -> InspectionCounts:
    return InspectionCounts(
        planned=planned(scope).count(),
        planned_done=planned_done(scope).count(),
        done=done(scope).count(),
        unplanned=done(scope).filter(plan__isnull=True).count(),
        recommendations=made(scope).count(),
        due=due(scope).count(),
        on_time=on_time(scope).count(),
    )


def _figure(key, label, unit, definition, pick, records=None, **kw) -> Figure:
    return Figure(
        key=key,
        label=label,
        unit=unit,
        definition=definition,
        source=SOURCE,
        provider=inspection_counts,
        pick=pick,
        filters=FILTERS,
        records=records,
        **kw,
    )


PLANNED = _figure(
    "inspections.planned",
    "Số cuộc kiểm tra theo kế hoạch",
    "cuộc",
    "Số cuộc kiểm tra trong kế hoạch kiểm tra năm có thời gian dự kiến trong kỳ (kể cả cuộc bị hủy, hoãn).",
    lambda c: c.planned,
    records=planned,
)
PLANNED_DONE = _figure(
    "inspections.planned_done",
    "Số cuộc kiểm tra theo kế hoạch đã thực hiện",
    "cuộc",
    "Trong các cuộc kiểm tra theo kế hoạch của kỳ, số cuộc đã kiểm tra đến ngày cuối kỳ.",
    lambda c: c.planned_done,
    records=planned_done,
)
PLAN_RATE = _figure(
    "inspections.plan_rate",
    "Tỷ lệ thực hiện kế hoạch kiểm tra CCHC",
    PERCENT,
    "Cuộc kiểm tra theo kế hoạch đã thực hiện ÷ cuộc kiểm tra theo kế hoạch của kỳ; kỳ không có cuộc nào theo "
    "kế hoạch thì “chưa có dữ liệu”.",
    lambda c: c.plan_rate,
    numerator=PLANNED_DONE,
    denominator=PLANNED,
)
DONE = _figure(
    "inspections.done",
    "Số cuộc kiểm tra CCHC đã thực hiện",
    "cuộc",
    "Số cuộc kiểm tra có ngày kiểm tra trong kỳ, theo kế hoạch hoặc đột xuất.",
    lambda c: c.done,
    records=done,
)
UNPLANNED = _figure(
    "inspections.unplanned",
    "Số cuộc kiểm tra đột xuất",
    "cuộc",
    "Số cuộc kiểm tra ngoài kế hoạch có ngày kiểm tra trong kỳ.",
    lambda c: c.unplanned,
    records=lambda s: done(s).filter(plan__isnull=True),
)
RECOMMENDATIONS = _figure(
    "inspections.recommendations",
    "Số kiến nghị sau kiểm tra",
    "kiến nghị",
    "Số kiến nghị của các cuộc kiểm tra thực hiện trong kỳ.",
    lambda c: c.recommendations,
    records=made,
)
DUE = _figure(
    "inspections.recommendations_due",
    "Số kiến nghị sau kiểm tra đến hạn",
    "kiến nghị",
    "Số kiến nghị sau kiểm tra có hạn thực hiện trong kỳ.",
    lambda c: c.due,
    records=due,
)
ON_TIME = _figure(
    "inspections.recommendations_on_time",
    "Số kiến nghị sau kiểm tra được thực hiện đúng hạn",
    "kiến nghị",
    "Trong các kiến nghị đến hạn trong kỳ, số kiến nghị hoàn thành không muộn hơn hạn (và không sau ngày cuối kỳ).",
    lambda c: c.on_time,
    records=on_time,
)
ON_TIME_RATE = _figure(
    "inspections.recommendations_on_time_rate",
    "Tỷ lệ kiến nghị sau kiểm tra được thực hiện đúng hạn",
    PERCENT,
    "Kiến nghị hoàn thành đúng hạn ÷ kiến nghị đến hạn trong kỳ; không có kiến nghị đến hạn thì “chưa có dữ liệu”.",
    lambda c: c.on_time_rate,
    numerator=ON_TIME,
    denominator=DUE,
)

FIGURES = [PLANNED, PLANNED_DONE, PLAN_RATE, DONE, UNPLANNED, RECOMMENDATIONS, DUE, ON_TIME, ON_TIME_RATE]
register(*FIGURES)
HEADLINE = [PLANNED, PLANNED_DONE, PLAN_RATE, ON_TIME_RATE]
