from __future__ import annotations

from django import forms

from cchc.plans.models import AreaKind, Task

from ..common.forms import FilterForm, VersionedForm, date_field
from .models import ExpenseKind
from .services import OPEN_PLAN_STATUSES


def plan_tasks(commune):
    return (
        Task.objects.filter(area__plan__commune=commune, area__plan__status__in=OPEN_PLAN_STATUSES)
        .select_related("area__plan")
        .order_by("-area__plan__year", "area__sort_key", "area_id", "position")
    )


class ExpenseForm(VersionedForm):
    task = forms.ModelChoiceField(label="Nhiệm vụ của kế hoạch CCHC", queryset=Task.objects.none())
    kind = forms.ChoiceField(label="Loại", choices=[("", "— Chọn —"), *ExpenseKind.choices])
    amount = forms.DecimalField(
        label="Số tiền (đồng)",
        max_digits=16,
        decimal_places=0,
        help_text="Điều chỉnh giảm dự toán: ghi số âm.",
    )
    on = date_field("Ngày", help_text="Ngày quyết định giao, điều chỉnh dự toán hoặc ngày chi.")
    voucher = forms.CharField(label="Số chứng từ, quyết định", max_length=100, required=False)
    note = forms.CharField(label="Nội dung", max_length=300, required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = plan_tasks(commune)
        self.fields["task"].label_from_instance = lambda t: (
            f"{t.area.plan.year} · {t.letter}) {t.title[:110]}"
        )


class ExpenseFilterForm(FilterForm):
    plan_year = forms.IntegerField(label="Năm kế hoạch", required=False, min_value=2000, max_value=2100)
    area = forms.ChoiceField(label="Lĩnh vực", choices=[("", "Tất cả"), *AreaKind.choices], required=False)
    kind = forms.ChoiceField(label="Loại", choices=[("", "Tất cả"), *ExpenseKind.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["year"]

    def filter(self, qs, data: dict):
        if data.get("plan_year"):
            qs = qs.filter(task__area__plan__year=data["plan_year"])
        if data.get("area"):
            qs = qs.filter(task__area__kind=data["area"])
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        return qs
