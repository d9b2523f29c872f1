from __future__ import annotations

from django import forms

from cchc.core.forms import PeriodFilterMixin


class PeriodForm(PeriodFilterMixin):
    """The window of a dashboard page (a reporting period or a range of days)."""

    def __init__(self, *args, today, default=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setup_period(today=today, default=default)


class ComparisonForm(PeriodForm):
    sap_xep = forms.CharField(required=False, widget=forms.HiddenInput())
    chieu = forms.CharField(required=False, widget=forms.HiddenInput())
