from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.db.models import Count, Q
from django.utils import timezone

from cchc.core.forms import DayField, DayInput, PeriodFilterMixin
from cchc.core.text import search_key
from cchc.org.models import Department, Unit
from cchc.procedures.models import Procedure, RequiredDocument

from .models import Channel, PaymentMethod, ResultDelivery, ReturnMode, Status
from .services import Payment

DATE_WIDGET = DayInput(attrs={"class": "form-control"})


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
            widget.attrs.setdefault("class", "form-control")


class ProcedureSelect(forms.Select):
    """A plain select (it works without JavaScript) whose options carry what the
    search-as-you-type picker (`dossiers/procedure_picker.js`) needs: the search key
    of code and name (accents ignored) and how often the commune uses it."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        procedure = getattr(value, "instance", None)
        if procedure is not None:
            option["attrs"]["data-key"] = search_key(f"{procedure.code} {procedure.name}")
            option["attrs"]["data-code"] = procedure.code
            option["attrs"]["data-uses"] = getattr(procedure, "uses", 0)
        return option


def procedures_for_intake(commune: Unit):
    """The commune's published procedures, the most used in the last year first."""
    since = timezone.now() - timedelta(days=365)
    return (
        Procedure.objects.filter(commune=commune, is_published=True)
        .annotate(uses=Count("dossiers", filter=Q(dossiers__received_at__gte=since)))
        .order_by("-uses", "field", "name")
    )


