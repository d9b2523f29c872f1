from __future__ import annotations

from django import forms

from cchc.org.models import Department

from ..common.forms import FilterForm, VersionedForm, date_field
from .models import DocKind, DocStatus, Handling, Issuer, LegalDocument, RoundKind, Verdict


def _documents(commune):
    return LegalDocument.objects.filter(commune=commune).order_by("-issued_on", "number")


class DocumentForm(VersionedForm):
    number = forms.CharField(
        label="Số, ký hiệu", max_length=60, help_text="Ví dụ: 05/2024/QĐ-UBND; 125/QĐ-UBND."
    )
    kind = forms.ChoiceField(label="Loại văn bản", choices=[("", "— Chọn —"), *DocKind.choices])
    is_normative = forms.BooleanField(label="Là văn bản quy phạm pháp luật", required=False, initial=True)
    issuer = forms.ChoiceField(label="Cơ quan ban hành", choices=[("", "— Chọn —"), *Issuer.choices])
    issued_on = date_field("Ngày ban hành")
    effective_from = date_field("Ngày có hiệu lực", required=False)
    subject = forms.CharField(label="Trích yếu", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    signer = forms.CharField(label="Người ký", max_length=150, required=False)
    department = forms.ModelChoiceField(
        label="Bộ phận soạn thảo", queryset=Department.objects.none(), required=False, empty_label="—"
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(commune=commune)


class DocumentActForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = date_field("Ngày có hiệu lực của việc thay đổi", required=False)
    changed_by = forms.ModelChoiceField(
        label="Văn bản sửa đổi, thay thế, bãi bỏ", queryset=None, required=False
    )
    change_ref = forms.CharField(label="hoặc số văn bản (ngoài sổ)", max_length=120, required=False)
    note = forms.CharField(label="Ghi chú, lý do", max_length=300, required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["changed_by"].queryset = _documents(commune)


class DocumentFilterForm(FilterForm):
    date_field = "issued_on"
    kind = forms.ChoiceField(label="Loại", choices=[("", "Tất cả"), *DocKind.choices], required=False)
    normative = forms.ChoiceField(
        label="Tính chất",
        choices=[("", "Tất cả"), ("1", "Văn bản QPPL"), ("0", "Quyết định hành chính")],
        required=False,
    )
    status = forms.ChoiceField(
        label="Tình trạng",
        choices=[("", "Tất cả"), ("in_force_all", "Còn hiệu lực (kể cả một phần)"), *DocStatus.choices],
        required=False,
    )

    def filter(self, qs, data: dict):
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("normative") in ("0", "1"):
            qs = qs.filter(is_normative=data["normative"] == "1")
        if data.get("status") == "in_force_all":
            qs = qs.filter(status__in=[DocStatus.IN_FORCE, DocStatus.AMENDED])
        elif data.get("status"):
            qs = qs.filter(status=data["status"])
        return qs


class RoundForm(VersionedForm):
    kind = forms.ChoiceField(label="Hình thức", choices=[("", "— Chọn —"), *RoundKind.choices])
    title = forms.CharField(label="Tên đợt", max_length=300)
    basis = forms.CharField(label="Căn cứ (kế hoạch, văn bản chỉ đạo)", max_length=300, required=False)
    started_on = date_field("Từ ngày")
    ended_on = date_field("Đến ngày", required=False)
    department = forms.ModelChoiceField(
        label="Bộ phận chủ trì", queryset=Department.objects.none(), required=False, empty_label="—"
    )
    conclusion = forms.CharField(
        label="Kết quả, kết luận", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    report_ref = forms.CharField(label="Báo cáo kết quả (số, ngày)", max_length=120, required=False)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(commune=commune)


class FindingForm(VersionedForm):
    document = forms.ModelChoiceField(label="Văn bản", queryset=None)
    reviewed_on = date_field("Ngày rà soát")
    verdict = forms.ChoiceField(label="Kết quả rà soát", choices=[("", "— Chọn —"), *Verdict.choices])
    proposed = forms.ChoiceField(label="Hướng xử lý", choices=Handling.choices, initial=Handling.NONE)
    description = forms.CharField(
        label="Nội dung phát hiện", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = _documents(commune)
        self.fields["document"].label_from_instance = lambda d: f"{d.number} – {d.subject[:100]}"


class HandleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = date_field("Ngày xử lý xong", required=False)
    handled_by = forms.ModelChoiceField(label="Văn bản xử lý", queryset=None, required=False)
    handling_ref = forms.CharField(label="hoặc số văn bản (ngoài sổ)", max_length=120, required=False)
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)
    update_document = forms.BooleanField(
        label="Cập nhật tình trạng văn bản được rà soát theo hướng xử lý", required=False, initial=True
    )

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handled_by"].queryset = _documents(commune)
