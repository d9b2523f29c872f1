"""The service index pages' filter: a reporting period (default: this month — the
index is scored monthly) and, for province users, a commune."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from cchc.core.forms import PeriodFilterMixin
from cchc.core.periods import PeriodKind, containing
from cchc.org.models import Unit


class IndexFilterForm(PeriodFilterMixin):
    commune = forms.ModelChoiceField(
        label="Xã", queryset=Unit.objects.none(), required=False, empty_label="— Chọn xã —"
    )

    def __init__(self, *args, user, today: date | None = None, with_commune: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.setup_period(today=today, default=containing(today, PeriodKind.MONTH))
        if with_commune and user.home_commune is None:
            self.fields["commune"].queryset = user.visible_communes()
        else:
            del self.fields["commune"]
        for field in self.fields.values():
            widget = field.widget
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
