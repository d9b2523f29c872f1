from __future__ import annotations

from django import forms


class LookupForm(forms.Form):
    ma = forms.CharField(
        label="Mã hồ sơ",
        max_length=60,
        help_text="In trên phiếu tiếp nhận và hẹn trả kết quả, ví dụ 000.21.31.H26-250701-0001.",
        error_messages={"required": "Nhập mã hồ sơ.", "max_length": "Mã hồ sơ quá dài."},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    phone_last4 = forms.RegexField(
        label="4 số cuối điện thoại",
        regex=r"^\s*\d{4}\s*$",
        help_text="4 chữ số cuối của số điện thoại quý khách đã khai khi nộp hồ sơ.",
        error_messages={
            "required": "Nhập 4 số cuối của số điện thoại đã khai khi nộp hồ sơ.",
            "invalid": "Nhập đúng 4 chữ số (0–9).",
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4", "pattern": "[0-9]{4}"}
        ),
    )


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label="Tìm thủ tục", required=False, max_length=200)
    field = forms.ChoiceField(label="Lĩnh vực", required=False)

    def __init__(self, *args, fields: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "Tất cả lĩnh vực"), *[(f, f) for f in fields]]
        self.fields["field"].error_messages["invalid_choice"] = "Lĩnh vực không có trong danh mục."


class OnlineSubmitForm(forms.Form):
    """The citizen's online submission: the applicant, one file per line of the
    procedure's checklist (`cchc.dossiers.online.checklist`), where to receive the
    result, and a declaration. Files are checked by the service (type, content,
    size) so that every problem is reported at once."""

    applicant_name = forms.CharField(label="Họ và tên người nộp", max_length=200)
    applicant_id_number = forms.CharField(
        label="Số định danh cá nhân (CCCD)",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        help_text="Dùng để tra cứu, theo dõi hồ sơ (4 số cuối) và nhận tin nhắn.",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    applicant_address = forms.CharField(label="Địa chỉ", max_length=300)
    applicant_email = forms.EmailField(
        label="Thư điện tử (nếu có)",
        required=False,
        help_text="Nhận thông báo tiếp nhận, bổ sung, kết quả qua thư.",
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
    )
    request = forms.CharField(
        label="Nội dung yêu cầu (nếu cần ghi thêm)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    result_delivery = forms.ChoiceField(label="Nhận kết quả", widget=forms.RadioSelect)
    confirm = forms.BooleanField(
        label="Tôi cam đoan thông tin khai và giấy tờ tải lên là đúng sự thật.",
        error_messages={"required": "Cần xác nhận cam đoan trước khi nộp hồ sơ."},
    )
    # Honeypot: hidden from people, filled by spam robots.
    website = forms.CharField(label="Để trống ô này", required=False)

    DELIVERY_LABELS = {
        "online": "Trực tuyến: tải kết quả điện tử qua đường dẫn theo dõi hồ sơ",
        "counter": "Tại Bộ phận Một cửa",
        "post": "Qua dịch vụ bưu chính công ích (gửi về địa chỉ đã khai)",
    }

    def __init__(self, *args, checklist, full_online: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        choices = ["online", "counter", "post"] if full_online else ["counter", "post"]
        self.fields["result_delivery"].choices = [(c, self.DELIVERY_LABELS[c]) for c in choices]
        self.fields["result_delivery"].initial = choices[0]
        for line in checklist.lines:
            required = checklist.is_required(line)
            self.fields[f"doc_{line.pk}"] = forms.FileField(
                label=line.label,
                required=False,  # the service reports every missing required line at once
                help_text=(line.copies_display + "; " if line.copies_display else "")
                + ("bắt buộc" if required else "nếu có"),
                widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
            )
            self.fields[f"doc_{line.pk}"].is_required_line = required
        for field in self.fields.values():
            if field.required and "required" not in getattr(field, "error_messages", {}):
                continue
            if field.required and field.error_messages.get("required") == "This field is required.":
                field.error_messages["required"] = f"Vui lòng nhập {field.label.lower()}."
        for name in ("applicant_name", "applicant_id_number", "applicant_phone", "applicant_address"):
            self.fields[name].error_messages["required"] = f"Vui lòng nhập {self.fields[name].label.lower()}."
        self.fields["result_delivery"].error_messages["required"] = "Chọn nơi nhận kết quả."
        self.fields["result_delivery"].error_messages["invalid_choice"] = (
            "Chọn nơi nhận kết quả trong danh sách."
        )
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("Biểu mẫu không hợp lệ.")
        return ""

    def document_fields(self):
        return [self[f"doc_{line.pk}"] for line in self.checklist.lines]

    def files_by_line(self) -> dict[int, object]:
        return {line.pk: f for line in self.checklist.lines if (f := self.files.get(f"doc_{line.pk}"))}


class SupplementUploadForm(forms.Form):
    files = forms.FileField(
        label="Giấy tờ bổ sung",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text="PDF, JPG hoặc PNG; có thể chọn nhiều tệp (tối đa 10).",
    )
    note = forms.CharField(label="Ghi chú (nếu có)", required=False, max_length=500)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Lý do rút hồ sơ",
        max_length=500,
        error_messages={"required": "Cần ghi lý do rút hồ sơ."},
    )
