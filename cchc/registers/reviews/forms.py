from __future__ import annotations

from django import forms

from cchc.org.models import Department
from cchc.procedures.models import Procedure

from ..common.forms import FilterForm, VersionedForm, date_field
from .models import Proposal, ReviewStatus


class ReviewForm(VersionedForm):
    procedure = forms.ModelChoiceField(label="Thủ tục được rà soát", queryset=Procedure.objects.none())
    reviewed_on = date_field("Ngày rà soát")
    round = forms.CharField(label="Đợt, kế hoạch rà soát", max_length=200, required=False)
    department = forms.ModelChoiceField(
        label="Bộ phận rà soát", queryset=Department.objects.none(), required=False, empty_label="—"
    )
    findings = forms.CharField(
        label="Nội dung rà soát (vướng mắc, bất cập)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proposal = forms.ChoiceField(label="Phương án", choices=[("", "— Chọn —"), *Proposal.choices])
    proposal_text = forms.CharField(
        label="Nội dung kiến nghị",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Bỏ, sửa bộ phận nào (thành phần hồ sơ, thời hạn, phí…) và lý do.",
    )
    cost_before = forms.DecimalField(
        label="Chi phí tuân thủ trước (đồng/năm)", min_value=0, decimal_places=0, required=False
    )
    cost_after = forms.DecimalField(
        label="Chi phí tuân thủ sau (đồng/năm)",
        min_value=0,
        decimal_places=0,
        required=False,
        help_text="Nếu bản rà soát có tính chi phí tuân thủ (Thông tư 02/2017/TT-VPCP).",
    )

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = Procedure.objects.filter(commune=commune).order_by("code")
        self.fields["procedure"].label_from_instance = lambda p: f"{p.code} – {p.name[:120]}"
        self.fields["department"].queryset = Department.objects.filter(commune=commune)


class ActForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = date_field("Ngày", required=False)
    sent_to = forms.CharField(label="Gửi cơ quan", max_length=200, required=False)
    ref = forms.CharField(label="Số, ký hiệu văn bản", max_length=200, required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewFilterForm(FilterForm):
    date_field = "reviewed_on"
    proposal = forms.ChoiceField(
        label="Phương án", choices=[("", "Tất cả"), *Proposal.choices], required=False
    )
    status = forms.ChoiceField(
        label="Kết quả", choices=[("", "Tất cả"), *ReviewStatus.choices], required=False
    )

    def filter(self, qs, data: dict):
        if data.get("proposal"):
            qs = qs.filter(proposal=data["proposal"])
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        return qs