class ReceiveForm(forms.Form):
    procedure = forms.ModelChoiceField(
        label="Thủ tục hành chính",
        queryset=Procedure.objects.none(),
        empty_label="— Chọn thủ tục —",
        widget=ProcedureSelect,
        help_text="Gõ tên hoặc mã thủ tục (không cần dấu), ví dụ “khai sinh”; thủ tục xã dùng nhiều đứng trước.",
    )
    channel = forms.ChoiceField(label="Kênh tiếp nhận", choices=Channel.choices, initial=Channel.IN_PERSON)
    applicant_name = forms.CharField(label="Họ tên người nộp / tên tổ chức", max_length=200)
    applicant_id_number = forms.CharField(label="Số định danh cá nhân (CCCD) / mã số tổ chức", max_length=20)
    applicant_phone = forms.CharField(label="Số điện thoại", max_length=20)
    applicant_address = forms.CharField(label="Địa chỉ", max_length=300)
    applicant_email = forms.CharField(label="Thư điện tử", max_length=254, required=False)
    representative = forms.CharField(label="Người được ủy quyền / đại diện", max_length=200, required=False)
    request = forms.CharField(
        label="Nội dung yêu cầu giải quyết",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bỏ trống: ghi theo tên thủ tục.",
    )
    checked_documents = forms.ModelMultipleChoiceField(
        label="Giấy tờ đã nhận",
        queryset=RequiredDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    documents = forms.CharField(
        label="Giấy tờ khác (mỗi dòng một giấy tờ)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    copies = forms.IntegerField(label="Số bộ hồ sơ", min_value=1, max_value=50, initial=1)
    result_delivery = forms.ChoiceField(
        label="Nơi nhận kết quả",
        choices=ResultDelivery.choices,
        initial=ResultDelivery.COUNTER,
        required=False,  # not chosen: at the counter
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, commune: Unit, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["procedure"]
        field.queryset = procedures_for_intake(commune)
        field.label_from_instance = lambda p: (
            f"{p.name[:110]} ({p.code}) – {p.time_display}" + ("" if p.has_usable_time else " [cần rà soát]")
        )
        self.procedure_chosen = self._chosen_procedure(commune)
        self.fields["checked_documents"].queryset = (
            self.procedure_chosen.required_documents.all()
            if self.procedure_chosen is not None
            else RequiredDocument.objects.none()
        )
        _bootstrap(self)
        field.widget.attrs.update({"data-picker": "procedure"})

    def _chosen_procedure(self, commune: Unit) -> Procedure | None:
        value = (self.data.get("procedure") if self.is_bound else None) or self.initial.get("procedure")
        if isinstance(value, Procedure):
            return value
        try:
            return Procedure.objects.filter(commune=commune, is_published=True, pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def clean(self):
        data = super().clean()
        procedure = data.get("procedure")
        checked = list(data.get("checked_documents") or [])
        if procedure is not None and any(d.procedure_id != procedure.pk for d in checked):
            raise forms.ValidationError("Giấy tờ đã đánh dấu không thuộc thủ tục đã chọn: chọn lại giấy tờ.")
        lines = [d.receipt_line for d in sorted(checked, key=lambda d: d.seq) if d.is_document]
        lines += [line for line in (data.get("documents") or "").splitlines() if line.strip()]
        data["documents_text"] = "\n".join(lines)
        data["result_delivery"] = data.get("result_delivery") or ResultDelivery.COUNTER
        return data


class ActionForm(forms.Form):
    note = forms.CharField(label="Ghi chú / lý do", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(
        label="Chuyển đến bộ phận", queryset=Department.objects.none(), required=False
    )
    new_date = DayField(label="Ngày hẹn mới", required=False, widget=DATE_WIDGET)
    items = forms.CharField(
        label="Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fee_due = forms.DecimalField(
        label="Phí, lệ phí phải nộp (đồng)",
        required=False,
        min_value=1,
        max_digits=12,
        decimal_places=0,
        help_text="Để trống: theo danh mục thủ tục.",
        error_messages={
            "invalid": "Số tiền phải là số nguyên (đồng).",
            "min_value": "Số tiền phải lớn hơn 0.",
        },
    )
    fee_method = forms.ChoiceField(
        label="Hình thức nộp phí", required=False, choices=[("", "—"), *PaymentMethod.choices]
    )
    fee_receipt = forms.CharField(label="Số biên lai / mã giao dịch", required=False, max_length=60)
    return_mode = forms.ChoiceField(
        label="Hình thức trả kết quả", required=False, choices=[("", "—"), *ReturnMode.choices]
    )

    def payment(self) -> Payment:
        data = self.cleaned_data
        return Payment(
            amount=data.get("fee_due"), method=data.get("fee_method", ""), receipt=data.get("fee_receipt", "")
        )

    def __init__(self, *args, commune_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(commune_id=commune_id)
        _bootstrap(self)

    def item_list(self) -> list[str]:
        return [
            line.strip(" -•\t")
            for line in self.cleaned_data.get("items", "").splitlines()
            if line.strip(" -•\t")
        ]


class WindowForm(forms.Form):
    """A date window, defaulting to the current year up to today."""

    date_from = DayField(label="Từ ngày", required=False, widget=DATE_WIDGET)
    date_to = DayField(label="Đến ngày", required=False, widget=DATE_WIDGET)

    def clean_for_default(self) -> dict:
        """The default window (this year up to today) when the filter is invalid."""
        today = timezone.localdate()
        return {"date_from": date(today.year, 1, 1), "date_to": today}

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["date_from"] = data.get("date_from") or date(today.year, 1, 1)
        data["date_to"] = data.get("date_to") or today
        if data["date_to"] < data["date_from"]:
            raise forms.ValidationError("“Đến ngày” phải sau “Từ ngày”.")
        if (data["date_to"] - data["date_from"]).days > 3660:
            raise forms.ValidationError("Khoảng thời gian tối đa 10 năm.")
        return data


class RegisterFilterForm(WindowForm):
    status = forms.ChoiceField(label="Trạng thái", required=False, choices=[("", "Tất cả")] + Status.choices)
    q = forms.CharField(label="Tìm mã hồ sơ, tên người nộp", required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class StatsFilterForm(PeriodFilterMixin):
    """The statistics page's filter: a reporting period (or a range of days), and
    optionally a commune (province users), department, field or procedure."""

    commune = forms.ModelChoiceField(
        label="Xã", queryset=Unit.objects.none(), required=False, empty_label="Tất cả các xã"
    )
    department = forms.ModelChoiceField(
        label="Bộ phận", queryset=Department.objects.none(), required=False, empty_label="Tất cả"
    )
    field = forms.ChoiceField(label="Lĩnh vực", required=False)
    procedure = forms.CharField(label="Mã thủ tục", required=False)

    def __init__(self, *args, user, today: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setup_period(today=today or timezone.localdate())
        communes = user.visible_communes()
        self.fields["commune"].queryset = communes
        if user.home_commune is not None:
            del self.fields["commune"]
        ids = user.commune_ids()
        self.fields["department"].queryset = Department.objects.filter(commune_id__in=ids).select_related(
            "commune"
        )
        if len(ids) > 1:
            self.fields["department"].label_from_instance = lambda d: f"{d.name} ({d.commune})"
        fields = (
            Procedure.objects.filter(commune_id__in=ids)
            .exclude(field="")
            .values_list("field", flat=True)
            .distinct()
        )
        self.fields["field"].choices = [("", "Tất cả")] + [(f, f) for f in sorted(set(fields))]
        _bootstrap(self)


class RecomputeForm(forms.Form):
    """Which open dossiers to recompute after a calendar change."""

    commune = forms.ModelChoiceField(
        label="Xã", queryset=Unit.objects.none(), required=False, empty_label="Tất cả các xã được quản lý"
    )
    since = DayField(
        label="Từ ngày thay đổi",
        required=False,
        widget=DATE_WIDGET,
        help_text="Ngày sớm nhất được thêm/bỏ trong lịch; để trống: xét mọi hồ sơ đang giải quyết.",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ids = [c for c in user.commune_ids() if user.can_write_commune(c)]
        self.fields["commune"].queryset = Unit.objects.filter(pk__in=ids).order_by("name")
        if len(ids) <= 1:
            del self.fields["commune"]
        _bootstrap(self)

    def query(self) -> dict[str, str]:
        """The filter as GET parameters (to show the result after applying it)."""
        out = {}
        if self.cleaned_data.get("commune"):
            out["commune"] = str(self.cleaned_data["commune"].pk)
        if self.cleaned_data.get("since"):
            out["since"] = f"{self.cleaned_data['since']:%d/%m/%Y}"
        return out


class DocumentUploadForm(forms.Form):
    """The counter scans a document handed in (against a checklist line or by name)."""

    line = forms.ModelChoiceField(
        label="Giấy tờ trong danh mục",
        queryset=RequiredDocument.objects.none(),
        required=False,
        empty_label="— Giấy tờ khác —",
    )
    label = forms.CharField(label="Tên giấy tờ (nếu không có trong danh mục)", required=False, max_length=300)
    file = forms.FileField(
        label="Tệp quét (PDF, JPG, PNG)", error_messages={"required": "Chọn tệp bản quét để tải lên."}
    )

    def __init__(self, *args, procedure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = RequiredDocument.objects.filter(procedure=procedure).exclude(
            requirement="note"
        )
        self.fields["line"].label_from_instance = lambda r: r.label[:120]
        self.fields["line"].error_messages["invalid_choice"] = "Giấy tờ không thuộc danh mục của thủ tục này."
        _bootstrap(self)


class ResultUploadForm(forms.Form):
    label = forms.CharField(label="Tên kết quả", required=False, max_length=300)
    file = forms.FileField(label="Tệp kết quả (PDF)", error_messages={"required": "Chọn tệp kết quả (PDF)."})

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
