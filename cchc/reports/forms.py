from __future__ import annotations

from django import forms

from cchc.core.forms import DayField
from cchc.core.periods import Period
from cchc.org.models import Department


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class BootstrapMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ReportCreateForm(BootstrapMixin, forms.Form):
    period = forms.ChoiceField(label="Kỳ báo cáo")

    def __init__(self, *args, periods: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.code: p for p in periods}
        self.fields["period"].choices = [
            (p.code, f"{p.label} (số liệu {p.date_from:%d/%m/%Y} – {p.date_to:%d/%m/%Y})") for p in periods
        ]

    def clean_period(self) -> Period:
        return self.periods[self.cleaned_data["period"]]


class ReportEditForm(BootstrapMixin, forms.Form):
    subject = forms.CharField(label="Trích yếu", max_length=300)
    recipients = forms.CharField(label="Nơi nhận (mỗi nơi một dòng)", required=False, widget=_textarea(5))
    signer_name = forms.CharField(label="Người ký", max_length=150, required=False)
    signer_title = forms.CharField(label="Chức danh ký", max_length=60, required=False)


class SectionForm(BootstrapMixin, forms.Form):
    body = forms.CharField(
        label="Nội dung",
        required=False,
        widget=_textarea(16),
        help_text="Mỗi đoạn một dòng; dòng bắt đầu bằng “- ” hoặc “+ ” là gạch đầu dòng. "
        "Trích số liệu bằng {{mã số liệu}}, ví dụ {{reports.sent}}: khi xem và khi xuất văn bản, "
        "mã được thay bằng giá trị của kỳ báo cáo.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionForm(BootstrapMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label="Ghi chú / lý do", required=False, widget=_textarea(2))
    number = forms.CharField(label="Số văn bản", max_length=10, required=False)
    issued_on = DayField(label="Ngày ban hành", required=False)


class AssignForm(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(label="Bộ phận viết", queryset=Department.objects.none())
    due_date = DayField(label="Hạn nộp")

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(commune_id=commune_id)
