"""Lost updates: two officers open the same record, both save, and the later save
silently reverts the earlier. Records people edit together (plan tasks, procedures,
PAR-index criteria and scores; register rows have their own, same-shaped check)
carry a `version` that goes up by one at every save. An edit form carries the
version it was opened at (a hidden field); the service reads the row locked
(`lock_fresh`) and refuses with `StaleEdit` — a `Conflict`, so 409 in the API and a
message on the form — when someone saved in between, naming who and when.
"""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.db import models
from django.utils import timezone

from .models import AuditedModel, AuditLog
from .workflow import Conflict

M = TypeVar("M", bound=models.Model)


class VersionedModel(AuditedModel):
    """An audited record with a `version` bumped at every save."""

    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)
    audit_exclude: tuple[str, ...] = ("version",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class StaleEdit(Conflict):
    """The record changed since the form was opened (HTTP 409)."""

    def __init__(self, record: models.Model) -> None:
        last = (
            AuditLog.objects.filter(
                app_label=record._meta.app_label,
                model=record._meta.model_name,
                object_id=str(record.pk),
                action=AuditLog.Action.UPDATE,
            )
            .order_by("-at", "-pk")
            .first()
        )
        who = last.actor_label if last and last.actor_id else "một người khác"
        when = f" lúc {timezone.localtime(last.at):%H:%M %d/%m/%Y}" if last else ""
        super().__init__(
            f"Trong lúc bạn sửa, {who} đã lưu «{record}»{when}. Thay đổi của bạn chưa được lưu: "
            "hãy mở lại trang để xem nội dung mới nhất rồi sửa lại nếu vẫn cần."
        )
        self.record = record


def lock_fresh(record: M, expected_version: int | None) -> M:
    """The record, freshly read and locked for this transaction; `StaleEdit` when
    its version is not the one the editor started from (None: not checked, e.g. an
    API client that sent no version)."""
    fresh = type(record).objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleEdit(fresh)
    return fresh


class VersionField(forms.IntegerField):
    """The hidden field an edit form carries its record's version in."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


class VersionedFormMixin:
    """For a ModelForm of a `VersionedModel`: adds the hidden `version`, set from
    the instance when the form is shown; `expected_version` is what was posted."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"] = VersionField()
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.version

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("version")
