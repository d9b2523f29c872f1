from __future__ import annotations

from django import forms

from cchc.core import figures
from cchc.core.concurrency import VersionedFormMixin
from cchc.core.forms import DayField
from cchc.org.models import Department

from .models import AreaKind, Comparison, Recurrence, Task, TaskStatus, TimeFrame
from .services import TASK_FIELDS


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class PlanCreateForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="Năm kế hoạch", min_value=2000, max_value=2100)
    title = forms.CharField(
        label="Trích yếu", max_length=300, required=False, help_text="Để trống: tên mặc định."
    )


class PlanTextForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Trích yếu", max_length=300)
    number = forms.CharField(
        label="Số", max_length=20, required=False, help_text="Cấp khi ban hành, ví dụ 152."
    )
    symbol = forms.CharField(label="Ký hiệu", max_length=40)
    issued_on = DayField(label="Ngày ban hành", required=False)
    basis = forms.CharField(label="Phần mở đầu (căn cứ)", required=False, widget=_textarea(3))
    purpose = forms.CharField(label="I.1. Mục đích (mỗi đoạn một dòng)", required=False, widget=_textarea(5))
    requirements = forms.CharField(label="I.2. Yêu cầu", required=False, widget=_textarea(6))
    reporting = forms.CharField(label="III. Chế độ báo cáo", required=False, widget=_textarea(6))
    budget = forms.CharField(label="IV. Kinh phí", required=False, widget=_textarea(3))
    responsibilities = forms.CharField(label="V. Tổ chức thực hiện", required=False, widget=_textarea(8))
    closing = forms.CharField(label="Đoạn kết", required=False, widget=_textarea(3))
    recipients = forms.CharField(label="Nơi nhận (mỗi nơi một dòng)", required=False, widget=_textarea(6))
    signer_name = forms.CharField(label="Họ tên người ký", max_length=150, required=False)


class AreaForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Lĩnh vực", choices=AreaKind.choices)
    title = forms.CharField(
        label="Tên",
        max_length=300,
        required=False,
        help_text="Lĩnh vực chuẩn: để trống dùng tên theo quy định.",
    )
    intro = forms.CharField(label="Nội dung chung", required=False, widget=_textarea(3))


class AreaEditForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Tên", max_length=300)
    intro = forms.CharField(label="Nội dung chung", required=False, widget=_textarea(3))


class TaskForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    position = forms.TypedChoiceField(label="Vị trí", coerce=int, required=False, empty_value=None)
    target_metric = forms.ChoiceField(
        label="Chỉ tiêu đo (số liệu)",
        choices=lambda: [("", "— Không —"), *figures.choices_grouped()],
        required=False,
    )
    target_comparison = forms.ChoiceField(
        label="So sánh", choices=[("", "—"), *Comparison.choices], required=False
    )
    recurrence = forms.ChoiceField(label="Chu kỳ", choices=[("", "—"), *Recurrence.choices], required=False)
    coordinating = forms.ModelMultipleChoiceField(
        label="Đơn vị phối hợp",
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Task
        fields = list(TASK_FIELDS)  # exactly what the task services accept
        widgets = {"content": _textarea(5)}
        field_classes = {"start_date": DayField, "end_date": DayField}

    def __init__(self, *args, commune, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(commune=commune)
        self.fields["lead_department"].queryset = departments
        self.fields["lead_department"].required = True
        self.fields["coordinating"].queryset = departments
        self.fields["time_frame"].choices = TimeFrame.choices
        if area is not None:
            count = area.tasks.count()
            from .models import letter_for

            self.fields["position"].choices = [(count, "Cuối danh sách")] + [
                (i, f"Trước nhiệm vụ {letter_for(i)})") for i in range(count)
            ]
        else:
            del self.fields["position"]

    def _post_clean(self):
        # Validation of the whole task is the service's job (one place for every channel).
        pass

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("position", None)
        data.pop("version", None)
        return data


class ReportForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label="Kết quả thực hiện", widget=_textarea(4))
    percent = forms.IntegerField(label="Tỷ lệ hoàn thành (%)", min_value=0, max_value=100)
    status = forms.ChoiceField(
        label="Trạng thái",
        choices=[c for c in TaskStatus.choices if c[0] != TaskStatus.OVERDUE],
    )
    on = DayField(label="Ngày")


class TransitionForm(forms.Form):
    to = forms.CharField()
    note = forms.CharField(required=False)
    number = forms.CharField(required=False, max_length=20)
    issued_on = DayField(required=False)
