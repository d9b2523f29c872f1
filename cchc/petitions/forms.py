from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc.core.forms import MomentField, PeriodFilterMixin
from cchc.org.models import Department
from cchc.procedures.models import Procedure

from .models import Channel, Status
from .services import ATTACHMENT_UPLOADS, normalize_phone


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ATTACHMENT_UPLOADS.accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PetitionForm(forms.Form):
    """The public form (and, with `channel`/`received_at`, the staff intake form)."""

    name = forms.CharField(
        label="Họ và tên", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    address = forms.CharField(
        label="Địa chỉ", max_length=300, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        help_text="Dùng 4 số cuối để theo dõi phản ánh.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    email = forms.EmailField(
        label="Thư điện tử (nếu có)",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
    )
    subject = forms.CharField(label="Tiêu đề", max_length=200)
    content = forms.CharField(
        label="Nội dung phản ánh, kiến nghị",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Nêu rõ quy định hành chính, thủ tục hoặc việc làm được phản ánh và kiến nghị của bạn.",
    )
    procedure = forms.ModelChoiceField(
        label="Thủ tục hành chính liên quan (nếu có)",
        queryset=Procedure.objects.none(),
        required=False,
        empty_label="— Không chọn —",
    )
    attachments = MultipleFileField(
        label="Tệp đính kèm (nếu có)",
        required=False,
        help_text="",
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled by spam robots.
    website = forms.CharField(label="Để trống ô này", required=False)

    def __init__(self, *args, commune, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune = commune
        self.fields["procedure"].queryset = Procedure.objects.filter(commune=commune, is_published=True)
        self.fields["procedure"].label_from_instance = lambda p: p.name[:150]
        self.fields["attachments"].help_text = ATTACHMENT_UPLOADS.help_text()
        for field in self.fields.values():
            if field.required:
                field.error_messages["required"] = f"Vui lòng nhập {field.label.lower()}."
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if staff:
            self.fields["channel"] = forms.ChoiceField(
                label="Kênh tiếp nhận",
                choices=[(Channel.LETTER, Channel.LETTER.label), (Channel.PHONE, Channel.PHONE.label)],
            )
            self.fields["received_at"] = MomentField(
                label="Thời điểm nhận",
                error_messages={"required": "Nhập thời điểm nhận thư / cuộc gọi."},
            )
            del self.fields["website"]

    def submission(self) -> dict:
        """The cleaned values as `services.petition_submit` keywords (with the
        channel and time of receipt on the staff form)."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("name", "address", "phone", "email", "subject", "content", "procedure")
        }
        fields["files"] = data["attachments"]
        if "channel" in self.fields:
            fields.update(channel=data["channel"], at=data["received_at"])
        return fields

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(
                "Không gửi được: biểu mẫu bị điền tự động. Nếu bạn là người dùng, hãy tải lại trang và gửi lại."
            )
        return ""

    def clean_attachments(self) -> list:
        files = self.cleaned_data.get("attachments") or []
        ATTACHMENT_UPLOADS.check(files)
        return files


class FollowUpForm(forms.Form):
    code = forms.CharField(
        label="Mã phản ánh",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "PA-261127-ABC234"}),
        error_messages={"required": "Vui lòng nhập mã phản ánh."},
    )
    factor = forms.CharField(
        label="4 số cuối điện thoại",
        max_length=4,
        min_length=4,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "pattern": "[0-9]{4}",
            }
        ),
        error_messages={
            "required": "Vui lòng nhập 4 số cuối của số điện thoại.",
            "min_length": "Nhập đúng 4 chữ số.",
            "max_length": "Nhập đúng 4 chữ số.",
        },
    )

    def clean_factor(self) -> str:
        value = self.cleaned_data["factor"].strip()
        if not value.isdigit():
            raise ValidationError("Nhập đúng 4 chữ số.")
        return value


class RatingForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label="Bạn có hài lòng với việc xử lý phản ánh, kiến nghị?",
        choices=[("1", "Hài lòng"), ("0", "Không hài lòng")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "Chọn Hài lòng hoặc Không hài lòng."},
    )
    comment = forms.CharField(
        label="Ý kiến thêm (nếu có)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PublicSearchForm(forms.Form):
    q = forms.CharField(
        label="Tìm trong các trả lời đã công khai",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )


class StaffFilterForm(forms.Form):
    q = forms.CharField(
        label="Mã, tiêu đề, người gửi",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )
    status = forms.ChoiceField(
        label="Trạng thái",
        required=False,
        choices=[("", "Tất cả"), ("open", "Đang xử lý (mọi bước)"), *Status.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    due = forms.ChoiceField(
        label="Thời hạn",
        required=False,
        choices=[("", "Tất cả"), ("soon", "Sắp đến hạn"), ("overdue", "Quá hạn")],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    department = forms.ModelChoiceField(
        label="Bộ phận xử lý",
        required=False,
        queryset=Department.objects.none(),
        empty_label="Tất cả",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            commune_id__in=user.commune_ids()
        ).select_related("commune")
        if len(user.commune_ids()) > 1:
            self.fields["department"].label_from_instance = lambda d: f"{d.name} ({d.commune})"


class StatsForm(PeriodFilterMixin):
    """The window of the petition figures (by the day petitions were received): a
    reporting period or a range of days."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_period(today=timezone.localdate())
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css
            field.error_messages["invalid"] = "Ngày không hợp lệ (dd/mm/yyyy)."


class ActionForm(forms.Form):
    """One form for every move; which fields apply depends on the action."""

    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(required=False, queryset=Department.objects.none())
    answer = forms.CharField(required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    public_title = forms.CharField(required=False, max_length=200)
    public_summary = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    public_answer = forms.CharField(
        required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(commune_id=petition.commune_id)
