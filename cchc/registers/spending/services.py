"""Writing the reform-budget register, and its totals per task, reform area and
plan — the one computation behind the plan's page, its appendix and the register's
own summary (the figures use the same sums over a window)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from cchc.core.figures import percent
from cchc.core.text import clean_text
from cchc.org.models import Unit, User
from cchc.plans.models import Plan, PlanStatus, Task

from ..common import services as common
from .models import Expense, ExpenseKind

FIELDS = ("task", "kind", "amount", "on", "voucher", "note")
# A draft plan's tasks may still be deleted or moved; money is recorded once the
# plan is approved.
OPEN_PLAN_STATUSES = (PlanStatus.APPROVED, PlanStatus.IN_EFFECT, PlanStatus.CLOSED)

if TYPE_CHECKING:  # plans.extensions is imported where it is used
    from cchc.plans.extensions import TaskColumns


def _spec():
    from .spec import SPEC

    return SPEC


def clean_values(values: dict, *, commune: Unit, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    out = dict(values)
    out["voucher"] = clean_text(out.get("voucher") or "")
    out["note"] = clean_text(out.get("note") or "")
    errors: dict[str, str] = {}
    task: Task | None = out.get("task")
    if task is not None:
        # Read again: the plan's status decides, not a copy held by the caller.
        task = out["task"] = Task.objects.select_related("area__plan").get(pk=task.pk)
    plan = task.area.plan if task is not None else None
    if task is None:
        errors["task"] = "Chọn nhiệm vụ của kế hoạch CCHC."
    elif plan.commune_id != commune.pk:
        errors["task"] = "Nhiệm vụ phải thuộc kế hoạch CCHC của xã."
    elif plan.status not in OPEN_PLAN_STATUSES:
        errors["task"] = f"Kế hoạch CCHC năm {plan.year} chưa được phê duyệt: chưa ghi kinh phí được."
    if out.get("kind") not in ExpenseKind.values:
        errors["kind"] = "Chọn loại: dự toán hoặc thực chi."
    amount = out.get("amount")
    if amount is None:
        errors["amount"] = "Cần số tiền."
    elif amount != amount.to_integral_value():
        errors["amount"] = "Số tiền tính bằng đồng, không có phần lẻ."
    elif amount == 0:
        errors["amount"] = "Số tiền phải khác 0."
    elif amount < 0 and out.get("kind") == ExpenseKind.SPENT:
        errors["amount"] = "Số tiền thực chi phải dương (điều chỉnh giảm chỉ áp dụng cho dự toán)."
    on = out.get("on")
    if on is None:
        errors["on"] = "Cần ngày (ngày quyết định giao dự toán hoặc ngày chi)."
    elif on > today:
        errors["on"] = "Ngày không được sau hôm nay."
    elif plan is not None and not plan.year - 1 <= on.year <= plan.year + 1:
        errors["on"] = f"Ngày phải thuộc năm kế hoạch {plan.year} (hoặc cuối năm trước, đầu năm sau)."
    if errors:
        raise ValidationError(errors)
    return out


def as_values(expense: Expense) -> dict:
    return {name: getattr(expense, name) for name in FIELDS}


@transaction.atomic
def expense_save(
    *,
    user: User | None,
    commune: Unit | None = None,
    expense: Expense | None = None,
    expected_version: int | None = None,
    today: date | None = None,
    **values: Any,
) -> Expense:
    """Record an estimate or an amount spent on a plan task, or correct it."""
    if expense is None:
        common.check_manage(user, _spec(), commune.pk)
        expense = Expense(commune=commune)
    else:
        common.check_manage(user, _spec(), expense.commune_id)
        expense = common.lock(expense, expected_version)
        values = {**as_values(expense), **values}
    values = clean_values(values, commune=expense.commune, today=today)
    for name, value in values.items():
        setattr(expense, name, value)
    common.stamp(expense, user)
    expense.save()
    return expense


@transaction.atomic
def expense_delete(*, user: User | None, expense: Expense, expected_version: int | None = None) -> None:
    common.check_manage(user, _spec(), expense.commune_id)
    expense = common.lock(expense, expected_version)
    expense.delete()


# --- totals -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Money:
    estimate: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    @property
    def share(self) -> Decimal | None:
        """Spent ÷ estimate, rounded by the catalogue's rule; None without an estimate."""
        return percent(self.spent, self.estimate) if self.estimate > 0 else None

    def __add__(self, other: Money) -> Money:
        return Money(self.estimate + other.estimate, self.spent + other.spent)


SUMS = {
    "estimate": Sum("amount", filter=Q(kind=ExpenseKind.ESTIMATE)),
    "spent": Sum("amount", filter=Q(kind=ExpenseKind.SPENT)),
}


def money(values: dict) -> Money:
    return Money(Decimal(values.get("estimate") or 0), Decimal(values.get("spent") or 0))


@dataclass
class PlanMoney:
    plan: Plan
    tasks: dict[int, Money] = field(default_factory=dict)
    areas: dict[int, Money] = field(default_factory=dict)
    total: Money = field(default_factory=Money)
    planned: Decimal = Decimal(0)  # the tasks' budget as written in the plan
    entries: int = 0


def plan_money(plan: Plan, *, until: date | None = None) -> PlanMoney:
    """Estimate and spending per task, per reform area and for `plan` (entries
    dated on or before `until` when given). Every task and area of the plan is
    present, with zeros where nothing was recorded."""
    qs = Expense.objects.filter(task__area__plan=plan)
    if until is not None:
        qs = qs.filter(on__lte=until)
    by_task = {r["task_id"]: money(r) for r in qs.values("task_id").annotate(**SUMS)}
    out = PlanMoney(plan=plan, entries=qs.count())
    for task in Task.objects.filter(area__plan=plan).only("pk", "area_id", "budget"):
        value = by_task.get(task.pk, Money())
        out.tasks[task.pk] = value
        out.areas[task.area_id] = out.areas.get(task.area_id, Money()) + value
        out.total = out.total + value
        out.planned += task.budget or 0
    for area_id in plan.areas.values_list("pk", flat=True):
        out.areas.setdefault(area_id, Money())
    return out


def plan_columns(plan: Plan) -> TaskColumns | None:
    """The columns the plan's page and appendix show (`cchc.plans.extensions`):
    estimate, spent and the share spent, per task, area and plan. Nothing for a
    plan without any entry."""
    from django.urls import reverse

    from cchc.core.figures import format_number, format_value
    from cchc.plans.extensions import TaskColumns

    totals = plan_money(plan)
    if totals.entries == 0:
        return None

    def row(value: Money) -> tuple:
        return (value.estimate, value.spent, value.share)

    def amount(value: Decimal) -> str:
        return format_number(int(value))

    def share(value: Decimal) -> str:
        return format_value(value, "%")

    return TaskColumns(
        title="Kinh phí thực hiện (đồng)",
        headers=("Dự toán (đồng)", "Đã chi (đồng)", "Tỷ lệ đã chi"),
        tasks={k: row(v) for k, v in totals.tasks.items()},
        areas={k: row(v) for k, v in totals.areas.items()},
        total=row(totals.total),
        formats=(amount, amount, share),
        link=reverse("registers:spending_plan", args=[plan.pk]),
    )
