from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from cchc.core.forms import PeriodFilterMixin
from cchc.org.models import Department, Unit, User
from cchc.procedures.models import Procedure

from .models import FACTOR_QUESTIONS, FACTORS, SCORE_LABELS
from .services import COMMENT_MAX

SCORE_CHOICES = [(str(k), f"{k} – {v}") for k, v in SCORE_LABELS.items()]
HONEYPOT = "website"


class RatingForm(forms.Form):
    """The SIPAS questionnaire. `website` is a honeypot: hidden from people (and
    from screen readers), filled in only by robots."""

    satisfied = forms.ChoiceField(
        label="Nhìn chung, quý khách có hài lòng với việc giải quyết hồ sơ không?",
        choices=[("yes", "Hài lòng"), ("no", "Không hài lòng")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "Chọn “Hài lòng” hoặc “Không hài lòng”."},
    )
    comment = forms.CharField(
        label="Góp ý của quý khách (không bắt buộc)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Góp ý tối đa {COMMENT_MAX} ký tự."},
        help_text="Xin đừng ghi số điện thoại, số định danh hay địa chỉ vào góp ý.",
    )
    website = forms.CharField(
        label="Để trống ô này",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        factor_fields = {
            f"score_{key}": forms.ChoiceField(
                label=FACTOR_QUESTIONS[key],
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={
                    "required": f"Chọn mức đánh giá từ 1 đến 5 cho “{FACTORS[key]}”.",
                    "invalid_choice": f"Chọn mức đánh giá từ 1 đến 5 cho “{FACTORS[key]}”.",
                },
            )
            for key in FACTORS
        }
        self.fields = {**factor_fields, **self.fields}

    def clean(self):
        data = super().clean()
        if data.get(HONEYPOT):
            raise forms.ValidationError("Phiếu đánh giá không hợp lệ. Vui lòng tải lại trang và thử lại.")
        return data

    @property
    def factor_fields(self):
        return [self[f"score_{key}"] for key in FACTORS]

    def scores(self) -> dict[str, int]:
        return {key: int(self.cleaned_data[f"score_{key}"]) for key in FACTORS}

    def is_satisfied(self) -> bool:
        return self.cleaned_data["satisfied"] == "yes"


class KioskOpenForm(forms.Form):
    ma = forms.CharField(label="Mã hồ sơ", max_length=60, error_messages={"required": "Nhập mã hồ sơ."})


class FollowUpCloseForm(forms.Form):
    resolution = forms.CharField(
        label="Kết quả xử lý",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Đã liên hệ người dân, đã khắc phục, đã nhắc nhở công chức…",
        error_messages={"required": "Cần ghi kết quả xử lý."},
    )


class StatsFilterForm(PeriodFilterMixin):
    """Window (a reporting period or a range of days) and filters of the statistics
    pages. Choices are limited to the communes the user may see."""

    commune = forms.ModelChoiceField(
        label="Xã", queryset=Unit.objects.none(), required=False, empty_label="Tất cả"
    )
    department = forms.ModelChoiceField(
        label="Bộ phận", queryset=Department.objects.none(), required=False, empty_label="Tất cả"
    )
    procedure = forms.ModelChoiceField(
        label="Thủ tục", queryset=Procedure.objects.none(), required=False, empty_label="Tất cả"
    )
    officer = forms.ModelChoiceField(
        label="Công chức", queryset=User.objects.none(), required=False, empty_label="Tất cả"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.setup_period(today=timezone.localdate())
        communes = user.visible_communes()
        self.fields["commune"].queryset = communes
        self.show_commune = len(user.commune_ids()) > 1
        ids = self.scope_ids_from_data()
        self.fields["department"].queryset = Department.objects.filter(commune_id__in=ids).select_related(
            "commune"
        )
        self.fields["procedure"].queryset = Procedure.objects.filter(commune_id__in=ids).order_by("name")
        self.fields["officer"].queryset = User.objects.filter(unit_id__in=ids, is_active=True).order_by(
            "full_name", "username"
        )
        self.fields["procedure"].label_from_instance = lambda p: f"{p.code} – {p.name[:80]}"
        self.fields["officer"].label_from_instance = lambda u: u.full_name or u.username
        for name in ("commune", "department", "procedure", "officer"):
            self.fields[name].error_messages["invalid_choice"] = (
                f"{self.fields[name].label}: lựa chọn không hợp lệ hoặc ngoài phạm vi bạn được xem."
            )
        if self.show_commune:
            self.fields["department"].label_from_instance = lambda d: f"{d.name} ({d.commune})"

    def scope_ids_from_data(self) -> list[int]:
        visible = self.user.commune_ids()
        raw = self.data.get("commune") if self.is_bound else None
        try:
            chosen = int(raw) if raw else None
        except ValueError:
            chosen = None
        return [chosen] if chosen in visible else visible

    def window(self) -> tuple[date, date]:
        period = self.chosen_period()
        return period.date_from, period.date_to

    def filters(self) -> dict:
        """Keyword arguments for the statistics services."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        date_from, date_to = self.window()
        commune = data.get("commune")
        return {
            "commune_ids": [commune.pk] if commune else self.user.commune_ids(),
            "date_from": date_from,
            "date_to": date_to,
            "department": data.get("department"),
            "procedure": data.get("procedure"),
            "officer": data.get("officer"),
        }
