from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Q

from cchc.org.models import Department

from ..common.forms import FilterForm, VersionedForm, date_field
from .models import InspectionStatus, Kind, RecommendationStatus


class InspectionForm(VersionedForm):
    kind = forms.ChoiceField(label="Hình thức", choices=Kind.choices, initial=Kind.CCHC)
    department = forms.ModelChoiceField(
        label="Bộ phận được kiểm tra",
        queryset=Department.objects.none(),
        required=False,
        empty_label="— Khác —",
    )
    subject = forms.CharField(
        label="Đơn vị được kiểm tra",
        max_length=200,
        required=False,
        help_text="Để trống nếu đã chọn bộ phận.",
    )
    scope = forms.CharField(
        label="Nội dung kiểm tra", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_on = date_field("Thời gian dự kiến", required=False)
    team_lead = forms.CharField(label="Trưởng đoàn", max_length=150, required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(commune=commune)


class ConductedForm(InspectionForm):
    """An unplanned inspection is recorded with its result."""

    conducted_on = date_field("Ngày kiểm tra")
    findings = forms.CharField(
        label="Kết quả kiểm tra (ưu điểm, tồn tại)", widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusion_ref = forms.CharField(label="Kết luận, báo cáo (số, ngày)", max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["planned_on"]


class ResultForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.CharField(widget=forms.HiddenInput)
    conducted_on = date_field("Ngày kiểm tra", required=False)
    findings = forms.CharField(
        label="Kết quả kiểm tra", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusion_ref = forms.CharField(label="Kết luận, báo cáo (số, ngày)", max_length=120, required=False)
    note = forms.CharField(label="Lý do", max_length=300, required=False)


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label="Tên kế hoạch", max_length=300, required=False)
    number = forms.CharField(label="Số, ký hiệu", max_length=60, required=False)
    issued_on = date_field("Ngày ban hành", required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RecommendationForm(VersionedForm):
    text = forms.CharField(label="Nội dung kiến nghị", widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(
        label="Bộ phận thực hiện", queryset=Department.objects.none(), required=False, empty_label="—"
    )
    due_on = date_field("Hạn thực hiện")

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(commune=commune)


class FollowUpForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.CharField(widget=forms.HiddenInput)
    on = date_field("Ngày hoàn thành", required=False)
    note = forms.CharField(label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InspectionFilterForm(FilterForm):
    kind = forms.ChoiceField(label="Hình thức", choices=[("", "Tất cả"), *Kind.choices], required=False)
    status = forms.ChoiceField(
        label="Tình trạng", choices=[("", "Tất cả"), *InspectionStatus.choices], required=False
    )
    planned = forms.ChoiceField(
        label="Kế hoạch", choices=[("", "Tất cả"), ("1", "Theo kế hoạch"), ("0", "Đột xuất")], required=False
    )

    def filter(self, qs, data: dict):
        if data.get("year"):
            start, end = date(data["year"], 1, 1), date(data["year"], 12, 31)
            qs = qs.filter(
                Q(planned_on__range=(start, end))
                | Q(planned_on__isnull=True, conducted_on__range=(start, end))
            )
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("planned") in ("0", "1"):
            qs = qs.filter(plan__isnull=data["planned"] == "0")
        return qs


class RecommendationFilterForm(FilterForm):
    date_field = "due_on"
    state = forms.ChoiceField(
        label="Tình trạng",
        choices=[("", "Tất cả"), ("open", "Đang thực hiện"), ("overdue", "Quá hạn"), ("done", "Đã xong")],
        required=False,
    )
    department = forms.ModelChoiceField(label="Bộ phận", queryset=Department.objects.none(), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["department"].queryset = Department.objects.filter(commune_id__in=user.commune_ids())

    def filter(self, qs, data: dict):
        from django.utils import timezone

        if data.get("state") == "open":
            qs = qs.filter(status=RecommendationStatus.OPEN)
        elif data.get("state") == "overdue":
            qs = qs.filter(status=RecommendationStatus.OPEN, due_on__lt=timezone.localdate())
        elif data.get("state") == "done":
            qs = qs.filter(status=RecommendationStatus.DONE)
        if data.get("department"):
            qs = qs.filter(department=data["department"])
        return qs
