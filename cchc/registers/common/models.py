"""What every register row shares: its commune, who wrote it and when, a version
number that catches two officers editing the same row, a search key; and the two
tables every register uses — attachments and spreadsheet imports waiting for
confirmation."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from cchc.core.models import AuditedModel
from cchc.core.text import search_key


class RegisterRecord(AuditedModel):
    """A row of a register. `version` goes up by one at every save through the
    services; a form carries the version it was opened at, and saving over a newer
    version is refused (`services.StaleEdit`) instead of silently losing the other
    officer's change."""

    commune = models.ForeignKey("org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("nhập lúc", default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người sửa gần nhất",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("sửa lúc", default=timezone.now)
    search_key = models.TextField(editable=False, blank=True)

    class Meta:
        abstract = True

    def search_text(self) -> str:
        """The words the list's search box finds this row by."""
        raise NotImplementedError

    def save(self, *args, **kwargs) -> None:
        # A derived column for accent-insensitive search, not business logic.
        self.search_key = search_key(self.search_text())
        super().save(*args, **kwargs)


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random stored name: the original name is kept in a column and given back
    # only by the permission-checked download view.
    return f"registers/{instance.uploaded_at:%Y/%m}/{instance.token}.{instance.extension}"


class Attachment(AuditedModel):
    """A file attached to a register row (a scanned decision, minutes, a poster's
    photo, a payment voucher). Never served as a static file."""

    commune = models.ForeignKey("org.Unit", verbose_name="xã", on_delete=models.PROTECT, related_name="+")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    file = models.FileField("tệp", upload_to=attachment_path, max_length=300)
    token = models.CharField(max_length=40, editable=False)
    extension = models.CharField(max_length=10, editable=False)
    original_name = models.CharField("tên tệp", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    note = models.CharField("mô tả", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now)

    class Meta:
        verbose_name = "tệp đính kèm sổ theo dõi"
        verbose_name_plural = "tệp đính kèm sổ theo dõi"
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="register_attachment_target")]

    def __str__(self) -> str:
        return self.original_name


class SheetImport(AuditedModel):
    """An .xlsx list uploaded into a register: kept between the preview and the
    officer's confirmation (so the file is not sent twice), then as the history of
    imports (the content is dropped once applied or discarded)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Chờ xác nhận"
        APPLIED = "applied", "Đã nhập"
        DISCARDED = "discarded", "Đã hủy"

    commune = models.ForeignKey("org.Unit", verbose_name="xã", on_delete=models.CASCADE, related_name="+")
    register = models.CharField("sổ", max_length=30)
    file_name = models.CharField("tên tệp", max_length=255)
    content = models.BinaryField("nội dung tệp", blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PREVIEW)
    summary = models.JSONField("kết quả", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tải lên lúc", default=timezone.now)
    applied_at = models.DateTimeField("nhập lúc", null=True, blank=True)

    audit_exclude = ("content",)

    class Meta:
        verbose_name = "lần nhập sổ theo dõi từ Excel"
        verbose_name_plural = "các lần nhập sổ theo dõi từ Excel"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"
