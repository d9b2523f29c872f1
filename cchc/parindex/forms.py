from __future__ import annotations

from django import forms

from cchc.core.concurrency import VersionField
from cchc.core.forms import DayField
from cchc.core.uploads import human_size
from cchc.org.models import Unit

from .models import Level
from .rules import RuleKind, WhenNone

# A criteria set file: a table of a few hundred rows at most.
MAX_SET_FILE = 5 * 1024 * 1024


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _date(label: str, required: bool = False, **kwargs) -> DayField:
    return DayField(label=label, required=required, **kwargs)


class DecimalText(forms.CharField):
    """A number typed the Vietnamese way ("2,5") or not ("2.5"); checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp bộ tiêu chí (.xlsx hoặc .json)",
        help_text="Bảng phụ lục có các cột STT, Tiêu chí, Điểm tối đa, Hướng dẫn chấm, Tài liệu kiểm chứng; "
        f"hoặc tệp JSON xuất từ phần mềm. Tối đa {human_size(MAX_SET_FILE)}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"}),
    )
    owner = forms.ModelChoiceField(label="Đơn vị ban hành", queryset=Unit.objects.none(), empty_label=None)
    year = forms.IntegerField(label="Năm đánh giá", min_value=2000, max_value=2100)
    level = forms.ChoiceField(label="Cấp áp dụng", choices=Level.choices, initial=Level.COMMUNE)
    title = forms.CharField(
        label="Tên bộ tiêu chí", max_length=300, required=False, help_text="Để trống: theo tệp."
    )

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners if owners is not None else Unit.objects.none()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SET_FILE:
            raise forms.ValidationError(
                f"Tệp quá lớn ({human_size(upload.size)}), tối đa {human_size(MAX_SET_FILE)}."
            )
        return upload


class ReplaceForm(forms.Form):
    file = forms.FileField(
        label="Tệp bộ tiêu chí (.xlsx hoặc .json)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SET_FILE:
            raise forms.ValidationError(
                f"Tệp quá lớn ({human_size(upload.size)}), tối đa {human_size(MAX_SET_FILE)}."
            )
        return upload


class SetSettingsForm(forms.Form):
    title = forms.CharField(label="Tên bộ tiêu chí", max_length=300, required=False)
    decision = forms.CharField(label="Căn cứ (quyết định ban hành)", max_length=300, required=False)
    bands = forms.CharField(
        label="Xếp nhóm kết quả",
        required=False,
        widget=_textarea(3),
        help_text="Mỗi nhóm một dòng: tên nhóm: cận dưới (% điểm tối đa áp dụng), ví dụ “Nhóm A: 90”.",
    )
    window_from = _date("Số liệu từ ngày", help_text="Để trống: 15/12 năm trước.")
    window_to = _date("Số liệu đến ngày", help_text="Để trống: 14/12 năm đánh giá.")
    submit_due = _date("Hạn xã gửi kết quả tự đánh giá")
    appraisal_due = _date("Hạn hoàn thành thẩm định")
    publish_due = _date("Hạn công bố")
    explanation_days = forms.IntegerField(label="Số ngày làm việc để giải trình", min_value=1, max_value=60)

    def clean_bands(self):
        out = []
        for i, line in enumerate(t for t in self.cleaned_data["bands"].splitlines() if t.strip()):
            label, sep, bound = line.rpartition(":")
            if not sep or not label.strip():
                raise forms.ValidationError(f"Dòng {i + 1}: cần dạng “Tên nhóm: cận dưới”.")
            out.append({"label": label.strip(), "from": bound.strip().rstrip("%").replace(",", ".")})
        return out


class CriterionForm(forms.Form):
    title = forms.CharField(label="Tiêu chí", max_length=600, widget=_textarea(2))
    max_points = DecimalText(label="Điểm tối đa", required=True)
    guidance = forms.CharField(label="Hướng dẫn chấm", required=False, widget=_textarea(3))
    evidence_required = forms.CharField(label="Tài liệu kiểm chứng", required=False, widget=_textarea(2))
    notes = forms.CharField(label="Ghi chú", required=False, widget=_textarea(2))
    rule_kind = forms.ChoiceField(label="Cách chấm", choices=RuleKind.choices, required=False)
    step = DecimalText(label="Bước điểm (chấm tay)")
    threshold = DecimalText(label="Ngưỡng đạt tối đa (%)")
    bands = forms.CharField(
        label="Các mức", required=False, help_text="Ví dụ: 100:2; 95:1; 0:0 (cận dưới %: điểm)."
    )
    per_occurrence = DecimalText(label="Điểm trừ mỗi lần")
    floor = DecimalText(label="Điểm sàn")
    when_none = forms.ChoiceField(label="Khi không có gì để tính", choices=WhenNone.choices, required=False)
    figure = forms.ChoiceField(label="Số liệu (tỷ lệ, hoặc số lần vi phạm)", required=False)
    numerator_figure = forms.ChoiceField(label="hoặc: số liệu tử số", required=False)
    denominator_figure = forms.ChoiceField(label="số liệu mẫu số", required=False)
    na_allowed = forms.BooleanField(label="Được xác định không áp dụng", required=False)

    def __init__(self, *args, rate_choices=(), count_choices=(), all_choices=(), is_leaf=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = [("", "— Không gắn —"), *all_choices]
        self.fields["numerator_figure"].choices = [("", "—"), *count_choices]
        self.fields["denominator_figure"].choices = [("", "—"), *count_choices]
        if not is_leaf:
            for name in (
                "rule_kind",
                "step",
                "threshold",
                "bands",
                "per_occurrence",
                "floor",
                "when_none",
                "figure",
                "numerator_figure",
                "denominator_figure",
                "na_allowed",
            ):
                del self.fields[name]


class SelfScoreForm(forms.Form):
    accept = forms.BooleanField(required=False, widget=forms.HiddenInput)
    version = VersionField()  # of the score, when the page was opened (core/concurrency.py)
    points = DecimalText(label="Điểm tự chấm")
    numerator = DecimalText(label="Tử số")
    denominator = DecimalText(label="Mẫu số")
    not_applicable = forms.BooleanField(label="Tiêu chí không áp dụng đối với xã", required=False)
    reason = forms.CharField(label="Lý do", required=False, widget=_textarea(2), max_length=2000)
    note = forms.CharField(
        label="Thuyết minh (bắt buộc khi không có minh chứng)",
        required=False,
        widget=_textarea(3),
        max_length=5000,
    )


class NoteForm(forms.Form):
    note = forms.CharField(label="Thuyết minh", required=False, widget=_textarea(3), max_length=5000)


class AppraiseForm(forms.Form):
    agree = forms.BooleanField(required=False, widget=forms.HiddenInput)
    version = VersionField()
    points = DecimalText(label="Điểm thẩm định")
    numerator = DecimalText(label="Tử số")
    denominator = DecimalText(label="Mẫu số")
    not_applicable = forms.BooleanField(label="Không áp dụng", required=False)
    comment = forms.CharField(label="Nhận xét", required=False, widget=_textarea(3), max_length=5000)


class EvidenceUploadForm(forms.Form):
    # The files themselves are read from request.FILES.getlist("files") and checked
    # by the service (the shared upload rules); the form carries the location.
    location = forms.CharField(label="Trang, mục dẫn chứng", max_length=200, required=False)


class EvidenceLinkForm(forms.Form):
    link = forms.ChoiceField(label="Dữ liệu có sẵn trong phần mềm")
    location = forms.CharField(label="Trang, mục dẫn chứng", max_length=200, required=False)

    def __init__(self, *args, links=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for link in links:
            groups.setdefault(link.group, []).append((link.key, link.label))
        self.fields["link"].choices = [("", "— Chọn —"), *groups.items()]


class ExplanationRequestForm(forms.Form):
    request = forms.CharField(label="Yêu cầu giải trình", widget=_textarea(2), max_length=5000)


class ExplanationAnswerForm(forms.Form):
    response = forms.CharField(label="Nội dung giải trình", widget=_textarea(3), max_length=10000)


class MoveForm(forms.Form):
    action = forms.CharField(max_length=30)
    note = forms.CharField(required=False, max_length=5000)
    due_date = _date("Hạn giải trình")


class LetterForm(forms.Form):
    letter_number = forms.CharField(
        label="Số công văn", max_length=20, required=False, help_text="Để trống: điền tay khi vào sổ."
    )
    letter_symbol = forms.CharField(label="Ký hiệu", max_length=40)
    letter_date = _date("Ngày công văn", help_text="Để trống: ngày gửi.")
    recipients = forms.CharField(label="Nơi nhận (mỗi nơi một dòng)", required=False, widget=_textarea(4))
