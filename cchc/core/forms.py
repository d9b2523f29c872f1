from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError

from . import periods
from .models import AuditLog, CalendarOverride
from .periods import Period
from .workcal import TimeUnit
from .workflow import Conflict

# --- days and moments: typed dd/mm/yyyy everywhere -------------------------------
# Never the browser's date picker (an input of type date): it shows the day in the browser's
# language (mm/dd/yyyy on an English browser), while every date the product prints
# is dd/mm/yyyy (NĐ 30/2020). Every form and filter of every app uses these two
# fields (a test walks all forms), and a hand-written input uses `{% day_input %}`.
DAY_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]  # ISO: links and scripts
MOMENT_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DAY_INVALID = "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy (ví dụ 05/04/2025)."
MOMENT_INVALID = "Thời điểm không hợp lệ: nhập theo dạng dd/mm/yyyy hh:mm (ví dụ 05/04/2025 14:30)."
# strptime reads "05/04/25" as the year 25: a two-digit year is refused, not guessed.
YEARS = range(1900, 2201)


class DayInput(forms.DateInput):
    """A plain text input showing and taking a day as dd/mm/yyyy."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off", "size": "10"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class MomentInput(forms.DateTimeInput):
    """A plain text input showing and taking a moment as dd/mm/yyyy hh:mm."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None):
        base = {"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off", "size": "16"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y %H:%M")


class DayField(forms.DateField):
    """A day typed dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy, and ISO yyyy-mm-dd for
    links); a bad day is refused with a Vietnamese message that shows the format."""

    widget = DayInput
    input_formats = DAY_INPUT_FORMATS
    default_error_messages = {"invalid": DAY_INVALID}

    def __init__(self, **kwargs):
        kwargs.pop("input_formats", None)  # one set of formats for the whole product
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and day.year not in YEARS:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class MomentField(forms.DateTimeField):
    """A moment typed dd/mm/yyyy hh:mm (a day alone means its first minute)."""

    widget = MomentInput
    input_formats = MOMENT_INPUT_FORMATS
    default_error_messages = {"invalid": MOMENT_INVALID}

    def __init__(self, **kwargs):
        kwargs.pop("input_formats", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and moment.year not in YEARS:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return moment


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"

    def clean(self):
        """A locked account or address gets its own message (the password was not
        even checked: `core.auth.ThrottledModelBackend`)."""
        from .auth import lock_message, login_lock

        try:
            return super().clean()
        except ValidationError:
            lock = login_lock(self.request, self.cleaned_data.get("username"))
            if lock is not None:
                raise ValidationError(lock_message(lock), code="locked") from None
            raise


class OwnPasswordForm(PasswordChangeForm):
    """A staff member changes their own password: the old one, the new one twice,
    checked by the rules of `core/passwords.py` (Vietnamese messages)."""

    error_messages = {
        "password_mismatch": "Hai lần nhập mật khẩu mới không giống nhau.",
        "password_incorrect": "Mật khẩu hiện tại không đúng.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mật khẩu hiện tại"
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.fields["new_password2"].help_text = ""


class DueDateForm(forms.Form):
    start = MomentField(label="Thời điểm tiếp nhận")
    amount = forms.IntegerField(label="Thời hạn", min_value=0, max_value=365)
    unit = forms.ChoiceField(label="Đơn vị", choices=[(u.value, u.label) for u in TimeUnit])


class OverrideForm(forms.Form):
    date = DayField(label="Ngày")
    kind = forms.ChoiceField(label="Loại", choices=CalendarOverride.Kind.choices)
    reason = forms.CharField(label="Lý do", max_length=300)
    reference = forms.CharField(label="Căn cứ (văn bản)", max_length=300, required=False)


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="Bản ghi hoặc người thực hiện", required=False)
    action = forms.ChoiceField(
        label="Hành động", choices=[("", "Tất cả"), *AuditLog.Action.choices], required=False
    )
    since = DayField(label="Từ ngày", required=False)
    until = DayField(label="Đến ngày", required=False)

    def apply(self, qs):
        d = self.cleaned_data
        if d.get("q"):
            from django.db.models import Q

            qs = qs.filter(Q(object_repr__icontains=d["q"]) | Q(actor_label__icontains=d["q"]))
        if d.get("action"):
            qs = qs.filter(action=d["action"])
        if d.get("since"):
            qs = qs.filter(at__date__gte=d["since"])
        if d.get("until"):
            qs = qs.filter(at__date__lte=d["until"])
        return qs


class PeriodFilterMixin(forms.Form):
    """The window of a figures page (docs/figures.md): a reporting period of
    NĐ 09/2019 picked from a list (`period=2024-Q1`, …) or a free range of days
    (`date_from`/`date_to`, dd/mm/yyyy). The period wins when both are given; nothing
    given: the form's `default_period` (the current reporting year)."""

    period = forms.CharField(label="Kỳ số liệu", required=False, widget=forms.Select())
    date_from = DayField(label="Từ ngày", required=False)
    date_to = DayField(label="Đến ngày", required=False)

    def setup_period(self, *, today, default: Period | None = None) -> None:
        self.default_period = default or periods.current(today)
        choices = [("", "— Khoảng ngày tự chọn —"), *periods.recent_choices(today)]
        code = (self.data.get("period") or "").strip() if self.is_bound else ""
        known = {c for _, group in choices[1:] for c, _ in group}
        if code and code not in known:
            try:
                choices.insert(1, (code, periods.parse(code).label))
            except ValueError:
                pass
        self.fields["period"].widget.choices = choices
        if not self.is_bound:
            self.initial.setdefault("period", self.default_period.code)

    def clean(self):
        data = super().clean()
        code = (data.get("period") or "").strip()
        try:
            self.period = periods.resolve(
                period=code or None,
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                default=self.default_period,
            )
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if self.period.days() > 3660:
            raise forms.ValidationError("Khoảng thời gian tối đa 10 năm.")
        return data

    def chosen_period(self) -> Period:
        """The window asked for, or the default when the form is invalid or empty."""
        if self.is_bound and self.is_valid():
            return self.period
        return self.default_period

    def period_query(self) -> dict[str, str]:
        """The window as GET parameters (links to other figures pages and exports)."""
        p = self.chosen_period()
        if not p.is_range:
            return {"period": p.code}
        return {"date_from": f"{p.date_from:%d/%m/%Y}", "date_to": f"{p.date_to:%d/%m/%Y}"}


# --- a service's refusal, shown on a form or as messages --------------------------------
def add_service_errors(
    form: forms.Form,
    exc: ValidationError | Conflict,
    *,
    field_for: Callable[[str], str] | None = None,
    conflict_field: str | None = None,
) -> None:
    """Show a service's refusal on `form`, the one way every page does it.

    A `ValidationError`'s messages go on the form's field of the same name (the
    service's field name passed through `field_for` when the form names it
    differently) or, for fields the form does not have and plain messages, above
    the form. A `Conflict` goes on `conflict_field` (default: above the form)."""
    if isinstance(exc, Conflict):
        form.add_error(conflict_field if conflict_field in form.fields else None, exc.message)
        return
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        name = field_for(name) if field_for else name
        form.add_error(name if name in form.fields else None, errors)


def service_error_messages(exc: ValidationError | Conflict) -> list[str]:
    """Every message of a service's refusal, for pages that show it as a flash message."""
    if isinstance(exc, Conflict):
        return [exc.message]
    if hasattr(exc, "error_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)
