"""Figures of the commune's administrative reform plan (Kế hoạch CCHC), declared once
for the whole product (catalogue: `cchc.core.figures`; list: docs/figures.md).

Which plan a window measures: the plan of the reporting year that holds most of the
window (docs/rules.md §11: the year 2024 runs from 15/12/2023 to 14/12/2024, so a
task due 31/12/2024 belongs to the 2024 plan, and the report of 2024 counts it as
not yet due). A free range over several years counts each year's plan it covers for
at least half of that year. Draft and submitted plans are not counted: only plans
approved, in effect or closed bind the commune. Each task is judged as it stood at
the window's end (or now, if the window has not ended).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from cchc.core.figures import PERCENT, Figure, Scope, percent, register
from cchc.core.periods import Period, containing
from cchc.core.workcal import TZ

from .models import PlanStatus, Task, TaskStatus

TASKS = "nhiệm vụ"
SOURCE = "Kế hoạch CCHC của xã (mục II, phụ lục); NĐ 09/2019/NĐ-CP; docs/rules.md §3, §11"
BINDING = (PlanStatus.APPROVED, PlanStatus.IN_EFFECT, PlanStatus.CLOSED)


def plan_years(date_from: date, date_to: date) -> list[int]:
    """The plan years a window measures (see the module docstring)."""
    first, last = containing(date_from, "year").year, containing(date_to, "year").year
    overlaps = {}
    for year in range(first, last + 1):
        window = Period.year_of(year)
        a, b = max(window.date_from, date_from), min(window.date_to, date_to)
        overlaps[year] = (b - a).days + 1 if a <= b else 0
    kept = [y for y, days in overlaps.items() if days * 2 >= Period.year_of(y).days()]
    return kept or [max(overlaps, key=lambda y: (overlaps[y], y))]


@dataclass(frozen=True)
class TaskCounts:
    planned: int = 0
    done: int = 0
    done_on_time: int = 0
    overdue: int = 0

    @property
    def done_rate(self) -> Decimal | None:
        return percent(self.done, self.planned)


def _tally(scope: Scope) -> dict[int, TaskCounts]:
    now = (scope.now or timezone.now()).astimezone(TZ)
    # Judged at the end of the window's last day (or now): a task due that day and
    # not done by its end is overdue.
    as_of = min(scope.date_to + timedelta(days=1), now.date())
    tasks = (
        Task.objects.filter(
            area__plan__commune_id__in=scope.commune_ids,
            area__plan__year__in=plan_years(scope.date_from, scope.date_to),
            area__plan__status__in=BINDING,
        )
        .select_related("area__plan")
        .prefetch_related("updates")
    )
    tallies: dict[int, list[int]] = {cid: [0, 0, 0, 0] for cid in scope.commune_ids}
    for task in tasks:
        t = tallies[task.area.plan.commune_id]
        t[0] += 1
        done = task.status == TaskStatus.DONE and (task.completed_on is None or task.completed_on < as_of)
        if done:
            t[1] += 1
            if task.completed_on is not None and task.completed_on <= task.end_date:
                t[2] += 1
        else:
            updates = [u.on for u in task.updates.all() if u.on < as_of]
            if task.missed_due(as_of, updates, done=False):
                t[3] += 1
    return {cid: TaskCounts(*t) for cid, t in tallies.items()}


def counts(scope: Scope) -> TaskCounts:
    total = [0, 0, 0, 0]
    for c in _tally(scope).values():
        total = [total[0] + c.planned, total[1] + c.done, total[2] + c.done_on_time, total[3] + c.overdue]
    return TaskCounts(*total)


counts.by_commune = _tally


TASKS_PLANNED = Figure(
    key="plans.tasks_planned",
    label="Nhiệm vụ trong kế hoạch CCHC",
    unit=TASKS,
    definition=(
        "Số nhiệm vụ của kế hoạch CCHC năm (đã phê duyệt, đang thực hiện hoặc đã kết thúc) của năm báo cáo "
        "chứa phần lớn kỳ số liệu."
    ),
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.planned,
)
TASKS_DONE = Figure(
    key="plans.tasks_done",
    label="Nhiệm vụ đã hoàn thành",
    unit=TASKS,
    definition="Trong số nhiệm vụ của kế hoạch, số nhiệm vụ đã báo cáo hoàn thành đến cuối kỳ.",
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.done,
)
TASKS_DONE_ON_TIME = Figure(
    key="plans.tasks_done_on_time",
    label="Nhiệm vụ hoàn thành đúng hạn",
    unit=TASKS,
    definition="Trong số nhiệm vụ đã hoàn thành đến cuối kỳ, số nhiệm vụ có ngày hoàn thành không muộn hơn hạn.",
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.done_on_time,
)
TASKS_OVERDUE = Figure(
    key="plans.tasks_overdue",
    label="Nhiệm vụ quá hạn",
    unit=TASKS,
    definition=(
        "Số nhiệm vụ chưa hoàn thành đến cuối kỳ mà đã qua hạn; nhiệm vụ định kỳ: kỳ gần nhất đã đến hạn "
        "không có báo cáo tiến độ."
    ),
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.overdue,
)
TASKS_DONE_RATE = Figure(
    key="plans.tasks_done_rate",
    label="Tỷ lệ nhiệm vụ kế hoạch CCHC hoàn thành",
    unit=PERCENT,
    definition=(
        "Nhiệm vụ đã hoàn thành ÷ nhiệm vụ trong kế hoạch × 100 (tiến độ thực hiện kế hoạch). Chưa có kế hoạch "
        "được phê duyệt: chưa có dữ liệu."
    ),
    source=SOURCE,
    provider=counts,
    pick=lambda c: c.done_rate,
    numerator=TASKS_DONE,
    denominator=TASKS_PLANNED,
)

STATISTICS = (TASKS_PLANNED, TASKS_DONE, TASKS_DONE_ON_TIME, TASKS_OVERDUE, TASKS_DONE_RATE)

register(*STATISTICS)
