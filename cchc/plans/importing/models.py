"""The record of one plan import: the uploaded file (kept as the plan's source
attachment), what was read from it, and the plan it became."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cchc.core.models import AuditedModel


def import_path(instance: PlanImport, filename: str) -> str:
    # Random stored name; the original name is kept in a column and given back only by
    # the permission-checked download view.
    return f"plans/imports/{instance.created_at:%Y/%m}/{instance.token}.{instance.file_format}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Chờ xem trước, sửa"
    SAVED = "saved", "Đã lưu thành dự thảo"
    DISCARDED = "discarded", "Đã hủy"


class PlanImport(AuditedModel):
    """An uploaded plan document and what the importer read from it. While pending it
    feeds the preview; once saved it points to the draft plan it became and stays as
    that plan's source file."""

    commune = models.ForeignKey("org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm kế hoạch", null=True, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name="kế hoạch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    file = models.FileField("tệp gốc", upload_to=import_path, max_length=300)
    token = models.CharField(max_length=40, editable=False)
    file_format = models.CharField("định dạng", max_length=5)
    original_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã băm SHA-256", max_length=64, db_index=True)
    size = models.PositiveIntegerField("dung lượng (byte)")
    parsed = models.JSONField("nội dung đọc được", default=dict, blank=True)
    replaced = models.BooleanField("thay thế dự thảo đã có", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tải lên lúc", default=timezone.now)
    saved_at = models.DateTimeField("lưu lúc", null=True, blank=True)

    # The parsed structure is large and is not a change anyone makes by hand.
    audit_exclude = ("parsed",)

    class Meta:
        verbose_name = "lần nhập kế hoạch"
        verbose_name_plural = "lần nhập kế hoạch"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def audit_commune_id(self) -> int | None:
        return self.commune_id
