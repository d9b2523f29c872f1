from __future__ import annotations

from django import forms

from cchc.core.text import filter_by_search
from cchc.org.models import Department

from ..common.forms import FilterForm, VersionedForm, date_field
from . import services
from .models import Mode, Subject


class CourseForm(VersionedForm):
    title = forms.CharField(label="Tên khóa, lớp", max_length=300)
    subjects = forms.MultipleChoiceField(
        label="Chủ đề", choices=Subject.choices, widget=forms.CheckboxSelectMultiple
    )
    organiser = forms.CharField(
        label="Đơn vị tổ chức", max_length=200, required=False, help_text="Ví dụ: Sở Nội vụ, UBND xã."
    )
    mode = forms.ChoiceField(label="Hình thức", choices=Mode.choices, initial=Mode.IN_PERSON)
    starts_on = date_field("Từ ngày")
    ends_on = date_field("Đến ngày", required=False, help_text="Để trống nếu học trong một ngày.")
    hours = forms.DecimalField(
        label="Số giờ (tiết)", min_value=0, max_digits=6, decimal_places=1, required=False
    )
    place = forms.CharField(label="Địa điểm", max_length=200, required=False)
    certificate = forms.BooleanField(label="Có chứng chỉ, giấy chứng nhận", required=False)
    in_plan = forms.BooleanField(label="Thuộc kế hoạch đào tạo, bồi dưỡng năm", required=False, initial=True)
    planned_participants = forms.IntegerField(
        label="Số người cử đi theo kế hoạch", min_value=0, required=False
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttendanceForm(VersionedForm):
    official = forms.ModelChoiceField(
        label="Cán bộ, công chức", queryset=None, required=False, empty_label="— Người không có tài khoản —"
    )
    person_name = forms.CharField(label="Họ và tên (nếu không có tài khoản)", max_length=150, required=False)
    position = forms.CharField(label="Chức vụ, chức danh", max_length=150, required=False)
    department = forms.ModelChoiceField(
        label="Bộ phận", queryset=Department.objects.none(), required=False, empty_label="—"
    )
    completed = forms.BooleanField(label="Hoàn thành", required=False, initial=True)
    hours = forms.DecimalField(
        label="Số giờ học",
        min_value=0,
        max_digits=6,
        decimal_places=1,
        required=False,
        help_text="Để trống: bằng số giờ của khóa.",
    )
    certificate_no = forms.CharField(label="Số chứng chỉ", max_length=100, required=False)
    certificate_on = date_field("Ngày cấp chứng chỉ", required=False)
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = services.officials(commune)
        self.fields["official"].label_from_instance = lambda u: (
            f"{u.full_name or u.username} ({u.position or u.get_role_display()})"
        )
        self.fields["department"].queryset = Department.objects.filter(commune=commune)


class CourseFilterForm(FilterForm):
    date_field = "ends_on"
    subject = forms.ChoiceField(label="Chủ đề", choices=[("", "Tất cả"), *Subject.choices], required=False)
    mode = forms.ChoiceField(label="Hình thức", choices=[("", "Tất cả"), *Mode.choices], required=False)
    person = forms.CharField(label="Người học", required=False)

    def filter(self, qs, data: dict):
        if data.get("subject"):
            qs = qs.with_subject(data["subject"])
        if data.get("mode"):
            qs = qs.filter(mode=data["mode"])
        if data.get("person"):
            from .models import Attendance

            people = filter_by_search(Attendance.objects.all(), data["person"])
            qs = qs.filter(pk__in=people.values("course_id"))
        return qs
