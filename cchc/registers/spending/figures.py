"""Figures of the reform-budget register (docs/registers.md, "Kinh phí CCHC").

The plans counted are those of the reporting years the window reaches (the
NĐ 09/2019 year: 15/12 of the previous year to 14/12; a window 15/12/2023 –
14/12/2024 counts the 2024 plan). Over those plans' tasks: the estimate is the sum
of the estimates (and adjustments) dated on or before the window's last day; spent
is the sum of the amounts spent dated on or before it (cumulative from the start of
the plan: the budget's execution as known at the cut-off); spent in the period
counts only the amounts dated inside the window. Filter: `area` (a reform-area
kind: direction, institutions, procedures, organisation, civil_service,
public_finance, digital, local).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from cchc.core.figures import PERCENT, Figure, Scope, percent, register
from cchc.core.periods import PeriodKind, containing

from .models import Expense, ExpenseKind

SOURCE = (
    "Luật Ngân sách nhà nước 2015; Kế hoạch CCHC của xã, mục IV (kinh phí do ngân sách xã bảo đảm, bố trí trong "
    "dự toán chi hằng năm); docs/registers.md"
)
FILTERS = frozenset({"area"})


def plan_years(scope: Scope) -> range:
    first = containing(scope.date_from, PeriodKind.YEAR).year
    last = containing(scope.date_to, PeriodKind.YEAR).year
    return range(first, last + 1)


def entries(scope: Scope) -> QuerySet[Expense]:
    """The entries of the window's plans dated on or before its last day."""
    qs = Expense.objects.filter(
        commune_id__in=scope.commune_ids,
        task__area__plan__year__in=list(plan_years(scope)),
        on__lte=scope.date_to,
    )
    if scope.get("area"):
        qs = qs.filter(task__area__kind=scope.get("area"))
    return qs


@dataclass(frozen=True)
class SpendingSums:
    estimate: Decimal
    spent: Decimal
    spent_in_period: Decimal

    @property
    def share(self) -> Decimal | None:
        return percent(self.spent, self.estimate) if self.estimate > 0 else None


def _aggregates(scope: Scope) -> dict:
    spent = Q(kind=ExpenseKind.SPENT)
    return {
        "estimate": Sum("amount", filter=Q(kind=ExpenseKind.ESTIMATE)),
        "spent": Sum("amount", filter=spent),
        "spent_in_period": Sum("amount", filter=spent & Q(on__gte=scope.date_from)),
    }


def _bundle(values: dict) -> SpendingSums:
    return SpendingSums(*(Decimal(values.get(k) or 0) for k in ("estimate", "spent", "spent_in_period")))


def spending_sums(scope: Scope) -> SpendingSums:
    return _bundle(entries(scope).aggregate(**_aggregates(scope)))


def _by_commune(scope: Scope) -> dict[int, SpendingSums]:
    rows = {r["commune_id"]: r for r in entries(scope).values("commune_id").annotate(**_aggregates(scope))}
    return {cid: _bundle(rows.get(cid, {})) for cid in scope.commune_ids}


spending_sums.by_commune = _by_commune


def _figure(key, label, unit, definition, pick, records=None, **kw) -> Figure:
    return Figure(
        key=key,
        label=label,
        unit=unit,
        definition=definition,
        source=SOURCE,
        provider=spending_sums,
        pick=pick,
        filters=FILTERS,
        records=records,
        **kw,
    )


ESTIMATE = _figure(
    "spending.estimate",
    "Dự toán kinh phí thực hiện nhiệm vụ CCHC",
    "đồng",
    "Tổng dự toán (kể cả điều chỉnh) ghi cho các nhiệm vụ của kế hoạch CCHC năm báo cáo, đến ngày cuối kỳ.",
    lambda s: s.estimate,
    records=lambda scope: entries(scope).filter(kind=ExpenseKind.ESTIMATE),
)
SPENT = _figure(
    "spending.spent",
    "Kinh phí thực hiện nhiệm vụ CCHC đã chi",
    "đồng",
    "Tổng số đã chi cho các nhiệm vụ của kế hoạch CCHC năm báo cáo, lũy kế đến ngày cuối kỳ.",
    lambda s: s.spent,
    records=lambda scope: entries(scope).filter(kind=ExpenseKind.SPENT),
)
SPENT_IN_PERIOD = _figure(
    "spending.spent_in_period",
    "Kinh phí CCHC chi trong kỳ",
    "đồng",
    "Tổng số đã chi cho các nhiệm vụ của kế hoạch CCHC năm báo cáo, có ngày chi trong kỳ.",
    lambda s: s.spent_in_period,
    records=lambda scope: entries(scope).filter(kind=ExpenseKind.SPENT, on__gte=scope.date_from),
)
SHARE = _figure(
    "spending.share_spent",
    "Tỷ lệ giải ngân kinh phí CCHC",
    PERCENT,
    "Kinh phí đã chi (lũy kế) ÷ dự toán; chưa có dự toán thì “chưa có dữ liệu”.",
    lambda s: s.share,
    numerator=SPENT,
    denominator=ESTIMATE,
)

FIGURES = [ESTIMATE, SPENT, SPENT_IN_PERIOD, SHARE]
register(*FIGURES)
HEADLINE = [ESTIMATE, SPENT, SHARE]
