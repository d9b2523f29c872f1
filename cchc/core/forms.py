from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import AuditLog, CalendarOverride
from .workcal import TimeUnit

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"


class DueDateForm(forms.Form):
    start = forms.DateTimeField(
        label="Thời điểm tiếp nhận",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d"],
    )
    amount = forms.IntegerField(label="Thời hạn", min_value=0, max_value=365)
    unit = forms.ChoiceField(label="Đơn vị", choices=[(u.value, u.label) for u in TimeUnit])


class OverrideForm(forms.Form):
    date = forms.DateField(label="Ngày", widget=DATE_WIDGET)
    kind = forms.ChoiceField(label="Loại", choices=CalendarOverride.Kind.choices)
    reason = forms.CharField(label="Lý do", max_length=300)
    reference = forms.CharField(label="Căn cứ (văn bản)", max_length=300, required=False)


class AuditFilterForm(forms.Form):
    q = forms.CharField(label="Bản ghi hoặc người thực hiện", required=False)
    action = forms.ChoiceField(
        label="Hành động", choices=[("", "Tất cả"), *AuditLog.Action.choices], required=False
    )
    since = forms.DateField(label="Từ ngày", required=False, widget=DATE_WIDGET)
    until = forms.DateField(label="Đến ngày", required=False, widget=DATE_WIDGET)

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
