"""Figures of the reporting regime (docs/reports.md, "Completeness"): how many
periodic CCHC reports communes owed in a window, how many they sent, and how many
were sent by the deadline — the reporting rates a province follows (and the PAR
index scores: "reports sent on time").

A commune owes the periodic reports of a year once its CCHC plan for that year has
been issued in the product (the plan's section III, "Chế độ báo cáo", sets the regime;
a commune with no plan owes nothing here and its figures are "no data"). A report is
*expected* for each period of `CCHC_REPORT_PERIODS` whose deadline falls in the window
and either has passed at the moment of counting or has already been met by a sent
report (a report whose deadline is still ahead and is not sent yet is not owed yet). It
is *sent* when its report has been sent (at any time), *on time* when sent on or
before the deadline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from cchc.core import figures
from cchc.core.figures import Figure, Scope, percent
from cchc.core.workcal import TZ

SOURCE = "NĐ 09/2019/NĐ-CP, điều 8 và 12; Kế hoạch CCHC của xã, mục III (chế độ báo cáo)"


@dataclass(frozen=True)
class Completeness:
    expected: int = 0
    sent: int = 0
    on_time: int = 0

    @property
    def late(self) -> int:
        return self.sent - self.on_time

    @property
    def sent_rate(self):
        return percent(self.sent, self.expected)

    @property
    def on_time_rate(self):
        return percent(self.on_time, self.expected)


def _due_in_window(scope: Scope) -> dict[str, tuple[date, int]]:
    """{period code: (deadline, reporting year)} of the reports whose deadline is in the window."""
    from .services import deadline_for, expected_periods

    out = {}
    for year in range(scope.date_from.year, scope.date_to.year + 2):
        for period in expected_periods(year):
            deadline = deadline_for(period)
            if scope.date_from <= deadline <= scope.date_to:
                out[period.code] = (deadline, period.year)
    return out


def planned_years(commune_ids: Iterable[int], years: Iterable[int]) -> set[tuple[int, int]]:
    """(commune id, year) pairs whose CCHC plan has been issued (approved, in effect or closed)."""
    from cchc.plans.models import Plan, PlanStatus

    issued = [PlanStatus.APPROVED, PlanStatus.IN_EFFECT, PlanStatus.CLOSED]
    return set(
        Plan.objects.filter(
            commune_id__in=list(commune_ids), year__in=list(years), status__in=issued
        ).values_list("commune_id", "year")
    )


def _by_commune(scope: Scope) -> dict[int, Completeness]:
    from .models import Report, ReportStatus

    today = (scope.now or timezone.now()).astimezone(TZ).date()
    due = _due_in_window(scope)
    planned = planned_years(scope.commune_ids, {year for _, year in due.values()})
    counts = {
        cid: {
            "expected": sum(deadline < today and (cid, year) in planned for deadline, year in due.values()),
            "sent": 0,
            "on_time": 0,
        }
        for cid in scope.commune_ids
    }
    if due:
        rows = Report.objects.filter(
            commune_id__in=scope.commune_ids, period_code__in=list(due), status=ReportStatus.SENT
        ).values_list("commune_id", "period_code", "sent_at")
        for commune_id, code, sent_at in rows:
            c = counts[commune_id]
            deadline, year = due[code]
            c["sent"] += 1
            if deadline >= today or (commune_id, year) not in planned:  # owed because it was sent
                c["expected"] += 1
            if sent_at.astimezone(TZ).date() <= deadline:
                c["on_time"] += 1
    return {cid: Completeness(c["expected"], c["sent"], c["on_time"]) for cid, c in counts.items()}


def completeness(scope: Scope) -> Completeness:
    parts = _by_commune(scope).values()
    return Completeness(
        sum(p.expected for p in parts), sum(p.sent for p in parts), sum(p.on_time for p in parts)
    )


completeness.by_commune = _by_commune  # one grouped query for a province table

_RULE = (
    "Báo cáo định kỳ (theo CCHC_REPORT_PERIODS, mặc định quý I, 6 tháng, quý III, năm) của các năm xã đã "
    "ban hành Kế hoạch CCHC, có hạn gửi trong kỳ, đã quá hạn tại thời điểm tính hoặc đã được gửi."
)
EXPECTED = Figure(
    key="reports.expected",
    label="Số báo cáo CCHC định kỳ phải gửi",
    unit="báo cáo",
    definition=_RULE,
    source=SOURCE,
    provider=completeness,
    pick=lambda c: c.expected,
)
SENT = Figure(
    key="reports.sent",
    label="Số báo cáo CCHC định kỳ đã gửi",
    unit="báo cáo",
    definition="Trong số báo cáo phải gửi, số báo cáo đã được duyệt, vào số và gửi cấp trên (bất kể ngày gửi).",
    source=SOURCE,
    provider=completeness,
    pick=lambda c: c.sent,
)
SENT_ON_TIME = Figure(
    key="reports.sent_on_time",
    label="Số báo cáo CCHC định kỳ gửi đúng hạn",
    unit="báo cáo",
    definition="Trong số báo cáo phải gửi, số báo cáo gửi vào hoặc trước ngày hạn gửi.",
    source=SOURCE,
    provider=completeness,
    pick=lambda c: c.on_time,
)
SENT_RATE = Figure(
    key="reports.sent_rate",
    label="Tỷ lệ báo cáo CCHC định kỳ đã gửi",
    unit=figures.PERCENT,
    definition="Số báo cáo đã gửi ÷ số báo cáo phải gửi × 100.",
    source=SOURCE,
    provider=completeness,
    pick=lambda c: c.sent_rate,
    numerator=SENT,
    denominator=EXPECTED,
)
SENT_ON_TIME_RATE = Figure(
    key="reports.sent_on_time_rate",
    label="Tỷ lệ báo cáo CCHC định kỳ gửi đúng hạn",
    unit=figures.PERCENT,
    definition="Số báo cáo gửi đúng hạn ÷ số báo cáo phải gửi × 100.",
    source=SOURCE,
    provider=completeness,
    pick=lambda c: c.on_time_rate,
    numerator=SENT_ON_TIME,
    denominator=EXPECTED,
)

figures.register(EXPECTED, SENT, SENT_ON_TIME, SENT_RATE, SENT_ON_TIME_RATE)
