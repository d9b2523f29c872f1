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
