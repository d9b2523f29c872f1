"""Form pieces every register uses: the filter bar with diacritic-insensitive
search, the hidden version that detects a concurrent edit, file inputs."""

from __future__ import annotations

from datetime import date

from django import forms

from cchc.core.forms import DayField, add_service_errors  # noqa: F401  (the registers' views use it from here)
from cchc.core.text import filter_by_search

from .services import ATTACHMENT_UPLOADS


def date_field(label: str, *, required: bool = True, help_text: str = "") -> DayField:
    return DayField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Cần nhập {label.lower()}."},
    )


class VersionedForm(forms.Form):
    """A form editing a register row carries the version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required:
                field.error_messages["required"] = f"Cần nhập {str(field.label).lower()}."

    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "files")}


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


class AttachmentForm(forms.Form):
    files = MultipleFileField(label="Tệp đính kèm")
    note = forms.CharField(label="Mô tả (nếu cần)", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = ATTACHMENT_UPLOADS.help_text()
        self.fields["files"].error_messages["required"] = "Chọn ít nhất một tệp."


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": "Chọn tệp .xlsx cần nhập."},
    )


class FilterForm(forms.Form):
    """The list's filter bar. Subclasses add fields and say how each one filters
    in `filter()`; the search box and the year are common."""

    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Gõ có dấu hoặc không dấu", "type": "search"}),
    )
    year = forms.IntegerField(label="Năm", required=False, min_value=2000, max_value=2100)
    date_field = ""  # the date the year filters on

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("q"):
            qs = filter_by_search(qs, data["q"])
        if data.get("year") and self.date_field:
            qs = qs.filter(
                **{
                    f"{self.date_field}__gte": date(data["year"], 1, 1),
                    f"{self.date_field}__lte": date(data["year"], 12, 31),
                }
            )
        return self.filter(qs, data)

    def filter(self, qs, data: dict):
        return qs

    def describe(self) -> str:
        """The filters in words, for the export's subtitle."""
        if not self.is_valid():
            return ""
        parts = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, "", [], ()):
                continue
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                value = dict(field.choices).get(value, value)
            parts.append(f"{field.label}: {value}")
        return "; ".join(parts)
