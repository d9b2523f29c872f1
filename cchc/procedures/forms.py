from __future__ import annotations

from django import forms

from cchc.core.concurrency import VersionedFormMixin
from cchc.core.uploads import size_problem
from cchc.core.workcal import TimeUnit
from cchc.org.models import Department, Unit

from .models import DepartmentRule, OnlineLevel, Procedure
from .services import EDITABLE_FIELDS

YES_NO = [("", "Tất cả"), ("1", "Có"), ("0", "Không")]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": "Mã, tên thủ tục hoặc lĩnh vực (gõ có dấu hay không dấu)", "type": "search"}
        ),
    )
    commune = forms.ChoiceField(label="Xã", required=False)
    field = forms.ChoiceField(label="Lĩnh vực", required=False)
    online_level = forms.ChoiceField(
        label="Dịch vụ công trực tuyến", required=False, choices=[("", "Tất cả"), *OnlineLevel.choices]
    )
    published = forms.ChoiceField(label="Đã công khai", required=False, choices=YES_NO)
    review = forms.ChoiceField(label="Cần rà soát", required=False, choices=YES_NO)

    def __init__(self, *args, communes, fields: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", "Tất cả các xã"), *[(c.slug, str(c)) for c in communes]]
        if len(communes) <= 1:
            del self.fields["commune"]
        self.fields["field"].choices = [("", "Tất cả lĩnh vực"), *[(f, f) for f in fields]]


class ProcedureForm(VersionedFormMixin, forms.ModelForm):
    clear_review = forms.BooleanField(
        label="Đã rà soát xong: bỏ cờ 'cần rà soát' (kể cả khi còn ghi chú)", required=False
    )

    class Meta:
        model = Procedure
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "documents": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(commune_id=self.instance.commune_id)
        self.fields["time_unit"].choices = [
            ("", "— chưa xác định —"),
            *[(u.value, u.label) for u in TimeUnit],
        ]
        self.fields["time_amount"].help_text = "Để trống khi đơn vị là 'trong ngày'."
        self.fields["fee_amount"].help_text = "Số tiền (đồng); 0 = miễn phí; để trống nếu chưa rõ."
        self.fields["name"].required = True
        if not self.instance.needs_review:
            del self.fields["clear_review"]

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp danh mục (CSV UTF-8 hoặc XLSX)",
        help_text="Các cột: code, name, field, level, decision, channels, time_amount, time_unit (hoặc time_text), fee_text; tùy chọn documents, online_level.",
    )
    commune = forms.ModelChoiceField(label="Nhập cho xã", queryset=Unit.objects.none(), to_field_name="slug")

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if communes.count() == 1:
            self.fields["commune"].initial = communes.first().slug
            self.fields["commune"].widget = forms.HiddenInput()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        problem = size_problem(upload)
        if problem:
            raise forms.ValidationError(problem)
        return upload


class DepartmentRuleForm(forms.ModelForm):
    class Meta:
        model = DepartmentRule
        fields = ["keyword", "department", "order"]

    def __init__(self, *args, commune: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(commune=commune)
        self.fields[
            "keyword"
        ].help_text = "Ví dụ: Hộ tịch. Khớp mọi lĩnh vực có chứa cụm từ này (không phân biệt dấu)."
        self.fields["order"].help_text = "Số nhỏ được xét trước."
